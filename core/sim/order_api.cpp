#include "sim/order_api.h"

#include "money/exact_json.h"
#include "sim/price_book.h"
#include "sim/private_streams.h"
#include "venues/order_protocol.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <exception>

namespace mm::sim {

namespace {

using json = nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Requests

struct Target {
    std::string_view path;
    std::string_view query;
};

Target splitTarget(std::string_view target)
{
    const auto mark = target.find('?');
    return mark == std::string_view::npos ? Target{target, {}} : Target{target.substr(0, mark), target.substr(mark + 1)};
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/// A form value with %XX and '+' decoded (a client may escape ':' or '/' in a Binance client id).
std::string formDecode(std::string_view text)
{
    std::string decoded;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && hexValue(text[i + 1]) >= 0 && hexValue(text[i + 2]) >= 0) {
            decoded += static_cast<char>(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2]));
            i += 2;
        } else {
            decoded += text[i] == '+' ? ' ' : text[i];
        }
    }
    return decoded;
}

/// The value of `name` in form-encoded `text`, decoded.
std::optional<std::string> formParam(std::string_view text, std::string_view name)
{
    while (!text.empty()) {
        const auto amp = text.find('&');
        const std::string_view pair = text.substr(0, amp);
        const auto eq = pair.find('=');
        if (pair.substr(0, eq) == name) {
            return eq == std::string_view::npos ? std::string() : formDecode(pair.substr(eq + 1));
        }
        if (amp == std::string_view::npos) {
            break;
        }
        text.remove_prefix(amp + 1);
    }
    return std::nullopt;
}

/// Binance takes parameters from the query and the body alike.
std::optional<std::string> binanceParam(const PrivateRequest& request, std::string_view name)
{
    if (auto value = formParam(splitTarget(request.target).query, name)) {
        return value;
    }
    return formParam(request.body, name);
}

std::string fixedText(double value, int places)
{
    char text[64];
    const auto result = std::to_chars(text, text + sizeof text, value, std::chars_format::fixed, places);
    return result.ec == std::errc() ? std::string(text, result.ptr) : std::string("0");
}

/// The mark as the simulator's reads print it (sim/private_api.cpp), so that a fill and a position
/// read agree on it.
Decimal markOf(PriceBook& book, const std::string& symbol)
{
    const double value = book.mark(symbol);
    return Decimal::tryParse(fixedText(value, value < 1 ? 6 : (value < 100 ? 4 : 2))).value_or(Decimal());
}

/// The contract value of every OKX swap the simulator lists (sim/rest_api.cpp).
Decimal okxContractValue()
{
    return Decimal::parse("0.01");
}

// ---------------------------------------------------------------------------------------------
// Fills

enum class FillRefusal { None, NothingToReduce, MoreThanPosition };

struct Fill {
    FillRefusal refusal = FillRefusal::None;
    Decimal quantity;
    Decimal price;
};

/// Fills a reduce-only market order of `key` at the mark with slippage, and moves its account: the
/// position by the filled quantity, the wallet by the realised PnL less the taker fee.
Fill fillOrder(const SimulatedApiKey& key, const SimulatedOrder& order, bool capAtPosition, PrivateStreams& accounts,
               PriceBook& book, const OrderSettings& settings)
{
    const auto held = std::find_if(key.account.positions.begin(), key.account.positions.end(), [&](const Position& p) {
        return p.symbol == order.symbol && p.positionSide == order.positionSide && p.quantity.isPositive();
    });
    if (held == key.account.positions.end() || held->side == order.side) {
        return {FillRefusal::NothingToReduce, {}, {}};
    }
    Position position = *held;
    if (order.quantity > position.quantity && !capAtPosition) {
        return {FillRefusal::MoreThanPosition, {}, {}};
    }
    Fill fill;
    fill.quantity = std::min(order.quantity, position.quantity);
    const Decimal mark = markOf(book, order.symbol);
    const Decimal one = Decimal::fromInteger(1);
    fill.price = order.side == Side::Short ? mark * (one - settings.slippage) : mark * (one + settings.slippage);
    const Decimal pnl = fill.quantity * (fill.price - position.entryPrice) * Decimal::fromInteger(direction(position.side));
    const Decimal fee = fill.quantity * fill.price * settings.takerFeeRate;
    const Decimal wallet = key.account.account.walletBalance + pnl - fee;
    const std::string apiKey = key.apiKey; // `key` lives in the accounts, which change below
    const Decimal before = position.quantity;
    position.quantity = before - fill.quantity;
    if (position.isolatedMargin && before.isPositive()) {
        position.isolatedMargin = *position.isolatedMargin * position.quantity / before;
    }
    accounts.setAccountPosition(apiKey, position);
    accounts.setAccountWallet(apiKey, wallet);
    return fill;
}

