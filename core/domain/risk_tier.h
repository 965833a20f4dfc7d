#pragma once

#include "money/decimal.h"

#include <optional>
#include <string>
#include <vector>

namespace mm {

/// One row of an exchange's maintenance-margin table (Binance "leverage bracket", Bybit "risk
/// limit", OKX "position tier"). A position whose size falls in [floor, cap) pays
///     maintenance margin = notional × maintenanceMarginRate − maintenanceAmount.
/// The amount (Binance `cum`, Bybit `mmDeduction`) makes that continuous across tiers.
struct RiskTier {
    /// The exchange's tier number (1 = smallest positions); 0 for a single rate that did not come from
    /// a published table (given by the trader, or derived from max leverage).
    int number = 0;
    Decimal floor;                 ///< inclusive lower bound (USDT notional, or contracts for OKX)
    std::optional<Decimal> cap;    ///< exclusive upper bound; none for the last tier
    Decimal maintenanceMarginRate; ///< e.g. 0.004 for 0.4 %
    Decimal maintenanceAmount;     ///< Binance cum / Bybit MM deduction; 0 where the venue has none
    int maxLeverage = 0;           ///< 0 when unknown
};

/// Checks what the margin math relies on: at least one tier, floors starting at 0 and each tier
/// beginning where the previous ends, rates that never decrease and stay below 1, and each amount
/// equal to amount(n−1) + floor(n) × (rate(n) − rate(n−1)) — the recursion Binance and Bybit publish,
/// which makes the maintenance margin a continuous, convex function of the notional. Returns a
/// message naming the first offending tier, or nullopt when the table is sound.
std::optional<std::string> findRiskTierProblem(const std::vector<RiskTier>& tiers);

} // namespace mm
