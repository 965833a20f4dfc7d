// libFuzzer target: the keyed venues' private stream parsers (Binance user data stream, Bybit
// /v5/private, OKX /ws/v5/private) on the same arbitrary bytes. Whatever arrives, the parse returns
// (never throws); a Malformed event says why; every position read has a non-empty symbol and a
// quantity that is zero (closed) or positive, an open one a positive entry (and, where the venue
// sends one, mark), and an exchange liquidation price is positive when present.
#include "venues/binance_usdm/binance_user_stream.h"
#include "venues/bybit_linear/bybit_private_stream.h"
#include "venues/okx_swap/okx_private_stream.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

void check(const mm::AccountEvent& event, bool markRequired)
{
    using Kind = mm::AccountEvent::Kind;
    if (event.kind == Kind::Malformed && event.detail.empty()) {
        std::abort();
    }
    if (event.kind == Kind::Malformed && !event.positions.empty()) {
        std::abort();
    }
    const bool positionsEvent = event.kind == Kind::PositionsSnapshot || event.kind == Kind::PositionsUpdate;
    for (const mm::SnapshotPosition& snapshot : event.positions) {
        const mm::Position& position = snapshot.position;
        if (position.symbol.empty() || position.quantity.isNegative()) {
            std::abort();
        }
        if (positionsEvent && position.quantity.isPositive() &&
            (!position.entryPrice.isPositive() || (markRequired && !position.markPrice.isPositive()))) {
            std::abort();
        }
        if (snapshot.exchangeLiquidationPrice && !snapshot.exchangeLiquidationPrice->isPositive()) {
            std::abort();
        }
    }
}

std::optional<mm::Decimal> contractValue(std::string_view instId)
{
    return instId.size() % 2 == 0 ? mm::Decimal::parse("0.01") : mm::Decimal::parse("100");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view frame(reinterpret_cast<const char*>(data), size);
    check(mm::parseBinanceUserStream(frame), false); // ACCOUNT_UPDATE has no mark
    check(mm::parseBybitPrivateStream(frame), true);
    check(mm::parseOkxPrivateStream(frame, contractValue), true);
    std::string problem;
    (void)mm::binance_user_stream::listenKeyFromAnswer(frame, problem);
    (void)mm::binance_user_stream::errorCode(frame);
    return 0;
}
