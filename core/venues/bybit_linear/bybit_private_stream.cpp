#include "venues/bybit_linear/bybit_private_stream.h"

#include "money/exact_json.h"
#include "venues/json_fields.h"

#include <exception>

namespace mm {

using json = nlohmann::json;

namespace bybit_private_stream {

std::string subscribeMessage()
{
    return R"({"req_id":"account","op":"subscribe","args":["position","wallet"]})";
}

std::string pingMessage()
{
    return R"({"req_id":"keepalive","op":"ping"})";
}

} // namespace bybit_private_stream

namespace {

AccountEvent malformed(std::string problem, std::string_view where = {})
{
    AccountEvent event;
    event.venue = Venue::BybitLinear;
    event.kind = AccountEvent::Kind::Malformed;
    event.detail = where.empty() ? std::move(problem) : std::string(where) + ": " + problem;
    return event;
}

std::optional<SnapshotPosition> readPosition(const json& row, bool& otherCategory, std::string& problem)
{
    otherCategory = false;
    if (!row.is_object()) {
        problem = "is " + describeJsonType(row) + ", not an object";
        return std::nullopt;
    }
    if (const json* category = venue_json::member(row, "category");
        category != nullptr && category->is_string() && category->get_ref<const std::string&>() != "linear") {
        otherCategory = true;
        return std::nullopt;
    }
    SnapshotPosition result;
    Position& position = result.position;
    const auto symbol = venue_json::symbol(row, "symbol", problem);
    const auto size = account_json::requiredDecimal(row, "size", problem);
    const auto index = account_json::requiredDecimal(row, "positionIdx", problem);
    const auto side = venue_json::text(row, "side", problem);
    if (!symbol || !size || !index || !side) {
        return std::nullopt;
    }
    position.symbol = *symbol;
    if (size->isNegative()) {
        problem = "\"size\" is negative: " + size->toString();
        return std::nullopt;
    }
    position.quantity = *size;
    if (*index == Decimal::fromInteger(0)) {
        position.positionSide = PositionSide::Both;
    } else if (*index == Decimal::fromInteger(1)) {
        position.positionSide = PositionSide::Long;
    } else if (*index == Decimal::fromInteger(2)) {
        position.positionSide = PositionSide::Short;
    } else {
        problem = "\"positionIdx\" is " + index->toString() + ", not 0, 1 or 2";
        return std::nullopt;
    }
    if (*side == "Buy") {
        position.side = Side::Long;
    } else if (*side == "Sell") {
        position.side = Side::Short;
    } else if (side->empty() && size->isZero()) {
        position.side = position.positionSide == PositionSide::Short ? Side::Short : Side::Long; // closed
    } else {
        problem = "\"side\" is \"" + *side + "\", not Buy or Sell";
        return std::nullopt;
    }
    if (size->isZero()) {
        return result; // closed: nothing else matters
    }
    const bool hasEntry = venue_json::member(row, "entryPrice") != nullptr;
    const auto entry = venue_json::price(row, hasEntry ? "entryPrice" : "avgPrice", problem);
    const auto mark = venue_json::price(row, "markPrice", problem);
    if (!entry || !mark) {
        return std::nullopt;
    }
    position.entryPrice = *entry;
    position.markPrice = *mark;
    const auto tradeMode = venue_json::optionalDecimal(row, "tradeMode", problem);
    if (tradeMode && *tradeMode == Decimal::fromInteger(1)) {
        position.marginMode = MarginMode::Isolated;
        auto margin = venue_json::optionalDecimal(row, "positionBalance", problem);
        if (!margin || !margin->isPositive()) {
            margin = venue_json::optionalDecimal(row, "positionIM", problem);
        }
        if (!margin || !margin->isPositive()) {
            if (problem.empty()) {
                problem = "neither \"positionBalance\" nor \"positionIM\" is a positive margin for an isolated position";
            }
            return std::nullopt;
        }
        position.isolatedMargin = margin;
    } else if (tradeMode && !tradeMode->isZero()) {
        problem = "\"tradeMode\" is " + tradeMode->toString() + ", not 0 or 1";
        return std::nullopt;
    }
    position.leverage = account_json::leverage(row, "leverage", problem);
    result.exchangeLiquidationPrice = account_json::liquidationPrice(row, "liqPrice", problem);
    result.exchangeMaintenanceMargin = venue_json::optionalDecimal(row, "positionMM", problem);
    result.unrealizedPnl = venue_json::optionalDecimal(row, "unrealisedPnl", problem);
    if (!problem.empty()) {
        return std::nullopt;
    }
    return result;
}

AccountEvent positions(const json& frame, AccountEvent event)
{
    std::string problem;
    const json* rows = account_json::array(frame, "data", problem);
    if (rows == nullptr) {
        return malformed(problem, "position");
    }
    for (std::size_t i = 0; i < rows->size(); ++i) {
        bool otherCategory = false;
        auto position = readPosition((*rows)[i], otherCategory, problem);
        if (otherCategory) {
            continue;
        }
        if (!position) {
            return malformed(problem, "position data[" + std::to_string(i) + "]");
        }
        event.positions.push_back(std::move(*position));
    }
    event.kind = event.positions.empty() ? AccountEvent::Kind::Ignored : AccountEvent::Kind::PositionsUpdate;
    return event;
}

AccountEvent wallet(const json& frame, AccountEvent event)
{
    std::string problem;
    const json* rows = account_json::array(frame, "data", problem);
    if (rows == nullptr) {
        return malformed(problem, "wallet");
    }
    const json* account = nullptr;
    for (const json& row : *rows) {
        const json* type = venue_json::member(row, "accountType");
        if (account == nullptr || (type != nullptr && type->is_string() && type->get_ref<const std::string&>() == "UNIFIED")) {
            account = &row;
        }
    }
    if (account == nullptr) {
        event.kind = AccountEvent::Kind::Ignored;
        return event;
    }
    if (!account->is_object()) {
        return malformed("is " + describeJsonType(*account) + ", not an object", "wallet data[]");
    }
    auto walletBalance = venue_json::optionalDecimal(*account, "totalWalletBalance", problem);
    if (!walletBalance && problem.empty()) {
        if (const json* coins = venue_json::member(*account, "coin"); coins != nullptr && coins->is_array()) {
            for (const json& coin : *coins) {
                const json* name = venue_json::member(coin, "coin");
                if (name != nullptr && name->is_string() && name->get_ref<const std::string&>() == "USDT") {
                    walletBalance = account_json::requiredDecimal(coin, "walletBalance", problem);
                }
            }
        }
        if (!walletBalance && problem.empty()) {
            problem = "neither \"totalWalletBalance\" nor a USDT entry in \"coin\" with a walletBalance";
        }
    }
    AccountBalances balances;
    balances.marginBalance = venue_json::optionalDecimal(*account, "totalMarginBalance", problem);
    balances.maintenanceMargin = venue_json::optionalDecimal(*account, "totalMaintenanceMargin", problem);
    balances.marginRatio = venue_json::optionalDecimal(*account, "accountMMRate", problem);
    if (!walletBalance || !problem.empty()) {
        return malformed(problem, "wallet");
    }
    balances.walletBalance = *walletBalance;
    event.balances = balances;
    event.kind = AccountEvent::Kind::BalancesUpdate;
    return event;
}

/// {"success":…,"ret_msg":…,"op":…}: the answer to one of our requests.
AccountEvent reply(const json& frame, const std::string& op, AccountEvent event)
{
    const json* success = venue_json::member(frame, "success");
    const json* message = venue_json::member(frame, "ret_msg");
    const std::string words = message != nullptr && message->is_string() ? message->get<std::string>() : "";
    if (op == "pong" || (op == "ping" && words == "pong")) {
        event.kind = AccountEvent::Kind::Pong;
        return event;
    }
    if (success == nullptr || !success->is_boolean()) {
        return malformed(success == nullptr ? "\"success\" is missing" : "\"success\" is not a boolean", op);
    }
    const bool ok = success->get<bool>();
    if (op == "auth") {
        event.kind = ok ? AccountEvent::Kind::AuthAck : AccountEvent::Kind::AuthRefused;
    } else if (op == "subscribe" && ok) {
        event.kind = AccountEvent::Kind::SubscribeAck;
    } else if (!ok) {
        event.kind = AccountEvent::Kind::VenueError;
    } else {
        event.kind = AccountEvent::Kind::Ignored;
    }
    event.detail = ok ? words : (words.empty() ? "(no ret_msg)" : words);
    return event;
}

} // namespace

AccountEvent parseBybitPrivateStream(std::string_view frame)
{
    try {
        std::string problem;
        const auto parsed = venue_json::parseFrame(frame, problem);
        if (!parsed) {
            return malformed(problem);
        }
        if (!parsed->is_object()) {
            return malformed("the frame is " + describeJsonType(*parsed) + ", not an object");
        }
        AccountEvent event;
        event.venue = Venue::BybitLinear;
        if (const json* op = venue_json::member(*parsed, "op"); op != nullptr) {
            if (!op->is_string()) {
                return malformed("\"op\" is " + describeJsonType(*op) + ", not a string");
            }
            return reply(*parsed, op->get<std::string>(), std::move(event));
        }
        const auto topic = venue_json::text(*parsed, "topic", problem);
        if (!topic) {
            return malformed(problem);
        }
        event.eventTimeMs = venue_json::timeMs(*parsed, "creationTime", problem);
        if (!problem.empty()) {
            return malformed(problem);
        }
        if (*topic == "position" || *topic == "position.linear") {
            return positions(*parsed, std::move(event));
        }
        if (*topic == "wallet") {
            return wallet(*parsed, std::move(event));
        }
        event.kind = AccountEvent::Kind::Ignored;
        event.detail = *topic;
        return event;
    } catch (const std::exception& error) {
        return malformed(error.what());
    }
}

} // namespace mm
