// The engine's monitor: every tick evaluated incrementally must agree with a full evaluation at the
// same marks; feeds go stale after three silent intervals and fresh again; subscriptions end with
// their handles.
#include "eval_helpers.h"

#include "engine/monitor.h"

#include <QRandomGenerator>
#include <QtTest>

using namespace mm;
using namespace std::chrono_literals;

namespace {

MarkTick tickOf(Venue venue, const std::string& symbol, const char* mark, MonotonicTime at)
{
    MarkTick tick;
    tick.venue = venue;
    tick.symbol = symbol;
    tick.markPrice = Decimal::parse(mark);
    tick.receivedAt = at;
    return tick;
}

const char* kHedgedBinance = R"({"venue":"binance-usdm","walletBalance":"40000","positions":[
    {"symbol":"BTCUSDT","side":"long","positionSide":"long","quantity":"2","entryPrice":"60000","markPrice":"61000"},
    {"symbol":"BTCUSDT","side":"short","positionSide":"short","quantity":"0.5","entryPrice":"62000","markPrice":"61000"},
    {"symbol":"ETHUSDT","side":"short","quantity":"30","entryPrice":"3000","markPrice":"3100"},
    {"symbol":"SOLUSDT","side":"long","quantity":"400","entryPrice":"150","markPrice":"140","maintenanceMarginRate":"0.01",
     "marginMode":"isolated","isolatedMargin":"9000"}]})";

void compareRisk(const PositionRisk& incremental, const PositionRisk& full)
{
    QCOMPARE(incremental.maintenanceMargin, full.maintenanceMargin);
    QCOMPARE(incremental.unrealizedPnl, full.unrealizedPnl);
    QCOMPARE(incremental.tier, full.tier);
    QCOMPARE(incremental.liquidationDue, full.liquidationDue);
    QCOMPARE(incremental.liquidationPrice.has_value(), full.liquidationPrice.has_value());
    if (full.liquidationPrice) {
        QCOMPARE(*incremental.liquidationPrice, *full.liquidationPrice);
        QCOMPARE(*incremental.distanceToLiquidationPct, *full.distanceToLiquidationPct);
    }
    if (std::isfinite(full.marginRatio)) {
        QCOMPARE(incremental.marginRatio, full.marginRatio);
    } else {
        QVERIFY(std::isinf(incremental.marginRatio));
    }
}

} // namespace

class TestMonitor : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyTickAgreesWithAFullEvaluation_data();
    void everyTickAgreesWithAFullEvaluation();
    void oneSymbolMovesEveryAccountHoldingIt();
    void feedsGoStaleAndFreshAgain();
    void refusesAMarkWhoseFiguresDoNotFit_data();
    void refusesAMarkWhoseFiguresDoNotFit();
    void subscriptionsEndWithTheirHandles();
    void aCallbackMaySubscribeAndEndItsOwnSubscription();
    void refusesWhatItCannotEvaluate();
    void anExchangeReadReplacesTheAccount();
    void aReadKeepsTheStreamedMarks();
    void aReadItCannotEvaluateChangesNothing();
};

void TestMonitor::everyTickAgreesWithAFullEvaluation_data()
{
    QTest::addColumn<QString>("portfolio");
    QTest::newRow("binance hedged, cross and isolated") << QString(kHedgedBinance);
    const QString examples = QStringLiteral(EXAMPLES_DIR "/");
    for (const char* name : {"demo-portfolio.json", "bybit-linear.json", "okx-swap.json", "hyperliquid.json"}) {
        QFile file(examples + name);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QTest::newRow(name) << QString::fromUtf8(file.readAll());
    }
}

