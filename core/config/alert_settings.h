#pragma once

#include "alerts/alert_rules.h"
#include "deleverage/account_deleverage_settings.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mm {

/// How alerts reach the trader, and by which rules they are decided: the alerts configuration file
/// (alerts.json beside accounts.json). Never holds a secret.
struct AlertSettings {
    AlertPolicy policy = defaultAlertPolicy();
    bool sound = true;
    double volume = 1.0; ///< 0 … 1
    /// An optional webhook: every alert as an HTTP POST of JSON (a phone through any push service).
    /// https://… (http:// only to loopback); empty: none.
    std::string webhookUrl;
    /// Automatic deleveraging per account (off for any account not listed: DESIGN.md's safety rules).
    std::vector<AccountAutomation> deleverage;
};

/// The limits readAlertSettings holds the numbers to, for editors that should offer no more.
namespace alert_settings_limits {
inline constexpr int kTimingSeconds = 86'400;  ///< cooldownSeconds, escalateAfterSeconds
inline constexpr int kCountdownSeconds = 600;  ///< a deleverage's countdownSeconds
inline constexpr int kOrderCap = 1000;         ///< maxOrdersPerHour, maxOrdersPerDay
} // namespace alert_settings_limits

/// The fields of an alert rule, in the file's order.
enum class AlertRuleField { Kind, Scope, Account, Symbol, Enabled, Warning, Critical, Emergency, Rearm };
/// As the file names them: "kind", "scope", "account", "symbol", "enabled", "warning", "critical",
/// "emergency", "rearm".
std::string_view alertRuleFieldName(AlertRuleField field);

/// One thing wrong with a rule: the field at fault (none: the rule as a whole) and why, in words
/// (lower case, no full stop: "a louder level's threshold must not be above a milder one's").
struct AlertRuleProblem {
    std::optional<AlertRuleField> field;
    std::string reason;

    bool operator==(const AlertRuleProblem&) const = default;
};

/// Everything wrong with one rule, at most one problem per field: the rule as a whole first (no
/// threshold at all), then by field in the file's order. Empty when the rule is usable. The checks
/// are AlertRule::problem()'s, each pinned to its field (a threshold that is not finite, a louder
/// level on the safe side of a milder one, a negative re-arm band, a missing account label or
/// symbol), and a threshold below zero or, for the margin ratio, above 100 % (liquidation). Whatever
/// else AlertRule::problem() refuses is reported for the rule as a whole. readAlertSettings refuses
/// a rule with the first of these; the rules dialog shows each on its cell.
std::vector<AlertRuleProblem> checkAlertRule(const AlertRule& rule);

/// The rules, as the trader is asked to think of them. All of a position's rules combine into one
/// alert at the worst level they reach (one voice per position); the groups say how each counts.
enum class AlertRuleGroup {
    Thresholds, ///< distance, margin ratio: the trader's own thresholds, obeyed exactly
    Forecasts,  ///< σ distance, time to liquidation, velocity: bring the next level forward, never skip one
    Data,       ///< stale marks: the figures can no longer be trusted
};
AlertRuleGroup alertRuleGroup(AlertRuleKind kind);

/// The fields of one account's automatic deleveraging, as the rules dialog shows them.
enum class DeleverageField { Account, Enabled, DryRun, TargetDistance, TargetMarginRatio, TriggerLevel, Countdown,
                             MaxPerHour, MaxPerDay, MaxFractionPerOrder, PlanningHeadroom, DataAges };
/// As the file names them: "account", "enabled", "dryRun", "targetDistancePct", "targetMarginRatioPct",
/// "triggerLevel", "countdownSeconds", "maxOrdersPerHour", "maxOrdersPerDay", "maxFractionPerOrder",
/// "planningHeadroom"; DataAges has no name of its own in the file ("").
std::string_view deleverageFieldName(DeleverageField field);

/// One thing wrong with one account's deleveraging: the field at fault (none: the entry as a whole).
struct DeleverageProblem {
    std::optional<DeleverageField> field;
    std::string reason;

    bool operator==(const DeleverageProblem&) const = default;
};

/// Everything wrong with each entry of the deleveraging list (the result has one list per entry):
/// an empty label, a label an earlier entry already set, the entry's own settings
/// (AccountDeleverageSettings::problem with a screen, so a zero countdown is refused), each pinned to
/// its field, and the limits of the file (countdown 0 … 600 s, caps whole 0 … 1000).
std::vector<std::vector<DeleverageProblem>> checkDeleverageList(const std::vector<AccountAutomation>& list);

/// Reads {"rules": [...], "cooldownSeconds": …, "escalateAfterSeconds": …, "sound": …, "volume": …,
/// "webhookUrl": …} (`//` comments allowed; every field optional, missing ones keep their default,
/// "rules" replaces the default rules as a whole). Each rule: {"kind": "distance" | "margin-ratio" |
/// "sigma" | "time" | "velocity" | "stale", "scope": "all" | "account" | "position", "account",
/// "symbol", "enabled", "warning", "critical", "emergency", "rearm"}. Unknown names, wrong types,
/// "deleverage": [{"account": label, "enabled", "dryRun", "targetDistancePct" | "targetMarginRatioPct",
/// "triggerLevel": "warning" | "critical" | "emergency", "countdownSeconds", "maxOrdersPerHour",
/// "maxOrdersPerDay", "maxFractionPerOrder", "planningHeadroom"}] — missing fields keep the safe
/// defaults (off, dry run). "escalateAfterSeconds": 0 means never (escalation is opt-in).
/// Unknown names, wrong types, the problems checkAlertRule and checkDeleverageList find, and bad URLs
/// are refused: the first problem is thrown as a ConfigError naming the field ("rules[2].critical",
/// "deleverage[1].countdownSeconds").
AlertSettings readAlertSettings(std::string_view jsonText);

/// The settings as the file's text (indented JSON, fields in a fixed order); reads back equal.
std::string writeAlertSettings(const AlertSettings& settings);

} // namespace mm
