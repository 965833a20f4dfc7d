#include "config/alert_settings.h"

#include "config/accounts_config.h"
#include "money/exact_json.h"
#include "net/ws_url.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <utility>

namespace mm {
namespace {

using json = nlohmann::ordered_json;

std::string typeName(const json& value)
{
    if (value.is_null()) {
        return "null";
    }
    if (value.is_boolean()) {
        return "true or false";
    }
    if (value.is_number()) {
        return "a number";
    }
    if (value.is_string()) {
        return "text";
    }
    if (value.is_array()) {
        return "an array";
    }
    return "an object";
}

void refuseUnknown(const json& object, const std::set<std::string>& known, const std::string& where)
{
    for (const auto& [key, value] : object.items()) {
        if (!known.contains(key)) {
            throw ConfigError(where.empty() ? key : where + "." + key, "is not a known setting");
        }
    }
}

double number(const json& value, const std::string& field)
{
    if (!value.is_number()) {
        throw ConfigError(field, "is " + typeName(value) + ", not a number");
    }
    const double read = value.get<double>();
    if (!std::isfinite(read)) {
        throw ConfigError(field, "is not a finite number");
    }
    return read;
}

bool boolean(const json& value, const std::string& field)
{
    if (!value.is_boolean()) {
        throw ConfigError(field, "is " + typeName(value) + ", not true or false");
    }
    return value.get<bool>();
}

std::string text(const json& value, const std::string& field)
{
    if (!value.is_string()) {
        throw ConfigError(field, "is " + typeName(value) + ", not text");
    }
    return value.get<std::string>();
}

std::chrono::seconds seconds(const json& value, const std::string& field, double most)
{
    const double read = number(value, field);
    if (read < 0 || read > most) {
        throw ConfigError(field, "must be between 0 and " + std::to_string(static_cast<long long>(most)) + " seconds");
    }
    return std::chrono::seconds(static_cast<long long>(std::llround(read)));
}

constexpr int kMaxCountdownSeconds = alert_settings_limits::kCountdownSeconds;
constexpr int kMaxOrderCap = alert_settings_limits::kOrderCap;

/// "rules[2].critical" for a field, "rules[2]" for the rule as a whole.
std::string ruleFieldPath(const std::string& where, const std::optional<AlertRuleField>& field)
{
    return field ? where + "." + std::string(alertRuleFieldName(*field)) : where;
}

std::string deleverageFieldPath(const std::string& where, const std::optional<DeleverageField>& field)
{
    const std::string_view name = field ? deleverageFieldName(*field) : std::string_view();
    return name.empty() ? where : where + "." + std::string(name);
}

AlertRule readRule(const json& entry, const std::string& where)
{
    if (!entry.is_object()) {
        throw ConfigError(where, "is " + typeName(entry) + ", not an object");
    }
    refuseUnknown(entry, {"kind", "scope", "account", "symbol", "enabled", "warning", "critical", "emergency", "rearm"}, where);
    AlertRule rule;
    const auto kind = entry.find("kind");
    if (kind == entry.end()) {
        throw ConfigError(where + ".kind", "is required");
    }
    const std::string kindName = text(*kind, where + ".kind");
    const auto parsedKind = alertRuleKindFromName(kindName);
    if (!parsedKind) {
        throw ConfigError(where + ".kind", "\"" + kindName + "\" is not distance, margin-ratio, sigma, time, velocity or stale");
    }
    rule.kind = *parsedKind;
    if (const auto scope = entry.find("scope"); scope != entry.end()) {
        const std::string name = text(*scope, where + ".scope");
        const auto parsed = alertScopeFromName(name);
        if (!parsed) {
            throw ConfigError(where + ".scope", "\"" + name + "\" is not all, account or position");
        }
        rule.scope = *parsed;
    }
    if (const auto account = entry.find("account"); account != entry.end()) {
        rule.account = text(*account, where + ".account");
    }
    if (const auto symbol = entry.find("symbol"); symbol != entry.end()) {
        rule.symbol = text(*symbol, where + ".symbol");
    }
    if (const auto enabled = entry.find("enabled"); enabled != entry.end()) {
        rule.enabled = boolean(*enabled, where + ".enabled");
    }
    for (const auto& [name, level] : {std::pair{"warning", &rule.warning}, std::pair{"critical", &rule.critical},
                                      std::pair{"emergency", &rule.emergency}}) {
        if (const auto found = entry.find(name); found != entry.end() && !found->is_null()) {
            *level = number(*found, where + "." + name);
        }
    }
    if (const auto rearm = entry.find("rearm"); rearm != entry.end()) {
        rule.rearm = number(*rearm, where + ".rearm");
    }
    if (const std::vector<AlertRuleProblem> problems = checkAlertRule(rule); !problems.empty()) {
        throw ConfigError(ruleFieldPath(where, problems.front().field), problems.front().reason);
    }
    return rule;
}

std::string checkWebhookUrl(const std::string& url)
{
    if (url.empty()) {
        return {};
    }
    // The scheme and host as any REST address (https, or http to loopback only); then any path.
    const auto scheme = url.find("://");
    const auto pathStart = scheme == std::string::npos ? std::string::npos : url.find('/', scheme + 3);
    std::string problem;
    if (!HttpUrl::parse(url.substr(0, pathStart), problem)) {
        return problem;
    }
    return {};
}

json optionalNumber(const std::optional<double>& value)
{
    return value ? json(*value) : json(nullptr);
}

AccountAutomation readAutomation(const json& entry, const std::string& where)
{
    if (!entry.is_object()) {
        throw ConfigError(where, "is " + typeName(entry) + ", not an object");
    }
    refuseUnknown(entry, {"account", "enabled", "dryRun", "targetDistancePct", "targetMarginRatioPct", "triggerLevel",
                          "countdownSeconds", "maxOrdersPerHour", "maxOrdersPerDay", "maxFractionPerOrder", "planningHeadroom"},
                  where);
    AccountAutomation automation;
    const auto account = entry.find("account");
    if (account == entry.end()) {
        throw ConfigError(where + ".account", "is required");
    }
    automation.accountLabel = text(*account, where + ".account");
    AccountDeleverageSettings& settings = automation.settings;
    if (const auto found = entry.find("enabled"); found != entry.end()) {
        settings.enabled = boolean(*found, where + ".enabled");
    }
    if (const auto found = entry.find("dryRun"); found != entry.end()) {
        settings.dryRun = boolean(*found, where + ".dryRun");
    }
    const auto distance = entry.find("targetDistancePct");
    const auto ratio = entry.find("targetMarginRatioPct");
    if (distance != entry.end() && ratio != entry.end()) {
        throw ConfigError(where + ".targetMarginRatioPct", "give one target: a distance or a margin ratio, not both");
    }
    if (distance != entry.end()) {
        settings.target = DeleverageTarget::distancePct(number(*distance, where + ".targetDistancePct"));
    } else if (ratio != entry.end()) {
        settings.target = DeleverageTarget::marginRatio(number(*ratio, where + ".targetMarginRatioPct") / 100.0);
    }
    if (const auto found = entry.find("triggerLevel"); found != entry.end()) {
        const std::string name = text(*found, where + ".triggerLevel");
        const auto level = alertLevelFromName(name);
        if (!level) {
            throw ConfigError(where + ".triggerLevel", "\"" + name + "\" is not warning, critical or emergency");
        }
        settings.triggerLevel = *level;
    }
    if (const auto found = entry.find("countdownSeconds"); found != entry.end()) {
        settings.countdown = seconds(*found, where + ".countdownSeconds", kMaxCountdownSeconds);
    }
    const auto count = [&](const char* name, int& into) {
        if (const auto found = entry.find(name); found != entry.end()) {
            const double read = number(*found, where + "." + name);
            if (read < 0 || read > kMaxOrderCap || read != std::floor(read)) {
                throw ConfigError(where + "." + name, "must be a whole number from 0 to 1000");
            }
            into = static_cast<int>(read);
        }
    };
    count("maxOrdersPerHour", settings.maxOrdersPerPositionPerHour);
    count("maxOrdersPerDay", settings.maxOrdersPerPositionPerDay);
    if (const auto found = entry.find("maxFractionPerOrder"); found != entry.end() && !found->is_null()) {
        settings.maxFractionPerOrder = number(*found, where + ".maxFractionPerOrder");
    }
    if (const auto found = entry.find("planningHeadroom"); found != entry.end()) {
        settings.planningHeadroom = number(*found, where + ".planningHeadroom");
    }
    return automation;
}

} // namespace

std::string_view alertRuleFieldName(AlertRuleField field)
{
    switch (field) {
    case AlertRuleField::Kind: return "kind";
    case AlertRuleField::Scope: return "scope";
    case AlertRuleField::Account: return "account";
    case AlertRuleField::Symbol: return "symbol";
    case AlertRuleField::Enabled: return "enabled";
    case AlertRuleField::Warning: return "warning";
    case AlertRuleField::Critical: return "critical";
    case AlertRuleField::Emergency: return "emergency";
    case AlertRuleField::Rearm: return "rearm";
    }
    return "";
}

std::vector<AlertRuleProblem> checkAlertRule(const AlertRule& rule)
{
    std::vector<AlertRuleProblem> found;
    const auto refuse = [&found](std::optional<AlertRuleField> field, std::string reason) {
        for (const AlertRuleProblem& each : found) {
            if (each.field == field) {
                return; // one problem per field: the first
            }
        }
        found.push_back({field, std::move(reason)});
    };
    if (!rule.warning && !rule.critical && !rule.emergency) {
        refuse(std::nullopt, "no threshold: give at least one of warning, critical, emergency");
    }
    if (rule.scope != AlertScope::All && rule.account.empty()) {
        refuse(AlertRuleField::Account, "an account or position rule needs the account's label");
    }
    if (rule.scope == AlertScope::Position && rule.symbol.empty()) {
        refuse(AlertRuleField::Symbol, "a position rule needs the symbol");
    }
    // Each louder level further on the dangerous side than the milder ones (AlertRule::problem's
    // rule); the louder of the two is the one at fault.
    const bool below = alertDirection(rule.kind) == AlertDirection::Below;
    std::optional<double> milder;
    const std::array<std::pair<AlertRuleField, std::optional<double>>, 3> levels{{{AlertRuleField::Warning, rule.warning},
                                                                                  {AlertRuleField::Critical, rule.critical},
                                                                                  {AlertRuleField::Emergency, rule.emergency}}};
    for (const auto& [field, limit] : levels) {
        if (!limit) {
            continue;
        }
        if (!std::isfinite(*limit)) {
            refuse(field, "is not a finite number");
            continue;
        }
        if (*limit < 0) {
            refuse(field, "must be zero or more");
            continue;
        }
        if (rule.kind == AlertRuleKind::MarginRatio && *limit > 100) {
            refuse(field, "a margin ratio above 100 % is past liquidation: give 100 or less");
            continue;
        }
        if (milder && (below ? *limit > *milder : *limit < *milder)) {
            refuse(field, below ? "a louder level's threshold must not be above a milder one's"
                                : "a louder level's threshold must not be below a milder one's");
            continue;
        }
        milder = limit;
    }
    if (!std::isfinite(rule.rearm) || rule.rearm < 0) {
        refuse(AlertRuleField::Rearm, "the re-arm band must be zero or more");
    }
    // Whatever else the engine's own check refuses, for the rule as a whole.
    if (const std::string problem = rule.problem(); !problem.empty() && found.empty()) {
        refuse(std::nullopt, problem);
    }
    std::stable_sort(found.begin(), found.end(), [](const AlertRuleProblem& a, const AlertRuleProblem& b) {
        const auto order = [](const std::optional<AlertRuleField>& field) { return field ? static_cast<int>(*field) : -1; };
        return order(a.field) < order(b.field);
    });
    return found;
}

AlertRuleGroup alertRuleGroup(AlertRuleKind kind)
{
    switch (kind) {
    case AlertRuleKind::Distance:
    case AlertRuleKind::MarginRatio: return AlertRuleGroup::Thresholds;
    case AlertRuleKind::SigmaDistance:
    case AlertRuleKind::TimeToLiquidation:
    case AlertRuleKind::Velocity: return AlertRuleGroup::Forecasts;
    case AlertRuleKind::Stale: return AlertRuleGroup::Data;
    }
    return AlertRuleGroup::Thresholds;
}

std::string_view deleverageFieldName(DeleverageField field)
{
    switch (field) {
    case DeleverageField::Account: return "account";
    case DeleverageField::Enabled: return "enabled";
    case DeleverageField::DryRun: return "dryRun";
    case DeleverageField::TargetDistance: return "targetDistancePct";
    case DeleverageField::TargetMarginRatio: return "targetMarginRatioPct";
    case DeleverageField::TriggerLevel: return "triggerLevel";
    case DeleverageField::Countdown: return "countdownSeconds";
    case DeleverageField::MaxPerHour: return "maxOrdersPerHour";
    case DeleverageField::MaxPerDay: return "maxOrdersPerDay";
    case DeleverageField::MaxFractionPerOrder: return "maxFractionPerOrder";
    case DeleverageField::PlanningHeadroom: return "planningHeadroom";
    case DeleverageField::DataAges: return "";
    }
    return "";
}

std::vector<std::vector<DeleverageProblem>> checkDeleverageList(const std::vector<AccountAutomation>& list)
{
    std::vector<std::vector<DeleverageProblem>> all(list.size());
    for (std::size_t row = 0; row < list.size(); ++row) {
        std::vector<DeleverageProblem>& found = all[row];
        const auto refuse = [&found](std::optional<DeleverageField> field, std::string reason) {
            for (const DeleverageProblem& each : found) {
                if (each.field == field) {
                    return;
                }
            }
            found.push_back({field, std::move(reason)});
        };
        const AccountAutomation& automation = list[row];
        const AccountDeleverageSettings& settings = automation.settings;
        if (automation.accountLabel.empty()) {
            refuse(DeleverageField::Account, "give the account's label as in Settings → Exchanges");
        }
        for (std::size_t earlier = 0; earlier < row && !automation.accountLabel.empty(); ++earlier) {
            if (list[earlier].accountLabel == automation.accountLabel) {
                refuse(DeleverageField::Account, "\"" + automation.accountLabel + "\" is set by an earlier entry (" +
                                                     std::to_string(earlier + 1) + "): one entry per account");
                break;
            }
        }
        // The settings' own check (with a screen: a zero countdown is refused), one field at a time on
        // otherwise default (usable) settings, so each refusal is pinned to its field.
        const auto probe = [&](DeleverageField field, auto&& set) {
            AccountDeleverageSettings one;
            set(one);
            if (const auto problem = one.problem(/*headless=*/false)) {
                refuse(field, *problem);
            }
        };
        probe(settings.target.kind == DeleverageTarget::Kind::Distance ? DeleverageField::TargetDistance
                                                                       : DeleverageField::TargetMarginRatio,
              [&](AccountDeleverageSettings& one) { one.target = settings.target; });
        probe(DeleverageField::Countdown, [&](AccountDeleverageSettings& one) { one.countdown = settings.countdown; });
        probe(DeleverageField::MaxPerHour,
              [&](AccountDeleverageSettings& one) { one.maxOrdersPerPositionPerHour = settings.maxOrdersPerPositionPerHour; });
        probe(DeleverageField::MaxPerDay,
              [&](AccountDeleverageSettings& one) { one.maxOrdersPerPositionPerDay = settings.maxOrdersPerPositionPerDay; });
        probe(DeleverageField::MaxFractionPerOrder,
              [&](AccountDeleverageSettings& one) { one.maxFractionPerOrder = settings.maxFractionPerOrder; });
        probe(DeleverageField::PlanningHeadroom, [&](AccountDeleverageSettings& one) { one.planningHeadroom = settings.planningHeadroom; });
        probe(DeleverageField::DataAges, [&](AccountDeleverageSettings& one) {
            one.maxMarkAge = settings.maxMarkAge;
            one.maxAccountReadAge = settings.maxAccountReadAge;
        });
        // The file's limits.
        if (settings.countdown.count() > kMaxCountdownSeconds) {
            refuse(DeleverageField::Countdown, "must be between 0 and " + std::to_string(kMaxCountdownSeconds) + " seconds");
        }
        for (const auto& [field, cap] : {std::pair{DeleverageField::MaxPerHour, settings.maxOrdersPerPositionPerHour},
                                         std::pair{DeleverageField::MaxPerDay, settings.maxOrdersPerPositionPerDay}}) {
            if (cap < 0 || cap > kMaxOrderCap) {
                refuse(field, "must be a whole number from 0 to " + std::to_string(kMaxOrderCap));
            }
        }
        if (const auto problem = settings.problem(false); problem && found.empty()) {
            refuse(std::nullopt, *problem); // whatever else the settings refuse, for the entry as a whole
        }
        std::stable_sort(found.begin(), found.end(), [](const DeleverageProblem& a, const DeleverageProblem& b) {
            const auto order = [](const std::optional<DeleverageField>& field) { return field ? static_cast<int>(*field) : -1; };
            return order(a.field) < order(b.field);
        });
    }
    return all;
}

AlertSettings readAlertSettings(std::string_view jsonText)
{
    json document;
    try {
        // Nesting stops at kMaxJsonDepth, as every other reader's does: 50 MB of '[' is refused at
        // its 129th byte, not parsed for 20 s into gigabytes.
        const json::parser_callback_t depthLimit = [](int depth, json::parse_event_t event, json&) {
            if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) &&
                depth >= static_cast<int>(kMaxJsonDepth)) {
                throw ConfigError("", "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
            }
            return true;
        };
        document = json::parse(jsonText, depthLimit, true, /*ignore_comments=*/true);
    } catch (const json::exception& error) { // parse_error, and out_of_range for a number beyond a double
        std::string message = error.what();
        if (const auto tag = message.find("] "); message.rfind("[json.exception", 0) == 0 && tag != std::string::npos) {
            message = message.substr(tag + 2);
        }
        throw ConfigError("", message);
    }
    if (!document.is_object()) {
        throw ConfigError("", "the alerts configuration is " + typeName(document) + ", not an object");
    }
    refuseUnknown(document, {"rules", "cooldownSeconds", "escalateAfterSeconds", "sound", "volume", "webhookUrl", "deleverage"}, "");
    AlertSettings settings;
    if (const auto rules = document.find("rules"); rules != document.end()) {
        if (!rules->is_array()) {
            throw ConfigError("rules", "is " + typeName(*rules) + ", not an array");
        }
        settings.policy.rules.clear();
        for (std::size_t i = 0; i < rules->size(); ++i) {
            settings.policy.rules.push_back(readRule((*rules)[i], "rules[" + std::to_string(i) + "]"));
        }
    }
    if (const auto found = document.find("cooldownSeconds"); found != document.end()) {
        settings.policy.cooldown = seconds(*found, "cooldownSeconds", alert_settings_limits::kTimingSeconds);
    }
    if (const auto found = document.find("escalateAfterSeconds"); found != document.end()) {
        settings.policy.escalateAfter = seconds(*found, "escalateAfterSeconds", alert_settings_limits::kTimingSeconds);
    }
    if (const auto found = document.find("sound"); found != document.end()) {
        settings.sound = boolean(*found, "sound");
    }
    if (const auto found = document.find("volume"); found != document.end()) {
        settings.volume = number(*found, "volume");
        if (settings.volume < 0 || settings.volume > 1) {
            throw ConfigError("volume", "must be between 0 and 1");
        }
    }
    if (const auto found = document.find("webhookUrl"); found != document.end() && !found->is_null()) {
        settings.webhookUrl = text(*found, "webhookUrl");
        if (const std::string problem = checkWebhookUrl(settings.webhookUrl); !problem.empty()) {
            throw ConfigError("webhookUrl", problem);
        }
    }
    if (const auto found = document.find("deleverage"); found != document.end()) {
        if (!found->is_array()) {
            throw ConfigError("deleverage", "is " + typeName(*found) + ", not an array");
        }
        for (std::size_t i = 0; i < found->size(); ++i) {
            const std::string where = "deleverage[" + std::to_string(i) + "]";
            settings.deleverage.push_back(readAutomation((*found)[i], where));
            // The entry's own settings (the GUI's countdown: zero is refused, as for anything with a
            // screen) and a label an earlier entry set.
            if (const std::vector<DeleverageProblem> problems = checkDeleverageList(settings.deleverage).back();
                !problems.empty()) {
                throw ConfigError(deleverageFieldPath(where, problems.front().field), problems.front().reason);
            }
        }
    }
    return settings;
}

