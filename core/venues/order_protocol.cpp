#include "venues/order_protocol.h"

#include "money/exact_json.h"
#include "venues/json_fields.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <exception>

namespace mm {

namespace {

using json = nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Requests

/// Symbols go into query strings and bodies unescaped: only what the venues' names are made of.
bool isSafeSymbol(std::string_view symbol)
{
    return !symbol.empty() && symbol.size() <= 64 && std::all_of(symbol.begin(), symbol.end(), [](unsigned char c) {
               return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.';
           });
}

/// The checks every venue's request shares; "" when the request can be sent.
std::string requestProblem(const OrderRequest& request)
{
    if (request.venue == Venue::Hyperliquid) {
        return "Hyperliquid orders are signed with EIP-712 / secp256k1, which Margin Monitor does not do: "
               "reduce the position on Hyperliquid itself";
    }
    if (request.venue == Venue::Generic) {
        return "a position entered by hand has no exchange to send an order to";
    }
    if (!isSafeSymbol(request.symbol)) {
        return "the symbol \"" + request.symbol + "\" is not a " + std::string(venueName(request.venue)) + " instrument name";
    }
    if (!isValidClientOrderId(request.venue, request.clientOrderId)) {
        return "the client order id \"" + request.clientOrderId + "\" is not one " +
               std::string(venueName(request.venue)) + " accepts";
    }
    return {};
}

/// In hedge mode the order's side is fixed by the leg: a sell reduces the long leg, a buy the short.
std::string hedgeProblem(const OrderRequest& request)
{
    if (request.positionSide == PositionSide::Long && request.side != Side::Short) {
        return "a buy would add to the long leg: reducing it takes a sell";
    }
    if (request.positionSide == PositionSide::Short && request.side != Side::Long) {
        return "a sell would add to the short leg: reducing it takes a buy";
    }
    return {};
}

std::optional<OrderHttpRequest> binancePlace(const OrderRequest& request)
{
    std::string body = "symbol=" + request.symbol + "&side=" + (request.side == Side::Long ? "BUY" : "SELL") +
                       "&type=MARKET&quantity=" + request.quantity.toString();
    switch (request.positionSide) {
    case PositionSide::Both:
        body += "&reduceOnly=true";
        break;
    case PositionSide::Long:
        body += "&positionSide=LONG"; // hedge mode: Binance refuses reduceOnly here (-1106)
        break;
    case PositionSide::Short:
        body += "&positionSide=SHORT";
        break;
    }
    body += "&newClientOrderId=" + request.clientOrderId + "&newOrderRespType=RESULT";
    return OrderHttpRequest{OrderHttpMethod::Post, "/fapi/v1/order", "", std::move(body)};
}

int bybitPositionIdx(PositionSide side)
{
    switch (side) {
    case PositionSide::Long:
        return 1;
    case PositionSide::Short:
        return 2;
    case PositionSide::Both:
        break;
    }
    return 0;
}

std::optional<OrderHttpRequest> bybitPlace(const OrderRequest& request)
{
    // Keys in Bybit's documented order; the body is signed as sent.
    json body = json::object();
    body["category"] = "linear";
    body["symbol"] = request.symbol;
    body["side"] = request.side == Side::Long ? "Buy" : "Sell";
    body["orderType"] = "Market";
    body["qty"] = request.quantity.toString();
    body["reduceOnly"] = true;
    body["positionIdx"] = bybitPositionIdx(request.positionSide);
    body["orderLinkId"] = request.clientOrderId;
    return OrderHttpRequest{OrderHttpMethod::Post, "/v5/order/create", "", body.dump()};
}

std::optional<OrderHttpRequest> okxPlace(const OrderRequest& request, const OrderVenueDetails& details,
                                         std::string& problem)
{
    if (!details.contractValue || !details.contractValue->isPositive()) {
        problem = "OKX counts orders in contracts: the contract value (ctVal) of " + request.symbol + " is not known";
        return std::nullopt;
    }
    Decimal contracts;
    try {
        contracts = request.quantity / *details.contractValue;
    } catch (const DecimalError& error) {
        problem = std::string("the quantity in contracts is out of range: ") + error.what();
        return std::nullopt;
    }
    if (!contracts.isPositive()) {
        problem = "the quantity " + request.quantity.toString() + " is less than one unit of OKX's contracts";
        return std::nullopt;
    }
    json body = json::object();
    body["instId"] = request.symbol;
    body["tdMode"] = request.marginMode == MarginMode::Isolated ? "isolated" : "cross";
    body["side"] = request.side == Side::Long ? "buy" : "sell";
    body["ordType"] = "market";
    body["sz"] = contracts.toString();
    switch (request.positionSide) {
    case PositionSide::Both:
        body["reduceOnly"] = true; // net mode only; long/short mode names the leg instead
        break;
    case PositionSide::Long:
        body["posSide"] = "long";
        break;
    case PositionSide::Short:
        body["posSide"] = "short";
        break;
    }
    body["clOrdId"] = request.clientOrderId;
    return OrderHttpRequest{OrderHttpMethod::Post, "/api/v5/trade/order", "", body.dump()};
}

// ---------------------------------------------------------------------------------------------
// Answers

/// A decimal field that may be absent; nullopt (no problem) for absent, null and "". Never throws.
std::optional<Decimal> decimalField(const json& object, std::string_view key, bool& malformed)
{
    const json* value = venue_json::member(object, key);
    if (value == nullptr || value->is_null() || (value->is_string() && value->get_ref<const std::string&>().empty())) {
        return std::nullopt;
    }
    if (!holdsDecimal(*value)) {
        malformed = true;
        return std::nullopt;
    }
    try {
        return decimalFromJson(*value);
    } catch (const std::exception&) {
        malformed = true;
        return std::nullopt;
    }
}

/// A text or integer field as text ("" when absent or of another type).
std::string textField(const json& object, std::string_view key)
{
    const json* value = venue_json::member(object, key);
    if (value == nullptr) {
        return {};
    }
    if (value->is_string()) {
        return value->get<std::string>();
    }
    if (value->is_number_integer()) {
        return value->is_number_unsigned() ? std::to_string(value->get<std::uint64_t>())
                                           : std::to_string(value->get<std::int64_t>());
    }
    return {};
}

OrderOutcome outcome(OrderOutcome::Status status, const OrderRequest& expected, std::string code, std::string message)
{
    OrderOutcome result;
    result.status = status;
    result.clientOrderId = expected.clientOrderId;
    result.venueCode = std::move(code);
    result.message = std::move(message);
    return result;
}

OrderOutcome unknown(const OrderRequest& expected, std::string message, std::string code = {})
{
    return outcome(OrderOutcome::Status::Unknown, expected, std::move(code), std::move(message));
}

std::string venueWords(Venue venue)
{
    return std::string(venueName(venue));
}

/// The outcome of the transport alone, when it decides: no answer, 5xx, 429, 418.
std::optional<OrderOutcome> transportOutcome(Venue venue, const OrderAnswer& answer, const OrderRequest& expected)
{
    if (answer.httpStatus == 0) {
        return unknown(expected, "no answer from " + venueWords(venue) + ": the order may or may not exist");
    }
    if (answer.httpStatus == 429) {
        return outcome(OrderOutcome::Status::Rejected, expected, "429",
                       venueWords(venue) + " is limiting requests (HTTP 429): the order was not placed");
    }
    if (answer.httpStatus == 418) {
        return outcome(OrderOutcome::Status::Rejected, expected, "418",
                       venueWords(venue) + " has banned this address for a while (HTTP 418): the order was not placed");
    }
    if (answer.httpStatus >= 500) {
        return unknown(expected, venueWords(venue) + " answered HTTP " + std::to_string(answer.httpStatus) +
                                     ": the order may or may not exist — look it up before anything is resent");
    }
    return std::nullopt;
}

/// Rejected, Unknown or Duplicate for a venue's error code, with the venue's words.
struct CodeRule {
    Venue venue;
    std::string_view code;
    OrderOutcome::Status status;
};

constexpr std::array kCodeRules{
    // Binance USDⓈ-M (Error Codes): -1000 UNKNOWN, -1006 UNEXPECTED_RESP and -1007 TIMEOUT say the
    // execution status is unknown; -1003 TOO_MANY_REQUESTS, -1015 TOO_MANY_ORDERS.
    CodeRule{Venue::BinanceUsdm, "-1000", OrderOutcome::Status::Unknown},
    CodeRule{Venue::BinanceUsdm, "-1001", OrderOutcome::Status::Unknown},
    CodeRule{Venue::BinanceUsdm, "-1006", OrderOutcome::Status::Unknown},
    CodeRule{Venue::BinanceUsdm, "-1007", OrderOutcome::Status::Unknown},
    CodeRule{Venue::BinanceUsdm, "-1003", OrderOutcome::Status::Rejected},
    CodeRule{Venue::BinanceUsdm, "-1015", OrderOutcome::Status::Rejected},
    CodeRule{Venue::BinanceUsdm, "-4116", OrderOutcome::Status::Duplicate}, // ClientOrderId is duplicated.
    CodeRule{Venue::BinanceUsdm, "-2013", OrderOutcome::Status::NotFound},  // Order does not exist.
    // Bybit v5 (Error Codes): 10000 server timeout, 10016 internal error; 10006 / 10018 rate limits.
    CodeRule{Venue::BybitLinear, "10000", OrderOutcome::Status::Unknown},
    CodeRule{Venue::BybitLinear, "10016", OrderOutcome::Status::Unknown},
    CodeRule{Venue::BybitLinear, "10006", OrderOutcome::Status::Rejected},
    CodeRule{Venue::BybitLinear, "10018", OrderOutcome::Status::Rejected},
    CodeRule{Venue::BybitLinear, "110072", OrderOutcome::Status::Duplicate}, // OrderLinkedID is duplicate
    CodeRule{Venue::BybitLinear, "110001", OrderOutcome::Status::NotFound},  // Order does not exist
    // OKX v5 (Error Codes): 50001 service unavailable, 50004 endpoint timeout, 50013 busy, 50026
    // system error; 50011 / 50061 rate limits.
    CodeRule{Venue::OkxSwap, "50001", OrderOutcome::Status::Unknown},
    CodeRule{Venue::OkxSwap, "50004", OrderOutcome::Status::Unknown},
    CodeRule{Venue::OkxSwap, "50013", OrderOutcome::Status::Unknown},
    CodeRule{Venue::OkxSwap, "50026", OrderOutcome::Status::Unknown},
    CodeRule{Venue::OkxSwap, "50011", OrderOutcome::Status::Rejected},
    CodeRule{Venue::OkxSwap, "50061", OrderOutcome::Status::Rejected},
    CodeRule{Venue::OkxSwap, "51016", OrderOutcome::Status::Duplicate}, // Duplicated clOrdId
    CodeRule{Venue::OkxSwap, "51603", OrderOutcome::Status::NotFound},  // Order does not exist
};

/// What a venue error code means here. NotFound only stands for a look-up: a placement refused with
/// "order does not exist" was still refused.
OrderOutcome fromVenueError(Venue venue, const std::string& code, const std::string& message,
                            const OrderRequest& expected, bool lookup)
{
    OrderOutcome::Status status = OrderOutcome::Status::Rejected;
    for (const CodeRule& rule : kCodeRules) {
        if (rule.venue == venue && rule.code == code) {
            status = rule.status;
        }
    }
    if (status == OrderOutcome::Status::NotFound && !lookup) {
        status = OrderOutcome::Status::Rejected;
    }
    std::string words = venueWords(venue);
    switch (status) {
    case OrderOutcome::Status::Unknown:
        words += " could not say what became of the order";
        break;
    case OrderOutcome::Status::Duplicate:
        words += " already has an order with the client order id " + expected.clientOrderId;
        break;
    case OrderOutcome::Status::NotFound:
        words += " has no order with the client order id " + expected.clientOrderId;
        break;
    case OrderOutcome::Status::Rejected:
    case OrderOutcome::Status::Filled:
    case OrderOutcome::Status::PartiallyFilled:
    case OrderOutcome::Status::Accepted:
        words += lookup ? " refused the look-up" : " refused the order";
        break;
    }
    words += " (" + code + (message.empty() ? "" : ": " + message) + ")";
    return outcome(status, expected, code, std::move(words));
}

/// Parses the body; nullopt when it is not JSON.
std::optional<json> parseBody(std::string_view body)
{
    std::string problem;
    return venue_json::parseFrame(body, problem);
}

/// Completes a filled / partial / accepted outcome from the figures the venue gave.
OrderOutcome orderOutcome(OrderOutcome::Status status, const OrderRequest& expected, const Decimal& filled,
                          std::optional<Decimal> averagePrice, std::string venueOrderId, std::string clientOrderId,
                          std::string words)
{
    OrderOutcome result;
    result.status = status;
    result.filledQuantity = filled;
    if (averagePrice && averagePrice->isPositive() && filled.isPositive()) {
        result.averagePrice = averagePrice;
    }
    result.venueOrderId = std::move(venueOrderId);
    result.clientOrderId = clientOrderId.empty() ? expected.clientOrderId : std::move(clientOrderId);
    result.message = std::move(words);
    return result;
}

/// An order that ended (cancelled, expired, rejected): what executed stands.
OrderOutcome endedOrder(Venue venue, const OrderRequest& expected, const Decimal& filled,
                        std::optional<Decimal> averagePrice, std::string venueOrderId, std::string clientOrderId,
                        const std::string& state)
{
    if (filled.isPositive()) {
        return orderOutcome(OrderOutcome::Status::PartiallyFilled, expected, filled, averagePrice,
                            std::move(venueOrderId), std::move(clientOrderId),
                            venueWords(venue) + " filled part of the order; the rest ended " + state);
    }
    OrderOutcome result = orderOutcome(OrderOutcome::Status::Rejected, expected, filled, std::nullopt,
                                       std::move(venueOrderId), std::move(clientOrderId),
                                       venueWords(venue) + " ended the order unfilled (" + state + ")");
    result.venueCode = state;
    return result;
}

// Binance ------------------------------------------------------------------------------------

/// A Binance order object (the RESULT answer of POST /fapi/v1/order, or GET /fapi/v1/order).
OrderOutcome binanceOrder(const json& order, const OrderRequest& expected, bool lookup)
{
    const std::string status = textField(order, "status");
    bool malformed = false;
    const auto executed = decimalField(order, "executedQty", malformed);
    const auto average = decimalField(order, "avgPrice", malformed);
    const std::string orderId = textField(order, "orderId");
    const std::string clientId = textField(order, "clientOrderId");
    if (malformed || status.empty() || !executed || executed->isNegative()) {
        return unknown(expected, "Binance's answer about the order is unreadable (status, executedQty): the order "
                                 "may or may not exist");
    }
    if (lookup && !clientId.empty() && clientId != expected.clientOrderId) {
        return unknown(expected, "Binance answered about another order (" + clientId + ")");
    }
    if (status == "FILLED") {
        return orderOutcome(OrderOutcome::Status::Filled, expected, *executed, average, orderId, clientId,
                            "Binance filled the order");
    }
    if (status == "PARTIALLY_FILLED") {
        return orderOutcome(OrderOutcome::Status::PartiallyFilled, expected, *executed, average, orderId, clientId,
                            "Binance has filled part of the order");
    }
    if (status == "NEW") {
        return orderOutcome(executed->isPositive() ? OrderOutcome::Status::PartiallyFilled
                                                   : OrderOutcome::Status::Accepted,
                            expected, *executed, average, orderId, clientId, "Binance accepted the order");
    }
    if (status == "CANCELED" || status == "EXPIRED" || status == "EXPIRED_IN_MATCH" || status == "REJECTED") {
        return endedOrder(Venue::BinanceUsdm, expected, *executed, average, orderId, clientId, status);
    }
    return unknown(expected, "Binance reports the order in a state this version does not know: " + status);
}

OrderOutcome binanceAnswer(const OrderAnswer& answer, const OrderRequest& expected, bool lookup)
{
    const auto document = parseBody(answer.body);
    if (!document || !document->is_object()) {
        return unknown(expected, "Binance's answer (HTTP " + std::to_string(answer.httpStatus) +
                                     ") is not JSON: the order may or may not exist");
    }
    if (const json* code = venue_json::member(*document, "code");
        code != nullptr && venue_json::member(*document, "status") == nullptr) {
        const std::string codeText = textField(*document, "code");
        const json* message = venue_json::member(*document, "msg");
        if (codeText.empty() || codeText == "200" || codeText == "0") {
            return unknown(expected, "Binance's answer has no order and no error");
        }
        return fromVenueError(Venue::BinanceUsdm, codeText,
                              message != nullptr && message->is_string() ? message->get<std::string>() : "", expected,
                              lookup);
    }
    if (answer.httpStatus < 200 || answer.httpStatus >= 300) {
        return unknown(expected, "Binance answered HTTP " + std::to_string(answer.httpStatus) + " without an error code");
    }
    return binanceOrder(*document, expected, lookup);
}

// Bybit ---------------------------------------------------------------------------------------

OrderOutcome bybitOrder(const json& order, const OrderRequest& expected)
{
    const std::string status = textField(order, "orderStatus");
    bool malformed = false;
    const auto executed = decimalField(order, "cumExecQty", malformed);
    const auto average = decimalField(order, "avgPrice", malformed);
    const std::string orderId = textField(order, "orderId");
    const std::string linkId = textField(order, "orderLinkId");
    if (malformed || status.empty() || !executed || executed->isNegative()) {
        return unknown(expected, "Bybit's answer about the order is unreadable (orderStatus, cumExecQty)");
    }
    if (!linkId.empty() && linkId != expected.clientOrderId) {
        return unknown(expected, "Bybit answered about another order (" + linkId + ")");
    }
    if (status == "Filled") {
        return orderOutcome(OrderOutcome::Status::Filled, expected, *executed, average, orderId, linkId,
                            "Bybit filled the order");
    }
    if (status == "PartiallyFilled") {
        return orderOutcome(OrderOutcome::Status::PartiallyFilled, expected, *executed, average, orderId, linkId,
                            "Bybit has filled part of the order");
    }
    if (status == "New" || status == "Created" || status == "Untriggered" || status == "Triggered" ||
        status == "Active") {
        return orderOutcome(executed->isPositive() ? OrderOutcome::Status::PartiallyFilled
                                                   : OrderOutcome::Status::Accepted,
                            expected, *executed, average, orderId, linkId, "Bybit accepted the order");
    }
    if (status == "Cancelled" || status == "Rejected" || status == "Deactivated" ||
        status == "PartiallyFilledCanceled") {
        return endedOrder(Venue::BybitLinear, expected, *executed, average, orderId, linkId, status);
    }
    return unknown(expected, "Bybit reports the order in a state this version does not know: " + status);
}

OrderOutcome bybitAnswer(const OrderAnswer& answer, const OrderRequest& expected, bool lookup)
{
    const auto document = parseBody(answer.body);
    if (!document || !document->is_object()) {
        return unknown(expected, "Bybit's answer (HTTP " + std::to_string(answer.httpStatus) +
                                     ") is not JSON: the order may or may not exist");
    }
    const std::string code = textField(*document, "retCode");
    const std::string message = textField(*document, "retMsg");
    if (code.empty()) {
        return unknown(expected, "Bybit's answer has no retCode");
    }
    if (code != "0") {
        return fromVenueError(Venue::BybitLinear, code, message, expected, lookup);
    }
    const json* result = venue_json::member(*document, "result");
    if (result == nullptr || !result->is_object()) {
        return unknown(expected, "Bybit's answer has no result");
    }
    if (!lookup) {
        const std::string orderId = textField(*result, "orderId");
        const std::string linkId = textField(*result, "orderLinkId");
        if (orderId.empty()) {
            return unknown(expected, "Bybit accepted something but named no orderId");
        }
        if (!linkId.empty() && linkId != expected.clientOrderId) {
            return unknown(expected, "Bybit answered about another order (" + linkId + ")");
        }
        return orderOutcome(OrderOutcome::Status::Accepted, expected, Decimal(), std::nullopt, orderId, linkId,
                            "Bybit accepted the order");
    }
    const json* list = venue_json::member(*result, "list");
    if (list == nullptr || !list->is_array()) {
        return unknown(expected, "Bybit's answer has no order list");
    }
    if (list->empty()) {
        return outcome(OrderOutcome::Status::NotFound, expected, "",
                       "Bybit has no order with the client order id " + expected.clientOrderId);
    }
    if (!list->front().is_object()) {
        return unknown(expected, "Bybit's order list holds something that is not an order");
    }
    return bybitOrder(list->front(), expected);
}

// OKX -----------------------------------------------------------------------------------------

/// Contracts to base units, exactly; nullopt when the contract value is unknown.
std::optional<Decimal> okxBase(const Decimal& contracts, const OrderVenueDetails& details)
{
    if (!details.contractValue || !details.contractValue->isPositive()) {
        return std::nullopt;
    }
    try {
        return contracts * *details.contractValue;
    } catch (const DecimalError&) {
        return std::nullopt;
    }
}

OrderOutcome okxOrder(const json& order, const OrderRequest& expected, const OrderVenueDetails& details)
{
    const std::string state = textField(order, "state");
    bool malformed = false;
    const auto contracts = decimalField(order, "accFillSz", malformed);
    const auto average = decimalField(order, "avgPx", malformed);
    const std::string orderId = textField(order, "ordId");
    const std::string clientId = textField(order, "clOrdId");
    if (malformed || state.empty() || !contracts || contracts->isNegative()) {
        return unknown(expected, "OKX's answer about the order is unreadable (state, accFillSz)");
    }
    if (!clientId.empty() && clientId != expected.clientOrderId) {
        return unknown(expected, "OKX answered about another order (" + clientId + ")");
    }
    const auto filled = okxBase(*contracts, details);
    if (!filled) {
        return unknown(expected, "OKX reports " + contracts->toString() +
                                     " contracts filled, but their contract value (ctVal) is not known");
    }
    if (state == "filled") {
        return orderOutcome(OrderOutcome::Status::Filled, expected, *filled, average, orderId, clientId,
                            "OKX filled the order");
    }
    if (state == "partially_filled") {
        return orderOutcome(OrderOutcome::Status::PartiallyFilled, expected, *filled, average, orderId, clientId,
                            "OKX has filled part of the order");
    }
    if (state == "live") {
        return orderOutcome(filled->isPositive() ? OrderOutcome::Status::PartiallyFilled : OrderOutcome::Status::Accepted,
                            expected, *filled, average, orderId, clientId, "OKX accepted the order");
    }
    if (state == "canceled" || state == "mmp_canceled") {
        return endedOrder(Venue::OkxSwap, expected, *filled, average, orderId, clientId, state);
    }
    return unknown(expected, "OKX reports the order in a state this version does not know: " + state);
}

OrderOutcome okxAnswer(const OrderAnswer& answer, const OrderRequest& expected, const OrderVenueDetails& details,
                       bool lookup)
{
    const auto document = parseBody(answer.body);
    if (!document || !document->is_object()) {
        return unknown(expected, "OKX's answer (HTTP " + std::to_string(answer.httpStatus) +
                                     ") is not JSON: the order may or may not exist");
    }
    const std::string code = textField(*document, "code");
    const std::string message = textField(*document, "msg");
    const json* data = venue_json::member(*document, "data");
    if (code.empty()) {
        return unknown(expected, "OKX's answer has no code");
    }
    // Each order's own sCode decides, whatever the top-level code says ("1": all failed, "2": some).
    const json* first = data != nullptr && data->is_array() && !data->empty() && data->front().is_object()
                            ? &data->front()
                            : nullptr;
    if (first != nullptr && venue_json::member(*first, "sCode") != nullptr) {
        const std::string sCode = textField(*first, "sCode");
        if (sCode != "0") {
            return fromVenueError(Venue::OkxSwap, sCode.empty() ? code : sCode, textField(*first, "sMsg"), expected,
                                  lookup);
        }
    }
    if (code != "0") {
        return fromVenueError(Venue::OkxSwap, code, message, expected, lookup);
    }
    if (first == nullptr) {
        if (lookup && data != nullptr && data->is_array() && data->empty()) {
            return outcome(OrderOutcome::Status::NotFound, expected, "",
                           "OKX has no order with the client order id " + expected.clientOrderId);
        }
        return unknown(expected, "OKX's answer has no order in data");
    }
    if (lookup) {
        return okxOrder(*first, expected, details);
    }
    const std::string orderId = textField(*first, "ordId");
    const std::string clientId = textField(*first, "clOrdId");
    if (orderId.empty()) {
        return unknown(expected, "OKX accepted something but named no ordId");
    }
    if (!clientId.empty() && clientId != expected.clientOrderId) {
        return unknown(expected, "OKX answered about another order (" + clientId + ")");
    }
    return orderOutcome(OrderOutcome::Status::Accepted, expected, Decimal(), std::nullopt, orderId, clientId,
                        "OKX accepted the order");
}

OrderOutcome parseAnswer(Venue venue, const OrderAnswer& answer, const OrderRequest& expected,
                         const OrderVenueDetails& details, bool lookup)
{
    try {
        if (auto decided = transportOutcome(venue, answer, expected)) {
            return std::move(*decided);
        }
        switch (venue) {
        case Venue::BinanceUsdm:
            return binanceAnswer(answer, expected, lookup);
        case Venue::BybitLinear:
            return bybitAnswer(answer, expected, lookup);
        case Venue::OkxSwap:
            return okxAnswer(answer, expected, details, lookup);
        case Venue::Hyperliquid:
        case Venue::Generic:
            break;
        }
        return outcome(OrderOutcome::Status::Rejected, expected, "",
                       venueWords(venue) + " orders are not sent by Margin Monitor");
    } catch (const std::exception& error) { // nothing above should throw; never let exchange data through
        return unknown(expected, std::string("the answer could not be read: ") + error.what());
    }
}

constexpr std::string_view kBase36 = "0123456789abcdefghijklmnopqrstuvwxyz";

std::string base36(std::uint64_t value)
{
    std::string digits;
    do {
        digits.insert(digits.begin(), kBase36[value % 36]);
        value /= 36;
    } while (value != 0);
    return digits;
}

} // namespace

std::optional<OrderHttpRequest> buildPlaceOrderRequest(const OrderRequest& request, const OrderVenueDetails& details,
                                                       std::string& problem)
{
    problem = requestProblem(request);
    if (problem.empty() && !request.quantity.isPositive()) {
        problem = "the order quantity must be positive, not " + request.quantity.toString();
    }
    if (problem.empty()) {
        problem = hedgeProblem(request);
    }
    if (!problem.empty()) {
        return std::nullopt;
    }
    switch (request.venue) {
    case Venue::BinanceUsdm:
        return binancePlace(request);
    case Venue::BybitLinear:
        return bybitPlace(request);
    case Venue::OkxSwap:
        return okxPlace(request, details, problem);
    case Venue::Hyperliquid:
    case Venue::Generic:
        break;
    }
    return std::nullopt;
}

std::vector<OrderHttpRequest> buildLookupOrderRequests(const OrderRequest& request, std::string& problem)
{
    problem = requestProblem(request);
    if (!problem.empty()) {
        return {};
    }
    switch (request.venue) {
    case Venue::BinanceUsdm:
        return {{OrderHttpMethod::Get, "/fapi/v1/order",
                 "symbol=" + request.symbol + "&origClientOrderId=" + request.clientOrderId, ""}};
    case Venue::BybitLinear: {
        const std::string query = "category=linear&symbol=" + request.symbol + "&orderLinkId=" + request.clientOrderId;
        return {{OrderHttpMethod::Get, "/v5/order/realtime", query, ""},
                {OrderHttpMethod::Get, "/v5/order/history", query, ""}};
    }
    case Venue::OkxSwap:
        return {{OrderHttpMethod::Get, "/api/v5/trade/order", "instId=" + request.symbol + "&clOrdId=" + request.clientOrderId,
                 ""}};
    case Venue::Hyperliquid:
    case Venue::Generic:
        break;
    }
    return {};
}

OrderOutcome parsePlaceOrderAnswer(Venue venue, const OrderAnswer& answer, const OrderRequest& expected,
                                   const OrderVenueDetails& details)
{
    return parseAnswer(venue, answer, expected, details, false);
}

OrderOutcome parseLookupOrderAnswer(Venue venue, const OrderAnswer& answer, const OrderRequest& expected,
                                    const OrderVenueDetails& details)
{
    return parseAnswer(venue, answer, expected, details, true);
}

bool isValidClientOrderId(Venue venue, std::string_view id)
{
    const auto all = [&](auto allowed) {
        return std::all_of(id.begin(), id.end(), [&](char c) { return allowed(static_cast<unsigned char>(c)); });
    };
    switch (venue) {
    case Venue::BinanceUsdm:
        // ^[\.A-Z\:/a-z0-9_-]{1,36}$
        return !id.empty() && id.size() <= 36 && all([](unsigned char c) {
                   return std::isalnum(c) != 0 || c == '.' || c == ':' || c == '/' || c == '_' || c == '-';
               });
    case Venue::BybitLinear:
        return !id.empty() && id.size() <= 36 &&
               all([](unsigned char c) { return std::isalnum(c) != 0 || c == '_' || c == '-'; });
    case Venue::OkxSwap:
        return !id.empty() && id.size() <= 32 && all([](unsigned char c) { return std::isalnum(c) != 0; });
    case Venue::Hyperliquid:
    case Venue::Generic:
        break;
    }
    return false;
}

std::string makeClientOrderId(std::string_view prefix, std::uint64_t run, std::uint64_t episode)
{
    constexpr std::size_t kPrefixLength = 5;
    std::string id;
    for (const char c : prefix) {
        if (id.size() < kPrefixLength && std::isalnum(static_cast<unsigned char>(c)) != 0) {
            id += c;
        }
    }
    if (id.empty()) {
        id = "mm";
    }
    const std::string runDigits = base36(run);
    id += kBase36[runDigits.size()]; // 1 to 13: the split between run and episode stays readable
    id += runDigits;
    id += base36(episode);
    return id; // at most 5 + 1 + 13 + 13 = 32 characters
}

} // namespace mm
