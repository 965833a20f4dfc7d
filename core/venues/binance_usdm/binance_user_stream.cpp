#include "venues/binance_usdm/binance_user_stream.h"

#include "money/exact_json.h"
#include "venues/json_fields.h"

#include <algorithm>
#include <cctype>
#include <exception>

namespace mm {

using json = nlohmann::json;

namespace binance_user_stream {

std::string streamTarget(std::string_view listenKey)
{
    return "/private/ws?listenKey=" + std::string(listenKey) + "&events=" + std::string(kEvents);
}

std::string listenKeyFromAnswer(std::string_view body, std::string& problem)
{
    const auto answer = venue_json::parseFrame(body, problem);
    if (!answer) {
        return {};
    }
    if (const json* code = venue_json::member(*answer, "code"); code != nullptr) {
        const json* msg = venue_json::member(*answer, "msg");
        problem = code->dump() + " " + (msg != nullptr && msg->is_string() ? msg->get<std::string>() : "(no msg)");
        return {};
    }
    const auto key = venue_json::symbol(*answer, "listenKey", problem);
    return key.value_or(std::string());
}

int errorCode(std::string_view body)
{
    std::string ignored;
    const auto answer = venue_json::parseFrame(body, ignored);
    const json* code = answer ? venue_json::member(*answer, "code") : nullptr;
    if (code == nullptr || !code->is_number_integer()) {
        return 0;
    }
    const auto value = code->get<std::int64_t>();
    return value >= -100000 && value <= 100000 ? static_cast<int>(value) : 0;
}

} // namespace binance_user_stream

namespace {

std::string uppercase(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return text;
}

AccountEvent malformed(std::string problem, std::string_view where = {})
{
    AccountEvent event;
    event.venue = Venue::BinanceUsdm;
    event.kind = AccountEvent::Kind::Malformed;
    event.detail = where.empty() ? std::move(problem) : std::string(where) + ": " + problem;
    return event;
}

/// "cross", "CROSSED", "isolated", "ISOLATED": Binance spells it differently per endpoint.
std::optional<MarginMode> marginMode(const json& row, std::string_view key, std::string& problem)
{
    const auto text = venue_json::text(row, key, problem);
    if (!text) {
        return std::nullopt;
    }
    const std::string mode = uppercase(*text);
    if (mode == "ISOLATED") {
        return MarginMode::Isolated;
    }
    if (mode == "CROSS" || mode == "CROSSED") {
        return MarginMode::Cross;
    }
    if (problem.empty()) {
        problem = "\"" + std::string(key) + "\" is \"" + *text + "\", not cross or isolated";
    }
    return std::nullopt;
}

std::optional<PositionSide> positionSide(const json& row, std::string& problem)
{
    const auto text = venue_json::text(row, "ps", problem);
    if (!text) {
        return std::nullopt;
    }
    if (*text == "BOTH") {
        return PositionSide::Both;
    }
    if (*text == "LONG") {
        return PositionSide::Long;
    }
    if (*text == "SHORT") {
        return PositionSide::Short;
    }
    if (problem.empty()) {
        problem = "\"ps\" is \"" + *text + "\", not BOTH, LONG or SHORT";
    }
    return std::nullopt;
}

/// The parts of a position row both events share: symbol, signed amount, side, margin type and
/// isolated wallet. `quantity` 0 means closed.
std::optional<SnapshotPosition> readCommon(const json& row, std::string& problem)
{
    if (!row.is_object()) {
        problem = "is " + describeJsonType(row) + ", not an object";
        return std::nullopt;
    }
    SnapshotPosition result;
    Position& position = result.position;
    const auto symbol = venue_json::symbol(row, "s", problem);
    const auto amount = account_json::requiredDecimal(row, "pa", problem);
    const auto side = positionSide(row, problem);
    const auto mode = marginMode(row, "mt", problem);
    const auto isolatedWallet = venue_json::optionalDecimal(row, "iw", problem);
    if (!symbol || !amount || !side || !mode || !problem.empty()) {
        return std::nullopt;
    }
    position.symbol = *symbol;
    position.positionSide = *side;
    position.marginMode = *mode;
    position.quantity = amount->abs();
    if (amount->isNegative()) {
        position.side = Side::Short;
    } else if (amount->isPositive()) {
        position.side = Side::Long;
    } else {
        position.side = *side == PositionSide::Short ? Side::Short : Side::Long;
    }
    if ((*side == PositionSide::Long && amount->isNegative()) || (*side == PositionSide::Short && amount->isPositive())) {
        problem = "\"pa\" " + amount->toString() + " has the wrong sign for a " + (*side == PositionSide::Long ? "LONG" : "SHORT") +
                  " position";
        return std::nullopt;
    }
    if (position.marginMode == MarginMode::Isolated && position.quantity.isPositive()) {
        if (!isolatedWallet || !isolatedWallet->isPositive()) {
            problem = "\"iw\" is not a positive margin for an isolated position";
            return std::nullopt;
        }
        position.isolatedMargin = isolatedWallet;
    }
    result.unrealizedPnl = venue_json::optionalDecimal(row, "up", problem);
    if (!problem.empty()) {
        return std::nullopt;
    }
    return result;
}

std::optional<SnapshotPosition> readAccountUpdatePosition(const json& row, std::string& problem)
{
    auto result = readCommon(row, problem);
    if (!result) {
        return std::nullopt;
    }
    const auto entry = account_json::requiredDecimal(row, "ep", problem);
    if (!entry) {
        return std::nullopt;
    }
    if (result->position.quantity.isPositive()) {
        if (!entry->isPositive()) {
            problem = "\"ep\" is not a positive entry price: " + entry->toString();
            return std::nullopt;
        }
        result->position.entryPrice = *entry;
    }
    return result;
}

std::optional<SnapshotPosition> readMarginCallPosition(const json& row, std::string& problem)
{
    auto result = readCommon(row, problem);
    if (!result) {
        return std::nullopt;
    }
    const auto mark = venue_json::price(row, "mp", problem);
    result->exchangeMaintenanceMargin = venue_json::optionalDecimal(row, "mm", problem);
    if (!mark || !problem.empty()) {
        return std::nullopt;
    }
    result->position.markPrice = *mark;
    return result;
}

AccountEvent accountUpdate(const json& frame, AccountEvent event)
{
    std::string problem;
    const json* account = venue_json::member(frame, "a");
    if (account == nullptr || !account->is_object()) {
        return malformed(account == nullptr ? "\"a\" is missing" : "\"a\" is " + describeJsonType(*account) + ", not an object",
                         "ACCOUNT_UPDATE");
    }
    if (venue_json::member(*account, "P") != nullptr) {
        const json* rows = account_json::array(*account, "P", problem);
        if (rows == nullptr) {
            return malformed(problem, "ACCOUNT_UPDATE");
        }
        for (std::size_t i = 0; i < rows->size(); ++i) {
            auto position = readAccountUpdatePosition((*rows)[i], problem);
            if (!position) {
                return malformed(problem, "ACCOUNT_UPDATE P[" + std::to_string(i) + "]");
            }
            event.positions.push_back(std::move(*position));
        }
    }
    if (venue_json::member(*account, "B") != nullptr) {
        const json* rows = account_json::array(*account, "B", problem);
        if (rows == nullptr) {
            return malformed(problem, "ACCOUNT_UPDATE");
        }
        for (std::size_t i = 0; i < rows->size(); ++i) {
            const json& row = (*rows)[i];
            const json* asset = venue_json::member(row, "a");
            if (asset == nullptr || !asset->is_string() || asset->get_ref<const std::string&>() != "USDT") {
                continue; // the monitor's accounts are USDT-margined
            }
            // "cw" is the cross wallet (what cross positions share); "wb" holds the isolated
            // margins too, so it is the fallback only.
            const bool crossGiven = venue_json::member(row, "cw") != nullptr;
            const auto wallet = account_json::requiredDecimal(row, crossGiven ? "cw" : "wb", problem);
            if (!wallet) {
                return malformed(problem, "ACCOUNT_UPDATE B[" + std::to_string(i) + "]");
            }
            AccountBalances balances;
            balances.walletBalance = *wallet;
            balances.walletIncludesIsolated = !crossGiven;
            event.balances = balances;
        }
    }
    if (event.positions.empty()) {
        event.kind = event.balances ? AccountEvent::Kind::BalancesUpdate : AccountEvent::Kind::Ignored;
    } else {
        event.kind = AccountEvent::Kind::PositionsUpdate;
    }
    if (const json* reason = venue_json::member(*account, "m"); reason != nullptr && reason->is_string()) {
        event.detail = reason->get<std::string>();
    }
    return event;
}

AccountEvent marginCall(const json& frame, AccountEvent event)
{
    std::string problem;
    const json* rows = account_json::array(frame, "p", problem);
    if (rows == nullptr) {
        return malformed(problem, "MARGIN_CALL");
    }
    for (std::size_t i = 0; i < rows->size(); ++i) {
        auto position = readMarginCallPosition((*rows)[i], problem);
        if (!position) {
            return malformed(problem, "MARGIN_CALL p[" + std::to_string(i) + "]");
        }
        event.positions.push_back(std::move(*position));
    }
    event.kind = AccountEvent::Kind::MarginCall;
    if (const auto crossWallet = venue_json::optionalDecimal(frame, "cw", problem); crossWallet) {
        event.detail = "cross wallet " + crossWallet->toString();
    }
    return event;
}

} // namespace

AccountEvent parseBinanceUserStream(std::string_view frame)
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
        event.venue = Venue::BinanceUsdm;
        const json* type = venue_json::member(*parsed, "e");
        if (type == nullptr) {
            if (const json* code = venue_json::member(*parsed, "code"); code != nullptr) {
                const json* msg = venue_json::member(*parsed, "msg");
                event.kind = AccountEvent::Kind::VenueError;
                event.code = code->is_string() ? code->get<std::string>() : code->dump();
                event.detail = msg != nullptr && msg->is_string() ? msg->get<std::string>() : "(no msg)";
                return event;
            }
            if (venue_json::member(*parsed, "result") != nullptr && venue_json::member(*parsed, "id") != nullptr) {
                event.kind = AccountEvent::Kind::SubscribeAck;
                return event;
            }
            return malformed("\"e\" is missing");
        }
        if (!type->is_string()) {
            return malformed("\"e\" is " + describeJsonType(*type) + ", not a string");
        }
        event.eventTimeMs = venue_json::timeMs(*parsed, "E", problem);
        if (!problem.empty()) {
            return malformed(problem);
        }
        const std::string& name = type->get_ref<const std::string&>();
        if (name == "ACCOUNT_UPDATE") {
            return accountUpdate(*parsed, std::move(event));
        }
        if (name == "MARGIN_CALL") {
            return marginCall(*parsed, std::move(event));
        }
        if (name == "listenKeyExpired") {
            event.kind = AccountEvent::Kind::ListenKeyExpired;
            event.detail = "the listenKey expired";
            return event;
        }
        event.kind = AccountEvent::Kind::Ignored;
        event.detail = name;
        return event;
    } catch (const std::exception& error) { // a Decimal out of range
        return malformed(error.what());
    }
}

} // namespace mm
