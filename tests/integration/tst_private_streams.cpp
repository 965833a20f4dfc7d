// The keyed venues' private account streams against the exchange simulator on loopback, TLS verified
// with a throw-away CA made at test time: each venue authenticates and delivers a position change;
// after a dropped connection the client logs in again BEFORE it subscribes again (the simulator
// refuses the other order, and its journal of what each connection did is checked) and
// onResubscribed is called; Binance's listenKey is kept alive, replaced after it expired, and never
// deleted; margin calls arrive as MarginCall; a wrong key is a problem in the venue's words without
// the secret; a skewed venue clock is met by the measured offset.
#include "net/https_client.h"
#include "net/private_account_stream.h"
#include "net/server_clock.h"
#include "sim/exchange_simulator.h"
#include "test_certificates.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <QTemporaryDir>
#include <QtTest>

#include <future>
#include <mutex>
#include <thread>

using namespace mm;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(mm::Venue)

namespace {

constexpr std::string_view kSecret = "sim-secret-for-private-streams-0123456789";
constexpr std::string_view kPassphrase = "correct horse";

std::string keyOf(Venue venue)
{
    return "stream-" + std::string(venueName(venue));
}

std::string symbolOf(Venue venue)
{
    return venue == Venue::OkxSwap ? "BTC-USDT-SWAP" : "BTCUSDT";
}

std::int64_t localNowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// The simulator's OKX swaps have ctVal 0.01 (sim/rest_api.cpp).
std::optional<Decimal> simulatorContractValue(std::string_view instId)
{
    return instId.ends_with("-SWAP") ? std::optional(Decimal::parse("0.01")) : std::nullopt;
}

Position longPosition(Venue venue, std::string_view quantity)
{
    Position position;
    position.symbol = symbolOf(venue);
    position.side = Side::Long;
    position.quantity = Decimal::parse(quantity);
    position.entryPrice = Decimal::parse("60000");
    position.leverage = Decimal::fromInteger(10);
    return position;
}

/// What a stream reported, collected from the io thread.
class Recorder {
public:
    PrivateAccountStream::Callbacks callbacks()
    {
        PrivateAccountStream::Callbacks result;
        result.onEvent = [this](const AccountEvent& event) {
            const std::lock_guard lock(m_mutex);
            m_events.push_back(event);
        };
        result.onState = [this](const PrivateStreamStatus& status) {
            const std::lock_guard lock(m_mutex);
            m_status = status;
        };
        result.onProblem = [this](const std::string& problem) {
            const std::lock_guard lock(m_mutex);
            m_problems.push_back(problem);
        };
        result.onResubscribed = [this] {
            const std::lock_guard lock(m_mutex);
            ++m_resubscribed;
        };
        return result;
    }