void TestMonitor::everyTickAgreesWithAFullEvaluation()
{
    QFETCH(QString, portfolio);
    ManualClock clock;
    Monitor monitor(clock);
    const Portfolio initial = readPortfolio(portfolio.toStdString());
    const std::size_t account = monitor.addAccount(initial);
    std::vector<RiskSnapshot> snapshots;
    const auto subscription = monitor.onRisk([&](const RiskSnapshot& snapshot) { snapshots.push_back(snapshot); });

    // 300 random ticks within ±30 % of the starting marks, on the account's symbols.
    QRandomGenerator random(7);
    std::map<std::string, double> start;
    for (const Position& position : initial.positions) {
        start[position.symbol] = position.markPrice.toDouble();
    }
    Portfolio mirror = initial; // the same marks, evaluated from scratch every time
    for (int i = 0; i < 300; ++i) {
        auto it = start.begin();
        std::advance(it, random.bounded(static_cast<int>(start.size())));
        const double price = it->second * (0.7 + 0.6 * random.generateDouble());
        const std::string mark = QString::number(price, 'f', 4).toStdString();
        clock.advance(10ms);
        snapshots.clear();
        monitor.applyTick(tickOf(initial.account.venue, it->first, mark.c_str(), clock.now()));
        for (Position& position : mirror.positions) {
            if (position.symbol == it->first) {
                position.markPrice = Decimal::parse(mark);
            }
        }
        const PortfolioRisk full = MarginModel::forVenue(mirror.account.venue)->evaluate(mirror);
        QCOMPARE(snapshots.size(), std::size_t(1));
        const RiskSnapshot& snapshot = snapshots.front();
        QCOMPARE(snapshot.account, account);
        QCOMPARE(snapshot.tickReceivedAt, clock.now());
        QCOMPARE(snapshot.accountRisk.marginBalance, full.account.marginBalance);
        QCOMPARE(snapshot.accountRisk.requirement, full.account.requirement);
        QCOMPARE(snapshot.accountRisk.liquidationDue, full.account.liquidationDue);
        std::size_t onSymbol = 0;
        for (const Position& position : mirror.positions) {
            onSymbol += position.symbol == it->first ? 1 : 0;
        }
        QCOMPARE(snapshot.positions.size(), onSymbol);
        for (const auto& [index, risk] : snapshot.positions) {
            QCOMPARE(mirror.positions[index].symbol, it->first);
            compareRisk(risk, full.positions[index]);
        }
    }
    // And the display's full refresh matches too.
    const PortfolioRisk refreshed = monitor.evaluate(account);
    const PortfolioRisk full = MarginModel::forVenue(mirror.account.venue)->evaluate(mirror);
    for (std::size_t i = 0; i < full.positions.size(); ++i) {
        compareRisk(refreshed.positions[i], full.positions[i]);
    }
}

void TestMonitor::oneSymbolMovesEveryAccountHoldingIt()
{
    ManualClock clock;
    Monitor monitor(clock);
    monitor.addAccount(readPortfolio(kHedgedBinance));
    monitor.addAccount(readPortfolio(R"({"venue":"binance-usdm","walletBalance":"1000","positions":[
        {"symbol":"BTCUSDT","side":"short","quantity":"0.1","entryPrice":"60000"}]})"));
    monitor.addAccount(readPortfolio(R"({"venue":"bybit-linear","walletBalance":"1000","positions":[
        {"symbol":"BTCUSDT","side":"short","quantity":"0.1","entryPrice":"60000"}]})"));
    std::vector<std::size_t> accounts;
    const auto subscription = monitor.onRisk([&](const RiskSnapshot& snapshot) { accounts.push_back(snapshot.account); });
    monitor.applyTick(tickOf(Venue::BinanceUsdm, "BTCUSDT", "60500", clock.now()));
    QCOMPARE(accounts, (std::vector<std::size_t>{0, 1})); // the Bybit account has its own BTCUSDT
    monitor.applyTick(tickOf(Venue::BinanceUsdm, "DOGEUSDT", "0.1", clock.now()));
    QCOMPARE(accounts.size(), std::size_t(2));
    QCOMPARE(monitor.unwatchedTicks(), std::uint64_t(1));
    QCOMPARE(monitor.symbolsOn(Venue::BinanceUsdm), (std::vector<std::string>{"BTCUSDT", "ETHUSDT", "SOLUSDT"}));
    QCOMPARE(monitor.symbolsOn(Venue::BybitLinear), (std::vector<std::string>{"BTCUSDT"}));
}

