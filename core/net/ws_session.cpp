#include "net/ws_session.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <algorithm>
#include <cmath>
#include <deque>
#include <mutex>
#include <random>
#include <stdexcept>

namespace mm {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

std::string_view connectionStateName(ConnectionState state)
{
    switch (state) {
    case ConnectionState::Connecting:
        return "connecting";
    case ConnectionState::Open:
        return "open";
    case ConnectionState::Reconnecting:
        return "reconnecting";
    case ConnectionState::Stopped:
        return "stopped";
    }
    return "unknown";
}

namespace {

using Strand = asio::strand<asio::io_context::executor_type>;
using PlainStream = websocket::stream<beast::tcp_stream>;
using TlsStream = websocket::stream<beast::ssl_stream<beast::tcp_stream>>;

constexpr std::string_view kUserAgent = "margin-monitor";

/// One connection attempt: its stream, read buffer and write queue. Handlers hold it alive, so a
/// replaced connection is freed only once its last operation has completed.
template <typename Stream>
struct Connection {
    template <typename... Args>
    explicit Connection(Args&&... args) : stream(std::forward<Args>(args)...)
    {
    }
    Stream stream;
    beast::flat_buffer buffer;
    std::deque<std::string> queue;
    bool writing = false;
    bool open = false;
    bool successor = false; ///< opened to replace the current connection before it gets too old
};

template <typename Stream>
class BasicWsSession final : public WsSession, public std::enable_shared_from_this<BasicWsSession<Stream>> {
public:
    BasicWsSession(asio::io_context& io, WsOptions options, WsCallbacks callbacks, std::shared_ptr<ssl::context> tls)
        : m_strand(asio::make_strand(io)), m_resolver(m_strand), m_retryTimer(m_strand), m_keepAliveTimer(m_strand),
          m_rolloverTimer(m_strand), m_options(std::move(options)), m_callbacks(std::move(callbacks)), m_tls(std::move(tls)),
          m_random(std::random_device{}())
    {
    }

    void start() override
    {
        asio::post(m_strand, [self = this->shared_from_this()] {
            if (!self->m_stopped) {
                return;
            }
            self->m_stopped = false;
            self->connect(false);
        });
    }

    void stop() override
    {
        asio::post(m_strand, [self = this->shared_from_this()] {
            if (self->m_stopped) {
                return;
            }
            self->m_stopped = true;
            self->m_retryTimer.cancel();
            self->m_keepAliveTimer.cancel();
            self->m_rolloverTimer.cancel();
            self->m_resolver.cancel();
            self->retire(self->m_connection);
            self->retire(self->m_successor);
            self->m_connection = nullptr;
            self->m_successor = nullptr;
            self->setState(ConnectionState::Stopped, {});
        });
    }

    void send(std::string text) override
    {
        asio::post(m_strand, [self = this->shared_from_this(), text = std::move(text)]() mutable {
            if (!self->m_connection || !self->m_connection->open) {
                return; // the opening messages are sent again on the next connect
            }
            self->m_connection->queue.push_back(std::move(text));
            self->writeNext(self->m_connection);
        });
    }

    void reconnectNow() override
    {
        asio::post(m_strand, [self = this->shared_from_this()] {
            if (self->m_connection) {
                self->fail(self->m_connection, "reconnect requested");
            }
        });
    }

    void rollOverNow() override
    {
        asio::post(m_strand, [self = this->shared_from_this()] {
            if (!self->m_stopped && self->m_connection && self->m_connection->open && !self->m_successor) {
                self->connect(true);
            }
        });
    }

    void changeSubscriptions(std::string target, std::vector<std::string> openingMessages,
                             std::vector<std::string> sendNow) override
    {
        asio::post(m_strand, [self = this->shared_from_this(), target = std::move(target),
                              openingMessages = std::move(openingMessages), sendNow = std::move(sendNow)]() mutable {
            const bool targetChanged = target != self->m_options.url.target;
            self->m_options.url.target = std::move(target);
            self->m_options.openingMessages = std::move(openingMessages);
            if (self->m_stopped) {
                return;
            }
            for (const ConnectionPtr& connection : {self->m_connection, self->m_successor}) {
                if (!connection) {
                    continue;
                }
                if (connection->open) {
                    connection->queue.insert(connection->queue.end(), sendNow.begin(), sendNow.end());
                    self->writeNext(connection);
                } else if (targetChanged && connection == self->m_connection) {
                    self->fail(connection, "subscriptions changed while connecting");
                }
            }
        });
    }

