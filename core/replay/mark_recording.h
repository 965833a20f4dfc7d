#pragma once

#include "domain/venue.h"
#include "money/decimal.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mm {

namespace sim {
class PriceReplay;
}

/// One symbol's marks in a recording. A journal knows the venue each mark came from; a CSV row
/// names only the symbol, and moves it on every venue whose accounts hold it.
struct MarkSeries {
    std::optional<Venue> venue;
    std::string symbol;
};

/// One recorded mark price.
struct RecordedMark {
    std::int64_t unixMs = 0;  ///< when it was recorded (Unix ms)
    std::uint32_t series = 0; ///< index into MarkRecording::series()
    Decimal mark;             ///< always positive
};

/// Marks recorded over time — from the simulator's replay CSV, from the journal's history, or made
/// by a benchmark — in time order, marks at the same moment in the order they were recorded. Only
/// what was recorded: nothing here fills a gap.
class MarkRecording {
public:
    /// An empty recording; `sourceName` names it in errors ("marks.csv").
    explicit MarkRecording(std::string sourceName);

    /// The simulator's replay CSV (rows `time,symbol,mark`, time in Unix seconds — see
    /// sim::PriceReplay). Throws ReplayInputError naming the file and the line at fault, or saying
    /// that the file holds no marks.
    static MarkRecording readCsvFile(const std::string& path);
    /// A replay already read; its first row is at `originUnixSeconds`.
    static MarkRecording fromPriceReplay(const sim::PriceReplay& replay, double originUnixSeconds,
                                         std::string sourceName);
    /// The marks the desktop app recorded in its journal (core/store: each position's mark history)
    /// for the given (venue, symbol)s — the others in the journal are left out. Throws
    /// ReplayInputError for a file that is missing or is not a Margin Monitor journal, and when it
    /// holds no mark of any of them.
    static MarkRecording readJournal(const std::filesystem::path& file,
                                     const std::vector<std::pair<Venue, std::string>>& wanted);

    /// Adds a mark after the others (a benchmark's or a test's recording). Throws ReplayInputError for
    /// a mark earlier than the last one, or one that is not a positive number in Decimal's range.
    void append(std::int64_t unixMs, std::string_view symbol, double mark, std::optional<Venue> venue = std::nullopt);
    void append(std::int64_t unixMs, std::string_view symbol, const Decimal& mark,
                std::optional<Venue> venue = std::nullopt);

    [[nodiscard]] const std::string& sourceName() const { return m_sourceName; }
    [[nodiscard]] const std::vector<MarkSeries>& series() const { return m_series; }
    [[nodiscard]] const std::vector<RecordedMark>& marks() const { return m_marks; }
    [[nodiscard]] bool empty() const { return m_marks.empty(); }
    [[nodiscard]] std::int64_t startMs() const { return m_marks.empty() ? 0 : m_marks.front().unixMs; }
    [[nodiscard]] std::int64_t endMs() const { return m_marks.empty() ? 0 : m_marks.back().unixMs; }

    /// Each series' regular spacing: the 90th percentile of the gaps between its consecutive marks
    /// (zero with fewer than two). A recording's own cadence, so that a 1-minute recording is not
    /// stale between its minutes while a real hole — rarer than one gap in ten — still shows.
    [[nodiscard]] std::vector<std::chrono::milliseconds> regularSpacing() const;

private:
    std::uint32_t seriesFor(std::optional<Venue> venue, std::string_view symbol);

    std::string m_sourceName;
    std::vector<MarkSeries> m_series;
    std::vector<RecordedMark> m_marks;
    std::unordered_map<std::string, std::uint32_t> m_seriesByKey; ///< "venue|symbol" ("|symbol" without a venue)
};

} // namespace mm
