#include "notify/alert_text.h"

#include "models/display_text.h"
#include "models/risk_level.h"

#include <QDateTime>
#include <QStringList>

#include <cmath>

namespace mm::ui {

QString alertLevelTitle(AlertLevel level)
{
    switch (level) {
    case AlertLevel::Warning:
        return QStringLiteral("Warning");
    case AlertLevel::Critical:
        return QStringLiteral("Critical");
    case AlertLevel::Emergency:
        return QStringLiteral("Emergency");
    }
    return QStringLiteral("Alert");
}

QColor alertLevelColour(AlertLevel level)
{
    switch (level) {
    case AlertLevel::Warning:
        return riskColour(RiskLevel::Warning);
    case AlertLevel::Critical:
        return riskColour(RiskLevel::Danger);
    case AlertLevel::Emergency:
        return riskColour(RiskLevel::Due);
    }
    return riskColour(RiskLevel::Unknown);
}

QString alertPositionText(const AlertSubject& subject)
{
    QStringList parts;
    if (!subject.accountLabel.empty()) {
        parts << QString::fromStdString(subject.accountLabel);
    }
    parts << venueDisplayName(subject.venue);
    if (subject.position) {
        if (!subject.symbol.empty()) {
            parts << QString::fromStdString(subject.symbol);
        }
        if (subject.side) {
            parts << (*subject.side == Side::Long ? QStringLiteral("Long") : QStringLiteral("Short"));
        }
    } else {
        parts << QStringLiteral("account");
    }
    return parts.join(QStringLiteral(" · "));
}

namespace {

QString priceText(double price)
{
    return formatPrice(price, priceDecimals(Decimal{}, price));
}

} // namespace

QString alertFiguresText(const AlertEvent& event)
{
    QStringList parts;
    if (event.distancePct && std::isfinite(*event.distancePct)) {
        parts << QStringLiteral("Distance %1").arg(formatPercent(*event.distancePct));
    }
    if (event.markPrice && std::isfinite(*event.markPrice)) {
        parts << QStringLiteral("Mark %1").arg(priceText(*event.markPrice));
    }
    if (event.liquidationPrice && std::isfinite(*event.liquidationPrice)) {
        parts << QStringLiteral("Liquidation %1").arg(priceText(*event.liquidationPrice));
    }
    return parts.join(QStringLiteral(" · "));
}

QString alertTimeText(std::int64_t wallTimeMs)
{
    const QDateTime when = QDateTime::fromMSecsSinceEpoch(wallTimeMs).toLocalTime();
    if (when.date() == QDate::currentDate()) {
        return when.toString(QStringLiteral("HH:mm:ss"));
    }
    return when.toString(QStringLiteral("d MMM HH:mm:ss"));
}

QString alertMessageText(const AlertEvent& event)
{
    if (!event.message.empty()) {
        return QString::fromStdString(event.message);
    }
    switch (event.rule) {
    case AlertRuleKind::Distance:
        return QStringLiteral("Close to liquidation");
    case AlertRuleKind::MarginRatio:
        return QStringLiteral("Margin ratio high");
    case AlertRuleKind::SigmaDistance:
        return QStringLiteral("Within reach of normal volatility");
    case AlertRuleKind::TimeToLiquidation:
        return QStringLiteral("Liquidation near at the current drift");
    case AlertRuleKind::Velocity:
        return QStringLiteral("Distance shrinking fast");
    case AlertRuleKind::Stale:
        return QStringLiteral("Prices stopped arriving");
    }
    return QStringLiteral("Alert");
}

} // namespace mm::ui