    [[nodiscard]] WsStats stats() const override
    {
        const std::lock_guard lock(m_statsMutex);
        return m_stats;
    }

private:
    using ConnectionPtr = std::shared_ptr<Connection<Stream>>;
    static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

    /// Handlers of a connection that is neither current nor the successor do nothing.
    [[nodiscard]] bool live(const ConnectionPtr& connection) const
    {
        return !m_stopped && connection && (connection == m_connection || connection == m_successor);
    }

    ConnectionPtr makeConnection()
    {
        if constexpr (kTls) {
            return std::make_shared<Connection<Stream>>(m_strand, *m_tls);
        } else {
            return std::make_shared<Connection<Stream>>(m_strand);
        }
    }

    /// Dials a new connection: the current one, or (`successor`) its replacement, opened while the
    /// current one still delivers, so that a roll-over leaves no gap.
    void connect(bool successor)
    {
        auto connection = makeConnection();
        connection->successor = successor;
        (successor ? m_successor : m_connection) = connection;
        m_resolver.async_resolve(
            m_options.url.host, m_options.url.port,
            [self = this->shared_from_this(), connection](beast::error_code error, tcp::resolver::results_type results) {
                if (!self->live(connection)) {
                    return;
                }
                if (error) {
                    return self->fail(connection, "cannot resolve " + self->m_options.url.host + ": " + error.message());
                }
                auto& socket = beast::get_lowest_layer(connection->stream);
                socket.expires_after(self->m_options.connectTimeout);
                socket.async_connect(results, [self, connection](beast::error_code connectError, const tcp::endpoint&) {
                    if (!self->live(connection)) {
                        return;
                    }
                    if (connectError) {
                        return self->fail(connection, "cannot connect to " + self->m_options.url.host + ":" +
                                                          self->m_options.url.port + ": " + connectError.message());
                    }
                    self->secure(connection);
                });
            });
    }

    void secure(const ConnectionPtr& connection)
    {
        if constexpr (kTls) {
            auto& tlsStream = connection->stream.next_layer();
            const std::string& host = m_options.url.host;
            if (!expectPeer(tlsStream, host)) {
                return fail(connection, "cannot set the TLS server name for " + host);
            }
            tlsStream.async_handshake(ssl::stream_base::client, [self = this->shared_from_this(), connection](beast::error_code error) {
                if (!self->live(connection)) {
                    return;
                }
                if (error) {
                    return self->fail(connection, "TLS handshake with " + self->m_options.url.host + " failed: " +
                                                      describeTlsError(error));
                }
                self->upgrade(connection);
            });
        } else {
            upgrade(connection);
        }
    }

    void upgrade(const ConnectionPtr& connection)
    {
        beast::get_lowest_layer(connection->stream).expires_never(); // the websocket's own timeouts from here
        websocket::stream_base::timeout timeouts{};
        timeouts.handshake_timeout = m_options.connectTimeout;
        timeouts.idle_timeout = m_options.idleTimeout;
        timeouts.keep_alive_pings = false; // each venue has its own keep-alive (KeepAlive)
        connection->stream.set_option(timeouts);
        connection->stream.set_option(websocket::stream_base::decorator(
            [](websocket::request_type& request) { request.set(beast::http::field::user_agent, kUserAgent); }));
        connection->stream.read_message_max(16 * 1024 * 1024);
        const std::string hostHeader = m_options.url.host + ":" + m_options.url.port;
        connection->stream.async_handshake(hostHeader, m_options.url.target,
                                           [self = this->shared_from_this(), connection](beast::error_code error) {
                                               if (!self->live(connection)) {
                                                   return;
                                               }
                                               if (error) {
                                                   return self->fail(connection, "WebSocket handshake with " +
                                                                                     self->m_options.url.toString() +
                                                                                     " failed: " + error.message());
                                               }
                                               self->opened(connection);
                                           });
    }

    void opened(const ConnectionPtr& connection)
    {
        connection->open = true;
        {
            const std::lock_guard lock(m_statsMutex);
            ++m_stats.connects;
        }
        for (const std::string& message : m_options.openingMessages) {
            connection->queue.push_back(message);
        }
        writeNext(connection);
        read(connection);
        if (!connection->successor) {
            becameCurrent();
            setState(ConnectionState::Open, {});
        }
    }