void TestMonitor::feedsGoStaleAndFreshAgain()
{
    ManualClock clock;
    Monitor monitor(clock);
    monitor.setExpectedInterval(Venue::BinanceUsdm, 1s);
    monitor.addAccount(readPortfolio(R"({"venue":"binance-usdm","walletBalance":"1000","positions":[
        {"symbol":"BTCUSDT","side":"long","quantity":"0.1","entryPrice":"60000"}]})"));
    std::vector<FeedStatus> events;
    const auto subscription = monitor.onFeed([&](const FeedStatus& status) { events.push_back(status); });
    QCOMPARE(monitor.feeds().at(0).state, FeedState::Waiting);

    clock.advance(2900ms);
    monitor.checkFreshness();
    QCOMPARE(events.size(), std::size_t(0)); // not yet three intervals
    clock.advance(200ms);
    monitor.checkFreshness();
    QCOMPARE(events.size(), std::size_t(1)); // never heard from: stale
    QCOMPARE(events.back().state, FeedState::Stale);
    monitor.checkFreshness();
    QCOMPARE(events.size(), std::size_t(1)); // a change is published once

    monitor.applyTick(tickOf(Venue::BinanceUsdm, "BTCUSDT", "60100", clock.now()));
    QCOMPARE(events.size(), std::size_t(2));
    QCOMPARE(events.back().state, FeedState::Fresh);
    QCOMPARE(events.back().ticks, std::uint64_t(1));
    monitor.applyTick(tickOf(Venue::BinanceUsdm, "BTCUSDT", "60200", clock.now()));
    QCOMPARE(events.size(), std::size_t(2)); // still fresh: nothing to say

    clock.advance(3000ms);
    monitor.checkFreshness();
    QCOMPARE(events.size(), std::size_t(2)); // exactly three intervals: not yet
    clock.advance(1ms);
    monitor.checkFreshness();
    QCOMPARE(events.size(), std::size_t(3));
    QCOMPARE(events.back().state, FeedState::Stale);
    QCOMPARE(monitor.feeds().at(0).ticks, std::uint64_t(2));
}

void TestMonitor::refusesAMarkWhoseFiguresDoNotFit_data()
{
    // A mark the parser accepts (a positive decimal below 1e20) whose figures leave the range: the
    // notional (size × mark), the unrealised PnL, or the account's sums over its cross positions.
    QTest::addColumn<QString>("portfolio");
    QTest::addColumn<QString>("mark");
    QTest::newRow("cross: notional beyond 1e20") << QString(kHedgedBinance) << "99999999999999999999";
    QTest::newRow("cross: a small coin's mark 15 orders of magnitude up")
        << QString(R"({"venue":"bybit-linear","walletBalance":"1000","positions":[
               {"symbol":"PEPEUSDT","side":"short","quantity":"1000000","entryPrice":"0.5","maintenanceMarginRate":"0.01"},
               {"symbol":"BTCUSDT","side":"long","quantity":"0.1","entryPrice":"60000"}]})")
        << "500000000000000";
    QTest::newRow("isolated") << QString(R"({"venue":"okx-swap","walletBalance":"0","positions":[
               {"symbol":"BTC-USDT-SWAP","side":"short","quantity":"50","entryPrice":"60000","marginMode":"isolated",
                "isolatedMargin":"9000","maintenanceMarginRate":"0.004"}]})")
                              << "12345678901234567890";
}

