#pragma once

#include "domain/venue.h"
#include "money/decimal.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace mm {

/// OKX `GET /api/v5/public/instruments?instType=SWAP`: each swap's contract value (`ctVal`, base
/// units per contract), by instId — what turns OKX position sizes in contracts into base units.
/// Instruments without a usable ctVal are left out; an error answer or another shape gives nullopt
/// and `problem`. Never throws.
std::optional<std::map<std::string, Decimal, std::less<>>> parseOkxContractValues(std::string_view body,
                                                                                std::string& problem);

/// OKX `GET /api/v5/account/trade-fee?instType=SWAP`: the account's taker fee rate for
/// USDT-margined swaps (`takerU`, else `taker`), as a positive rate — OKX writes a fee charged as a
/// negative number ("-0.0005"), a rebate as a positive one (given back as 0: no fee to count). OKX
/// counts the closing fee in a position's requirement, so liquidation prices depend on it. An error
/// answer or another shape gives nullopt and `problem`. Never throws.
std::optional<Decimal> parseOkxTakerFeeRate(std::string_view body, std::string& problem);

/// Hyperliquid `POST /info {"type":"meta"}`: each asset's maximum leverage, by coin — its
/// maintenance margin rate is 1 / (2 × max leverage). Assets without a positive integer
/// maxLeverage are left out; another shape gives nullopt and `problem`. Never throws.
std::optional<std::map<std::string, int, std::less<>>> parseHyperliquidMaxLeverage(std::string_view body,
                                                                                 std::string& problem);

/// What a venue accepts as an order's size for one instrument, in base units.
struct OrderSizeRules {
    Decimal step;        ///< quantities are whole multiples of it
    Decimal minQuantity; ///< the smallest order
    Decimal minNotional; ///< the smallest quantity × price (0: none)
};

/// Each instrument's order-size rules from the venue's instrument list, by the venue's symbol:
/// Binance `GET /fapi/v1/exchangeInfo` (MARKET_LOT_SIZE, else LOT_SIZE: stepSize and minQty;
/// MIN_NOTIONAL: notional), Bybit `GET /v5/market/instruments-info?category=linear` (lotSizeFilter:
/// qtyStep, minOrderQty, minNotionalValue), OKX `GET /api/v5/public/instruments?instType=SWAP`
/// (lotSz and minSz in contracts, × ctVal into base units). Instruments without usable rules are
/// left out; an error answer or another shape gives nullopt and `problem`. Never throws.
std::optional<std::map<std::string, OrderSizeRules, std::less<>>> parseOrderSizeRules(Venue venue, std::string_view body,
                                                                                     std::string& problem);

} // namespace mm
