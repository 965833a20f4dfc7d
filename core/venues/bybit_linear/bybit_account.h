#pragma once

#include "venues/account_snapshot.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mm {

/// Bybit v5 `GET /v5/position/list?category=linear`: {"retCode":0,…,"result":{"list":[…]}} with
/// side Buy/Sell, size (positive), avgPrice, markPrice, liqPrice ("" = none), positionIdx 0/1/2
/// (one-way / hedge long / hedge short), leverage, positionMM, unrealisedPnl; tradeMode 1 (classic
/// accounts) marks an isolated position, whose margin is positionBalance (else positionIM).
/// Zero-size rows (side "") are skipped. A non-zero retCode gives nullopt with retCode and retMsg.
std::optional<std::vector<SnapshotPosition>> parseBybitPositionList(std::string_view body, std::string& problem);

/// Bybit v5 `GET /v5/account/wallet-balance`: result.list[0] with totalWalletBalance (else the USDT
/// entry of coin[]: walletBalance), totalMarginBalance, totalMaintenanceMargin, accountMMRate.
std::optional<AccountBalances> parseBybitWalletBalance(std::string_view body, std::string& problem);

/// Both answers into one snapshot.
std::optional<AccountSnapshot> parseBybitAccountSnapshot(std::string_view positionListBody, std::string_view walletBody,
                                                         std::string& problem);

} // namespace mm
