// The bridge: the core on its own thread, boards reaching the GUI thread coalesced — at most at the
// display rate, one wake-up at a time, the latest board winning when the GUI is busy.
#include "bridge/engine_host.h"

#include "sim/demo_portfolios.h"
#include "sim/exchange_simulator.h"

#include <QSignalSpy>
#include <QtTest>

#include <thread>

using namespace std::chrono_literals;

Q_DECLARE_METATYPE(std::shared_ptr<const mm::RiskBoard>)

class TestEngineHost : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void deliversDemoBoardsAtTheDisplayRate();
    void aBusyGuiGetsOnlyTheLatestBoard();
    void refusesAPortfolioItCannotEvaluate();
    void configuredAccountsEndTheDemo();
};

void TestEngineHost::deliversDemoBoardsAtTheDisplayRate()
{
    mm::ui::EngineOptions options;
    options.demo = true;
    options.displayInterval = 100ms;
    mm::ui::EngineHost host(options);
    QVERIFY(host.demo());
    std::size_t demoPositions = 0;
    for (const auto& portfolio : mm::sim::demoPortfolios()) {
        demoPositions += portfolio.positions.size();
    }
    QSignalSpy boards(&host, &mm::ui::EngineHost::boardArrived);
    host.start();
    // Every connection open and every symbol fresh, over verified TLS to the in-process simulator.
    QTRY_VERIFY_WITH_TIMEOUT(host.board() && host.board()->connections.size() == 4 &&
                                 std::all_of(host.board()->positions.begin(), host.board()->positions.end(),
                                             [](const mm::PositionLine& line) { return line.feed == mm::FeedState::Fresh; }) &&
                                 std::all_of(host.board()->connections.begin(), host.board()->connections.end(),
                                             [](const mm::ConnectionLine& line) { return line.connection.state == mm::ConnectionState::Open; }),
                             10'000);
    QCOMPARE(host.board()->positions.size(), demoPositions);
    // Over two seconds: about 20 boards at 10 Hz, never more than the rate allows.
    boards.clear();
    const auto taken = host.boardsTaken();
    QTest::qWait(2000);
    QVERIFY2(boards.size() >= 10 && boards.size() <= 22, qPrintable(QString::number(boards.size())));
    QVERIFY(host.boardsTaken() - taken <= 22);
    // Sequence numbers only grow.
    std::uint64_t last = 0;
    for (const auto& arguments : boards) {
        const auto board = arguments.at(0).value<std::shared_ptr<const mm::RiskBoard>>();
        QVERIFY(board->sequence > last);
        last = board->sequence;
    }
}

void TestEngineHost::aBusyGuiGetsOnlyTheLatestBoard()
{
    mm::ui::EngineOptions options;
    options.demo = true;
    options.displayInterval = 20ms;
    mm::ui::EngineHost host(options);
    QSignalSpy boards(&host, &mm::ui::EngineHost::boardArrived);
    host.start();
    QTRY_VERIFY_WITH_TIMEOUT(boards.size() >= 2, 10'000);
    boards.clear();
    const auto takenBefore = host.boardsTaken();
    const auto wakeUpsBefore = host.wakeUpsPosted();
    // The GUI thread is busy: boards (one per 100 ms push of the demo's marks) replace each other
    // in the slot, and one wake-up waits.
    std::this_thread::sleep_for(600ms);
    const auto takenWhileBusy = host.boardsTaken() - takenBefore;
    QVERIFY2(takenWhileBusy >= 3, qPrintable(QString::number(takenWhileBusy)));
    QVERIFY(host.wakeUpsPosted() - wakeUpsBefore <= 1);
    QCoreApplication::processEvents();
    QCOMPARE(boards.size(), 1); // only the latest
    const auto board = boards.at(0).at(0).value<std::shared_ptr<const mm::RiskBoard>>();
    QVERIFY(board->sequence >= takenBefore + takenWhileBusy - 1);
}

void TestEngineHost::refusesAPortfolioItCannotEvaluate()
{
    mm::ui::EngineOptions options;
    mm::Portfolio portfolio;
    portfolio.account.venue = mm::Venue::BinanceUsdm;
    mm::Position position;
    position.symbol = "NOSUCHUSDT"; // no tier table and no rate: the margin model cannot evaluate it
    position.quantity = mm::Decimal::parse("1");
    position.entryPrice = mm::Decimal::parse("10");
    position.markPrice = mm::Decimal::parse("10");
    portfolio.positions.push_back(position);
    options.monitor.accounts.push_back(portfolio);
    try {
        mm::ui::EngineHost host(options);
        QFAIL("an account it cannot evaluate was accepted");
    } catch (const std::exception& error) {
        QVERIFY2(QString::fromUtf8(error.what()).contains("NOSUCHUSDT"), error.what());
    }
}

void TestEngineHost::configuredAccountsEndTheDemo()
{
    // The trader's own exchange (the simulator, plain HTTP on loopback: a custom URL) with one
    // Bybit account behind a key.
    mm::sim::SimulatorOptions simulated;
    mm::Portfolio bybit;
    for (const auto& portfolio : mm::sim::demoPortfolios()) {
        if (portfolio.account.venue == mm::Venue::BybitLinear) {
            bybit = portfolio;
        }
    }
    for (const auto& position : bybit.positions) {
        simulated.startPrices[position.symbol] = position.markPrice.toDouble();
    }
    simulated.apiKeys.push_back({mm::Venue::BybitLinear, "engine-key", "engine-secret-0123456789", "", {true, false, false}, bybit});
    mm::sim::ExchangeSimulator exchange(simulated);
    exchange.start();

    mm::ui::EngineOptions options;
    options.demo = true;
    mm::ui::EngineHost host(options);
    QSignalSpy problems(&host, &mm::ui::EngineHost::venueProblem);
    QSignalSpy replaced(&host, &mm::ui::EngineHost::accountsReplaced);
    host.start();
    QTRY_VERIFY_WITH_TIMEOUT(host.board() && !host.board()->positions.empty(), 10'000);

    mm::ConfiguredAccount mine;
    mine.settings.id = "mine";
    mine.settings.label = "my bybit";
    mine.settings.venue = mm::Venue::BybitLinear;
    mine.settings.environment = mm::VenueEnvironment::Custom;
    mine.settings.customUrl = "http://127.0.0.1:" + std::to_string(exchange.port());
    mine.readKey = {"engine-key", "engine-secret-0123456789", ""};
    mm::ConfiguredAccount keyless = mine;
    keyless.settings.id = "keyless";
    keyless.settings.label = "no key";
    keyless.readKey = {};
    host.setConfiguredAccounts({mine, keyless});

    QVERIFY(!host.demo());
    QCOMPARE(replaced.size(), 1);
    QCOMPARE(host.accountProblems().size(), std::size_t(1));
    // Only the trader's account now, read from the exchange, its marks streaming.
    QTRY_VERIFY_WITH_TIMEOUT(host.board() && host.board()->accounts.size() == 1 &&
                                 host.board()->positions.size() == bybit.positions.size() &&
                                 std::all_of(host.board()->positions.begin(), host.board()->positions.end(),
                                             [](const mm::PositionLine& line) { return line.feed == mm::FeedState::Fresh; }),
                             10'000);
    QCOMPARE(host.board()->accounts[0].label, std::string("my bybit"));
    QCOMPARE(host.board()->accounts[0].source, mm::AccountSource::Exchange);
    bool said = false;
    for (const auto& arguments : problems) {
        said = said || arguments.at(1).toString().contains(QStringLiteral("\"no key\": its read key is not in the keychain"));
    }
    QVERIFY(said);
}

QTEST_MAIN(TestEngineHost)
#include "tst_engine_host.moc"
