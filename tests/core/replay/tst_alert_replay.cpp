// The replay harness (core/replay): the recording's own time drives every clock, no price is
// invented, staleness follows the recording's cadence, "liquidated" is the first mark at or beyond
// the liquidation price, inputs are refused in words, and the alert-quality measures count as issue
// 15 defines them.
#include "alerts/alert_engine.h"
#include "margin/margin_model.h"
#include "portfolio/portfolio_file.h"
#include "replay/alert_quality.h"
#include "replay/alert_replay.h"
#include "replay/portfolio_list.h"
#include "replay/replay_error.h"
#include "store/journal.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace mm;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t kStartMs = 1'700'000'000'000;

// One isolated 10× long on Binance BTCUSDT: liquidated about 9.6 % below its entry.
constexpr const char* kLong = R"({"venue":"binance-usdm","label":"long","walletBalance":"0","positions":[
    {"symbol":"BTCUSDT","side":"long","quantity":"0.2","entryPrice":"60000","marginMode":"isolated","isolatedMargin":"1200"}]})";

AlertPolicy onlyStaleRule()
{
    AlertRule stale;
    stale.kind = AlertRuleKind::Stale;
    stale.warning = 0.0;
    AlertPolicy policy;
    policy.rules = {stale};
    return policy;
}

/// What an engine of the replay's shape was shown: the wall time of every risk snapshot and every
/// timer check, and whether the monotonic clock always agreed with the wall clock.
struct EngineLog {
    std::vector<std::int64_t> snapshots;
    std::vector<std::int64_t> timerChecks;
    bool clocksAgree = true;
};
EngineLog* g_log = nullptr;

class RecordingEngine {
public:
    RecordingEngine(const Monitor&, const Clock& clock, AlertPolicy) : m_clock(clock), m_origin(clock.now()) {}
    void setWallClock(std::function<std::int64_t()> wallClock) { m_wall = std::move(wallClock); }
    std::unique_ptr<Subscription> attach(Monitor& monitor)
    {
        return monitor.onRisk([this](const RiskSnapshot&) { g_log->snapshots.push_back(now()); });
    }
    std::unique_ptr<Subscription> onAlert(std::function<void(const AlertEvent&)> callback)
    {
        return m_alerts.subscribe(std::move(callback));
    }
    void checkTimers() { g_log->timerChecks.push_back(now()); }

private:
    std::int64_t now()
    {
        if (m_wallOrigin == 0) {
            m_wallOrigin = m_wall();
        }
        const auto monotonic = std::chrono::duration_cast<std::chrono::milliseconds>(m_clock.now() - m_origin).count();
        g_log->clocksAgree = g_log->clocksAgree && monotonic == m_wall() - m_wallOrigin;
        return m_wall();
    }

    const Clock& m_clock;
    MonotonicTime m_origin;
    std::function<std::int64_t()> m_wall;
    std::int64_t m_wallOrigin = 0;
    SubscriberList<AlertEvent> m_alerts;
};

double liquidationPriceOf(const char* portfolio)
{
    const Portfolio read = readPortfolio(portfolio);
    return *MarginModel::forVenue(read.account.venue)->evaluate(read).positions.at(0).liquidationPrice;
}

} // namespace

class TestAlertReplay : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theRecordingsTimeDrivesTheClocks();
    void longSilencesAreNotWalkedSecondBySecond();
    void staleOnlyForARealHoleInTheCadence();
    void liquidatedAtTheFirstMarkBeyond();
    void alertsAfterALiquidationDoNotCount();
    void aCsvRowMovesEveryVenueHoldingItsSymbol();
    void refusesWhatItCannotReplay();
    void readsTheCsvAndNamesABadLine();
    void readsOnlyTheWantedSeriesOfAJournal();
    void readsOneAccountOrAList();
    void qualityMeasuresAsDefined();
};

