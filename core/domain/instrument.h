#pragma once

#include "domain/risk_tier.h"
#include "domain/venue.h"
#include "money/decimal.h"

#include <string>
#include <vector>

namespace mm {

/// A tradable contract on one venue, with what the margin math needs to know about it.
struct Instrument {
    /// What a tier's floor and cap measure. Binance and Bybit: the notional in USDT at the price being
    /// evaluated (so the tier can change as the price moves); OKX: the size in contracts.
    enum class TierBasis { Notional, Quantity };

    Venue venue = Venue::Generic;
    std::string symbol;
    Decimal contractSize = Decimal::fromInteger(1); ///< base units per contract (OKX ctVal)
    Decimal tickSize;                               ///< price step for display; 0 when unknown
    int maxLeverage = 0;                            ///< 0 when unknown
    TierBasis tierBasis = TierBasis::Notional;
    std::vector<RiskTier> riskTiers;                ///< never empty for an instrument in use

    /// The tier for a position of this notional (USDT) and quantity (base units; converted to
    /// contracts where the tiers count contracts). Beyond the last cap the last tier applies. Exact,
    /// for figures at the mark price.
    [[nodiscard]] const RiskTier& tierFor(const Decimal& notional, const Decimal& quantity) const;
    /// The same for the estimates of the liquidation search, which run in binary floating point.
    [[nodiscard]] const RiskTier& tierFor(double notional, double quantity) const;
};

} // namespace mm