    [[nodiscard]] bool ready() const
    {
        const std::lock_guard lock(m_mutex);
        return m_status.authenticated && m_status.subscribed;
    }
    [[nodiscard]] int resubscribed() const
    {
        const std::lock_guard lock(m_mutex);
        return m_resubscribed;
    }
    [[nodiscard]] PrivateStreamStatus status() const
    {
        const std::lock_guard lock(m_mutex);
        return m_status;
    }
    [[nodiscard]] std::vector<std::string> problems() const
    {
        const std::lock_guard lock(m_mutex);
        return m_problems;
    }
    [[nodiscard]] std::string problemsText() const
    {
        std::string text;
        for (const std::string& problem : problems()) {
            text += problem + " | ";
        }
        return text;
    }
    [[nodiscard]] int count(AccountEvent::Kind kind) const
    {
        const std::lock_guard lock(m_mutex);
        return static_cast<int>(std::count_if(m_events.begin(), m_events.end(),
                                              [&](const AccountEvent& event) { return event.kind == kind; }));
    }
    /// A positions event holding `symbol` with this quantity.
    [[nodiscard]] bool sawPosition(const std::string& symbol, const Decimal& quantity) const
    {
        const std::lock_guard lock(m_mutex);
        for (const AccountEvent& event : m_events) {
            if (event.kind != AccountEvent::Kind::PositionsUpdate && event.kind != AccountEvent::Kind::PositionsSnapshot) {
                continue;
            }
            for (const SnapshotPosition& snapshot : event.positions) {
                if (snapshot.position.symbol == symbol && snapshot.position.quantity == quantity) {
                    return true;
                }
            }
        }
        return false;
    }
    [[nodiscard]] std::vector<AccountEvent> events(AccountEvent::Kind kind) const
    {
        const std::lock_guard lock(m_mutex);
        std::vector<AccountEvent> found;
        std::copy_if(m_events.begin(), m_events.end(), std::back_inserter(found),
                     [&](const AccountEvent& event) { return event.kind == kind; });
        return found;
    }

private:
    mutable std::mutex m_mutex;
    std::vector<AccountEvent> m_events;
    std::vector<std::string> m_problems;
    PrivateStreamStatus m_status;
    int m_resubscribed = 0;
};

/// An io_context on its own thread, as in the app.
class IoThread {
public:
    IoThread() : m_thread([this] { m_io.run(); }) {}
    ~IoThread()
    {
        m_work.reset();
        m_io.stop();
        m_thread.join();
    }
    IoThread(const IoThread&) = delete;
    IoThread& operator=(const IoThread&) = delete;
    boost::asio::io_context& io() { return m_io; }

private:
    boost::asio::io_context m_io;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> m_work = boost::asio::make_work_guard(m_io);
    std::thread m_thread;
};

int countActions(const std::vector<sim::PrivateJournalEntry>& journal, std::string_view action)
{
    return static_cast<int>(std::count_if(journal.begin(), journal.end(),
                                          [&](const sim::PrivateJournalEntry& entry) { return entry.action == action; }));
}

std::string journalText(const std::vector<sim::PrivateJournalEntry>& journal)
{
    std::string text;
    for (const sim::PrivateJournalEntry& entry : journal) {
        text += "#" + std::to_string(entry.connection) + " " + entry.action + (entry.detail.empty() ? "" : " " + entry.detail) + "; ";
    }
    return text;
}

} // namespace

class TestPrivateStreams : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void authenticatesAndReceivesPositionChanges_data();
    void authenticatesAndReceivesPositionChanges();
    void reconnectLogsInBeforeSubscribing_data();
    void reconnectLogsInBeforeSubscribing();
    void binanceListenKeyKeptAliveAndReplacedNeverDeleted();
    void marginCallIsAConfirmation_data();
    void marginCallIsAConfirmation();
    void wrongKeyIsAProblemInTheVenuesWords_data();
    void wrongKeyIsAProblemInTheVenuesWords();
    void clockSkewIsMetByTheMeasuredOffset_data();
    void clockSkewIsMetByTheMeasuredOffset();

private:
    std::unique_ptr<sim::ExchangeSimulator> startSimulator(std::chrono::milliseconds clockSkew = 0ms)
    {
        sim::SimulatorOptions options;
        options.certificateFile = m_dir.filePath("server.pem").toStdString();
        options.privateKeyFile = m_dir.filePath("server.key").toStdString();
        options.pushInterval = 50ms;
        options.okxPositionsInterval = 1s;
        options.clockSkew = clockSkew;
        options.walk.volatilityPerSecond = 0;
        options.walk.jumpsPerSecond = 0;
        options.startPrices = {{"BTCUSDT", 60000.0}, {"BTC-USDT-SWAP", 60000.0}};
        for (const Venue venue : {Venue::BinanceUsdm, Venue::BybitLinear, Venue::OkxSwap}) {
            Portfolio account;
            account.account.venue = venue;
            account.account.walletBalance = Decimal::fromInteger(10000);
            options.apiKeys.push_back({venue, keyOf(venue), std::string(kSecret), std::string(kPassphrase), {true, false, false}, account});
        }
        auto simulator = std::make_unique<sim::ExchangeSimulator>(options);
        simulator->start();
        return simulator;
    }

    PrivateAccountStream::Options streamOptions(Venue venue, const sim::ExchangeSimulator& simulator) const
    {
        std::string problem;
        PrivateAccountStream::Options options;
        options.venue = venue;
        options.wsBase = *WsUrl::parse(simulator.baseUrl(), problem);
        options.restBase = *HttpUrl::parse("https://127.0.0.1:" + std::to_string(simulator.port()), problem);
        options.trust = {m_dir.filePath("ca.pem").toStdString(), {}};
        options.credentials = {keyOf(venue), std::string(kSecret), std::string(kPassphrase)};
        options.backoffInitial = 50ms;
        options.listenKeyRetry = 200ms;
        options.contractValue = simulatorContractValue;
        return options;
    }

    QTemporaryDir m_dir;
};

