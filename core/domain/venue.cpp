#include "domain/venue.h"

#include <array>
#include <utility>

namespace mm {
namespace {

constexpr std::array<std::pair<Venue, std::string_view>, 5> kNames{{
    {Venue::BinanceUsdm, "binance-usdm"},
    {Venue::BybitLinear, "bybit-linear"},
    {Venue::OkxSwap, "okx-swap"},
    {Venue::Hyperliquid, "hyperliquid"},
    {Venue::Generic, "generic"},
}};

} // namespace

std::string_view venueName(Venue venue)
{
    for (const auto& [candidate, name] : kNames) {
        if (candidate == venue) {
            return name;
        }
    }
    return "unknown";
}

std::optional<Venue> venueFromName(std::string_view name)
{
    for (const auto& [venue, candidate] : kNames) {
        if (candidate == name) {
            return venue;
        }
    }
    return std::nullopt;
}

std::string_view venueNameList()
{
    return "binance-usdm, bybit-linear, okx-swap, hyperliquid or generic";
}

} // namespace mm
