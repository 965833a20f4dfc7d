#pragma once

#include "domain/position.h"
#include "domain/venue.h"
#include "money/decimal.h"

#include <functional>
#include <optional>
#include <string>

namespace mm {

/// A reduce-only market order: the only kind Margin Monitor ever sends. `side` is the order's side
/// (Short = sell, which reduces a long), never the position's.
struct OrderRequest {
    Venue venue = Venue::Generic;
    std::string symbol;   ///< the venue's own name (BTCUSDT, BTC-USDT-SWAP, BTC)
    Side side = Side::Short;
    Decimal quantity;     ///< base units (OKX: converted to contracts by the venue layer), > 0
    PositionSide positionSide = PositionSide::Both; ///< hedge mode: the leg being reduced
    MarginMode marginMode = MarginMode::Cross;      ///< OKX tdMode
    std::string clientOrderId; ///< idempotency key: one per alert episode (or manual action)
};

/// What the venue said about an order, placed or looked up.
struct OrderOutcome {
    enum class Status {
        Filled,          ///< fully filled
        PartiallyFilled, ///< some filled, the rest cancelled or open
        Accepted,        ///< accepted, not (yet) filled
        Rejected,        ///< refused: nothing happened (venueCode, message say why)
        Duplicate,       ///< refused because the client order id was used before
        NotFound,        ///< a lookup found no order with that id
        Unknown,         ///< timeout, 5xx, or an unreadable answer: the order may or may not exist
    };
    Status status = Status::Unknown;
    Decimal filledQuantity;                ///< base units
    std::optional<Decimal> averagePrice;
    std::string venueOrderId;
    std::string clientOrderId;
    std::string venueCode; ///< the venue's own error code, where it gave one
    std::string message;   ///< in words, for the journal and the trader
};
std::string_view orderStatusName(OrderOutcome::Status status);

/// Places and looks up orders on one venue with the trade key. Asynchronous: each callback is called
/// exactly once, on the thread that runs the gateway (the core thread).
class OrderGateway {
public:
    virtual ~OrderGateway() = default;
    virtual void place(const OrderRequest& request, std::function<void(const OrderOutcome&)> done) = 0;
    /// Looks the order up by its client order id (after a timeout or an unknown answer).
    virtual void lookup(const OrderRequest& request, std::function<void(const OrderOutcome&)> done) = 0;
};

} // namespace mm