void TestAlertReplay::theRecordingsTimeDrivesTheClocks()
{
    MarkRecording recording("test");
    recording.append(kStartMs, "BTCUSDT", 60'000.0);
    recording.append(kStartMs + 5'000, "BTCUSDT", 60'010.0);
    recording.append(kStartMs + 5'000, "BTCUSDT", 60'020.0); // two marks of one moment
    recording.append(kStartMs + 5'500, "BTCUSDT", 60'030.0);
    EngineLog log;
    g_log = &log;
    AlertReplay replay({readPortfolio(kLong)}, recording);
    const ReplayResult result = replay.run<RecordingEngine>(AlertPolicy{});
    g_log = nullptr;

    // Every recorded mark, at its own time, and nothing in between: no price invented.
    QCOMPARE(result.marksApplied, std::size_t{4});
    QCOMPARE(log.snapshots,
             (std::vector<std::int64_t>{kStartMs, kStartMs + 5'000, kStartMs + 5'000, kStartMs + 5'500}));
    // Timers after each moment's marks, and once a second while no mark comes.
    QCOMPARE(log.timerChecks, (std::vector<std::int64_t>{kStartMs, kStartMs + 1'000, kStartMs + 2'000, kStartMs + 3'000,
                                                         kStartMs + 4'000, kStartMs + 5'000, kStartMs + 5'500}));
    QVERIFY(log.clocksAgree);
    QCOMPARE(result.startMs, kStartMs);
    QCOMPARE(result.endMs, kStartMs + 5'500);
}

void TestAlertReplay::longSilencesAreNotWalkedSecondBySecond()
{
    MarkRecording recording("test");
    recording.append(kStartMs, "BTCUSDT", 60'000.0);
    recording.append(kStartMs + 3'600'000, "BTCUSDT", 60'000.0); // an hour without a mark
    EngineLog log;
    g_log = &log;
    AlertReplay replay({readPortfolio(kLong)}, recording);
    (void)replay.run<RecordingEngine>(AlertPolicy{});
    g_log = nullptr;
    // A second at a time for the first ten minutes (599 steps and the first mark), then every 10 s.
    const auto fine = std::count_if(log.timerChecks.begin(), log.timerChecks.end(),
                                    [](std::int64_t at) { return at <= kStartMs + 600'000; });
    QCOMPARE(fine, 601);
    QCOMPARE(log.timerChecks.size(), std::size_t{601 + 300});
    QVERIFY(std::is_sorted(log.timerChecks.begin(), log.timerChecks.end()));
    QCOMPARE(log.timerChecks.back(), kStartMs + 3'600'000);
}

void TestAlertReplay::staleOnlyForARealHoleInTheCadence()
{
    // A 1-minute recording for an hour: never stale between its minutes.
    MarkRecording regular("regular");
    for (int minute = 0; minute <= 60; ++minute) {
        regular.append(kStartMs + minute * 60'000LL, "BTCUSDT", 60'000.0 + minute);
    }
    AlertReplay calm({readPortfolio(kLong)}, regular);
    const ReplayResult quiet = calm.run<AlertEngine>(onlyStaleRule());
    QCOMPARE(quiet.expectedIntervals.size(), std::size_t{1});
    QCOMPARE(quiet.expectedIntervals.front().second, std::chrono::milliseconds(60'000));
    QVERIFY(quiet.alerts.empty());

    // The same with ten minutes missing after minute 30: stale once three minutes have passed.
    MarkRecording holed("holed");
    for (int minute = 0; minute <= 60; ++minute) {
        if (minute <= 30 || minute >= 40) {
            holed.append(kStartMs + minute * 60'000LL, "BTCUSDT", 60'000.0 + minute);
        }
    }
    AlertReplay gap({readPortfolio(kLong)}, holed);
    const ReplayResult stale = gap.run<AlertEngine>(onlyStaleRule());
    QVERIFY(!stale.alerts.empty());
    const ReplayedAlert& first = stale.alerts.front();
    QCOMPARE(first.event.change, AlertChange::Raised);
    QCOMPARE(first.event.rule, AlertRuleKind::Stale);
    QVERIFY(first.unixMs >= kStartMs + 33 * 60'000LL && first.unixMs < kStartMs + 40 * 60'000LL);
    QCOMPARE(first.event.wallTimeMs, first.unixMs);
}

void TestAlertReplay::liquidatedAtTheFirstMarkBeyond()
{
    const double liquidation = liquidationPriceOf(kLong);
    MarkRecording recording("test");
    const std::vector<double> marks{60'000,           58'000,           liquidation + 1, liquidation - 0.5,
                                    liquidation + 50, liquidation - 100};
    for (std::size_t i = 0; i < marks.size(); ++i) {
        recording.append(kStartMs + static_cast<std::int64_t>(i) * 60'000, "BTCUSDT", std::round(marks[i] * 100) / 100);
    }
    AlertReplay replay({readPortfolio(kLong)}, recording);
    const ReplayResult result = replay.run<AlertEngine>(defaultAlertPolicy());
    QCOMPARE(result.subjects.size(), std::size_t{1}); // an isolated position, no cross margin
    QCOMPARE(result.subjects[0].liquidatedAtMs, std::optional<std::int64_t>(kStartMs + 3 * 60'000));
    QCOMPARE(summarise(result, result.subjects[0]).liquidatedAtMs, result.subjects[0].liquidatedAtMs);
}

void TestAlertReplay::alertsAfterALiquidationDoNotCount()
{
    ReplayResult result;
    ReplaySubject subject;
    subject.symbol = "BTCUSDT";
    subject.position = 0;
    subject.liquidatedAtMs = kStartMs + 60'000;
    const auto alertAt = [&](std::int64_t at, AlertChange change, AlertLevel level) {
        AlertEvent event;
        event.change = change;
        event.level = level;
        subject.alerts.push_back(result.alerts.size());
        result.alerts.push_back({at, event});
    };
    alertAt(kStartMs, AlertChange::Raised, AlertLevel::Warning);
    alertAt(kStartMs + 10'000, AlertChange::Eased, AlertLevel::Warning); // silent: not counted
    alertAt(kStartMs + 30'000, AlertChange::Escalated, AlertLevel::Critical);
    alertAt(kStartMs + 60'000, AlertChange::Escalated, AlertLevel::Emergency); // at the liquidation: counts
    alertAt(kStartMs + 61'000, AlertChange::Raised, AlertLevel::Emergency);    // after it: does not
    result.subjects.push_back(subject);
    const SubjectSummary summary = summarise(result, result.subjects[0]);
    QCOMPARE(summary.sounding, std::size_t{3});
    QCOMPARE(summary.firstWarningMs, std::optional<std::int64_t>(kStartMs));
    QCOMPARE(summary.firstCriticalMs, std::optional<std::int64_t>(kStartMs + 30'000));
    QCOMPARE(summary.firstEmergencyMs, std::optional<std::int64_t>(kStartMs + 60'000));
}

void TestAlertReplay::aCsvRowMovesEveryVenueHoldingItsSymbol()
{
    constexpr const char* kBybit = R"({"venue":"bybit-linear","label":"bybit","walletBalance":"1000","positions":[
        {"symbol":"BTCUSDT","side":"short","quantity":"0.1","entryPrice":"60000"}]})";
    MarkRecording recording("test");
    recording.append(kStartMs, "BTCUSDT", 61'000.0);
    EngineLog log;
    g_log = &log;
    AlertReplay replay({readPortfolio(kLong), readPortfolio(kBybit)}, recording);
    const ReplayResult result = replay.run<RecordingEngine>(AlertPolicy{});
    g_log = nullptr;
    QCOMPARE(result.marksApplied, std::size_t{1});
    QCOMPARE(log.snapshots.size(), std::size_t{2}); // one per account: both venues moved
    QCOMPARE(replay.monitor().portfolio(1).positions[0].markPrice, Decimal::parse("61000"));
    // Subjects: the Binance long; the Bybit short and its account's cross margin.
    QCOMPARE(result.subjects.size(), std::size_t{3});
    QVERIFY(!result.subjects[2].position && result.subjects[2].cross);
}

void TestAlertReplay::refusesWhatItCannotReplay()
{
    MarkRecording unheld("unheld.csv");
    unheld.append(kStartMs, "BTCUSDT", 60'000.0);
    unheld.append(kStartMs, "XRPUSDT", 0.5);
    try {
        AlertReplay replay({readPortfolio(kLong)}, unheld);
        QFAIL("a symbol no portfolio holds was accepted");
    } catch (const ReplayInputError& error) {
        QVERIFY2(QString(error.what()).contains("XRPUSDT") && QString(error.what()).contains("unheld.csv"),
                 error.what());
    }
    MarkRecording otherVenue("journal.db");
    otherVenue.append(kStartMs, "BTCUSDT", 60'000.0, Venue::BybitLinear); // the journal's marks of another venue
    QVERIFY_THROWS_EXCEPTION(ReplayInputError, AlertReplay({readPortfolio(kLong)}, otherVenue));
    const MarkRecording empty("empty.csv");
    QVERIFY_THROWS_EXCEPTION(ReplayInputError, AlertReplay({readPortfolio(kLong)}, empty));
    MarkRecording backwards("backwards");
    backwards.append(kStartMs, "BTCUSDT", 60'000.0);
    QVERIFY_THROWS_EXCEPTION(ReplayInputError, backwards.append(kStartMs - 1, "BTCUSDT", 60'000.0));
    QVERIFY_THROWS_EXCEPTION(ReplayInputError, backwards.append(kStartMs, "BTCUSDT", -1.0));
}

void TestAlertReplay::readsTheCsvAndNamesABadLine()
{
    QTemporaryDir dir;
    const std::string good = dir.filePath("good.csv").toStdString();
    std::ofstream(good) << "time,symbol,mark\n# a comment\n1700000000.25,BTCUSDT,40173.98\n1700000060,ETHUSDT,2500\n";
    const MarkRecording recording = MarkRecording::readCsvFile(good);
    QCOMPARE(recording.marks().size(), std::size_t{2});
    QCOMPARE(recording.marks()[0].unixMs, std::int64_t{1'700'000'000'250});
    QCOMPARE(recording.marks()[0].mark, Decimal::parse("40173.98")); // exactly as written
    QCOMPARE(recording.marks()[1].unixMs, std::int64_t{1'700'000'060'000});
    QCOMPARE(recording.series().size(), std::size_t{2});
    QVERIFY(!recording.series()[1].venue);

    const std::string bad = dir.filePath("bad.csv").toStdString();
    std::ofstream(bad) << "time,symbol,mark\n1700000000,BTCUSDT,40000\n1700000060,BTCUSDT\n";
    try {
        (void)MarkRecording::readCsvFile(bad);
        QFAIL("a bad row was accepted");
    } catch (const ReplayInputError& error) {
        QVERIFY2(QString(error.what()).contains("bad.csv:3"), error.what());
    }
    QVERIFY_THROWS_EXCEPTION(ReplayInputError, MarkRecording::readCsvFile(dir.filePath("none.csv").toStdString()));
    QVERIFY_THROWS_EXCEPTION(ReplayInputError, MarkRecording::readCsvFile(dir.path().toStdString()));
}

void TestAlertReplay::readsOnlyTheWantedSeriesOfAJournal()
{
    QTemporaryDir dir;
    const std::filesystem::path file = dir.filePath("journal.db").toStdString();
    {
        Journal journal = Journal::open(file);
        journal.recordMark(Venue::BinanceUsdm, "BTCUSDT", kStartMs + 2'000, 60'002, std::nullopt, std::nullopt);
        journal.recordMark(Venue::BinanceUsdm, "ETHUSDT", kStartMs + 1'000, 3'001, std::nullopt, std::nullopt);
        journal.recordMark(Venue::BinanceUsdm, "BTCUSDT", kStartMs, 60'000, std::nullopt, std::nullopt);
        journal.recordMark(Venue::BybitLinear, "BTCUSDT", kStartMs, 59'990, std::nullopt, std::nullopt);
        journal.flushHistory();
    }
    const MarkRecording recording =
        MarkRecording::readJournal(file, {{Venue::BinanceUsdm, "BTCUSDT"}, {Venue::BinanceUsdm, "ETHUSDT"}});
    QCOMPARE(recording.marks().size(), std::size_t{3}); // Bybit's BTCUSDT is not wanted
    QCOMPARE(recording.marks()[0].unixMs, kStartMs);
    QCOMPARE(recording.marks()[1].unixMs, kStartMs + 1'000);
    QCOMPARE(recording.marks()[2].mark, Decimal::parse("60002"));
    for (const MarkSeries& series : recording.series()) {
        QCOMPARE(series.venue, std::optional(Venue::BinanceUsdm));
    }
    QVERIFY_THROWS_EXCEPTION(ReplayInputError, MarkRecording::readJournal(file, {{Venue::OkxSwap, "BTC-USDT-SWAP"}}));
    const std::string notJournal = dir.filePath("text.db").toStdString();
    std::ofstream(notJournal) << "not a database";
    QVERIFY_THROWS_EXCEPTION(ReplayInputError,
                             MarkRecording::readJournal(notJournal, {{Venue::BinanceUsdm, "BTCUSDT"}}));
}

void TestAlertReplay::readsOneAccountOrAList()
{
    QCOMPARE(readPortfolioList(kLong).size(), std::size_t{1});
    const std::string list = std::string(R"({"accounts": [)") + kLong + "," + kLong + "]}";
    const std::vector<Portfolio> accounts = readPortfolioList(list);
    QCOMPARE(accounts.size(), std::size_t{2});
    QCOMPARE(accounts[1].positions.at(0).isolatedMargin, std::optional(Decimal::parse("1200")));
    QVERIFY_THROWS_EXCEPTION(PortfolioFileError, readPortfolioList(R"({"accounts": [{"venue": "nowhere"}]})"));
}

void TestAlertReplay::qualityMeasuresAsDefined()
{
    // Two positions and a cross margin, with distance tracks, judged by hand.
    ReplayResult result;
    result.startMs = kStartMs;
    const auto minutes = [](double m) { return kStartMs + static_cast<std::int64_t>(m * 60'000); };
    const auto alertAt = [&](ReplaySubject& subject, double at, AlertChange change, AlertLevel level) {
        AlertEvent event;
        event.change = change;
        event.level = level;
        subject.alerts.push_back(result.alerts.size());
        result.alerts.push_back({minutes(at), event});
    };
    // A: isolated, 8 % away at minute 10, 6 % at 20, 2 % at 30, liquidated at 40.
    ReplaySubject a;
    a.account = 0;
    a.position = 0;
    a.distances = {{minutes(10), 8}, {minutes(20), 6}, {minutes(30), 2}, {minutes(40), -0.1}};
    a.liquidatedAtMs = minutes(40);
    alertAt(a, 10, AlertChange::Raised, AlertLevel::Critical);     // 8 % > 7, but within 30 min at 2 % ≤ 3: justified
    alertAt(a, 20, AlertChange::Escalated, AlertLevel::Emergency); // 6 % > 3, liquidated within 30 min: justified
    alertAt(a, 41, AlertChange::Raised, AlertLevel::Emergency);    // after the liquidation: not counted
    // B: a cross position, warned once; its account's cross margin says critical 3 minutes before
    // both are liquidated.
    ReplaySubject b;
    b.account = 1;
    b.position = 0;
    b.cross = true;
    b.distances = {{minutes(0), 20}, {minutes(60), 12}};
    b.liquidatedAtMs = minutes(100);
    alertAt(b, 0, AlertChange::Raised, AlertLevel::Warning);
    alertAt(b, 1, AlertChange::Eased, AlertLevel::Warning); // silent
    ReplaySubject margin;
    margin.account = 1;
    margin.cross = true;
    margin.distances = b.distances;
    margin.liquidatedAtMs = minutes(100);
    alertAt(margin, 97, AlertChange::Raised,
            AlertLevel::Critical); // 12 % away, but liquidated within 30 min: justified
    // C: far away and never liquidated: its emergency was not justified.
    ReplaySubject c;
    c.account = 2;
    c.position = 0;
    c.distances = {{minutes(0), 20}};
    alertAt(c, 0, AlertChange::Raised, AlertLevel::Emergency);
    result.subjects = {a, b, margin, c};

    const AlertQuality quality = measureAlertQuality(result);
    QCOMPARE(quality.positions, std::size_t{3});
    QCOMPARE(quality.subjects, std::size_t{4});
    QCOMPARE(quality.liquidations, std::size_t{2});
    QCOMPARE(quality.liquidationsTooSoonToWarn, std::size_t{0});
    QCOMPARE(quality.liquidationsWithoutTimelyCritical, std::size_t{0});
    QCOMPARE(quality.criticalLeadsSeconds, (std::vector<double>{30 * 60.0, 3 * 60.0}));
    QCOMPARE(quality.minimumLeadSeconds(), std::optional(180.0));
    QCOMPARE(quality.maxSounding, std::size_t{2});
    QCOMPARE(quality.meanSounding, 5.0 / 4.0);
    QCOMPARE(quality.emergencies, std::size_t{2});
    QCOMPARE(quality.justifiedEmergencies, std::size_t{1});
    QCOMPARE(quality.criticals, std::size_t{2});
    QCOMPARE(quality.justifiedCriticals, std::size_t{2});
    const auto checks = checkAlertQuality(quality);
    QCOMPARE(checks.size(), std::size_t{5});
    QVERIFY(checks[0].met && checks[1].met && checks[2].met && !checks[3].met && checks[4].met);

    // A liquidation a minute after the start cannot be warned two minutes ahead: counted apart.
    result.subjects[0].liquidatedAtMs = minutes(1);
    const AlertQuality early = measureAlertQuality(result);
    QCOMPARE(early.liquidationsTooSoonToWarn, std::size_t{1});
    QCOMPARE(early.criticalLeadsSeconds, (std::vector<double>{3 * 60.0}));
}

QTEST_GUILESS_MAIN(TestAlertReplay)
#include "tst_alert_replay.moc"
