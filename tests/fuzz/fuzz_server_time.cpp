// libFuzzer target: the venues' server-time answers (Binance, Bybit, OKX) from arbitrary bytes.
// Every input is read by all three; a time that is read must be positive, else a problem is said.
#include "venues/server_time.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    for (const mm::Venue venue : {mm::Venue::BinanceUsdm, mm::Venue::BybitLinear, mm::Venue::OkxSwap}) {
        std::string problem;
        const auto time = mm::parseServerTimeMs(venue, body, problem);
        if (time ? *time <= 0 : problem.empty()) {
            std::abort();
        }
    }
    return 0;
}
