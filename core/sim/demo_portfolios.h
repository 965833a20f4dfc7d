#pragma once

#include "domain/account.h"

#include <vector>

namespace mm::sim {

/// The demo accounts, one per venue: resources/examples/{demo-portfolio,bybit-linear,okx-swap,
/// hyperliquid}.json, compiled in (the embedded default needs no file at run time).
std::vector<Portfolio> demoPortfolios();

} // namespace mm::sim
