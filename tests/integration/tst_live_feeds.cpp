// Live mark prices over loopback against the exchange simulator, TLS verified with a throw-away CA
// made at test time: every venue subscribes and receives; a dropped connection comes back within
// 2 s; a stalled feed turns stale within three intervals and fresh again; malformed frames and
// unknown topics are survived, counted and reported; the venues' error replies are read as such;
// each venue's keep-alive rule is kept (and a client that breaks it is hung up on); the idle timeout
// redials a silent connection; the simulator's scheduled stalls and delays reach the client; an
// untrusted certificate, or one for another host, is refused with a clear message.
#include "engine/monitor.h"
#include "net/mark_price_feed.h"
#include "net/ws_session.h"
#include "venues/binance_usdm/binance_mark_prices.h"
#include "portfolio/portfolio_file.h"
#include "sim/exchange_simulator.h"
#include "sim/throwaway_certificates.h"
#include "test_certificates.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <sys/socket.h>

#include <QTemporaryDir>
#include <QtTest>

#include <optional>
#include <sstream>
#include <thread>

using namespace mm;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(mm::Venue)

namespace {

const std::map<Venue, std::string> kSymbol{{Venue::BinanceUsdm, "BTCUSDT"},
                                           {Venue::BybitLinear, "BTCUSDT"},
                                           {Venue::OkxSwap, "BTC-USDT-SWAP"},
                                           {Venue::Hyperliquid, "BTC"}};

/// The client side: an io_context on its own thread, a feed, and a monitor fed from it (all
/// touched only on that thread, as in the app).
class Client {
public:
    Client(Venue venue, const std::string& baseUrl, mm::TlsTrust trust, std::chrono::milliseconds interval,
           std::optional<std::chrono::milliseconds> maxConnectionAge = std::nullopt,
           std::shared_ptr<const mm::Clock> clock = nullptr)
        : m_freshnessTimer(m_io)
    {
        std::string problem;
        MarkPriceFeed::Options options;
        options.venue = venue;
        options.baseUrl = *WsUrl::parse(baseUrl, problem);
        options.symbols = {kSymbol.at(venue)};
        options.trust = std::move(trust);
        options.idleTimeout = 20s;
        options.maxConnectionAge = maxConnectionAge;
        options.clock = std::move(clock);
        MarkPriceFeed::Callbacks callbacks;
        callbacks.onTick = [this](const MarkTick& tick) {
            {
                const std::lock_guard lock(m_mutex);
                m_tickTimes.push_back(tick.receivedAt);
                // How late the mark arrived after the simulated exchange stamped it (same machine, same clock).
                const auto nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count();
                m_lags.push_back(std::chrono::milliseconds(nowMs - tick.exchangeTimeMs));
            }
            m_monitor.applyTick(tick);
        };
        callbacks.onProblem = [this](const std::string& text) {
            const std::lock_guard lock(m_mutex);
            m_problems.push_back(text);
        };
        m_feed = std::make_unique<MarkPriceFeed>(m_io, options, callbacks);

        Portfolio portfolio = readPortfolio(R"({"venue":")" + std::string(venueName(venue)) +
                                            R"(","walletBalance":"5000","positions":[{"symbol":")" + kSymbol.at(venue) +
                                            R"(","side":"long","quantity":"0.1","entryPrice":"60000","maxLeverage":40,
                                            "maintenanceMarginRate":"0.005"}]})");
        m_monitor.setExpectedInterval(venue, interval);
        m_monitor.addAccount(std::move(portfolio));
        m_feedSubscription = m_monitor.onFeed([this](const FeedStatus& status) {
            const std::lock_guard lock(m_mutex);
            m_feedEvents.emplace_back(status.state, std::chrono::steady_clock::now());
            m_lastTickAt = status.lastTickAt;
        });
        m_riskSubscription = m_monitor.onRisk([this](const RiskSnapshot&) { ++m_snapshots; });
        checkFreshnessSoon();
        m_feed->start();
        m_thread = std::thread([this] { m_io.run(); });
    }

    ~Client()
    {
        boost::asio::post(m_io, [this] {
            m_freshnessTimer.cancel();
            m_feed->stop();
            m_io.stop();
        });
        m_thread.join();
    }

    MarkPriceFeed& feed() { return *m_feed; }
    /// MarkPriceFeed::watch on the feed's thread.
    void watch(std::vector<std::string> symbols)
    {
        boost::asio::post(m_io, [this, symbols = std::move(symbols)] { m_feed->watch(symbols); });
    }
    std::vector<std::string> problems() const
    {
        const std::lock_guard lock(m_mutex);
        return m_problems;
    }
    std::vector<std::chrono::milliseconds> lags() const
    {
        const std::lock_guard lock(m_mutex);
        return m_lags;
    }
    std::uint64_t snapshots() const { return m_snapshots; }
    std::vector<std::pair<FeedState, MonotonicTime>> feedEvents() const
    {
        const std::lock_guard lock(m_mutex);
        return m_feedEvents;
    }
    MonotonicTime lastTickAt() const
    {
        const std::lock_guard lock(m_mutex);
        return m_lastTickAt;
    }
    std::vector<MonotonicTime> tickTimes() const
    {
        const std::lock_guard lock(m_mutex);
        return m_tickTimes;
    }