void TestMonitor::refusesAMarkWhoseFiguresDoNotFit()
{
    // Nothing changes: no snapshot, the last good mark and its figures stand, the feed is not
    // renewed (a feed sending only such marks goes stale); the next good mark applies as usual.
    QFETCH(QString, portfolio);
    QFETCH(QString, mark);
    ManualClock clock;
    Monitor monitor(clock);
    Portfolio initial;
    try {
        initial = readPortfolio(portfolio.toStdString());
        monitor.addAccount(initial);
    } catch (const std::exception& error) {
        QFAIL(error.what());
    }
    const Position& first = initial.positions.front();
    const Venue venue = initial.account.venue;
    int snapshots = 0;
    RiskSnapshot last;
    const auto risk = monitor.onRisk([&](const RiskSnapshot& snapshot) {
        ++snapshots;
        last = snapshot;
    });
    const PortfolioRisk before = monitor.evaluate(0);

    Monitor::TickOutcome outcome = Monitor::TickOutcome::Applied;
    try {
        outcome = monitor.applyTick(tickOf(venue, first.symbol, mark.toLatin1().constData(), clock.now()));
    } catch (const std::exception& error) {
        QFAIL(qPrintable(QString("applyTick threw: %1").arg(error.what())));
    }
    QCOMPARE(outcome, Monitor::TickOutcome::Refused);
    QCOMPARE(monitor.refusedTicks(), std::uint64_t(1));
    QCOMPARE(snapshots, 0);
    QCOMPARE(monitor.portfolio(0).positions.front().markPrice, first.markPrice);
    const PortfolioRisk after = monitor.evaluate(0);
    for (std::size_t i = 0; i < before.positions.size(); ++i) {
        compareRisk(after.positions[i], before.positions[i]);
    }
    const std::vector<FeedStatus> feeds = monitor.feeds();
    const auto feed = std::find_if(feeds.begin(), feeds.end(), [&](const FeedStatus& status) { return status.symbol == first.symbol; });
    QVERIFY(feed != feeds.end());
    QCOMPARE(feed->ticks, std::uint64_t(0));
    QCOMPARE(feed->state, FeedState::Waiting);

    QCOMPARE(monitor.applyTick(tickOf(venue, first.symbol, "61000", clock.now())), Monitor::TickOutcome::Applied);
    QCOMPARE(snapshots, 1);
    QCOMPARE(monitor.portfolio(0).positions.front().markPrice, Decimal::parse("61000"));
    // The snapshot, from the running sums, agrees with a full evaluation at the same marks: the
    // refusal left nothing half done.
    const PortfolioRisk full = monitor.evaluate(0);
    QVERIFY(!last.positions.empty());
    for (const auto& [index, positionRisk] : last.positions) {
        compareRisk(positionRisk, full.positions.at(index));
    }
    QCOMPARE(last.accountRisk.maintenanceMargin, full.account.maintenanceMargin);
    QCOMPARE(last.accountRisk.marginBalance, full.account.marginBalance);
    QCOMPARE(monitor.refusedTicks(), std::uint64_t(1));
    QCOMPARE(monitor.applyTick(tickOf(venue, "NOTHELD", "1", clock.now())), Monitor::TickOutcome::Unwatched);
}

void TestMonitor::aCallbackMaySubscribeAndEndItsOwnSubscription()
{
    // While a callback runs, it subscribes others (the list grows and moves) and drops its own
    // handle: the running function and what it captured stay alive until it returns.
    SubscriberList<int> list;
    std::vector<std::unique_ptr<Subscription>> added;
    std::unique_ptr<Subscription> own;
    std::vector<std::string> heard;
    const std::string name(64, 'x'); // captured by value: destroyed with the function if it were freed
    own = list.subscribe([&, name](int event) {
        for (int i = 0; i < 100; ++i) {
            added.push_back(list.subscribe([&](int later) { heard.push_back("added " + std::to_string(later)); }));
        }
        own.reset();
        heard.push_back(name + std::to_string(event));
    });
    list.publish(1);
    QCOMPARE(heard.size(), std::size_t(101)); // the first, and the ones added meanwhile hear it too
    QCOMPARE(heard.front(), name + "1");
    heard.clear();
    list.publish(2);
    QCOMPARE(heard.size(), std::size_t(100)); // the first is gone
    added.clear();
    list.publish(3);
    QVERIFY(heard.size() == 100);
}

