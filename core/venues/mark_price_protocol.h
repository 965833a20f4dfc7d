#pragma once

#include "domain/mark_tick.h"

#include <chrono>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace mm {

/// What one frame from a venue's public stream turned out to be.
struct FeedMessage {
    enum class Kind {
        Ticks,        ///< mark prices, appended to the caller's vector
        SubscribeAck, ///< the venue confirmed a subscription
        Pong,         ///< the answer to our keep-alive
        VenueError,   ///< the venue reported an error (bad symbol, bad request): `detail` says what
        Notice,       ///< a service notice, e.g. OKX's "reconnect soon" (code 64008)
        Ignored,      ///< valid and expected, but carries no mark for us (e.g. none of our symbols in the all-market array)
        Malformed,    ///< not what the venue sends on our subscriptions: unreadable, or a topic, channel or
                      ///< event we never subscribed to; `detail` names what is wrong; the connection stays
    };
    Kind kind = Kind::Ignored;
    std::string detail;
};

/// How a connection to the venue is kept alive.
struct KeepAlive {
    enum class Mode {
        AnswerServerPings, ///< the server pings (WebSocket control frames) and drops silent clients (Binance)
        SendEvery,         ///< send `message` every `interval` whatever else happens (Bybit, Hyperliquid)
        SendWhenIdle,      ///< send `message` after `interval` without any incoming frame (OKX)
    };
    Mode mode = Mode::AnswerServerPings;
    std::string message;
    std::chrono::milliseconds interval{0};
};

/// One venue's public mark-price protocol: where to connect, what to send, how to read what comes
/// back. Knows nothing of sockets; `net/` drives it and `sim/` speaks the other side of it.
///
/// Parsers never throw on exchange data: every frame, however broken, becomes a FeedMessage (a
/// malformed frame is counted and logged by the caller, and the connection is kept).
class MarkPriceProtocol {
public:
    virtual ~MarkPriceProtocol() = default;

    [[nodiscard]] virtual Venue venue() const = 0;
    /// The symbols to stream, in the venue's own names. Set before connecting. Marks for other
    /// symbols are refused as malformed (the venue sends only what was subscribed to).
    virtual void setSymbols(std::vector<std::string> symbols)
    {
        m_symbols = std::move(symbols);
        m_streamed = std::unordered_set<std::string>(m_symbols.begin(), m_symbols.end());
    }
    [[nodiscard]] const std::vector<std::string>& symbols() const { return m_symbols; }
    [[nodiscard]] bool streams(const std::string& symbol) const { return m_streamed.contains(symbol); }
    /// True for a name the venues could list: 1–40 ASCII letters, digits, '-', '_', '.' or ':'
    /// (Hyperliquid's "dex:COIN"). Anything else cannot be subscribed to as it is (a space would
    /// break Binance's URL) and is not asked for; non-ASCII names among them.
    static bool isSymbolName(std::string_view symbol);
    /// The path and query to open the stream at on the venue's public WebSocket host
    /// (Binance names its streams in the URL: `/market/stream?streams=btcusdt@markPrice@1s`).
    [[nodiscard]] virtual std::string streamPath() const = 0;
    /// Text frames to send once connected (and again after every reconnect).
    [[nodiscard]] virtual std::vector<std::string> subscribeMessages() const = 0;
    /// Text frames that add `added` to an open connection's subscriptions (call after setSymbols()
    /// with every symbol, `added` included). By default the subscribe messages of those symbols alone.
    [[nodiscard]] virtual std::vector<std::string> runtimeSubscribeMessages(const std::vector<std::string>& added) const;
    [[nodiscard]] virtual KeepAlive keepAlive() const = 0;
    /// The longest a healthy stream stays silent for one symbol; stale after three times this.
    [[nodiscard]] virtual std::chrono::milliseconds expectedInterval() const = 0;
    /// When to replace a connection before the venue ends it (0: the venue sets no limit).
    [[nodiscard]] virtual std::chrono::milliseconds maxConnectionAge() const { return std::chrono::milliseconds(0); }
    /// Reads one text frame. Ticks are appended to `ticks` (a frame may carry several).
    virtual FeedMessage parse(std::string_view frame, ReceiveTime receivedAt, std::vector<MarkTick>& ticks) = 0;

    /// The protocol for a venue's public mark prices; nullptr for Venue::Generic (no stream).
    static std::unique_ptr<MarkPriceProtocol> forVenue(Venue venue);

private:
    std::vector<std::string> m_symbols;
    std::unordered_set<std::string> m_streamed; ///< m_symbols, for the check on every frame
};

} // namespace mm
