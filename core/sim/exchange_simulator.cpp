#include "sim/exchange_simulator.h"

#include "money/clock.h"
#include "sim/order_api.h"
#include "sim/private_api.h"
#include "sim/private_streams.h"
#include "sim/rest_api.h"
#include "sim/venue_servers.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <array>
#include <atomic>
#include <deque>
#include <functional>
#include <future>
#include <optional>
#include <stdexcept>
#include <thread>

#include <sys/resource.h>
#include <vector>

namespace mm::sim {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

/// What a client that does not validate its input would choke on: truncated JSON, wrong types, a
/// proxy's HTML error page, missing fields. (Always valid UTF-8: a text frame that is not must fail
/// the connection, RFC 6455 §8.1, and Beast does so — that is a drop, not a malformed frame.)
constexpr std::array<std::string_view, 10> kMalformedFrames{
    R"({"e":"markPriceUpdate","E":1562305380000,"s":"BTCUSDT","p":"117)",
    R"([1,2,)",
    R"({"e":"markPriceUpdate","s":7,"p":{"nested":true}})",
    "<html><body><h1>502 Bad Gateway</h1></body></html>",
    R"(null)",
    R"({"topic":"tickers.BTCUSDT","type":"snapshot","data":[1],"arg":{"channel":"mark-price"},"channel":"activeAssetCtx"})",
    // Topics nobody subscribed to, one per venue (each malformed for the other venues too).
    R"({"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":1,"s":"BTCUSDT","p":"1"}})",
    R"({"topic":"orderbook.1.BTCUSDT","type":"snapshot","ts":1,"data":{"s":"BTCUSDT","b":[],"a":[]}})",
    R"({"arg":{"channel":"trades","instId":"BTC-USDT-SWAP"},"data":[]})",
    R"({"channel":"allMids","data":{"mids":{"BTC":"64020.5"}}})",
};

/// The simulated exchange's wall clock in Unix ms: this machine's, shifted by SimulatorOptions::clockSkew.
std::int64_t nowMs(std::chrono::milliseconds skew)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch() + skew).count();
}

/// The parts of a connection the simulator drives from its push timer.
class PushTarget {
public:
    virtual ~PushTarget() = default;
    virtual void push(PriceBook& book, bool stalled) = 0;
    virtual void close() = 0;
    virtual void corruptNext(int frames) = 0;
    /// OKX: the 64008 notice now, the connection closed `closeAfter` later.
    virtual void announceUpgrade(std::chrono::milliseconds closeAfter) = 0;
};

/// The REST side's faults and counters (faults used on the simulator's thread only).
struct RestState {
    int failStatus = 0;
    int failCount = 0;         ///< the next this many requests answer failStatus
    int sinceScheduledError = 0;
    std::atomic<std::uint64_t> connections{0};
    std::atomic<std::uint64_t> answered{0};

    /// The error status the next request gets, if any.
    std::optional<int> takeFault(const Faults& faults)
    {
        if (failCount > 0) {
            --failCount;
            return failStatus;
        }
        if (faults.restErrorEvery > 0 && ++sinceScheduledError >= faults.restErrorEvery) {
            sinceScheduledError = 0;
            return faults.restErrorStatus;
        }
        return std::nullopt;
    }
};

/// What every connection shares with the simulator (all used on its one thread).
struct SharedState {
    std::vector<std::weak_ptr<PushTarget>>& registry;
    std::atomic<std::uint64_t>& pushed;
    const std::atomic<bool>& stalled;
    const SimulatorOptions& options;
    PriceBook& book;
    RestState& rest;
    const Clock& clock; ///< the simulated clock (ScaledClock)
    PrivateStreams& privates; ///< the keyed venues' accounts, listenKeys and private streams
    OrderApi& orders;         ///< the keyed venues' order endpoints and their journal
};

