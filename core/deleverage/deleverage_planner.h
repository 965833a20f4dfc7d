#pragma once

#include "deleverage/deleverage_plan.h"
#include "domain/account.h"
#include "margin/margin_model.h"

#include <cstddef>
#include <optional>

namespace mm {

/// What to plan: which position, to what target, within which order-size rules.
struct DeleverageRequest {
    std::size_t position = 0; ///< index in Portfolio::positions
    DeleverageTarget target;
    LotRules lotRules;
    /// The most one order may take (the executor's "fraction of the position per order" cap), base units.
    std::optional<Decimal> maxQuantity;
    /// Fee rate charged on the closed notional, taken from the wallet. Unset: the position's taker fee
    /// rate (set where the venue counts it, OKX), else none.
    std::optional<Decimal> closingFeeRate;
};

/// Finds the smallest reduce-only quantity — a whole number of lots, at least the venue's minimum,
/// at most the position — that restores a target at the current mark. A hedged cross leg is reduced
/// at most to the other leg's size: beyond, the symbol's net exposure turns the other way (more
/// exposure, not less), and reducing the smaller leg is refused outright.
///
/// Each candidate is judged by the venue's real MarginModel on the portfolio as the venue would hold
/// it after the fill (see reducedPortfolio): cross positions share the account's margin, so the
/// other positions count. More reduction never hurts the position being reduced (its requirement
/// falls, the margin balance stays), so the lots are searched by bisection; the quantity found
/// restores the target and one lot less does not. Pure: no clock, no I/O.
class DeleveragePlanner {
public:
    explicit DeleveragePlanner(const MarginModel& model) : m_model(model) {}

    /// Never throws for a bad portfolio or request: the plan says CannotPlan and why.
    [[nodiscard]] DeleveragePlan plan(const Portfolio& portfolio, const DeleverageRequest& request) const;

    /// The portfolio after closing `quantity` of position `index` at its mark, as the venues settle
    /// it (Binance "Realized PnL", Bybit "closed PnL", OKX "pnl" on a partial close):
    ///  - cross: the realised PnL, quantity × (mark − entry) × side, moves from unrealised into the
    ///    wallet, so the margin balance is unchanged while the maintenance margin falls;
    ///  - isolated: the closed share of the isolated margin is released to the cross wallet with the
    ///    realised PnL; the rest keeps the same margin per unit (so its liquidation price stays);
    ///  - the closing fee, quantity × mark × fee rate, leaves the wallet;
    ///  - closing the whole quantity removes the position.
    [[nodiscard]] static Portfolio reducedPortfolio(const Portfolio& portfolio, std::size_t index, const Decimal& quantity,
                                                    const Decimal& closingFeeRate);

    /// The figures of position `index` with `quantity` of it closed. Throws what MarginModel::evaluate throws.
    [[nodiscard]] DeleverageMeasure measureAfter(const Portfolio& portfolio, std::size_t index, const Decimal& quantity,
                                                 const Decimal& closingFeeRate) const;

    /// Whether the figures meet the target (a closed position meets a distance target: nothing is left to liquidate).
    [[nodiscard]] static bool meets(const DeleverageTarget& target, const DeleverageMeasure& measure);

private:
    /// Larger is safer: the distance in %, or minus the margin ratio.
    [[nodiscard]] static double safety(const DeleverageTarget& target, const DeleverageMeasure& measure);

    const MarginModel& m_model;
};

} // namespace mm