private:
    void checkFreshnessSoon()
    {
        m_freshnessTimer.expires_after(20ms);
        m_freshnessTimer.async_wait([this](boost::system::error_code error) {
            if (!error) {
                m_monitor.checkFreshness();
                checkFreshnessSoon();
            }
        });
    }

    boost::asio::io_context m_io;
    boost::asio::steady_timer m_freshnessTimer;
    SteadyClock m_clock;
    Monitor m_monitor{m_clock};
    std::unique_ptr<MarkPriceFeed> m_feed;
    std::unique_ptr<Subscription> m_feedSubscription;
    std::unique_ptr<Subscription> m_riskSubscription;
    std::atomic<std::uint64_t> m_snapshots{0};
    mutable std::mutex m_mutex;
    std::vector<std::pair<FeedState, MonotonicTime>> m_feedEvents;
    MonotonicTime m_lastTickAt{};
    std::vector<MonotonicTime> m_tickTimes;
    std::vector<std::chrono::milliseconds> m_lags;
    std::vector<std::string> m_problems;
    std::thread m_thread;
};

/// A client that breaks every keep-alive rule: it opens the stream (TLS verified), sends the
/// subscriptions, and from then on only reads — below the WebSocket layer, so that not even a pong
/// answers the server's pings. Counts what arrives, and notes when the venue hangs up.
class SilentClient {
public:
    SilentClient(std::uint16_t port, std::string target, std::vector<std::string> messages, std::string caFile)
        : m_thread([this, port, target = std::move(target), messages = std::move(messages), caFile = std::move(caFile)] {
              run(port, target, messages, caFile);
          })
    {
    }
    ~SilentClient()
    {
        if (const int socket = m_socket.load(); socket >= 0 && !m_closed) {
            ::shutdown(socket, SHUT_RDWR); // unblocks the read
        }
        m_thread.join();
    }
    SilentClient(const SilentClient&) = delete;
    SilentClient& operator=(const SilentClient&) = delete;

    bool subscribed() const { return m_subscribed; }
    bool closed() const { return m_closed; }
    int texts() const { return m_texts; }
    int pings() const { return m_pings; }
    /// The code of the venue's close frame; 0 when it just closed the socket.
    int closeCode() const { return m_closeCode; }
    /// From the last subscription sent to the venue hanging up.
    std::chrono::milliseconds lasted() const { return m_lasted.load(); }
    std::string error() const
    {
        const std::lock_guard lock(m_mutex);
        return m_error;
    }

private:
    void run(std::uint16_t port, const std::string& target, const std::vector<std::string>& messages, const std::string& caFile)
    {
        namespace beast = boost::beast;
        namespace ssl = boost::asio::ssl;
        boost::asio::io_context io;
        ssl::context tls(ssl::context::tls_client);
        tls.load_verify_file(caFile);
        tls.set_verify_mode(ssl::verify_peer);
        beast::websocket::stream<beast::ssl_stream<boost::asio::ip::tcp::socket>> ws(io, tls);
        beast::error_code error;
        const boost::asio::ip::tcp::endpoint endpoint(boost::asio::ip::make_address("127.0.0.1"), port);
        beast::get_lowest_layer(ws).connect(endpoint, error);
        m_socket = beast::get_lowest_layer(ws).native_handle();
        if (!error) {
            ws.next_layer().handshake(ssl::stream_base::client, error);
        }
        if (!error) {
            ws.handshake("127.0.0.1:" + std::to_string(port), target, error);
        }
        for (const std::string& message : messages) {
            if (!error) {
                ws.write(boost::asio::buffer(message), error);
            }
        }
        const auto since = std::chrono::steady_clock::now();
        m_subscribed = !error;
        std::string pending;
        char chunk[4096];
        while (!error) {
            const std::size_t read = ws.next_layer().read_some(boost::asio::buffer(chunk), error);
            pending.append(chunk, read);
            countFrames(pending);
        }
        m_lasted = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - since);
        {
            const std::lock_guard lock(m_mutex);
            m_error = error.message();
        }
        m_closed = true;
    }

    /// Server frames are unmasked (RFC 6455 §5.2): FIN/opcode, a length of 7, 7+16 or 7+64 bits, the payload.
    void countFrames(std::string& pending)
    {
        for (;;) {
            if (pending.size() < 2) {
                return;
            }
            const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(pending[i]); };
            std::size_t header = 2;
            std::uint64_t length = byte(1) & 0x7f;
            if (length == 126 || length == 127) {
                const std::size_t bytes = length == 126 ? 2 : 8;
                if (pending.size() < 2 + bytes) {
                    return;
                }
                length = 0;
                for (std::size_t i = 0; i < bytes; ++i) {
                    length = (length << 8) | byte(2 + i);
                }
                header += bytes;
            }
            if (pending.size() < header + length) {
                return;
            }
            const int opcode = byte(0) & 0x0f;
            m_texts += opcode == 0x1 ? 1 : 0;
            m_pings += opcode == 0x9 ? 1 : 0;
            if (opcode == 0x8 && length >= 2) {
                m_closeCode = (byte(header) << 8) | byte(header + 1);
            }
            pending.erase(0, header + length);
        }
    }

    std::atomic<int> m_socket{-1};
    std::atomic<bool> m_subscribed{false};
    std::atomic<bool> m_closed{false};
    std::atomic<int> m_texts{0};
    std::atomic<int> m_pings{0};
    std::atomic<int> m_closeCode{0};
    std::atomic<std::chrono::milliseconds> m_lasted{std::chrono::milliseconds(0)};
    mutable std::mutex m_mutex;
    std::string m_error;
    std::thread m_thread; ///< last: started once everything above exists
};

/// A bare WsSession running on an io_context of its own thread; stop() (or the destructor) stops
/// it and joins the thread, after which no callback runs.
class RunningSession {
public:
    explicit RunningSession(WsOptions options, WsCallbacks callbacks = {})
        : m_session(WsSession::create(m_io, std::move(options), std::move(callbacks)))
    {
        m_session->start();
        m_thread = std::thread([this] { m_io.run(); });
    }
    ~RunningSession() { stop(); }
    RunningSession(const RunningSession&) = delete;
    RunningSession& operator=(const RunningSession&) = delete;

