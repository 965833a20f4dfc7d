#pragma once

#include "money/decimal.h"

#include <optional>
#include <vector>

namespace mm {

/// The risk of one position at its mark price.
///
/// Ratios are fractions in the common direction: 0 is safe, 1 (100 %) is liquidation; +infinity
/// when the margin balance is zero or negative (liquidation is already due).
struct PositionRisk {
    /// Where the position is liquidated if only its own symbol's price moves; nullopt when no
    /// positive price liquidates it (the exchanges' "--" / "0"); the mark itself when the account is
    /// beyond liquidation whatever this symbol's price does (hedged legs only).
    std::optional<double> liquidationPrice;
    Decimal notional;          ///< quantity × mark
    Decimal maintenanceMargin; ///< notional × rate − amount of the tier at the mark
    Decimal unrealizedPnl;     ///< at the mark, with the sign of the position's side
    /// Cross: the account's ratio (the position shares it). Isolated: the position's requirement
    /// over its margin plus unrealised PnL.
    double marginRatio = 0;
    /// The price move left before liquidation, in price units: |mark − liquidation price|, negative
    /// once beyond it (then it is the move needed to get back). For a one-way or isolated position
    /// that is side × (mark − liquidation price). nullopt without a liquidation price.
    std::optional<double> distanceToLiquidation;
    std::optional<double> distanceToLiquidationPct; ///< the same, in % of the mark
    int tier = 0; ///< tier number at the mark; 0 for a rate that is not from a published table
    /// At or beyond liquidation now: the ratio that applies to this position (marginRatio) is ≥ 1.
    bool liquidationDue = false;
};

/// The risk of the account's cross margin (isolated positions carry their own).
struct AccountRisk {
    Decimal walletBalance;
    Decimal unrealizedPnl;     ///< of the cross positions
    Decimal marginBalance;     ///< wallet + cross unrealised PnL (Bybit/OKX: equity, Hyperliquid: account value)
    Decimal maintenanceMargin; ///< of the cross positions
    /// What liquidation is measured against: the maintenance margin, plus the closing fee where the
    /// venue counts it (OKX).
    Decimal requirement;
    double marginRatio = 0;       ///< requirement / margin balance, common direction (1 = liquidation)
    double nativeMarginRatio = 0; ///< the venue's own figure and direction (OKX: equity / requirement)
    bool liquidationDue = false;  ///< marginRatio ≥ 1: the cross positions are at or beyond liquidation
    /// Of the cross positions: the net signed notional (+ long, − short) and what the requirement
    /// grows by per unit of a common move of every mark (see marketWideMove).
    Decimal signedNotional;
    Decimal requirementSlope;
};

/// What one position contributes to its account at its mark; exact.
struct PositionFigures {
    Decimal notional;
    Decimal maintenanceMargin;
    Decimal unrealizedPnl;
    Decimal closingFeeRate; ///< where the venue counts the fee in the requirement (OKX)
    Decimal requirement;    ///< maintenance margin + notional × closing fee rate
    /// + notional for a long, − for a short: what the margin balance gains per unit of a common move.
    Decimal signedNotional;
    /// notional × (maintenance margin rate + closing fee rate) = requirement + the tier's fixed
    /// deduction: what the requirement grows by per unit of a common move at the current tier.
    Decimal requirementSlope;
    int tier = 0;
};

/// Running sums over an account's cross positions, kept up to date one position at a time.
struct CrossTotals {
    Decimal unrealizedPnl;
    Decimal maintenanceMargin;
    Decimal requirement;
    Decimal signedNotional;
    Decimal requirementSlope;

    void add(const PositionFigures& figures)
    {
        unrealizedPnl += figures.unrealizedPnl;
        maintenanceMargin += figures.maintenanceMargin;
        requirement += figures.requirement;
        signedNotional += figures.signedNotional;
        requirementSlope += figures.requirementSlope;
    }
    void remove(const PositionFigures& figures)
    {
        unrealizedPnl -= figures.unrealizedPnl;
        maintenanceMargin -= figures.maintenanceMargin;
        requirement -= figures.requirement;
        signedNotional -= figures.signedNotional;
        requirementSlope -= figures.requirementSlope;
    }
};

/// The market-wide distance of a cross account: how far every mark moving together by the same
/// fraction takes the cross margin to liquidation — what a crash that takes the whole market does to
/// a cross account, where each position's own distance assumes the other marks hold. The margin
/// balance and the requirement are both linear in a common move x (E + x·N = R + x·S, N the net
/// signed notional, S the requirement's growth; tiers as they are at the marks), so x = (R − E)/(N − S).
struct MarketWideMove {
    double pct = 0;   ///< in % of the marks; 0 when the cross margin is already due
    bool fall = true; ///< every mark falling (else rising) liquidates
};
/// None without cross positions, or when no common move of less than 100 % down liquidates.
/// Computed on demand (not on every tick): the alert engine asks for accounts that can use it.
std::optional<MarketWideMove> marketWideMove(const AccountRisk& account);

struct PortfolioRisk {
    AccountRisk account;
    std::vector<PositionRisk> positions; ///< in the order of Portfolio::positions
};

} // namespace mm