template <typename Stream>
class SimConnection final : public PushTarget, public std::enable_shared_from_this<SimConnection<Stream>> {
public:
    SimConnection(Stream stream, SharedState shared)
        : m_stream(std::move(stream)), m_registry(shared.registry), m_pushed(shared.pushed), m_stalled(shared.stalled),
          m_options(shared.options), m_book(shared.book), m_rest(shared.rest), m_clock(shared.clock),
          m_privates(shared.privates), m_orders(shared.orders)
    {
    }

    void run()
    {
        if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
            beast::get_lowest_layer(*m_stream).expires_after(std::chrono::seconds(10));
            m_stream->async_handshake(ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code error) {
                if (!error) {
                    self->readRequest();
                }
            });
        } else {
            readRequest();
        }
    }

    void push(PriceBook& book, bool stalled) override
    {
        // A client that does not keep up is not buried: past a backlog, pushes to it are skipped.
        constexpr std::size_t kMaxBacklog = 512;
        if (!m_ws || !m_venue) {
            return;
        }
        const Venue venue = m_venue->venue();
        VenueKeepAlive rule = venueKeepAlive(venue);
        if (const auto limit = m_options.silenceLimits.find(venue); limit != m_options.silenceLimits.end()) {
            rule.silenceLimit = limit->second;
        }
        const auto now = std::chrono::steady_clock::now();
        if (m_hangingUp) {
            return;
        }
        using Rule = VenueKeepAlive::Rule;
        const bool dead = rule.rule == Rule::NothingEitherWay       ? now - m_lastTraffic > rule.silenceLimit
                          : rule.rule == Rule::NothingFromTheClient ? now - m_lastFromClient > rule.silenceLimit
                                                                    : m_unansweredSince && now - *m_unansweredSince > rule.silenceLimit;
        if (dead) {
            return hangUp(venue); // not kept alive: the venue hangs up
        }
        if (stalled || m_outgoing.size() > kMaxBacklog) {
            return;
        }
        const auto pingEvery = venue == Venue::BinanceUsdm ? m_options.binancePingInterval : m_venue->serverPingInterval();
        if (pingEvery.count() > 0 && now - m_lastPing >= pingEvery && !m_pinging) {
            m_lastPing = now; // a control frame: allowed beside a write in flight, one at a time
            m_unansweredSince = m_unansweredSince.value_or(now);
            m_pinging = true;
            m_ws->async_ping({}, [self = this->shared_from_this()](beast::error_code) { self->m_pinging = false; });
        }
        const auto ageLimit = m_options.binanceConnectionLimit;
        if (m_venue->venue() == Venue::BinanceUsdm && ageLimit.count() > 0 && m_clock.now() - m_openedAt > ageLimit) {
            close(); // as Binance does at 24 hours
            return;
        }
        auto frames = m_venue->pushFrames(book, nowMs(m_options.clockSkew));
        const int malformedEvery = m_options.faults.malformedEvery;
        for (std::string& frame : frames) {
            const bool scheduled = malformedEvery > 0 && ++m_sinceMalformed >= malformedEvery;
            if (m_corrupt > 0 || scheduled) {
                m_corrupt = std::max(0, m_corrupt - 1);
                m_sinceMalformed = scheduled ? 0 : m_sinceMalformed;
                frame = std::string(kMalformedFrames[m_corruptIndex++ % kMalformedFrames.size()]);
            }
            ++m_pushed;
        }
        const auto delay = m_options.faults.frameDelay;
        if (delay.count() <= 0) {
            for (std::string& frame : frames) {
                send(std::move(frame));
            }
            return;
        }
        // Delayed frames: sent late, in order.
        auto timer = std::make_shared<asio::steady_timer>(m_ws->get_executor(), delay);
        timer->async_wait([self = this->shared_from_this(), timer, frames = std::move(frames)](beast::error_code error) mutable {
            if (!error) {
                for (std::string& frame : frames) {
                    self->send(std::move(frame));
                }
            }
        });
    }

    void close() override
    {
        if (m_ws) {
            beast::error_code ignored;
            beast::get_lowest_layer(*m_ws).socket().close(ignored);
        } else if (m_stream) {
            beast::error_code ignored;
            beast::get_lowest_layer(*m_stream).socket().close(ignored);
        }
    }

    void corruptNext(int frames) override { m_corrupt += frames; }

    void announceUpgrade(std::chrono::milliseconds closeAfter) override
    {
        if (!m_ws || !m_venue || m_venue->venue() != Venue::OkxSwap) {
            return;
        }
        send(R"({"event":"notice","code":"64008","msg":"The connection will soon be closed for a service upgrade. Please reconnect.","connId":"sim00001"})");
        auto timer = std::make_shared<asio::steady_timer>(m_ws->get_executor(), closeAfter);
        timer->async_wait([self = this->shared_from_this(), timer](beast::error_code) { self->close(); });
    }

