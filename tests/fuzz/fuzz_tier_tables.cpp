// libFuzzer target: the three venues' tier-table parsers (Binance leverageBracket, Bybit risk-limit,
// OKX position-tiers) on the same arbitrary bytes. None may crash or throw; a parse that fails must
// say why; a table that is read must be what the margin math relies on: tiers in order, each
// starting where the previous ends, caps above floors, rates in [0, 1) never falling, and — for
// Binance and Bybit — the maintenance amounts of findRiskTierProblem's recursion.
#include "venues/tier_tables.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

void check(const std::optional<mm::TierTables>& tables, const std::string& problem, bool withAmounts)
{
    if (!tables) {
        if (problem.empty()) {
            std::abort();
        }
        return;
    }
    const mm::Decimal one = mm::Decimal::fromInteger(1);
    for (const auto& [symbol, tiers] : *tables) {
        if (symbol.empty() || tiers.empty()) {
            std::abort();
        }
        if (withAmounts && mm::findRiskTierProblem(tiers)) {
            std::abort();
        }
        for (std::size_t i = 0; i < tiers.size(); ++i) {
            const mm::RiskTier& tier = tiers[i];
            if (!tier.cap || *tier.cap <= tier.floor || tier.maintenanceMarginRate.isNegative() ||
                tier.maintenanceMarginRate >= one || tier.maxLeverage < 1) {
                std::abort();
            }
            if (i > 0 && (tier.floor != *tiers[i - 1].cap || tier.number <= tiers[i - 1].number ||
                          tier.maintenanceMarginRate < tiers[i - 1].maintenanceMarginRate)) {
                std::abort();
            }
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    {
        std::string problem;
        check(mm::parseBinanceLeverageBrackets(body, problem), problem, true);
    }
    {
        std::string problem;
        check(mm::parseBybitRiskLimits(body, problem), problem, true);
    }
    {
        std::string problem;
        check(mm::parseOkxPositionTiers(body, problem), problem, false);
    }
    return 0;
}
