#include "replay/portfolio_list.h"

#include "portfolio/portfolio_draft.h"
#include "portfolio/portfolio_file.h"

namespace mm {

std::vector<Portfolio> readPortfolioList(std::string_view jsonText)
{
    // The drafts keep every field's text as written, so reading each back loses nothing.
    std::vector<Portfolio> portfolios;
    for (const PortfolioDraft& draft : readPortfolioDrafts(jsonText)) {
        portfolios.push_back(readPortfolio(writePortfolioText(draft)));
    }
    return portfolios;
}

} // namespace mm