    /// The connection in m_connection now carries the stream: keep it alive, and plan its roll-over.
    void becameCurrent()
    {
        ++m_currentEpoch;
        m_openedAt = std::chrono::steady_clock::now();
        scheduleKeepAlive(m_currentEpoch);
        if (m_options.maxConnectionAge.count() > 0) {
            const auto age = std::chrono::nanoseconds(m_options.maxConnectionAge);
            m_rolloverTimer.expires_after(m_options.clock ? m_options.clock->realTimeFor(age) : age);
            m_rolloverTimer.async_wait([self = this->shared_from_this(), epoch = m_currentEpoch](beast::error_code error) {
                if (!error && !self->m_stopped && epoch == self->m_currentEpoch && !self->m_successor) {
                    self->connect(true);
                }
            });
        }
    }

    /// The successor has delivered its first frame: it takes over, the old connection is closed.
    void promote(const ConnectionPtr& successor)
    {
        ConnectionPtr old = m_connection;
        m_connection = successor;
        m_successor = nullptr;
        successor->successor = false;
        retire(old);
        {
            const std::lock_guard lock(m_statsMutex);
            ++m_stats.rollovers;
        }
        becameCurrent();
    }

    void read(const ConnectionPtr& connection)
    {
        connection->stream.async_read(connection->buffer, [self = this->shared_from_this(), connection](beast::error_code error, std::size_t) {
            if (!self->live(connection)) {
                return;
            }
            if (error) {
                const std::string why = error == websocket::error::closed
                                            ? "closed by the server (" +
                                                  std::string(connection->stream.reason().reason.data(),
                                                              connection->stream.reason().reason.size()) +
                                                  ")"
                                        : error == beast::error::timeout ? "nothing received for the idle timeout"
                                                                         : error.message();
                return self->fail(connection, "connection to " + self->m_options.url.host + " lost: " + why);
            }
            if (connection->successor) {
                self->promote(connection);
            }
            // The back-off starts again only once a connection delivers: a venue that accepts and
            // hangs up at once is not redialled at the shortest step forever.
            self->m_backoffStep = 0;
            const MonotonicTime receivedAt = std::chrono::steady_clock::now();
            {
                const std::lock_guard lock(self->m_statsMutex);
                ++self->m_stats.framesReceived;
                self->m_stats.lastFrameAt = receivedAt;
            }
            const auto data = connection->buffer.cdata();
            if (self->m_callbacks.onFrame) {
                self->m_callbacks.onFrame(std::string_view(static_cast<const char*>(data.data()), data.size()), receivedAt);
            }
            connection->buffer.consume(connection->buffer.size());
            if (self->live(connection)) {
                self->read(connection);
            }
        });
    }

    void writeNext(const ConnectionPtr& connection)
    {
        if (connection->writing || connection->queue.empty() || !connection->open) {
            return;
        }
        connection->writing = true;
        connection->stream.text(true);
        connection->stream.async_write(asio::buffer(connection->queue.front()),
                                       [self = this->shared_from_this(), connection](beast::error_code error, std::size_t) {
                                           connection->writing = false;
                                           if (!self->live(connection)) {
                                               return;
                                           }
                                           if (error) {
                                               return self->fail(connection, "cannot send to " + self->m_options.url.host +
                                                                                 ": " + error.message());
                                           }
                                           connection->queue.pop_front();
                                           self->writeNext(connection);
                                       });
    }

    /// SendEvery: the message every interval. SendWhenIdle: the message once nothing has arrived for
    /// the interval — the timer is set for the moment that happens (OKX closes at 30 s of silence and
    /// asks for the ping before, so it must not go out late), and again after each ping.
    void scheduleKeepAlive(std::uint64_t epoch, std::chrono::nanoseconds wait = std::chrono::nanoseconds(-1))
    {
        const KeepAlive& keepAlive = m_options.keepAlive;
        if (keepAlive.mode == KeepAlive::Mode::AnswerServerPings || keepAlive.interval.count() <= 0) {
            return;
        }
        m_keepAliveTimer.expires_after(wait.count() >= 0 ? wait : std::chrono::nanoseconds(keepAlive.interval));
        m_keepAliveTimer.async_wait([self = this->shared_from_this(), epoch](beast::error_code error) {
            if (error || self->m_stopped || epoch != self->m_currentEpoch || !self->m_connection) {
                return;
            }
            const KeepAlive& alive = self->m_options.keepAlive;
            const auto interval = std::chrono::nanoseconds(alive.interval);
            if (alive.mode == KeepAlive::Mode::SendWhenIdle) {
                const MonotonicTime lastFrameAt = self->stats().lastFrameAt;
                const auto idle = std::chrono::steady_clock::now() - std::max(lastFrameAt, self->m_openedAt);
                if (idle < interval) {
                    return self->scheduleKeepAlive(epoch, interval - idle); // something arrived meanwhile
                }
            }
            self->m_connection->queue.push_back(alive.message);
            self->writeNext(self->m_connection);
            self->scheduleKeepAlive(epoch, interval);
        });
    }

