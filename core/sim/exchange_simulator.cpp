#include "sim/exchange_simulator.h"

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
#include <array>
#include <atomic>
#include <deque>
#include <functional>
#include <future>
#include <optional>
#include <stdexcept>
#include <thread>
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
constexpr std::array<std::string_view, 6> kMalformedFrames{
    R"({"e":"markPriceUpdate","E":1562305380000,"s":"BTCUSDT","p":"117)",
    R"([1,2,)",
    R"({"e":"markPriceUpdate","s":7,"p":{"nested":true}})",
    "<html><body><h1>502 Bad Gateway</h1></body></html>",
    R"(null)",
    R"({"topic":"tickers.BTCUSDT","type":"snapshot","data":[1],"arg":{"channel":"mark-price"},"channel":"activeAssetCtx"})",
};

std::int64_t nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

/// The instruments every venue lists: the symbols its clients asked about, and a few majors.
std::vector<std::string> instrumentUniverse(PriceBook& book)
{
    std::vector<std::string> symbols = book.symbols();
    for (const char* major : {"BTCUSDT", "ETHUSDT", "SOLUSDT"}) {
        if (std::find(symbols.begin(), symbols.end(), major) == symbols.end()) {
            symbols.emplace_back(major);
        }
    }
    return symbols;
}

std::string tickFor(double price)
{
    return price >= 1000 ? "0.10" : (price >= 10 ? "0.01" : "0.0001");
}

/// The instrument lists real clients load before they subscribe, in each venue's shape (fields as
/// strings where the venue sends strings).
std::optional<std::string> instrumentsBody(std::string_view path, PriceBook& book)
{
    using json = nlohmann::json;
    const std::int64_t now = nowMs();
    const auto universe = instrumentUniverse(book);
    if (path == "/fapi/v1/exchangeInfo") {
        json symbols = json::array();
        for (const std::string& symbol : universe) {
            if (symbol.size() < 5 || symbol.substr(symbol.size() - 4) != "USDT") {
                continue;
            }
            const std::string base = symbol.substr(0, symbol.size() - 4);
            symbols.push_back({{"symbol", symbol}, {"pair", symbol}, {"contractType", "PERPETUAL"}, {"status", "TRADING"},
                               {"baseAsset", base}, {"quoteAsset", "USDT"}, {"marginAsset", "USDT"}, {"pricePrecision", 2},
                               {"quantityPrecision", 3}, {"underlyingType", "COIN"}, {"onboardDate", 1569398400000LL},
                               {"deliveryDate", 4133404800000LL}, {"orderTypes", {"LIMIT", "MARKET"}},
                               {"timeInForce", {"GTC", "IOC"}},
                               {"filters",
                                {{{"filterType", "PRICE_FILTER"}, {"minPrice", "0.01"}, {"maxPrice", "1000000"}, {"tickSize", tickFor(book.mark(symbol))}},
                                 {{"filterType", "LOT_SIZE"}, {"minQty", "0.001"}, {"maxQty", "1000"}, {"stepSize", "0.001"}},
                                 {{"filterType", "MARKET_LOT_SIZE"}, {"minQty", "0.001"}, {"maxQty", "120"}, {"stepSize", "0.001"}},
                                 {{"filterType", "MIN_NOTIONAL"}, {"notional", "5"}},
                                 {{"filterType", "PERCENT_PRICE"}, {"multiplierUp", "1.0500"}, {"multiplierDown", "0.9500"}, {"multiplierDecimal", "4"}}}}});
        }
        return json{{"timezone", "UTC"}, {"serverTime", now}, {"rateLimits", json::array()}, {"exchangeFilters", json::array()},
                    {"assets", json::array({{{"asset", "USDT"}, {"marginAvailable", true}}})}, {"symbols", symbols}}
            .dump();
    }
    if (path == "/v5/market/instruments-info") {
        json list = json::array();
        for (const std::string& symbol : universe) {
            const std::string base = symbol.size() > 4 ? symbol.substr(0, symbol.size() - 4) : symbol;
            list.push_back({{"symbol", symbol}, {"contractType", "LinearPerpetual"}, {"status", "Trading"}, {"baseCoin", base},
                            {"quoteCoin", "USDT"}, {"settleCoin", "USDT"}, {"launchTime", "1585526400000"}, {"deliveryTime", "0"},
                            {"priceScale", "2"}, {"leverageFilter", {{"minLeverage", "1"}, {"maxLeverage", "100.00"}, {"leverageStep", "0.01"}}},
                            {"priceFilter", {{"minPrice", "0.10"}, {"maxPrice", "1999999.80"}, {"tickSize", tickFor(book.mark(symbol))}}},
                            {"lotSizeFilter", {{"maxOrderQty", "1190.000"}, {"minOrderQty", "0.001"}, {"qtyStep", "0.001"}, {"minNotionalValue", "5"}}},
                            {"fundingInterval", 480}});
        }
        return json{{"retCode", 0}, {"retMsg", "OK"}, {"result", {{"category", "linear"}, {"list", list}, {"nextPageCursor", ""}}},
                    {"retExtInfo", json::object()}, {"time", now}}
            .dump();
    }
    if (path == "/api/v5/public/instruments") {
        json data = json::array();
        for (const std::string& symbol : universe) {
            std::string base = symbol;
            if (const auto dash = symbol.find('-'); dash != std::string::npos) {
                base = symbol.substr(0, dash);
            } else if (symbol.size() > 4 && symbol.substr(symbol.size() - 4) == "USDT") {
                base = symbol.substr(0, symbol.size() - 4);
            }
            data.push_back({{"instType", "SWAP"}, {"instId", base + "-USDT-SWAP"}, {"uly", base + "-USDT"}, {"instFamily", base + "-USDT"},
                            {"settleCcy", "USDT"}, {"ctVal", "0.01"}, {"ctMult", "1"}, {"ctValCcy", base}, {"ctType", "linear"},
                            {"tickSz", tickFor(book.mark(symbol))}, {"lotSz", "0.01"}, {"minSz", "0.01"}, {"lever", "100"},
                            {"state", "live"}, {"listTime", "1611916828000"}});
        }
        return json{{"code", "0"}, {"msg", ""}, {"data", data}}.dump();
    }
    return std::nullopt;
}

