// The bridge: the core on its own thread, boards reaching the GUI thread coalesced — at most at the
// display rate, one wake-up at a time, the latest board winning when the GUI is busy; alerts reaching
// it at once through a queue that holds at most one update per subject (the latest state, a pending
// sound kept) and is taken whole on one wake-up.
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
    void alertQueueKeepsTheLatestStatePerSubjectAndItsSound();
    void alertQueueIsBoundedPerSubject();
    void aBusyGuiTakesEveryPendingAlertInOneBatch();
    void alertsAfterABatchWakeTheGuiAgainAtOnce();
    void aStormGetsAShareOfTheGuisTime();
    void aLouderSoundIsNeverHeldBackByAStorm();
};

namespace {

mm::AlertEvent alertFor(std::size_t account, std::optional<std::size_t> position, std::uint64_t episode, mm::AlertChange change,
                        mm::AlertLevel level, double distance = 3.0)
{
    mm::AlertEvent event;
    event.episode = episode;
    event.change = change;
    event.level = level;
    event.subject.account = account;
    event.subject.position = position;
    event.subject.symbol = position ? "S" + std::to_string(*position) + "USDT" : "";
    event.value = distance;
    event.distancePct = distance;
    return event;
}

} // namespace

void TestEngineHost::alertQueueKeepsTheLatestStatePerSubjectAndItsSound()
{
    using mm::AlertChange;
    using mm::AlertLevel;
    using mm::ui::EpisodeStanding;
    int wakeUps = 0;
    mm::ui::AlertQueue queue([&] { ++wakeUps; });
    // Position (0, 1): raised, up to emergency, eased back to critical. Position (0, 2): the per-rule
    // engine's two episodes, one raised and cleared again. Account 3's cross margin: acknowledged and
    // eased (an episode the GUI never showed). Position (0, 4): raised, snoozed, escalated (live again).
    queue.push(alertFor(0, 1, 10, AlertChange::Raised, AlertLevel::Warning, 4.5));
    queue.push(alertFor(0, 2, 20, AlertChange::Raised, AlertLevel::Warning, 4.0));
    queue.push(alertFor(0, 1, 10, AlertChange::Escalated, AlertLevel::Critical, 2.5));
    queue.push(alertFor(0, 2, 21, AlertChange::Raised, AlertLevel::Critical, 4.0));
    queue.push(alertFor(0, 1, 10, AlertChange::Escalated, AlertLevel::Emergency, 1.2));
    queue.push(alertFor(3, std::nullopt, 30, AlertChange::Acknowledged, AlertLevel::Critical));
    queue.push(alertFor(0, 1, 10, AlertChange::Eased, AlertLevel::Critical, 2.2));
    queue.push(alertFor(0, 2, 20, AlertChange::Cleared, AlertLevel::Warning, 12));
    queue.push(alertFor(3, std::nullopt, 30, AlertChange::Eased, AlertLevel::Warning));
    queue.push(alertFor(0, 4, 40, AlertChange::Raised, AlertLevel::Warning));
    queue.push(alertFor(0, 4, 40, AlertChange::Snoozed, AlertLevel::Warning));
    queue.push(alertFor(0, 4, 40, AlertChange::Escalated, AlertLevel::Critical));
    QCOMPARE(wakeUps, 1); // the first push woke the GUI; the others found a wake-up pending
    QCOMPARE(queue.pushed(), std::uint64_t(12));
    QCOMPARE(queue.coalesced(), std::uint64_t(9)); // 12 events, 3 states for the GUI
    QCOMPARE(queue.peakSubjects(), std::size_t(4));

    mm::ui::AlertBatch batch = queue.take();
    QCOMPARE(batch.events, std::uint64_t(12));
    QCOMPARE(batch.coalesced, std::uint64_t(9));
    QCOMPARE(batch.subjects.size(), std::size_t(4)); // in the order of their first change
    const auto& first = batch.subjects[0];
    QCOMPARE(first.key, (mm::ui::AlertKey{0, 1}));
    QCOMPARE(first.events, std::uint64_t(4));
    QCOMPARE(first.episodes.size(), std::size_t(1));
    QCOMPARE(first.episodes[0].latest->change, AlertChange::Eased);
    QCOMPARE(first.episodes[0].latest->level, AlertLevel::Critical);
    QCOMPARE(first.episodes[0].latest->distancePct, std::optional<double>(2.2));
    QCOMPARE(first.episodes[0].standing, EpisodeStanding::Live);
    QVERIFY(first.sound != nullptr);
    QCOMPARE(first.sound->level, AlertLevel::Emergency); // the loudest pending, though eased since
    QCOMPARE(first.sound->change, AlertChange::Escalated);

    const auto& second = batch.subjects[1];
    QCOMPARE(second.key, (mm::ui::AlertKey{0, 2}));
    QCOMPARE(second.episodes.size(), std::size_t(1)); // 20 came and went before the GUI saw it
    QCOMPARE(second.episodes[0].latest->episode, std::uint64_t(21));
    QCOMPARE(second.episodes[0].standing, EpisodeStanding::Live);
    QCOMPARE(second.sound->level, AlertLevel::Critical);

    const auto& account = batch.subjects[2];
    QCOMPARE(account.key, (mm::ui::AlertKey{3, std::nullopt}));
    QVERIFY(account.episodes.empty()); // nothing the GUI shows, nothing to sound
    QVERIFY(account.sound == nullptr);

    const auto& fourth = batch.subjects[3];
    QCOMPARE(fourth.episodes.size(), std::size_t(1));
    QCOMPARE(fourth.episodes[0].standing, EpisodeStanding::Live);
    QCOMPARE(fourth.sound->level, AlertLevel::Critical);

    // What the GUI sees of it: each sound not also a latest state, then the latest states.
    std::vector<std::pair<std::uint64_t, AlertChange>> seen;
    batch.forEachEvent([&](const mm::AlertEvent& event) { seen.emplace_back(event.episode, event.change); });
    QCOMPARE(seen, (std::vector<std::pair<std::uint64_t, AlertChange>>{
                       {10, AlertChange::Escalated}, {10, AlertChange::Eased}, {21, AlertChange::Raised}, {40, AlertChange::Escalated}}));

    // Taken: empty, and the next push wakes the GUI again. Episodes the GUI shows now get their end.
    QVERIFY(queue.take().empty());
    queue.push(alertFor(0, 1, 10, AlertChange::Cleared, AlertLevel::Warning, 12));
    queue.push(alertFor(0, 2, 21, AlertChange::Eased, AlertLevel::Warning, 6));
    queue.push(alertFor(0, 2, 22, AlertChange::Eased, AlertLevel::Warning, 6)); // never shown: left out
    QCOMPARE(wakeUps, 2);
    QCOMPARE(queue.wakeUps(), std::uint64_t(2));
    batch = queue.take();
    QCOMPARE(batch.subjects.size(), std::size_t(2));
    QCOMPARE(batch.subjects[0].episodes.at(0).standing, EpisodeStanding::Ended);
    QCOMPARE(batch.subjects[1].episodes.size(), std::size_t(1));
    QCOMPARE(batch.subjects[1].episodes[0].standing, EpisodeStanding::Unchanged);
    QCOMPARE(batch.subjects[1].episodes[0].latest->episode, std::uint64_t(21));
    QCOMPARE(batch.coalesced, std::uint64_t(1));
}

