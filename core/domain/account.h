#pragma once

#include "domain/position.h"
#include "domain/venue.h"
#include "money/decimal.h"

#include <string>
#include <vector>

namespace mm {

/// One trading account on one venue.
struct Account {
    Venue venue = Venue::Generic;
    std::string label;
    MarginMode marginMode = MarginMode::Cross; ///< the default for its positions
    /// The cross wallet balance / account collateral, excluding unrealised PnL.
    Decimal walletBalance;
};

/// An account with its open positions: what the margin models evaluate.
struct Portfolio {
    Account account;
    std::vector<Position> positions;
};

} // namespace mm
