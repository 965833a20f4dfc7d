#pragma once

#include "domain/order.h"
#include "domain/position.h"
#include "domain/venue.h"
#include "money/decimal.h"
#include "sim/private_api.h"
#include "sim/rest_api.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mm::sim {

class PriceBook;
class PrivateStreams;

/// How the simulated venues fill orders.
struct OrderSettings {
    /// Market orders fill this fraction away from the mark, against the trader: a sell at
    /// mark × (1 − slippage), a buy at mark × (1 + slippage).
    Decimal slippage = Decimal::parse("0.0005");
    /// Charged on the filled notional and taken off the wallet with the realised PnL.
    Decimal takerFeeRate = Decimal::parse("0.0005");
};

/// What an order answer is made to suffer, once per order that fills (for the tests).
enum class OrderFault {
    Http503, ///< filled, then answered HTTP 503 with the venue's "unknown" body (Binance's real ambiguity)
    Timeout, ///< filled, then never answered: the connection is held until the client gives up
};

/// One order request as the simulator received it, and what became of it.
struct SimulatedOrder {
    Venue venue = Venue::Generic;
    std::string apiKey; ///< "" when the request named no key the simulator knows
    std::string symbol;
    Side side = Side::Short; ///< the order's side (Short = sell)
    Decimal quantity;        ///< as asked for, in base units (OKX: contracts × 0.01)
    bool reduceOnly = false; ///< reduceOnly sent, or (hedge mode) the leg named
    PositionSide positionSide = PositionSide::Both;
    std::string clientOrderId;
    std::string venueOrderId;   ///< "" when refused
    OrderOutcome outcome;       ///< what the simulator did (Filled with quantity and price, or Rejected / Duplicate with the venue's code)
    std::optional<OrderFault> fault; ///< what the answer suffered
    std::int64_t timeMs = 0;    ///< on the simulated exchange's clock
};

/// The keyed venues' reduce-only market orders, filled at the book's mark:
///  - Binance `POST /fapi/v1/order` (form parameters in the query or the body) and
///    `GET /fapi/v1/order?symbol=&origClientOrderId=` (or orderId);
///  - Bybit `POST /v5/order/create` (JSON), `GET /v5/order/realtime` (open orders only: a market
///    order that filled is never there) and `GET /v5/order/history`, by orderLinkId or orderId;
///  - OKX `POST /api/v5/trade/order` (JSON; `sz` in contracts of ctVal 0.01, what the simulator's
///    instrument list says) and `GET /api/v5/trade/order?instId=&clOrdId=` (or ordId).
/// Signatures and timestamps are checked as for the reads (authenticationRefusal); placing takes a
/// key with trade permission (otherwise Binance -2015, Bybit 10005, OKX 50120); a look-up takes read
/// permission. Only market orders that only reduce are taken (Binance type≠MARKET -1116, not
/// reduce-only -2022, reduceOnly in hedge mode -1106; Bybit 10001; OKX sCode 51000). A client order
/// id is remembered per key; a second use is the venue's duplicate error (Binance -4116, Bybit
/// 110072, OKX 51016). Nothing to reduce: Binance -2022, Bybit 110017, OKX 51169. More than the
/// position: Binance refuses it (-2022); Bybit and OKX fill the position and no more.
/// A fill moves the key's position (PrivateStreams::setAccountPosition: REST reads and private
/// streams show it) and its wallet by the realised PnL less the taker fee.
/// Used on the simulator's thread only.
class OrderApi {
public:
    explicit OrderApi(OrderSettings settings = {});

    struct Reply {
        RestAnswer answer;
        bool holdConnection = false; ///< OrderFault::Timeout: send nothing, keep the connection open
    };
    /// The answer to an order request; nullopt for any other request.
    std::optional<Reply> answer(const PrivateRequest& request, PrivateStreams& accounts, PriceBook& book,
                                std::int64_t serverNowMs);

    /// The next `count` orders on `venue` that fill suffer `fault`.
    void failNextOrders(Venue venue, OrderFault fault, int count);
    /// Every order request received (refused ones included), in order.
    [[nodiscard]] const std::vector<SimulatedOrder>& orders() const { return m_orders; }

private:
    struct Pending {
        OrderFault fault = OrderFault::Http503;
        int count = 0;
    };
    OrderSettings m_settings;
    std::vector<SimulatedOrder> m_orders;
    std::map<Venue, Pending> m_faults;
    std::uint64_t m_nextOrderId = 8'389'765'400;

    std::optional<OrderFault> takeFault(Venue venue);
};

} // namespace mm::sim
