// libFuzzer target: the order-answer parsers of the three keyed venues (core/venues/order_protocol.h),
// placement and look-up, on the same arbitrary bytes, under a few HTTP statuses. None may crash or
// throw; every outcome must say something in words, name the client order id it was asked about,
// and never report a negative fill or a fill with a non-positive average price.
#include "venues/order_protocol.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    const mm::OrderVenueDetails details{mm::Decimal::parse("0.01")};
    for (const mm::Venue venue : {mm::Venue::BinanceUsdm, mm::Venue::BybitLinear, mm::Venue::OkxSwap}) {
        mm::OrderRequest request;
        request.venue = venue;
        request.symbol = venue == mm::Venue::OkxSwap ? "BTC-USDT-SWAP" : "BTCUSDT";
        request.quantity = mm::Decimal::parse("0.5");
        request.clientOrderId = "mm1abc7";
        for (const int status : {200, 400, 0, 503}) {
            for (const bool lookup : {false, true}) {
                const mm::OrderAnswer answer{status, body};
                const mm::OrderOutcome outcome = lookup ? mm::parseLookupOrderAnswer(venue, answer, request, details)
                                                        : mm::parsePlaceOrderAnswer(venue, answer, request, details);
                if (outcome.message.empty() || outcome.clientOrderId.empty() || outcome.filledQuantity.isNegative() ||
                    (outcome.averagePrice && !outcome.averagePrice->isPositive())) {
                    std::abort();
                }
                if (!lookup && outcome.status == mm::OrderOutcome::Status::NotFound) {
                    std::abort(); // a placement is never "not found"
                }
            }
        }
    }
    return 0;
}