    WsSession* operator->() const { return m_session.get(); }
    void stop()
    {
        if (m_thread.joinable()) {
            m_session->stop();
            boost::asio::post(m_io, [this] { m_io.stop(); });
            m_thread.join();
        }
    }

private:
    boost::asio::io_context m_io;
    std::shared_ptr<WsSession> m_session;
    std::thread m_thread;
};

} // namespace

class TestLiveFeeds : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void receivesMarksOverTls_data() { venueRows(); }
    void receivesMarksOverTls();
    void reconnectsWithinTwoSecondsAfterADrop_data() { venueRows(); }
    void reconnectsWithinTwoSecondsAfterADrop();
    void staleWithinThreeIntervalsThenFreshAgain_data() { venueRows(); }
    void staleWithinThreeIntervalsThenFreshAgain();
    void survivesMalformedFrames_data() { venueRows(); }
    void survivesMalformedFrames();
    void readsTheVenuesErrorReplies_data();
    void readsTheVenuesErrorReplies();
    void binanceAnswersABadRequestWithItsError();
    void binanceServesARawStream();
    void bybitDeltasWithoutAMarkKeepTheLastOne();
    void rollsOverBeforeBinanceEndsTheConnection();
    void movesWithoutAGapOnOkxsServiceNotice();
    void refusesAnUntrustedCertificate_data();
    void refusesAnUntrustedCertificate();
    void demoCertificatesAreVerified();
    void venueHangsUpOnAClientThatDoesNotKeepAlive_data();
    void venueHangsUpOnAClientThatDoesNotKeepAlive();
    void idleTimeoutRedialsASilentConnection();
    void scheduledStallsAndDelaysReachTheClient();
    void plainWebSocketOnlyToLoopback();

private:
    static void venueRows()
    {
        QTest::addColumn<Venue>("venue");
        for (const auto& [venue, symbol] : kSymbol) {
            QTest::newRow(venueName(venue).data()) << venue;
        }
    }
    /// Serving wss:// with the certificate `certificate` (server: for 127.0.0.1 and localhost).
    sim::SimulatorOptions tlsOptions(const QString& certificate = "server") const
    {
        sim::SimulatorOptions options;
        options.certificateFile = m_dir.filePath(certificate + ".pem").toStdString();
        options.privateKeyFile = m_dir.filePath(certificate + ".key").toStdString();
        return options;
    }
    std::unique_ptr<sim::ExchangeSimulator> startSimulator(std::chrono::milliseconds pushInterval, double timeScale = 1.0,
                                                           const QString& certificate = "server")
    {
        sim::SimulatorOptions options = tlsOptions(certificate);
        options.pushInterval = pushInterval;
        options.timeScale = timeScale;
        auto simulator = std::make_unique<sim::ExchangeSimulator>(options);
        simulator->start();
        return simulator;
    }
    mm::TlsTrust caFile() const { return {m_dir.filePath("ca.pem").toStdString(), {}}; }
    /// A session's options: `target` at the simulator, our CA trusted.
    WsOptions sessionOptions(const std::string& baseUrl, const std::string& target) const
    {
        std::string problem;
        WsOptions options;
        options.url = WsUrl::parse(baseUrl + target, problem).value();
        options.trust = caFile();
        return options;
    }

    QTemporaryDir m_dir;
};

void TestLiveFeeds::initTestCase()
{
    // A throw-away CA and a server certificate for 127.0.0.1 and localhost, made here, never kept.
    QVERIFY(m_dir.isValid());
    const QString problem = test::makeTestCertificates(m_dir.path());
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    // Signed by the same trusted CA, but for another host.
    const QString elsewhere = test::makeServerCertificate(m_dir.path(), "elsewhere", "DNS:fstream.binance.com");
    QVERIFY2(elsewhere.isEmpty(), qPrintable(elsewhere));
}

