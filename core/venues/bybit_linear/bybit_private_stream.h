#pragma once

#include "venues/account_event.h"

#include <string>
#include <string_view>

namespace mm {

/// Bybit v5's private stream: where it is, and what to send.
namespace bybit_private_stream {

inline constexpr std::string_view kPath = "/v5/private";
/// The topics the monitor subscribes to (all categories; the parser keeps the linear ones).
std::string subscribeMessage();
/// The keep-alive, every 20 s; a private connection is answered {"op":"pong",…}.
std::string pingMessage();

} // namespace bybit_private_stream

/// One frame of Bybit's private stream, never throwing:
///  - {"success":…,"op":"auth"} → AuthAck, or AuthRefused with `ret_msg` ("error:request expired");
///  - {"success":…,"op":"subscribe"} → SubscribeAck, or VenueError with `ret_msg`;
///  - {"op":"pong"} (and the public {"op":"ping","ret_msg":"pong"}) → Pong;
///  - topic `position` → PositionsUpdate (Bybit pushes only the positions that changed; `side` ""
///    and `size` "0" close one): entryPrice (or avgPrice), markPrice, liqPrice ("" = none),
///    positionMM, unrealisedPnl, leverage, tradeMode 1 = isolated with positionBalance;
///    categories other than linear are left out;
///  - topic `wallet` → BalancesUpdate from the UNIFIED (or first) account: totalWalletBalance (or the
///    USDT coin's walletBalance), totalMarginBalance, totalMaintenanceMargin, accountMMRate;
///  - other topics → Ignored.
/// Bybit does not push mark moves on these topics: risk is still computed from the mark stream.
AccountEvent parseBybitPrivateStream(std::string_view frame);

} // namespace mm