void TestPrivateStreams::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString problem = test::makeTestCertificates(m_dir.path());
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TestPrivateStreams::authenticatesAndReceivesPositionChanges_data()
{
    QTest::addColumn<Venue>("venue");
    QTest::newRow("binance") << Venue::BinanceUsdm;
    QTest::newRow("bybit") << Venue::BybitLinear;
    QTest::newRow("okx") << Venue::OkxSwap;
}

void TestPrivateStreams::authenticatesAndReceivesPositionChanges()
{
    QFETCH(Venue, venue);
    const auto simulator = startSimulator();
    IoThread io;
    Recorder recorder;
    PrivateAccountStream stream(io.io(), streamOptions(venue, *simulator), recorder.callbacks());
    stream.start();
    QTRY_VERIFY2_WITH_TIMEOUT(recorder.ready(), recorder.problemsText().c_str(), 10000);
    QCOMPARE(recorder.resubscribed(), 0); // the first login is no re-subscription

    simulator->setAccountPosition(keyOf(venue), longPosition(venue, "0.5"));
    QTRY_VERIFY_WITH_TIMEOUT(recorder.sawPosition(symbolOf(venue), Decimal::parse("0.5")), 5000);
    // Closed: a zero quantity for that symbol.
    simulator->setAccountPosition(keyOf(venue), longPosition(venue, "0"));
    QTRY_VERIFY_WITH_TIMEOUT(recorder.sawPosition(symbolOf(venue), Decimal()), 5000);
    if (venue != Venue::OkxSwap) { // OKX's wallet is on its account channel, not subscribed here
        simulator->setAccountWallet(keyOf(venue), Decimal::parse("12345.5"));
        QTRY_VERIFY_WITH_TIMEOUT(!recorder.events(AccountEvent::Kind::BalancesUpdate).empty(), 5000);
        QCOMPARE(recorder.events(AccountEvent::Kind::BalancesUpdate).back().balances->walletBalance, Decimal::parse("12345.5"));
    }
    QVERIFY2(recorder.problems().empty(), recorder.problemsText().c_str());
    QCOMPARE(recorder.count(AccountEvent::Kind::Malformed), 0);
    stream.stop();
}

void TestPrivateStreams::reconnectLogsInBeforeSubscribing_data()
{
    QTest::addColumn<Venue>("venue");
    QTest::addColumn<bool>("bySimulator"); ///< the simulator drops every connection, or the client redials
    QTest::newRow("binance, dropped") << Venue::BinanceUsdm << true;
    QTest::newRow("bybit, dropped") << Venue::BybitLinear << true;
    QTest::newRow("bybit, reconnectNow") << Venue::BybitLinear << false;
    QTest::newRow("okx, dropped") << Venue::OkxSwap << true;
    QTest::newRow("okx, reconnectNow") << Venue::OkxSwap << false;
}