void TestLiveFeeds::receivesMarksOverTls()
{
    QFETCH(Venue, venue);
    const auto simulator = startSimulator(50ms);
    QVERIFY(simulator->tls());
    Client client(venue, simulator->baseUrl(), caFile(), 100ms);
    QTRY_VERIFY_WITH_TIMEOUT(client.feed().counters().ticks >= 5, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(client.snapshots() >= 5, 2000); // every tick evaluated
    const FeedCounters counters = client.feed().counters();
    QCOMPARE(counters.malformed, std::uint64_t(0));
    QCOMPARE(counters.venueErrors, std::uint64_t(0));
    const WsStats connection = client.feed().connection();
    QCOMPARE(connection.state, ConnectionState::Open);
    QCOMPARE(connection.connects, std::uint64_t(1));
    QCOMPARE(connection.reconnects, std::uint64_t(0));
}

void TestLiveFeeds::reconnectsWithinTwoSecondsAfterADrop()
{
    QFETCH(Venue, venue);
    const auto simulator = startSimulator(50ms);
    Client client(venue, simulator->baseUrl(), caFile(), 100ms);
    QTRY_VERIFY_WITH_TIMEOUT(client.feed().counters().ticks >= 3, 5000);
    simulator->dropConnections();
    const auto dropped = std::chrono::steady_clock::now();
    QTRY_VERIFY_WITH_TIMEOUT(client.feed().connection().reconnects >= 1, 2000);
    const std::uint64_t before = client.feed().counters().ticks;
    QTRY_VERIFY_WITH_TIMEOUT(client.feed().counters().ticks > before, 2000);
    const auto back = std::chrono::steady_clock::now() - dropped;
    QVERIFY2(back < 2s, qPrintable(QString("marks again after %1 ms").arg(std::chrono::duration_cast<std::chrono::milliseconds>(back).count())));
    QCOMPARE(client.feed().connection().connects, std::uint64_t(2)); // re-subscribed on the new connection
}

void TestLiveFeeds::staleWithinThreeIntervalsThenFreshAgain()
{
    QFETCH(Venue, venue);
    const auto interval = 100ms;
    const auto simulator = startSimulator(50ms);
    Client client(venue, simulator->baseUrl(), caFile(), interval);
    QTRY_VERIFY_WITH_TIMEOUT(!client.feedEvents().empty() && client.feedEvents().back().first == FeedState::Fresh, 5000);
    simulator->setStalled(true);
    QTRY_VERIFY_WITH_TIMEOUT(client.feedEvents().back().first == FeedState::Stale, 3000);
    const auto staleAfter = client.feedEvents().back().second - client.lastTickAt();
    // Three intervals, plus the 20 ms between freshness checks and scheduling slack.
    QVERIFY2(staleAfter <= 3 * interval + 80ms,
             qPrintable(QString("stale %1 ms after the last mark").arg(std::chrono::duration_cast<std::chrono::milliseconds>(staleAfter).count())));
    QVERIFY(staleAfter > 3 * interval);
    simulator->setStalled(false);
    QTRY_VERIFY_WITH_TIMEOUT(client.feedEvents().back().first == FeedState::Fresh, 3000);
    QCOMPARE(client.feed().connection().reconnects, std::uint64_t(0)); // the socket was kept throughout
}

void TestLiveFeeds::survivesMalformedFrames()
{
    QFETCH(Venue, venue);
    const auto simulator = startSimulator(20ms);
    Client client(venue, simulator->baseUrl(), caFile(), 100ms);
    QTRY_VERIFY_WITH_TIMEOUT(client.feed().counters().ticks >= 3, 5000);
    // Twice round the simulator's list: broken JSON, wrong types, an HTML error page, and each
    // venue's frames of topics nobody subscribed to.
    simulator->sendMalformed(20);
    QTRY_VERIFY2_WITH_TIMEOUT(client.feed().counters().malformed >= 20,
                              qPrintable(QString("%1 malformed, %2 reconnects, last: %3")
                                             .arg(client.feed().counters().malformed)
                                             .arg(client.feed().connection().reconnects)
                                             .arg(QString::fromStdString(client.feed().connection().lastError))),
                              5000);
    const std::uint64_t ticks = client.feed().counters().ticks;
    QTRY_VERIFY_WITH_TIMEOUT(client.feed().counters().ticks >= ticks + 5, 3000);
    QCOMPARE(client.feed().connection().reconnects, std::uint64_t(0));
    QVERIFY(!client.feed().counters().lastProblem.empty());
    // Each one reported in words, naming the venue; the topic nobody subscribed to among them.
    const auto problems = client.problems();
    QVERIFY(problems.size() >= 20);
    const std::string prefix = "malformed frame from " + std::string(venueName(venue)) + ": ";
    QVERIFY2(std::all_of(problems.begin(), problems.end(), [&](const std::string& problem) { return problem.starts_with(prefix); }),
             problems.front().c_str());
    QVERIFY(std::any_of(problems.begin(), problems.end(),
                        [](const std::string& problem) { return problem.find("was not subscribed to") != std::string::npos; }));
    QCOMPARE(client.feed().counters().venueErrors, std::uint64_t(0));
}

void TestLiveFeeds::readsTheVenuesErrorReplies_data()
{
    QTest::addColumn<Venue>("venue");
    QTest::addColumn<QString>("unlisted");
    QTest::addColumn<bool>("venueRefuses");
    QTest::newRow("binance-usdm: accepted, nothing sent") << Venue::BinanceUsdm << "NOSUCHUSDT" << false;
    QTest::newRow("bybit-linear: handler not found") << Venue::BybitLinear << "NOSUCHUSDT" << true;
    QTest::newRow("okx-swap: 60018") << Venue::OkxSwap << "NOSUCH-USDT-SWAP" << true;
    QTest::newRow("hyperliquid: invalid subscription") << Venue::Hyperliquid << "NOSUCH" << true;
}

void TestLiveFeeds::readsTheVenuesErrorReplies()
{
    // A symbol the venue does not list, subscribed to at run time: the venue's own error reply (its
    // shape per venue; Binance says nothing and sends nothing) is counted as an exchange error and
    // said; a name that cannot be a symbol is not sent at all, and said. The connection and the
    // symbols already streaming go on, and a reconnect (Binance: a URL naming every stream) works.
    QFETCH(Venue, venue);
    QFETCH(QString, unlisted);
    QFETCH(bool, venueRefuses);
    sim::SimulatorOptions options = tlsOptions();
    options.pushInterval = 20ms;
    options.unlistedSymbols = {unlisted.toStdString()};
    sim::ExchangeSimulator simulator(options);
    simulator.start();
    Client client(venue, simulator.baseUrl(), caFile(), 100ms);
    QTRY_VERIFY_WITH_TIMEOUT(client.feed().counters().ticks >= 3, 5000);
    client.watch({unlisted.toStdString(), "NO SUCH"});
    if (venueRefuses) {
        QTRY_VERIFY_WITH_TIMEOUT(client.feed().counters().venueErrors >= 1, 3000);
        const std::string problem = client.feed().counters().lastProblem;
        QVERIFY2(QString::fromStdString(problem).contains(" reported an error: ") &&
                     QString::fromStdString(problem).contains(unlisted),
                 problem.c_str());
    } else {
        QTest::qWait(500);
        QCOMPARE(client.feed().counters().venueErrors, std::uint64_t(0));
    }
    QCOMPARE(client.feed().counters().venueErrors, std::uint64_t(venueRefuses ? 1 : 0));
    QCOMPARE(client.feed().counters().malformed, std::uint64_t(0));
    const auto problems = client.problems();
    QVERIFY(std::any_of(problems.begin(), problems.end(), [](const std::string& problem) {
        return problem.find(R"(no mark prices for "NO SUCH": not a symbol name)") != std::string::npos;
    }));
    QVERIFY(std::find(client.feed().symbols().begin(), client.feed().symbols().end(), "NO SUCH") == client.feed().symbols().end());
    const std::uint64_t ticks = client.feed().counters().ticks;
    QTRY_VERIFY_WITH_TIMEOUT(client.feed().counters().ticks >= ticks + 5, 3000);
    QCOMPARE(client.feed().connection().reconnects, std::uint64_t(0));

    simulator.dropConnections();
    QTRY_VERIFY_WITH_TIMEOUT(client.feed().connection().connects == 2, 3000);
    const std::uint64_t again = client.feed().counters().ticks;
    QTRY_VERIFY_WITH_TIMEOUT(client.feed().counters().ticks >= again + 5, 3000);
    if (venueRefuses) { // subscribed again, refused again
        QTRY_COMPARE_WITH_TIMEOUT(client.feed().counters().venueErrors, std::uint64_t(2), 3000);
    }
}

void TestLiveFeeds::binanceAnswersABadRequestWithItsError()
{
    // Binance's error reply on the wire, read by the client's parser: a SUBSCRIBE for a stream the
    // venue does not have answers {"code":2,"msg":…,"id":…}.
    const auto simulator = startSimulator(50ms);
    WsOptions ws = sessionOptions(simulator->baseUrl(), "/market/stream?streams=btcusdt@markPrice@1s");
    ws.openingMessages = {R"({"method":"SUBSCRIBE","params":["btcusdt@noSuchStream"],"id":7})"};
    BinanceMarkPrices binance;
    binance.setSymbols({"BTCUSDT"});
    std::mutex mutex;
    std::vector<FeedMessage> messages;
    WsCallbacks callbacks;
    callbacks.onFrame = [&](std::string_view frame, MonotonicTime at) {
        std::vector<MarkTick> ticks;
        const FeedMessage message = binance.parse(frame, at, ticks);
        const std::lock_guard lock(mutex);
        messages.push_back(message);
    };
    RunningSession session(ws, callbacks);
    const auto count = [&](FeedMessage::Kind kind) {
        const std::lock_guard lock(mutex);
        return std::count_if(messages.begin(), messages.end(), [&](const FeedMessage& message) { return message.kind == kind; });
    };
    QTRY_VERIFY_WITH_TIMEOUT(count(FeedMessage::Kind::VenueError) == 1 && count(FeedMessage::Kind::Ticks) >= 3, 5000);
    {
        const std::lock_guard lock(mutex);
        const auto error = std::find_if(messages.begin(), messages.end(),
                                        [](const FeedMessage& message) { return message.kind == FeedMessage::Kind::VenueError; });
        QVERIFY2(error->detail.find(R"("code":2)") != std::string::npos && error->detail.find("btcusdt@noSuchStream") != std::string::npos &&
                     error->detail.find(R"("id":7)") != std::string::npos,
                 error->detail.c_str());
    }
    QCOMPARE(count(FeedMessage::Kind::Malformed), 0);
}

void TestLiveFeeds::binanceServesARawStream()
{
    // `/market/ws/<stream>`: one stream, its payloads not wrapped as {"stream","data"}.
    const auto simulator = startSimulator(50ms);
    const WsOptions ws = sessionOptions(simulator->baseUrl(), "/market/ws/ethusdt@markPrice@1s");
    BinanceMarkPrices binance;
    binance.setSymbols({"ETHUSDT"});
    std::mutex mutex;
    std::vector<std::string> frames;
    std::vector<MarkTick> ticks;
    WsCallbacks callbacks;
    callbacks.onFrame = [&](std::string_view frame, MonotonicTime at) {
        const std::lock_guard lock(mutex);
        frames.emplace_back(frame);
        (void)binance.parse(frame, at, ticks);
    };
    RunningSession session(ws, callbacks);
    QTRY_VERIFY_WITH_TIMEOUT(session->stats().framesReceived >= 3, 5000);
    session.stop(); // nothing arrives from here: the frames can be read without the lock
    QVERIFY2(frames.front().starts_with(R"({"e":"markPriceUpdate",)"), frames.front().c_str());
    QCOMPARE(ticks.size(), frames.size());
    QCOMPARE(ticks.front().symbol, std::string("ETHUSDT"));
}

void TestLiveFeeds::bybitDeltasWithoutAMarkKeepTheLastOne()
{
    // A recording holds BTCUSDT at 50,000: after the snapshot, Bybit's deltas leave markPrice out
    // (it did not change). Every tick still carries 50,000 — never zero, never missing.
    std::istringstream csv("time,symbol,mark\n0,BTCUSDT,50000\n");
    sim::SimulatorOptions options = tlsOptions();
    options.pushInterval = 20ms;
    options.scenario = sim::Scenario::Replay;
    options.replay = sim::PriceReplay::read(csv, "held.csv");
    sim::ExchangeSimulator simulator(options);
    simulator.start();
    auto bybit = MarkPriceProtocol::forVenue(Venue::BybitLinear);
    bybit->setSymbols({"BTCUSDT"});
    WsOptions ws = sessionOptions(simulator.baseUrl(), bybit->streamPath());
    ws.openingMessages = bybit->subscribeMessages();
    std::mutex mutex;
    std::vector<std::string> frames;
    std::vector<MarkTick> ticks;
    WsCallbacks callbacks;
    callbacks.onFrame = [&](std::string_view frame, MonotonicTime at) {
        const std::lock_guard lock(mutex);
        if (frame.find("tickers.") != std::string_view::npos) {
            frames.emplace_back(frame);
        }
        (void)bybit->parse(frame, at, ticks);
    };
    RunningSession session(ws, callbacks);
    QTRY_VERIFY_WITH_TIMEOUT(session->stats().framesReceived >= 12, 5000);
    session.stop();
    QVERIFY(frames.size() >= 10);
    QVERIFY2(frames.front().find(R"("type":"snapshot")") != std::string::npos &&
                 frames.front().find(R"("markPrice":"50000.00")") != std::string::npos,
             frames.front().c_str());
    for (std::size_t i = 1; i < frames.size(); ++i) {
        QVERIFY2(frames[i].find(R"("type":"delta")") != std::string::npos && frames[i].find("markPrice") == std::string::npos,
                 frames[i].c_str());
    }
    QCOMPARE(ticks.size(), frames.size());
    for (const MarkTick& tick : ticks) {
        QCOMPARE(tick.markPrice, Decimal::parse("50000"));
    }
}

void TestLiveFeeds::rollsOverBeforeBinanceEndsTheConnection()
{
    // Binance's 24 hours crossed on an accelerated clock: simulator and client both run 10,000×
    // faster, so the simulator ends the connection after 8.6 s and the client replaces it at
    // 23 h 50 min, 60 ms earlier. Marks keep arriving every 20 ms with no gap and no reconnect.
    constexpr double kScale = 10'000;
    const auto simulator = startSimulator(20ms, kScale);
    Client client(Venue::BinanceUsdm, simulator->baseUrl(), caFile(), 100ms, std::nullopt, std::make_shared<mm::ScaledClock>(kScale));
    // Without the roll-over the same limit costs a reconnect, and a gap of at least the back-off.
    Client naive(Venue::BinanceUsdm, simulator->baseUrl(), caFile(), 100ms, 0ms);
    QTRY_VERIFY_WITH_TIMEOUT(client.feed().connection().rollovers >= 1, 15'000);
    QTest::qWait(500);
    const WsStats connection = client.feed().connection();
    QCOMPARE(connection.rollovers, std::uint64_t(1));
    QCOMPARE(connection.reconnects, std::uint64_t(0));
    const auto times = client.tickTimes();
    QVERIFY(times.size() > 400);
    std::chrono::nanoseconds longestGap{0};
    for (std::size_t i = 1; i < times.size(); ++i) {
        longestGap = std::max(longestGap, std::chrono::nanoseconds(times[i] - times[i - 1]));
    }
    QVERIFY2(longestGap < 150ms, qPrintable(QString("longest gap %1 ms").arg(std::chrono::duration_cast<std::chrono::milliseconds>(longestGap).count())));
    QTRY_VERIFY_WITH_TIMEOUT(naive.feed().connection().reconnects >= 1, 5000);
    QVERIFY(naive.feed().connection().lastError.find("lost") != std::string::npos);
}

void TestLiveFeeds::movesWithoutAGapOnOkxsServiceNotice()
{
    // OKX announces a service upgrade (64008) and closes the connection a while later (60 s; here
    // 600 ms): the client opens a new connection at once and moves to it, so the marks go on
    // without a gap and without a reconnect; the notice is counted and said.
    const auto simulator = startSimulator(20ms);
    Client client(Venue::OkxSwap, simulator->baseUrl(), caFile(), 100ms);
    QTRY_VERIFY_WITH_TIMEOUT(client.feed().counters().ticks >= 5, 5000);
    simulator->announceServiceUpgrade(600ms);
    QTRY_VERIFY_WITH_TIMEOUT(client.feed().connection().rollovers >= 1, 3000);
    QTest::qWait(1200); // well past the old connection's end
    const WsStats connection = client.feed().connection();
    QCOMPARE(connection.rollovers, std::uint64_t(1));
    QVERIFY2(connection.reconnects == 0, connection.lastError.c_str());
    QCOMPARE(connection.connects, std::uint64_t(2));
    QCOMPARE(client.feed().counters().notices, std::uint64_t(1));
    const auto problems = client.problems();
    QVERIFY(std::any_of(problems.begin(), problems.end(), [](const std::string& problem) { return problem.find("64008") != std::string::npos; }));
    // Marks every 20 ms throughout. (A reconnect instead would also show as a gap of at least the
    // back-off and a new TLS handshake; the bound leaves room for a loaded machine.)
    const auto times = client.tickTimes();
    std::chrono::nanoseconds longestGap{0};
    for (std::size_t i = 1; i < times.size(); ++i) {
        longestGap = std::max(longestGap, std::chrono::nanoseconds(times[i] - times[i - 1]));
    }
    QVERIFY2(longestGap < 300ms, qPrintable(QString("longest gap %1 ms").arg(std::chrono::duration_cast<std::chrono::milliseconds>(longestGap).count())));
}

void TestLiveFeeds::refusesAnUntrustedCertificate_data()
{
    QTest::addColumn<QString>("certificate");
    QTest::addColumn<bool>("trustOurCa");
    QTest::newRow("CA unknown to the system store") << "server" << false;
    QTest::newRow("trusted CA, certificate for another host") << "elsewhere" << true;
}

void TestLiveFeeds::refusesAnUntrustedCertificate()
{
    QFETCH(QString, certificate);
    QFETCH(bool, trustOurCa);
    const auto simulator = startSimulator(50ms, 1.0, certificate);
    Client client(Venue::BinanceUsdm, simulator->baseUrl(), trustOurCa ? caFile() : mm::TlsTrust{}, 100ms);
    QTRY_VERIFY_WITH_TIMEOUT(client.feed().connection().reconnects >= 1, 5000);
    const WsStats connection = client.feed().connection();
    QCOMPARE(connection.connects, std::uint64_t(0));
    QVERIFY2(QString::fromStdString(connection.lastError).contains("certificate is not trusted or is not for this host"),
             connection.lastError.c_str());
    QCOMPARE(client.feed().counters().ticks, std::uint64_t(0));
}

void TestLiveFeeds::demoCertificatesAreVerified()
{
    // The demo's CA, made in memory: a client trusting it receives; one trusting another such CA
    // is refused — the certificate is really checked.
    const auto demo = sim::ThrowawayCertificates::make();
    const auto other = sim::ThrowawayCertificates::make();
    QVERIFY(demo.authorityPem.starts_with("-----BEGIN CERTIFICATE-----"));
    QVERIFY(demo.authorityPem != other.authorityPem);
    sim::SimulatorOptions options;
    options.certificatePem = demo.serverCertificatePem;
    options.privateKeyPem = demo.serverKeyPem;
    options.pushInterval = 50ms;
    sim::ExchangeSimulator simulator(options);
    simulator.start();
    QVERIFY(simulator.tls());
    Client trusting(Venue::OkxSwap, simulator.baseUrl(), mm::TlsTrust{{}, demo.authorityPem}, 200ms);
    Client stranger(Venue::OkxSwap, simulator.baseUrl(), mm::TlsTrust{{}, other.authorityPem}, 200ms);
    QTRY_VERIFY_WITH_TIMEOUT(trusting.feed().counters().ticks >= 3, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(stranger.feed().connection().reconnects >= 1, 5000);
    QCOMPARE(stranger.feed().connection().connects, std::uint64_t(0));
    QVERIFY2(QString::fromStdString(stranger.feed().connection().lastError).contains("certificate is not trusted"),
             stranger.feed().connection().lastError.c_str());
}

void TestLiveFeeds::venueHangsUpOnAClientThatDoesNotKeepAlive_data()
{
    QTest::addColumn<Venue>("venue");
    QTest::addColumn<bool>("onlyWhenQuiet");
    QTest::newRow("binance-usdm: its pings go unanswered") << Venue::BinanceUsdm << false;
    QTest::newRow("bybit-linear: no ping sent") << Venue::BybitLinear << false;
    QTest::newRow("okx-swap: nothing either way") << Venue::OkxSwap << true;
    QTest::newRow("hyperliquid: nothing sent") << Venue::Hyperliquid << false;
}

void TestLiveFeeds::venueHangsUpOnAClientThatDoesNotKeepAlive()
{
    // Each venue's rule with every time scaled down alike: the venue's limit (10 min, 30 s, 60 s)
    // becomes 600 ms, and our keep-alive interval and Binance's pings shrink in the same proportion
    // (OKX: ping after 20 s of silence against a 30 s limit → 400 ms against 600 ms), so that a
    // ping sent late would show. Our client stays connected throughout. A client that subscribes
    // and then stays silent — not even a pong — is hung up on, however much the venue pushes; on
    // OKX only once nothing passes either way, as OKX does.
    QFETCH(Venue, venue);
    QFETCH(bool, onlyWhenQuiet);
    constexpr auto kLimit = 600ms;
    sim::SimulatorOptions options = tlsOptions();
    options.pushInterval = 50ms;
    options.silenceLimits[venue] = kLimit;
    const auto scaled = [&](std::chrono::milliseconds real) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(kLimit * (double(real.count()) / double(sim::venueKeepAlive(venue).silenceLimit.count())));
    };
    options.binancePingInterval = scaled(3min);
    sim::ExchangeSimulator simulator(options);
    simulator.start();

    const auto protocol = MarkPriceProtocol::forVenue(venue);
    protocol->setSymbols({kSymbol.at(venue)});
    WsOptions ws = sessionOptions(simulator.baseUrl(), protocol->streamPath());
    ws.keepAlive = protocol->keepAlive();
    if (ws.keepAlive.mode != KeepAlive::Mode::AnswerServerPings) {
        ws.keepAlive.interval = scaled(ws.keepAlive.interval);
    }
    ws.openingMessages = protocol->subscribeMessages();
    RunningSession keeping(ws);
    const auto started = std::chrono::steady_clock::now();

    SilentClient silent(simulator.port(), protocol->streamPath(), protocol->subscribeMessages(),
                        m_dir.filePath("ca.pem").toStdString());
    QTRY_VERIFY_WITH_TIMEOUT(silent.texts() >= 3 && keeping->stats().framesReceived >= 3, 5000);
    if (onlyWhenQuiet) {
        QTest::qWait(3 * kLimit.count()); // a busy stream keeps an OKX connection alive
        QVERIFY2(!silent.closed(), silent.error().c_str());
        simulator.setStalled(true);
    }
    QTRY_VERIFY_WITH_TIMEOUT(silent.closed(), 3000);
    QVERIFY(silent.subscribed());
    if (!onlyWhenQuiet) {
        QVERIFY2(silent.lasted() >= kLimit - 50ms && silent.lasted() < kLimit + 500ms,
                 qPrintable(QString("hung up after %1 ms").arg(silent.lasted().count())));
    }
    if (venue == Venue::BinanceUsdm) {
        QVERIFY2(silent.pings() >= 2, qPrintable(QString("%1 pings").arg(silent.pings()))); // pinged, never answered
    }
    QCOMPARE(silent.closeCode(), venue == Venue::OkxSwap ? 4004 : 0); // OKX says why
    // Ours stays: several limits long, without a reconnect, still receiving (unless stalled).
    while (std::chrono::steady_clock::now() - started < 4 * kLimit) {
        QTest::qWait(50);
    }
    const std::uint64_t frames = keeping->stats().framesReceived;
    if (!onlyWhenQuiet) {
        QTRY_VERIFY_WITH_TIMEOUT(keeping->stats().framesReceived > frames + 3, 2000);
    }
    const WsStats stats = keeping->stats();
    QVERIFY2(stats.reconnects == 0, stats.lastError.c_str());
    QCOMPARE(stats.state, ConnectionState::Open);
}

void TestLiveFeeds::idleTimeoutRedialsASilentConnection()
{
    // A connection that receives nothing for the idle timeout (here 400 ms) is given up and
    // redialled, before the venue's own limit and whatever the venue does: a dead TCP connection
    // sends nothing either.
    const auto simulator = startSimulator(50ms);
    WsOptions ws = sessionOptions(simulator->baseUrl(), "/v5/public/linear");
    ws.idleTimeout = 400ms;
    ws.backoffInitial = 50ms;
    ws.openingMessages = {R"({"req_id":"1","op":"subscribe","args":["tickers.BTCUSDT"]})"};
    RunningSession session(ws);
    QTRY_VERIFY_WITH_TIMEOUT(session->stats().framesReceived >= 3, 5000);
    QTest::qWait(1000);
    QCOMPARE(session->stats().reconnects, std::uint64_t(0)); // frames every 50 ms: never idle
    simulator->setStalled(true);
    QTRY_VERIFY_WITH_TIMEOUT(session->stats().reconnects >= 1, 3000);
    const WsStats stats = session->stats(); // its last frame is the last one before the stall
    const auto after = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - stats.lastFrameAt);
    QVERIFY2(stats.lastError.find("nothing received for the idle timeout") != std::string::npos, stats.lastError.c_str());
    QVERIFY2(after >= 400ms && after < 2000ms, qPrintable(QString("redialled %1 ms after the last frame").arg(after.count())));
    simulator->setStalled(false);
    QTRY_VERIFY_WITH_TIMEOUT(session->stats().state == ConnectionState::Open, 3000);
    const std::uint64_t frames = session->stats().framesReceived;
    QTRY_VERIFY_WITH_TIMEOUT(session->stats().framesReceived > frames + 3, 3000); // re-subscribed
}

void TestLiveFeeds::scheduledStallsAndDelaysReachTheClient()
{
    // The simulator's scheduled faults (marginctl sim --stall-every/--stall-for/--delay-ms): every
    // push 150 ms late, and 500 ms of silence every 1.2 s. The marks arrive late by the delay; the
    // feed goes stale in each stall and fresh after it, on the same connection.
    sim::SimulatorOptions options = tlsOptions();
    options.pushInterval = 50ms;
    options.faults.frameDelay = 150ms;
    options.faults.stallEvery = 1200ms;
    options.faults.stallFor = 500ms;
    sim::ExchangeSimulator simulator(options);
    simulator.start();
    Client client(Venue::OkxSwap, simulator.baseUrl(), caFile(), 100ms);
    QTest::qWait(4000);
    const auto events = client.feedEvents();
    const auto count = [&](FeedState state) {
        return std::count_if(events.begin(), events.end(), [&](const auto& event) { return event.first == state; });
    };
    QVERIFY2(count(FeedState::Stale) >= 2 && count(FeedState::Fresh) >= 3,
             qPrintable(QString("%1 stale, %2 fresh").arg(count(FeedState::Stale)).arg(count(FeedState::Fresh))));
    QCOMPARE(client.feed().connection().reconnects, std::uint64_t(0));
    auto lags = client.lags();
    QVERIFY(lags.size() > 20);
    std::sort(lags.begin(), lags.end());
    const auto median = lags[lags.size() / 2];
    QVERIFY2(lags.front() >= 140ms && median < 250ms,
             qPrintable(QString("lag: least %1 ms, median %2 ms").arg(lags.front().count()).arg(median.count())));
}

void TestLiveFeeds::plainWebSocketOnlyToLoopback()
{
    std::string problem;
    QVERIFY(!WsUrl::parse("ws://fstream.binance.com/market/stream", problem));
    QVERIFY2(QString::fromStdString(problem).contains("only loopback addresses"), problem.c_str());
    QVERIFY(WsUrl::parse("ws://127.0.0.1:9000/ws", problem));
    QVERIFY(WsUrl::parse("ws://localhost:9000/ws", problem));
    const auto secure = WsUrl::parse("wss://fstream.binance.com/market/stream?streams=btcusdt@markPrice@1s", problem);
    QVERIFY(secure);
    QCOMPARE(secure->port, std::string("443"));
    QCOMPARE(secure->target, std::string("/market/stream?streams=btcusdt@markPrice@1s"));
    QVERIFY(!WsUrl::parse("https://example.com", problem));
    QVERIFY(!WsUrl::parse("wss://host:99999/", problem));

    // A WsUrl put together by hand cannot slip past: the session refuses it too.
    boost::asio::io_context io;
    WsOptions options;
    options.url.tls = false;
    options.url.host = "203.0.113.7";
    options.url.port = "80";
    options.url.target = "/ws";
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, WsSession::create(io, options, {}));
}

QTEST_GUILESS_MAIN(TestLiveFeeds)
#include "tst_live_feeds.moc"
