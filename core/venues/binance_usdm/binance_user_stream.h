#pragma once

#include "venues/account_event.h"

#include <string>
#include <string_view>

namespace mm {

/// Binance USDⓈ-M's user data stream: where it is, and what its frames mean.
namespace binance_user_stream {

/// The listenKey REST path: POST creates (or returns the account's live key and extends it), PUT
/// keeps it alive (every 30 minutes; the key dies 60 minutes after the last), DELETE would close it
/// for every client of the account — the monitor never sends DELETE.
inline constexpr std::string_view kListenKeyPath = "/fapi/v1/listenKey";
/// Binance's error for a key that no longer exists: POST a new one.
inline constexpr int kListenKeyMissing = -1125;
/// The events the monitor asks for.
inline constexpr std::string_view kEvents = "ACCOUNT_UPDATE/MARGIN_CALL";

/// The WebSocket path and query of the private host (2026 split of the futures hosts):
/// `/private/ws?listenKey=<key>&events=ACCOUNT_UPDATE/MARGIN_CALL`.
std::string streamTarget(std::string_view listenKey);

/// The listenKey in a POST or PUT answer {"listenKey":"…"}; "" (and `problem`, with Binance's
/// code and msg for an error answer) otherwise.
std::string listenKeyFromAnswer(std::string_view body, std::string& problem);

/// Binance's error code in an answer {"code":-1125,"msg":"…"}, 0 when there is none.
int errorCode(std::string_view body);

} // namespace binance_user_stream

/// One frame of the user data stream, never throwing:
///  - `ACCOUNT_UPDATE`: `a.P[]` → PositionsUpdate (only the symbols given change; `pa` signed, 0
///    closes; `ep` entry, `mt` margin type in any casing, `iw` isolated wallet, `ps` BOTH/LONG/SHORT,
///    `up` unrealised PnL; no mark price), `a.B[]` USDT `wb` → balances (BalancesUpdate when no
///    position changed);
///  - `MARGIN_CALL`: `p[]` with `mp` mark and `mm` maintenance margin → MarginCall;
///  - `listenKeyExpired` → ListenKeyExpired (the key itself is left out of `detail`);
///  - other events (orders, trades, configuration) → Ignored; {"code","msg"} → VenueError.
/// `E` may be a number or a string.
AccountEvent parseBinanceUserStream(std::string_view frame);

} // namespace mm
