#include "venues/bybit_linear/bybit_account.h"

#include "money/exact_json.h"
#include "venues/json_fields.h"

namespace mm {

using json = nlohmann::json;
using namespace account_json;

namespace {

/// The `result` of a Bybit answer, or nullptr with the problem (a non-zero retCode included).
const json* bybitResult(const json& answer, std::string& problem)
{
    if (!answer.is_object()) {
        problem = "the answer is " + describeJsonType(answer) + ", not an object";
        return nullptr;
    }
    const json* retCode = venue_json::member(answer, "retCode");
    if (retCode == nullptr || !retCode->is_number_integer()) {
        problem = retCode == nullptr ? "\"retCode\" is missing"
                                     : "\"retCode\" is " + describeJsonType(*retCode) + ", not an integer";
        return nullptr;
    }
    if (retCode->get<std::int64_t>() != 0) {
        const json* message = venue_json::member(answer, "retMsg");
        problem = "Bybit error retCode " + retCode->dump() + ": " +
                  (message != nullptr && message->is_string() ? message->get<std::string>() : "(no retMsg)");
        return nullptr;
    }
    const json* result = venue_json::member(answer, "result");
    if (result == nullptr || !result->is_object()) {
        problem = result == nullptr ? "\"result\" is missing"
                                    : "\"result\" is " + describeJsonType(*result) + ", not an object";
        return nullptr;
    }
    return result;
}

std::optional<SnapshotPosition> readPosition(const json& row, bool& isEmpty, std::string& problem)
{
    isEmpty = false;
    if (!row.is_object()) {
        problem = "is " + describeJsonType(row) + ", not an object";
        return std::nullopt;
    }
    SnapshotPosition result;
    Position& position = result.position;
    const auto symbol = venue_json::symbol(row, "symbol", problem);
    const auto size = requiredDecimal(row, "size", problem);
    if (!symbol || !size) {
        return std::nullopt;
    }
    position.symbol = *symbol;
    if (size->isZero()) {
        isEmpty = true; // Bybit lists a closed hedge leg with size "0" and side ""
        return std::nullopt;
    }
    if (size->isNegative()) {
        problem = "\"size\" is negative: " + size->toString();
        return std::nullopt;
    }
    position.quantity = *size;
    const auto side = venue_json::text(row, "side", problem);
    const auto entry = venue_json::price(row, "avgPrice", problem);
    const auto mark = venue_json::price(row, "markPrice", problem);
    const auto index = requiredDecimal(row, "positionIdx", problem);
    if (!side || !entry || !mark || !index) {
        return std::nullopt;
    }
    if (*side == "Buy") {
        position.side = Side::Long;
    } else if (*side == "Sell") {
        position.side = Side::Short;
    } else {
        problem = "\"side\" is \"" + *side + "\", not Buy or Sell";
        return std::nullopt;
    }
    position.entryPrice = *entry;
    position.markPrice = *mark;
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
    // tradeMode: 0 cross, 1 isolated (classic accounts; a unified account's positions are cross).
    const auto tradeMode = venue_json::optionalDecimal(row, "tradeMode", problem);
    if (tradeMode && *tradeMode == Decimal::fromInteger(1)) {
        position.marginMode = MarginMode::Isolated;
        auto margin = venue_json::optionalDecimal(row, "positionBalance", problem);
        if (!margin || !margin->isPositive()) {
            margin = venue_json::optionalDecimal(row, "positionIM", problem);
        }
        if (!margin || !margin->isPositive()) {
            if (problem.empty()) {
                problem =
                    "neither \"positionBalance\" nor \"positionIM\" is a positive margin for an isolated position";
            }
            return std::nullopt;
        }
        position.isolatedMargin = margin;
    } else if (tradeMode && !tradeMode->isZero()) {
        problem = "\"tradeMode\" is " + tradeMode->toString() + ", not 0 or 1";
        return std::nullopt;
    }
    position.leverage = leverage(row, "leverage", problem);
    if (!problem.empty()) {
        return std::nullopt;
    }
    result.exchangeLiquidationPrice = liquidationPrice(row, "liqPrice", problem);
    result.exchangeMaintenanceMargin = venue_json::optionalDecimal(row, "positionMM", problem);
    result.unrealizedPnl = venue_json::optionalDecimal(row, "unrealisedPnl", problem);
    if (!problem.empty()) {
        return std::nullopt;
    }
    return result;
}

} // namespace

std::optional<std::vector<SnapshotPosition>> parseBybitPositionList(std::string_view body, std::string& problem)
{
    try {
        const auto answer = venue_json::parseFrame(body, problem);
        if (!answer) {
            return std::nullopt;
        }
        const json* result = bybitResult(*answer, problem);
        const json* list = result != nullptr ? array(*result, "list", problem) : nullptr;
        if (list == nullptr) {
            locate(problem, "position/list");
            return std::nullopt;
        }
        std::vector<SnapshotPosition> positions;
        for (std::size_t i = 0; i < list->size(); ++i) {
            bool isEmpty = false;
            auto position = readPosition((*list)[i], isEmpty, problem);
            if (isEmpty) {
                continue;
            }
            if (!position) {
                locate(problem, "position/list[" + std::to_string(i) + "]");
                return std::nullopt;
            }
            positions.push_back(std::move(*position));
        }
        return positions;
    } catch (const std::exception& error) {
        problem = std::string("position/list: ") + error.what();
        return std::nullopt;
    }
}

std::optional<AccountBalances> parseBybitWalletBalance(std::string_view body, std::string& problem)
{
    try {
        const auto answer = venue_json::parseFrame(body, problem);
        if (!answer) {
            return std::nullopt;
        }
        const json* result = bybitResult(*answer, problem);
        const json* list = result != nullptr ? array(*result, "list", problem) : nullptr;
        if (list != nullptr && (list->empty() || !(*list)[0].is_object())) {
            problem = list->empty() ? "\"list\" is empty" : "\"list\"[0] is not an object";
            list = nullptr;
        }
        if (list == nullptr) {
            locate(problem, "wallet-balance");
            return std::nullopt;
        }
        const json& account = (*list)[0];
        AccountBalances balances;
        auto wallet = venue_json::optionalDecimal(account, "totalWalletBalance", problem);
        if (!wallet && problem.empty()) { // the coin's own wallet when the account total is absent
            const json* coins = array(account, "coin", problem);
            if (coins != nullptr) {
                for (const json& coin : *coins) {
                    const json* name = venue_json::member(coin, "coin");
                    if (name != nullptr && name->is_string() && name->get_ref<const std::string&>() == "USDT") {
                        wallet = requiredDecimal(coin, "walletBalance", problem);
                        break;
                    }
                }
                if (!wallet && problem.empty()) {
                    problem = "neither \"totalWalletBalance\" nor a USDT entry in \"coin\" with a walletBalance";
                }
            }
        }
        balances.marginBalance = venue_json::optionalDecimal(account, "totalMarginBalance", problem);
        balances.maintenanceMargin = venue_json::optionalDecimal(account, "totalMaintenanceMargin", problem);
        balances.marginRatio = venue_json::optionalDecimal(account, "accountMMRate", problem);
        if (!wallet || !problem.empty()) {
            locate(problem, "wallet-balance list[0]");
            return std::nullopt;
        }
        balances.walletBalance = *wallet;
        return balances;
    } catch (const std::exception& error) {
        problem = std::string("wallet-balance: ") + error.what();
        return std::nullopt;
    }
}

std::optional<AccountSnapshot> parseBybitAccountSnapshot(std::string_view positionListBody, std::string_view walletBody,
                                                         std::string& problem)
{
    auto positions = parseBybitPositionList(positionListBody, problem);
    if (!positions) {
        return std::nullopt;
    }
    const auto balances = parseBybitWalletBalance(walletBody, problem);
    if (!balances) {
        return std::nullopt;
    }
    return AccountSnapshot{Venue::BybitLinear, *balances, std::move(*positions)};
}

} // namespace mm
