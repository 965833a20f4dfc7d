#include "sim/rest_api.h"

#include <nlohmann/json.hpp>

#include <algorithm>
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
    for (const std::string& coin : {std::string("BTC"), std::string("ETH"), std::string("SOL")}) {
        universe.push_back({{"name", coin}, {"szDecimals", coin == "BTC" ? 5 : 2}, {"maxLeverage", coin == "BTC" ? 40 : 20}});
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
        return instrumentsBody(path, book, nowMs);
    }
    if (method == "POST" && path == "/info") {
        return hyperliquidInfo(body, book);
    }
    return std::nullopt;
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
