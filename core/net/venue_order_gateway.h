#pragma once

#include "domain/order.h"
#include "net/https_client.h"
#include "net/signed_request.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

namespace boost::asio {
class io_context;
}

namespace mm {

/// Reduce-only market orders on one keyed venue (Binance USDⓈ-M, Bybit linear, OKX swaps), placed
/// and looked up over REST with the account's *trade* key. The wire formats are
/// venues/order_protocol.h; each request is signed on the venue's clock (signedRequest) and sent
/// over an HttpsClient with its own timeout.
///
/// What the caller can rely on:
///  - `done` is called exactly once per call, on the io_context's thread (the core thread), also
///    for a request that was never sent (a refused request: Rejected, in words);
///  - a POST is never sent twice (HttpsClient never re-sends one); after Unknown, call lookup()
///    with the same request before anything else — the order may exist;
///  - a timeout, a lost connection after the request went out, 5xx and unreadable answers are
///    Unknown; a connection that never carried the request is Rejected ("not sent");
///  - Bybit's and OKX's placement answers only say that the order was taken: the gateway then
///    looks it up once to report the fill (Filled with quantity and average price); if that
///    look-up does not answer, the outcome stays Accepted;
///  - Hyperliquid (EIP-712 / secp256k1-signed orders) and Generic are refused, nothing sent.
class VenueOrderGateway final : public OrderGateway {
public:
    struct Options {
        Venue venue = Venue::Generic;
        HttpsOptions rest;          ///< the venue's REST base URL and TLS trust
        ApiCredentials credentials; ///< the trade key (never the read key)
        /// The venue's time in Unix ms (AccountFeed::serverNowMs, ServerClockOffset); this machine's
        /// clock when unset.
        std::function<std::int64_t()> serverNowMs;
        /// From leaving the queue to the end of the answer; past it the order is Unknown.
        std::chrono::milliseconds requestTimeout{std::chrono::seconds(10)};
        /// OKX: the contract value (ctVal) of an instId, in base units per contract.
        std::function<std::optional<Decimal>(std::string_view instId)> contractValue;
        /// Bybit and OKX: look an Accepted order up at once to learn its fill.
        bool lookUpAcceptedOrders = true;
        /// A client to share (the account's); one of its own is made from `rest` when null.
        std::shared_ptr<HttpsClient> client;
    };

    /// Throws std::invalid_argument for a keyed venue without a trade key, or REST options that
    /// HttpsClient refuses. Hyperliquid and Generic construct, and refuse every order.
    VenueOrderGateway(boost::asio::io_context& io, Options options);
    ~VenueOrderGateway() override;
    VenueOrderGateway(const VenueOrderGateway&) = delete;
    VenueOrderGateway& operator=(const VenueOrderGateway&) = delete;

    void place(const OrderRequest& request, std::function<void(const OrderOutcome&)> done) override;
    void lookup(const OrderRequest& request, std::function<void(const OrderOutcome&)> done) override;

    [[nodiscard]] Venue venue() const;
    /// Closes the connection; requests under way end Unknown (or Rejected, if never sent).
    void close();

private:
    struct State;
    std::shared_ptr<State> m_state;
};

} // namespace mm