private:
    /// Ends a connection the client did not keep alive as the venue does: OKX with close code 4004
    /// (then the socket, whether or not the client answers the close), the others by closing it.
    void hangUp(Venue venue)
    {
        m_hangingUp = true;
        if (venue != Venue::OkxSwap || m_pinging) {
            return close();
        }
        websocket::close_reason reason(static_cast<websocket::close_code>(4004));
        reason.reason = "No data received in 30s.";
        m_ws->async_close(reason,
                          [self = this->shared_from_this()](beast::error_code) { self->close(); });
        auto timer = std::make_shared<asio::steady_timer>(m_ws->get_executor(), std::chrono::milliseconds(200));
        timer->async_wait([self = this->shared_from_this(), timer](beast::error_code) { self->close(); });
    }

    void readRequest()
    {
        // The first request within 10 s; then an idle keep-alive connection is closed after restIdleTimeout.
        beast::get_lowest_layer(*m_stream).expires_after(m_servedRest ? m_options.restIdleTimeout : std::chrono::seconds(10));
        m_request = {};
        http::async_read(*m_stream, m_buffer, m_request, [self = this->shared_from_this()](beast::error_code error, std::size_t) {
            if (!error) {
                self->route();
            }
        });
    }

    void route()
    {
        const std::string target(m_request.target());
        if (!websocket::is_upgrade(m_request)) {
            return serveRest();
        }
        m_venue = VenueServer::forPath(target, m_options.unlistedSymbols);
        if (!m_venue) {
            // The keyed venues' private streams: an unknown listenKey is refused at the handshake.
            PrivateStreams::Opening opening = m_privates.open(target);
            if (opening.refusal) {
                return refuseUpgrade(std::move(*opening.refusal));
            }
            m_venue = std::move(opening.server);
        }
        if (!m_venue || (!m_options.venues.empty() && !m_options.venues.contains(m_venue->venue()))) {
            m_venue.reset();
            return serveRest();
        }
        beast::get_lowest_layer(*m_stream).expires_never();
        m_ws.emplace(std::move(*m_stream));
        m_stream.reset();
        m_ws->set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
        m_ws->async_accept(m_request, [self = this->shared_from_this()](beast::error_code error) {
            if (error) {
                return;
            }
            self->m_registry.push_back(self);
            self->m_openedAt = self->m_clock.now();
            self->m_lastTraffic = std::chrono::steady_clock::now();
            self->m_lastFromClient = self->m_lastTraffic;
            self->m_lastPing = self->m_lastTraffic;
            // Pongs (and pings) from the client keep the connection alive too; Beast answers the
            // client's pings by itself.
            self->m_ws->control_callback([weak = std::weak_ptr(self)](websocket::frame_type, beast::string_view) {
                if (const auto connection = weak.lock()) {
                    connection->heardFromClient();
                }
            });
            self->read();
        });
    }

    /// One REST request: answered (late, if the simulator is stalled), then the next one read on the
    /// same connection while the client keeps it alive.
    void serveRest()
    {
        if (!m_servedRest) {
            m_servedRest = true;
            ++m_rest.connections;
            m_registry.push_back(this->shared_from_this()); // so that dropConnections() closes it too
        }
        if (m_stalled) {
            beast::get_lowest_layer(*m_stream).expires_never();
            auto timer = std::make_shared<asio::steady_timer>(beast::get_lowest_layer(*m_stream).get_executor(),
                                                              std::chrono::milliseconds(20));
            timer->async_wait([self = this->shared_from_this(), timer](beast::error_code error) {
                if (!error) {
                    self->serveRest();
                }
            });
            return;
        }
        const std::string target(m_request.target());
        const std::string method(m_request.method_string());
        RestAnswer answer;
        if (const auto fault = m_rest.takeFault(m_options.faults)) {
            answer = restErrorAnswer(*fault, target, nowMs(m_options.clockSkew));
        } else if (auto listenKey = m_privates.listenKeyAnswer(privateRequest())) {
            answer = std::move(*listenKey);
        } else if (auto order = m_orders.answer(privateRequest(), m_privates, m_book, nowMs(m_options.clockSkew))) {
            if (order->holdConnection) {
                return holdConnection();
            }
            answer = std::move(order->answer);
        } else if (auto reply = privateRestAnswer(privateRequest(), m_privates.keys(), m_book, nowMs(m_options.clockSkew))) {
            answer = std::move(*reply);
        } else if (auto body = publicRestBody(method, target, m_request.body(), m_book, nowMs(m_options.clockSkew))) {
            answer.body = std::move(*body);
        } else {
            answer.status = 404;
            answer.body = R"({"code":-1,"msg":"no such endpoint on the simulator"})";
        }
        writeAnswer(std::move(answer), m_request.keep_alive());
    }

    /// OrderFault::Timeout: the order was filled, and its answer never comes. The connection is kept
    /// (nothing more is read from it) until the client gives up and closes it, or two minutes pass.
    void holdConnection()
    {
        beast::get_lowest_layer(*m_stream).expires_after(std::chrono::minutes(2));
        m_request = {};
        http::async_read(*m_stream, m_buffer, m_request, [self = this->shared_from_this()](beast::error_code, std::size_t) {
            self->close(); // the client's next move, or its hanging up: either way, the end
        });
    }

    /// A WebSocket upgrade the venue refuses (Binance: an unknown listenKey): an HTTP answer, then closed.
    void refuseUpgrade(RestAnswer answer)
    {
        if (!m_servedRest) {
            m_servedRest = true;
            m_registry.push_back(this->shared_from_this());
        }
        writeAnswer(std::move(answer), false);
    }

    void writeAnswer(RestAnswer answer, bool keepAlive)
    {
        auto response = std::make_shared<http::response<http::string_body>>();
        response->version(m_request.version());
        response->result(static_cast<unsigned>(answer.status));
        response->set(http::field::server, "margin-monitor-simulator");
        response->set(http::field::content_type, answer.body.starts_with('{') ? "application/json" : "text/plain");
        if (answer.retryAfterSeconds) {
            response->set(http::field::retry_after, std::to_string(*answer.retryAfterSeconds));
        }
        response->body() = std::move(answer.body);
        response->keep_alive(keepAlive);
        response->prepare_payload();
        beast::get_lowest_layer(*m_stream).expires_after(std::chrono::seconds(10));
        ++m_rest.answered; // counted before it is sent, so that a client that has it sees the count
        http::async_write(*m_stream, *response, [self = this->shared_from_this(), response](beast::error_code error, std::size_t) {
            if (error || !response->keep_alive()) {
                return self->close();
            }
            self->readRequest();
        });
    }

    /// The request as the private endpoints check it: method, target, body and every header.
    [[nodiscard]] PrivateRequest privateRequest() const
    {
        PrivateRequest request{m_request.method_string(), m_request.target(), m_request.body(), {}};
        for (const auto& field : m_request) {
            request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
        }
        return request;
    }

    void read()
    {
        m_ws->async_read(m_incoming, [self = this->shared_from_this()](beast::error_code error, std::size_t) {
            if (error) {
                return;
            }
            const std::string text = beast::buffers_to_string(self->m_incoming.data());
            self->m_incoming.consume(self->m_incoming.size());
            self->heardFromClient();
            if (!self->m_stalled) {
                for (std::string& reply : self->m_venue->onMessage(text)) {
                    self->send(std::move(reply));
                }
            }
            self->read();
        });
    }

    void heardFromClient()
    {
        m_lastFromClient = std::chrono::steady_clock::now();
        m_lastTraffic = m_lastFromClient;
        m_unansweredSince.reset(); // a pong, or anything else: the client is there
    }

    void send(std::string frame)
    {
        if (m_hangingUp) {
            return; // nothing may follow the close frame
        }
        m_lastTraffic = std::chrono::steady_clock::now();
        m_outgoing.push_back(std::move(frame));
        if (m_writing) {
            return;
        }
        writeNext();
    }

    void writeNext()
    {
        if (m_outgoing.empty()) {
            m_writing = false;
            return;
        }
        m_writing = true;
        m_ws->text(true);
        m_ws->async_write(asio::buffer(m_outgoing.front()), [self = this->shared_from_this()](beast::error_code error, std::size_t) {
            if (error) {
                self->m_outgoing.clear();
                self->m_writing = false;
                return;
            }
            self->m_outgoing.pop_front();
            self->writeNext();
        });
    }

    std::optional<Stream> m_stream;
    std::optional<websocket::stream<Stream>> m_ws;
    beast::flat_buffer m_buffer;
    beast::flat_buffer m_incoming;
    http::request<http::string_body> m_request;
    std::unique_ptr<VenueServer> m_venue;
    std::deque<std::string> m_outgoing;
    bool m_writing = false;
    int m_corrupt = 0;
    std::size_t m_corruptIndex = 0;
    std::vector<std::weak_ptr<PushTarget>>& m_registry;
    std::atomic<std::uint64_t>& m_pushed;
    const std::atomic<bool>& m_stalled;
    const SimulatorOptions& m_options;
    PriceBook& m_book;
    RestState& m_rest;
    const Clock& m_clock;
    PrivateStreams& m_privates;
    OrderApi& m_orders;
    bool m_servedRest = false;
    int m_sinceMalformed = 0;
    MonotonicTime m_openedAt;   ///< on the simulated clock
    std::chrono::steady_clock::time_point m_lastTraffic; ///< either way; real time: keep-alive is a network matter
    std::chrono::steady_clock::time_point m_lastFromClient; ///< a message, ping or pong from the client
    std::optional<std::chrono::steady_clock::time_point> m_unansweredSince; ///< the first ping not answered yet
    bool m_pinging = false;   ///< a ping in flight (Beast allows one control frame at a time)
    bool m_hangingUp = false; ///< closing for want of keep-alive
    std::chrono::steady_clock::time_point m_lastPing;    ///< the server's last ping (serverPingInterval)
};

} // namespace

