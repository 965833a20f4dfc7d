#pragma once

#include "venues/account_snapshot.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mm {

/// Binance USDⓈ-M `GET /fapi/v2/positionRisk` (also v3, which has no marginType or leverage: a
/// position is then isolated when its isolatedWallet is positive). positionAmt is signed (short <
/// 0); zero-size rows are skipped; marginType in any casing ("cross", "CROSSED", "isolated");
/// isolatedWallet is an isolated position's margin; liquidationPrice "0" means none. An error
/// answer {"code":…,"msg":…} gives nullopt with both in `problem`.
std::optional<std::vector<SnapshotPosition>> parseBinancePositionRisk(std::string_view body, std::string& problem);

/// Binance USDⓈ-M `GET /fapi/v2/account` (or v3): totalWalletBalance, totalMarginBalance,
/// totalMaintMargin.
std::optional<AccountBalances> parseBinanceAccount(std::string_view body, std::string& problem);

/// Both answers into one snapshot.
std::optional<AccountSnapshot> parseBinanceAccountSnapshot(std::string_view positionRiskBody,
                                                           std::string_view accountBody, std::string& problem);

} // namespace mm
