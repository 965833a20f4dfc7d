// libFuzzer target: every venue's account REST parser (Binance positionRisk/account, Bybit
// position list/wallet balance, OKX positions/balance, Hyperliquid clearinghouseState) on the same
// arbitrary bytes. A parse that succeeds must hold only positions with a non-empty symbol and a
// positive quantity, entry and mark; one that fails must say why. The instrument-list and fee
// readers the account reads need (OKX contract values and fee rate, Hyperliquid max leverages) and
// the venues' error readers run on the same bytes.
#include "venues/binance_usdm/binance_account.h"
#include "venues/bybit_linear/bybit_account.h"
#include "venues/hyperliquid/hyperliquid_account.h"
#include "venues/instrument_lists.h"
#include "venues/okx_swap/okx_account.h"
#include "venues/venue_refusal.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

void check(const std::optional<std::vector<mm::SnapshotPosition>>& positions, const std::string& problem)
{
    if (!positions) {
        if (problem.empty()) {
            std::abort();
        }
        return;
    }
    for (const mm::SnapshotPosition& snapshot : *positions) {
        const mm::Position& position = snapshot.position;
        if (position.symbol.empty() || !position.quantity.isPositive() || !position.entryPrice.isPositive() ||
            !position.markPrice.isPositive() ||
            (snapshot.exchangeLiquidationPrice && !snapshot.exchangeLiquidationPrice->isPositive())) {
            std::abort();
        }
    }
}

template <typename Balances> void checkBalances(const Balances& balances, const std::string& problem)
{
    if (!balances && problem.empty()) {
        std::abort();
    }
}

std::optional<mm::Decimal> contractValue(std::string_view instId)
{
    return instId.size() % 2 == 0 ? mm::Decimal::parse("0.01") : mm::Decimal::parse("100");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    {
        std::string problem;
        check(mm::parseBinancePositionRisk(body, problem), problem);
    }
    {
        std::string problem;
        checkBalances(mm::parseBinanceAccount(body, problem), problem);
    }
    {
        std::string problem;
        check(mm::parseBybitPositionList(body, problem), problem);
    }
    {
        std::string problem;
        checkBalances(mm::parseBybitWalletBalance(body, problem), problem);
    }
    {
        std::string problem;
        check(mm::parseOkxPositions(body, contractValue, problem), problem);
    }
    {
        std::string problem;
        checkBalances(mm::parseOkxBalance(body, problem), problem);
    }
    {
        std::string problem;
        const auto snapshot = mm::parseHyperliquidClearinghouseState(body, problem);
        check(snapshot ? std::optional(snapshot->positions) : std::nullopt, problem);
    }
    {
        std::string problem;
        const auto values = mm::parseOkxContractValues(body, problem);
        checkBalances(values, problem);
        for (const auto& [instId, value] : values.value_or(std::map<std::string, mm::Decimal, std::less<>>{})) {
            if (instId.empty() || !value.isPositive()) {
                std::abort();
            }
        }
    }
    {
        std::string problem;
        const auto leverages = mm::parseHyperliquidMaxLeverage(body, problem);
        checkBalances(leverages, problem);
        for (const auto& [coin, leverage] : leverages.value_or(std::map<std::string, int, std::less<>>{})) {
            if (coin.empty() || leverage < 1 || leverage > 1000) {
                std::abort();
            }
        }
    }
    for (const mm::Venue venue : {mm::Venue::BinanceUsdm, mm::Venue::BybitLinear, mm::Venue::OkxSwap}) {
        std::string problem;
        const auto rules = mm::parseOrderSizeRules(venue, body, problem);
        checkBalances(rules, problem);
        for (const auto& [symbol, size] : rules.value_or(std::map<std::string, mm::OrderSizeRules, std::less<>>{})) {
            if (symbol.empty() || !size.step.isPositive()) {
                std::abort();
            }
        }
    }
    {
        std::string problem;
        const auto fee = mm::parseOkxTakerFeeRate(body, problem);
        checkBalances(fee, problem);
        if (fee && fee->isNegative()) {
            std::abort();
        }
    }
    for (const mm::Venue venue : {mm::Venue::BinanceUsdm, mm::Venue::BybitLinear, mm::Venue::OkxSwap}) {
        if (const auto refusal = mm::readVenueRefusal(venue, body)) {
            if (refusal->code.empty() || mm::describeRefusal(venue, *refusal).empty()) {
                std::abort();
            }
        }
    }
    return 0;
}
