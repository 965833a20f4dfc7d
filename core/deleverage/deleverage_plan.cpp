#include "deleverage/deleverage_plan.h"

#include "deleverage/trader_text.h"

#include <cmath>

namespace mm {

std::string DeleverageTarget::describe() const
{
    switch (kind) {
    case Kind::Distance:
        return "distance to liquidation ≥ " + deleverage_text::fixed(value, 2) + " %";
    case Kind::MarginRatio:
        return "margin ratio ≤ " + deleverage_text::ratio(value);
    }
    return "?";
}

std::optional<std::string> DeleverageTarget::problem() const
{
    if (!std::isfinite(value) || value <= 0) {
        return "the deleverage target must be a positive number";
    }
    if (kind == Kind::MarginRatio && value >= 1.0) {
        return "a margin-ratio target must be below 100 % (100 % is liquidation)";
    }
    if (kind == Kind::Distance && value >= 100.0) {
        return "a distance target must be below 100 % of the mark";
    }
    return std::nullopt;
}

std::string_view deleverageOutcomeName(DeleverageOutcome outcome)
{
    switch (outcome) {
    case DeleverageOutcome::Reduce: return "reduce";
    case DeleverageOutcome::CloseAllUnreachable: return "close all, target unreachable";
    case DeleverageOutcome::CappedShortOfTarget: return "capped short of target";
    case DeleverageOutcome::TargetAlreadyMet: return "target already met";
    case DeleverageOutcome::BelowMinimum: return "below minimum order";
    case DeleverageOutcome::ReductionDoesNotHelp: return "reduction does not help";
    case DeleverageOutcome::CannotPlan: return "cannot plan";
    }
    return "?";
}

} // namespace mm
