#pragma once

#include "margin/margin_model.h"

namespace mm {

/// Bybit v5 USDT linear contracts.
///
/// Isolated margin follows Bybit's help-centre formula, which values the maintenance margin at the
/// entry price rather than searching prices:
///     LP(long)  = EP − (position margin − MM) / size,   LP(short) = EP + (position margin − MM) / size
///     MM = size × EP × MMR − MM deduction (tier of the entry value), position margin = IM + extra margin
/// Cross margin in the unified account has no per-position formula: the account is liquidated when
/// its maintenance-margin rate (accountMMRate = maintenance margin / equity, same direction as ours)
/// reaches 100 %, and the liquidation price shown is the price at which that happens if only this
/// position's price moves — the base class's search.
class BybitLinearModel : public MarginModel {
protected:
    [[nodiscard]] std::optional<double> isolatedLiquidationPrice(const Position& position,
                                                                  const Decimal& margin) const override;
};

} // namespace mm
