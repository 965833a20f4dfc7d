#include "venues/hyperliquid/hyperliquid_account.h"

#include "money/exact_json.h"
#include "venues/json_fields.h"

namespace mm {

using json = nlohmann::json;
using namespace account_json;

namespace {

std::optional<SnapshotPosition> readPosition(const json& entry, bool& isEmpty, std::string& problem)
{
    isEmpty = false;
    const json* row = venue_json::member(entry, "position");
    if (row == nullptr || !row->is_object()) {
        problem = row == nullptr ? "\"position\" is missing"
                                 : "\"position\" is " + describeJsonType(*row) + ", not an object";
        return std::nullopt;
    }
    SnapshotPosition result;
    Position& position = result.position;
    const auto coin = venue_json::symbol(*row, "coin", problem);
    const auto size = requiredDecimal(*row, "szi", problem);
    if (!coin || !size) {
        return std::nullopt;
    }
    position.symbol = *coin;
    if (size->isZero()) {
        isEmpty = true;
        return std::nullopt;
    }
    position.side = size->isNegative() ? Side::Short : Side::Long;
    position.quantity = size->abs();
    position.positionSide = PositionSide::Both;
    const auto entryPrice = venue_json::price(*row, "entryPx", problem);
    const auto value = venue_json::price(*row, "positionValue", problem);
    const json* leverage = venue_json::member(*row, "leverage");
    if (!entryPrice || !value) {
        return std::nullopt;
    }
    if (leverage == nullptr || !leverage->is_object()) {
        problem = leverage == nullptr ? "\"leverage\" is missing"
                                      : "\"leverage\" is " + describeJsonType(*leverage) + ", not an object";
        return std::nullopt;
    }
    position.entryPrice = *entryPrice;
    position.markPrice = *value / position.quantity;
    const auto mode = venue_json::text(*leverage, "type", problem);
    position.leverage = requiredDecimal(*leverage, "value", problem);
    if (!mode || !position.leverage) {
        locate(problem, "leverage");
        return std::nullopt;
    }
    if (*mode == "cross") {
        position.marginMode = MarginMode::Cross;
    } else if (*mode == "isolated") {
        position.marginMode = MarginMode::Isolated;
        // The isolated margin, excluding unrealised PnL: `rawUsd` is the position's USD side (its
        // margin less the entry notional for a long, plus it for a short), so margin = rawUsd + szi ×
        // entryPx. Without rawUsd the margin is derived from the leverage.
        if (const auto rawUsd = venue_json::optionalDecimal(*leverage, "rawUsd", problem)) {
            const Decimal margin = *rawUsd + *size * *entryPrice;
            if (margin.isPositive()) {
                position.isolatedMargin = margin;
            }
        }
    } else {
        problem = "leverage: \"type\" is \"" + *mode + "\", not cross or isolated";
        return std::nullopt;
    }
    if (!position.leverage->isPositive()) {
        problem = "leverage: \"value\" is not positive: " + position.leverage->toString();
        return std::nullopt;
    }
    result.exchangeLiquidationPrice = liquidationPrice(*row, "liquidationPx", problem);
    result.unrealizedPnl = venue_json::optionalDecimal(*row, "unrealizedPnl", problem);
    if (!problem.empty()) {
        return std::nullopt;
    }
    return result;
}

} // namespace

std::optional<AccountSnapshot> parseHyperliquidClearinghouseState(std::string_view body, std::string& problem)
{
    try {
        const auto answer = venue_json::parseFrame(body, problem);
        if (!answer) {
            return std::nullopt;
        }
        if (!answer->is_object()) {
            problem = "clearinghouseState is " + describeJsonType(*answer) + ", not an object";
            return std::nullopt;
        }
        const json* summary = venue_json::member(*answer, "marginSummary");
        if (summary == nullptr || !summary->is_object()) {
            problem = std::string("clearinghouseState: \"marginSummary\" ") +
                      (summary == nullptr ? "is missing" : "is " + describeJsonType(*summary) + ", not an object");
            return std::nullopt;
        }
        const auto accountValue = requiredDecimal(*summary, "accountValue", problem);
        if (!accountValue) {
            locate(problem, "clearinghouseState marginSummary");
            return std::nullopt;
        }
        const json* list = array(*answer, "assetPositions", problem);
        if (list == nullptr) {
            locate(problem, "clearinghouseState");
            return std::nullopt;
        }
        AccountSnapshot snapshot;
        snapshot.venue = Venue::Hyperliquid;
        snapshot.balances.marginBalance = accountValue;
        Decimal unrealized;
        for (std::size_t i = 0; i < list->size(); ++i) {
            bool isEmpty = false;
            auto position = readPosition((*list)[i], isEmpty, problem);
            if (isEmpty) {
                continue;
            }
            if (!position) {
                locate(problem, "clearinghouseState assetPositions[" + std::to_string(i) + "]");
                return std::nullopt;
            }
            unrealized += position->unrealizedPnl.value_or(position->position.unrealizedPnl());
            snapshot.positions.push_back(std::move(*position));
        }
        snapshot.balances.walletBalance = *accountValue - unrealized;
        return snapshot;
    } catch (const std::exception& error) { // a size or value out of Decimal's range
        problem = std::string("clearinghouseState: ") + error.what();
        return std::nullopt;
    }
}

} // namespace mm
