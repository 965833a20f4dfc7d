#pragma once

#include "domain/account.h"
#include "margin/risk.h"

#include <memory>
#include <optional>
#include <span>

namespace mm {

/// Evaluates a portfolio's risk under one venue family's published margin rules.
///
/// The base class implements the rules Binance USDⓈ-M publishes ("How to Calculate Liquidation Price
/// of USDⓈ-M Futures Contracts"), which Hyperliquid's and the generic model share:
///   maintenance margin = notional × rate − amount (tier at the notional),
///   margin balance     = wallet + unrealised PnL of the cross positions (at their own marks),
///   margin ratio       = maintenance margin / margin balance, liquidation at 100 %,
///   liquidation price  = where equity meets the requirement when only that symbol's price moves
///                        (both legs of a hedged symbol together), tiers re-selected at that price.
/// Venues that differ override the three hooks below. Pure functions of the portfolio: no I/O,
/// no clock, safe to call from any thread.
class MarginModel {
public:
    virtual ~MarginModel() = default;

    /// Throws std::invalid_argument for a portfolio the model cannot evaluate (an isolated position
    /// with neither margin nor leverage, more than two legs on one symbol) and DecimalError if a sum
    /// leaves Decimal's range. Linear in the number of positions. Composed of the steps below, which
    /// the engine also calls one symbol at a time, tick by tick.
    [[nodiscard]] PortfolioRisk evaluate(const Portfolio& portfolio) const;

    /// What a position contributes at its mark (exact).
    [[nodiscard]] PositionFigures figuresAtMark(const Position& position) const;
    /// The account's cross margin from the wallet and the sums over its cross positions.
    [[nodiscard]] AccountRisk accountRisk(const Decimal& walletBalance, const CrossTotals& totals) const;
    /// The risk of an isolated position.
    [[nodiscard]] PositionRisk isolatedRisk(const Position& position, const PositionFigures& figures) const;
    /// The risk of the cross positions of one symbol — one, or the two legs of a hedged symbol, which
    /// share a liquidation price — given the whole account (whose totals include them). Writes one
    /// PositionRisk per leg into `risks`.
    void crossSymbolRisk(std::span<const Position* const> legs, std::span<const PositionFigures* const> figures,
                         const AccountRisk& account, std::span<PositionRisk> risks) const;

    static std::unique_ptr<MarginModel> forVenue(Venue venue);

protected:
    /// Fee rate counted in the requirement on top of the maintenance margin (OKX: the taker fee).
    [[nodiscard]] virtual Decimal closingFeeRate(const Position& position) const;
    /// Liquidation price of an isolated position, given its margin.
    [[nodiscard]] virtual std::optional<double> isolatedLiquidationPrice(const Position& position,
                                                                          const Decimal& margin) const;
    /// The venue's own margin ratio from the common figures (default: requirement / margin balance).
    [[nodiscard]] virtual double nativeMarginRatio(const Decimal& marginBalance, const Decimal& requirement) const;

    /// requirement / balance as a common-direction ratio (+infinity when the balance is ≤ 0).
    static double commonRatio(const Decimal& requirement, const Decimal& balance);
    /// The margin of an isolated position: the one given, or entry notional / leverage.
    static Decimal isolatedMarginOf(const Position& position);

private:
    /// Distances and the due flag, once the liquidation price and ratio are set.
    static void completeRisk(PositionRisk& risk, const Position& position, bool hedged);
};

} // namespace mm
