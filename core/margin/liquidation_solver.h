#pragma once

#include "domain/instrument.h"
#include "money/decimal.h"

#include <optional>
#include <span>

namespace mm {

/// One position whose price moves in the search. Legs of one symbol (hedge mode) move together.
struct LiquidationLeg {
    int direction = 1; ///< +1 long, −1 short
    Decimal quantity;  ///< base units, positive
    const Instrument* instrument = nullptr;
    Decimal closingFeeRate; ///< added to the maintenance rate where the venue counts the fee (OKX)
};

/// What stays fixed while the legs' price P moves:
///     equity(P)      = equityAtZero + Σ direction·quantity·P
///     requirement(P) = otherRequirement + Σ (quantity·P·(rate(P) + fee) − amount(P))
/// equityAtZero holds the wallet (or isolated margin), the other positions' PnL at their own marks,
/// and −Σ direction·quantity·entry; otherRequirement the other positions' maintenance margin.
struct LiquidationProblem {
    std::span<const LiquidationLeg> legs; ///< one leg, or the two legs of a hedged symbol
    Decimal equityAtZero;
    Decimal otherRequirement;
};

/// The price at which equity falls to the requirement, searched as Binance's FAQ prescribes: solve
/// with the tiers at the mark, look the tiers up again at the resulting price, and repeat until
/// they agree. nullopt when no positive price liquidates.
///
/// Why the loop ends: with tables that pass findRiskTierProblem(), each leg's maintenance margin is
/// the maximum of its tiers' lines (continuous, convex), so f(P) = equity − requirement is concave
/// and piecewise linear, and the line of the tiers at P is the tangent of f at P. The loop is
/// Newton's method on f: the first step lands where f ≤ 0 (a tangent lies above a concave f), and
/// from there each step moves monotonically toward the root and enters a new linear piece. There
/// are at most Σ(tier count) pieces, so it ends within that many steps; a guard stops at that bound
/// should floating-point ties at a tier boundary make two tiers alternate.
std::optional<double> solveLiquidationPrice(const LiquidationProblem& problem, double markPrice);

} // namespace mm
