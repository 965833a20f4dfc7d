#pragma once

#include "engine/risk_board.h"

#include <QList>
#include <QPointF>

#include <chrono>
#include <compare>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace mm::ui {

/// Which position: its account's index in the monitor and its index in that account's portfolio
/// (PositionLine::account, PositionLine::position).
struct PositionKey {
    std::size_t account = 0;
    std::size_t position = 0;
    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads the defaulted <=>
    friend auto operator<=>(const PositionKey&, const PositionKey&) = default;
};

/// One position at one moment, as the charts draw it. 32 bytes: a missing liquidation price or
/// distance is kept as NaN rather than in a std::optional (48 bytes) — the history holds up to
/// 28,800 of these per position. Read the optional figures through the accessors.
struct RiskSample {
    double time = 0; ///< seconds on the monotonic clock (RiskBoard::takenAt); RiskHistory::wallClockMs for the axis
    double markPrice = 0; ///< the mark the figures were evaluated at
    double liquidationPriceOrNan = std::numeric_limits<double>::quiet_NaN();
    double distanceToLiquidationPctOrNan = std::numeric_limits<double>::quiet_NaN();

    /// nullopt when no positive price liquidates the position (PositionRisk::liquidationPrice).
    [[nodiscard]] std::optional<double> liquidationPrice() const;
    /// The move left before liquidation in % of the mark; nullopt without a liquidation price.
    [[nodiscard]] std::optional<double> distanceToLiquidationPct() const;
};

/// What the legends and titles say about a tracked position.
struct TrackedPosition {
    PositionKey key;
    Venue venue = Venue::Generic;
    std::string accountLabel;
    std::string symbol;
    Side side = Side::Long;
    PositionSide positionSide = PositionSide::Both;
};

/// The samples of one position, oldest first, without copying: the ring buffer's two halves.
struct SampleSpans {
    std::span<const RiskSample> older;
    std::span<const RiskSample> newer;

    [[nodiscard]] std::size_t size() const { return older.size() + newer.size(); }
    [[nodiscard]] bool empty() const { return size() == 0; }
    [[nodiscard]] const RiskSample& operator[](std::size_t index) const
    {
        return index < older.size() ? older[index] : newer[index - older.size()];
    }
    [[nodiscard]] const RiskSample& back() const { return newer.empty() ? older.back() : newer.back(); }
};

/// The recent risk of every position on the board, for the charts: a bounded ring of samples per
/// position, in memory only (restarts begin empty; core/store will keep it across restarts later).
///
/// record() may be called for every board (the bridge delivers up to 10 per second); a board is
/// sampled only when at least the sample interval (default 250 ms, so ≤ 4 Hz) has passed on the
/// monotonic clock since the last sampled board, so the capacity (default 28,800 = 2 hours at
/// 4 Hz) always spans at least capacity × interval. When a position's ring is full its oldest
/// sample is dropped. Positions missing from a sampled board are dropped with their history; a
/// key whose venue, account, symbol or side changed (positions re-indexed after one was closed)
/// starts a new history rather than continuing another position's.
///
/// Not thread-safe: lives on the GUI thread, next to the views that draw it.
class RiskHistory {
public:
    static constexpr std::chrono::milliseconds kDefaultSampleInterval{250};
    static constexpr std::size_t kDefaultCapacity = std::size_t{2} * 60 * 60 * 4; ///< 2 hours at 4 Hz

    /// What chartPoints() reads from the samples.
    enum class Figure {
        MarkPrice,
        LiquidationPrice,         ///< samples without one are left out
        DistanceToLiquidationPct, ///< samples without one are left out
    };

