#include "models/risk_level.h"

#include "engine/monitor.h"
#include "margin/risk.h"

#include <algorithm>
#include <cmath>

namespace mm::ui {

RiskLevel riskLevel(const PositionRisk& risk, FeedState feed, const RiskThresholds& thresholds)
{
    RiskLevel level = RiskLevel::Safe;
    if (risk.liquidationDue) {
        level = RiskLevel::Due;
    } else if (const auto& distance = risk.distanceToLiquidationPct; !distance) {
        level = RiskLevel::Safe; // no price liquidates it
    } else if (std::isnan(*distance) || std::isnan(risk.marginRatio)) {
        level = RiskLevel::Unknown;
    } else if (*distance < thresholds.dangerBelowPct) {
        level = RiskLevel::Danger;
    } else if (*distance < thresholds.warningBelowPct) {
        level = RiskLevel::Warning;
    } else if (*distance < thresholds.cautionBelowPct) {
        level = RiskLevel::Caution;
    }
    switch (feed) {
    case FeedState::Stale:
        return std::max(level, RiskLevel::Caution);
    case FeedState::Waiting:
    case FeedState::Fresh:
        break;
    }
    return level;
}

double distanceFraction(const std::optional<double>& distanceToLiquidationPct)
{
    if (!distanceToLiquidationPct) {
        return 1.0;
    }
    if (std::isnan(*distanceToLiquidationPct)) {
        return 0.0;
    }
    return std::clamp(*distanceToLiquidationPct / kDistanceBarFullScalePct, 0.0, 1.0);
}

QColor riskColour(RiskLevel level)
{
    // Material-style tones light enough for text on a dark theme's base (#1e1e1e … #2b2b2b).
    switch (level) {
    case RiskLevel::Unknown:
        return QColor(0x9e, 0x9e, 0x9e); // grey: nothing to say
    case RiskLevel::Safe:
        return QColor(0x81, 0xc7, 0x84); // green
    case RiskLevel::Caution:
        return QColor(0xff, 0xf1, 0x76); // yellow
    case RiskLevel::Warning:
        return QColor(0xff, 0xb7, 0x4d); // orange
    case RiskLevel::Danger:
        return QColor(0xff, 0x52, 0x52); // red
    case RiskLevel::Due:
        return QColor(0xff, 0x40, 0xff); // magenta: past red, unlike anything else on screen
    }
    return QColor(0x9e, 0x9e, 0x9e);
}

QString riskLevelName(RiskLevel level)
{
    switch (level) {
    case RiskLevel::Unknown:
        return QStringLiteral("Unknown");
    case RiskLevel::Safe:
        return QStringLiteral("Safe");
    case RiskLevel::Caution:
        return QStringLiteral("Caution");
    case RiskLevel::Warning:
        return QStringLiteral("Warning");
    case RiskLevel::Danger:
        return QStringLiteral("Danger");
    case RiskLevel::Due:
        return QStringLiteral("Liquidation due");
    }
    return QStringLiteral("Unknown");
}

} // namespace mm::ui
