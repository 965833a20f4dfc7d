#include "replay/mark_recording.h"

#include "replay/replay_error.h"
#include "sim/price_replay.h"
#include "store/journal.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

namespace mm {
namespace {

/// The shortest text that reads back as the same double, read exactly: a recorded "40173.98" stays
/// 40173.98, not the binary neighbour 40173.9799999999959….
std::optional<Decimal> decimalOf(double value)
{
    if (!std::isfinite(value) || value <= 0) {
        return std::nullopt;
    }
    char text[64];
    const auto [end, error] = std::to_chars(text, text + sizeof text, value);
    if (error != std::errc()) {
        return std::nullopt;
    }
    return Decimal::tryParse(std::string_view(text, static_cast<std::size_t>(end - text)));
}

std::string seriesKey(std::optional<Venue> venue, std::string_view symbol)
{
    std::string key = venue ? std::string(venueName(*venue)) : std::string();
    key += '|';
    key += symbol;
    return key;
}

} // namespace

MarkRecording::MarkRecording(std::string sourceName) : m_sourceName(std::move(sourceName)) {}

MarkRecording MarkRecording::readCsvFile(const std::string& path)
{
    std::error_code error;
    if (!std::filesystem::exists(path, error)) {
        throw ReplayInputError("cannot open " + path + ": no such file");
    }
    if (std::filesystem::is_directory(path, error)) {
        throw ReplayInputError("cannot read " + path + ": it is a directory");
    }
    try {
        const sim::PriceReplay replay = sim::PriceReplay::readFile(path);
        return fromPriceReplay(replay, replay.origin(), path);
    } catch (const ReplayInputError&) {
        throw;
    } catch (const std::runtime_error& problem) {
        throw ReplayInputError(problem.what()); // "marks.csv:12: mark "-5" is not a positive number"
    }
}

MarkRecording MarkRecording::fromPriceReplay(const sim::PriceReplay& replay, double originUnixSeconds,
                                             std::string sourceName)
{
    MarkRecording recording(std::move(sourceName));
    recording.m_marks.reserve(replay.marks().size());
    for (const sim::ReplayMark& row : replay.marks()) {
        const double unixSeconds = originUnixSeconds + row.seconds;
        recording.append(std::llround(unixSeconds * 1000.0), row.symbol, row.mark);
    }
    return recording;
}

MarkRecording MarkRecording::readJournal(const std::filesystem::path& file,
                                         const std::vector<std::pair<Venue, std::string>>& wanted)
{
    const std::string name = file.string();
    std::error_code error;
    if (!std::filesystem::exists(file, error)) {
        throw ReplayInputError("cannot open " + name + ": no such file");
    }
    MarkRecording recording(name);
    try {
        Journal journal = Journal::openReadOnly(file);
        const std::vector<HistorySubject> held = journal.historySubjects();
        for (const auto& [venue, symbol] : wanted) {
            const bool recorded = std::any_of(held.begin(), held.end(), [&](const HistorySubject& subject) {
                return subject.venue == venue && subject.symbol == symbol;
            });
            if (!recorded) {
                continue;
            }
            const std::uint32_t series = recording.seriesFor(venue, symbol);
            for (const HistoryPoint& point : journal.history(venue, symbol, std::numeric_limits<std::int64_t>::min())) {
                const auto mark = decimalOf(point.mark);
                if (!mark) {
                    continue; // the journal keeps only finite marks; anything else is not a price
                }
                recording.m_marks.push_back({point.wallTimeMs, series, *mark});
            }
        }
    } catch (const JournalError& problem) {
        throw ReplayInputError(name + ": not a journal Margin Monitor can replay: " + problem.what());
    }
    if (recording.m_marks.empty()) {
        throw ReplayInputError(name + ": no marks recorded for any position of the portfolios");
    }
    // Each series is in time order; merged, marks at the same millisecond keep the series' order.
    std::stable_sort(recording.m_marks.begin(), recording.m_marks.end(),
                     [](const RecordedMark& a, const RecordedMark& b) { return a.unixMs < b.unixMs; });
    return recording;
}

void MarkRecording::append(std::int64_t unixMs, std::string_view symbol, double mark, std::optional<Venue> venue)
{
    const auto exact = decimalOf(mark);
    if (!exact) {
        throw ReplayInputError(m_sourceName + ": the mark of " + std::string(symbol) + " at " + std::to_string(unixMs) +
                               " ms is not a positive price within range");
    }
    append(unixMs, symbol, *exact, venue);
}

void MarkRecording::append(std::int64_t unixMs, std::string_view symbol, const Decimal& mark,
                           std::optional<Venue> venue)
{
    if (!m_marks.empty() && unixMs < m_marks.back().unixMs) {
        throw ReplayInputError(m_sourceName + ": a mark of " + std::string(symbol) + " goes back in time");
    }
    if (!mark.isPositive()) {
        throw ReplayInputError(m_sourceName + ": the mark of " + std::string(symbol) + " is not positive");
    }
    m_marks.push_back({unixMs, seriesFor(venue, symbol), mark});
}

std::uint32_t MarkRecording::seriesFor(std::optional<Venue> venue, std::string_view symbol)
{
    auto [it, added] = m_seriesByKey.try_emplace(seriesKey(venue, symbol), static_cast<std::uint32_t>(m_series.size()));
    if (added) {
        m_series.push_back({venue, std::string(symbol)});
    }
    return it->second;
}

std::vector<std::chrono::milliseconds> MarkRecording::regularSpacing() const
{
    std::vector<std::vector<std::int64_t>> gaps(m_series.size());
    std::vector<std::optional<std::int64_t>> last(m_series.size());
    for (const RecordedMark& row : m_marks) {
        auto& previous = last[row.series];
        if (previous && row.unixMs > *previous) {
            gaps[row.series].push_back(row.unixMs - *previous);
        }
        previous = row.unixMs;
    }
    std::vector<std::chrono::milliseconds> spacing(m_series.size(), std::chrono::milliseconds(0));
    for (std::size_t i = 0; i < gaps.size(); ++i) {
        auto& seriesGaps = gaps[i];
        if (seriesGaps.empty()) {
            continue;
        }
        const auto at = seriesGaps.begin() + static_cast<std::ptrdiff_t>((seriesGaps.size() - 1) * 9 / 10);
        std::nth_element(seriesGaps.begin(), at, seriesGaps.end());
        spacing[i] = std::chrono::milliseconds(*at);
    }
    return spacing;
}

} // namespace mm
