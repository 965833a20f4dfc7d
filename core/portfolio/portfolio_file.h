#pragma once

#include "domain/account.h"
#include "margin/risk.h"

#include <stdexcept>
#include <string>
#include <string_view>

namespace mm {

/// A portfolio file that cannot be used, with the field at fault ("positions[2].quantity"; empty for
/// a JSON syntax error) and the reason in words.
class PortfolioFileError : public std::runtime_error {
public:
    PortfolioFileError(std::string field, std::string reason);
    [[nodiscard]] const std::string& field() const { return m_field; }
    [[nodiscard]] const std::string& reason() const { return m_reason; }

private:
    std::string m_field;
    std::string m_reason;
};

/// Reads a portfolio in the `marginctl eval` schema (docs/portfolio-format in the README): one
/// account on one venue with its positions. Numbers may be JSON numbers or decimal strings and are
/// read exactly. Every field is checked — type, sign, range, consistency (hedge legs, isolated
/// margin), unknown names (a misspelt optional field must not be silently ignored) — and the first
/// problem is thrown as a PortfolioFileError. Maintenance tiers come from the position's own
/// maintenanceMarginRate/maintenanceAmount, else Hyperliquid's max-leverage rule, else the
/// published tables; a symbol with none of them is an error naming the symbol.
Portfolio readPortfolio(std::string_view jsonText);

/// The evaluation as indented JSON text: per position symbol, side, marginMode, markPrice,
/// liquidationPrice (null when none), distanceToLiquidation(Pct), notional, maintenanceMargin,
/// marginRatio, unrealizedPnl, tier (null when the rate was given), liquidationDue; and the
/// account's balances, requirement, ratios and liquidationDue. Amounts are exact decimals; estimates
/// (prices, ratios, distances) the shortest text that reads back as the same double; a ratio with
/// no finite value is null (common ratio: margin balance ≤ 0, liquidationDue says so; OKX's native
/// ratio: nothing required).
std::string portfolioRiskToJson(const Portfolio& portfolio, const PortfolioRisk& risk);

} // namespace mm
