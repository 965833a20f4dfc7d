#include "deleverage/account_deleverage_settings.h"

#include <cmath>

namespace mm {

std::optional<std::string> AccountDeleverageSettings::problem(bool headless) const
{
    if (auto targetProblem = target.problem()) {
        return targetProblem;
    }
    if (countdown.count() < 0) {
        return std::string("the countdown cannot be negative");
    }
    if (countdown.count() == 0 && !headless) {
        return std::string("a countdown of zero is allowed only without a screen: the trader must be able to cancel");
    }
    if (maxOrdersPerPositionPerHour < 0 || maxOrdersPerPositionPerDay < 0) {
        return std::string("the order caps cannot be negative");
    }
    if (!std::isfinite(planningHeadroom) || planningHeadroom < 0 || planningHeadroom > 50) {
        return "the planning headroom must be between 0 and 50 percentage points";
    }
    if (maxFractionPerOrder && !(*maxFractionPerOrder > 0 && *maxFractionPerOrder <= 1)) {
        return std::string("the fraction of a position per order must be above 0 and at most 1");
    }
    if (maxMarkAge.count() <= 0 || maxAccountReadAge.count() <= 0) {
        return std::string("the data ages allowed must be positive");
    }
    return std::nullopt;
}

} // namespace mm
