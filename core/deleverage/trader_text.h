#pragma once
// Number formatting for the one-line explanations and the audit trail (internal to core/deleverage).

#include "domain/position.h"
#include "money/decimal.h"

#include <cmath>
#include <cstdio>
#include <optional>
#include <string>

namespace mm::deleverage_text {

inline std::string fixed(double value, int places)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", places, value);
    return text;
}

/// "3.21 %", "none" for a missing distance (no liquidation price), "∞" style words for infinities.
inline std::string percent(std::optional<double> value)
{
    if (!value) {
        return "none";
    }
    if (std::isinf(*value)) {
        return *value > 0 ? "unbounded" : "beyond liquidation";
    }
    return fixed(*value, 2) + " %";
}

/// A common-direction ratio as a percentage: 0.8 → "80.0 %".
inline std::string ratio(double value)
{
    if (std::isinf(value)) {
        return "beyond liquidation";
    }
    return fixed(value * 100.0, 1) + " %";
}

inline std::string orderVerb(Side orderSide)
{
    return orderSide == Side::Short ? "sell" : "buy";
}

inline std::string sideWord(Side side)
{
    return side == Side::Long ? "long" : "short";
}

} // namespace mm::deleverage_text