std::string writeAlertSettings(const AlertSettings& settings)
{
    json rules = json::array();
    for (const AlertRule& rule : settings.policy.rules) {
        json entry{{"kind", alertRuleKindName(rule.kind)}, {"scope", alertScopeName(rule.scope)}};
        if (rule.scope != AlertScope::All) {
            entry["account"] = rule.account;
        }
        if (rule.scope == AlertScope::Position) {
            entry["symbol"] = rule.symbol;
        }
        entry["enabled"] = rule.enabled;
        entry["warning"] = optionalNumber(rule.warning);
        entry["critical"] = optionalNumber(rule.critical);
        entry["emergency"] = optionalNumber(rule.emergency);
        entry["rearm"] = rule.rearm;
        rules.push_back(std::move(entry));
    }
    json deleverage = json::array();
    for (const AccountAutomation& automation : settings.deleverage) {
        const AccountDeleverageSettings& account = automation.settings;
        json entry{{"account", automation.accountLabel}, {"enabled", account.enabled}, {"dryRun", account.dryRun}};
        if (account.target.kind == DeleverageTarget::Kind::Distance) {
            entry["targetDistancePct"] = account.target.value;
        } else {
            entry["targetMarginRatioPct"] = account.target.value * 100.0;
        }
        entry["triggerLevel"] = alertLevelName(account.triggerLevel);
        entry["countdownSeconds"] = account.countdown.count();
        entry["maxOrdersPerHour"] = account.maxOrdersPerPositionPerHour;
        entry["maxOrdersPerDay"] = account.maxOrdersPerPositionPerDay;
        entry["maxFractionPerOrder"] = optionalNumber(account.maxFractionPerOrder);
        entry["planningHeadroom"] = account.planningHeadroom;
        deleverage.push_back(std::move(entry));
    }
    const json document{{"rules", std::move(rules)},
                        {"cooldownSeconds", settings.policy.cooldown.count()},
                        {"escalateAfterSeconds", settings.policy.escalateAfter.count()},
                        {"sound", settings.sound},
                        {"volume", settings.volume},
                        {"webhookUrl", settings.webhookUrl},
                        {"deleverage", std::move(deleverage)}};
    return document.dump(2) + "\n";
}

} // namespace mm
