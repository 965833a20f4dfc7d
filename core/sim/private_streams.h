#pragma once

#include "domain/position.h"
#include "domain/venue.h"
#include "money/decimal.h"
#include "sim/private_api.h"
#include "sim/rest_api.h"
#include "sim/venue_servers.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mm::sim {

/// How the simulated private streams behave.
struct PrivateStreamSettings {
    /// The simulated exchange's clock against this machine's (SimulatorOptions::clockSkew): Bybit's
    /// `expires` and OKX's login timestamp are checked against it.
    std::chrono::milliseconds clockSkew{0};
    /// OKX pushes every open position this often on `positions` (about 5 s), and on every change.
    std::chrono::milliseconds okxPositionsInterval{std::chrono::seconds(5)};
    /// A Binance listenKey dies this long after it was created or last kept alive (60 minutes).
    std::chrono::milliseconds listenKeyValidity{std::chrono::minutes(60)};
};

/// One thing a client did on the private side, in the order the simulator saw it — for tests that
/// check, e.g., that a reconnected client authenticated before it subscribed.
struct PrivateJournalEntry {
    std::uint64_t connection = 0; ///< the WebSocket connection (numbered from 1); 0 for REST
    Venue venue = Venue::Generic;
    std::string apiKey; ///< the key concerned; "" when the client never named a known one
    /// "connect", "auth", "auth refused", "subscribe", "subscribe refused", "login",
    /// "login refused", "POST /fapi/v1/listenKey", "PUT /fapi/v1/listenKey", "DELETE /fapi/v1/listenKey".
    std::string action;
    std::string detail; ///< the venue's answer to a refusal, the topics of a subscription
};

/// The keyed venues' private side, as the real venues run it, for the keys the simulator knows:
///  - Binance: `POST/PUT/DELETE /fapi/v1/listenKey` (X-MBX-APIKEY only; POST returns the account's
///    live key and extends it, as Binance does; -2015 for an unknown API key, -1125 "This listenKey
///    does not exist." for a PUT without a live key), and `/private/ws?listenKey=…&events=…`
///    (an unknown or expired key is refused at the handshake with -1125). Pushes ACCOUNT_UPDATE,
///    MARGIN_CALL and listenKeyExpired;
///  - Bybit `/v5/private`: `auth` checked (key, signature over "GET/realtime" + expires, expires in
///    the future on the skewed clock: "error:request expired"), subscriptions refused before it;
///    pushes `position` and `wallet` on changes only, as Bybit does;
///  - OKX `/ws/v5/private`: `login` checked (60005 key, 60024 passphrase, 60007 signature, 60006
///    timestamp more than 30 s off, 60009 a malformed login), subscriptions refused before it
///    (60011); `positions` pushed every okxPositionsInterval and on changes, valued at the
///    simulator's marks with the liquidation price and margin ratio of core/margin;
///    `liquidation-warning` on demand.
/// The accounts live here (SimulatorOptions::apiKeys at the start): the REST reads see the same
/// changes. Used on the simulator's thread only; connections hold a share of the state, so that a
/// connection outliving this object is harmless.
class PrivateStreams {
public:
    PrivateStreams(std::vector<SimulatedApiKey> keys, PrivateStreamSettings settings);
    ~PrivateStreams();
    PrivateStreams(const PrivateStreams&) = delete;
    PrivateStreams& operator=(const PrivateStreams&) = delete;

    /// The keys and their accounts as they stand now.
    [[nodiscard]] const std::vector<SimulatedApiKey>& keys() const;

    /// The answer to a listenKey REST call (any method on /fapi/v1/listenKey); nullopt for any
    /// other request.
    std::optional<RestAnswer> listenKeyAnswer(const PrivateRequest& request);

    /// What a WebSocket upgrade to `target` gets.
    struct Opening {
        bool isPrivate = false;               ///< a private path at all
        std::unique_ptr<VenueServer> server;  ///< the connection's server side, when accepted
        std::optional<RestAnswer> refusal;    ///< the HTTP answer instead, when refused
    };
    Opening open(std::string_view target);

    // What the tests and the demo change. False for an unknown API key.
    /// Sends listenKeyExpired on the key's streams and forgets its listenKey.
    bool expireListenKey(const std::string& apiKey);
    /// Opens, changes or (quantity 0) closes the position of that symbol and side; every
    /// authenticated stream of the key gets the venue's update. A position without an instrument
    /// gets the published one, or a flat 0.5 % maintenance rate.
    bool setAccountPosition(const std::string& apiKey, Position position);
    bool setAccountWallet(const std::string& apiKey, const Decimal& walletBalance);
    /// Binance MARGIN_CALL, OKX liquidation-warning for every open position; Bybit has no such push.
    bool pushMarginCall(const std::string& apiKey);

    [[nodiscard]] std::vector<PrivateJournalEntry> journal() const;

    struct Hub;

private:
    std::shared_ptr<Hub> m_hub;
};

} // namespace mm::sim
