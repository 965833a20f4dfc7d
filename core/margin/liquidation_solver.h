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

/// The price at which equity falls to the requirement when the legs' price moves; nullopt when no
/// positive price liquidates; the mark itself when every positive price does (liquidation is due
/// now — the account is beyond it whatever this symbol's price).
///
/// One leg (one-way or isolated) — the loop Binance's FAQ prescribes: solve with the tiers at the
/// mark, look the tiers up again at the resulting price, repeat until they agree. Why it ends: with
/// tables that pass findRiskTierProblem(), the maintenance margin is the maximum of the tiers' lines
/// (continuous, convex in P), so f(P) = equity − requirement is concave, piecewise linear and
/// strictly monotone — its slope is quantity·(1 − rate − fee) > 0 for a long and
/// −quantity·(1 + rate + fee) < 0 for a short — so it has exactly one root.
/// The line of the tiers at P is the tangent of f at P, so the loop is Newton's method on f. A
/// tangent of a concave function lies above it, so the first step lands where f ≤ 0 and every later
/// step moves monotonically toward the root, entering a new linear piece each time: it ends within
/// (number of tiers) steps. The bound in the code only stops two tiers alternating through rounding
/// when the root lies exactly on a tier boundary.
///
/// Two hedged legs of one symbol — f is still concave but rises and falls (net long near the mark,
/// both legs' requirements growing far away), so it may have a root on each side of the mark, or
/// none. Each linear piece between the prices where a leg changes tier is solved exactly and the
/// root nearest the mark is returned: the nearer threat.
///
/// Either way, without a positive root the result is none when f > 0 at the mark and the mark
/// itself otherwise.
std::optional<double> solveLiquidationPrice(const LiquidationProblem& problem, double markPrice);

} // namespace mm
