#pragma once

#include "alerts/alert_event.h"
#include "domain/position.h"
#include "domain/venue.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mm {

/// One alert change as a replay heard it, at the recording's time.
struct ReplayedAlert {
    std::int64_t unixMs = 0;
    AlertEvent event;
};

/// A subject's distance to liquidation at one evaluation, in % of the mark (negative beyond it).
struct DistancePoint {
    std::int64_t unixMs = 0;
    double distancePct = 0;
};

/// One alert subject of a replay: a position, or an account's cross margin.
struct ReplaySubject {
    std::size_t account = 0;             ///< the account's index (the order of the portfolios)
    std::optional<std::size_t> position; ///< its index in the account; unset for the cross margin
    Venue venue = Venue::Generic;
    std::string accountLabel;
    std::string symbol;       ///< empty for the cross margin
    std::optional<Side> side; ///< unset for the cross margin
    bool cross = false;       ///< a cross position, or the cross margin itself
    /// The first recorded moment at or beyond liquidation: a position's mark at or past its
    /// liquidation price (its margin ratio at 100 %); for the cross margin and every cross position
    /// of the account, the account's cross ratio at 100 % (the exchange takes them all). Unset: never.
    std::optional<std::int64_t> liquidatedAtMs;
    std::vector<std::size_t> alerts; ///< its alert changes, as indexes into ReplayResult::alerts
    /// Every evaluation's distance (with ReplayOptions::keepDistanceTracks). For the cross margin the
    /// nearest of its positions' distances, each as last evaluated.
    std::vector<DistancePoint> distances;
};

/// What a replay heard and saw.
struct ReplayResult {
    std::vector<ReplayedAlert> alerts; ///< every change, in the order published
    /// Per account, its positions in order, then its cross margin where it holds cross positions.
    std::vector<ReplaySubject> subjects;
    std::size_t marksApplied = 0; ///< recorded marks replayed (one may move several venues)
    std::size_t marksRefused = 0; ///< marks the Monitor refused (figures out of range)
    std::int64_t startMs = 0;     ///< the recording's first mark (Unix ms)
    std::int64_t endMs = 0;       ///< and its last
    std::size_t symbols = 0;      ///< the recording's series
    /// Each venue's expected interval between marks, from the recording's cadence (staleness is
    /// three of them).
    std::vector<std::pair<Venue, std::chrono::milliseconds>> expectedIntervals;
};

/// What a replay says about one subject. Alerts decided after the subject's liquidation do not count:
/// by then the exchange has taken the position and nothing the trader hears can help. (One decided at
/// the liquidation moment itself counts — it came with the same mark.)
struct SubjectSummary {
    std::optional<std::int64_t> liquidatedAtMs;
    /// The first sounding alert (Raised or Escalated) at this level or louder.
    std::optional<std::int64_t> firstWarningMs;
    std::optional<std::int64_t> firstCriticalMs;
    std::optional<std::int64_t> firstEmergencyMs;
    std::size_t sounding = 0; ///< Raised + Escalated (escalations for want of acknowledgement included)
};

/// Whether an alert at `unixMs` counts for the subject (see SubjectSummary).
[[nodiscard]] bool countsFor(const ReplaySubject& subject, std::int64_t unixMs);
[[nodiscard]] SubjectSummary summarise(const ReplayResult& result, const ReplaySubject& subject);

} // namespace mm