class ExchangeSimulator::Impl {
public:
    explicit Impl(SimulatorOptions options)
        : m_options(std::move(options)), m_acceptor(m_io), m_pushTimer(m_io), m_dropTimer(m_io), m_stallTimer(m_io),
          m_book(m_options.seed), m_clock(checkedScale(m_options.timeScale)),
          m_scenario(m_options.scenario, m_options.walk, m_options.replay),
          m_privates(m_options.apiKeys, {m_options.clockSkew, m_options.okxPositionsInterval, m_options.listenKeyValidity}),
          m_orders(m_options.orders)
    {
        for (const auto& [symbol, price] : m_options.startPrices) {
            m_book.setStart(symbol, price);
        }
    }

    ~Impl() { stop(); }

    void start()
    {
        if (!m_options.certificatePem.empty() || !m_options.privateKeyPem.empty()) {
            m_tls = std::make_shared<ssl::context>(ssl::context::tls_server);
            boost::system::error_code error;
            m_tls->use_certificate_chain(asio::buffer(m_options.certificatePem), error);
            if (!error) {
                m_tls->use_private_key(asio::buffer(m_options.privateKeyPem), ssl::context::pem, error);
            }
            if (error) {
                throw std::runtime_error("simulator: cannot use the TLS certificate and key given as PEM text: " + error.message());
            }
        } else if (!m_options.certificateFile.empty() || !m_options.privateKeyFile.empty()) {
            m_tls = std::make_shared<ssl::context>(ssl::context::tls_server);
            boost::system::error_code error;
            m_tls->use_certificate_chain_file(m_options.certificateFile, error);
            if (!error) {
                m_tls->use_private_key_file(m_options.privateKeyFile, ssl::context::pem, error);
            }
            if (error) {
                throw std::runtime_error("simulator: cannot load the TLS certificate " + m_options.certificateFile +
                                         " and key " + m_options.privateKeyFile + ": " + error.message());
            }
        }
        const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), m_options.port);
        boost::system::error_code error;
        m_acceptor.open(endpoint.protocol(), error);
        if (!error) {
            m_acceptor.set_option(asio::socket_base::reuse_address(true), error);
        }
        if (!error) {
            m_acceptor.bind(endpoint, error);
        }
        if (!error) {
            m_acceptor.listen(asio::socket_base::max_listen_connections, error);
        }
        if (error) {
            throw std::runtime_error("simulator: cannot listen on 127.0.0.1:" + std::to_string(m_options.port) + ": " +
                                     error.message());
        }
        m_port = m_acceptor.local_endpoint().port();
        m_startedAt = m_clock.now();
        m_scenario.advanceTo(0, m_book);
        accept();
        schedulePush();
        scheduleFaults();
        m_thread = std::thread([this] {
            if (m_options.niceness != 0) {
                // On Linux a thread is scheduled on its own: PRIO_PROCESS with 0 means this thread.
                setpriority(PRIO_PROCESS, 0, getpriority(PRIO_PROCESS, 0) + m_options.niceness);
            }
            m_io.run();
        });
    }

    void stop()
    {
        if (!m_thread.joinable()) {
            return;
        }
        asio::post(m_io, [this] {
            boost::system::error_code ignored;
            m_acceptor.close(ignored);
            m_pushTimer.cancel();
            m_dropTimer.cancel();
            m_stallTimer.cancel();
            forEachConnection([](PushTarget& target) { target.close(); });
            m_io.stop();
        });
        m_thread.join();
    }

    void onIoThread(std::function<void()> work)
    {
        if (!m_thread.joinable()) {
            work(); // not serving: nothing else touches the state
            return;
        }
        std::promise<void> done;
        asio::post(m_io, [&] {
            work();
            done.set_value();
        });
        done.get_future().wait();
    }

    void forEachConnection(const std::function<void(PushTarget&)>& action)
    {
        std::erase_if(m_connections, [](const auto& weak) { return weak.expired(); });
        for (const auto& weak : m_connections) {
            if (const auto target = weak.lock()) {
                action(*target);
            }
        }
    }

    SimulatorOptions m_options;
    asio::io_context m_io;
    tcp::acceptor m_acceptor;
    asio::steady_timer m_pushTimer;
    asio::steady_timer m_dropTimer;
    asio::steady_timer m_stallTimer;
    PriceBook m_book;
    std::shared_ptr<ssl::context> m_tls;
    std::vector<std::weak_ptr<PushTarget>> m_connections;
    std::atomic<std::uint64_t> m_pushed{0};
    std::atomic<bool> m_stalled{false};
    RestState m_rest;
    std::uint16_t m_port = 0;
    ScaledClock m_clock;
    MarketScenario m_scenario;
    PrivateStreams m_privates;
    OrderApi m_orders;
    MonotonicTime m_startedAt;
    std::thread m_thread;