const SimulatedOrder* findOrder(const std::vector<SimulatedOrder>& orders, const std::string& apiKey,
                                const std::optional<std::string>& clientOrderId,
                                const std::optional<std::string>& venueOrderId)
{
    for (const SimulatedOrder& order : orders) {
        if (order.apiKey != apiKey || order.venueOrderId.empty()) {
            continue;
        }
        if ((clientOrderId && !clientOrderId->empty() && order.clientOrderId == *clientOrderId) ||
            (venueOrderId && !venueOrderId->empty() && order.venueOrderId == *venueOrderId)) {
            return &order;
        }
    }
    return nullptr;
}

std::string text(const Decimal& value)
{
    return value.toString();
}

// ---------------------------------------------------------------------------------------------
// Answers, per venue

RestAnswer binanceError(int status, int code, std::string_view message)
{
    return {status, json{{"code", code}, {"msg", message}}.dump(), std::nullopt};
}

RestAnswer bybitAnswer(int retCode, std::string_view message, json result, std::int64_t now)
{
    return {200,
            json{{"retCode", retCode}, {"retMsg", message}, {"result", std::move(result)}, {"retExtInfo", json::object()},
                 {"time", now}}
                .dump(),
            std::nullopt};
}

/// OKX's answer to a placement that failed: "1" with the order's own sCode (HTTP 200).
RestAnswer okxOrderError(std::string_view sCode, std::string_view sMsg, const std::string& clientOrderId,
                         std::int64_t now)
{
    return {200,
            json{{"code", "1"},
                 {"msg", "All operations failed"},
                 {"data", json::array({{{"clOrdId", clientOrderId},
                                        {"ordId", ""},
                                        {"tag", ""},
                                        {"ts", std::to_string(now)},
                                        {"sCode", sCode},
                                        {"sMsg", sMsg}}})},
                 {"inTime", std::to_string(now * 1000)},
                 {"outTime", std::to_string(now * 1000 + 350)}}
                .dump(),
            std::nullopt};
}

RestAnswer okxError(int status, std::string_view code, std::string_view message)
{
    return {status, json{{"code", code}, {"msg", message}, {"data", json::array()}}.dump(), std::nullopt};
}

std::string binancePositionSide(PositionSide side)
{
    return side == PositionSide::Long ? "LONG" : (side == PositionSide::Short ? "SHORT" : "BOTH");
}

json binanceOrderJson(const SimulatedOrder& order)
{
    const OrderOutcome& outcome = order.outcome;
    const std::string average = outcome.averagePrice ? text(*outcome.averagePrice) : "0";
    const Decimal quote = outcome.averagePrice ? outcome.filledQuantity * *outcome.averagePrice : Decimal();
    return {{"orderId", std::stoll(order.venueOrderId)},
            {"symbol", order.symbol},
            {"status", outcome.status == OrderOutcome::Status::Filled ? "FILLED" : "EXPIRED"},
            {"clientOrderId", order.clientOrderId},
            {"price", "0"},
            {"avgPrice", average},
            {"origQty", text(order.quantity)},
            {"executedQty", text(outcome.filledQuantity)},
            {"cumQty", text(outcome.filledQuantity)},
            {"cumQuote", text(quote)},
            {"timeInForce", "GTC"},
            {"type", "MARKET"},
            {"reduceOnly", order.positionSide == PositionSide::Both},
            {"closePosition", false},
            {"side", order.side == Side::Long ? "BUY" : "SELL"},
            {"positionSide", binancePositionSide(order.positionSide)},
            {"stopPrice", "0"},
            {"workingType", "CONTRACT_PRICE"},
            {"priceProtect", false},
            {"origType", "MARKET"},
            {"priceMatch", "NONE"},
            {"selfTradePreventionMode", "EXPIRE_MAKER"},
            {"goodTillDate", 0},
            {"time", order.timeMs},
            {"updateTime", order.timeMs}};
}

