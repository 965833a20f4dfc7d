// libFuzzer target: the three venues' API-key permission parsers (Binance apiRestrictions, Bybit
// query-api, OKX account config) on the same arbitrary bytes. None may crash or throw; a parse that
// fails must say why, and one that succeeds must have reported something (no answer of nothing).
#include "venues/key_permissions.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    for (const mm::Venue venue : {mm::Venue::BinanceUsdm, mm::Venue::BybitLinear, mm::Venue::OkxSwap}) {
        std::string problem;
        const auto permissions = mm::parseKeyPermissions(venue, body, problem);
        if (!permissions && problem.empty()) {
            std::abort();
        }
        if (permissions && *permissions == mm::ReportedKeyPermissions{}) {
            std::abort();
        }
    }
    return 0;
}