private:
    static double checkedScale(double scale)
    {
        if (!(scale > 0) || !std::isfinite(scale)) {
            throw std::invalid_argument("simulator: the time scale must be a positive number, not " + std::to_string(scale));
        }
        return scale;
    }

    SharedState shared()
    {
        return {m_connections, m_pushed, m_stalled, m_options, m_book, m_rest, m_clock, m_privates, m_orders};
    }

    void accept()
    {
        m_acceptor.async_accept(asio::make_strand(m_io), [this](beast::error_code error, tcp::socket socket) {
            if (error) {
                return; // closed by stop()
            }
            socket.set_option(tcp::no_delay(true));
            if (m_tls) {
                using Stream = beast::ssl_stream<beast::tcp_stream>;
                std::make_shared<SimConnection<Stream>>(Stream(beast::tcp_stream(std::move(socket)), *m_tls), shared())
                    ->run();
            } else {
                std::make_shared<SimConnection<beast::tcp_stream>>(beast::tcp_stream(std::move(socket)), shared())
                    ->run();
            }
            accept();
        });
    }

    void schedulePush()
    {
        if (m_options.pushInterval.count() == 0) {
            // As fast as it can: one push per turn of the loop, so that writes and reads interleave.
            asio::post(m_io, [this] {
                if (m_acceptor.is_open()) {
                    pushAll();
                    schedulePush();
                }
            });
            return;
        }
        // On a fixed schedule, so that the rate does not drift below 1 / pushInterval under load.
        const auto now = asio::steady_timer::clock_type::now();
        const auto next = m_pushTimer.expiry() + m_options.pushInterval;
        m_pushTimer.expires_at(next < now - m_options.pushInterval ? now + m_options.pushInterval : next);
        m_pushTimer.async_wait([this](beast::error_code error) {
            if (error) {
                return;
            }
            pushAll();
            schedulePush();
        });
    }

    void scheduleFaults()
    {
        const Faults& faults = m_options.faults;
        if (faults.dropEvery.count() > 0) {
            scheduleDrop();
        }
        if (faults.stallEvery.count() > 0 && faults.stallFor.count() > 0) {
            scheduleStall();
        }
    }

    void scheduleDrop()
    {
        m_dropTimer.expires_after(m_options.faults.dropEvery);
        m_dropTimer.async_wait([this](beast::error_code error) {
            if (!error) {
                forEachConnection([](PushTarget& target) { target.close(); });
                scheduleDrop();
            }
        });
    }

    void scheduleStall()
    {
        m_stallTimer.expires_after(m_stalled ? m_options.faults.stallFor : m_options.faults.stallEvery);
        m_stallTimer.async_wait([this](beast::error_code error) {
            if (!error) {
                m_stalled = !m_stalled;
                scheduleStall();
            }
        });
    }

    void pushAll()
    {
        m_scenario.advanceTo(std::chrono::duration<double>(m_clock.now() - m_startedAt).count(), m_book);
        const bool stalled = m_stalled;
        forEachConnection([&](PushTarget& target) { target.push(m_book, stalled); });
    }
};

