#include "venues/binance_usdm/binance_account.h"

#include "money/exact_json.h"
#include "venues/json_fields.h"

#include <algorithm>
#include <cctype>

namespace mm {

using json = nlohmann::json;
using namespace account_json;

namespace {

std::string lowercase(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

/// Binance answers a refused request with {"code":-2015,"msg":"…"} instead of the expected shape.
bool isBinanceError(const json& answer, std::string& problem)
{
    if (!answer.is_object() || venue_json::member(answer, "code") == nullptr) {
        return false;
    }
    const json* msg = venue_json::member(answer, "msg");
    problem = "Binance error " + answer["code"].dump() + ": " +
              (msg != nullptr && msg->is_string() ? msg->get<std::string>() : "(no msg)");
    return true;
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
    const auto amount = requiredDecimal(row, "positionAmt", problem);
    if (!symbol || !amount) {
        return std::nullopt;
    }
    position.symbol = *symbol;
    if (amount->isZero()) {
        isEmpty = true;
        return std::nullopt;
    }
    position.side = amount->isNegative() ? Side::Short : Side::Long;
    position.quantity = amount->abs();
    const auto entry = venue_json::price(row, "entryPrice", problem);
    const auto mark = venue_json::price(row, "markPrice", problem);
    const auto positionSide = venue_json::text(row, "positionSide", problem);
    if (!entry || !mark || !positionSide) {
        return std::nullopt;
    }
    position.entryPrice = *entry;
    position.markPrice = *mark;
    if (*positionSide == "BOTH") {
        position.positionSide = PositionSide::Both;
    } else if (*positionSide == "LONG") {
        position.positionSide = PositionSide::Long;
    } else if (*positionSide == "SHORT") {
        position.positionSide = PositionSide::Short;
    } else {
        problem = "\"positionSide\" is \"" + *positionSide + "\", not BOTH, LONG or SHORT";
        return std::nullopt;
    }
    const auto isolatedWallet = venue_json::optionalDecimal(row, "isolatedWallet", problem);
    if (venue_json::member(row, "marginType") != nullptr) {
        const auto marginType = venue_json::text(row, "marginType", problem);
        if (!marginType) {
            return std::nullopt;
        }
        const std::string mode = lowercase(*marginType);
        if (mode == "isolated") {
            position.marginMode = MarginMode::Isolated;
        } else if (mode == "cross" || mode == "crossed") {
            position.marginMode = MarginMode::Cross;
        } else {
            problem = "\"marginType\" is \"" + *marginType + "\", not cross or isolated";
            return std::nullopt;
        }
    } else { // v3: no marginType; only an isolated position has a wallet of its own
        position.marginMode = isolatedWallet && isolatedWallet->isPositive() ? MarginMode::Isolated : MarginMode::Cross;
    }
    if (position.marginMode == MarginMode::Isolated) {
        if (!isolatedWallet || !isolatedWallet->isPositive()) {
            if (problem.empty()) {
                problem = "\"isolatedWallet\" is not a positive margin for an isolated position";
            }
            return std::nullopt;
        }
        position.isolatedMargin = isolatedWallet;
    }
    position.leverage = leverage(row, "leverage", problem);
    if (!problem.empty()) {
        return std::nullopt;
    }
    result.exchangeLiquidationPrice = liquidationPrice(row, "liquidationPrice", problem);
    result.exchangeMaintenanceMargin = venue_json::optionalDecimal(row, "maintMargin", problem);
    result.unrealizedPnl = venue_json::optionalDecimal(row, "unRealizedProfit", problem);
    if (!problem.empty()) {
        return std::nullopt;
    }
    return result;
}

} // namespace

std::optional<std::vector<SnapshotPosition>> parseBinancePositionRisk(std::string_view body, std::string& problem)
{
    try {
        const auto answer = venue_json::parseFrame(body, problem);
        if (!answer || isBinanceError(*answer, problem)) {
            return std::nullopt;
        }
        if (!answer->is_array()) {
            problem = "positionRisk is " + describeJsonType(*answer) + ", not an array";
            return std::nullopt;
        }
        std::vector<SnapshotPosition> positions;
        for (std::size_t i = 0; i < answer->size(); ++i) {
            bool isEmpty = false;
            auto position = readPosition((*answer)[i], isEmpty, problem);
            if (isEmpty) {
                continue;
            }
            if (!position) {
                locate(problem, "positionRisk[" + std::to_string(i) + "]");
                return std::nullopt;
            }
            positions.push_back(std::move(*position));
        }
        return positions;
    } catch (const std::exception& error) { // a Decimal out of range in arithmetic
        problem = std::string("positionRisk: ") + error.what();
        return std::nullopt;
    }
}

std::optional<AccountBalances> parseBinanceAccount(std::string_view body, std::string& problem)
{
    try {
        const auto answer = venue_json::parseFrame(body, problem);
        if (!answer || isBinanceError(*answer, problem)) {
            return std::nullopt;
        }
        if (!answer->is_object()) {
            problem = "account is " + describeJsonType(*answer) + ", not an object";
            return std::nullopt;
        }
        AccountBalances balances;
        // The cross wallet is what cross positions share: totalWalletBalance also holds every
        // isolated position's margin. totalCrossWalletBalance says it; without it, the snapshot
        // takes the isolated wallets off (parseBinanceAccountSnapshot).
        const bool crossGiven = venue_json::member(*answer, "totalCrossWalletBalance") != nullptr;
        const auto wallet = requiredDecimal(*answer, crossGiven ? "totalCrossWalletBalance" : "totalWalletBalance", problem);
        balances.marginBalance = venue_json::optionalDecimal(*answer, "totalMarginBalance", problem);
        balances.maintenanceMargin = venue_json::optionalDecimal(*answer, "totalMaintMargin", problem);
        if (!wallet || !problem.empty()) {
            locate(problem, "account");
            return std::nullopt;
        }
        balances.walletBalance = *wallet;
        balances.walletIncludesIsolated = !crossGiven;
        return balances;
    } catch (const std::exception& error) {
        problem = std::string("account: ") + error.what();
        return std::nullopt;
    }
}

std::optional<AccountSnapshot> parseBinanceAccountSnapshot(std::string_view positionRiskBody,
                                                           std::string_view accountBody, std::string& problem)
{
    auto positions = parseBinancePositionRisk(positionRiskBody, problem);
    if (!positions) {
        return std::nullopt;
    }
    auto balances = parseBinanceAccount(accountBody, problem);
    if (!balances) {
        return std::nullopt;
    }
    if (balances->walletIncludesIsolated) {
        for (const SnapshotPosition& entry : *positions) {
            if (entry.position.marginMode == MarginMode::Isolated && entry.position.isolatedMargin) {
                balances->walletBalance -= *entry.position.isolatedMargin;
            }
        }
        balances->walletIncludesIsolated = false;
    }
    return AccountSnapshot{Venue::BinanceUsdm, *balances, std::move(*positions)};
}

} // namespace mm