    void fail(const ConnectionPtr& connection, std::string why)
    {
        if (!live(connection)) {
            return;
        }
        if (connection == m_successor) {
            // The replacement did not come up: the current connection goes on; try again later.
            m_successor = nullptr;
            retire(connection);
            const std::lock_guard lock(m_statsMutex);
            m_stats.lastError = "roll-over connection failed: " + why;
            return;
        }
        if (m_successor && m_successor->open) {
            promote(m_successor); // the replacement is already up: no gap
            return;
        }
        retire(connection);
        m_connection = nullptr;
        retire(m_successor);
        m_successor = nullptr;
        ++m_currentEpoch;
        m_keepAliveTimer.cancel();
        m_rolloverTimer.cancel();
        {
            const std::lock_guard lock(m_statsMutex);
            ++m_stats.reconnects;
        }
        setState(ConnectionState::Reconnecting, std::move(why));
        // Capped exponential back-off with jitter (50–100 % of the step), so that many clients
        // dropped together do not redial together.
        const double step = std::min<double>(static_cast<double>(m_options.backoffMax.count()),
                                             static_cast<double>(m_options.backoffInitial.count()) * std::pow(2.0, m_backoffStep));
        ++m_backoffStep;
        const double jitter = std::uniform_real_distribution<double>(0.5, 1.0)(m_random);
        m_retryTimer.expires_after(std::chrono::milliseconds(static_cast<std::int64_t>(step * jitter)));
        m_retryTimer.async_wait([self = this->shared_from_this()](beast::error_code error) {
            if (!error && !self->m_stopped && !self->m_connection) {
                self->connect(false);
            }
        });
    }

    /// Closes a connection for good; its pending handlers find it no longer live.
    void retire(const ConnectionPtr& connection)
    {
        if (connection) {
            beast::error_code ignored;
            beast::get_lowest_layer(connection->stream).socket().close(ignored);
            connection->open = false;
        }
    }

    void setState(ConnectionState state, std::string why)
    {
        WsStats copy;
        {
            const std::lock_guard lock(m_statsMutex);
            m_stats.state = state;
            if (!why.empty()) {
                m_stats.lastError = std::move(why);
            }
            copy = m_stats;
        }
        if (m_callbacks.onStateChange) {
            m_callbacks.onStateChange(copy);
        }
    }

    Strand m_strand;
    tcp::resolver m_resolver;
    asio::steady_timer m_retryTimer;
    asio::steady_timer m_keepAliveTimer;
    asio::steady_timer m_rolloverTimer;
    WsOptions m_options;
    WsCallbacks m_callbacks;
    std::shared_ptr<ssl::context> m_tls;
    std::mt19937 m_random;
    ConnectionPtr m_connection; ///< the one carrying the stream (or being dialled)
    ConnectionPtr m_successor;  ///< its replacement, while a roll-over is under way
    std::uint64_t m_currentEpoch = 0;
    MonotonicTime m_openedAt{}; ///< when the current connection took over (idle is counted from there at most)
    int m_backoffStep = 0;
    bool m_stopped = true;
    mutable std::mutex m_statsMutex;
    WsStats m_stats;
};

} // namespace

std::shared_ptr<WsSession> WsSession::create(asio::io_context& io, WsOptions options, WsCallbacks callbacks)
{
    if (!options.url.tls && !isLoopbackHost(options.url.host)) {
        // A WsUrl built by hand skips WsUrl::parse's check; this one cannot be skipped.
        throw std::invalid_argument("unencrypted ws:// to " + options.url.host + " is refused: only loopback addresses may; use wss://");
    }
    if (options.url.tls) {
        auto tls = makeClientTlsContext(options.trust);
        return std::make_shared<BasicWsSession<TlsStream>>(io, std::move(options), std::move(callbacks), std::move(tls));
    }
    return std::make_shared<BasicWsSession<PlainStream>>(io, std::move(options), std::move(callbacks), nullptr);
}

} // namespace mm
