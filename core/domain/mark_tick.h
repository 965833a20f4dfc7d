#pragma once

#include "domain/venue.h"
#include "money/clock.h"
#include "money/decimal.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mm {

/// When this process received a frame, on the monotonic clock.
using ReceiveTime = MonotonicTime;

/// One mark price from one venue's stream.
struct MarkTick {
    Venue venue = Venue::Generic;
    std::string symbol;                ///< the venue's own name: BTCUSDT, BTC-USDT-SWAP, BTC
    Decimal markPrice;                 ///< always positive
    std::optional<Decimal> indexPrice; ///< where the venue sends it (Hyperliquid: the oracle price)
    std::optional<Decimal> fundingRate;
    std::int64_t exchangeTimeMs = 0;   ///< the venue's event time (Unix ms); 0 where it sends none
    ReceiveTime receivedAt{};
};

} // namespace mm