void TestPrivateStreams::reconnectLogsInBeforeSubscribing()
{
    QFETCH(Venue, venue);
    QFETCH(bool, bySimulator);
    const auto simulator = startSimulator();
    IoThread io;
    Recorder recorder;
    PrivateAccountStream stream(io.io(), streamOptions(venue, *simulator), recorder.callbacks());
    stream.start();
    QTRY_VERIFY2_WITH_TIMEOUT(recorder.ready(), recorder.problemsText().c_str(), 10000);

    if (bySimulator) {
        simulator->dropConnections();
    } else {
        stream.reconnectNow();
    }
    QTRY_VERIFY2_WITH_TIMEOUT(recorder.resubscribed() == 1 && recorder.ready(), recorder.problemsText().c_str(), 10000);
    QVERIFY(recorder.status().ws.connects >= 2);

    // The stream works on the new connection.
    simulator->setAccountPosition(keyOf(venue), longPosition(venue, "0.25"));
    QTRY_VERIFY_WITH_TIMEOUT(recorder.sawPosition(symbolOf(venue), Decimal::parse("0.25")), 5000);

    // What the simulator saw, connection by connection: each one logged in before it subscribed.
    const auto journal = simulator->privateJournal();
    const std::string seen = journalText(journal);
    std::map<std::uint64_t, std::vector<std::string>> byConnection;
    for (const sim::PrivateJournalEntry& entry : journal) {
        if (entry.connection != 0) {
            byConnection[entry.connection].push_back(entry.action);
        }
    }
    QVERIFY2(byConnection.size() >= 2, seen.c_str());
    QCOMPARE(countActions(journal, "subscribe refused"), 0);
    int subscribedConnections = 0;
    for (const auto& [connection, actions] : byConnection) {
        QVERIFY2(actions.front() == "connect", seen.c_str());
        if (venue == Venue::BinanceUsdm) {
            continue; // the listenKey in the URL is the login
        }
        const auto login = std::find(actions.begin(), actions.end(), venue == Venue::BybitLinear ? "auth" : "login");
        const auto subscribe = std::find(actions.begin(), actions.end(), "subscribe");
        if (subscribe != actions.end()) {
            ++subscribedConnections;
            QVERIFY2(login != actions.end() && login < subscribe, seen.c_str());
        }
    }
    if (venue != Venue::BinanceUsdm) {
        QVERIFY2(subscribedConnections >= 2, seen.c_str());
    }
    stream.stop();
}

