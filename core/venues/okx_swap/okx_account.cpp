#include "venues/okx_swap/okx_account.h"

#include "money/exact_json.h"
#include "venues/json_fields.h"

namespace mm {

using json = nlohmann::json;
using namespace account_json;

namespace {

/// The `data` array of an OKX answer, or nullptr with the problem (a code other than "0" included).
const json* okxData(const json& answer, std::string& problem)
{
    if (!answer.is_object()) {
        problem = "the answer is " + describeJsonType(answer) + ", not an object";
        return nullptr;
    }
    const auto code = venue_json::text(answer, "code", problem);
    if (!code) {
        return nullptr;
    }
    if (*code != "0") {
        const json* message = venue_json::member(answer, "msg");
        problem = "OKX error code " + *code + ": " +
                  (message != nullptr && message->is_string() ? message->get<std::string>() : "(no msg)");
        return nullptr;
    }
    return array(answer, "data", problem);
}

std::optional<SnapshotPosition> readPosition(const json& row, const OkxContractValue& contractValue, bool& isEmpty,
                                             std::string& problem)
{
    isEmpty = false;
    if (!row.is_object()) {
        problem = "is " + describeJsonType(row) + ", not an object";
        return std::nullopt;
    }
    SnapshotPosition result;
    Position& position = result.position;
    const auto instId = venue_json::symbol(row, "instId", problem);
    const auto contracts = requiredDecimal(row, "pos", problem);
    if (!instId || !contracts) {
        return std::nullopt;
    }
    position.symbol = *instId;
    if (contracts->isZero()) {
        isEmpty = true;
        return std::nullopt;
    }
    const auto posSide = venue_json::text(row, "posSide", problem);
    const auto mode = venue_json::text(row, "mgnMode", problem);
    const auto entry = venue_json::price(row, "avgPx", problem);
    const auto mark = venue_json::price(row, "markPx", problem);
    if (!posSide || !mode || !entry || !mark) {
        return std::nullopt;
    }
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
    position.entryPrice = *entry;
    position.markPrice = *mark;
    if (*mode == "isolated") {
        position.marginMode = MarginMode::Isolated;
        const auto margin = venue_json::optionalDecimal(row, "margin", problem);
        if (!margin || !margin->isPositive()) {
            if (problem.empty()) {
                problem = "\"margin\" is not a positive margin for an isolated position";
            }
            return std::nullopt;
        }
        position.isolatedMargin = margin;
    } else if (*mode == "cross") {
        position.marginMode = MarginMode::Cross;
    } else {
        problem = "\"mgnMode\" is \"" + *mode + "\", not cross or isolated";
        return std::nullopt;
    }
    position.leverage = leverage(row, "lever", problem);
    if (!problem.empty()) {
        return std::nullopt;
    }
    result.exchangeLiquidationPrice = liquidationPrice(row, "liqPx", problem);
    result.exchangeMaintenanceMargin = venue_json::optionalDecimal(row, "mmr", problem);
    result.exchangeMarginRatio = venue_json::optionalDecimal(row, "mgnRatio", problem);
    result.unrealizedPnl = venue_json::optionalDecimal(row, "upl", problem);
    if (!problem.empty()) {
        return std::nullopt;
    }
    return result;
}

} // namespace

std::optional<std::vector<SnapshotPosition>>
parseOkxPositions(std::string_view body, const OkxContractValue& contractValue, std::string& problem)
{
    try {
        const auto answer = venue_json::parseFrame(body, problem);
        if (!answer) {
            return std::nullopt;
        }
        const json* data = okxData(*answer, problem);
        if (data == nullptr) {
            locate(problem, "account/positions");
            return std::nullopt;
        }
        std::vector<SnapshotPosition> positions;
        for (std::size_t i = 0; i < data->size(); ++i) {
            bool isEmpty = false;
            auto position = readPosition((*data)[i], contractValue, isEmpty, problem);
            if (isEmpty) {
                continue;
            }
            if (!position) {
                locate(problem, "account/positions data[" + std::to_string(i) + "]");
                return std::nullopt;
            }
            positions.push_back(std::move(*position));
        }
        return positions;
    } catch (const std::exception& error) { // contracts × ctVal out of Decimal's range
        problem = std::string("account/positions: ") + error.what();
        return std::nullopt;
    }
}

std::optional<AccountBalances> parseOkxBalance(std::string_view body, std::string& problem)
{
    try {
        const auto answer = venue_json::parseFrame(body, problem);
        if (!answer) {
            return std::nullopt;
        }
        const json* data = okxData(*answer, problem);
        if (data != nullptr && (data->empty() || !(*data)[0].is_object())) {
            problem = data->empty() ? "\"data\" is empty" : "\"data\"[0] is not an object";
            data = nullptr;
        }
        if (data == nullptr) {
            locate(problem, "account/balance");
            return std::nullopt;
        }
        const json& account = (*data)[0];
        AccountBalances balances;
        const auto equity = requiredDecimal(account, "totalEq", problem);
        std::optional<Decimal> cash;
        if (const json* details =
                venue_json::member(account, "details") != nullptr ? array(account, "details", problem) : nullptr) {
            for (const json& detail : *details) {
                const json* currency = venue_json::member(detail, "ccy");
                if (currency != nullptr && currency->is_string() && currency->get_ref<const std::string&>() == "USDT") {
                    cash = venue_json::optionalDecimal(detail, "cashBal", problem);
                    break;
                }
            }
        }
        balances.maintenanceMargin = venue_json::optionalDecimal(account, "mmr", problem);
        balances.marginRatio = venue_json::optionalDecimal(account, "mgnRatio", problem);
        if (!equity || !problem.empty()) {
            locate(problem, "account/balance data[0]");
            return std::nullopt;
        }
        balances.marginBalance = equity;
        balances.walletBalance = cash.value_or(*equity);
        return balances;
    } catch (const std::exception& error) {
        problem = std::string("account/balance: ") + error.what();
        return std::nullopt;
    }
}

std::optional<AccountSnapshot> parseOkxAccountSnapshot(std::string_view positionsBody, std::string_view balanceBody,
                                                       const OkxContractValue& contractValue, std::string& problem)
{
    auto positions = parseOkxPositions(positionsBody, contractValue, problem);
    if (!positions) {
        return std::nullopt;
    }
    const auto balances = parseOkxBalance(balanceBody, problem);
    if (!balances) {
        return std::nullopt;
    }
    return AccountSnapshot{Venue::OkxSwap, *balances, std::move(*positions)};
}

} // namespace mm
