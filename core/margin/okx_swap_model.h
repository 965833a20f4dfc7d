#pragma once

#include "margin/margin_model.h"

namespace mm {

/// OKX v5 USDT-margined perpetual swaps.
///
/// OKX counts the taker fee of closing the position in the requirement:
///     mgnRatio = (margin + upl) / (mm + |size|·markPx·takerFee),   mm = |size|·markPx·tierMMR,
/// and its ratio runs the other way — equity over requirement, higher is safer, liquidation at ≤ 1.
/// Isolated liquidation price where mgnRatio = 1 (derived; Gate publishes the same formula):
///     long: LP = (EP − margin/size) / (1 − (MMR + fee)),  short: LP = (EP + margin/size) / (1 + (MMR + fee))
/// which is the base class's search with the fee added to the rate. Tiers count contracts.
class OkxSwapModel : public MarginModel {
protected:
    [[nodiscard]] Decimal closingFeeRate(const Position& position) const override;
    [[nodiscard]] double nativeMarginRatio(const Decimal& marginBalance, const Decimal& requirement) const override;
};

} // namespace mm
