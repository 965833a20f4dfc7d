// Live mark prices over loopback against the exchange simulator, TLS verified with a throw-away CA
// made at test time: every venue subscribes and receives; a dropped connection comes back within
// 2 s; a stalled feed turns stale within three intervals and fresh again; malformed frames are
// survived; an untrusted certificate is refused with a clear message.
#include "engine/monitor.h"
#include "net/mark_price_feed.h"
#include "net/ws_session.h"
#include "portfolio/portfolio_file.h"
#include "sim/exchange_simulator.h"
#include "sim/throwaway_certificates.h"
#include "test_certificates.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <QTemporaryDir>
#include <QtTest>

#include <optional>
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
            }
            m_monitor.applyTick(tick);
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
    void rollsOverBeforeBinanceEndsTheConnection();
    void refusesAnUntrustedCertificate();
    void demoCertificatesAreVerified();
    void venueHangsUpOnAClientThatDoesNotKeepAlive();
    void plainWebSocketOnlyToLoopback();

private:
    static void venueRows()
    {
        QTest::addColumn<Venue>("venue");
        for (const auto& [venue, symbol] : kSymbol) {
            QTest::newRow(venueName(venue).data()) << venue;
        }
    }
    std::unique_ptr<sim::ExchangeSimulator> startSimulator(std::chrono::milliseconds pushInterval, double timeScale = 1.0)
    {
        sim::SimulatorOptions options;
        options.certificateFile = m_dir.filePath("server.pem").toStdString();
        options.privateKeyFile = m_dir.filePath("server.key").toStdString();
        options.pushInterval = pushInterval;
        options.timeScale = timeScale;
        auto simulator = std::make_unique<sim::ExchangeSimulator>(options);
        simulator->start();
        return simulator;
    }
    mm::TlsTrust caFile() const { return {m_dir.filePath("ca.pem").toStdString(), {}}; }

    QTemporaryDir m_dir;
};

void TestLiveFeeds::initTestCase()
{
    // A throw-away CA and a server certificate for 127.0.0.1 and localhost, made here, never kept.
    QVERIFY(m_dir.isValid());
    const QString problem = test::makeTestCertificates(m_dir.path());
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
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
    simulator->sendMalformed(12);
    QTRY_VERIFY2_WITH_TIMEOUT(client.feed().counters().malformed >= 12,
                              qPrintable(QString("%1 malformed, %2 reconnects, last: %3")
                                             .arg(client.feed().counters().malformed)
                                             .arg(client.feed().connection().reconnects)
                                             .arg(QString::fromStdString(client.feed().connection().lastError))),
                              5000);
    const std::uint64_t ticks = client.feed().counters().ticks;
    QTRY_VERIFY_WITH_TIMEOUT(client.feed().counters().ticks >= ticks + 5, 3000);
    QCOMPARE(client.feed().connection().reconnects, std::uint64_t(0));
    QVERIFY(!client.feed().counters().lastProblem.empty());
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

void TestLiveFeeds::refusesAnUntrustedCertificate()
{
    const auto simulator = startSimulator(50ms);
    Client client(Venue::BinanceUsdm, simulator->baseUrl(), mm::TlsTrust{}, 100ms); // the system store does not know our CA
    QTRY_VERIFY_WITH_TIMEOUT(client.feed().connection().reconnects >= 1, 5000);
    const WsStats connection = client.feed().connection();
    QCOMPARE(connection.connects, std::uint64_t(0));
    QVERIFY2(QString::fromStdString(connection.lastError).contains("certificate is not trusted"), connection.lastError.c_str());
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

void TestLiveFeeds::venueHangsUpOnAClientThatDoesNotKeepAlive()
{
    // OKX closes a connection silent for 30 s; here 400 ms. With the stream stalled, a client that
    // never pings is dropped, one that sends the text ping when idle stays.
    sim::SimulatorOptions options;
    options.certificateFile = m_dir.filePath("server.pem").toStdString();
    options.privateKeyFile = m_dir.filePath("server.key").toStdString();
    options.pushInterval = 50ms;
    options.silenceLimits[Venue::OkxSwap] = 400ms;
    sim::ExchangeSimulator simulator(options);
    simulator.start();

    boost::asio::io_context io;
    const auto makeSession = [&](KeepAlive keepAlive) {
        std::string problem;
        WsOptions ws;
        ws.url = WsUrl::parse(simulator.baseUrl() + "/ws/v5/public", problem).value();
        ws.trust = caFile();
        ws.keepAlive = std::move(keepAlive);
        ws.openingMessages = {R"({"op":"subscribe","args":[{"channel":"mark-price","instId":"BTC-USDT-SWAP"}]})"};
        return WsSession::create(io, std::move(ws), {});
    };
    const auto silent = makeSession({KeepAlive::Mode::AnswerServerPings, {}, 0ms});
    const auto polite = makeSession({KeepAlive::Mode::SendWhenIdle, "ping", 150ms});
    silent->start();
    polite->start();
    std::thread thread([&] { io.run(); });
    QTRY_VERIFY_WITH_TIMEOUT(silent->stats().framesReceived > 3 && polite->stats().framesReceived > 3, 5000);
    simulator.setStalled(true);
    QTest::qWait(1500);
    QVERIFY(silent->stats().reconnects >= 1);
    QCOMPARE(polite->stats().reconnects, std::uint64_t(0));
    silent->stop();
    polite->stop();
    boost::asio::post(io, [&] { io.stop(); });
    thread.join();
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
