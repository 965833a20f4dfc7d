#include "margin/builtin_instruments.h"

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace mm {
namespace {

struct TierRow {
    const char* floor;
    const char* cap; // nullptr: open-ended
    const char* rate;
    const char* amount;
    int maxLeverage;
};

std::shared_ptr<const Instrument> makeInstrument(Venue venue, std::string symbol, const char* tick,
                                                 const std::vector<TierRow>& rows)
{
    auto instrument = std::make_shared<Instrument>();
    instrument->venue = venue;
    instrument->symbol = std::move(symbol);
    instrument->tickSize = Decimal::parse(tick);
    int number = 1;
    for (const TierRow& row : rows) {
        RiskTier tier;
        tier.number = number++;
        tier.floor = Decimal::parse(row.floor);
        if (row.cap != nullptr) {
            tier.cap = Decimal::parse(row.cap);
        }
        tier.maintenanceMarginRate = Decimal::parse(row.rate);
        tier.maintenanceAmount = Decimal::parse(row.amount);
        tier.maxLeverage = row.maxLeverage;
        instrument->riskTiers.push_back(tier);
    }
    instrument->maxLeverage = rows.front().maxLeverage;
    if (const auto problem = findRiskTierProblem(instrument->riskTiers)) {
        throw std::logic_error("built-in tier table of " + instrument->symbol + ": " + *problem);
    }
    return instrument;
}

// Binance USDⓈ-M leverage brackets (notional floor, cap, maintMarginRatio, cum, initialLeverage).
const std::vector<TierRow> kBinanceSharedLowTiers = {
    {"0", "50000", "0.004", "0", 125},
    {"50000", "600000", "0.005", "50", 100},
    {"600000", "3000000", "0.0065", "950", 75},
    {"3000000", "12000000", "0.01", "11450", 50},
};

std::vector<TierRow> binanceBtcTiers()
{
    std::vector<TierRow> rows = kBinanceSharedLowTiers;
    rows.insert(rows.end(), {
                                {"12000000", "70000000", "0.02", "131450", 25},
                                {"70000000", "100000000", "0.025", "481450", 20},
                                {"100000000", "230000000", "0.05", "2981450", 10},
                                {"230000000", "480000000", "0.1", "14481450", 5},
                                {"480000000", "600000000", "0.125", "26481450", 4},
                                {"600000000", "800000000", "0.15", "41481450", 3},
                                {"800000000", "1200000000", "0.25", "121481450", 2},
                                {"1200000000", "1800000000", "0.5", "421481450", 1},
                            });
    return rows;
}

std::vector<TierRow> binanceEthTiers()
{
    std::vector<TierRow> rows = kBinanceSharedLowTiers;
    rows.insert(rows.end(), {
                                {"12000000", "50000000", "0.02", "131450", 25},
                                {"50000000", "65000000", "0.025", "381450", 20},
                                {"65000000", "150000000", "0.05", "2006450", 10},
                                {"150000000", "320000000", "0.1", "9506450", 5},
                                {"320000000", "400000000", "0.125", "17506450", 4},
                                {"400000000", "530000000", "0.15", "27506450", 3},
                                {"530000000", "800000000", "0.25", "80506450", 2},
                                {"800000000", "1200000000", "0.5", "280506450", 1},
                            });
    return rows;
}

// Bybit v5 risk limits for BTCUSDT: the risk limit is the tier's cap in USDT position value.
std::vector<TierRow> bybitBtcTiers()
{
    return {
        {"0", "2000000", "0.005", "0", 100},
        {"2000000", "2600000", "0.0056", "1200", 90},
        {"2600000", "3200000", "0.0063", "3020", 80},
        {"3200000", "3800000", "0.0067", "4300", 75},
        {"3800000", "4400000", "0.0071", "5820", 70},
        {"4400000", "5000000", "0.0077", "8460", 65},
        {"5000000", "5600000", "0.0091", "15460", 55},
        {"5600000", "8500000", "0.01", "20500", 50},
        {"8500000", "10000000", "0.013", "46000", 45},
        {"10000000", "14000000", "0.015", "66000", 40},
        {"14000000", "20000000", "0.016", "80000", 35},
        {"20000000", "28000000", "0.02", "160000", 30},
        {"28000000", "38000000", "0.025", "300000", 25},
        {"38000000", "50000000", "0.029", "452000", 20},
        {"50000000", "55000000", "0.03", "502000", 19},
        {"55000000", "60000000", "0.035", "777000", 18},
        {"60000000", "65000000", "0.036", "837000", 17},
        {"65000000", "70000000", "0.038", "967000", 16},
        {"70000000", "75000000", "0.04", "1107000", 15},
        {"75000000", "80000000", "0.045", "1482000", 14},
    };
}

} // namespace

std::shared_ptr<const Instrument> publishedInstrument(Venue venue, std::string_view symbol)
{
    static const auto binanceBtc = makeInstrument(Venue::BinanceUsdm, "BTCUSDT", "0.10", binanceBtcTiers());
    static const auto binanceEth = makeInstrument(Venue::BinanceUsdm, "ETHUSDT", "0.01", binanceEthTiers());
    static const auto bybitBtc = makeInstrument(Venue::BybitLinear, "BTCUSDT", "0.10", bybitBtcTiers());
    if (venue == Venue::BinanceUsdm && symbol == "BTCUSDT") {
        return binanceBtc;
    }
    if (venue == Venue::BinanceUsdm && symbol == "ETHUSDT") {
        return binanceEth;
    }
    if (venue == Venue::BybitLinear && symbol == "BTCUSDT") {
        return bybitBtc;
    }
    return nullptr;
}

std::shared_ptr<const Instrument> instrumentWithMaintenance(Venue venue, std::string_view symbol,
                                                            const Decimal& maintenanceMarginRate,
                                                            const Decimal& maintenanceAmount)
{
    auto instrument = std::make_shared<Instrument>();
    instrument->venue = venue;
    instrument->symbol = std::string(symbol);
    RiskTier given;
    given.maintenanceMarginRate = maintenanceMarginRate;
    given.maintenanceAmount = maintenanceAmount;
    if (maintenanceAmount.isPositive() && maintenanceMarginRate.isPositive()) {
        // A rate with an amount is one tier of a table whose lower tiers we do not know. Below the
        // notional where notional × rate = amount it would give a negative maintenance margin;
        // there the maintenance margin is taken as zero instead — a tier of rate 0 — which keeps
        // it continuous and convex, as the liquidation search needs.
        given.floor = maintenanceAmount / maintenanceMarginRate;
        RiskTier below;
        below.cap = given.floor;
        instrument->riskTiers.push_back(below);
    }
    instrument->riskTiers.push_back(given);
    return instrument;
}

std::shared_ptr<const Instrument> hyperliquidInstrument(std::string_view coin, int maxLeverage)
{
    auto instrument = std::make_shared<Instrument>();
    instrument->venue = Venue::Hyperliquid;
    instrument->symbol = std::string(coin);
    instrument->maxLeverage = maxLeverage;
    RiskTier tier;
    tier.maintenanceMarginRate = Decimal::fromInteger(1) / Decimal::fromInteger(2 * static_cast<std::int64_t>(maxLeverage));
    tier.maxLeverage = maxLeverage;
    instrument->riskTiers.push_back(tier);
    return instrument;
}

} // namespace mm
