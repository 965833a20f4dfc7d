// The simulator's market: recordings read from CSV, the scenarios moving the price book, and the
// accelerated clock they run on.
#include "money/clock.h"
#include "sim/price_replay.h"
#include "sim/scenario.h"

#include <QtTest>

#include <cmath>
#include <sstream>
#include <thread>

using namespace mm::sim;

class TestMarketScenarios : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsRecordings();
    void refusesBrokenRecordings_data();
    void refusesBrokenRecordings();
    void replayPinsRecordedMarksAndHoldsThem();
    void replayWithoutARecordingIsRefused();
    void crashFollowsItsScript_data();
    void crashFollowsItsScript();
    void walkScalesWithSimulatedTime();
    void scaledClockRunsFaster();
};

void TestMarketScenarios::readsRecordings()
{
    std::istringstream csv("# exported marks\ntime,symbol,mark\r\n1700000000.25, BTCUSDT ,64000.5\n\n1700000000.25,BTC,63990\n1700000003,BTCUSDT,63000\n");
    const PriceReplay replay = PriceReplay::read(csv, "marks.csv");
    QCOMPARE(replay.marks().size(), std::size_t(3));
    QCOMPARE(replay.marks()[0].seconds, 0.0);
    QCOMPARE(replay.marks()[0].symbol, std::string("BTCUSDT"));
    QCOMPARE(replay.marks()[0].mark, 64000.5);
    QCOMPARE(replay.marks()[1].symbol, std::string("BTC"));
    QCOMPARE(replay.marks()[2].seconds, 2.75);
    QCOMPARE(replay.duration(), 2.75);
}

void TestMarketScenarios::refusesBrokenRecordings_data()
{
    QTest::addColumn<QString>("csv");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << "" << "m.csv: no marks to replay";
    QTest::newRow("header only") << "time,symbol,mark\n" << "m.csv: no marks to replay";
    QTest::newRow("two fields") << "0,BTCUSDT\n" << "m.csv:1: expected 3 fields (time,symbol,mark), found 2";
    QTest::newRow("four fields") << "0,BTCUSDT,1,2\n" << "m.csv:1: expected 3 fields (time,symbol,mark), found 4";
    QTest::newRow("time not a number") << "0,BTCUSDT,1\nsoon,BTCUSDT,2\n" << "m.csv:2: time \"soon\" is not a number of seconds";
    QTest::newRow("mark not a number") << "0,BTCUSDT,abc\n" << "m.csv:1: mark \"abc\" is not a positive number";
    QTest::newRow("mark zero") << "0,BTCUSDT,0\n" << "m.csv:1: mark \"0\" is not a positive number";
    QTest::newRow("mark infinite") << "0,BTCUSDT,1e999\n" << "m.csv:1: mark \"1e999\" is not a positive number";
    QTest::newRow("mark nan") << "0,BTCUSDT,nan\n" << "m.csv:1: mark \"nan\" is not a positive number";
    QTest::newRow("symbol empty") << "0,,1\n" << "m.csv:1: symbol \"\" is not a symbol";
    QTest::newRow("symbol with a space") << "0,BTC USDT,1\n" << "m.csv:1: symbol \"BTC USDT\" is not a symbol";
    QTest::newRow("control characters shown safely") << "0,BTC\x01,1\n" << "m.csv:1: symbol \"BTC?\" is not a symbol";
    QTest::newRow("back in time") << "5,BTCUSDT,1\n4,BTCUSDT,2\n" << "m.csv:2: time \"4\" goes back in time";
    QTest::newRow("header after data") << "0,BTCUSDT,1\ntime,symbol,mark\n" << "m.csv:2: time \"time\" is not a number";
}

void TestMarketScenarios::refusesBrokenRecordings()
{
    QFETCH(QString, csv);
    QFETCH(QString, message);
    std::istringstream input(csv.toStdString());
    try {
        PriceReplay::read(input, "m.csv");
        QFAIL("read a broken recording");
    } catch (const std::runtime_error& error) {
        QVERIFY2(QString::fromUtf8(error.what()).startsWith(message), error.what());
        QVERIFY(!QString::fromUtf8(error.what()).contains('\n'));
    }
}