    /// The wall clock is anchored to the monotonic one now, once: sample times convert to the
    /// axis's wall-clock milliseconds with that single offset, so an NTP step never bends a line.
    explicit RiskHistory(std::chrono::milliseconds sampleInterval = kDefaultSampleInterval,
                         std::size_t capacity = kDefaultCapacity);
    /// With an explicit anchor: `monotonicAnchor` on the monotonic clock is `wallAnchor` on the
    /// wall clock (tests with a ManualClock, deterministic axis labels).
    RiskHistory(std::chrono::milliseconds sampleInterval, std::size_t capacity, MonotonicTime monotonicAnchor,
                std::chrono::system_clock::time_point wallAnchor);

    /// Samples the board if the interval has passed since the last sampled board; returns whether
    /// it did. Boards older than the last sampled one are ignored.
    bool record(const RiskBoard& board);
    /// A point of a position's past, from the journal (wall-clock time).
    struct PastPoint {
        std::int64_t wallTimeMs = 0;
        double markPrice = 0;
        std::optional<double> liquidationPrice;
        std::optional<double> distanceToLiquidationPct;
    };
    /// Where the positions a board shows for the first time find their past (the journal's mark and
    /// risk history, oldest first; one list per position, in their order): the charts then show the
    /// hours before a restart. Asked once per board for all its new positions, so a start with
    /// thousands of positions opens the journal once. Points at or after the first sample are
    /// ignored; at most the capacity is kept.
    using PastProvider = std::function<std::vector<std::vector<PastPoint>>(const std::vector<TrackedPosition>&)>;
    void setPastProvider(PastProvider provider)
    {
        m_pastProvider = std::move(provider);
    }
    /// Forgets every position's history (the accounts were replaced: the keys now mean other
    /// positions). Counts as a new revision.
    void clear();

    [[nodiscard]] std::chrono::milliseconds sampleInterval() const { return m_sampleInterval; }
    [[nodiscard]] std::size_t capacity() const { return m_capacity; }
    /// Counts sampled boards; a view whose last drawing saw the same revision has nothing new.
    [[nodiscard]] std::uint64_t revision() const { return m_revision; }

    /// The positions of the last sampled board, in its order (accounts, then positions).
    [[nodiscard]] std::size_t positionCount() const { return m_tracks.size(); }
    [[nodiscard]] const TrackedPosition& position(std::size_t index) const { return m_tracks.at(index).position; }
    [[nodiscard]] std::optional<std::size_t> indexOf(PositionKey key) const;
    /// Oldest first; valid until the next record().
    [[nodiscard]] SampleSpans samples(std::size_t index) const;

    /// Milliseconds since the Unix epoch for a sample time (what QDateTimeAxis plots).
    [[nodiscard]] double wallClockMs(double time) const { return m_wallAnchorMs + (time - m_monotonicAnchor) * 1000.0; }

    /// One figure of a position as chart points (x: wall-clock ms, y: the figure), oldest first,
    /// samples without the figure left out. Above `maxPoints` points it keeps, per bucket of
    /// consecutive samples, the lowest and the highest (so a dip towards liquidation is never
    /// smoothed away) and always the latest sample: at most maxPoints + 1 points.
    [[nodiscard]] QList<QPointF> chartPoints(std::size_t index, Figure figure, std::size_t maxPoints) const;

    /// An estimate of the heap and object memory held, in bytes (for the benchmark).
    [[nodiscard]] std::size_t memoryBytes() const;

private:
    struct Track {
        TrackedPosition position;
        std::vector<RiskSample> ring; ///< grows up to the capacity, then wraps
        std::size_t oldest = 0;       ///< index in `ring` of the oldest sample once it wrapped
    };

    void append(Track& track, const RiskSample& sample) const;

    std::chrono::milliseconds m_sampleInterval;
    std::size_t m_capacity;
    double m_monotonicAnchor; ///< seconds
    double m_wallAnchorMs;    ///< ms since the Unix epoch at m_monotonicAnchor
    std::optional<double> m_lastSampleTime;
    std::uint64_t m_revision = 0;
    std::vector<Track> m_tracks;
    PastProvider m_pastProvider;
};

} // namespace mm::ui
