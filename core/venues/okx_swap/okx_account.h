#pragma once

#include "venues/account_snapshot.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mm {

/// An instrument's contract value (OKX `ctVal` from /api/v5/public/instruments), nullopt when the
/// instrument is unknown.
using OkxContractValue = std::function<std::optional<Decimal>(std::string_view instId)>;

/// OKX v5 `GET /api/v5/account/positions`: {"code":"0","data":[…]} with instId, pos in contracts
/// (× ctVal = base units; signed in net mode, positive with posSide long/short in long/short mode),
/// avgPx, markPx, liqPx ("" = none), mgnMode cross/isolated, lever, margin (isolated), mmr,
/// mgnRatio, upl. Zero-size rows are skipped; an instId without a contract value is refused. A
/// code other than "0" gives nullopt with code and msg.
std::optional<std::vector<SnapshotPosition>>
parseOkxPositions(std::string_view body, const OkxContractValue& contractValue, std::string& problem);

/// OKX v5 `GET /api/v5/account/balance`: data[0] with totalEq (margin balance), mmr, mgnRatio and
/// details[]; the wallet is the USDT detail's cashBal (totalEq when there is none).
std::optional<AccountBalances> parseOkxBalance(std::string_view body, std::string& problem);

/// Both answers into one snapshot.
std::optional<AccountSnapshot> parseOkxAccountSnapshot(std::string_view positionsBody, std::string_view balanceBody,
                                                       const OkxContractValue& contractValue, std::string& problem);

} // namespace mm
