#include "models/position_cells.h"

#include "models/display_text.h"

#include <cmath>
#include <limits>

namespace mm::ui {

namespace {

using Column = PositionsModel::Column;
using RoleMask = BoardTableBase::RoleMask;
constexpr RoleMask kDisplay = BoardTableBase::kDisplay;
constexpr RoleMask kToolTip = BoardTableBase::kToolTip;
constexpr RoleMask kForeground = BoardTableBase::kForeground;
constexpr RoleMask kSort = BoardTableBase::kSort;

constexpr double kNone = std::numeric_limits<double>::infinity(); ///< sorts after every number

/// A number for SortRole: NaN sorts with "none".
double sortNumber(double value)
{
    return std::isnan(value) ? kNone : value;
}

double sortNumber(const std::optional<double>& value)
{
    return value ? sortNumber(*value) : kNone;
}

/// Equal, NaN included: a figure that stays NaN has not changed (NaN never equals itself).
bool same(double a, double b)
{
    return a == b || (std::isnan(a) && std::isnan(b));
}

bool same(const std::optional<double>& a, const std::optional<double>& b)
{
    return a.has_value() == b.has_value() && (!a || same(*a, *b));
}

/// `roles` when `changed`, else none.
RoleMask when(bool changed, RoleMask roles)
{
    return changed ? roles : 0U;
}

QString text(const std::string& value)
{
    return QString::fromStdString(value);
}

QString noLiquidationPriceTip()
{
    return QStringLiteral("No liquidation price: no price liquidates this position.");
}

bool isHedgeLeg(const PositionLine& line)
{
    return line.positionSide != PositionSide::Both;
}

bool isStale(const PositionLine& line)
{
    return line.feed == FeedState::Stale;
}

/// The age the row shows: none while waiting for the first mark, or stale without one.
std::optional<std::chrono::nanoseconds> shownAge(const PositionFigures& figures)
{
    switch (figures.line.feed) {
    case FeedState::Waiting:
        return std::nullopt;
    case FeedState::Fresh:
        return figures.age;
    case FeedState::Stale:
        return figures.hasMark ? std::optional(figures.age) : std::nullopt;
    }
    return std::nullopt;
}

QString sideText(const PositionLine& line)
{
    const QString side = line.side == Side::Long ? QStringLiteral("Long") : QStringLiteral("Short");
    return isHedgeLeg(line) ? side + QStringLiteral(" (hedge)") : side;
}

QString leverageText(const PositionLine& line)
{
    if (line.leverage) {
        return text(line.leverage->toString()) + QStringLiteral("×");
    }
    if (line.effectiveLeverage) {
        return QStringLiteral("≈%1×").arg(*line.effectiveLeverage, 0, 'f', 1);
    }
    return noValueText();
}

QString marginModeText(MarginMode mode)
{
    switch (mode) {
    case MarginMode::Cross:
        return QStringLiteral("Cross");
    case MarginMode::Isolated:
        return QStringLiteral("Isolated");
    }
    return {};
}

QString dataAgeText(const PositionFigures& figures)
{
    switch (figures.line.feed) {
    case FeedState::Waiting:
        return QStringLiteral("waiting");
    case FeedState::Fresh:
        return formatAge(figures.age);
    case FeedState::Stale:
        return figures.hasMark ? QStringLiteral("STALE %1").arg(formatAge(figures.age))
                               : QStringLiteral("STALE, no mark");
    }
    return {};
}

QString markToolTip(const PositionFigures& figures)
{
    switch (figures.line.feed) {
    case FeedState::Waiting:
        return QStringLiteral("No live mark price yet: this is the portfolio's.");
    case FeedState::Fresh:
        return {};
    case FeedState::Stale:
        return figures.hasMark ? QStringLiteral("Stale: no mark price for %1; it may no longer be true.")
                                     .arg(formatAge(figures.age))
                               : QStringLiteral("Stale: no mark price has arrived; this is the portfolio's.");
    }
    return {};
}

/// The exchange's liquidation price where it reports one, else the computed one standing in.
std::optional<double> exchangeOrComputedLiquidation(const PositionLine& line)
{
    if (line.exchangeLiquidationPrice) {
        return line.exchangeLiquidationPrice->toDouble();
    }
    return line.risk.liquidationPrice;
}

QString exchangeLiquidationText(const PositionFigures& figures)
{
    const PositionLine& line = figures.line;
    if (line.source != AccountSource::Exchange) {
        return {};
    }
    if (line.exchangeLiquidationPrice) {
        return formatPrice(*line.exchangeLiquidationPrice, figures.priceDecimals) +
               (line.liquidationDiverges ? QStringLiteral(" ≠") : QString());
    }
    return line.risk.liquidationPrice
               ? formatPrice(*line.risk.liquidationPrice, figures.priceDecimals) + QStringLiteral(" (computed)")
               : noValueText();
}

QString exchangeLiquidationToolTip(const PositionFigures& figures)
{
    const PositionLine& line = figures.line;
    if (line.source != AccountSource::Exchange) {
        return QStringLiteral("Entered by hand or from a file: the exchange reports nothing for this position.");
    }
    if (!line.exchangeLiquidationPrice) {
        return line.risk.liquidationPrice
                   ? QStringLiteral("The exchange reports no liquidation price: the computed one stands in.")
                   : QStringLiteral("Neither the exchange nor the computation gives a liquidation price.");
    }
    QString tip = QStringLiteral("The exchange's own figure, from its latest account read.");
    if (line.liquidationDiverges && line.risk.liquidationPrice) {
        tip += QStringLiteral(" It differs from the computed %1 by more than %2% of the mark: the exchange may "
                              "use other margin tiers or a different balance, or the market moved since the read.")
                   .arg(formatPrice(*line.risk.liquidationPrice, figures.priceDecimals))
                   .arg(kLiquidationDivergenceOfMark * 100.0, 0, 'g', 3);
    }
    return tip;
}

QString distanceToolTip(const PositionFigures& figures)
{
    const PositionRisk& risk = figures.line.risk;
    QString tip = risk.distanceToLiquidationPct
                      ? QStringLiteral("%1: a move of %2 in price to liquidation.")
                            .arg(riskLevelName(figures.level),
                                 formatPrice(risk.distanceToLiquidation.value_or(std::nan("")), figures.priceDecimals))
                      : noLiquidationPriceTip();
    if (isStale(figures.line)) {
        tip += QStringLiteral(" The feed is stale.");
    }
    return tip;
}

QString ownMarginRatioToolTip(const PositionLine& line)
{
    if (std::isinf(line.risk.marginRatio)) {
        return QStringLiteral("The margin balance is zero or negative: liquidation is due.");
    }
    switch (line.marginMode) {
    case MarginMode::Cross:
        return QStringLiteral("The account's cross margin ratio, shared by its cross positions; liquidation at 100%.");
    case MarginMode::Isolated:
        return QStringLiteral("This isolated position's margin ratio; liquidation at 100%.");
    }
    return {};
}

/// The monitor's ratio in words, and the exchange's own where it reports one for the position (OKX
/// mgnRatio, equity over requirement: the other way up, liquidation at 100 % from above).
QString marginRatioToolTip(const PositionLine& line)
{
    QString tip = ownMarginRatioToolTip(line);
    if (line.exchangeMarginRatio) {
        tip += QStringLiteral(" The exchange reports %1 (its own figure and direction, at its latest read).")
                   .arg(QString::fromStdString(line.exchangeMarginRatio->toString()));
    }
    return tip;
}

QString leverageToolTip(const PositionLine& line)
{
    if (line.leverage) {
        return line.effectiveLeverage
                   ? QStringLiteral("As set on the exchange; effective ≈%1×.").arg(*line.effectiveLeverage, 0, 'f', 1)
                   : QStringLiteral("As set on the exchange.");
    }
    return line.effectiveLeverage ? QStringLiteral("Effective: the notional over the margin carrying the position.")
                                  : QStringLiteral("The margin carrying this position is gone.");
}

QString dataAgeToolTip(const PositionFigures& figures)
{
    switch (figures.line.feed) {
    case FeedState::Waiting:
        return QStringLiteral("Waiting for the first mark price; the figures use the portfolio's mark.");
    case FeedState::Fresh:
        return QStringLiteral("Last mark price %1 before this update (%2 received).")
            .arg(formatAge(figures.age))
            .arg(figures.line.ticks);
    case FeedState::Stale:
        return figures.hasMark
                   ? QStringLiteral("Stale: no mark price for %1. The figures may no longer be true.")
                         .arg(formatAge(figures.age))
                   : QStringLiteral("Stale: no mark price has arrived. The figures use the portfolio's mark.");
    }
    return {};
}

/// The row's price decimals (see priceDecimals()): the previous board's while the tick size stays.
int decimalsOf(const PositionLine& line, const PositionFigures* previous)
{
    if (previous != nullptr && line.tickSize.isPositive() && line.tickSize == previous->line.tickSize) {
        return previous->priceDecimals;
    }
    return priceDecimals(line.tickSize,
                         line.markPrice.isZero() ? line.entryPrice.toDouble() : line.markPrice.toDouble());
}

/// A price cell: its text follows the price and the row's decimals, its sort value the price.
RoleMask priceRoles(const Decimal& was, const Decimal& now, bool decimalsChanged)
{
    return when(was != now, kDisplay | kSort) | when(decimalsChanged, kDisplay);
}

} // namespace

PositionFigures::PositionFigures(const PositionLine& shown, MonotonicTime takenAt, const PositionFigures* previous)
    : line(shown), level(riskLevel(shown.risk, shown.feed)), priceDecimals(decimalsOf(shown, previous)),
      age(takenAt - shown.lastTickAt), hasMark(shown.ticks > 0)
{
}

QString cellText(Column column, const PositionFigures& figures)
{
    const PositionLine& line = figures.line;
    const PositionRisk& risk = line.risk;
    switch (column) {
    case PositionsModel::Exchange:
        return venueDisplayName(line.venue);
    case PositionsModel::Account:
        return text(line.accountLabel);
    case PositionsModel::Symbol:
        return text(line.symbol);
    case PositionsModel::Side:
        return sideText(line);
    case PositionsModel::Size:
        return text(line.quantity.toString());
    case PositionsModel::Entry:
        return formatPrice(line.entryPrice, figures.priceDecimals);
    case PositionsModel::Mark:
        return formatPrice(line.markPrice, figures.priceDecimals);
    case PositionsModel::LiquidationPrice:
        return risk.liquidationPrice ? formatPrice(*risk.liquidationPrice, figures.priceDecimals) : noValueText();
    case PositionsModel::ExchangeLiquidationPrice:
        return exchangeLiquidationText(figures);
    case PositionsModel::Distance:
        return risk.distanceToLiquidationPct ? formatPercent(*risk.distanceToLiquidationPct) : noValueText();
    case PositionsModel::MarginRatio:
        return formatRatio(risk.marginRatio);
    case PositionsModel::UnrealizedPnl:
        return formatSignedMoney(risk.unrealizedPnl);
    case PositionsModel::Leverage:
        return leverageText(line);
    case PositionsModel::MarginMode:
        return marginModeText(line.marginMode);
    case PositionsModel::DataAge:
        return dataAgeText(figures);
    case PositionsModel::Count:
        break;
    }
    return {};
}

QString cellToolTip(Column column, const PositionFigures& figures)
{
    const PositionLine& line = figures.line;
    switch (column) {
    case PositionsModel::Exchange:
        return text(std::string(venueName(line.venue)));
    case PositionsModel::Side:
        return isHedgeLeg(line) ? QStringLiteral("A leg of a hedge-mode position: long and short held side by side.")
                                : QString();
    case PositionsModel::Mark:
        return markToolTip(figures);
    case PositionsModel::LiquidationPrice:
        if (!line.risk.liquidationPrice) {
            return noLiquidationPriceTip();
        }
        return line.risk.liquidationDue
                   ? QStringLiteral("Liquidation is due now: the margin ratio is at or beyond 100%.")
                   : QStringLiteral("Computed at the mark from the exchange's margin rules.");
    case PositionsModel::ExchangeLiquidationPrice:
        return exchangeLiquidationToolTip(figures);
    case PositionsModel::Distance:
        return distanceToolTip(figures);
    case PositionsModel::MarginRatio:
        return marginRatioToolTip(line);
    case PositionsModel::Leverage:
        return leverageToolTip(line);
    case PositionsModel::DataAge:
        return dataAgeToolTip(figures);
    case PositionsModel::Account:
    case PositionsModel::Symbol:
    case PositionsModel::Size:
    case PositionsModel::Entry:
    case PositionsModel::UnrealizedPnl:
    case PositionsModel::MarginMode:
    case PositionsModel::Count:
        break;
    }
    return {};
}

std::optional<double> cellSortNumber(Column column, const PositionFigures& figures)
{
    const PositionLine& line = figures.line;
    const PositionRisk& risk = line.risk;
    switch (column) {
    case PositionsModel::Exchange:
    case PositionsModel::Account:
    case PositionsModel::Symbol:
    case PositionsModel::Side:
    case PositionsModel::MarginMode:
    case PositionsModel::Count:
        return std::nullopt;
    case PositionsModel::Size:
        return line.quantity.toDouble();
    case PositionsModel::Entry:
        return line.entryPrice.toDouble();
    case PositionsModel::Mark:
        return line.markPrice.toDouble();
    case PositionsModel::LiquidationPrice:
        return sortNumber(risk.liquidationPrice);
    case PositionsModel::ExchangeLiquidationPrice:
        return sortNumber(exchangeOrComputedLiquidation(line));
    case PositionsModel::Distance:
        return sortNumber(risk.distanceToLiquidationPct);
    case PositionsModel::MarginRatio:
        return sortNumber(risk.marginRatio);
    case PositionsModel::UnrealizedPnl:
        return risk.unrealizedPnl.toDouble();
    case PositionsModel::Leverage:
        return line.leverage ? line.leverage->toDouble() : sortNumber(line.effectiveLeverage);
    case PositionsModel::DataAge: {
        const auto age = shownAge(figures);
        return age ? ageSeconds(*age) : kNone;
    }
    }
    return std::nullopt;
}

QColor cellForeground(Column column, const PositionFigures& figures)
{
    if (column == PositionsModel::Distance) {
        return riskColour(figures.level);
    }
    if (column == PositionsModel::ExchangeLiquidationPrice && figures.line.liquidationDiverges) {
        return riskColour(RiskLevel::Caution);
    }
    if (column == PositionsModel::DataAge) {
        switch (figures.line.feed) {
        case FeedState::Waiting:
            return riskColour(RiskLevel::Unknown);
        case FeedState::Fresh:
            return {};
        case FeedState::Stale:
            return riskColour(RiskLevel::Caution);
        }
    }
    return {};
}

RoleMask changedRoles(Column column, const PositionFigures& was, const PositionFigures& now)
{
    const PositionLine& a = was.line;
    const PositionLine& b = now.line;
    const bool decimals = was.priceDecimals != now.priceDecimals;
    switch (column) {
    case PositionsModel::Exchange:
        return when(a.venue != b.venue, kDisplay | kSort | kToolTip);
    case PositionsModel::Account:
        return when(a.accountLabel != b.accountLabel, kDisplay | kSort);
    case PositionsModel::Symbol:
        return when(a.symbol != b.symbol, kDisplay | kSort);
    case PositionsModel::Side:
        return when(a.side != b.side || a.positionSide != b.positionSide, kDisplay | kSort) |
               when(isHedgeLeg(a) != isHedgeLeg(b), kToolTip);
    case PositionsModel::Size:
        return when(a.quantity != b.quantity, kDisplay | kSort);
    case PositionsModel::Entry:
        return priceRoles(a.entryPrice, b.entryPrice, decimals);
    case PositionsModel::Mark:
        // The tooltip speaks of the feed, and of the age once stale.
        return priceRoles(a.markPrice, b.markPrice, decimals) |
               when(a.feed != b.feed || (isStale(b) && shownAge(was) != shownAge(now)), kToolTip);
    case PositionsModel::LiquidationPrice:
        return when(!same(a.risk.liquidationPrice, b.risk.liquidationPrice), kDisplay | kSort) |
               when(decimals, kDisplay) |
               when(a.risk.liquidationPrice.has_value() != b.risk.liquidationPrice.has_value() ||
                        a.risk.liquidationDue != b.risk.liquidationDue,
                    kToolTip);
    case PositionsModel::ExchangeLiquidationPrice: {
        const bool reported = a.exchangeLiquidationPrice != b.exchangeLiquidationPrice || a.source != b.source;
        const bool computedShows = !a.exchangeLiquidationPrice || !b.exchangeLiquidationPrice || a.liquidationDiverges ||
                                   b.liquidationDiverges; // in the text, the sort value or the tooltip
        return when(reported || a.liquidationDiverges != b.liquidationDiverges ||
                        (computedShows && !same(a.risk.liquidationPrice, b.risk.liquidationPrice)),
                    kDisplay | kSort | kToolTip) |
               when(decimals, kDisplay | kToolTip) | when(a.liquidationDiverges != b.liquidationDiverges, kForeground);
    }
    case PositionsModel::Distance:
        // The tooltip names the level and the move in price, at the row's decimals.
        return when(!same(a.risk.distanceToLiquidationPct, b.risk.distanceToLiquidationPct), kDisplay | kSort) |
               when(was.level != now.level, kForeground | kToolTip) |
               when(a.risk.distanceToLiquidationPct.has_value() != b.risk.distanceToLiquidationPct.has_value() ||
                        !same(a.risk.distanceToLiquidation, b.risk.distanceToLiquidation) || decimals ||
                        isStale(a) != isStale(b),
                    kToolTip);
    case PositionsModel::MarginRatio:
        return when(!same(a.risk.marginRatio, b.risk.marginRatio), kDisplay | kSort) |
               when(std::isinf(a.risk.marginRatio) != std::isinf(b.risk.marginRatio) || a.marginMode != b.marginMode ||
                        a.exchangeMarginRatio != b.exchangeMarginRatio,
                    kToolTip);
    case PositionsModel::UnrealizedPnl:
        return when(a.risk.unrealizedPnl != b.risk.unrealizedPnl, kDisplay | kSort);
    case PositionsModel::Leverage:
        // The leverage as set shows; the effective one only without it, and in the tooltip.
        return when(a.leverage != b.leverage || (!b.leverage && !same(a.effectiveLeverage, b.effectiveLeverage)),
                    kDisplay | kSort) |
               when(a.leverage.has_value() != b.leverage.has_value() || !same(a.effectiveLeverage, b.effectiveLeverage),
                    kToolTip);
    case PositionsModel::MarginMode:
        return when(a.marginMode != b.marginMode, kDisplay | kSort);
    case PositionsModel::DataAge:
        return when(a.feed != b.feed || shownAge(was) != shownAge(now), kDisplay | kSort | kToolTip) |
               when(b.feed == FeedState::Fresh && a.ticks != b.ticks, kToolTip) | when(a.feed != b.feed, kForeground);
    case PositionsModel::Count:
        break;
    }
    return 0;
}

RoleMask changedRowRoles(const PositionFigures& was, const PositionFigures& now)
{
    const double wasFraction = distanceFraction(was.line.risk.distanceToLiquidationPct);
    const double nowFraction = distanceFraction(now.line.risk.distanceToLiquidationPct);
    return when(was.level != now.level, BoardTableBase::kRiskLevel) |
           when(!same(wasFraction, nowFraction), BoardTableBase::kDistanceFraction);
}

} // namespace mm::ui