void TestMonitor::subscriptionsEndWithTheirHandles()
{
    ManualClock clock;
    Monitor monitor(clock);
    monitor.addAccount(readPortfolio(kHedgedBinance));
    int first = 0;
    int second = 0;
    std::unique_ptr<Subscription> secondHandle;
    auto firstHandle = monitor.onRisk([&](const RiskSnapshot&) {
        ++first;
        secondHandle.reset(); // dropping another subscription while being called is safe
    });
    secondHandle = monitor.onRisk([&](const RiskSnapshot&) { ++second; });
    monitor.applyTick(tickOf(Venue::BinanceUsdm, "ETHUSDT", "3050", clock.now()));
    QCOMPARE(first, 1);
    QCOMPARE(second, 0);
    firstHandle.reset();
    monitor.applyTick(tickOf(Venue::BinanceUsdm, "ETHUSDT", "3060", clock.now()));
    QCOMPARE(first, 1);

    // A handle may outlive its monitor.
    auto monitorOnHeap = std::make_unique<Monitor>(clock);
    auto orphan = monitorOnHeap->onFeed([](const FeedStatus&) {});
    monitorOnHeap.reset();
    orphan.reset();
}

void TestMonitor::refusesWhatItCannotEvaluate()
{
    ManualClock clock;
    Monitor monitor(clock);
    Portfolio broken = readPortfolio(kHedgedBinance);
    broken.positions[3].isolatedMargin.reset(); // isolated without margin or leverage
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, monitor.addAccount(broken));
    QCOMPARE(monitor.accountCount(), std::size_t(0));
}

void TestMonitor::anExchangeReadReplacesTheAccount()
{
    ManualClock clock;
    Monitor monitor(clock);
    monitor.addAccount(readPortfolio(R"({"venue":"binance-usdm","walletBalance":"1000","positions":[
        {"symbol":"BTCUSDT","side":"short","quantity":"0.1","entryPrice":"60000","markPrice":"60000"}]})"));
    Portfolio empty;
    empty.account.venue = Venue::BinanceUsdm;
    empty.account.label = "read";
    const std::size_t account = monitor.addAccount(empty, AccountSource::Exchange);
    QCOMPARE(monitor.source(account), AccountSource::Exchange);
    QVERIFY(!monitor.reportedAt(account));
    QCOMPARE(monitor.symbolsOn(Venue::BinanceUsdm), (std::vector<std::string>{"BTCUSDT"}));

    std::vector<RiskSnapshot> snapshots;
    const auto subscription = monitor.onRisk([&](const RiskSnapshot& snapshot) { snapshots.push_back(snapshot); });
    Portfolio read = readPortfolio(kHedgedBinance);
    std::vector<ExchangeFigures> figures(read.positions.size());
    figures[2].liquidationPrice = Decimal::parse("4210.5");
    clock.advance(5s);
    monitor.replaceAccount(account, read, figures, {Decimal::parse("41000"), std::nullopt, std::nullopt});

    // One snapshot with every position, the venue's figures beside the monitor's.
    QCOMPARE(snapshots.size(), std::size_t(1));
    QCOMPARE(snapshots[0].account, account);
    QCOMPARE(snapshots[0].positions.size(), read.positions.size());
    QCOMPARE(monitor.portfolio(account).positions.size(), read.positions.size());
    QCOMPARE(monitor.portfolio(account).account.label, std::string("read")); // the account keeps its name
    QCOMPARE(monitor.exchangeFigures(account)[2].liquidationPrice, std::optional(Decimal::parse("4210.5")));
    QVERIFY(!monitor.exchangeFigures(account)[0].liquidationPrice);
    QCOMPARE(monitor.exchangeAccountFigures(account).marginBalance, std::optional(Decimal::parse("41000")));
    QCOMPARE(monitor.reportedAt(account), std::optional(clock.now()));
    QCOMPARE(monitor.symbolsOn(Venue::BinanceUsdm), (std::vector<std::string>{"BTCUSDT", "ETHUSDT", "SOLUSDT"}));

    // Ticks now reach the new positions, in both accounts holding BTCUSDT.
    snapshots.clear();
    monitor.applyTick(tickOf(Venue::BinanceUsdm, "BTCUSDT", "60500", clock.now()));
    QCOMPARE(snapshots.size(), std::size_t(2));
    snapshots.clear();
    monitor.applyTick(tickOf(Venue::BinanceUsdm, "ETHUSDT", "3050", clock.now()));
    QCOMPARE(snapshots.size(), std::size_t(1));
    QCOMPARE(snapshots[0].positions.size(), std::size_t(1));
    QCOMPARE(snapshots[0].positions[0].first, std::size_t(2));

    // A later read without ETHUSDT: its ticks reach no position any more.
    Portfolio closed = read;
    closed.positions.erase(closed.positions.begin() + 2);
    monitor.replaceAccount(account, closed, {}, {});
    QVERIFY(monitor.exchangeFigures(account).size() == closed.positions.size());
    snapshots.clear();
    monitor.applyTick(tickOf(Venue::BinanceUsdm, "ETHUSDT", "3000", clock.now()));
    QVERIFY(snapshots.empty());
    const PortfolioRisk risk = monitor.evaluate(account);
    QCOMPARE(risk.positions.size(), closed.positions.size());
}

