#include "alerts/alert_event.h"

#include <array>
#include <utility>

namespace mm {
namespace {

constexpr std::array kLevels{
    std::pair{AlertLevel::Warning, std::string_view("warning")},
    std::pair{AlertLevel::Critical, std::string_view("critical")},
    std::pair{AlertLevel::Emergency, std::string_view("emergency")},
};

constexpr std::array kKinds{
    std::pair{AlertRuleKind::Distance, std::string_view("distance")},
    std::pair{AlertRuleKind::MarginRatio, std::string_view("margin-ratio")},
    std::pair{AlertRuleKind::SigmaDistance, std::string_view("sigma")},
    std::pair{AlertRuleKind::TimeToLiquidation, std::string_view("time")},
    std::pair{AlertRuleKind::Velocity, std::string_view("velocity")},
    std::pair{AlertRuleKind::Stale, std::string_view("stale")},
};

} // namespace

std::string_view alertLevelName(AlertLevel level)
{
    for (const auto& [candidate, name] : kLevels) {
        if (candidate == level) {
            return name;
        }
    }
    return "warning";
}

std::optional<AlertLevel> alertLevelFromName(std::string_view name)
{
    for (const auto& [level, candidate] : kLevels) {
        if (candidate == name) {
            return level;
        }
    }
    return std::nullopt;
}

std::string_view alertRuleKindName(AlertRuleKind kind)
{
    for (const auto& [candidate, name] : kKinds) {
        if (candidate == kind) {
            return name;
        }
    }
    return "distance";
}

std::optional<AlertRuleKind> alertRuleKindFromName(std::string_view name)
{
    for (const auto& [kind, candidate] : kKinds) {
        if (candidate == name) {
            return kind;
        }
    }
    return std::nullopt;
}

std::string_view alertChangeName(AlertChange change)
{
    switch (change) {
    case AlertChange::Raised: return "raised";
    case AlertChange::Escalated: return "escalated";
    case AlertChange::Eased: return "eased";
    case AlertChange::Acknowledged: return "acknowledged";
    case AlertChange::Snoozed: return "snoozed";
    case AlertChange::Cleared: return "cleared";
    }
    return "raised";
}

std::optional<AlertChange> alertChangeFromName(std::string_view name)
{
    for (const AlertChange change : {AlertChange::Raised, AlertChange::Escalated, AlertChange::Eased,
                                     AlertChange::Acknowledged, AlertChange::Snoozed, AlertChange::Cleared}) {
        if (alertChangeName(change) == name) {
            return change;
        }
    }
    return std::nullopt;
}

bool AlertEvent::onStaleMarks() const
{
    if (rule == AlertRuleKind::Stale) {
        return true;
    }
    for (const AlertReason& reason : reasons) {
        if (reason.rule == AlertRuleKind::Stale) {
            return true;
        }
    }
    return false;
}

} // namespace mm
