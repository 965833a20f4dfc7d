#include "notify/alert_text.h"

#include "models/display_text.h"
#include "models/risk_level.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QStringList>

#include <algorithm>
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

QString alertPositionShortText(const AlertSubject& subject)
{
    QStringList parts;
    if (subject.position) {
        QString what = subject.symbol.empty() ? QStringLiteral("Position %1").arg(*subject.position + 1) : QString::fromStdString(subject.symbol);
        if (subject.side) {
            what += *subject.side == Side::Long ? QStringLiteral(" Long") : QStringLiteral(" Short");
        }
        parts << what;
    } else {
        parts << QStringLiteral("Cross margin");
    }
    if (!subject.accountLabel.empty()) {
        parts << QString::fromStdString(subject.accountLabel);
    }
    parts << venueDisplayName(subject.venue);
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

bool hasNonFiniteFigure(const QString& text)
{
    // "inf", "-inf", "+inf", "infinity", "nan", "-nan" as words (not "info", "financing", "Nano").
    static const QRegularExpression pattern(QStringLiteral("(?<![A-Za-z])[-+]?(inf|infinity|nan)(?![A-Za-z])"),
                                            QRegularExpression::CaseInsensitiveOption);
    return pattern.match(text).hasMatch();
}

namespace {

QString durationText(double seconds)
{
    if (seconds < 90) {
        return QStringLiteral("%1 s").arg(std::max(0, int(std::lround(seconds))));
    }
    if (seconds < 90 * 60) {
        return QStringLiteral("%1 min").arg(std::lround(seconds / 60));
    }
    if (seconds < 48 * 3600) {
        return QStringLiteral("%1 h").arg(std::lround(seconds / 3600));
    }
    return QStringLiteral("%1 d").arg(std::lround(seconds / 86400));
}

QString oneDecimal(double value)
{
    return QString::number(std::round(value * 10) / 10, 'f', 1);
}

} // namespace

QString alertMeasureText(AlertRuleKind rule, double value)
{
    const bool finite = std::isfinite(value);
    switch (rule) {
    case AlertRuleKind::Distance:
        if (!finite) {
            return value > 0 ? QStringLiteral("liquidation out of reach") : QStringLiteral("distance to liquidation unknown");
        }
        if (value <= 0) {
            return QStringLiteral("at or past the liquidation price");
        }
        return QStringLiteral("%1 to liquidation").arg(formatPercent(value));
    case AlertRuleKind::MarginRatio:
        if (!finite) {
            // The margin balance is zero or below: the ratio has no finite value.
            return std::isnan(value) ? QStringLiteral("margin ratio unknown") : QStringLiteral("no margin left");
        }
        return QStringLiteral("margin ratio %1").arg(formatPercent(value));
    case AlertRuleKind::SigmaDistance:
        if (!finite) {
            // No volatility measured: σ is 0 and the distance in σ has no finite value.
            return QStringLiteral("prices not moving: no σ to measure by");
        }
        return QStringLiteral("liquidation %1 σ away").arg(oneDecimal(std::max(0.0, value)));
    case AlertRuleKind::TimeToLiquidation:
        if (!finite || value < 0) {
            return QStringLiteral("distance not shrinking");
        }
        return QStringLiteral("about %1 to liquidation at the recent pace").arg(durationText(value));
    case AlertRuleKind::Velocity:
        if (!finite || value <= 0) {
            return QStringLiteral("distance not shrinking");
        }
        return QStringLiteral("distance shrinking %1 points a minute").arg(oneDecimal(value));
    case AlertRuleKind::Stale:
        if (!finite) {
            return QStringLiteral("no marks received");
        }
        return QStringLiteral("no marks for %1").arg(durationText(value));
    }
    return QStringLiteral("alert");
}

QString alertReasonText(const AlertReason& reason)
{
    const QString text = QString::fromStdString(reason.text);
    if (text.isEmpty() || hasNonFiniteFigure(text)) {
        return alertMeasureText(reason.rule, reason.value);
    }
    return text;
}

QString alertThresholdText(AlertRuleKind rule, AlertLevel level, double threshold)
{
    const QString name = alertLevelTitle(level).toLower();
    if (!std::isfinite(threshold)) {
        return name;
    }
    const QString percent = QString::number(threshold, 'g', 4) + QLatin1Char('%'); // "5%", "2.5%": as the trader set it
    switch (rule) {
    case AlertRuleKind::Distance:
        return QStringLiteral("%1 below %2").arg(name, percent);
    case AlertRuleKind::MarginRatio:
        return QStringLiteral("%1 above %2").arg(name, percent);
    case AlertRuleKind::SigmaDistance:
        return QStringLiteral("%1 below %2 σ").arg(name, oneDecimal(threshold));
    case AlertRuleKind::TimeToLiquidation:
        return QStringLiteral("%1 under %2").arg(name, durationText(threshold));
    case AlertRuleKind::Velocity:
        return QStringLiteral("%1 above %2 points a minute").arg(name, oneDecimal(threshold));
    case AlertRuleKind::Stale:
        return QStringLiteral("%1 after %2").arg(name, durationText(threshold));
    }
    return name;
}

QString alertReasonLine(const AlertReason& reason)
{
    const QString text = alertReasonText(reason);
    if (!reason.threshold) {
        return text;
    }
    return QStringLiteral("%1 — %2").arg(text, alertThresholdText(reason.rule, reason.level, *reason.threshold));
}

QString alertMessageText(const AlertEvent& event)
{
    const QString message = QString::fromStdString(event.message);
    if (!message.isEmpty() && !hasNonFiniteFigure(message)) {
        return message;
    }
    // The engine's words carry a figure that is not a number (or there are none): the lead measure
    // in words instead, with what happened.
    const QString words = alertMeasureText(event.rule, event.value);
    if (event.change == AlertChange::Cleared) {
        return QStringLiteral("Back to safety: %1").arg(words);
    }
    const QString level = alertLevelTitle(event.level);
    return QStringLiteral("%1 — %2").arg(level, words);
}

} // namespace mm::ui
