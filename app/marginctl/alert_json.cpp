#include "alert_json.h"

#include <chrono>
#include <cmath>

namespace marginctl {

using json = nlohmann::ordered_json;

json roundedJson(const std::optional<double>& value, int places)
{
    if (!value || !std::isfinite(*value)) {
        return nullptr;
    }
    const double scale = std::pow(10.0, places);
    return std::round(*value * scale) / scale;
}

json alertJson(const mm::AlertEvent& alert)
{
    // The measures behind the alert, worst first.
    json reasons = json::array();
    for (const mm::AlertReason& reason : alert.reasons) {
        reasons.push_back({{"rule", mm::alertRuleKindName(reason.rule)},
                           {"level", mm::alertLevelName(reason.level)},
                           {"value", roundedJson(reason.value, 4)},
                           {"threshold", roundedJson(reason.threshold, 4)},
                           {"text", reason.text}});
    }
    return {
        {"type", "alert"},
        {"change", mm::alertChangeName(alert.change)},
        {"level", mm::alertLevelName(alert.level)},
        {"rule", mm::alertRuleKindName(alert.rule)},
        {"episode", alert.episode},
        {"venue", mm::venueName(alert.subject.venue)},
        {"account", alert.subject.accountLabel},
        {"symbol", alert.subject.symbol},
        {"side", alert.subject.side ? json(*alert.subject.side == mm::Side::Long ? "long" : "short") : json()},
        {"value", roundedJson(alert.value, 4)},
        {"threshold", roundedJson(alert.threshold, 4)},
        {"markPrice", roundedJson(alert.markPrice, 8)},
        {"liquidationPrice", roundedJson(alert.liquidationPrice, 8)},
        {"distanceToLiquidationPct", roundedJson(alert.distancePct, 4)},
        {"message", alert.message},
        {"reasons", std::move(reasons)},
        {"sounds", alert.sounds()},
        {"wallTimeMs", alert.wallTimeMs},
        {"decisionMicros", std::chrono::duration<double, std::micro>(alert.decidedAt - alert.tickReceivedAt).count()}};
}

} // namespace marginctl
