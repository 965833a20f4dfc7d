#pragma once

#include "domain/position.h"
#include "domain/venue.h"
#include "money/clock.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mm {

/// How loud an alert is. Each level has its own sound; an emergency repeats until acknowledged.
enum class AlertLevel { Warning = 1, Critical = 2, Emergency = 3 };
std::string_view alertLevelName(AlertLevel level); ///< "warning", "critical", "emergency"
std::optional<AlertLevel> alertLevelFromName(std::string_view name);

/// What a rule measures.
enum class AlertRuleKind {
    Distance,          ///< distance to liquidation below X % of the mark
    MarginRatio,       ///< margin ratio (common direction, 1 = liquidation) above Y %
    SigmaDistance,     ///< distance to liquidation below Z σ of recent volatility
    TimeToLiquidation, ///< estimated time to liquidation at the recent drift below T
    Velocity,          ///< distance shrinking faster than V % (of the mark) per minute
    Stale,             ///< the position's mark prices stopped arriving
};
std::string_view alertRuleKindName(AlertRuleKind kind); ///< "distance", "margin-ratio", "sigma", "time", "velocity", "stale"
std::optional<AlertRuleKind> alertRuleKindFromName(std::string_view name);

/// What happened to an alert episode. An episode runs from the first breach of a rule on a subject
/// until the measure is back beyond the re-arm band.
enum class AlertChange {
    Raised,       ///< a new episode, at its first level
    Escalated,    ///< louder: the measure crossed a worse level, or a critical went unacknowledged too long
    Acknowledged, ///< the trader acknowledged it: quiet until it escalates or re-arms
    Snoozed,      ///< quiet until `quietUntil`, or until it escalates
    Cleared,      ///< the measure is back beyond the re-arm band: the episode is over
};
std::string_view alertChangeName(AlertChange change);

/// Who an alert is about: one position, or an account's cross margin (position unset).
struct AlertSubject {
    std::size_t account = 0;                ///< the account's index in the Monitor
    std::optional<std::size_t> position;    ///< its index in the account's portfolio
    Venue venue = Venue::Generic;
    std::string accountLabel;
    std::string symbol;                     ///< empty for an account
    std::optional<Side> side;
};

/// One alert, published the moment it is decided (never coalesced). Wall times are for the journal
/// and the trader; monotonic times for latency.
struct AlertEvent {
    /// Unique per episode, across engines and runs: engines count on from their start time in µs.
    std::uint64_t episode = 0;
    AlertChange change = AlertChange::Raised;
    AlertLevel level = AlertLevel::Warning;
    AlertRuleKind rule = AlertRuleKind::Distance;
    AlertSubject subject;
    double value = 0;     ///< the measure now (%, ratio %, σ, seconds, % per minute, seconds silent)
    double threshold = 0; ///< the level's threshold it crossed
    std::optional<double> markPrice;
    std::optional<double> liquidationPrice;
    std::optional<double> distancePct; ///< distance to liquidation in % of the mark
    std::string message;               ///< one line in the trader's words
    std::int64_t wallTimeMs = 0;       ///< Unix time in ms when decided
    MonotonicTime tickReceivedAt{};    ///< when the tick that caused it arrived (the decision time for timers)
    MonotonicTime decidedAt{};
};

} // namespace mm
