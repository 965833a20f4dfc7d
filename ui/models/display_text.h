#pragma once
// The text the tables show, in one place so that every model writes a price, a ratio or an age the
// same way. Deterministic (no locale): the same board always gives the same text, which the models'
// change detection and the tests rely on.

#include "domain/venue.h"
#include "money/decimal.h"

#include <QString>

#include <chrono>

namespace mm::ui {

/// Decimal places for an instrument's prices: those of its tick size (0.1 → 1, 0.0005 → 4, 5 → 0)
/// when known; else by the price's magnitude: ≥ 1000 → 2, ≥ 1 → 4, below → 6.
int priceDecimals(const Decimal& tickSize, double magnitude);

/// "61,000.00": rounded (half to even) to `decimals` places, thousands grouped with ",".
QString formatPrice(const Decimal& price, int decimals);
QString formatPrice(double price, int decimals);

/// "40,000.00": an amount of money (quote currency) with 2 decimals.
QString formatMoney(const Decimal& amount);
/// "+1,234.56" / "-3,000.00" / "0.00": a profit or loss, with its sign.
QString formatSignedMoney(const Decimal& amount);

/// "12.34%" from a value already in %; "—" for a value that is not a number.
QString formatPercent(double percent);
/// A margin ratio (a fraction, 1 = liquidation) as "%"; "beyond" when it is infinite (the margin
/// balance is zero or negative: liquidation is already due).
QString formatRatio(double ratio);

/// "0.3 s", "12 s", "3 min", "2 h", "4 d": how old something is, rounded down so that it never looks
/// fresher than it is. Negative ages (clocks read in a different order) count as 0.
QString formatAge(std::chrono::nanoseconds age);
/// The same in seconds, for sorting.
double ageSeconds(std::chrono::nanoseconds age);

/// "Binance", "Bybit", "OKX", "Hyperliquid", "Generic".
QString venueDisplayName(Venue venue);

/// The placeholder for "no value".
inline QString noValueText()
{
    return QStringLiteral("—");
}

} // namespace mm::ui
