// libFuzzer target: one venue's mark-price parser on arbitrary frames — compiled once per venue
// (MM_FUZZ_VENUE names it; see CMakeLists.txt). The protocol object lives across inputs, so Bybit's
// delta merging is fuzzed with state. Every frame must come back as a FeedMessage; a tick must carry
// a positive mark and a symbol.
#include "venues/mark_price_protocol.h"

#include <cstdint>
#include <cstdlib>
#include <memory>

#ifndef MM_FUZZ_VENUE
#error "MM_FUZZ_VENUE must name the venue whose parser this target fuzzes"
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const std::unique_ptr<mm::MarkPriceProtocol> protocol = mm::MarkPriceProtocol::forVenue(mm::Venue::MM_FUZZ_VENUE);
    std::vector<mm::MarkTick> ticks;
    const auto message = protocol->parse(std::string_view(reinterpret_cast<const char*>(data), size), {}, ticks);
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