json bybitOrderJson(const SimulatedOrder& order)
{
    const OrderOutcome& outcome = order.outcome;
    const Decimal value = outcome.averagePrice ? outcome.filledQuantity * *outcome.averagePrice : Decimal();
    const bool whole = outcome.filledQuantity == order.quantity;
    return {{"orderId", order.venueOrderId},
            {"orderLinkId", order.clientOrderId},
            {"symbol", order.symbol},
            {"side", order.side == Side::Long ? "Buy" : "Sell"},
            {"orderType", "Market"},
            {"price", "0"},
            {"qty", text(order.quantity)},
            {"timeInForce", "IOC"},
            {"orderStatus", whole ? "Filled" : "PartiallyFilledCanceled"},
            {"cancelType", whole ? "UNKNOWN" : "CancelByReduceOnly"},
            {"rejectReason", "EC_NoError"},
            {"avgPrice", outcome.averagePrice ? text(*outcome.averagePrice) : ""},
            {"leavesQty", "0"},
            {"leavesValue", "0"},
            {"cumExecQty", text(outcome.filledQuantity)},
            {"cumExecValue", text(value)},
            {"cumExecFee", "0"},
            {"positionIdx", order.positionSide == PositionSide::Long ? 1 : (order.positionSide == PositionSide::Short ? 2 : 0)},
            {"reduceOnly", true},
            {"closeOnTrigger", false},
            {"category", "linear"},
            {"createdTime", std::to_string(order.timeMs)},
            {"updatedTime", std::to_string(order.timeMs)}};
}

json okxOrderJson(const SimulatedOrder& order)
{
    const OrderOutcome& outcome = order.outcome;
    const std::string average = outcome.averagePrice ? text(*outcome.averagePrice) : "";
    const bool whole = outcome.filledQuantity == order.quantity;
    return {{"instType", "SWAP"},
            {"instId", order.symbol},
            {"ordId", order.venueOrderId},
            {"clOrdId", order.clientOrderId},
            {"tag", ""},
            {"px", ""},
            {"sz", text(order.quantity / okxContractValue())},
            {"ordType", "market"},
            {"side", order.side == Side::Long ? "buy" : "sell"},
            {"posSide", order.positionSide == PositionSide::Long ? "long"
                                                                 : (order.positionSide == PositionSide::Short ? "short" : "net")},
            {"tdMode", "cross"},
            {"accFillSz", text(outcome.filledQuantity / okxContractValue())},
            {"fillPx", average},
            {"fillSz", text(outcome.filledQuantity / okxContractValue())},
            {"avgPx", average},
            {"state", whole ? "filled" : "canceled"},
            {"reduceOnly", order.reduceOnly ? "true" : "false"},
            {"feeCcy", "USDT"},
            {"cTime", std::to_string(order.timeMs)},
            {"uTime", std::to_string(order.timeMs)}};
}

} // namespace

OrderApi::OrderApi(OrderSettings settings) : m_settings(std::move(settings)) {}

void OrderApi::failNextOrders(Venue venue, OrderFault fault, int count)
{
    m_faults[venue] = {fault, std::max(0, count)};
}

std::optional<OrderFault> OrderApi::takeFault(Venue venue)
{
    const auto it = m_faults.find(venue);
    if (it == m_faults.end() || it->second.count <= 0) {
        return std::nullopt;
    }
    --it->second.count;
    return it->second.fault;
}

