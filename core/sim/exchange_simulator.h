#pragma once

#include "domain/venue.h"
#include "sim/order_api.h"
#include "sim/private_api.h"
#include "sim/private_streams.h"
#include "sim/scenario.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace mm::sim {

/// Faults the simulator injects by itself, on a schedule (0: never).
struct Faults {
    std::chrono::milliseconds dropEvery{0};  ///< close every connection this often
    std::chrono::milliseconds stallEvery{0}; ///< this often, go silent (sockets kept) …
    std::chrono::milliseconds stallFor{0};   ///< … for this long
    int malformedEvery = 0;                  ///< one pushed frame in this many is malformed
    std::chrono::milliseconds frameDelay{0}; ///< every push is sent this late
    int restErrorStatus = 0;                 ///< 429, 418 or 503: answers one REST request …
    int restErrorEvery = 0;                  ///< … in this many with that status (0: never)
};

struct SimulatorOptions {
    std::uint16_t port = 0; ///< 0: any free port (see ExchangeSimulator::port())
    /// The venues served (their WebSocket paths answer 404 otherwise); empty: all four.
    std::set<Venue> venues;
    /// PEM certificate chain and private key: serve wss:// and https:// with them. Empty: plain.
    std::string certificateFile;
    std::string privateKeyFile;
    /// The same as PEM text, instead of files (the demo's ThrowawayCertificates).
    std::string certificatePem;
    std::string privateKeyPem;
    /// A mark per symbol this often; 0: as fast as the loop can (benchmarks).
    std::chrono::milliseconds pushInterval{std::chrono::milliseconds(100)};
    Scenario scenario = Scenario::RandomWalk;
    WalkOptions walk;
    std::optional<PriceReplay> replay; ///< the Replay scenario's recording
    /// Simulated seconds per real second (10: the crash plays in 17 s). The simulated clock drives
    /// the scenario and Binance's connection age limit; keep-alive and silence limits stay real time.
    double timeScale = 1.0;
    std::uint64_t seed = 1;
    /// How far the simulated exchange's clock is ahead of this machine's (negative: behind): its
    /// server time, event times and — with the private endpoints — the window a signed request's
    /// timestamp must fall in. Clients measure and apply the offset (ServerClockOffset).
    std::chrono::milliseconds clockSkew{0};
    Faults faults;
    /// The simulator's thread runs this much nicer than the caller (0: the same priority). The
    /// exchange is not on a trader's machine: benchmarks that run it in process lower it, so that they
    /// measure the client rather than the two competing for a core.
    int niceness = 0;
    /// How long each venue lets a connection go without keep-alive before it closes it, as the venue
    /// does (see venueKeepAlive: OKX 30 s, Hyperliquid 60 s, Bybit and Binance 10 min). Venues not
    /// listed use those.
    std::map<Venue, std::chrono::milliseconds> silenceLimits;
    /// How often Binance's servers ping (WebSocket ping frames; a client answers with a pong). Real:
    /// 3 minutes. Tests shorten it together with the silence limit.
    std::chrono::milliseconds binancePingInterval{std::chrono::minutes(3)};
    /// Binance ends every connection at 24 hours; the simulator does the same after this (0: never).
    std::chrono::milliseconds binanceConnectionLimit{std::chrono::hours(24)};
    /// A REST keep-alive connection idle this long is closed by the simulator.
    std::chrono::milliseconds restIdleTimeout{std::chrono::seconds(30)};
    /// Symbols the simulated venues do not list: Bybit, OKX and Hyperliquid answer a subscription to
    /// one with their error; Binance accepts it and sends nothing on it, as Binance does.
    std::set<std::string> unlistedSymbols;
    /// Where symbols start (the demo's marks); others start at a plausible level of their own.
    std::map<std::string, double> startPrices;
    /// The API keys the private REST endpoints accept (sim/private_api.h), each with the account it
    /// opens. Signed requests are checked against the clock above, skew included.
    std::vector<SimulatedApiKey> apiKeys;
    /// OKX's private `positions` channel pushes every open position this often (and on changes).
    std::chrono::milliseconds okxPositionsInterval{std::chrono::seconds(5)};
    /// A Binance listenKey not kept alive (PUT) for this long expires, as on Binance (60 minutes).
    std::chrono::milliseconds listenKeyValidity{std::chrono::minutes(60)};
    /// How the order endpoints fill (sim/order_api.h): slippage from the mark, taker fee.
    OrderSettings orders;
};

/// How a venue decides that a client has stopped keeping its connection alive.
struct VenueKeepAlive {
    enum class Rule {
        /// Anything passing either way keeps it alive: OKX closes a connection on which nothing has
        /// passed for 30 s (close code 4004), so a busy stream needs no ping.
        NothingEitherWay,
        /// Only what the client sends counts (messages, pings): Hyperliquid closes a connection the
        /// client has sent nothing on for 60 s, Bybit one without a ping for 10 min — however much
        /// the venue is pushing.
        NothingFromTheClient,
        /// The server pings (Binance: every 3 min) and closes a connection that has left a ping
        /// unanswered for the limit (10 min); a server that sends no ping (a stall) drops no one.
        PingUnanswered,
    };
    std::chrono::milliseconds silenceLimit{0}; ///< closed after this long without keep-alive
    Rule rule = Rule::NothingFromTheClient;
};

