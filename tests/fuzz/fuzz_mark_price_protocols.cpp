// libFuzzer target: the four venues' mark-price parsers on arbitrary frames. The first byte picks the
// venue; the protocol objects live across inputs, so Bybit's delta merging is fuzzed with state.
// Every frame must come back as a FeedMessage; a tick must carry a positive mark and a symbol.
#include "venues/mark_price_protocol.h"

#include <array>
#include <cstdint>
#include <cstdlib>
#include <memory>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static std::array<std::unique_ptr<mm::MarkPriceProtocol>, 4> protocols = [] {
        std::array<std::unique_ptr<mm::MarkPriceProtocol>, 4> made{
            mm::MarkPriceProtocol::forVenue(mm::Venue::BinanceUsdm), mm::MarkPriceProtocol::forVenue(mm::Venue::BybitLinear),
            mm::MarkPriceProtocol::forVenue(mm::Venue::OkxSwap), mm::MarkPriceProtocol::forVenue(mm::Venue::Hyperliquid)};
        return made;
    }();
    if (size == 0) {
        return 0;
    }
    auto& protocol = *protocols[data[0] % protocols.size()];
    std::vector<mm::MarkTick> ticks;
    const auto message = protocol.parse(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1), {}, ticks);
    if (!ticks.empty() && message.kind != mm::FeedMessage::Kind::Ticks && message.kind != mm::FeedMessage::Kind::Malformed) {
        std::abort();
    }
    for (const auto& tick : ticks) {
        if (!tick.markPrice.isPositive() || tick.symbol.empty()) {
            std::abort();
        }
    }
    return 0;
}
