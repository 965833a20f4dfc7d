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
/// SigmaDistance — standard deviations of an hour's move of the noise (the drift kept apart);
/// TimeToLiquidation — seconds at the pace toward liquidation over the drift window; Velocity —
/// percentage points of distance lost per minute while that pace runs toward liquidation; Stale —
/// seconds since the last mark, counted once the monitor marks the feed stale (0 = as soon as it is).
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
///
/// One voice per subject: a position's (or an account's cross margin's) alert is at the worst level
/// of its measures, where the forecasts (σ distance, time to liquidation, velocity) may raise it at
/// most one level above what the trader's own thresholds (distance, margin ratio) say — a forecast
/// brings the next level forward, it never skips one.
struct AlertPolicy {
    std::vector<AlertRule> rules;
    /// A level is left — and an episode ends — only once the danger has stayed below it for this long
    /// (beyond each rule's re-arm band): the level shown is the worst of the last cooldown, so a
    /// price hovering at a threshold raises one alert, not a storm, and every rise is worth a sound.
    std::chrono::seconds cooldown{600};
    /// Opt-in (0 = off, the default): a critical nobody acknowledged or snoozed within this time
    /// becomes an emergency. Off by default because an emergency should mean danger, not silence.
    std::chrono::seconds escalateAfter{0};
    /// How far back the noise (σ) is measured.
    std::chrono::seconds volatilityWindow{900};
    /// How far back the pace (drift, velocity) is measured.
    std::chrono::seconds driftWindow{300};

    /// The rule of `kind` for a subject: the most specific enabled one, or nullptr.
    [[nodiscard]] const AlertRule* ruleFor(AlertRuleKind kind, std::string_view accountLabel,
                                           std::string_view symbol) const;
    /// Every rule's problem, prefixed with its place ("rule 3 (distance, all): …"); empty when fine.
    [[nodiscard]] std::vector<std::string> problems() const;
};

/// Whether a rule kind is a forecast (σ distance, time to liquidation, velocity) rather than one of
/// the trader's own thresholds (distance, margin ratio) or the data's health (stale marks).
bool isForecast(AlertRuleKind kind);

/// The defaults a trader gets out of the box: a rule of every kind for all positions.
///  - distance to liquidation below 10 % / 5 % / 2 % of the mark (re-arm 1 point);
///  - margin ratio above 70 % / 85 % / 95 % (re-arm 5 points);
///  - within 3 σ / 2 σ / 1 σ of an hour's move at the recent noise (re-arm 0.5 σ) — present but switched
///    off: on recorded crashes it sounded every unjustified emergency and critical (core/alerts/README.md);
///  - liquidation within 10 min / 3 min / 1 min at the last 5 minutes' pace (re-arm 60 s);
///  - distance shrinking faster than 2 / 5 points per minute (re-arm 0.5);
///  - marks stale (warning at once, critical after 30 s).
AlertPolicy defaultAlertPolicy();

} // namespace mm
