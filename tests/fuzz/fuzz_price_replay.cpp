// libFuzzer target: a price recording (CSV time,symbol,mark) from arbitrary bytes, then replayed.
// Bad input must be a std::runtime_error naming the line; a recording that reads must replay.
#include "sim/price_replay.h"
#include "sim/scenario.h"

#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::istringstream input(std::string(reinterpret_cast<const char*>(data), size));
    std::optional<mm::sim::PriceReplay> replay;
    try {
        replay = mm::sim::PriceReplay::read(input, "fuzz.csv");
    } catch (const std::runtime_error&) {
        return 0;
    }
    const double duration = replay->duration();
    mm::sim::MarketScenario scenario(mm::sim::Scenario::Replay, mm::sim::WalkOptions{}, std::move(replay));
    mm::sim::PriceBook book(1);
    for (int step = 0; step <= 4; ++step) {
        scenario.advanceTo(duration * step / 4, book);
    }
    for (const std::string& symbol : book.symbols()) {
        if (!(book.mark(symbol) > 0)) {
            __builtin_trap(); // a replayed mark is always positive
        }
    }
    return 0;
}
