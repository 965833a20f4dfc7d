#pragma once

#include "money/clock.h"
#include "net/tls_trust.h"
#include "net/ws_url.h"
#include "venues/mark_price_protocol.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace mm {

enum class ConnectionState {
    Connecting,   ///< the first attempt is under way
    Open,         ///< subscribed and receiving
    Reconnecting, ///< lost; waiting out the back-off or trying again
    Stopped,
};

std::string_view connectionStateName(ConnectionState state);

/// What a session can tell about itself, for the engine and the status bar.
struct WsStats {
    ConnectionState state = ConnectionState::Connecting;
    std::uint64_t connects = 0;   ///< successful handshakes
    std::uint64_t reconnects = 0; ///< connections lost and tried again
    std::uint64_t rollovers = 0;  ///< connections replaced before they got too old, without a gap
    std::uint64_t framesReceived = 0;
    MonotonicTime lastFrameAt{}; ///< zero until the first frame
    std::string lastError;       ///< why the last connection ended or failed, in words
};

struct WsOptions {
    WsUrl url;
    /// The certificate authorities to trust: the system store unless the simulator's throw-away CA
    /// is given. Verification of the peer and its host name is never switched off.
    TlsTrust trust;
    std::chrono::milliseconds connectTimeout{std::chrono::seconds(10)};
    /// A connection that receives nothing (no frame, no ping) for this long is dropped and redialled.
    std::chrono::milliseconds idleTimeout{std::chrono::seconds(60)};
    std::chrono::milliseconds backoffInitial{std::chrono::milliseconds(250)};
    std::chrono::milliseconds backoffMax{std::chrono::seconds(30)};
    KeepAlive keepAlive;
    /// Replace the connection before it gets this old (0: never): a second connection is opened and
    /// subscribed, and the old one closed once the new one delivers — Binance ends connections at
    /// 24 hours.
    std::chrono::milliseconds maxConnectionAge{0};
    /// The clock that age runs on (null: real time); an accelerated simulation passes its own.
    std::shared_ptr<const Clock> clock;
    /// Sent on every (re)connect, in order, before anything else: subscriptions (later: the login).
    std::vector<std::string> openingMessages;
};

struct WsCallbacks {
    std::function<void(std::string_view frame, MonotonicTime receivedAt)> onFrame;
    std::function<void(const WsStats& stats)> onStateChange;
};

/// One WebSocket connection to a venue, kept alive and redialled for as long as it is started
/// (Boost.Beast over Asio; the Beast example websocket_client_async_ssl is its skeleton):
///  - TLS 1.2+ with the peer's certificate and host name verified, and SNI; `ws://` only to loopback;
///  - an idle timeout (Beast's own), the venue's keep-alive (KeepAlive), Beast answering server pings;
///  - capped exponential back-off with jitter between attempts, the opening messages re-sent after
///    every reconnect;
///  - a proactive roll-over before the venue's connection age limit, with no gap in data;
///  - one write in flight, the rest queued.
/// Callbacks run on the io_context's thread. start(), stop(), send() and stats() may be called from
/// any thread.
class WsSession {
public:
    virtual ~WsSession() = default;

    /// Throws std::invalid_argument when the options cannot work (an unreadable CA file).
    static std::shared_ptr<WsSession> create(boost::asio::io_context& io, WsOptions options, WsCallbacks callbacks);

    virtual void start() = 0;
    /// Closes the connection and stops redialling. Asynchronous: it takes effect on the session's
    /// strand, after which no callback is called (one for a frame already read may still run
    /// before that).
    virtual void stop() = 0;
    virtual void send(std::string text) = 0;
    /// Drops the current connection as if the network had (tests; a private stream whose login must
    /// be made again on a new connection).
    virtual void reconnectNow() = 0;
    /// Opens and subscribes a second connection now, and moves to it once it delivers, as before
    /// the age limit: the venue's "reconnect soon" (OKX 64008) is followed without a gap. A no-op
    /// while no connection is open or a roll-over is under way.
    virtual void rollOverNow() = 0;
    /// New subscriptions on a running session: from the next connection on, `target` and
    /// `openingMessages` replace the options'; the open connection gets `sendNow` (the venue's runtime
    /// subscribe for what was added) and keeps streaming. A connection still being set up with the
    /// old target is dropped and redialled with the new one.
    virtual void changeSubscriptions(std::string target, std::vector<std::string> openingMessages,
                                     std::vector<std::string> sendNow) = 0;
    [[nodiscard]] virtual WsStats stats() const = 0;
};

} // namespace mm