void TestMonitor::aReadKeepsTheStreamedMarks()
{
    ManualClock clock;
    Monitor monitor(clock);
    Portfolio empty;
    empty.account.venue = Venue::BinanceUsdm;
    const std::size_t account = monitor.addAccount(empty, AccountSource::Exchange);
    Portfolio read = readPortfolio(R"({"venue":"binance-usdm","walletBalance":"1000","positions":[
        {"symbol":"BTCUSDT","side":"long","quantity":"0.1","entryPrice":"60000","markPrice":"60000"}]})");
    monitor.replaceAccount(account, read, {}, {});
    monitor.applyTick(tickOf(Venue::BinanceUsdm, "BTCUSDT", "58000", clock.now()));
    // The venue's answer was taken before the latest tick: its mark is older than the stream's.
    monitor.replaceAccount(account, read, {}, {});
    QCOMPARE(monitor.portfolio(account).positions[0].markPrice, Decimal::parse("58000"));
    const PortfolioRisk risk = monitor.evaluate(account);
    QCOMPARE(risk.positions[0].unrealizedPnl, Decimal::parse("-200"));
}

void TestMonitor::aReadItCannotEvaluateChangesNothing()
{
    ManualClock clock;
    Monitor monitor(clock);
    Portfolio empty;
    empty.account.venue = Venue::BinanceUsdm;
    const std::size_t account = monitor.addAccount(empty, AccountSource::Exchange);
    const Portfolio good = readPortfolio(kHedgedBinance);
    monitor.replaceAccount(account, good, {}, {});
    Portfolio broken = good;
    broken.positions[3].isolatedMargin.reset(); // isolated without margin or leverage
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, monitor.replaceAccount(account, broken, {}, {}));
    QCOMPARE(monitor.portfolio(account).positions.size(), good.positions.size());
    QCOMPARE(monitor.portfolio(account).positions[3].isolatedMargin, good.positions[3].isolatedMargin);
    std::size_t published = 0;
    const auto subscription = monitor.onRisk([&](const RiskSnapshot&) { ++published; });
    monitor.applyTick(tickOf(Venue::BinanceUsdm, "SOLUSDT", "141", clock.now()));
    QCOMPARE(published, std::size_t(1));
}

QTEST_APPLESS_MAIN(TestMonitor)
#include "tst_monitor.moc"
