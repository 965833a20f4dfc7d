#include "venues/okx_swap/okx_private_stream.h"

#include "money/exact_json.h"
#include "venues/json_fields.h"

#include <array>
#include <exception>

namespace mm {

using json = nlohmann::json;

namespace okx_private_stream {

std::string subscribeMessage()
{
    return R"({"op":"subscribe","args":[{"channel":"positions","instType":"SWAP"},{"channel":"liquidation-warning","instType":"SWAP"}]})";
}

bool isLoginRefusal(std::string_view code)
{
    // OKX "WebSocket error codes": 60004 invalid timestamp, 60005 invalid apiKey, 60006 timestamp
    // expired, 60007 invalid sign, 60009 login failure, 60022–60026 bulk and passphrase failures,
    // 60030 repeated login, 60031 API key does not exist, 63999 internal error during login.
    constexpr std::array<std::string_view, 13> kCodes{"60004", "60005", "60006", "60007", "60009", "60022", "60023",
                                                      "60024", "60025", "60026", "60030", "60031", "63999"};
    for (const std::string_view known : kCodes) {
        if (code == known) {
            return true;
        }
    }
    return false;
}

} // namespace okx_private_stream

namespace {

AccountEvent malformed(std::string problem, std::string_view where = {})
{
    AccountEvent event;
    event.venue = Venue::OkxSwap;
    event.kind = AccountEvent::Kind::Malformed;
    event.detail = where.empty() ? std::move(problem) : std::string(where) + ": " + problem;
    return event;
}

/// One row of `positions` or `liquidation-warning`. `forWarning`: the warning's rows have no avgPx.
std::optional<SnapshotPosition> readPosition(const json& row, const OkxContractValue& contractValue, bool forWarning,
                                             bool& otherType, std::string& problem)
{
    otherType = false;
    if (!row.is_object()) {
        problem = "is " + describeJsonType(row) + ", not an object";
        return std::nullopt;
    }
    if (const json* type = venue_json::member(row, "instType");
        type != nullptr && type->is_string() && type->get_ref<const std::string&>() != "SWAP") {
        otherType = true; // futures, options, margin: not what the monitor watches
        return std::nullopt;
    }
    SnapshotPosition result;
    Position& position = result.position;
    const auto instId = venue_json::symbol(row, "instId", problem);
    const auto contracts = account_json::requiredDecimal(row, "pos", problem);
    const auto posSide = venue_json::text(row, "posSide", problem);
    const auto mode = venue_json::text(row, "mgnMode", problem);
    if (!instId || !contracts || !posSide || !mode) {
        return std::nullopt;
    }
    position.symbol = *instId;
    if (*posSide == "net") {
        position.positionSide = PositionSide::Both;
        position.side = contracts->isNegative() ? Side::Short : Side::Long;
    } else if (*posSide == "long" || *posSide == "short") {
        position.positionSide = *posSide == "long" ? PositionSide::Long : PositionSide::Short;
        position.side = *posSide == "long" ? Side::Long : Side::Short;
        if (contracts->isNegative()) {
            problem = "\"pos\" is negative in long/short mode: " + contracts->toString();
            return std::nullopt;
        }
    } else {
        problem = "\"posSide\" is \"" + *posSide + "\", not net, long or short";
        return std::nullopt;
    }
    if (*mode == "isolated") {
        position.marginMode = MarginMode::Isolated;
    } else if (*mode == "cross") {
        position.marginMode = MarginMode::Cross;
    } else {
        problem = "\"mgnMode\" is \"" + *mode + "\", not cross or isolated";
        return std::nullopt;
    }
    if (contracts->isZero()) {
        return result; // closed
    }
    const auto value = contractValue ? contractValue(*instId) : std::nullopt;
    if (!value || !value->isPositive()) {
        problem = "no contract value (ctVal) known for \"" + *instId + "\"";
        return std::nullopt;
    }
    position.quantity = contracts->abs() * *value;
    if (!position.quantity.isPositive()) {
        problem = "\"pos\" " + contracts->toString() + " × ctVal is below the smallest quantity";
        return std::nullopt;
    }
    const auto mark = venue_json::price(row, "markPx", problem);
    if (!mark) {
        return std::nullopt;
    }
    position.markPrice = *mark;
    if (!forWarning) {
        const auto entry = venue_json::price(row, "avgPx", problem);
        if (!entry) {
            return std::nullopt;
        }
        position.entryPrice = *entry;
        if (position.marginMode == MarginMode::Isolated) {
            const auto margin = venue_json::optionalDecimal(row, "margin", problem);
            if (!margin || !margin->isPositive()) {
                if (problem.empty()) {
                    problem = "\"margin\" is not a positive margin for an isolated position";
                }
                return std::nullopt;
            }
            position.isolatedMargin = margin;
        }
        result.exchangeLiquidationPrice = account_json::liquidationPrice(row, "liqPx", problem);
        result.exchangeMaintenanceMargin = venue_json::optionalDecimal(row, "mmr", problem);
        result.unrealizedPnl = venue_json::optionalDecimal(row, "upl", problem);
    }
    position.leverage = account_json::leverage(row, "lever", problem);
    result.exchangeMarginRatio = venue_json::optionalDecimal(row, "mgnRatio", problem);
    if (!problem.empty()) {
        return std::nullopt;
    }
    return result;
}

AccountEvent channelPush(const json& frame, const std::string& channel, const OkxContractValue& contractValue,
                         AccountEvent event)
{
    std::string problem;
    const bool warning = channel == "liquidation-warning";
    const json* rows = account_json::array(frame, "data", problem);
    if (rows == nullptr) {
        return malformed(problem, channel);
    }
    for (std::size_t i = 0; i < rows->size(); ++i) {
        bool otherType = false;
        auto position = readPosition((*rows)[i], contractValue, warning, otherType, problem);
        if (otherType) {
            continue;
        }
        if (!position) {
            return malformed(problem, channel + " data[" + std::to_string(i) + "]");
        }
        if (event.positions.empty()) {
            event.eventTimeMs = venue_json::timeMs((*rows)[i], "pTime", problem);
            problem.clear(); // a missing or odd push time is no reason to lose the positions
        }
        event.positions.push_back(std::move(*position));
    }
    if (warning) {
        event.kind = AccountEvent::Kind::MarginCall;
        return event;
    }
    // "snapshot": the initial and the regular push, every open position (paged when large: only a
    // single page holds the whole list). "event_update": only what changed.
    const json* eventType = venue_json::member(frame, "eventType");
    const json* curPage = venue_json::member(frame, "curPage");
    const json* lastPage = venue_json::member(frame, "lastPage");
    const bool snapshot = eventType != nullptr && eventType->is_string() &&
                          eventType->get_ref<const std::string&>() == "snapshot";
    const bool wholeList = (curPage == nullptr || (curPage->is_number_integer() && curPage->get<std::int64_t>() == 1)) &&
                           (lastPage == nullptr || (lastPage->is_boolean() && lastPage->get<bool>()));
    event.kind = snapshot && wholeList ? AccountEvent::Kind::PositionsSnapshot : AccountEvent::Kind::PositionsUpdate;
    return event;
}

AccountEvent eventAnswer(const json& frame, const std::string& name, AccountEvent event)
{
    const json* code = venue_json::member(frame, "code");
    const json* message = venue_json::member(frame, "msg");
    event.code = code == nullptr ? "" : (code->is_string() ? code->get<std::string>() : code->dump());
    event.detail = message != nullptr && message->is_string() ? message->get<std::string>() : "";
    if (name == "login") {
        event.kind = event.code.empty() || event.code == "0" ? AccountEvent::Kind::AuthAck : AccountEvent::Kind::AuthRefused;
    } else if (name == "subscribe") {
        event.kind = AccountEvent::Kind::SubscribeAck;
        if (const json* arg = venue_json::member(frame, "arg"); arg != nullptr) {
            if (const json* channel = venue_json::member(*arg, "channel"); channel != nullptr && channel->is_string()) {
                event.detail = channel->get<std::string>();
            }
        }
    } else if (name == "error") {
        event.kind = okx_private_stream::isLoginRefusal(event.code) ? AccountEvent::Kind::AuthRefused
                                                                    : AccountEvent::Kind::VenueError;
        if (event.detail.empty()) {
            event.detail = "(no msg)";
        }
    } else if (name == "notice") {
        event.kind = AccountEvent::Kind::VenueError;
    } else {
        event.kind = AccountEvent::Kind::Ignored; // unsubscribe, channel-conn-count …
        event.detail = name;
    }
    return event;
}

} // namespace

AccountEvent parseOkxPrivateStream(std::string_view frame, const OkxContractValue& contractValue)
{
    try {
        AccountEvent event;
        event.venue = Venue::OkxSwap;
        if (frame == "pong") {
            event.kind = AccountEvent::Kind::Pong;
            return event;
        }
        std::string problem;
        const auto parsed = venue_json::parseFrame(frame, problem);
        if (!parsed) {
            return malformed(problem);
        }
        if (!parsed->is_object()) {
            return malformed("the frame is " + describeJsonType(*parsed) + ", not an object");
        }
        if (const json* name = venue_json::member(*parsed, "event"); name != nullptr) {
            if (!name->is_string()) {
                return malformed("\"event\" is " + describeJsonType(*name) + ", not a string");
            }
            return eventAnswer(*parsed, name->get<std::string>(), std::move(event));
        }
        const json* arg = venue_json::member(*parsed, "arg");
        if (arg == nullptr || !arg->is_object()) {
            return malformed(arg == nullptr ? "neither \"event\" nor \"arg\"" : "\"arg\" is not an object");
        }
        const auto channel = venue_json::text(*arg, "channel", problem);
        if (!channel) {
            return malformed(problem, "arg");
        }
        if (*channel == "positions" || *channel == "liquidation-warning") {
            return channelPush(*parsed, *channel, contractValue, std::move(event));
        }
        event.kind = AccountEvent::Kind::Ignored;
        event.detail = *channel;
        return event;
    } catch (const std::exception& error) {
        return malformed(error.what());
    }
}

} // namespace mm