/// Hyperliquid's POST /info: {"type":"meta"} and {"type":"metaAndAssetCtxs"}.
std::optional<std::string> hyperliquidInfo(std::string_view body, PriceBook& book)
{
    using json = nlohmann::json;
    const json request = json::parse(body, nullptr, false);
    const std::string type = request.is_object() ? request.value("type", "") : "";
    if (type != "meta" && type != "metaAndAssetCtxs") {
        return std::nullopt;
    }
    json universe = json::array();
    json contexts = json::array();
    for (const std::string& coin : {std::string("BTC"), std::string("ETH"), std::string("SOL")}) {
        universe.push_back({{"name", coin}, {"szDecimals", coin == "BTC" ? 5 : 2}, {"maxLeverage", coin == "BTC" ? 40 : 20}});
        const double mark = book.mark(coin);
        contexts.push_back({{"funding", "0.0000125"}, {"openInterest", "1000.0"}, {"oraclePx", std::to_string(mark)},
                            {"markPx", std::to_string(mark)}, {"midPx", std::to_string(mark)}});
    }
    const json meta{{"universe", universe}};
    return type == "meta" ? meta.dump() : json::array({meta, contexts}).dump();
}

/// The REST answers the public side needs, in each venue's shape.
std::optional<std::string> restBody(std::string_view path)
{
    using json = nlohmann::json;
    const std::int64_t now = nowMs();
    if (path == "/fapi/v1/time") {
        return json{{"serverTime", now}}.dump();
    }
    if (path == "/v5/market/time") {
        return json{{"retCode", 0},
                    {"retMsg", "OK"},
                    {"result", {{"timeSecond", std::to_string(now / 1000)}, {"timeNano", std::to_string(now * 1'000'000)}}},
                    {"retExtInfo", json::object()},
                    {"time", now}}
            .dump();
    }
    if (path == "/api/v5/public/time") {
        return json{{"code", "0"}, {"msg", ""}, {"data", json::array({{{"ts", std::to_string(now)}}})}}.dump();
    }
    return std::nullopt;
}

/// The parts of a connection the simulator drives from its push timer.
class PushTarget {
public:
    virtual ~PushTarget() = default;
    virtual void push(PriceBook& book, bool stalled) = 0;
    virtual void close() = 0;
    virtual void corruptNext(int frames) = 0;
};

/// What every connection shares with the simulator (all used on its one thread).
struct SharedState {
    std::vector<std::weak_ptr<PushTarget>>& registry;
    std::atomic<std::uint64_t>& pushed;
    const std::atomic<bool>& stalled;
    const SimulatorOptions& options;
    PriceBook& book;
};