std::optional<OrderApi::Reply> OrderApi::answer(const PrivateRequest& request, PrivateStreams& accounts,
                                                PriceBook& book, std::int64_t now)
{
    const auto [path, query] = splitTarget(request.target);
    const bool post = request.method == "POST";
    const bool get = request.method == "GET";
    Venue venue = Venue::Generic;
    bool placing = false;
    if (path == "/fapi/v1/order" && (post || get)) {
        venue = Venue::BinanceUsdm;
        placing = post;
    } else if (path == "/v5/order/create" && post) {
        venue = Venue::BybitLinear;
        placing = true;
    } else if ((path == "/v5/order/realtime" || path == "/v5/order/history") && get) {
        venue = Venue::BybitLinear;
    } else if (path == "/api/v5/trade/order" && (post || get)) {
        venue = Venue::OkxSwap;
        placing = post;
    } else {
        return std::nullopt;
    }

    const SimulatedApiKey* key = nullptr;
    const auto refusal = authenticationRefusal(venue, request, accounts.keys(), now, key);

    // What the request asks for, read in the venue's words (a look-up has only symbol and id).
    SimulatedOrder order;
    order.venue = venue;
    order.timeMs = now;
    order.outcome.status = OrderOutcome::Status::Rejected;
    std::string problem; // the venue's parameter error, if any
    std::string type;
    json body;
    if (venue == Venue::BinanceUsdm) {
        order.symbol = binanceParam(request, "symbol").value_or("");
        order.clientOrderId = binanceParam(request, placing ? "newClientOrderId" : "origClientOrderId").value_or("");
        if (placing) {
            const std::string side = binanceParam(request, "side").value_or("");
            order.side = side == "BUY" ? Side::Long : Side::Short;
            type = binanceParam(request, "type").value_or("");
            order.quantity = Decimal::tryParse(binanceParam(request, "quantity").value_or("")).value_or(Decimal());
            order.reduceOnly = binanceParam(request, "reduceOnly").value_or("") == "true";
            const std::string positionSide = binanceParam(request, "positionSide").value_or("BOTH");
            order.positionSide = positionSide == "LONG" ? PositionSide::Long
                                                        : (positionSide == "SHORT" ? PositionSide::Short : PositionSide::Both);
            if (order.symbol.empty() || (side != "BUY" && side != "SELL") || type.empty() ||
                !order.quantity.isPositive()) {
                problem = "Mandatory parameter was not sent, was empty/null, or malformed.";
            }
        }
    } else if (venue == Venue::BybitLinear && placing) {
        body = json::parse(request.body, nullptr, false);
        const auto field = [&](const char* name) {
            return body.is_object() && body.contains(name) && body[name].is_string() ? body[name].get<std::string>()
                                                                                      : std::string();
        };
        order.symbol = field("symbol");
        order.clientOrderId = field("orderLinkId");
        order.side = field("side") == "Buy" ? Side::Long : Side::Short;
        type = field("orderType");
        order.quantity = Decimal::tryParse(field("qty")).value_or(Decimal());
        order.reduceOnly = body.is_object() && body.value("reduceOnly", false) == true;
        const int idx = body.is_object() && body.contains("positionIdx") && body["positionIdx"].is_number_integer()
                            ? body["positionIdx"].get<int>()
                            : 0;
        order.positionSide = idx == 1 ? PositionSide::Long : (idx == 2 ? PositionSide::Short : PositionSide::Both);
        if (field("category") != "linear" || order.symbol.empty() || !order.quantity.isPositive() ||
            (field("side") != "Buy" && field("side") != "Sell") || idx < 0 || idx > 2) {
            problem = "params error: category, symbol, side, qty or positionIdx";
        }
    } else if (venue == Venue::BybitLinear) {
        order.symbol = formParam(query, "symbol").value_or("");
        order.clientOrderId = formParam(query, "orderLinkId").value_or("");
        order.venueOrderId = formParam(query, "orderId").value_or("");
    } else if (venue == Venue::OkxSwap && placing) {
        body = json::parse(request.body, nullptr, false);
        const auto field = [&](const char* name) {
            return body.is_object() && body.contains(name) && body[name].is_string() ? body[name].get<std::string>()
                                                                                      : std::string();
        };
        order.symbol = field("instId");
        order.clientOrderId = field("clOrdId");
        order.side = field("side") == "buy" ? Side::Long : Side::Short;
        type = field("ordType");
        const auto contracts = Decimal::tryParse(field("sz"));
        order.quantity = contracts ? *contracts * okxContractValue() : Decimal();
        const json* reduce = body.is_object() && body.contains("reduceOnly") ? &body["reduceOnly"] : nullptr;
        order.reduceOnly = reduce != nullptr && ((reduce->is_boolean() && reduce->get<bool>()) ||
                                                 (reduce->is_string() && reduce->get<std::string>() == "true"));
        const std::string posSide = field("posSide");
        order.positionSide = posSide == "long" ? PositionSide::Long : (posSide == "short" ? PositionSide::Short : PositionSide::Both);
        if (order.symbol.empty() || !order.quantity.isPositive() || (field("side") != "buy" && field("side") != "sell") ||
            (field("tdMode") != "cross" && field("tdMode") != "isolated")) {
            problem = "Parameter instId, side, sz or tdMode error";
        }
    } else {
        order.symbol = formParam(query, "instId").value_or("");
        order.clientOrderId = formParam(query, "clOrdId").value_or("");
        order.venueOrderId = formParam(query, "ordId").value_or("");
    }
    if (key != nullptr) {
        order.apiKey = key->apiKey;
    }

    // The venue's error, recorded with the order when it is a placement.
    const auto refuse = [&](RestAnswer answer, std::string code, std::string message) -> std::optional<Reply> {
        if (placing) {
            order.venueOrderId.clear();
            order.outcome.status = code == "-4116" || code == "110072" || code == "51016" ? OrderOutcome::Status::Duplicate
                                                                                          : OrderOutcome::Status::Rejected;
            order.outcome.venueCode = std::move(code);
            order.outcome.message = std::move(message);
            order.outcome.clientOrderId = order.clientOrderId;
            m_orders.push_back(order);
        }
        return Reply{std::move(answer), false};
    };

    if (refusal) {
        const json answer = json::parse(refusal->body, nullptr, false);
        std::string code = "HTTP " + std::to_string(refusal->status);
        if (answer.is_object()) {
            for (const char* name : {"code", "retCode"}) {
                if (answer.contains(name)) {
                    code = answer[name].is_string() ? answer[name].get<std::string>() : answer[name].dump();
                }
            }
        }
        return refuse(*refusal, code, "authentication refused");
    }

    // ----- look-ups: read permission, then the order by client or venue id
    if (!placing) {
        if (!key->permissions.read) {
            switch (venue) {
            case Venue::BinanceUsdm:
                return refuse(binanceError(401, -2015, "Invalid API-key, IP, or permissions for action."), "-2015", "");
            case Venue::BybitLinear:
                return refuse(bybitAnswer(10005, "Permission denied, please check your API key permissions.",
                                          json::object(), now),
                              "10005", "");
            default:
                return refuse(okxError(401, "50120", "API key doesn't have permission"), "50120", "");
            }
        }
        std::optional<std::string> venueId;
        if (venue == Venue::BinanceUsdm) {
            venueId = binanceParam(request, "orderId");
        } else if (!order.venueOrderId.empty()) {
            venueId = order.venueOrderId;
        }
        const SimulatedOrder* found = findOrder(m_orders, key->apiKey, order.clientOrderId, venueId);
        if (found != nullptr && !order.symbol.empty() && found->symbol != order.symbol) {
            found = nullptr;
        }
        switch (venue) {
        case Venue::BinanceUsdm:
            if (order.symbol.empty()) {
                return Reply{binanceError(400, -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed."),
                             false};
            }
            if (found == nullptr) {
                return Reply{binanceError(400, -2013, "Order does not exist."), false};
            }
            return Reply{{200, binanceOrderJson(*found).dump(), std::nullopt}, false};
        case Venue::BybitLinear: {
            if (formParam(query, "category") != std::optional<std::string>("linear")) {
                return Reply{bybitAnswer(10001, "params error: category only support linear", json::object(), now), false};
            }
            json list = json::array();
            // Market orders fill at once: they are never among the open orders of /realtime.
            if (found != nullptr && path == "/v5/order/history") {
                list.push_back(bybitOrderJson(*found));
            }
            return Reply{bybitAnswer(0, "OK", {{"category", "linear"}, {"list", list}, {"nextPageCursor", ""}}, now),
                         false};
        }
        default:
            if (found == nullptr) {
                return Reply{okxError(200, "51603", "Order does not exist"), false};
            }
            return Reply{{200, json{{"code", "0"}, {"msg", ""}, {"data", json::array({okxOrderJson(*found)})}}.dump(),
                          std::nullopt},
                         false};
        }
    }

    // ----- placements: trade permission, the order's shape, the client id, then the fill
    if (!key->permissions.trade) {
        switch (venue) {
        case Venue::BinanceUsdm:
            return refuse(binanceError(401, -2015, "Invalid API-key, IP, or permissions for action."), "-2015",
                          "Invalid API-key, IP, or permissions for action.");
        case Venue::BybitLinear:
            return refuse(bybitAnswer(10005, "Permission denied, please check your API key permissions.",
                                      json::object(), now),
                          "10005", "Permission denied, please check your API key permissions.");
        default:
            return refuse(okxError(401, "50120", "API key doesn't have permission"), "50120",
                          "API key doesn't have permission");
        }
    }
    switch (venue) {
    case Venue::BinanceUsdm:
        if (!problem.empty()) {
            return refuse(binanceError(400, -1102, problem), "-1102", problem);
        }
        if (type != "MARKET") {
            // The simulator takes market orders only; Binance's word for a type it does not take.
            return refuse(binanceError(400, -1116, "Invalid orderType."), "-1116", "Invalid orderType.");
        }
        if (order.positionSide != PositionSide::Both && order.reduceOnly) {
            return refuse(binanceError(400, -1106, "Parameter 'reduceOnly' sent when not required."), "-1106",
                          "Parameter 'reduceOnly' sent when not required.");
        }
        if (order.positionSide == PositionSide::Both && !order.reduceOnly) {
            return refuse(binanceError(400, -2022, "ReduceOnly Order is rejected."), "-2022",
                          "ReduceOnly Order is rejected.");
        }
        if (!isValidClientOrderId(venue, order.clientOrderId)) {
            return refuse(binanceError(400, -4015, "Client order id is not valid."), "-4015",
                          "Client order id is not valid.");
        }
        break;
    case Venue::BybitLinear:
        if (!problem.empty()) {
            return refuse(bybitAnswer(10001, problem, json::object(), now), "10001", problem);
        }
        if (type != "Market" || !order.reduceOnly) {
            return refuse(bybitAnswer(10001, "params error: the simulator takes reduce-only Market orders only",
                                      json::object(), now),
                          "10001", "only reduce-only Market orders");
        }
        if (!isValidClientOrderId(venue, order.clientOrderId)) {
            return refuse(bybitAnswer(10001, "params error: orderLinkId", json::object(), now), "10001",
                          "orderLinkId");
        }
        break;
    default:
        if (!problem.empty()) {
            return refuse(okxOrderError("51000", problem, order.clientOrderId, now), "51000", problem);
        }
        if (type != "market") {
            return refuse(okxOrderError("51000", "Parameter ordType error", order.clientOrderId, now), "51000",
                          "Parameter ordType error");
        }
        if (order.positionSide == PositionSide::Both && !order.reduceOnly) {
            return refuse(okxOrderError("51000", "Parameter reduceOnly error", order.clientOrderId, now), "51000",
                          "the simulator takes reduce-only orders only");
        }
        if (!isValidClientOrderId(venue, order.clientOrderId)) {
            return refuse(okxOrderError("51000", "Parameter clOrdId error", order.clientOrderId, now), "51000",
                          "Parameter clOrdId error");
        }
        break;
    }
    if (findOrder(m_orders, key->apiKey, order.clientOrderId, std::nullopt) != nullptr) {
        switch (venue) {
        case Venue::BinanceUsdm:
            return refuse(binanceError(400, -4116, "ClientOrderId is duplicated."), "-4116",
                          "ClientOrderId is duplicated.");
        case Venue::BybitLinear:
            return refuse(bybitAnswer(110072, "OrderLinkedID is duplicate", json::object(), now), "110072",
                          "OrderLinkedID is duplicate");
        default:
            return refuse(okxOrderError("51016", "Duplicated clOrdId", order.clientOrderId, now), "51016",
                          "Duplicated clOrdId");
        }
    }

    // Binance refuses a reduce-only order larger than the position; Bybit and OKX fill what there is.
    // A trade key beside a read key moves the read key's account.
    const SimulatedApiKey* owner = key;
    if (!key->sharesAccountOf.empty()) {
        const auto& keys = accounts.keys();
        const auto found = std::find_if(keys.begin(), keys.end(), [&](const SimulatedApiKey& candidate) {
            return candidate.venue == key->venue && candidate.apiKey == key->sharesAccountOf;
        });
        owner = found != keys.end() ? &*found : key;
    }
    const Fill fill = fillOrder(*owner, order, venue != Venue::BinanceUsdm, accounts, book, m_settings);
    key = nullptr; // the accounts changed: the key is read again from them when needed
    if (fill.refusal != FillRefusal::None) {
        switch (venue) {
        case Venue::BinanceUsdm:
            return refuse(binanceError(400, -2022, "ReduceOnly Order is rejected."), "-2022",
                          "ReduceOnly Order is rejected.");
        case Venue::BybitLinear:
            return refuse(bybitAnswer(110017, "current position is zero, cannot fix reduce-only order qty",
                                      json::object(), now),
                          "110017", "current position is zero, cannot fix reduce-only order qty");
        default:
            return refuse(okxOrderError("51169",
                                        "Order failed because you don't have any positions in this direction for "
                                        "this contract to reduce or close.",
                                        order.clientOrderId, now),
                          "51169", "no position in this direction to reduce");
        }
    }
    order.venueOrderId = std::to_string(m_nextOrderId++);
    if (venue == Venue::BybitLinear) {
        // Bybit's order ids are UUIDs.
        char id[40];
        std::snprintf(id, sizeof id, "5c0d6a4e-%04llx-4a8b-9e1f-%012llx",
                      static_cast<unsigned long long>(m_nextOrderId % 0x10000),
                      static_cast<unsigned long long>(m_nextOrderId));
        order.venueOrderId = id;
    }
    order.outcome.status = fill.quantity == order.quantity ? OrderOutcome::Status::Filled
                                                           : OrderOutcome::Status::PartiallyFilled;
    order.outcome.filledQuantity = fill.quantity;
    order.outcome.averagePrice = fill.price;
    order.outcome.venueOrderId = order.venueOrderId;
    order.outcome.clientOrderId = order.clientOrderId;
    order.outcome.message = "filled at the mark with slippage";
    order.fault = takeFault(venue);
    m_orders.push_back(order);

    if (order.fault == OrderFault::Timeout) {
        return Reply{{}, true};
    }
    if (order.fault == OrderFault::Http503) {
        return Reply{restErrorAnswer(503, request.target, now), false};
    }
    switch (venue) {
    case Venue::BinanceUsdm:
        return Reply{{200, binanceOrderJson(order).dump(), std::nullopt}, false};
    case Venue::BybitLinear:
        return Reply{bybitAnswer(0, "OK", {{"orderId", order.venueOrderId}, {"orderLinkId", order.clientOrderId}}, now),
                     false};
    default:
        return Reply{{200,
                      json{{"code", "0"},
                           {"msg", ""},
                           {"data", json::array({{{"clOrdId", order.clientOrderId},
                                                  {"ordId", order.venueOrderId},
                                                  {"tag", ""},
                                                  {"ts", std::to_string(now)},
                                                  {"sCode", "0"},
                                                  {"sMsg", "Order placed"}}})},
                           {"inTime", std::to_string(now * 1000)},
                           {"outTime", std::to_string(now * 1000 + 350)}}
                          .dump(),
                      std::nullopt},
                     false};
    }
}

} // namespace mm::sim
