// A venue's clock, measured: the offset arithmetic, the three venues' server-time answers (and
// broken ones), and — against the simulator with its clock set 7 s ahead or 4 s behind — the
// measured offset over a real HTTPS request, with the words a trader gets when a timestamp is refused.
#include "net/https_client.h"
#include "net/server_clock.h"
#include "sim/exchange_simulator.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <QtTest>

#include <future>
#include <thread>

using namespace mm;
namespace asio = boost::asio;

class TestServerClock : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void offsetFromTheMidpoint();
    void keepsTheShortestRoundTrip();
    void ignoresAClockThatSteppedBack();
    void readsEachVenuesAnswer_data();
    void readsEachVenuesAnswer();
    void refusesOtherAnswers_data();
    void refusesOtherAnswers();
    void measuresASkewedExchange_data();
    void measuresASkewedExchange();
    void explainsARefusedTimestamp();
};

void TestServerClock::offsetFromTheMidpoint()
{
    ServerClockOffset clock;
    QVERIFY(!clock.offsetMs());
    QCOMPARE(clock.serverTimeMs(1000), std::int64_t(1000)); // unmeasured: local time
    clock.addSample({10'000, 17'050, 10'100}); // midpoint 10,050: the server is 7 s ahead
    QCOMPARE(*clock.offsetMs(), std::int64_t(7000));
    QCOMPARE(*clock.roundTripMs(), std::int64_t(100));
    QCOMPARE(clock.serverTimeMs(20'000), std::int64_t(27'000));
}

void TestServerClock::keepsTheShortestRoundTrip()
{
    ServerClockOffset clock;
    clock.addSample({0, 5000, 2000});   // offset 4000, round trip 2 s: a slow answer
    clock.addSample({10'000, 17'010, 10'020}); // offset 7000, round trip 20 ms
    clock.addSample({20'000, 27'500, 20'900}); // offset 7050, round trip 900 ms
    QCOMPARE(*clock.offsetMs(), std::int64_t(7000));
    // Old samples leave: after kSamplesKept newer ones, the best of those counts.
    for (std::size_t i = 0; i < ServerClockOffset::kSamplesKept; ++i) {
        const auto t = std::int64_t(100'000 + 1000 * i);
        clock.addSample({t, t + 50 + 3000, t + 100});
    }
    QCOMPARE(*clock.offsetMs(), std::int64_t(3000));
}

void TestServerClock::ignoresAClockThatSteppedBack()
{
    ServerClockOffset clock;
    clock.addSample({10'000, 5, 9000});
    QVERIFY(!clock.offsetMs());
}

void TestServerClock::readsEachVenuesAnswer_data()
{
    QTest::addColumn<Venue>("venue");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<qint64>("expected");
    QTest::newRow("binance") << Venue::BinanceUsdm << QByteArray(R"({"serverTime":1499827319559})") << qint64(1499827319559);
    QTest::newRow("bybit")
        << Venue::BybitLinear
        << QByteArray(R"({"retCode":0,"retMsg":"OK","result":{"timeSecond":"1688639403","timeNano":"1688639403423213947"},"retExtInfo":{},"time":1688639403423})")
        << qint64(1688639403423);
    QTest::newRow("okx") << Venue::OkxSwap << QByteArray(R"({"code":"0","msg":"","data":[{"ts":"1597026383085"}]})")
                         << qint64(1597026383085);
}

void TestServerClock::readsEachVenuesAnswer()
{
    QFETCH(Venue, venue);
    QFETCH(QByteArray, body);
    QFETCH(qint64, expected);
    std::string problem;
    const auto time = parseServerTimeMs(venue, body.toStdString(), problem);
    QVERIFY2(time, problem.c_str());
    QCOMPARE(*time, std::int64_t(expected));
}

void TestServerClock::refusesOtherAnswers_data()
{
    QTest::addColumn<Venue>("venue");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("problem");
    QTest::newRow("binance truncated") << Venue::BinanceUsdm << QByteArray(R"({"serverTime":14998)") << "not JSON";
    QTest::newRow("binance error") << Venue::BinanceUsdm << QByteArray(R"({"code":-1003,"msg":"Too many requests"})") << "missing";
    QTest::newRow("binance as text") << Venue::BinanceUsdm << QByteArray(R"({"serverTime":"soon"})") << "serverTime";
    QTest::newRow("binance an array") << Venue::BinanceUsdm << QByteArray("[1]") << "not a JSON object";
    QTest::newRow("bybit error") << Venue::BybitLinear << QByteArray(R"({"retCode":10006,"retMsg":"Too many visits!","time":1})")
                                 << "with an error";
    QTest::newRow("okx no data") << Venue::OkxSwap << QByteArray(R"({"code":"50011","msg":"Rate limit","data":[]})") << "no data";
    QTest::newRow("okx negative") << Venue::OkxSwap << QByteArray(R"({"code":"0","data":[{"ts":"-5"}]})") << "not positive";
    QTest::newRow("hyperliquid") << Venue::Hyperliquid << QByteArray("{}") << "no server-time endpoint";
}

void TestServerClock::refusesOtherAnswers()
{
    QFETCH(Venue, venue);
    QFETCH(QByteArray, body);
    QFETCH(QString, problem);
    std::string said;
    QVERIFY(!parseServerTimeMs(venue, body.toStdString(), said));
    QVERIFY2(QString::fromStdString(said).contains(problem), said.c_str());
}

void TestServerClock::measuresASkewedExchange_data()
{
    QTest::addColumn<Venue>("venue");
    QTest::addColumn<int>("skewMs");
    for (const Venue venue : {Venue::BinanceUsdm, Venue::BybitLinear, Venue::OkxSwap}) {
        const QByteArray name = venueName(venue).data();
        QTest::newRow(name + " 7 s ahead") << venue << 7000;
        QTest::newRow(name + " 4 s behind") << venue << -4000;
    }
}

void TestServerClock::measuresASkewedExchange()
{
    QFETCH(Venue, venue);
    QFETCH(int, skewMs);
    sim::SimulatorOptions options;
    options.clockSkew = std::chrono::milliseconds(skewMs);
    sim::ExchangeSimulator simulator(options);
    simulator.start();

    asio::io_context io;
    auto work = asio::make_work_guard(io);
    std::thread thread([&] { io.run(); });
    std::string problem;
    const auto url = HttpUrl::parse(simulator.baseUrl().replace(0, 2, "http"), problem);
    QVERIFY2(url, problem.c_str());
    HttpsOptions httpsOptions;
    httpsOptions.url = *url;
    auto client = HttpsClient::create(io, httpsOptions);

    ServerClockOffset clock;
    for (int i = 0; i < 3; ++i) {
        std::promise<std::string> answered;
        requestServerTime(*client, venue, [&](std::optional<ServerTimeSample> sample, const std::string& said) {
            if (sample) {
                clock.addSample(*sample); // on the io thread; read below only after the promise
            }
            answered.set_value(said);
        });
        const std::string said = answered.get_future().get();
        QVERIFY2(said.empty(), said.c_str());
    }
    client->close();
    work.reset();
    thread.join();

    QVERIFY(clock.offsetMs());
    // Loopback: the offset is the skew to within half a round trip, plus a millisecond of rounding.
    const std::int64_t error = std::llabs(*clock.offsetMs() - skewMs);
    QVERIFY2(error <= *clock.roundTripMs() / 2 + 2, qPrintable(QStringLiteral("offset %1 ms, round trip %2 ms")
                                                                   .arg(*clock.offsetMs())
                                                                   .arg(*clock.roundTripMs())));
}

void TestServerClock::explainsARefusedTimestamp()
{
    const std::string ahead = explainTimestampRefusal(Venue::BybitLinear, 7200);
    QVERIFY2(ahead.find("7.2 s behind bybit-linear's") != std::string::npos, ahead.c_str());
    QVERIFY(ahead.find("NTP") != std::string::npos);
    const std::string behind = explainTimestampRefusal(Venue::OkxSwap, -4000);
    QVERIFY2(behind.find("4.0 s ahead of okx-swap's") != std::string::npos, behind.c_str());
    const std::string unknown = explainTimestampRefusal(Venue::BinanceUsdm, std::nullopt);
    QVERIFY(unknown.find("could not be measured") != std::string::npos);
}

QTEST_APPLESS_MAIN(TestServerClock)
#include "tst_server_clock.moc"
