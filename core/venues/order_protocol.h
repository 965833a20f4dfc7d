#pragma once

#include "domain/order.h"
#include "domain/venue.h"
#include "money/decimal.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mm {

/// The method of an order request (net/https_client.h's HttpMethod lives in `core`; this file is
/// pure and lives in `core_model`).
enum class OrderHttpMethod { Get, Post };

/// An order REST request before it is signed: what net/signed_request.h's signedRequest() takes.
/// `query` has no "?" and is not yet signed; `body` is Binance's form-encoded parameters or Bybit's
/// and OKX's JSON.
struct OrderHttpRequest {
    OrderHttpMethod method = OrderHttpMethod::Get;
    std::string path;
    std::string query;
    std::string body;
};

/// What a venue needs besides the OrderRequest: OKX counts `sz` in contracts of `contractValue`
/// base units (the instrument's ctVal, e.g. 0.01 BTC for BTC-USDT-SWAP).
struct OrderVenueDetails {
    std::optional<Decimal> contractValue; ///< OKX only, required there
};

/// The reduce-only market order for `request.venue`, or nullopt with `problem` in words:
///  - Binance `POST /fapi/v1/order`, form body symbol, side (BUY/SELL), type=MARKET, quantity,
///    newClientOrderId, newOrderRespType=RESULT, and reduceOnly=true in one-way mode or
///    positionSide=LONG|SHORT in hedge mode (where Binance refuses reduceOnly);
///  - Bybit `POST /v5/order/create`, JSON {category:"linear", symbol, side (Buy/Sell),
///    orderType:"Market", qty, reduceOnly:true, positionIdx (0 one-way, 1 long leg, 2 short leg),
///    orderLinkId};
///  - OKX `POST /api/v5/trade/order`, JSON {instId, tdMode (cross/isolated), side (buy/sell),
///    ordType:"market", sz (contracts = quantity / ctVal, which must come out whole to the 18th
///    digit), clOrdId, and reduceOnly:true in net mode or posSide long|short in long/short mode}.
/// Refused: Hyperliquid and Generic, an empty or unsafe symbol, a quantity that is not positive, a
/// client order id the venue would refuse (isValidClientOrderId), a hedge-mode order on the side
/// that would add to its leg (a sell reduces the long leg), OKX without a positive ctVal.
std::optional<OrderHttpRequest> buildPlaceOrderRequest(const OrderRequest& request, const OrderVenueDetails& details,
                                                       std::string& problem);

/// The look-up of the order by its client order id, in the order to try:
///  - Binance `GET /fapi/v1/order?symbol=…&origClientOrderId=…`;
///  - Bybit `GET /v5/order/realtime?category=linear&symbol=…&orderLinkId=…`, then
///    `GET /v5/order/history?…` (the same parameters): a market order that filled may already have
///    left the open-orders list, so a NotFound from the first is confirmed by the second;
///  - OKX `GET /api/v5/trade/order?instId=…&clOrdId=…`.
/// Empty, with `problem`, where buildPlaceOrderRequest would refuse the id or the symbol.
std::vector<OrderHttpRequest> buildLookupOrderRequests(const OrderRequest& request, std::string& problem);

/// How the venue answered: the HTTP status (0 when no answer came at all) and the body.
struct OrderAnswer {
    int httpStatus = 0;
    std::string_view body;
};

/// The answer to a placement read into an OrderOutcome. Never throws on exchange data:
///  - no answer, HTTP 5xx (503 is Binance's "the order may or may not exist"), a body that is not
///    the venue's shape, the venues' own "status unknown" codes (Binance -1000/-1006/-1007, Bybit
///    10000/10016, OKX 50001/50004/50013/50026) → Unknown;
///  - HTTP 429/418 and the venues' rate-limit codes (Binance -1003/-1015, Bybit 10006/10018, OKX
///    50011/50061) → Rejected with the words;
///  - a duplicate client order id (Binance -4116, Bybit 110072, OKX sCode 51016) → Duplicate;
///  - any other venue error → Rejected with its code and words (OKX: data[].sCode/sMsg, which
///    stand even when the top-level code is "0");
///  - Binance's RESULT answer: status FILLED → Filled, PARTIALLY_FILLED → PartiallyFilled, NEW →
///    Accepted, CANCELED/EXPIRED/EXPIRED_IN_MATCH/REJECTED → PartiallyFilled with what executed, or
///    Rejected when nothing did; executedQty, avgPrice ("0" → none), orderId;
///  - Bybit's and OKX's answers only say the order was taken: Accepted with the venue order id
///    (look it up for the fill).
/// `expected` fills in clientOrderId when the answer does not repeat it; `details.contractValue`
/// converts OKX contracts to base units.
OrderOutcome parsePlaceOrderAnswer(Venue venue, const OrderAnswer& answer, const OrderRequest& expected,
                                   const OrderVenueDetails& details);

/// The answer to one look-up request read into an OrderOutcome. As parsePlaceOrderAnswer, and:
/// Binance -2013 "Order does not exist.", an empty Bybit list, OKX 51603 "Order does not exist"
/// → NotFound. The order itself: Binance status/executedQty/avgPrice; Bybit orderStatus (Filled,
/// PartiallyFilled, New/Created/Untriggered/Triggered/Active → Accepted, Cancelled/Rejected/
/// Deactivated/PartiallyFilledCanceled → PartiallyFilled or Rejected)/cumExecQty/avgPrice; OKX state
/// (filled, partially_filled, live → Accepted, canceled/mmp_canceled)/accFillSz (contracts →
/// base)/avgPx.
OrderOutcome parseLookupOrderAnswer(Venue venue, const OrderAnswer& answer, const OrderRequest& expected,
                                    const OrderVenueDetails& details);

/// The longest client order id every keyed venue accepts (OKX: 32).
inline constexpr std::size_t kPortableClientOrderIdLength = 32;

/// Whether `venue` accepts `id` as a client order id: Binance `^[\.A-Z\:/a-z0-9_-]{1,36}$`
/// (newClientOrderId), Bybit 1–36 of letters, digits, "-" and "_" (orderLinkId), OKX 1–32 letters
/// and digits only, case-sensitive (clOrdId). False for Hyperliquid and Generic.
bool isValidClientOrderId(Venue venue, std::string_view id);

/// A client order id valid on all three keyed venues, the same for the same arguments and different
/// for different (run, episode): the letters and digits of `prefix` (at most 5 of them; "mm" when
/// none), one base-36 digit giving the length of `run` in base 36, `run` and `episode` in base 36.
/// At most 32 characters, letters and digits only.
std::string makeClientOrderId(std::string_view prefix, std::uint64_t run, std::uint64_t episode);

} // namespace mm
