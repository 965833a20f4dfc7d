#pragma once

#include "net/ws_session.h"
#include "venues/mark_price_protocol.h"

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace mm {

/// What a feed has seen, for the status bar and the logs.
struct FeedCounters {
    std::uint64_t frames = 0;
    std::uint64_t ticks = 0;
    std::uint64_t malformed = 0;   ///< frames the venue's protocol could not read (the connection is kept)
    std::uint64_t venueErrors = 0; ///< errors the venue reported (bad symbol, bad request)
    std::uint64_t notices = 0;     ///< e.g. OKX's "reconnect soon"
    std::uint64_t unstreamable = 0; ///< position symbols that cannot be subscribed to (not a symbol name)
    std::string lastProblem;       ///< the latest malformed frame or venue error, in words
};

/// One venue's public mark prices: a WsSession speaking the venue's MarkPriceProtocol. Frames
/// become MarkTicks on the session's thread; broken frames are counted and reported, never fatal.
class MarkPriceFeed {
public:
    struct Options {
        Venue venue = Venue::Generic;
        WsUrl baseUrl;  ///< scheme, host and port; the protocol supplies the path
        std::vector<std::string> symbols;
        TlsTrust trust; ///< see WsOptions::trust
        std::chrono::milliseconds idleTimeout{std::chrono::seconds(60)};
        std::chrono::milliseconds backoffInitial{std::chrono::milliseconds(250)};
        /// Overrides the protocol's connection age limit (0: never roll over).
        std::optional<std::chrono::milliseconds> maxConnectionAge;
        /// The clock connection ages run on (null: real time; tests cross Binance's 24 hours on an
        /// accelerated one, see ScaledClock).
        std::shared_ptr<const Clock> clock;
    };
    struct Callbacks {
        std::function<void(const MarkTick&)> onTick;
        std::function<void(const WsStats&)> onState;
        std::function<void(const std::string& problem)> onProblem; ///< malformed frames, venue errors, notices
    };

    /// Throws std::invalid_argument for a venue without a stream or an unusable CA file.
    MarkPriceFeed(boost::asio::io_context& io, Options options, Callbacks callbacks);
    ~MarkPriceFeed();
    MarkPriceFeed(const MarkPriceFeed&) = delete;
    MarkPriceFeed& operator=(const MarkPriceFeed&) = delete;

    void start();
    void stop();
    /// Streams `symbols` too, from now on and after every reconnect: the open connection gets the
    /// venue's runtime subscribe, so the symbols already streaming see no gap. Symbols already
    /// streamed are ignored; a name that cannot be a symbol (see MarkPriceProtocol::isSymbolName) is
    /// not asked for, and said through onProblem. Call on the io_context's thread.
    void watch(const std::vector<std::string>& symbols);
    [[nodiscard]] const std::vector<std::string>& symbols() const { return m_protocol->symbols(); }
    [[nodiscard]] Venue venue() const { return m_venue; }
    [[nodiscard]] WsStats connection() const;
    [[nodiscard]] FeedCounters counters() const;

private:
    void onFrame(std::string_view frame, MonotonicTime receivedAt);
    /// `symbols` without names that cannot be subscribed to (a space would break Binance's URL and
    /// every reconnect with it); those are kept in m_unstreamable to be said.
    std::vector<std::string> streamable(std::vector<std::string> symbols);
    void reportUnstreamable();

    Venue m_venue;
    std::unique_ptr<MarkPriceProtocol> m_protocol;
    Callbacks m_callbacks;
    std::shared_ptr<WsSession> m_session;
    std::vector<MarkTick> m_ticks; ///< reused per frame
    std::vector<std::string> m_unstreamable; ///< problems not said yet
    std::set<std::string> m_refusedNames;    ///< every name refused so far
    mutable std::mutex m_countersMutex;
    FeedCounters m_counters;
};

} // namespace mm
