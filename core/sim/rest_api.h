#pragma once

#include "sim/venue_servers.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mm::sim {

/// One REST answer of the simulator.
struct RestAnswer {
    int status = 200;
    std::string body;
    std::optional<int> retryAfterSeconds; ///< the Retry-After header, when the venue sends one
};

/// The public REST endpoints, in each venue's shape (fields as strings where the venue sends
/// strings): server time (`GET /fapi/v1/time`, `/v5/market/time`, `/api/v5/public/time`), instrument
/// lists with tick and contract size (`GET /fapi/v1/exchangeInfo`, `/v5/market/instruments-info`,
/// `/api/v5/public/instruments`) and Hyperliquid's `POST /info` (type meta or metaAndAssetCtxs).
/// nullopt for anything else (the caller answers 404). `target` may carry a query.
std::optional<std::string> publicRestBody(std::string_view method, std::string_view target, std::string_view body,
                                          PriceBook& book, std::int64_t nowMs);

/// What the venue that owns `target` answers when it rate-limits (429), bans the address (418) or
/// does not know what became of the request (503), in its own shape. Bybit signals its rate limit
/// as HTTP 200 with retCode 10006, as the real venue does; every other case keeps the status.
RestAnswer restErrorAnswer(int status, std::string_view target, std::int64_t nowMs);

} // namespace mm::sim
