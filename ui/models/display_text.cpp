#include "models/display_text.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace mm::ui {

namespace {

/// Inserts "," between groups of three digits of the integer part of a plain decimal text.
QString groupThousands(const QString& plain)
{
    const qsizetype start = plain.startsWith(QLatin1Char('-')) ? 1 : 0;
    qsizetype end = plain.indexOf(QLatin1Char('.'));
    if (end < 0) {
        end = plain.size();
    }
    QString grouped = plain;
    for (qsizetype at = end - 3; at > start; at -= 3) {
        grouped.insert(at, QLatin1Char(','));
    }
    return grouped;
}

/// 10^-decimals as a Decimal step.
Decimal stepOf(int decimals)
{
    return Decimal::parse("1e-" + std::to_string(decimals));
}

/// Canonical decimal text padded (or not) to exactly `decimals` fractional digits; "-0" never shows.
QString padded(const Decimal& rounded, int decimals)
{
    QString text = QString::fromStdString(rounded.toString());
    if (decimals <= 0) {
        return text;
    }
    qsizetype point = text.indexOf(QLatin1Char('.'));
    if (point < 0) {
        text += QLatin1Char('.');
        point = text.size() - 1;
    }
    const qsizetype have = text.size() - point - 1;
    if (have < decimals) {
        text += QString(decimals - have, QLatin1Char('0'));
    }
    return text;
}

QString fixed(const Decimal& value, int decimals)
{
    decimals = std::clamp(decimals, 0, Decimal::kFractionDigits);
    const Decimal rounded =
        value.roundToStep(decimals == 0 ? Decimal::fromInteger(1) : stepOf(decimals), Decimal::Rounding::HalfEven);
    return groupThousands(padded(rounded, decimals));
}

} // namespace

int priceDecimals(const Decimal& tickSize, double magnitude)
{
    if (tickSize.isPositive()) {
        const std::string text = tickSize.toString(); // canonical: no trailing zeros
        const auto point = text.find('.');
        return point == std::string::npos ? 0 : int(text.size() - point - 1);
    }
    magnitude = std::abs(magnitude);
    if (magnitude >= 1000.0) {
        return 2;
    }
    if (magnitude >= 1.0) {
        return 4;
    }
    return 6;
}

QString formatPrice(const Decimal& price, int decimals)
{
    return fixed(price, decimals);
}

QString formatPrice(double price, int decimals)
{
    if (!std::isfinite(price)) {
        return noValueText();
    }
    decimals = std::clamp(decimals, 0, Decimal::kFractionDigits);
    if (std::round(std::abs(price) * std::pow(10.0, decimals)) == 0.0) {
        price = 0.0; // no "-0.00"
    }
    return groupThousands(QString::number(price, 'f', decimals));
}

QString formatMoney(const Decimal& amount)
{
    return fixed(amount, 2);
}

QString formatSignedMoney(const Decimal& amount)
{
    const Decimal rounded = amount.roundToStep(stepOf(2), Decimal::Rounding::HalfEven);
    const QString text = groupThousands(padded(rounded, 2));
    return rounded.isPositive() ? QLatin1Char('+') + text : text;
}

QString formatPercent(double percent)
{
    if (std::isnan(percent)) {
        return noValueText();
    }
    if (std::isinf(percent)) {
        return percent > 0 ? QStringLiteral("∞") : QStringLiteral("-∞");
    }
    double rounded = std::round(percent * 100.0) / 100.0;
    if (rounded == 0.0) {
        rounded = 0.0; // no "-0.00%"
    }
    return QString::number(rounded, 'f', 2) + QLatin1Char('%');
}

QString formatRatio(double ratio)
{
    if (std::isinf(ratio) && ratio > 0) {
        return QStringLiteral("beyond");
    }
    return formatPercent(ratio * 100.0);
}

QString formatAge(std::chrono::nanoseconds age)
{
    using namespace std::chrono;
    age = std::max(age, nanoseconds::zero());
    if (age < seconds(10)) {
        const auto tenths = duration_cast<milliseconds>(age).count() / 100;
        return QStringLiteral("%1.%2 s").arg(tenths / 10).arg(tenths % 10);
    }
    if (age < minutes(1)) {
        return QStringLiteral("%1 s").arg(duration_cast<seconds>(age).count());
    }
    if (age < hours(1)) {
        return QStringLiteral("%1 min").arg(duration_cast<minutes>(age).count());
    }
    if (age < hours(24)) {
        return QStringLiteral("%1 h").arg(duration_cast<hours>(age).count());
    }
    return QStringLiteral("%1 d").arg(duration_cast<hours>(age).count() / 24);
}

double ageSeconds(std::chrono::nanoseconds age)
{
    return std::chrono::duration<double>(std::max(age, std::chrono::nanoseconds::zero())).count();
}

QString venueDisplayName(Venue venue)
{
    switch (venue) {
    case Venue::BinanceUsdm:
        return QStringLiteral("Binance");
    case Venue::BybitLinear:
        return QStringLiteral("Bybit");
    case Venue::OkxSwap:
        return QStringLiteral("OKX");
    case Venue::Hyperliquid:
        return QStringLiteral("Hyperliquid");
    case Venue::Generic:
        return QStringLiteral("Generic");
    }
    return QString::fromUtf8(venueName(venue).data(), qsizetype(venueName(venue).size()));
}

} // namespace mm::ui
