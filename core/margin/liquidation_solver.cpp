#include "margin/liquidation_solver.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>
#include <stdexcept>

namespace mm {
namespace {

constexpr std::size_t kMaxLegs = 2;
using Tiers = std::array<const RiskTier*, kMaxLegs>;

/// f(P) = equity − requirement on the line of the given tiers: f(P) = intercept − slopeDown · P.
struct Line {
    Decimal intercept;
    Decimal slopeDown;
};

Line lineOf(const LiquidationProblem& problem, const Tiers& tiers)
{
    Line line{problem.equityAtZero - problem.otherRequirement, Decimal()};
    for (std::size_t i = 0; i < problem.legs.size(); ++i) {
        const LiquidationLeg& leg = problem.legs[i];
        line.intercept += tiers[i]->maintenanceAmount;
        line.slopeDown += leg.quantity * (tiers[i]->maintenanceMarginRate + leg.closingFeeRate);
        line.slopeDown -= leg.direction == 1 ? leg.quantity : -leg.quantity;
    }
    return line;
}

Tiers tiersAt(const LiquidationProblem& problem, double price)
{
    Tiers tiers{};
    for (std::size_t i = 0; i < problem.legs.size(); ++i) {
        const double quantity = problem.legs[i].quantity.toDouble();
        tiers[i] = &problem.legs[i].instrument->tierFor(quantity * std::max(price, 0.0), quantity);
    }
    return tiers;
}

double valueAt(const Line& line, double price)
{
    return line.intercept.toDouble() - line.slopeDown.toDouble() * price;
}

/// With no positive root: none when equity exceeds the requirement at the mark (safe at every
/// positive price), else the mark itself (beyond liquidation at every price: it is due now).
std::optional<double> dueNowOrNone(const LiquidationProblem& problem, double markPrice)
{
    if (valueAt(lineOf(problem, tiersAt(problem, markPrice)), markPrice) > 0) {
        return std::nullopt;
    }
    return markPrice;
}

/// One leg: f is strictly monotone, so the FAQ's re-selection loop ends on its only root (see the
/// header for why).
std::optional<double> searchOneLeg(const LiquidationProblem& problem, double markPrice)
{
    const std::size_t stepBound = 1 + problem.legs[0].instrument->riskTiers.size();
    Tiers tiers = tiersAt(problem, markPrice);
    double price = markPrice;
    for (std::size_t step = 0; step < stepBound; ++step) {
        // Root of the line of the current tiers, every term exact but the final division.
        const Line line = lineOf(problem, tiers);
        if (line.slopeDown.isZero()) {
            return std::nullopt; // unreachable with rates below 1; kept against a malformed table
        }
        price = line.intercept.toDouble() / line.slopeDown.toDouble();
        const Tiers atPrice = tiersAt(problem, price);
        if (atPrice == tiers) {
            break;
        }
        tiers = atPrice; // the bound only matters for a root on a tier boundary, where rounding can alternate
    }
    if (price > 0) {
        return price;
    }
    // The only root is at or below zero: either safe at every positive price (a long with enough
    // margin), or beyond liquidation at every positive price (liquidation is due now, at the mark).
    return dueNowOrNone(problem, markPrice);
}

/// Two hedged legs: f may have a root on each side of the mark, or none. Every linear piece between
/// the prices where either leg changes tier is solved exactly, and the root nearest the mark wins.
std::optional<double> searchHedgedLegs(const LiquidationProblem& problem, double markPrice)
{
    std::vector<double> bounds{0.0};
    for (const LiquidationLeg& leg : problem.legs) {
        if (leg.instrument->tierBasis != Instrument::TierBasis::Notional) {
            continue; // tiers by contracts do not change with the price
        }
        const double quantity = leg.quantity.toDouble();
        for (const RiskTier& tier : leg.instrument->riskTiers) {
            if (tier.floor.isPositive()) {
                bounds.push_back(tier.floor.toDouble() / quantity);
            }
        }
    }
    std::sort(bounds.begin(), bounds.end());
    bounds.push_back(std::numeric_limits<double>::infinity());

    std::optional<double> nearest;
    for (std::size_t i = 0; i + 1 < bounds.size(); ++i) {
        const double low = bounds[i];
        const double high = bounds[i + 1];
        if (!(high > low)) {
            continue;
        }
        const double inside = std::isinf(high) ? low * 2 + 1 : (low + high) / 2;
        const Line line = lineOf(problem, tiersAt(problem, inside));
        if (line.slopeDown.isZero()) {
            continue;
        }
        const double root = line.intercept.toDouble() / line.slopeDown.toDouble();
        const double slack = 1e-12 * std::max(1.0, std::abs(root));
        if (root > 0 && root >= low - slack && root <= high + slack &&
            (!nearest || std::abs(root - markPrice) < std::abs(*nearest - markPrice))) {
            nearest = root;
        }
    }
    if (nearest) {
        return nearest;
    }
    return dueNowOrNone(problem, markPrice);
}

} // namespace

std::optional<double> solveLiquidationPrice(const LiquidationProblem& problem, double markPrice)
{
    switch (problem.legs.size()) {
    case 1:
        return searchOneLeg(problem, markPrice);
    case 2:
        return searchHedgedLegs(problem, markPrice);
    default:
        throw std::logic_error("a liquidation search takes one leg or the two legs of a hedged symbol");
    }
}

} // namespace mm
