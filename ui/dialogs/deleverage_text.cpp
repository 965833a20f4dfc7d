#include "dialogs/deleverage_text.h"

#include "models/display_text.h"

#include <cmath>

namespace mm::ui {

namespace {

QString fromUtf8(const std::string& text)
{
    return QString::fromStdString(text);
}

QString quantityText(const Decimal& quantity)
{
    return fromUtf8(quantity.toString());
}

QString sideText(Side side)
{
    return side == Side::Long ? QStringLiteral("long") : QStringLiteral("short");
}

QString distanceText(const DeleverageMeasure& measure)
{
    if (!measure.positionOpen) {
        return QStringLiteral("closed");
    }
    if (!measure.distancePct) {
        return QStringLiteral("none");
    }
    return formatPercent(*measure.distancePct);
}

QString liquidationText(const DeleverageMeasure& measure, int priceDecimals)
{
    if (!measure.positionOpen) {
        return QStringLiteral("closed");
    }
    if (!measure.liquidationPrice) {
        return QStringLiteral("none");
    }
    return formatPrice(*measure.liquidationPrice, priceDecimals);
}

} // namespace

DeleveragePositionInfo DeleveragePositionInfo::fromPlan(const QString& accountLabel, const DeleveragePlan& plan)
{
    DeleveragePositionInfo info;
    info.accountLabel = accountLabel;
    info.venue = plan.venue;
    info.symbol = fromUtf8(plan.symbol);
    info.side = plan.positionSide;
    info.quantity = plan.positionQuantity;
    info.markPrice = plan.markPrice;
    info.liquidationPrice = plan.before.liquidationPrice;
    info.distancePct = plan.before.distancePct;
    return info;
}

QString describePositionTitle(const DeleveragePositionInfo& position)
{
    QString title;
    if (!position.accountLabel.isEmpty()) {
        title += position.accountLabel + QStringLiteral(" · ");
    }
    title += venueDisplayName(position.venue) + QStringLiteral(" · ") + position.symbol + QLatin1Char(' ') +
             sideText(position.side);
    if (position.quantity.isPositive()) {
        title += QLatin1Char(' ') + quantityText(position.quantity);
    }
    return title;
}

QString describePositionFigures(const DeleveragePositionInfo& position)
{
    const int decimals = priceDecimals(position.tickSize, position.markPrice.toDouble());
    const QString liquidation =
        position.liquidationPrice ? formatPrice(*position.liquidationPrice, decimals) : QStringLiteral("none");
    const QString distance = position.distancePct ? formatPercent(*position.distancePct) : QStringLiteral("none");
    return QStringLiteral("Mark %1 · liquidation %2 · distance %3")
        .arg(formatPrice(position.markPrice, decimals), liquidation, distance);
}

QString describeOrder(const DeleveragePlan& plan)
{
    if (!plan.hasOrder()) {
        return QStringLiteral("No order");
    }
    const QString verb = plan.orderSide == Side::Short ? QStringLiteral("Sell") : QStringLiteral("Buy");
    QString text = verb + QLatin1Char(' ') + quantityText(plan.quantity) + QLatin1Char(' ') + fromUtf8(plan.symbol);
    if (plan.leg != PositionSide::Both) {
        text += QStringLiteral(" (") + sideText(plan.positionSide) + QStringLiteral(" leg)");
    }
    text += QStringLiteral(" reduce-only at market");
    if (plan.quantity == plan.positionQuantity) {
        text += QStringLiteral(" — closes the whole position");
    }
    return text;
}

DeleverageFigures describeFigures(const DeleveragePlan& plan, int priceDecimals)
{
    DeleverageFigures figures;
    figures.distanceBefore = distanceText(plan.before);
    figures.distanceAfter = distanceText(plan.after);
    figures.marginRatioBefore = formatRatio(plan.before.marginRatio);
    figures.marginRatioAfter = formatRatio(plan.after.marginRatio);
    figures.liquidationBefore = liquidationText(plan.before, priceDecimals);
    figures.liquidationAfter = liquidationText(plan.after, priceDecimals);
    return figures;
}

QString describeTargetResult(const DeleveragePlan& plan)
{
    const QString target = QStringLiteral("Planned for ") + fromUtf8(plan.target.describe());
    if (plan.outcome == DeleverageOutcome::CannotPlan) {
        return target + QStringLiteral(": no plan");
    }
    if (plan.outcome == DeleverageOutcome::TargetAlreadyMet) {
        return target + QStringLiteral(": already met");
    }
    if (!plan.hasOrder()) {
        return target + QStringLiteral(": not met, and no order can help");
    }
    return target + (plan.targetReached ? QStringLiteral(": reached after the order")
                                        : QStringLiteral(": not reached by this order"));
}

QString describePlanCaveat(const DeleveragePlan& plan)
{
    switch (plan.outcome) {
    case DeleverageOutcome::Reduce:
        return {};
    case DeleverageOutcome::CloseAllUnreachable:
        return QStringLiteral("The target cannot be reached even by closing everything: this order closes the whole "
                              "position, which brings liquidation as far away as this position can.");
    case DeleverageOutcome::CappedShortOfTarget:
        return QStringLiteral("The most one order may take stops this one short of the target: it helps, "
                              "but more orders are needed.");
    case DeleverageOutcome::TargetAlreadyMet:
        return QStringLiteral("Nothing would be sent: the target is already met.");
    case DeleverageOutcome::BelowMinimum:
        return QStringLiteral("Nothing would be sent: the position (or the most one order may take) is below the "
                              "venue's smallest order.");
    case DeleverageOutcome::ReductionDoesNotHelp:
        return QStringLiteral("Nothing would be sent: reducing this position would not move liquidation further away.");
    case DeleverageOutcome::CannotPlan:
        return QStringLiteral("Nothing would be sent: no plan could be made.");
    }
    return {};
}

QString describePlan(const DeleveragePlan& plan)
{
    const DeleverageFigures figures = describeFigures(plan, priceDecimals(Decimal(), plan.markPrice.toDouble()));
    QString text = describeOrder(plan) + QStringLiteral(". ");
    if (plan.outcome != DeleverageOutcome::CannotPlan) {
        text += QStringLiteral("Distance to liquidation %1 → %2, margin ratio %3 → %4, liquidation price %5 → %6. ")
                    .arg(figures.distanceBefore, figures.distanceAfter, figures.marginRatioBefore,
                         figures.marginRatioAfter, figures.liquidationBefore, figures.liquidationAfter);
    }
    text += describeTargetResult(plan) + QStringLiteral(".");
    const QString caveat = describePlanCaveat(plan);
    if (!caveat.isEmpty()) {
        text += QLatin1Char(' ') + caveat;
    }
    if (!plan.explanation.empty()) {
        text += QLatin1Char(' ') + fromUtf8(plan.explanation);
    }
    return text;
}

QString describeCountdown(std::chrono::milliseconds remaining)
{
    const auto seconds = std::chrono::ceil<std::chrono::seconds>(std::max(remaining, std::chrono::milliseconds(0)));
    if (seconds.count() == 0) {
        return QStringLiteral("Sending now");
    }
    return QStringLiteral("Sending in %1 s").arg(seconds.count());
}

QString describeStatusHeadline(const DeleverageStatus& status)
{
    switch (status.state) {
    case DeleverageState::DryRun:
        return QStringLiteral("Dry run: nothing was sent");
    case DeleverageState::NothingToDo:
        return QStringLiteral("Nothing to send");
    case DeleverageState::Countdown:
        return describeCountdown(status.countdownRemaining);
    case DeleverageState::Sending:
        return status.sendAttempts > 1
                   ? QStringLiteral("Sending again (attempt %1, same client order id)…").arg(status.sendAttempts)
                   : QStringLiteral("Sending the order…");
    case DeleverageState::WaitingLookup:
        return QStringLiteral("Waiting for the exchange's answer: looking the order up by its client order id");
    case DeleverageState::Done:
        if (!status.filledQuantity.isPositive()) {
            return QStringLiteral("Accepted by the exchange, not filled yet");
        }
        if (status.filledQuantity == status.quantity) {
            return QStringLiteral("Filled %1 %2").arg(quantityText(status.filledQuantity), fromUtf8(status.symbol));
        }
        return QStringLiteral("Filled %1 of %2 %3")
            .arg(quantityText(status.filledQuantity), quantityText(status.quantity), fromUtf8(status.symbol));
    case DeleverageState::Failed:
        return QStringLiteral("Failed: check the position on the exchange");
    case DeleverageState::Refused:
        return QStringLiteral("Refused: nothing was sent");
    case DeleverageState::Cancelled:
        return QStringLiteral("Cancelled: nothing was sent");
    }
    return {};
}

QString describeStatusDetail(const DeleverageStatus& status)
{
    const QString reason = fromUtf8(status.reason);
    if (status.state != DeleverageState::Done) {
        return reason;
    }
    if (!status.targetReached) {
        return reason + QStringLiteral(" Reading the account again to check the target…");
    }
    return (*status.targetReached ? QStringLiteral("Target reached. ") : QStringLiteral("Target missed. ")) + reason;
}

QString describeClientOrderId(const DeleverageStatus& status)
{
    if (status.clientOrderId.empty()) {
        return {};
    }
    return QStringLiteral("Client order id %1").arg(fromUtf8(status.clientOrderId));
}

} // namespace mm::ui
