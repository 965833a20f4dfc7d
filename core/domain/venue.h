#pragma once

#include <optional>
#include <string_view>

namespace mm {

/// The exchange (or "generic" for a position entered by hand with its own maintenance rate) whose
/// rules apply to an account.
enum class Venue { BinanceUsdm, BybitLinear, OkxSwap, Hyperliquid, Generic };

/// The venue's name in files and on the command line: "binance-usdm", "bybit-linear", "okx-swap",
/// "hyperliquid", "generic".
std::string_view venueName(Venue venue);
std::optional<Venue> venueFromName(std::string_view name);
/// "binance-usdm, bybit-linear, okx-swap, hyperliquid or generic", for error messages.
std::string_view venueNameList();

} // namespace mm
