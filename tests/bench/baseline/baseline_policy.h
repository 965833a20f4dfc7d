#pragma once
// The rules the pre-issue-15 engine (BaselineAlertEngine) ran with, kept beside it only for the
// alert-quality benchmark. Its defaults and timings are copied from git
// (`git show 2992b24:core/alerts/alert_rules.cpp`, defaultAlertPolicy, and alert_rules.h): the
// engine is measured as a trader ran it then, not under today's timings, which it was not made for.
#include "alerts/alert_rules.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <string_view>

namespace mm::bench {

/// What the old defaultAlertPolicy() returned.
inline AlertPolicy baselineDefaultPolicy()
{
    AlertPolicy policy;
    const auto rule = [](AlertRuleKind kind, std::optional<double> warning, std::optional<double> critical,
                         std::optional<double> emergency, double rearm) {
        AlertRule made;
        made.kind = kind;
        made.warning = warning;
        made.critical = critical;
        made.emergency = emergency;
        made.rearm = rearm;
        return made;
    };
    policy.rules = {
        rule(AlertRuleKind::Distance, 10.0, 5.0, 2.0, 1.0),
        rule(AlertRuleKind::MarginRatio, 70.0, 85.0, 95.0, 5.0),
        rule(AlertRuleKind::SigmaDistance, 3.0, 2.0, 1.0, 0.5),
        rule(AlertRuleKind::TimeToLiquidation, 600.0, 180.0, 60.0, 60.0),
        rule(AlertRuleKind::Velocity, 2.0, 5.0, std::nullopt, 0.5),
        rule(AlertRuleKind::Stale, 0.0, 30.0, std::nullopt, 0.0),
    };
    policy.cooldown = std::chrono::seconds(60);
    policy.escalateAfter = std::chrono::seconds(60);
    policy.volatilityWindow = std::chrono::seconds(900);
    policy.driftWindow = std::chrono::seconds(60);
    return policy;
}

/// A rules file (alerts.json) as the old engine would have run it: its rules, cooldown and escalation
/// where the file sets them, else the old defaults. Today "escalateAfterSeconds": 0 means
/// "never"; the old engine had no such setting and would escalate at once, so 0 becomes a year.
inline AlertPolicy baselinePolicyFrom(const AlertPolicy& read, std::string_view rulesFileText)
{
    AlertPolicy policy = baselineDefaultPolicy();
    const auto document = nlohmann::json::parse(rulesFileText, nullptr, false, true);
    if (document.is_object() && document.contains("rules")) {
        policy.rules = read.rules;
    }
    if (document.is_object() && document.contains("cooldownSeconds")) {
        policy.cooldown = read.cooldown;
    }
    if (document.is_object() && document.contains("escalateAfterSeconds")) {
        policy.escalateAfter = read.escalateAfter.count() > 0 ? read.escalateAfter : std::chrono::hours(24 * 365);
    }
    return policy;
}

} // namespace mm::bench
