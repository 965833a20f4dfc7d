#pragma once

#include "venues/account_event.h"
#include "venues/okx_swap/okx_account.h"

#include <string>
#include <string_view>

namespace mm {

/// OKX v5's private stream: where it is, and what to send.
namespace okx_private_stream {

inline constexpr std::string_view kPath = "/ws/v5/private";
/// After the login event: `positions` (instType SWAP) and `liquidation-warning`.
std::string subscribeMessage();
/// OKX's keep-alive: the text `ping` (answered `pong`) when nothing arrived for a while (< 30 s).
inline constexpr std::string_view kPing = "ping";
/// True for an error code OKX gives a refused login (60004–60009, 60022–60026, 60030, 60031, 63999).
bool isLoginRefusal(std::string_view code);

} // namespace okx_private_stream

/// One frame of OKX's private stream, never throwing:
///  - {"event":"login","code":"0"} → AuthAck; {"event":"error","code":"60009",…} → AuthRefused for
///    the login codes (isLoginRefusal), VenueError for the others (60011 "Please log in", 60012 …);
///  - {"event":"subscribe"} → SubscribeAck; {"event":"notice"} → VenueError with its code (64008:
///    reconnect soon); the text `pong` → Pong;
///  - channel `positions`: eventType `snapshot` (the first and last page) → PositionsSnapshot, else
///    PositionsUpdate (`event_update`; `pos` "0" closes); instId, pos in contracts (× ctVal from
///    `contractValue`; signed in net mode), posSide, mgnMode, avgPx, markPx, and the exchange's own
///    liqPx, mgnRatio, mmr, upl, lever, margin (isolated);
///  - channel `liquidation-warning` → MarginCall (OKX's margin call: a confirmation, not a trigger);
///  - other channels → Ignored.
AccountEvent parseOkxPrivateStream(std::string_view frame, const OkxContractValue& contractValue);

} // namespace mm
