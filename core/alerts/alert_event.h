#pragma once

#include "domain/position.h"
#include "domain/venue.h"
#include "money/clock.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

/// What happened to a subject's alert. One subject (a position, or an account's cross margin) has one
/// alert at a time — its *episode* — at the worst level of its measures; an episode runs from the
/// first breach of any rule until every measure has been back beyond its re-arm band for the cooldown.
/// Only Raised and Escalated make a sound (`sounds()`); the others update what is shown, silently.
enum class AlertChange {
    Raised,       ///< a new episode, at its first level (sounds)
    Escalated,    ///< louder: the level rose (or, where the trader asked for it, a critical went
                  ///< unacknowledged too long) (sounds)
    Eased,        ///< quieter: the danger stayed below the level for the cooldown (silent)
    Acknowledged, ///< the trader acknowledged it: quiet until the level rises above what was acknowledged
    Snoozed,      ///< quiet until the snooze ends, or until the level rises above what was snoozed
    Cleared,      ///< every measure back beyond its re-arm band for the cooldown: the episode is over
};
std::string_view alertChangeName(AlertChange change);
std::optional<AlertChange> alertChangeFromName(std::string_view name);

/// One measure behind a subject's alert: its rule kind, the level it alone would give, its value now
/// and a few words ("4.1 % to liquidation", "about 6 min at the last 5 minutes' pace", "1.3 σ").
struct AlertReason {
    AlertRuleKind rule = AlertRuleKind::Distance;
    AlertLevel level = AlertLevel::Warning;
    double value = 0;                  ///< always finite
    std::optional<double> threshold;   ///< the threshold of `level` in the rule
    std::string text;                  ///< in the trader's words, never "inf" or "nan"
};

/// Who an alert is about: one position, or an account's cross margin (position unset).
struct AlertSubject {
    std::size_t account = 0;                ///< the account's index in the Monitor
    std::optional<std::size_t> position;    ///< its index in the account's portfolio
    Venue venue = Venue::Generic;
    std::string accountLabel;
    std::string symbol;                     ///< empty for an account
    std::optional<Side> side;
};

/// One alert change, published the moment it is decided (never coalesced). Wall times are for the
/// journal and the trader; monotonic times for latency.
struct AlertEvent {
    /// Unique per episode, across engines and runs: engines count on from their start time in µs.
    /// One subject has one running episode at a time.
    std::uint64_t episode = 0;
    AlertChange change = AlertChange::Raised;
    AlertLevel level = AlertLevel::Warning;
    /// The lead reason: the measure that sets the level (the trader's own thresholds first).
    AlertRuleKind rule = AlertRuleKind::Distance;
    AlertSubject subject;
    double value = 0;     ///< the lead measure now (%, ratio %, σ, seconds, % per minute, seconds silent); finite
    double threshold = 0; ///< the lead measure's threshold at its level
    /// Every measure at warning or worse now, worst first (the lead first); empty once cleared.
    std::vector<AlertReason> reasons;
    std::optional<double> markPrice;
    std::optional<double> liquidationPrice;
    std::optional<double> distancePct; ///< distance to liquidation in % of the mark
    std::string message;               ///< one line in the trader's words
    std::int64_t wallTimeMs = 0;       ///< Unix time in ms when decided
    MonotonicTime tickReceivedAt{};    ///< when the tick that caused it arrived (the decision time for timers)
    MonotonicTime decidedAt{};

    /// Whether this change makes a sound and brings the popup forward: a new episode or a rise.
    [[nodiscard]] bool sounds() const { return change == AlertChange::Raised || change == AlertChange::Escalated; }
    /// Whether one of the reasons is that the marks stopped arriving (nothing may act on its numbers).
    [[nodiscard]] bool onStaleMarks() const;
};

} // namespace mm
