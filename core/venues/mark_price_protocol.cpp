#include "venues/mark_price_protocol.h"

#include <algorithm>
#include <cctype>

#include "venues/binance_usdm/binance_mark_prices.h"
#include "venues/bybit_linear/bybit_mark_prices.h"
#include "venues/hyperliquid/hyperliquid_mark_prices.h"
#include "venues/okx_swap/okx_mark_prices.h"

namespace mm {

std::unique_ptr<MarkPriceProtocol> MarkPriceProtocol::forVenue(Venue venue)
{
    switch (venue) {
    case Venue::BinanceUsdm:
        return std::make_unique<BinanceMarkPrices>();
    case Venue::BybitLinear:
        return std::make_unique<BybitMarkPrices>();
    case Venue::OkxSwap:
        return std::make_unique<OkxMarkPrices>();
    case Venue::Hyperliquid:
        return std::make_unique<HyperliquidMarkPrices>();
    case Venue::Generic:
        return nullptr;
    }
    return nullptr;
}

bool MarkPriceProtocol::isSymbolName(std::string_view symbol)
{
    return !symbol.empty() && symbol.size() <= 40 && std::all_of(symbol.begin(), symbol.end(), [](unsigned char c) {
        return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == ':'; // Hyperliquid: "dex:COIN"
    });
}

std::vector<std::string> MarkPriceProtocol::runtimeSubscribeMessages(const std::vector<std::string>& added) const
{
    auto only = forVenue(venue());
    only->setSymbols(added);
    return only->subscribeMessages();
}

} // namespace mm
