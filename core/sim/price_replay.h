#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <vector>

namespace mm::sim {

/// One recorded mark: `seconds` after the recording's first row.
struct ReplayMark {
    double seconds = 0;
    std::string symbol;
    double mark = 0;
};

/// A recording of marks to replay, read from CSV rows `time,symbol,mark`:
///  - time in seconds, any origin (Unix seconds, or seconds into the recording), fractions allowed;
///    rows in time order; the first row is time zero of the replay;
///  - symbol as the venue spells it (BTCUSDT for Binance and Bybit, BTC-USDT-SWAP, BTC for
///    Hyperliquid) — one row moves one symbol;
///  - an optional header line, blank lines and `#` comments are skipped.
class PriceReplay {
public:
    /// Throws std::runtime_error "SOURCE:LINE: what is wrong" for anything else; an empty recording
    /// is an error too.
    static PriceReplay read(std::istream& input, const std::string& sourceName);
    /// read() of a file; an unreadable file is named in the error.
    static PriceReplay readFile(const std::string& path);

    [[nodiscard]] const std::vector<ReplayMark>& marks() const { return m_marks; }
    /// The first row's time as written (Unix seconds in a recording of real marks): `seconds` of
    /// every row counts from it.
    [[nodiscard]] double origin() const { return m_origin; }
    /// Seconds from the first row to the last.
    [[nodiscard]] double duration() const { return m_marks.empty() ? 0.0 : m_marks.back().seconds; }
    /// The rows due by `seconds` that have not been taken yet, in order (the replay's cursor moves on).
    template <typename Apply> void takeUntil(double seconds, Apply&& apply)
    {
        while (m_next < m_marks.size() && m_marks[m_next].seconds <= seconds) {
            apply(m_marks[m_next++]);
        }
    }

private:
    std::vector<ReplayMark> m_marks;
    double m_origin = 0;
    std::size_t m_next = 0;
};

} // namespace mm::sim
