#pragma once

#include "venues/account_snapshot.h"

#include <optional>
#include <string>
#include <string_view>

namespace mm {

/// Hyperliquid `POST /info {"type":"clearinghouseState","user":…}`: assetPositions[].position with
/// coin, szi (signed size), entryPx, positionValue (the mark is positionValue / |szi|: the answer
/// has no mark price), leverage {type cross/isolated, value}, liquidationPx (null = none),
/// unrealizedPnl; marginSummary.accountValue is the margin balance, and the wallet is accountValue
/// less the positions' unrealised PnL. Zero-size positions are skipped. Hyperliquid accounts are
/// one-way: every position is PositionSide::Both.
std::optional<AccountSnapshot> parseHyperliquidClearinghouseState(std::string_view body, std::string& problem);

} // namespace mm
