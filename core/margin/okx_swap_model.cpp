#include "margin/okx_swap_model.h"

#include <limits>

namespace mm {

Decimal OkxSwapModel::closingFeeRate(const Position& position) const
{
    return position.takerFeeRate;
}

double OkxSwapModel::nativeMarginRatio(const Decimal& marginBalance, const Decimal& requirement) const
{
    if (!requirement.isPositive()) {
        return std::numeric_limits<double>::infinity(); // nothing required: infinitely safe
    }
    return marginBalance.toDouble() / requirement.toDouble();
}

} // namespace mm