void TestPrivateStreams::binanceListenKeyKeptAliveAndReplacedNeverDeleted()
{
    const auto simulator = startSimulator();
    IoThread io;
    Recorder recorder;
    PrivateAccountStream::Options options = streamOptions(Venue::BinanceUsdm, *simulator);
    options.listenKeyKeepAlive = 200ms;
    {
        PrivateAccountStream stream(io.io(), options, recorder.callbacks());
        stream.start();
        QTRY_VERIFY2_WITH_TIMEOUT(recorder.ready(), recorder.problemsText().c_str(), 10000);
        QCOMPARE(countActions(simulator->privateJournal(), "POST /fapi/v1/listenKey"), 1);
        QTRY_VERIFY_WITH_TIMEOUT(countActions(simulator->privateJournal(), "PUT /fapi/v1/listenKey") >= 2, 5000);

        // The key expires: the client hears it, POSTs for a new key and streams on it.
        simulator->expireListenKey(keyOf(Venue::BinanceUsdm));
        QTRY_VERIFY_WITH_TIMEOUT(recorder.count(AccountEvent::Kind::ListenKeyExpired) == 1, 5000);
        QTRY_VERIFY2_WITH_TIMEOUT(recorder.resubscribed() == 1 && recorder.ready(), recorder.problemsText().c_str(), 10000);
        QCOMPARE(countActions(simulator->privateJournal(), "POST /fapi/v1/listenKey"), 2);
        simulator->setAccountPosition(keyOf(Venue::BinanceUsdm), longPosition(Venue::BinanceUsdm, "0.75"));
        QTRY_VERIFY_WITH_TIMEOUT(recorder.sawPosition("BTCUSDT", Decimal::parse("0.75")), 5000);

        // The key dies while the connection is down: the redial finds it gone, and a new one is made.
        simulator->expireListenKey(keyOf(Venue::BinanceUsdm));
        simulator->dropConnections();
        QTRY_VERIFY2_WITH_TIMEOUT(recorder.resubscribed() >= 2 && recorder.ready(), recorder.problemsText().c_str(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(countActions(simulator->privateJournal(), "POST /fapi/v1/listenKey"), 3, 5000);
        stream.stop();
    } // destroyed too: still no DELETE
    std::this_thread::sleep_for(300ms);
    const auto journal = simulator->privateJournal();
    QVERIFY2(countActions(journal, "DELETE /fapi/v1/listenKey") == 0, journalText(journal).c_str());
    for (const std::string& problem : recorder.problems()) {
        QVERIFY2(problem.find(kSecret) == std::string::npos, problem.c_str());
    }
}

void TestPrivateStreams::marginCallIsAConfirmation_data()
{
    QTest::addColumn<Venue>("venue");
    QTest::newRow("binance MARGIN_CALL") << Venue::BinanceUsdm;
    QTest::newRow("okx liquidation-warning") << Venue::OkxSwap;
}

void TestPrivateStreams::marginCallIsAConfirmation()
{
    QFETCH(Venue, venue);
    const auto simulator = startSimulator();
    IoThread io;
    Recorder recorder;
    PrivateAccountStream stream(io.io(), streamOptions(venue, *simulator), recorder.callbacks());
    stream.start();
    QTRY_VERIFY2_WITH_TIMEOUT(recorder.ready(), recorder.problemsText().c_str(), 10000);
    simulator->setAccountPosition(keyOf(venue), longPosition(venue, "1.5"));
    QTRY_VERIFY_WITH_TIMEOUT(recorder.sawPosition(symbolOf(venue), Decimal::parse("1.5")), 5000);

    simulator->pushMarginCall(keyOf(venue));
    QTRY_COMPARE_WITH_TIMEOUT(recorder.count(AccountEvent::Kind::MarginCall), 1, 5000);
    const AccountEvent call = recorder.events(AccountEvent::Kind::MarginCall).front();
    QCOMPARE(call.positions.size(), std::size_t(1));
    QCOMPARE(call.positions.front().position.symbol, symbolOf(venue));
    QCOMPARE(call.positions.front().position.quantity, Decimal::parse("1.5"));
    QVERIFY(call.positions.front().position.markPrice.isPositive());
    stream.stop();
}

void TestPrivateStreams::wrongKeyIsAProblemInTheVenuesWords_data()
{
    QTest::addColumn<Venue>("venue");
    QTest::addColumn<QString>("apiKey");
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QString>("passphrase");
    QTest::addColumn<QString>("venueSaid");

    const QString key = QString::fromStdString(keyOf(Venue::BybitLinear));
    QTest::newRow("bybit wrong secret") << Venue::BybitLinear << key << "not-the-secret-at-all" << "" << "error:verify signature fail";
    QTest::newRow("bybit unknown key") << Venue::BybitLinear << "nobody" << QString::fromUtf8(kSecret.data()) << ""
                                       << "error:apiKey invalid";
    const QString okxKey = QString::fromStdString(keyOf(Venue::OkxSwap));
    QTest::newRow("okx wrong secret") << Venue::OkxSwap << okxKey << "not-the-secret-at-all" << QString::fromUtf8(kPassphrase.data())
                                      << "60007 Invalid sign";
    QTest::newRow("okx wrong passphrase") << Venue::OkxSwap << okxKey << QString::fromUtf8(kSecret.data()) << "wrong horse"
                                          << "60024 Wrong passphrase";
    QTest::newRow("binance unknown key") << Venue::BinanceUsdm << "nobody" << "not-the-secret-at-all" << ""
                                         << "-2015 Invalid API-key, IP, or permissions for action.";
}

void TestPrivateStreams::wrongKeyIsAProblemInTheVenuesWords()
{
    QFETCH(Venue, venue);
    QFETCH(QString, apiKey);
    QFETCH(QString, secret);
    QFETCH(QString, passphrase);
    QFETCH(QString, venueSaid);
    const auto simulator = startSimulator();
    IoThread io;
    Recorder recorder;
    PrivateAccountStream::Options options = streamOptions(venue, *simulator);
    options.credentials = {apiKey.toStdString(), secret.toStdString(), passphrase.isEmpty() ? "x" : passphrase.toStdString()};
    PrivateAccountStream stream(io.io(), options, recorder.callbacks());
    stream.start();
    QTRY_VERIFY_WITH_TIMEOUT(!recorder.problems().empty(), 10000);
    const std::string problem = recorder.problems().front();
    const std::string venueTitle = venue == Venue::BinanceUsdm ? "Binance" : (venue == Venue::BybitLinear ? "Bybit" : "OKX");
    QVERIFY2(problem.starts_with(venueTitle + " refused the key " + apiKey.left(4).toStdString()), problem.c_str());
    QVERIFY2(problem.find(venueSaid.toStdString()) != std::string::npos, problem.c_str());
    QVERIFY2(problem.find(secret.toStdString()) == std::string::npos, "the secret is in the problem");
    QVERIFY(!recorder.status().authenticated);
    // Refused once, not hammered: the stream stops asking.
    std::this_thread::sleep_for(500ms);
    QCOMPARE(static_cast<int>(recorder.problems().size()), 1);
    QCOMPARE(recorder.count(AccountEvent::Kind::PositionsUpdate), 0);
    stream.stop();
}

void TestPrivateStreams::clockSkewIsMetByTheMeasuredOffset_data()
{
    QTest::addColumn<Venue>("venue");
    QTest::addColumn<bool>("applyOffset");
    QTest::newRow("bybit, offset applied") << Venue::BybitLinear << true;
    QTest::newRow("bybit, this machine's clock") << Venue::BybitLinear << false;
    QTest::newRow("okx, offset applied") << Venue::OkxSwap << true;
}

void TestPrivateStreams::clockSkewIsMetByTheMeasuredOffset()
{
    QFETCH(Venue, venue);
    QFETCH(bool, applyOffset);
    const auto simulator = startSimulator(7s); // the venue's clock runs 7 s ahead of this machine's
    IoThread io;

    // The offset, measured as the app does it: the venue's server time over REST.
    HttpsOptions https;
    https.url = streamOptions(venue, *simulator).restBase;
    https.trust = {m_dir.filePath("ca.pem").toStdString(), {}};
    const auto client = HttpsClient::create(io.io(), https);
    auto clock = std::make_shared<ServerClockOffset>();
    for (int i = 0; i < 3; ++i) {
        std::promise<std::string> answered;
        requestServerTime(*client, venue, [&](std::optional<ServerTimeSample> sample, const std::string& said) {
            if (sample) {
                clock->addSample(*sample);
            }
            answered.set_value(said);
        });
        const std::string said = answered.get_future().get();
        QVERIFY2(said.empty(), said.c_str());
    }
    client->close();
    QVERIFY(clock->offsetMs().has_value());
    QVERIFY2(std::llabs(*clock->offsetMs() - 7000) < 500, std::to_string(*clock->offsetMs()).c_str());

    Recorder recorder;
    PrivateAccountStream::Options options = streamOptions(venue, *simulator);
    if (applyOffset) {
        options.serverNowMs = [clock] { return clock->serverTimeMs(localNowMs()); };
    }
    PrivateAccountStream stream(io.io(), options, recorder.callbacks());
    stream.start();
    if (applyOffset) {
        QTRY_VERIFY2_WITH_TIMEOUT(recorder.ready(), recorder.problemsText().c_str(), 10000);
    } else {
        // expires = this machine's time + 5 s is already 2 s in the venue's past.
        QTRY_VERIFY_WITH_TIMEOUT(!recorder.problems().empty(), 10000);
        const std::string problem = recorder.problems().front();
        QVERIFY2(problem.find("error:request expired") != std::string::npos, problem.c_str());
        QVERIFY2(problem.find("clock") != std::string::npos, problem.c_str());
        QVERIFY(!recorder.status().authenticated);
    }
    stream.stop();
}

QTEST_GUILESS_MAIN(TestPrivateStreams)
#include "tst_private_streams.moc"
