#include "margin/liquidation_solver.h"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace mm {
namespace {

constexpr std::size_t kMaxLegs = 2;

} // namespace

std::optional<double> solveLiquidationPrice(const LiquidationProblem& problem, double markPrice)
{
    const auto legs = problem.legs;
    if (legs.empty() || legs.size() > kMaxLegs) {
        throw std::logic_error("a liquidation search takes one leg or the two legs of a hedged symbol");
    }
    std::array<const RiskTier*, kMaxLegs> tiers{};
    std::size_t stepBound = 1;
    for (std::size_t i = 0; i < legs.size(); ++i) {
        const double quantity = legs[i].quantity.toDouble();
        tiers[i] = &legs[i].instrument->tierFor(quantity * markPrice, quantity);
        stepBound += legs[i].instrument->riskTiers.size();
    }

    double price = 0;
    for (std::size_t step = 0; step < stepBound; ++step) {
        // Root of the line of the current tiers, with every term exact but the final division.
        Decimal numerator = problem.equityAtZero - problem.otherRequirement;
        Decimal denominator;
        for (std::size_t i = 0; i < legs.size(); ++i) {
            const LiquidationLeg& leg = legs[i];
            numerator += tiers[i]->maintenanceAmount;
            denominator += leg.quantity * (tiers[i]->maintenanceMarginRate + leg.closingFeeRate);
            denominator -= leg.direction == 1 ? leg.quantity : -leg.quantity;
        }
        if (denominator.isZero()) {
            return std::nullopt; // equity and requirement move in parallel: no price meets them
        }
        price = numerator.toDouble() / denominator.toDouble();

        bool settled = true;
        for (std::size_t i = 0; i < legs.size(); ++i) {
            const double quantity = legs[i].quantity.toDouble();
            const RiskTier* atPrice = &legs[i].instrument->tierFor(quantity * std::max(price, 0.0), quantity);
            settled = settled && atPrice == tiers[i];
            tiers[i] = atPrice;
        }
        if (settled) {
            break;
        }
    }
    if (!(price > 0)) {
        return std::nullopt;
    }
    return price;
}

} // namespace mm
