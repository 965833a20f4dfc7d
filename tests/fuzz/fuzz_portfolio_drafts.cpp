// libFuzzer target: manual positions from arbitrary bytes (readPortfolioDrafts: one account or a
// list). Bad input must be a PortfolioFileError; drafts that read must write back to text that
// reads as the same drafts (nothing typed is lost on save).
#include "portfolio/portfolio_draft.h"
#include "portfolio/portfolio_file.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::vector<mm::PortfolioDraft> drafts;
    try {
        drafts = mm::readPortfolioDrafts(std::string_view(reinterpret_cast<const char*>(data), size));
    } catch (const mm::PortfolioFileError&) {
        return 0;
    }
    try {
        if (mm::readPortfolioDrafts(mm::writePortfolioListText(drafts)) != drafts) {
            std::abort();
        }
    } catch (const mm::PortfolioFileError&) {
        std::abort(); // what was accepted once must be accepted again
    }
    return 0;
}
