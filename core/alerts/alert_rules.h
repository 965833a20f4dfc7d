#pragma once

#include "alerts/alert_event.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace mm {

/// Which subjects a rule watches. The most specific rule of a kind wins for a subject: a position's
/// own rule over its account's, an account's over the one for all.
enum class AlertScope { All, Account, Position };
std::string_view alertScopeName(AlertScope scope); ///< "all", "account", "position"
std::optional<AlertScope> alertScopeFromName(std::string_view name);

/// Whether a smaller measure is worse (distance, σ, time) or a larger one (ratio, velocity, stale).
enum class AlertDirection { Below, Above };
AlertDirection alertDirection(AlertRuleKind kind);
/// The unit of a rule's measure, for messages and the rules dialog: "%", "σ", "s", "%/min".
std::string_view alertUnit(AlertRuleKind kind);

/// One rule: up to three thresholds in the measure's unit, and the re-arm band.
///
/// Units: Distance — % of the mark; MarginRatio — % (100 = liquidation, common direction);
/// SigmaDistance — standard deviations of the next hour's move at the recent volatility;
/// TimeToLiquidation — seconds at the recent drift; Velocity — percentage points of distance lost
/// per minute; Stale — seconds since the last mark, counted once the monitor marks the feed stale
/// (0 = as soon as it is).
struct AlertRule {
    AlertRuleKind kind = AlertRuleKind::Distance;
    AlertScope scope = AlertScope::All;
    std::string account; ///< the account's label (Account and Position scope)
    std::string symbol;  ///< the venue's symbol (Position scope)
    bool enabled = true;
    std::optional<double> warning;
    std::optional<double> critical;
    std::optional<double> emergency;
    /// Hysteresis: a level is left, and an episode ends, only once the measure is this far on the
    /// safe side of the threshold — a price hovering at a threshold raises one alert, not a storm.
    double rearm = 0;

    /// The threshold of a level, if the rule has one.
    [[nodiscard]] std::optional<double> threshold(AlertLevel level) const;
    /// The worst level whose threshold `value` has crossed; nullopt when none has.
    [[nodiscard]] std::optional<AlertLevel> levelAt(double value) const;
    /// Whether `value` is past `level`'s threshold by the re-arm band on the safe side.
    [[nodiscard]] bool recoveredFrom(AlertLevel level, double value) const;
    /// Whether the rule applies to a subject (scope and names match).
    [[nodiscard]] bool appliesTo(std::string_view accountLabel, std::string_view symbolName) const;
    /// A rule that has no threshold, or thresholds out of order (a critical safer than the
    /// warning), or a negative band: what is wrong, in words; empty when it is fine.
    [[nodiscard]] std::string problem() const;
};

/// The whole alerting policy: the rules and the timings they share.
struct AlertPolicy {
    std::vector<AlertRule> rules;
    /// After an episode ends, the same rule on the same subject coming back within this time resumes
    /// that episode (same id, no new sound unless it is worse than before).
    std::chrono::seconds cooldown{60};
    /// A critical alert nobody acknowledged (or snoozed) within this time becomes an emergency.
    std::chrono::seconds escalateAfter{60};
    /// How far back the recent volatility (σ) is measured, and the drift and velocity.
    std::chrono::seconds volatilityWindow{900};
    std::chrono::seconds driftWindow{60};

    /// The rule of `kind` for a subject: the most specific enabled one, or nullptr.
    [[nodiscard]] const AlertRule* ruleFor(AlertRuleKind kind, std::string_view accountLabel,
                                           std::string_view symbol) const;
    /// Every rule's problem, prefixed with its place ("rule 3 (distance, all): …"); empty when fine.
    [[nodiscard]] std::vector<std::string> problems() const;
};

/// The defaults a trader gets out of the box: a rule of every kind for all positions.
///  - distance to liquidation below 10 % / 5 % / 2 % of the mark (re-arm 1 point);
///  - margin ratio above 70 % / 85 % / 95 % (re-arm 5 points);
///  - within 3 σ / 2 σ / 1 σ of an hour's move at the recent volatility (re-arm 0.5 σ);
///  - liquidation within 10 min / 3 min / 1 min at the last minute's drift (re-arm 60 s);
///  - distance shrinking faster than 2 / 5 points per minute (re-arm 0.5);
///  - marks stale (warning at once, critical after 30 s).
AlertPolicy defaultAlertPolicy();

} // namespace mm
