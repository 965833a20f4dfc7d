#pragma once
// The benchmarks' generated accounts: N positions spread over four accounts, one per venue, on
// `symbols` feeds in all (symbols / 4 per venue, named S0USDT, S1USDT, …) — hedged pairs first, then
// isolated positions — every symbol with a one-tier table, so that the margin model has real work.
#include "domain/account.h"
#include "domain/instrument.h"

#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace mm::bench {

inline std::vector<mm::Portfolio> makeAccounts(std::size_t positions, std::size_t symbols)
{
    const std::array venues{mm::Venue::BinanceUsdm, mm::Venue::BybitLinear, mm::Venue::OkxSwap, mm::Venue::Hyperliquid};
    std::vector<mm::Portfolio> accounts(venues.size());
    std::vector<std::map<std::string, std::shared_ptr<const mm::Instrument>>> instruments(venues.size());
    const std::size_t perVenue = symbols / venues.size();
    for (std::size_t v = 0; v < venues.size(); ++v) {
        accounts[v].account.venue = venues[v];
        accounts[v].account.walletBalance = mm::Decimal::fromInteger(static_cast<std::int64_t>(positions) * 5'000);
    }
    for (std::size_t i = 0; i < positions; ++i) {
        const std::size_t v = i % venues.size();
        const std::size_t round = i / (venues.size() * perVenue);
        mm::Position position;
        position.symbol = "S" + std::to_string((i / venues.size()) % perVenue) + "USDT";
        position.side = round % 2 == 0 ? mm::Side::Long : mm::Side::Short;
        if (round < 2) {
            position.positionSide = round == 0 ? mm::PositionSide::Long : mm::PositionSide::Short;
        } else {
            position.marginMode = mm::MarginMode::Isolated;
            position.isolatedMargin = mm::Decimal::fromInteger(100);
        }
        position.quantity = mm::Decimal::fromInteger(3);
        position.entryPrice = mm::Decimal::fromInteger(100);
        position.markPrice = position.entryPrice;
        auto& instrument = instruments[v][position.symbol];
        if (!instrument) {
            auto made = std::make_shared<mm::Instrument>();
            made->venue = venues[v];
            made->symbol = position.symbol;
            made->riskTiers = {{0, {}, std::nullopt, mm::Decimal::parse("0.01"), {}, 50}};
            instrument = made;
        }
        position.instrument = instrument;
        accounts[v].positions.push_back(position);
    }
    return accounts;
}

} // namespace mm::bench