template <typename Stream>
class SimConnection final : public PushTarget, public std::enable_shared_from_this<SimConnection<Stream>> {
public:
    SimConnection(Stream stream, SharedState shared)
        : m_stream(std::move(stream)), m_registry(shared.registry), m_pushed(shared.pushed), m_stalled(shared.stalled),
          m_options(shared.options), m_book(shared.book)
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
        const auto limit = m_options.silenceLimits.find(m_venue->venue());
        const auto silenceLimit = limit != m_options.silenceLimits.end() ? limit->second : venueSilenceLimit(m_venue->venue());
        if (std::chrono::steady_clock::now() - m_lastTraffic > silenceLimit) {
            close(); // nothing either way for too long: the venue hangs up
            return;
        }
        if (stalled || m_outgoing.size() > kMaxBacklog) {
            return;
        }
        const auto ageLimit = m_options.binanceConnectionLimit;
        if (m_venue->venue() == Venue::BinanceUsdm && ageLimit.count() > 0 && std::chrono::steady_clock::now() - m_openedAt > ageLimit) {
            close(); // as Binance does at 24 hours
            return;
        }
        auto frames = m_venue->pushFrames(book, nowMs());
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

private:
    void readRequest()
    {
        beast::get_lowest_layer(*m_stream).expires_after(std::chrono::seconds(10));
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
            return respond(target);
        }
        m_venue = VenueServer::forPath(target);
        if (!m_venue) {
            return respond(target);
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
            self->m_openedAt = std::chrono::steady_clock::now();
            self->m_lastTraffic = self->m_openedAt;
            self->read();
        });
    }

    void respond(const std::string& target)
    {
        auto response = std::make_shared<http::response<http::string_body>>();
        response->version(m_request.version());
        response->set(http::field::server, "margin-monitor-simulator");
        response->set(http::field::content_type, "application/json");
        const auto path = std::string_view(target).substr(0, target.find('?'));
        std::optional<std::string> body;
        if (m_request.method() == http::verb::get) {
            body = restBody(path);
            if (!body) {
                body = instrumentsBody(path, m_book);
            }
        } else if (m_request.method() == http::verb::post && path == "/info") {
            body = hyperliquidInfo(m_request.body(), m_book);
        }
        if (body) {
            response->result(http::status::ok);
            response->body() = *body;
        } else {
            response->result(http::status::not_found);
            response->body() = R"({"code":-1,"msg":"no such endpoint on the simulator"})";
        }
        response->keep_alive(false);
        response->prepare_payload();
        http::async_write(*m_stream, *response, [self = this->shared_from_this(), response](beast::error_code, std::size_t) {
            self->close();
        });
    }

    void read()
    {
        m_ws->async_read(m_incoming, [self = this->shared_from_this()](beast::error_code error, std::size_t) {
            if (error) {
                return;
            }
            const std::string text = beast::buffers_to_string(self->m_incoming.data());
            self->m_incoming.consume(self->m_incoming.size());
            self->m_lastTraffic = std::chrono::steady_clock::now();
            if (!self->m_stalled) {
                for (std::string& reply : self->m_venue->onMessage(text)) {
                    self->send(std::move(reply));
                }
            }
            self->read();
        });
    }

    void send(std::string frame)
    {
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
    int m_sinceMalformed = 0;
    std::chrono::steady_clock::time_point m_openedAt;
    std::chrono::steady_clock::time_point m_lastTraffic;
};

} // namespace

class ExchangeSimulator::Impl {
public:
    explicit Impl(SimulatorOptions options)
        : m_options(std::move(options)), m_acceptor(m_io), m_pushTimer(m_io), m_dropTimer(m_io), m_stallTimer(m_io),
          m_book(m_options.seed)
    {
        for (const auto& [symbol, price] : m_options.startPrices) {
            m_book.setStart(symbol, price);
        }
    }

    ~Impl() { stop(); }

    void start()
    {
        if (!m_options.certificateFile.empty() || !m_options.privateKeyFile.empty()) {
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
        m_startedAt = std::chrono::steady_clock::now();
        accept();
        schedulePush();
        scheduleFaults();
        m_thread = std::thread([this] { m_io.run(); });
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
    std::uint16_t m_port = 0;
    std::chrono::steady_clock::time_point m_startedAt;
    std::thread m_thread;

private:
    SharedState shared() { return {m_connections, m_pushed, m_stalled, m_options, m_book}; }

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
        m_pushTimer.expires_after(m_options.pushInterval);
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
        {
            m_book.step(m_options.volatilityPerPush, m_options.jumpProbability, 0.02);
            if (m_options.scenario == Scenario::Crash) {
                const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_startedAt).count();
                m_book.setMarketFactor(crashMarketFactor(seconds * m_options.timeScale));
            }
            const bool stalled = m_stalled;
            forEachConnection([&](PushTarget& target) { target.push(m_book, stalled); });
        }
    }
};

std::chrono::milliseconds venueSilenceLimit(Venue venue)
{
    switch (venue) {
    case Venue::OkxSwap:
        return std::chrono::seconds(30);
    case Venue::Hyperliquid:
        return std::chrono::seconds(60);
    case Venue::BybitLinear:
    case Venue::BinanceUsdm:
    case Venue::Generic:
        break;
    }
    return std::chrono::minutes(10);
}

double crashMarketFactor(double seconds)
{
    constexpr double kCalmUntil = 15;
    constexpr double kBottomAt = 105; // −12 % over 90 s
    constexpr double kRecoveredAt = 165;
    if (seconds <= kCalmUntil) {
        return 1.0;
    }
    if (seconds <= kBottomAt) {
        return 1.0 - 0.12 * (seconds - kCalmUntil) / (kBottomAt - kCalmUntil);
    }
    if (seconds <= kRecoveredAt) {
        return 0.88 + 0.06 * (seconds - kBottomAt) / (kRecoveredAt - kBottomAt);
    }
    return 0.94;
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

void ExchangeSimulator::setStalled(bool stalled)
{
    m_impl->m_stalled = stalled;
}

void ExchangeSimulator::sendMalformed(int frames)
{
    m_impl->onIoThread([this, frames] { m_impl->forEachConnection([frames](PushTarget& target) { target.corruptNext(frames); }); });
}

std::uint64_t ExchangeSimulator::framesPushed() const
{
    return m_impl->m_pushed;
}

} // namespace mm::sim
