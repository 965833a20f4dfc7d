#pragma once

#include "domain/account.h"

#include <string_view>
#include <vector>

namespace mm {

/// The accounts of a portfolio file: one account (the `marginctl eval` schema) or
/// {"accounts": [ … ]} (the manual positions file). Every account is checked by readPortfolio();
/// the first problem is thrown as a PortfolioFileError whose field names the account
/// ("accounts[1].positions[0].quantity").
std::vector<Portfolio> readPortfolioList(std::string_view jsonText);

} // namespace mm
