#include "domain/risk_tier.h"

namespace mm {

std::optional<std::string> findRiskTierProblem(const std::vector<RiskTier>& tiers)
{
    if (tiers.empty()) {
        return "the tier table is empty";
    }
    const Decimal one = Decimal::fromInteger(1);
    for (std::size_t i = 0; i < tiers.size(); ++i) {
        const RiskTier& tier = tiers[i];
        const std::string name = "tier " + std::to_string(tier.number);
        if (tier.maintenanceMarginRate.isNegative() || tier.maintenanceMarginRate >= one) {
            return name + ": maintenance margin rate " + tier.maintenanceMarginRate.toString() + " is not in [0, 1)";
        }
        if (tier.cap && *tier.cap <= tier.floor) {
            return name + ": cap " + tier.cap->toString() + " is not above its floor " + tier.floor.toString();
        }
        if (!tier.cap && i + 1 != tiers.size()) {
            return name + ": only the last tier may be open-ended";
        }
        if (i == 0) {
            if (!tier.floor.isZero()) {
                return name + ": the first tier must start at 0, not " + tier.floor.toString();
            }
            continue;
        }
        const RiskTier& previous = tiers[i - 1];
        if (tier.floor != *previous.cap) {
            return name + ": starts at " + tier.floor.toString() + " but the previous tier ends at " + previous.cap->toString();
        }
        if (tier.maintenanceMarginRate < previous.maintenanceMarginRate) {
            return name + ": maintenance margin rate falls from " + previous.maintenanceMarginRate.toString() + " to " +
                   tier.maintenanceMarginRate.toString();
        }
        const Decimal expected =
            previous.maintenanceAmount + tier.floor * (tier.maintenanceMarginRate - previous.maintenanceMarginRate);
        if (tier.maintenanceAmount != expected) {
            return name + ": maintenance amount " + tier.maintenanceAmount.toString() + " should be " + expected.toString() +
                   " (previous amount + floor × rate step)";
        }
    }
    return std::nullopt;
}

} // namespace mm