VenueKeepAlive venueKeepAlive(Venue venue)
{
    using Rule = VenueKeepAlive::Rule;
    switch (venue) {
    case Venue::OkxSwap:
        return {std::chrono::seconds(30), Rule::NothingEitherWay};
    case Venue::Hyperliquid:
        return {std::chrono::seconds(60), Rule::NothingFromTheClient};
    case Venue::BinanceUsdm:
        return {std::chrono::minutes(10), Rule::PingUnanswered};
    case Venue::BybitLinear:
    case Venue::Generic:
        break;
    }
    return {std::chrono::minutes(10), Rule::NothingFromTheClient};
}

ExchangeSimulator::ExchangeSimulator(SimulatorOptions options) : m_impl(std::make_unique<Impl>(std::move(options))) {}

ExchangeSimulator::~ExchangeSimulator() = default;

void ExchangeSimulator::start()
{
    m_impl->start();
}

void ExchangeSimulator::stop()
{
    m_impl->stop();
}

std::uint16_t ExchangeSimulator::port() const
{
    return m_impl->m_port;
}

bool ExchangeSimulator::tls() const
{
    return m_impl->m_tls != nullptr;
}

std::string ExchangeSimulator::baseUrl() const
{
    return std::string(tls() ? "wss" : "ws") + "://127.0.0.1:" + std::to_string(port());
}

