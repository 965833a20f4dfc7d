// libFuzzer target: one venue's mark-price parser on arbitrary frames — compiled once per venue
// (MM_FUZZ_VENUE names it; see CMakeLists.txt) — and every tick it yields applied to a Monitor
// holding large positions on the subscribed symbols, as the live monitor does. The protocol and the
// monitor live across inputs, so Bybit's delta merging and the monitor's running sums are fuzzed
// with state. Every frame must come back as a FeedMessage; a tick must carry a positive mark, a
// subscribed symbol, and never make applyTick throw (an absurd mark is refused, not a crash).
#include "engine/monitor.h"
#include "portfolio/portfolio_file.h"
#include "venues/mark_price_protocol.h"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#ifndef MM_FUZZ_VENUE
#error "MM_FUZZ_VENUE must name the venue whose parser this target fuzzes"
#endif

namespace {

constexpr mm::Venue kVenue = mm::Venue::MM_FUZZ_VENUE;

/// The seeds' symbols (run_fuzzers.sh), as the venue spells them.
std::vector<std::string> subscribedSymbols()
{
    switch (kVenue) {
    case mm::Venue::OkxSwap:
        return {"BTC-USDT-SWAP", "ETH-USDT-SWAP"};
    case mm::Venue::Hyperliquid:
        return {"BTC", "ETH"};
    default:
        return {"BTCUSDT", "ETHUSDT"};
    }
}

struct Target {
    Target() : monitor(clock)
    {
        protocol = mm::MarkPriceProtocol::forVenue(kVenue);
        protocol->setSymbols(subscribedSymbols());
        std::string positions;
        for (const std::string& symbol : subscribedSymbols()) {
            // Long and short, so that both directions of a wild mark are exercised.
            positions += std::string(positions.empty() ? "" : ",") + R"({"symbol":")" + symbol +
                         R"(","side":"long","quantity":"250000","entryPrice":"60000","maxLeverage":50,"maintenanceMarginRate":"0.005","marginMode":"isolated","isolatedMargin":"1000000"},)" +
                         R"({"symbol":")" + symbol + R"(","side":"short","quantity":"3","entryPrice":"60000","maxLeverage":50,"maintenanceMarginRate":"0.005"})";
        }
        monitor.addAccount(mm::readPortfolio(R"({"venue":")" + std::string(mm::venueName(kVenue)) +
                                             R"(","walletBalance":"100000","positions":[)" + positions + "]}"));
    }
    mm::ManualClock clock;
    mm::Monitor monitor;
    std::unique_ptr<mm::MarkPriceProtocol> protocol;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static Target target;
    std::vector<mm::MarkTick> ticks;
    const auto message = target.protocol->parse(std::string_view(reinterpret_cast<const char*>(data), size), {}, ticks);
    if (!ticks.empty() && message.kind != mm::FeedMessage::Kind::Ticks && message.kind != mm::FeedMessage::Kind::Malformed) {
        std::abort();
    }
    for (const auto& tick : ticks) {
        if (!tick.markPrice.isPositive() || tick.symbol.empty() || !target.protocol->streams(tick.symbol)) {
            std::abort();
        }
        (void)target.monitor.applyTick(tick); // throwing ends the run: a crash report
    }
    return 0;
}
