#pragma once

#include <QColor>
#include <QString>

#include <optional>

namespace mm {
struct PositionRisk;
enum class FeedState;
} // namespace mm

namespace mm::ui {

/// How near a row is to liquidation, from "nothing can be said" to "liquidation is due now". Ordered:
/// a higher level is a worse one, so levels compare with < and std::max.
enum class RiskLevel { Unknown, Safe, Caution, Warning, Danger, Due };

/// Where the levels begin, as the distance to liquidation in % of the mark price. The one place these
/// numbers live: the alerts issue makes them configurable and passes its own.
struct RiskThresholds {
    double dangerBelowPct = 5.0;
    double warningBelowPct = 10.0;
    double cautionBelowPct = 20.0;
};

/// The distance (in % of the mark) that fills the distance bar: the bar is empty at liquidation and
/// full from here on, linear in between (the levels' thresholds then sit at 10, 20 and 40 % of it).
inline constexpr double kDistanceBarFullScalePct = 50.0;

/// A position's level: Due when its liquidation is due; else by its distance to liquidation (no
/// liquidation price: Safe; a distance that is not a number: Unknown); a stale feed raises the level
/// to at least Caution, because the figures may no longer be true.
RiskLevel riskLevel(const PositionRisk& risk, FeedState feed, const RiskThresholds& thresholds = {});

/// The distance bar's fill, 0..1 (see kDistanceBarFullScalePct); no liquidation price fills it.
double distanceFraction(const std::optional<double>& distanceToLiquidationPct);

/// The level's colour for text and bars on a dark background (at least 4.5 : 1 contrast on #1e1e1e).
QColor riskColour(RiskLevel level);

/// "Safe", "Caution", …, for tooltips and the legend.
QString riskLevelName(RiskLevel level);

} // namespace mm::ui