void ExchangeSimulator::dropConnections()
{
    m_impl->onIoThread([this] { m_impl->forEachConnection([](PushTarget& target) { target.close(); }); });
}

void ExchangeSimulator::setStartPrices(std::map<std::string, double> prices)
{
    m_impl->onIoThread([this, prices = std::move(prices)] {
        const std::vector<std::string> moving = m_impl->m_book.symbols();
        for (const auto& [symbol, price] : prices) {
            if (price > 0 && std::find(moving.begin(), moving.end(), symbol) == moving.end()) {
                m_impl->m_book.setStart(symbol, price);
            }
        }
    });
}

void ExchangeSimulator::setStalled(bool stalled)
{
    m_impl->m_stalled = stalled;
}

void ExchangeSimulator::announceServiceUpgrade(std::chrono::milliseconds closeAfter)
{
    m_impl->onIoThread([this, closeAfter] {
        m_impl->forEachConnection([closeAfter](PushTarget& target) { target.announceUpgrade(closeAfter); });
    });
}

void ExchangeSimulator::sendMalformed(int frames)
{
    m_impl->onIoThread([this, frames] { m_impl->forEachConnection([frames](PushTarget& target) { target.corruptNext(frames); }); });
}

std::uint64_t ExchangeSimulator::framesPushed() const
{
    return m_impl->m_pushed;
}

