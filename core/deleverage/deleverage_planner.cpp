#include "deleverage/deleverage_planner.h"

#include "deleverage/trader_text.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <stdexcept>

namespace mm {
namespace {

using namespace deleverage_text;

constexpr double kInfinity = std::numeric_limits<double>::infinity();

/// A whole, non-negative number of lots as an integer (the counts are far below 2^53).
std::int64_t wholeLots(const Decimal& lots)
{
    return static_cast<std::int64_t>(std::llround(lots.roundToStep(Decimal::fromInteger(1), Decimal::Rounding::Down).toDouble()));
}

Decimal lotsToQuantity(std::int64_t lots, const Decimal& step)
{
    return step * Decimal::fromInteger(lots);
}

Decimal isolatedMarginOf(const Position& position)
{
    if (position.isolatedMargin) {
        return *position.isolatedMargin;
    }
    if (position.leverage && position.leverage->isPositive()) {
        return position.notionalAt(position.entryPrice) / *position.leverage;
    }
    throw std::invalid_argument("isolated position " + position.symbol + " needs its margin or its leverage");
}

/// "sell 0.125 of 0.5 BTCUSDT (long)"
std::string orderWords(const DeleveragePlan& plan)
{
    return orderVerb(plan.orderSide) + " " + plan.quantity.toString() + " of " + plan.positionQuantity.toString() + " " +
           plan.symbol + " (" + sideWord(plan.positionSide) + (plan.leg == PositionSide::Both ? "" : " leg") + ")";
}

std::string figureWords(const DeleverageTarget& target, const DeleverageMeasure& measure)
{
    if (target.kind == DeleverageTarget::Kind::MarginRatio) {
        return "margin ratio " + ratio(measure.marginRatio);
    }
    if (!measure.positionOpen && !measure.distancePct) {
        return "nothing left to liquidate";
    }
    if (!measure.distancePct) {
        return measure.liquidationDue ? "liquidation due" : "no liquidation price";
    }
    return "distance to liquidation " + percent(measure.distancePct);
}

} // namespace

bool DeleveragePlanner::meets(const DeleverageTarget& target, const DeleverageMeasure& measure)
{
    switch (target.kind) {
    case DeleverageTarget::Kind::Distance:
        return safety(target, measure) >= target.value;
    case DeleverageTarget::Kind::MarginRatio:
        return measure.marginRatio <= target.value;
    }
    return false;
}

double DeleveragePlanner::safety(const DeleverageTarget& target, const DeleverageMeasure& measure)
{
    if (target.kind == DeleverageTarget::Kind::MarginRatio) {
        return -measure.marginRatio;
    }
    if (measure.distancePct) {
        return *measure.distancePct;
    }
    // No liquidation price: none at any positive price (or nothing open) — unless the account is
    // already beyond it.
    return measure.liquidationDue ? -kInfinity : kInfinity;
}

Portfolio DeleveragePlanner::reducedPortfolio(const Portfolio& portfolio, std::size_t index, const Decimal& quantity,
                                              const Decimal& closingFeeRate)
{
    Portfolio result = portfolio;
    Position& position = result.positions.at(index);
    if (quantity.isNegative() || quantity > position.quantity) {
        throw std::invalid_argument("a reduction must be between 0 and the position's quantity");
    }
    if (quantity.isZero()) {
        return result;
    }
    const Decimal perUnit = position.markPrice - position.entryPrice;
    const Decimal realized = position.side == Side::Long ? quantity * perUnit : -(quantity * perUnit);
    const Decimal fee = quantity * position.markPrice * closingFeeRate;
    result.account.walletBalance += realized - fee;
    const Decimal remaining = position.quantity - quantity;
    if (position.marginMode == MarginMode::Isolated) {
        const Decimal margin = isolatedMarginOf(position);
        const Decimal kept = margin * remaining / position.quantity;
        result.account.walletBalance += margin - kept; // released to the cross wallet
        if (position.isolatedMargin) {
            position.isolatedMargin = kept;
        } // else derived from leverage × remaining entry notional: already proportional
    }
    if (remaining.isZero()) {
        result.positions.erase(result.positions.begin() + static_cast<std::ptrdiff_t>(index));
    } else {
        position.quantity = remaining;
    }
    return result;
}

DeleverageMeasure DeleveragePlanner::measureAfter(const Portfolio& portfolio, std::size_t index, const Decimal& quantity,
                                                  const Decimal& closingFeeRate) const
{
    const Position& position = portfolio.positions.at(index);
    const Portfolio after = reducedPortfolio(portfolio, index, quantity, closingFeeRate);
    const PortfolioRisk risk = m_model.evaluate(after);
    DeleverageMeasure measure;
    auto take = [&measure](const PositionRisk& positionRisk) {
        measure.liquidationPrice = positionRisk.liquidationPrice;
        measure.distancePct = positionRisk.distanceToLiquidationPct;
        measure.marginRatio = positionRisk.marginRatio;
        measure.liquidationDue = positionRisk.liquidationDue;
    };
    if (quantity < position.quantity) {
        take(risk.positions.at(index));
        return measure;
    }
    measure.positionOpen = false;
    if (position.marginMode == MarginMode::Isolated) {
        return measure; // its own margin ratio is gone with it
    }
    measure.marginRatio = risk.account.marginRatio;
    measure.liquidationDue = risk.account.liquidationDue;
    // A closed hedge leg leaves the other leg, which shared its liquidation price: that is what
    // closing it achieved (binance "hedge mode": both legs of a symbol share one cross price).
    for (std::size_t i = 0; i < after.positions.size(); ++i) {
        const Position& other = after.positions[i];
        if (other.symbol == position.symbol && other.marginMode == MarginMode::Cross) {
            take(risk.positions[i]);
            measure.positionOpen = false;
            break;
        }
    }
    if (!measure.distancePct) {
        measure.liquidationDue = false; // nothing of this symbol is left to liquidate
    }
    return measure;
}

DeleveragePlan DeleveragePlanner::plan(const Portfolio& portfolio, const DeleverageRequest& request) const
{
    DeleveragePlan plan;
    plan.venue = portfolio.account.venue;
    plan.target = request.target;
    if (request.position >= portfolio.positions.size()) {
        plan.explanation = "Cannot plan: there is no position number " + std::to_string(request.position + 1) + ".";
        return plan;
    }
    const Position& position = portfolio.positions[request.position];
    plan.symbol = position.symbol;
    plan.positionSide = position.side;
    plan.orderSide = position.side == Side::Long ? Side::Short : Side::Long; // the side that reduces it, never the other
    plan.leg = position.positionSide;
    plan.marginMode = position.marginMode;
    plan.positionQuantity = position.quantity;
    plan.markPrice = position.markPrice;
    if (auto problem = request.target.problem()) {
        plan.explanation = "Cannot plan: " + *problem + ".";
        return plan;
    }
    const LotRules& rules = request.lotRules;
    if (!rules.lotStep.isPositive()) {
        plan.explanation = "Cannot plan: the lot step of " + position.symbol + " is unknown.";
        return plan;
    }
    if (!position.quantity.isPositive() || !position.markPrice.isPositive()) {
        plan.explanation = "Cannot plan: " + position.symbol + " has no open quantity or no mark price.";
        return plan;
    }
    const Decimal feeRate = request.closingFeeRate.value_or(position.takerFeeRate);
    try {
        plan.before = measureAfter(portfolio, request.position, Decimal(), feeRate);
        plan.after = plan.before;
        plan.targetReached = meets(request.target, plan.before);
        if (plan.targetReached) {
            plan.outcome = DeleverageOutcome::TargetAlreadyMet;
            plan.targetReachable = true;
            plan.explanation = "Nothing to do: " + figureWords(plan.target, plan.before) + " already meets the target (" +
                               plan.target.describe() + ").";
            return plan;
        }

        const Decimal& step = rules.lotStep;
        // A hedged cross leg shares its liquidation price with the other leg: reducing it past the
        // other leg's size turns the symbol's net exposure the other way — more exposure, not less —
        // so the most it may be reduced is the difference (and nothing when it is the smaller leg).
        Decimal reducible = position.quantity;
        const Position* otherLeg = nullptr;
        if (position.marginMode == MarginMode::Cross && position.positionSide != PositionSide::Both) {
            for (const Position& other : portfolio.positions) {
                if (&other != &position && other.symbol == position.symbol && other.marginMode == MarginMode::Cross &&
                    other.side != position.side) {
                    otherLeg = &other;
                    reducible = position.quantity > other.quantity ? position.quantity - other.quantity : Decimal();
                }
            }
        }
        if (otherLeg && !reducible.isPositive()) {
            plan.outcome = DeleverageOutcome::ReductionDoesNotHelp;
            plan.explanation = "Reducing the " + sideWord(position.side) + " leg of " + position.symbol + " (" +
                               position.quantity.toString() + ", the other leg " + otherLeg->quantity.toString() +
                               ") would add to the symbol's net " + sideWord(otherLeg->side) +
                               " exposure: reduce the other leg instead.";
            return plan;
        }
        const std::int64_t wholePosition = wholeLots(reducible / step);
        std::int64_t minimum = 1; // lots
        if (rules.minQuantity.isPositive()) {
            minimum = std::max(minimum, wholeLots((rules.minQuantity / step).roundToStep(Decimal::fromInteger(1),
                                                                                          Decimal::Rounding::Up)));
        }
        if (rules.minNotional.isPositive()) {
            const Decimal lotValue = step * position.markPrice;
            std::int64_t lots = wholeLots((rules.minNotional / lotValue).roundToStep(Decimal::fromInteger(1), Decimal::Rounding::Up));
            // Division rounds at 10⁻¹⁸: settle the count with exact products.
            while (lots > 1 && lotsToQuantity(lots - 1, step) * position.markPrice >= rules.minNotional) {
                --lots;
            }
            while (lotsToQuantity(lots, step) * position.markPrice < rules.minNotional) {
                ++lots;
            }
            minimum = std::max(minimum, lots);
        }
        std::int64_t allowed = wholePosition;
        if (request.maxQuantity) {
            allowed = std::min(allowed, wholeLots(*request.maxQuantity / step));
        }
        if (minimum > wholePosition) {
            plan.outcome = DeleverageOutcome::BelowMinimum;
            plan.explanation = "Cannot reduce: the position (" + reducible.toString() + " " + position.symbol +
                               (otherLeg ? " beyond the other leg" : "") + ") is below the smallest order the venue accepts (" +
                               lotsToQuantity(minimum, step).toString() + ").";
            return plan;
        }
        auto measureLots = [&](std::int64_t lots) {
            return measureAfter(portfolio, request.position, lotsToQuantity(lots, step), feeRate);
        };
        const DeleverageMeasure closed = measureLots(wholePosition);
        plan.targetReachable = meets(request.target, closed);
        const double gain = safety(request.target, closed) - safety(request.target, plan.before);
        const double scale = std::max(1.0, std::abs(safety(request.target, plan.before)));
        if (!(gain > 1e-9 * scale)) {
            plan.outcome = DeleverageOutcome::ReductionDoesNotHelp;
            plan.after = closed;
            plan.explanation = "Reducing " + position.symbol + " (" + sideWord(position.side) +
                               ") would not move liquidation further away (" + figureWords(plan.target, plan.before) +
                               " → " + figureWords(plan.target, closed) + ")" +
                               (position.positionSide == PositionSide::Both ? "." : ": reduce the other leg instead.");
            return plan;
        }
        if (minimum > allowed) {
            plan.outcome = DeleverageOutcome::BelowMinimum;
            plan.explanation = "Cannot reduce: the most one order may take (" + lotsToQuantity(allowed, step).toString() +
                               " " + position.symbol + ") is below the smallest order the venue accepts (" +
                               lotsToQuantity(minimum, step).toString() + ").";
            return plan;
        }

        std::int64_t chosen = allowed;
        DeleverageMeasure chosenMeasure = allowed == wholePosition ? closed : measureLots(allowed);
        if (meets(request.target, chosenMeasure)) {
            // Bisection over lots: `low` does not meet the target, `high` does.
            DeleverageMeasure lowest = measureLots(minimum);
            if (meets(request.target, lowest)) {
                chosen = minimum;
                chosenMeasure = lowest;
            } else {
                std::int64_t low = minimum;
                std::int64_t high = allowed;
                while (high - low > 1) {
                    const std::int64_t middle = low + (high - low) / 2;
                    DeleverageMeasure measure = measureLots(middle);
                    if (meets(request.target, measure)) {
                        high = middle;
                        chosenMeasure = measure;
                    } else {
                        low = middle;
                    }
                }
                chosen = high;
            }
            plan.outcome = DeleverageOutcome::Reduce;
        } else if (allowed < wholePosition) {
            plan.outcome = DeleverageOutcome::CappedShortOfTarget;
        } else {
            plan.outcome = DeleverageOutcome::CloseAllUnreachable;
        }
        plan.quantity = lotsToQuantity(chosen, step);
        plan.after = chosenMeasure;
        plan.targetReached = meets(request.target, chosenMeasure);
        const Decimal perUnit = position.markPrice - position.entryPrice;
        plan.realizedPnl = position.side == Side::Long ? plan.quantity * perUnit : -(plan.quantity * perUnit);

        const std::string figures = figureWords(plan.target, plan.before) + " → " + figureWords(plan.target, plan.after);
        std::string order = orderWords(plan);
        order[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(order[0])));
        switch (plan.outcome) {
        case DeleverageOutcome::Reduce:
            plan.explanation = order + " reduce-only: " + figures + " (target " + plan.target.describe() + ").";
            break;
        case DeleverageOutcome::CappedShortOfTarget:
            plan.explanation = order + " reduce-only, the most one order may take: " + figures + ", short of the target (" +
                               plan.target.describe() + ")" +
                               (plan.targetReachable ? "; more orders are needed." : "; even closing all would not reach it.");
            break;
        case DeleverageOutcome::CloseAllUnreachable:
            plan.explanation = std::string(otherLeg ? "Even reducing the leg to the size of the other leg" : "Even closing the whole position") +
                               " does not reach the target (" + plan.target.describe() +
                               "): " + order + " reduce-only, " + figures + ".";
            break;
        case DeleverageOutcome::TargetAlreadyMet:
        case DeleverageOutcome::BelowMinimum:
        case DeleverageOutcome::ReductionDoesNotHelp:
        case DeleverageOutcome::CannotPlan:
            break;
        }
        if (position.marginMode == MarginMode::Isolated && (plan.outcome != DeleverageOutcome::Reduce || chosen == wholePosition)) {
            plan.explanation += " (An isolated position keeps its margin per unit when reduced, so its liquidation price "
                                "stays; adding margin is the alternative.)";
        }
    } catch (const std::exception& error) {
        plan = DeleveragePlan{DeleverageOutcome::CannotPlan, plan.venue, plan.symbol, plan.positionSide, plan.orderSide,
                              plan.leg, plan.marginMode, Decimal(), plan.positionQuantity, plan.markPrice, Decimal(),
                              plan.target, {}, {}, false, false, ""};
        plan.explanation = std::string("Cannot plan: ") + error.what() + ".";
    }
    return plan;
}

} // namespace mm
