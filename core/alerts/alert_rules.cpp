#include "alerts/alert_rules.h"

#include <array>
#include <cmath>
#include <utility>

namespace mm {
namespace {

constexpr std::array kScopes{
    std::pair{AlertScope::All, std::string_view("all")},
    std::pair{AlertScope::Account, std::string_view("account")},
    std::pair{AlertScope::Position, std::string_view("position")},
};

constexpr std::array kLevelsWorstFirst{AlertLevel::Emergency, AlertLevel::Critical, AlertLevel::Warning};

int specificity(AlertScope scope)
{
    switch (scope) {
    case AlertScope::All: return 0;
    case AlertScope::Account: return 1;
    case AlertScope::Position: return 2;
    }
    return 0;
}

} // namespace

std::string_view alertScopeName(AlertScope scope)
{
    for (const auto& [candidate, name] : kScopes) {
        if (candidate == scope) {
            return name;
        }
    }
    return "all";
}

std::optional<AlertScope> alertScopeFromName(std::string_view name)
{
    for (const auto& [scope, candidate] : kScopes) {
        if (candidate == name) {
            return scope;
        }
    }
    return std::nullopt;
}

AlertDirection alertDirection(AlertRuleKind kind)
{
    switch (kind) {
    case AlertRuleKind::Distance:
    case AlertRuleKind::SigmaDistance:
    case AlertRuleKind::TimeToLiquidation: return AlertDirection::Below;
    case AlertRuleKind::MarginRatio:
    case AlertRuleKind::Velocity:
    case AlertRuleKind::Stale: return AlertDirection::Above;
    }
    return AlertDirection::Below;
}

std::string_view alertUnit(AlertRuleKind kind)
{
    switch (kind) {
    case AlertRuleKind::Distance:
    case AlertRuleKind::MarginRatio: return "%";
    case AlertRuleKind::SigmaDistance: return "σ";
    case AlertRuleKind::TimeToLiquidation:
    case AlertRuleKind::Stale: return "s";
    case AlertRuleKind::Velocity: return "%/min";
    }
    return "";
}

std::optional<double> AlertRule::threshold(AlertLevel level) const
{
    switch (level) {
    case AlertLevel::Warning: return warning;
    case AlertLevel::Critical: return critical;
    case AlertLevel::Emergency: return emergency;
    }
    return std::nullopt;
}

std::optional<AlertLevel> AlertRule::levelAt(double value) const
{
    if (std::isnan(value)) {
        return std::nullopt;
    }
    const bool below = alertDirection(kind) == AlertDirection::Below;
    for (const AlertLevel level : kLevelsWorstFirst) {
        const auto limit = threshold(level);
        if (limit && (below ? value < *limit : value >= *limit)) {
            return level;
        }
    }
    return std::nullopt;
}

bool AlertRule::recoveredFrom(AlertLevel level, double value) const
{
    // A level without a threshold of its own is left with the next milder one that has one.
    std::optional<double> limit = threshold(level);
    for (int milder = static_cast<int>(level) - 1; !limit && milder >= static_cast<int>(AlertLevel::Warning); --milder) {
        limit = threshold(static_cast<AlertLevel>(milder));
    }
    if (!limit) {
        return true;
    }
    return alertDirection(kind) == AlertDirection::Below ? value >= *limit + rearm : value < *limit - rearm;
}

bool AlertRule::appliesTo(std::string_view accountLabel, std::string_view symbolName) const
{
    switch (scope) {
    case AlertScope::All: return true;
    case AlertScope::Account: return account == accountLabel;
    case AlertScope::Position: return account == accountLabel && symbol == symbolName;
    }
    return false;
}

std::string AlertRule::problem() const
{
    if (!warning && !critical && !emergency) {
        return "no threshold: give at least one of warning, critical, emergency";
    }
    for (const auto limit : {warning, critical, emergency}) {
        if (limit && !std::isfinite(*limit)) {
            return "a threshold is not a finite number";
        }
    }
    if (!std::isfinite(rearm) || rearm < 0) {
        return "the re-arm band must be zero or more";
    }
    if (scope != AlertScope::All && account.empty()) {
        return "an account or position rule needs the account's label";
    }
    if (scope == AlertScope::Position && symbol.empty()) {
        return "a position rule needs the symbol";
    }
    // Each louder level must be further on the dangerous side than the milder ones.
    const bool below = alertDirection(kind) == AlertDirection::Below;
    std::optional<double> milder;
    for (const auto limit : {warning, critical, emergency}) {
        if (!limit) {
            continue;
        }
        if (milder && (below ? *limit > *milder : *limit < *milder)) {
            return below ? "a louder level's threshold must not be above a milder one's"
                         : "a louder level's threshold must not be below a milder one's";
        }
        milder = limit;
    }
    return {};
}

const AlertRule* AlertPolicy::ruleFor(AlertRuleKind kind, std::string_view accountLabel, std::string_view symbol) const
{
    const AlertRule* best = nullptr;
    for (const AlertRule& rule : rules) {
        if (rule.kind != kind || !rule.enabled || !rule.appliesTo(accountLabel, symbol) || !rule.problem().empty()) {
            continue;
        }
        if (!best || specificity(rule.scope) >= specificity(best->scope)) {
            best = &rule; // among equals, the later rule wins: the trader's addition over the default
        }
    }
    return best;
}

std::vector<std::string> AlertPolicy::problems() const
{
    std::vector<std::string> found;
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const std::string problem = rules[i].problem();
        if (!problem.empty()) {
            found.push_back("rule " + std::to_string(i + 1) + " (" + std::string(alertRuleKindName(rules[i].kind)) + ", " +
                            std::string(alertScopeName(rules[i].scope)) + "): " + problem);
        }
    }
    return found;
}

bool isForecast(AlertRuleKind kind)
{
    switch (kind) {
    case AlertRuleKind::SigmaDistance:
    case AlertRuleKind::TimeToLiquidation:
    case AlertRuleKind::Velocity: return true;
    case AlertRuleKind::Distance:
    case AlertRuleKind::MarginRatio:
    case AlertRuleKind::Stale: return false;
    }
    return false;
}

AlertPolicy defaultAlertPolicy()
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
    // σ of an hour's noise cannot tell the positions a crash threatens from those it does not: on
    // recorded crashes it gave every unjustified emergency and critical (core/alerts/README.md). It is
    // there for a trader who wants it, off until switched on.
    policy.rules[2].enabled = false;
    return policy;
}

} // namespace mm
