#pragma once

#include "domain/venue.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mm {

/// The venue's public server-time request: the path to GET (Hyperliquid has none: nullopt).
std::optional<std::string_view> serverTimePath(Venue venue);

/// The server time in Unix ms from the answer to serverTimePath(): Binance {"serverTime":…}, Bybit
/// {"retCode":0,…,"result":{"timeSecond","timeNano"},"time":…}, OKX {"code":"0","data":[{"ts":"…"}]}.
/// nullopt, with `problem` in words, for anything else.
std::optional<std::int64_t> parseServerTimeMs(Venue venue, std::string_view body, std::string& problem);

} // namespace mm
