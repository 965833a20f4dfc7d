#include "margin/bybit_linear_model.h"

namespace mm {

std::optional<double> BybitLinearModel::isolatedLiquidationPrice(const Position& position, const Decimal& margin) const
{
    const Decimal entryValue = position.notionalAt(position.entryPrice);
    const RiskTier& tier = position.instrument->tierFor(entryValue, position.quantity);
    const Decimal maintenanceAtEntry = entryValue * tier.maintenanceMarginRate - tier.maintenanceAmount;
    const double cushionPerUnit = (margin - maintenanceAtEntry).toDouble() / position.quantity.toDouble();
    const double price = position.entryPrice.toDouble() - direction(position.side) * cushionPerUnit;
    if (!(price > 0)) {
        return std::nullopt;
    }
    return price;
}

} // namespace mm
