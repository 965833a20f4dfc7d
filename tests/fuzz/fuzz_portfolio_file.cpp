// libFuzzer target: a portfolio file from arbitrary bytes, through the whole `marginctl eval` path.
// Bad input must be a PortfolioFileError; a portfolio that reads must evaluate and report without
// crashing (a sum beyond Decimal's range may throw DecimalError, as marginctl reports it).
#include "margin/margin_model.h"
#include "portfolio/portfolio_file.h"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    mm::Portfolio portfolio;
    try {
        portfolio = mm::readPortfolio(std::string_view(reinterpret_cast<const char*>(data), size));
    } catch (const mm::PortfolioFileError&) {
        return 0;
    }
    try {
        const auto risk = mm::MarginModel::forVenue(portfolio.account.venue)->evaluate(portfolio);
        (void)mm::portfolioRiskToJson(portfolio, risk);
    } catch (const mm::DecimalError&) {
    }
    return 0;
}
