#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mm {

/// One position as the trader typed it: every field of the portfolio file (the `eval` schema) as
/// its text, "" where the field is left out. Saving writes back exactly what was typed — no
/// rounding through a double, no tier table written out — and readPortfolio() is what checks it.
struct PositionDraft {
    std::string symbol;
    std::string side; ///< "long" or "short"
    std::string quantity;
    std::string entryPrice;
    std::string markPrice; ///< the mark until the first live price arrives
    std::string marginMode;
    std::string positionSide;
    std::string leverage;
    std::string isolatedMargin;
    std::string maintenanceMarginRate;
    std::string maintenanceAmount;
    std::string maxLeverage;
    std::string takerFeeRate;

    bool operator==(const PositionDraft&) const = default;
};

/// One account as the trader typed it (see PositionDraft).
struct PortfolioDraft {
    std::string venue; ///< "binance-usdm", "bybit-linear", "okx-swap", "hyperliquid", "generic"
    std::string label;
    std::string marginMode;
    std::string walletBalance;
    std::vector<PositionDraft> positions;

    bool operator==(const PortfolioDraft&) const = default;
};

/// The draft as a portfolio file: indented JSON in the `eval` schema, numbers as decimal strings,
/// fields left out where the draft has "". Does not check anything: pass the text to
/// readPortfolio() for that.
std::string writePortfolioText(const PortfolioDraft& draft);

/// Several accounts as one file: {"accounts": [ …one portfolio each… ]} (the manual positions).
std::string writePortfolioListText(const std::vector<PortfolioDraft>& drafts);

/// Reads a portfolio file — one account (the `eval` schema) or {"accounts": [ … ]} — into drafts.
/// Every account is checked with readPortfolio() first; the first problem is thrown as a
/// PortfolioFileError whose field names the account ("accounts[1].positions[0].quantity").
std::vector<PortfolioDraft> readPortfolioDrafts(std::string_view jsonText);

} // namespace mm