void ExchangeSimulator::failRestRequests(int httpStatus, int count)
{
    if (httpStatus != 429 && httpStatus != 418 && httpStatus != 503) {
        throw std::invalid_argument("simulator: REST faults are 429, 418 or 503, not " + std::to_string(httpStatus));
    }
    m_impl->onIoThread([this, httpStatus, count] {
        m_impl->m_rest.failStatus = httpStatus;
        m_impl->m_rest.failCount = count;
    });
}

void ExchangeSimulator::expireListenKey(const std::string& apiKey)
{
    bool known = false;
    m_impl->onIoThread([&] { known = m_impl->m_privates.expireListenKey(apiKey); });
    if (!known) {
        throw std::invalid_argument("simulator: no Binance API key " + apiKey.substr(0, 4) + "… is configured");
    }
}

void ExchangeSimulator::setAccountPosition(const std::string& apiKey, Position position)
{
    bool known = false;
    m_impl->onIoThread([&] { known = m_impl->m_privates.setAccountPosition(apiKey, std::move(position)); });
    if (!known) {
        throw std::invalid_argument("simulator: no API key " + apiKey.substr(0, 4) + "… is configured");
    }
}

void ExchangeSimulator::setAccountWallet(const std::string& apiKey, const Decimal& walletBalance)
{
    bool known = false;
    m_impl->onIoThread([&] { known = m_impl->m_privates.setAccountWallet(apiKey, walletBalance); });
    if (!known) {
        throw std::invalid_argument("simulator: no API key " + apiKey.substr(0, 4) + "… is configured");
    }
}

void ExchangeSimulator::pushMarginCall(const std::string& apiKey)
{
    bool known = false;
    m_impl->onIoThread([&] { known = m_impl->m_privates.pushMarginCall(apiKey); });
    if (!known) {
        throw std::invalid_argument("simulator: no API key " + apiKey.substr(0, 4) + "… is configured");
    }
}

std::vector<PrivateJournalEntry> ExchangeSimulator::privateJournal() const
{
    std::vector<PrivateJournalEntry> journal;
    m_impl->onIoThread([&] { journal = m_impl->m_privates.journal(); });
    return journal;
}

void ExchangeSimulator::failNextOrders(Venue venue, OrderFault fault, int count)
{
    m_impl->onIoThread([&] { m_impl->m_orders.failNextOrders(venue, fault, count); });
}

std::vector<SimulatedOrder> ExchangeSimulator::orders() const
{
    std::vector<SimulatedOrder> orders;
    m_impl->onIoThread([&] { orders = m_impl->m_orders.orders(); });
    return orders;
}

std::uint64_t ExchangeSimulator::restConnectionsAccepted() const
{
    return m_impl->m_rest.connections;
}

std::uint64_t ExchangeSimulator::restRequestsAnswered() const
{
    return m_impl->m_rest.answered;
}

} // namespace mm::sim