/// The venue's keep-alive rule (exchanges.md).
VenueKeepAlive venueKeepAlive(Venue venue);

/// The exchange simulator: the four venues' public WebSocket mark-price protocols and their public
/// REST endpoints (sim/rest_api.h), on one loopback port, on a thread of its own.
///
/// WebSocket paths as on the real hosts — `/market/stream?streams=…` (Binance), `/v5/public/linear`
/// (Bybit), `/ws/v5/public` (OKX), `/ws` (Hyperliquid) — with their subscription acknowledgements,
/// error replies and keep-alive answers. HTTP: server time (`GET /fapi/v1/time`, `/v5/market/time`,
/// `/api/v5/public/time`) and instrument lists (`GET /fapi/v1/exchangeInfo`,
/// `/v5/market/instruments-info`, `/api/v5/public/instruments`, `POST /info` with type meta or
/// metaAndAssetCtxs), in the venues' shapes; with `apiKeys`, the keyed venues' signed account reads
/// (sim/private_api.h), signatures and timestamps checked as the venue checks them, and their private
/// streams (sim/private_streams.h: Binance's listenKey and `/private/ws`, Bybit `/v5/private`, OKX
/// `/ws/v5/private`, logins checked). Faults on demand: dropped connections, a stall (the socket
/// kept, nothing sent), malformed frames, delays.
class ExchangeSimulator {
public:
    /// Throws std::invalid_argument for options that cannot work (the replay scenario without a
    /// recording, a time scale that is not positive).
    explicit ExchangeSimulator(SimulatorOptions options);
    ~ExchangeSimulator();
    ExchangeSimulator(const ExchangeSimulator&) = delete;
    ExchangeSimulator& operator=(const ExchangeSimulator&) = delete;

    /// Listens on 127.0.0.1 and serves until stop(). Throws std::runtime_error naming the problem
    /// (port in use, unreadable certificate).
    void start();
    void stop();

    [[nodiscard]] std::uint16_t port() const;
    /// "wss://127.0.0.1:PORT" (or ws://): the base URL of every venue here.
    [[nodiscard]] std::string baseUrl() const;
    [[nodiscard]] bool tls() const;

    /// Where the walks of symbols not seen yet start (a position added by hand to the demo starts at
    /// its own mark); symbols already moving keep their price.
    void setStartPrices(std::map<std::string, double> prices);

    // Faults.
    void dropConnections();
    /// Stalled: sockets kept, nothing pushed, pings and REST requests left unanswered until the
    /// stall ends (REST answers are then sent late).
    void setStalled(bool stalled);
    /// The next `frames` pushes on every connection are replaced by malformed frames.
    void sendMalformed(int frames);
    /// OKX's service upgrade: every OKX connection open now gets the 64008 notice ("will soon be
    /// closed … Please reconnect") and is closed `closeAfter` later (60 s on OKX).
    void announceServiceUpgrade(std::chrono::milliseconds closeAfter);
    /// The next `count` REST requests are answered with `httpStatus` — 429 (rate limited), 418 (IP
    /// banned) or 503 (unknown: the request may or may not have been executed) — with the venue's
    /// error body, and Retry-After for 429 and 418. Throws std::invalid_argument for other statuses.
    void failRestRequests(int httpStatus, int count);

    // The keyed accounts (sim/private_streams.h). Each throws std::invalid_argument for an API key
    // not in SimulatorOptions::apiKeys.
    /// Binance: listenKeyExpired on the key's streams, and the key forgotten (POST gets a new one).
    void expireListenKey(const std::string& apiKey);
    /// Opens, changes or (quantity 0) closes a position of the key's account; every authenticated
    /// private stream of the key gets the venue's update (Binance ACCOUNT_UPDATE, Bybit `position`,
    /// OKX `positions`), and the REST reads show it.
    void setAccountPosition(const std::string& apiKey, Position position);
    /// The account's wallet balance (Binance ACCOUNT_UPDATE, Bybit `wallet`).
    void setAccountWallet(const std::string& apiKey, const Decimal& walletBalance);
    /// The venue's margin call on the key's streams: Binance MARGIN_CALL, OKX liquidation-warning.
    void pushMarginCall(const std::string& apiKey);
    /// What the private clients did, in order (connections, auth, subscriptions, listenKey calls).
    [[nodiscard]] std::vector<PrivateJournalEntry> privateJournal() const;

    // Orders (sim/order_api.h).
    /// The next `count` orders on `venue` that fill are answered as `fault` says: HTTP 503 with the
    /// venue's "unknown" body, or no answer at all (the connection held until the client times out).
    void failNextOrders(Venue venue, OrderFault fault, int count = 1);
    /// Every order request that reached the order endpoints, refused ones included, in order.
    [[nodiscard]] std::vector<SimulatedOrder> orders() const;

    [[nodiscard]] std::uint64_t framesPushed() const;
    /// HTTP connections accepted for REST (keep-alive: one carries many requests), and requests answered.
    [[nodiscard]] std::uint64_t restConnectionsAccepted() const;
    [[nodiscard]] std::uint64_t restRequestsAnswered() const;

private:
    class Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace mm::sim
