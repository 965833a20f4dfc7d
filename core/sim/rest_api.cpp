#include "sim/rest_api.h"

#include "margin/builtin_instruments.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <vector>

namespace mm::sim {

using json = nlohmann::json;

namespace {

/// The instruments every venue lists: the symbols its clients asked about, and a few majors.
std::vector<std::string> instrumentUniverse(PriceBook& book)
{
    std::vector<std::string> symbols = book.symbols();
    for (const char* major : {"BTCUSDT", "ETHUSDT", "SOLUSDT"}) {
        if (std::find(symbols.begin(), symbols.end(), major) == symbols.end()) {
            symbols.emplace_back(major);
        }
    }
    return symbols;
}

std::string tickFor(double price)
{
    return price >= 1000 ? "0.10" : (price >= 10 ? "0.01" : "0.0001");
}

/// The instrument lists real clients load before they subscribe, in each venue's shape (fields as
/// strings where the venue sends strings).
std::optional<std::string> instrumentsBody(std::string_view path, PriceBook& book, std::int64_t now)
{
    const auto universe = instrumentUniverse(book);
    if (path == "/fapi/v1/exchangeInfo") {
        json symbols = json::array();
        for (const std::string& symbol : universe) {
            if (symbol.size() < 5 || symbol.substr(symbol.size() - 4) != "USDT") {
                continue;
            }
            const std::string base = symbol.substr(0, symbol.size() - 4);
            symbols.push_back({{"symbol", symbol}, {"pair", symbol}, {"contractType", "PERPETUAL"}, {"status", "TRADING"},
                               {"baseAsset", base}, {"quoteAsset", "USDT"}, {"marginAsset", "USDT"}, {"pricePrecision", 2},
                               {"quantityPrecision", 3}, {"underlyingType", "COIN"}, {"onboardDate", 1569398400000LL},
                               {"deliveryDate", 4133404800000LL}, {"orderTypes", {"LIMIT", "MARKET"}},
                               {"timeInForce", {"GTC", "IOC"}},
                               {"filters",
                                {{{"filterType", "PRICE_FILTER"}, {"minPrice", "0.01"}, {"maxPrice", "1000000"}, {"tickSize", tickFor(book.mark(symbol))}},
                                 {{"filterType", "LOT_SIZE"}, {"minQty", "0.001"}, {"maxQty", "1000"}, {"stepSize", "0.001"}},
                                 {{"filterType", "MARKET_LOT_SIZE"}, {"minQty", "0.001"}, {"maxQty", "120"}, {"stepSize", "0.001"}},
                                 {{"filterType", "MIN_NOTIONAL"}, {"notional", "5"}},
                                 {{"filterType", "PERCENT_PRICE"}, {"multiplierUp", "1.0500"}, {"multiplierDown", "0.9500"}, {"multiplierDecimal", "4"}}}}});
        }
        return json{{"timezone", "UTC"}, {"serverTime", now}, {"rateLimits", json::array()}, {"exchangeFilters", json::array()},
                    {"assets", json::array({{{"asset", "USDT"}, {"marginAvailable", true}}})}, {"symbols", symbols}}
            .dump();
    }
    if (path == "/v5/market/instruments-info") {
        json list = json::array();
        for (const std::string& symbol : universe) {
            const std::string base = symbol.size() > 4 ? symbol.substr(0, symbol.size() - 4) : symbol;
            list.push_back({{"symbol", symbol}, {"contractType", "LinearPerpetual"}, {"status", "Trading"}, {"baseCoin", base},
                            {"quoteCoin", "USDT"}, {"settleCoin", "USDT"}, {"launchTime", "1585526400000"}, {"deliveryTime", "0"},
                            {"priceScale", "2"}, {"leverageFilter", {{"minLeverage", "1"}, {"maxLeverage", "100.00"}, {"leverageStep", "0.01"}}},
                            {"priceFilter", {{"minPrice", "0.10"}, {"maxPrice", "1999999.80"}, {"tickSize", tickFor(book.mark(symbol))}}},
                            {"lotSizeFilter", {{"maxOrderQty", "1190.000"}, {"minOrderQty", "0.001"}, {"qtyStep", "0.001"}, {"minNotionalValue", "5"}}},
                            {"fundingInterval", 480}});
        }
        return json{{"retCode", 0}, {"retMsg", "OK"}, {"result", {{"category", "linear"}, {"list", list}, {"nextPageCursor", ""}}},
                    {"retExtInfo", json::object()}, {"time", now}}
            .dump();
    }
    if (path == "/api/v5/public/instruments") {
        json data = json::array();
        for (const std::string& symbol : universe) {
            std::string base = symbol;
            if (const auto dash = symbol.find('-'); dash != std::string::npos) {
                base = symbol.substr(0, dash);
            } else if (symbol.size() > 4 && symbol.substr(symbol.size() - 4) == "USDT") {
                base = symbol.substr(0, symbol.size() - 4);
            }
            data.push_back({{"instType", "SWAP"}, {"instId", base + "-USDT-SWAP"}, {"uly", base + "-USDT"}, {"instFamily", base + "-USDT"},
                            {"settleCcy", "USDT"}, {"ctVal", "0.01"}, {"ctMult", "1"}, {"ctValCcy", base}, {"ctType", "linear"},
                            {"tickSz", tickFor(book.mark(symbol))}, {"lotSz", "0.01"}, {"minSz", "0.01"}, {"lever", "100"},
                            {"state", "live"}, {"listTime", "1611916828000"}});
        }
        return json{{"code", "0"}, {"msg", ""}, {"data", data}}.dump();
    }
    return std::nullopt;
}

/// Hyperliquid's POST /info: {"type":"meta"} and {"type":"metaAndAssetCtxs"}.
std::optional<std::string> hyperliquidInfo(std::string_view body, PriceBook& book)
{
    const json request = json::parse(body, nullptr, false);
    const std::string type = request.is_object() ? request.value("type", "") : "";
    if (type != "meta" && type != "metaAndAssetCtxs") {
        return std::nullopt;
    }
    json universe = json::array();
    json contexts = json::array();
    // The demo's assets, with the maximum leverages of resources/examples/hyperliquid.json.
    for (const std::string& coin : {std::string("BTC"), std::string("ETH"), std::string("SOL"), std::string("HYPE")}) {
        const int maxLeverage = coin == "BTC" ? 40 : coin == "HYPE" ? 10 : 20;
        universe.push_back({{"name", coin}, {"szDecimals", coin == "BTC" ? 5 : 2}, {"maxLeverage", maxLeverage}});
        const double mark = book.mark(coin);
        contexts.push_back({{"funding", "0.0000125"}, {"openInterest", "1000.0"}, {"oraclePx", std::to_string(mark)},
                            {"markPx", std::to_string(mark)}, {"midPx", std::to_string(mark)}});
    }
    const json meta{{"universe", universe}};
    return type == "meta" ? meta.dump() : json::array({meta, contexts}).dump();
}

/// The REST answers the public side needs, in each venue's shape.
std::optional<std::string> timeBody(std::string_view path, std::int64_t now)
{
    if (path == "/fapi/v1/time") {
        return json{{"serverTime", now}}.dump();
    }
    if (path == "/v5/market/time") {
        return json{{"retCode", 0},
                    {"retMsg", "OK"},
                    {"result", {{"timeSecond", std::to_string(now / 1000)}, {"timeNano", std::to_string(now * 1'000'000)}}},
                    {"retExtInfo", json::object()},
                    {"time", now}}
            .dump();
    }
    if (path == "/api/v5/public/time") {
        return json{{"code", "0"}, {"msg", ""}, {"data", json::array({{{"ts", std::to_string(now)}}})}}.dump();
    }
    return std::nullopt;
}

/// The value of `name` in a query string (the venues' parameters need no percent-decoding here).
std::optional<std::string_view> queryParam(std::string_view query, std::string_view name)
{
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        const auto eq = pair.find('=');
        if (pair.substr(0, eq) == name) {
            return eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
        }
        if (amp == std::string_view::npos) {
            break;
        }
        query.remove_prefix(amp + 1);
    }
    return std::nullopt;
}

struct TierRow {
    const char* floor;
    const char* cap;
    const char* rate;
    const char* amount;
    int maxLeverage;
};

std::vector<RiskTier> tiersFrom(std::initializer_list<TierRow> rows)
{
    std::vector<RiskTier> tiers;
    for (const TierRow& row : rows) {
        RiskTier tier;
        tier.number = static_cast<int>(tiers.size()) + 1;
        tier.floor = Decimal::parse(row.floor);
        tier.cap = Decimal::parse(row.cap);
        tier.maintenanceMarginRate = Decimal::parse(row.rate);
        tier.maintenanceAmount = Decimal::parse(row.amount);
        tier.maxLeverage = row.maxLeverage;
        tiers.push_back(tier);
    }
    return tiers;
}

/// The simulator's own tiers for a symbol without a published table (USDT notional; amounts by the
/// Binance/Bybit recursion: 1,250 = 250,000 × 0.005; 16,250 = 1,250 + 1,000,000 × 0.015).
std::vector<RiskTier> defaultNotionalTiers()
{
    return tiersFrom({{"0", "250000", "0.005", "0", 100},
                      {"250000", "1000000", "0.01", "1250", 50},
                      {"1000000", "5000000", "0.025", "16250", 20}});
}

/// The same for OKX, in contracts of ctVal 0.01 (the simulator's OKX instrument list), no amounts.
std::vector<RiskTier> defaultContractTiers()
{
    return tiersFrom(
        {{"0", "2000", "0.004", "0", 100}, {"2000", "10000", "0.006", "0", 50}, {"10000", "50000", "0.01", "0", 20}});
}

/// Binance's and Bybit's USDT perpetuals: "BTCUSDT" (the simulator lists any such name).
bool isUsdtSymbol(std::string_view symbol)
{
    return symbol.size() > 4 && symbol.ends_with("USDT") && std::all_of(symbol.begin(), symbol.end(), [](char c) {
               return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
           });
}

/// OKX's USDT swap families: "BTC-USDT".
bool isUsdtFamily(std::string_view family)
{
    return family.size() > 5 && family.ends_with("-USDT") &&
           isUsdtSymbol(std::string(family.substr(0, family.size() - 5)) + "USDT");
}

/// "100.00", as Bybit prints maxLeverage.
std::string leverageText(int leverage)
{
    return std::to_string(leverage) + ".00";
}

std::string bybitEnvelope(int retCode, std::string_view message, json result, std::int64_t now)
{
    return json{{"retCode", retCode},
                {"retMsg", message},
                {"result", std::move(result)},
                {"retExtInfo", json::object()},
                {"time", now}}
        .dump();
}

/// Bybit `GET /v5/market/risk-limit?category=linear[&symbol=…]` (Market → Get Risk Limit): one row per
/// tier with id, symbol, riskLimitValue (the cap), maintenanceMargin and initialMargin as fractions,
/// isLowestRisk, maxLeverage ("100.00") and mmDeduction ("" on the first tier, as Bybit sends it).
std::string bybitRiskLimits(std::string_view query, PriceBook& book, std::int64_t now)
{
    if (queryParam(query, "category") != std::optional<std::string_view>("linear")) {
        return bybitEnvelope(10001, "params error: category only support linear", json::object(), now);
    }
    std::vector<std::string> symbols;
    if (const auto symbol = queryParam(query, "symbol"); symbol && !symbol->empty()) {
        if (!isUsdtSymbol(*symbol)) {
            return bybitEnvelope(10001, "params error: symbol invalid", json::object(), now);
        }
        symbols.emplace_back(*symbol);
    } else {
        for (const std::string& listed : listedSymbols(book)) {
            if (isUsdtSymbol(listed)) {
                symbols.push_back(listed);
            }
        }
    }
    json list = json::array();
    for (const std::string& symbol : symbols) {
        for (const RiskTier& tier : simulatedRiskTiers(Venue::BybitLinear, symbol)) {
            const int leverage = tierLeverage(tier);
            const Decimal initial = (Decimal::fromInteger(1) / Decimal::fromInteger(leverage))
                                        .roundToStep(Decimal::parse("0.0001"), Decimal::Rounding::HalfEven);
            list.push_back({{"id", tier.number},
                            {"symbol", symbol},
                            {"riskLimitValue", tier.cap.value_or(tier.floor).toString()},
                            {"maintenanceMargin", tier.maintenanceMarginRate.toString()},
                            {"initialMargin", initial.toString()},
                            {"isLowestRisk", tier.number == 1 ? 1 : 0},
                            {"maxLeverage", leverageText(leverage)},
                            {"mmDeduction", tier.number == 1 ? std::string() : tier.maintenanceAmount.toString()}});
        }
    }
    return bybitEnvelope(0, "OK", {{"category", "linear"}, {"list", list}, {"nextPageCursor", ""}}, now);
}

std::string okxError(std::string_view code, std::string_view message)
{
    return json{{"code", code}, {"msg", message}, {"data", json::array()}}.dump();
}

/// OKX `GET /api/v5/public/position-tiers?instType=SWAP&tdMode=cross&instFamily=BTC-USDT[,…][&tier=n]`
/// (Public data → Get position tiers): per tier uly, instFamily, instId "", tier, minSz and maxSz in
/// contracts, mmr, imr, maxLever, with the margin-only fields empty.
std::string okxPositionTiers(std::string_view query)
{
    if (queryParam(query, "instType") != std::optional<std::string_view>("SWAP")) {
        return okxError("51000", "Parameter instType error");
    }
    const auto mode = queryParam(query, "tdMode");
    if (mode != std::optional<std::string_view>("cross") && mode != std::optional<std::string_view>("isolated")) {
        return okxError("51000", "Parameter tdMode error");
    }
    const auto families = queryParam(query, "instFamily");
    if (!families || families->empty()) {
        return okxError("50014", "Parameter instFamily can not be empty.");
    }
    const auto onlyTier = queryParam(query, "tier");
    json data = json::array();
    std::string_view rest = *families;
    for (int count = 1; !rest.empty(); ++count) {
        const auto comma = rest.find(',');
        const std::string family(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        if (count > 5 || !isUsdtFamily(family)) {
            return okxError("51000", "Parameter instFamily error");
        }
        for (const RiskTier& tier : simulatedRiskTiers(Venue::OkxSwap, family)) {
            if (onlyTier && !onlyTier->empty() && *onlyTier != std::to_string(tier.number)) {
                continue;
            }
            const int leverage = tierLeverage(tier);
            const Decimal initial = (Decimal::fromInteger(1) / Decimal::fromInteger(leverage))
                                        .roundToStep(Decimal::parse("0.0001"), Decimal::Rounding::HalfEven);
            data.push_back({{"baseMaxLoan", ""},
                            {"imr", initial.toString()},
                            {"instFamily", family},
                            {"instId", ""},
                            {"maxLever", std::to_string(leverage)},
                            {"maxSz", tier.cap.value_or(tier.floor).toString()},
                            {"minSz", tier.floor.toString()},
                            {"mmr", tier.maintenanceMarginRate.toString()},
                            {"optMgnFactor", "0"},
                            {"quoteMaxLoan", ""},
                            {"tier", std::to_string(tier.number)},
                            {"uly", family}});
        }
    }
    return json{{"code", "0"}, {"msg", ""}, {"data", data}}.dump();
}

/// The tier tables of the two public tier endpoints.
std::optional<std::string> tiersBody(std::string_view path, std::string_view query, PriceBook& book, std::int64_t now)
{
    if (path == "/v5/market/risk-limit") {
        return bybitRiskLimits(query, book, now);
    }
    if (path == "/api/v5/public/position-tiers") {
        return okxPositionTiers(query);
    }
    return std::nullopt;
}

enum class RestVenue { Binance, Bybit, Okx, Hyperliquid };

RestVenue venueOf(std::string_view path)
{
    if (path.rfind("/v5/", 0) == 0) {
        return RestVenue::Bybit;
    }
    if (path.rfind("/api/v5/", 0) == 0) {
        return RestVenue::Okx;
    }
    if (path == "/info" || path == "/exchange") {
        return RestVenue::Hyperliquid;
    }
    return RestVenue::Binance;
}

} // namespace

std::optional<std::string> publicRestBody(std::string_view method, std::string_view target, std::string_view body,
                                          PriceBook& book, std::int64_t nowMs)
{
    const std::string_view path = target.substr(0, target.find('?'));
    if (method == "GET") {
        if (auto answer = timeBody(path, nowMs)) {
            return answer;
        }
        const auto mark = target.find('?');
        if (auto answer = tiersBody(path, mark == std::string_view::npos ? std::string_view() : target.substr(mark + 1),
                                    book, nowMs)) {
            return answer;
        }
        return instrumentsBody(path, book, nowMs);
    }
    if (method == "POST" && path == "/info") {
        return hyperliquidInfo(body, book);
    }
    return std::nullopt;
}

std::vector<std::string> listedSymbols(PriceBook& book)
{
    return instrumentUniverse(book);
}

std::vector<RiskTier> simulatedRiskTiers(Venue venue, std::string_view symbol)
{
    if (venue == Venue::OkxSwap) {
        // No OKX table is built in (core/margin): the simulator's own, starting at the demo
        // account's rates (resources/examples/okx-swap.json: BTC 0.4 %, ETH 0.5 %).
        if (symbol == "ETH-USDT") {
            return tiersFrom({{"0", "2000", "0.005", "0", 100}, {"2000", "10000", "0.0075", "0", 50},
                              {"10000", "50000", "0.01", "0", 20}});
        }
        return defaultContractTiers();
    }
    if (auto published = publishedInstrument(venue, symbol)) {
        return published->riskTiers;
    }
    return defaultNotionalTiers();
}

int tierLeverage(const RiskTier& tier)
{
    if (tier.maxLeverage > 0) {
        return tier.maxLeverage;
    }
    constexpr int kMost = 125; // Binance's highest
    const double rate = tier.maintenanceMarginRate.toDouble();
    if (rate <= 0) {
        return kMost;
    }
    return std::clamp(static_cast<int>(std::floor(1.0 / (2.0 * rate))), 1, kMost);
}

RestAnswer restErrorAnswer(int status, std::string_view target, std::int64_t nowMs)
{
    const std::string_view path = target.substr(0, target.find('?'));
    RestAnswer answer{status, {}, std::nullopt};
    switch (venueOf(path)) {
    case RestVenue::Binance:
        if (status == 429) {
            answer.retryAfterSeconds = 1;
            answer.body = R"({"code":-1003,"msg":"Too many requests; current limit of IP(127.0.0.1) is 2400 requests per minute. Please use the websocket for live updates to avoid polling the API."})";
        } else if (status == 418) {
            answer.retryAfterSeconds = 120;
            answer.body = json{{"code", -1003},
                               {"msg", "Way too many requests; IP(127.0.0.1) banned until " + std::to_string(nowMs + 120'000) +
                                           ". Please use the websocket for live updates to avoid bans."}}
                              .dump();
        } else {
            answer.body = R"({"code":-1000,"msg":"Unknown error, please check your request or try again later."})";
        }
        break;
    case RestVenue::Bybit:
        if (status == 429) {
            answer.status = 200; // Bybit's API rate limit is a normal answer with retCode 10006
            answer.body = json{{"retCode", 10006}, {"retMsg", "Too many visits!"}, {"result", json::object()},
                               {"retExtInfo", json::object()}, {"time", nowMs}}
                              .dump();
        } else if (status == 418) {
            answer.body = "access too frequent";
            answer.retryAfterSeconds = 600;
        } else {
            answer.body = json{{"retCode", 10016}, {"retMsg", "Internal server error."}, {"result", json::object()},
                               {"retExtInfo", json::object()}, {"time", nowMs}}
                              .dump();
        }
        break;
    case RestVenue::Okx:
        if (status == 429 || status == 418) {
            answer.retryAfterSeconds = status == 429 ? 1 : 120;
            answer.body = R"({"code":"50011","msg":"Rate limit reached. Please refer to API documentation and throttle requests accordingly.","data":[]})";
        } else {
            answer.body = R"({"code":"50001","msg":"Service temporarily unavailable. Please try again later.","data":[]})";
        }
        break;
    case RestVenue::Hyperliquid:
        answer.body = status == 503 ? "Service Unavailable" : "Too Many Requests";
        answer.retryAfterSeconds = status == 503 ? std::nullopt : std::optional<int>(1);
        break;
    }
    return answer;
}

} // namespace mm::sim
