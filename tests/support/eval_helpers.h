#pragma once
// Small helpers shared by the core test suites.

#include "margin/margin_model.h"
#include "portfolio/portfolio_file.h"

#include <cmath>
#include <cstdio>
#include <string>

namespace mm::test {

struct Evaluated {
    Portfolio portfolio;
    PortfolioRisk risk;
};

/// Reads a portfolio from the eval schema and evaluates it with its venue's model.
inline Evaluated evaluate(const std::string& json)
{
    Evaluated result{readPortfolio(json), {}};
    result.risk = MarginModel::forVenue(result.portfolio.account.venue)->evaluate(result.portfolio);
    return result;
}

inline Evaluated evaluate(Portfolio portfolio)
{
    Evaluated result{std::move(portfolio), {}};
    result.risk = MarginModel::forVenue(result.portfolio.account.venue)->evaluate(result.portfolio);
    return result;
}

/// A price estimate as an exact decimal with ten places (for feeding a liquidation price back in).
inline Decimal decimalNear(double value)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.10f", value);
    return Decimal::parse(text);
}

/// Rounds to cents, as the exchanges' worked examples are quoted.
inline double cents(double value)
{
    return std::round(value * 100.0) / 100.0;
}

} // namespace mm::test