void TestEngineHost::alertQueueIsBoundedPerSubject()
{
    // 100,000 changes on 50 positions, each with 20 live episodes (more than any engine runs on one):
    // one entry per position, one state per live episode.
    mm::ui::AlertQueue queue({});
    for (std::uint64_t i = 0; i < 100'000; ++i) {
        const std::size_t position = std::size_t(i % 50);
        queue.push(alertFor(1, position, 1'000 + i % 1'000, i % 3 == 0 ? mm::AlertChange::Escalated : mm::AlertChange::Eased,
                            mm::AlertLevel(1 + int((i / 3) % 3))));
    }
    mm::ui::AlertBatch batch = queue.take();
    QCOMPARE(batch.events, std::uint64_t(100'000));
    QCOMPARE(batch.subjects.size(), std::size_t(50));
    QCOMPARE(queue.peakSubjects(), std::size_t(50));
    QCOMPARE(queue.peakStates(), std::size_t(1'000));
    for (const auto& subject : batch.subjects) {
        QCOMPARE(subject.episodes.size(), std::size_t(20));
        QCOMPARE(subject.sound->level, mm::AlertLevel::Emergency);
    }
    // An engine churning episodes on one position (raised, cleared, raised anew: 10,000 times before
    // the GUI wakes up): the GUI gets the one still running, and one sound.
    for (std::uint64_t i = 0; i < 10'000; ++i) {
        queue.push(alertFor(2, 7, 50'000 + i, mm::AlertChange::Raised, mm::AlertLevel::Warning));
        queue.push(alertFor(2, 7, 50'000 + i, mm::AlertChange::Cleared, mm::AlertLevel::Warning));
    }
    queue.push(alertFor(2, 7, 70'000, mm::AlertChange::Raised, mm::AlertLevel::Critical));
    batch = queue.take();
    QCOMPARE(batch.subjects.size(), std::size_t(1));
    QCOMPARE(batch.subjects[0].episodes.size(), std::size_t(1));
    QCOMPARE(batch.subjects[0].episodes[0].latest->episode, std::uint64_t(70'000));
    QCOMPARE(batch.subjects[0].sound->level, mm::AlertLevel::Critical);
    QCOMPARE(batch.coalesced, std::uint64_t(20'000));
    QCOMPARE(queue.peakStates(), std::size_t(1'000)); // never more than the live ones
}

void TestEngineHost::aBusyGuiTakesEveryPendingAlertInOneBatch()
{
    // The core thread (here a thread of the test's, pushing as the engine's subscription does) decides
    // 3,000 alerts for 3 positions while the GUI thread is busy: one wake-up waits, and the GUI then
    // takes one batch of 3 updates, each with its loudest sound.
    mm::ui::EngineOptions options;
    mm::ui::EngineHost host(options);
    QSignalSpy batches(&host, &mm::ui::EngineHost::alertsArrived);
    std::thread core([&host] {
        for (std::uint64_t i = 0; i < 3'000; ++i) {
            const std::size_t position = std::size_t(i % 3);
            const auto level = i < 2'900 && (i / 6) % 2 == 1 ? mm::AlertLevel::Critical : mm::AlertLevel::Warning;
            host.alertQueue().push(alertFor(0, position, 100 + position, i < 3 ? mm::AlertChange::Raised
                                                                         : i % 2 == 0 ? mm::AlertChange::Escalated
                                                                                      : mm::AlertChange::Eased,
                                             level));
        }
    });
    core.join();
    QCOMPARE(host.alertQueue().wakeUps(), std::uint64_t(1));
    QCOMPARE(batches.count(), 0); // nothing before the GUI's event loop runs
    QTRY_COMPARE(batches.count(), 1);
    QCoreApplication::processEvents();
    QCOMPARE(batches.count(), 1);
    const auto batch = batches.at(0).at(0).value<mm::ui::AlertBatch>();
    QCOMPARE(batch.subjects.size(), std::size_t(3));
    QCOMPARE(batch.events, std::uint64_t(3'000));
    QCOMPARE(batch.coalesced, std::uint64_t(2'997));
    for (const auto& subject : batch.subjects) {
        QCOMPARE(subject.episodes.size(), std::size_t(1));
        QCOMPARE(subject.sound->level, mm::AlertLevel::Critical);
        QCOMPARE(subject.episodes[0].latest->level, mm::AlertLevel::Warning);
    }
    QCOMPARE(host.alertsPublished(), std::uint64_t(3'000));
    QCOMPARE(host.alertsDelivered(), std::uint64_t(3'000));
    QCOMPARE(host.alertsCoalesced(), std::uint64_t(2'997));
    QCOMPARE(host.alertBatches(), std::uint64_t(1));
}

void TestEngineHost::alertsAfterABatchWakeTheGuiAgainAtOnce()
{
    mm::ui::EngineOptions options;
    mm::ui::EngineHost host(options);
    QSignalSpy batches(&host, &mm::ui::EngineHost::alertsArrived);
    host.alertQueue().push(alertFor(0, 1, 7, mm::AlertChange::Raised, mm::AlertLevel::Warning));
    QTRY_COMPARE(batches.count(), 1);
    // Nothing coalesced with what the GUI already took: the next alert is a batch of its own, at once.
    std::thread core([&host] { host.alertQueue().push(alertFor(0, 1, 7, mm::AlertChange::Escalated, mm::AlertLevel::Critical)); });
    core.join();
    QTRY_COMPARE(batches.count(), 2);
    const auto second = batches.at(1).at(0).value<mm::ui::AlertBatch>();
    QCOMPARE(second.events, std::uint64_t(1));
    QCOMPARE(second.coalesced, std::uint64_t(0));
    QCOMPARE(second.subjects.at(0).sound->level, mm::AlertLevel::Critical);
    QCOMPARE(host.alertQueue().wakeUps(), std::uint64_t(2));
    QCOMPARE(host.alertBatches(), std::uint64_t(2));
}

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

void TestEngineHost::aStormGetsAShareOfTheGuisTime()
{
    // A GUI that takes 5 ms over each batch (its slots' work, simulated here): the next batch waits
    // (kAlertShareDivisor − 1) times as long (at most kMaxAlertWait), the alerts coalescing meanwhile;
    // none is lost, and after a quiet moment the next is taken at once.
    mm::ui::EngineOptions options;
    mm::ui::EngineHost host(options);
    std::vector<mm::ui::AlertBatch> batches;
    std::vector<qint64> takenAt;
    QElapsedTimer clock;
    clock.start();
    connect(&host, &mm::ui::EngineHost::alertsArrived, this, [&](const mm::ui::AlertBatch& batch) {
        batches.push_back(batch);
        takenAt.push_back(clock.elapsed());
        std::this_thread::sleep_for(5ms); // the GUI's work on it
    });
    host.alertQueue().push(alertFor(0, 1, 7, mm::AlertChange::Raised, mm::AlertLevel::Critical));
    QTRY_COMPARE(batches.size(), std::size_t(1));
    // Right after: waits, while 200 more changes of 2 positions (none louder than the critical just
    // heard) pile up in the queue as two.
    std::thread core([&host] {
        for (std::uint64_t i = 0; i < 200; ++i) {
            host.alertQueue().push(alertFor(0, 1 + i % 2, 7 + i % 2, i % 3 == 0 ? mm::AlertChange::Raised : mm::AlertChange::Eased,
                                            i % 3 == 0 ? mm::AlertLevel::Critical : mm::AlertLevel::Warning));
        }
    });
    core.join();
    QCoreApplication::processEvents();
    QCOMPARE(batches.size(), std::size_t(1)); // not yet: the GUI's share of its time is spent
    QTRY_COMPARE(batches.size(), std::size_t(2));
    const qint64 gap = takenAt[1] - takenAt[0];
    const qint64 expected = std::min<qint64>(5 * (mm::ui::EngineHost::kAlertShareDivisor - 1),
                                             mm::ui::EngineHost::kMaxAlertWait.count());
    QVERIFY2(gap >= expected, qPrintable(QStringLiteral("%1 ms after the first, expected at least %2").arg(gap).arg(expected)));
    QCOMPARE(batches[1].events, std::uint64_t(200));
    QCOMPARE(batches[1].subjects.size(), std::size_t(2));
    QCOMPARE(host.alertsDelivered(), std::uint64_t(201));
    QVERIFY(host.alertHandlingTime() >= 10ms);
    // A quiet moment later: at once.
    QTest::qWait(int(mm::ui::EngineHost::kMaxAlertWait.count()) + 10);
    const qint64 before = clock.elapsed();
    host.alertQueue().push(alertFor(0, 3, 9, mm::AlertChange::Raised, mm::AlertLevel::Emergency));
    QCoreApplication::processEvents();
    QCOMPARE(batches.size(), std::size_t(3));
    QVERIFY(takenAt[2] - before < 20);
}

void TestEngineHost::aLouderSoundIsNeverHeldBackByAStorm()
{
    // In a storm the GUI's share of its time holds batches back, but not a rise the trader must hear:
    // a sound louder than the last seconds' is taken at once; one no louder waits with the rest.
    mm::ui::EngineOptions options;
    mm::ui::EngineHost host(options);
    std::vector<mm::ui::AlertBatch> batches;
    connect(&host, &mm::ui::EngineHost::alertsArrived, this, [&](const mm::ui::AlertBatch& batch) {
        batches.push_back(batch);
        std::this_thread::sleep_for(5ms); // the GUI's work on it: the next batch is held back (50 ms)
    });
    host.alertQueue().push(alertFor(0, 1, 7, mm::AlertChange::Raised, mm::AlertLevel::Warning));
    QCoreApplication::processEvents();
    QCOMPARE(batches.size(), std::size_t(1));
    host.alertQueue().push(alertFor(0, 2, 8, mm::AlertChange::Raised, mm::AlertLevel::Warning));
    QCoreApplication::processEvents();
    QCOMPARE(batches.size(), std::size_t(1)); // no louder than what was just heard: it waits
    host.alertQueue().push(alertFor(0, 3, 9, mm::AlertChange::Raised, mm::AlertLevel::Emergency));
    QCoreApplication::processEvents();
    QCOMPARE(batches.size(), std::size_t(2)); // louder: at once, with what waited
    QCOMPARE(batches[1].subjects.size(), std::size_t(2));
    host.alertQueue().push(alertFor(0, 4, 10, mm::AlertChange::Raised, mm::AlertLevel::Critical));
    QCoreApplication::processEvents();
    QCOMPARE(batches.size(), std::size_t(2)); // quieter than the emergency just heard: waits
    QTRY_COMPARE(batches.size(), std::size_t(3));
}

QTEST_MAIN(TestEngineHost)
#include "tst_engine_host.moc"
