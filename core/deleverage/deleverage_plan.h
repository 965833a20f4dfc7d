#pragma once

#include "domain/position.h"
#include "domain/venue.h"
#include "money/decimal.h"

#include <optional>
#include <string>
#include <string_view>

namespace mm {

/// What a deleverage restores: the position's distance to liquidation (≥ X % of the mark), or the
/// margin ratio that applies to it (≤ Y, common direction: 1 = liquidation; cross positions share
/// the account's, an isolated position has its own).
struct DeleverageTarget {
    enum class Kind { Distance, MarginRatio };
    Kind kind = Kind::Distance;
    double value = 10.0; ///< Distance: % of the mark; MarginRatio: a fraction (0.8 = 80 %)

    static DeleverageTarget distancePct(double percent) { return {Kind::Distance, percent}; }
    static DeleverageTarget marginRatio(double fraction) { return {Kind::MarginRatio, fraction}; }
    /// "distance to liquidation ≥ 10 %" / "margin ratio ≤ 80 %".
    [[nodiscard]] std::string describe() const;
    /// Why the target cannot be used (not a finite positive number, a ratio ≥ 1), or nullopt.
    [[nodiscard]] std::optional<std::string> problem() const;
};

/// The venue's order-size rules for a symbol, in base units (OKX: lot size × contract value). The
/// Instrument holds only what the margin math needs, so these come from the venue's symbol filters
/// (Binance LOT_SIZE / MIN_NOTIONAL, Bybit lotSizeFilter, OKX lotSz / minSz).
struct LotRules {
    Decimal lotStep;     ///< every order quantity is a whole multiple of it; must be > 0
    Decimal minQuantity; ///< smallest order quantity (0: one lot)
    Decimal minNotional; ///< smallest order value at the mark, in the quote currency (0: none)
};

/// The figures a target is judged by, for the position being reduced.
struct DeleverageMeasure {
    /// False once the plan closes the whole position: nothing of it is left to liquidate (for a
    /// hedged leg the figures below are then the remaining leg's, which shares its liquidation price).
    bool positionOpen = true;
    std::optional<double> liquidationPrice;
    /// nullopt: no liquidation price (none at any positive price), or nothing left open.
    std::optional<double> distancePct;
    double marginRatio = 0; ///< common direction, 1 = liquidation
    bool liquidationDue = false;
};

/// Why a plan has the quantity it has.
enum class DeleverageOutcome {
    Reduce,              ///< the smallest quantity that restores the target
    CloseAllUnreachable, ///< even closing everything does not restore the target: close everything
    CappedShortOfTarget, ///< the per-order cap stops short of the target: this order helps, more are needed
    TargetAlreadyMet,    ///< nothing to do
    BelowMinimum,        ///< the position (or the per-order cap) is below the venue's smallest order
    ReductionDoesNotHelp, ///< reducing this position brings liquidation no further away (isolated dust, a hedge's smaller leg)
    CannotPlan,          ///< a figure is missing or the portfolio cannot be evaluated
};
std::string_view deleverageOutcomeName(DeleverageOutcome outcome);

/// A reduce-only order that restores a target at the current mark, and what it is expected to do.
struct DeleveragePlan {
    DeleverageOutcome outcome = DeleverageOutcome::CannotPlan;
    Venue venue = Venue::Generic;
    std::string symbol;
    Side positionSide = Side::Long;          ///< the side of the position being reduced
    Side orderSide = Side::Short;            ///< always the opposite: the side that reduces it
    PositionSide leg = PositionSide::Both;   ///< hedge mode: the leg being reduced
    MarginMode marginMode = MarginMode::Cross;
    Decimal quantity;                        ///< base units, a multiple of the lot step; 0 when nothing is to be sent
    Decimal positionQuantity;                ///< the position's size when planned
    Decimal markPrice;                       ///< the mark the plan was made at
    Decimal realizedPnl;                     ///< what the reduction realises into the wallet (before fees)
    DeleverageTarget target;
    DeleverageMeasure before;
    DeleverageMeasure after;                 ///< with `quantity` closed (== before when 0)
    bool targetReached = false;              ///< `after` meets the target
    bool targetReachable = false;            ///< some reduction (at most the whole position) meets it
    std::string explanation;                 ///< one line in the trader's words

    [[nodiscard]] bool hasOrder() const { return quantity.isPositive(); }
};

} // namespace mm