void TestMarketScenarios::replayPinsRecordedMarksAndHoldsThem()
{
    std::istringstream csv("0,BTCUSDT,50000\n1,BTCUSDT,45000\n2,BTCUSDT,47000\n");
    MarketScenario scenario(Scenario::Replay, WalkOptions{}, PriceReplay::read(csv, "m.csv"));
    PriceBook book(7);
    const double ethBefore = book.mark("ETHUSDT");
    scenario.advanceTo(0, book);
    QCOMPARE(book.mark("BTCUSDT"), 50000.0);
    scenario.advanceTo(0.999, book);
    QCOMPARE(book.mark("BTCUSDT"), 50000.0); // held until the next row, not walked
    scenario.advanceTo(1.5, book);
    QCOMPARE(book.mark("BTCUSDT"), 45000.0);
    scenario.advanceTo(600, book);
    QCOMPARE(book.mark("BTCUSDT"), 47000.0); // held after the end
    QVERIFY(book.mark("ETHUSDT") != ethBefore); // symbols not in the recording keep walking
}

void TestMarketScenarios::replayWithoutARecordingIsRefused()
{
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, MarketScenario(Scenario::Replay, WalkOptions{}, std::nullopt));
}

void TestMarketScenarios::crashFollowsItsScript_data()
{
    QTest::addColumn<double>("seconds");
    QTest::addColumn<double>("factor");
    QTest::newRow("calm") << 10.0 << 1.0;
    QTest::newRow("halfway down") << 60.0 << 0.94;
    QTest::newRow("bottom") << 105.0 << 0.88;
    QTest::newRow("partly recovered") << 135.0 << 0.91;
    QTest::newRow("after") << 1000.0 << 0.94;
}

void TestMarketScenarios::crashFollowsItsScript()
{
    QFETCH(double, seconds);
    QFETCH(double, factor);
    QVERIFY(std::abs(crashMarketFactor(seconds) - factor) < 1e-12);
    WalkOptions still;
    still.volatilityPerSecond = 0;
    still.jumpsPerSecond = 0;
    MarketScenario crash(Scenario::Crash, still, std::nullopt);
    PriceBook book(1);
    book.setStart("BTCUSDT", 60000);
    crash.advanceTo(seconds, book);
    QVERIFY(std::abs(book.mark("BTCUSDT") - 60000 * factor) < 1e-6);
}

void TestMarketScenarios::walkScalesWithSimulatedTime()
{
    // The log-returns' spread over 1 s of simulated time and over 100 s: σ·√t, whatever the steps.
    const auto spread = [](double horizon, int steps) {
        WalkOptions walk;
        walk.jumpsPerSecond = 0;
        double sumSquares = 0;
        constexpr int kRuns = 400;
        for (int run = 0; run < kRuns; ++run) {
            PriceBook book(static_cast<std::uint64_t>(run + 1));
            book.setStart("X", 100);
            MarketScenario scenario(Scenario::RandomWalk, walk, std::nullopt);
            for (int i = 1; i <= steps; ++i) {
                scenario.advanceTo(horizon * i / steps, book);
            }
            sumSquares += std::pow(std::log(book.mark("X") / 100), 2);
        }
        return std::sqrt(sumSquares / kRuns);
    };
    const double sigma = WalkOptions{}.volatilityPerSecond;
    QVERIFY2(std::abs(spread(1, 10) / sigma - 1) < 0.15, qPrintable(QString::number(spread(1, 10) / sigma)));
    QVERIFY2(std::abs(spread(100, 10) / (sigma * 10) - 1) < 0.15, qPrintable(QString::number(spread(100, 10) / (sigma * 10))));
}

void TestMarketScenarios::scaledClockRunsFaster()
{
    const mm::ScaledClock clock(1000);
    const mm::SteadyClock real;
    const auto simulatedStart = clock.now();
    const auto realStart = real.now();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const double simulated = std::chrono::duration<double>(clock.now() - simulatedStart).count();
    const double elapsed = std::chrono::duration<double>(real.now() - realStart).count();
    QVERIFY2(simulated >= 1000 * elapsed * 0.9 && simulated <= 1000 * elapsed * 1.1, qPrintable(QString("%1 s simulated in %2 s").arg(simulated).arg(elapsed)));
    QCOMPARE(clock.realTimeFor(std::chrono::hours(24)), std::chrono::nanoseconds(std::chrono::milliseconds(86'400)));
}

QTEST_GUILESS_MAIN(TestMarketScenarios)
#include "tst_market_scenarios.moc"
