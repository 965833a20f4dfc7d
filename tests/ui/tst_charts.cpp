// The charts: the risk history they draw (sampling, bounds, positions leaving), and both charts fed
// from a real Monitor whose marks fall, rendered offscreen to PNG files for a person to look at.
#include "eval_helpers.h"
#include "sample_portfolios.h"

#include "engine/risk_board.h"
#include "models/risk_history.h"
#include "views/distance_map.h"
#include "views/position_chart.h"
#include "views/theme.h"

#include <QAreaSeries>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QSignalSpy>
#include <QValueAxis>
#include <QtTest>

#include <cmath>

using namespace mm;
using namespace mm::ui;
using namespace std::chrono_literals;

namespace {

/// A fixed wall-clock moment for the anchor, so the axis labels do not depend on when the test runs.
const std::chrono::system_clock::time_point kWallAnchor{
    std::chrono::milliseconds(1'715'678'400'000)}; // 2024-05-14 09:20 UTC

PositionLine lineFor(std::size_t account, std::size_t position, const std::string& symbol, double mark,
                     std::optional<double> liquidationPrice)
{
    PositionLine line;
    line.account = account;
    line.position = position;
    line.venue = Venue::BinanceUsdm;
    line.accountLabel = "main";
    line.symbol = symbol;
    line.markPrice = test::decimalNear(mark);
    line.risk.liquidationPrice = liquidationPrice;
    if (liquidationPrice) {
        line.risk.distanceToLiquidationPct = std::abs(mark - *liquidationPrice) / mark * 100.0;
    }
    return line;
}

RiskBoard boardAt(MonotonicTime takenAt, std::vector<PositionLine> lines)
{
    RiskBoard board;
    board.positions = std::move(lines);
    board.takenAt = takenAt;
    return board;
}

// A cross account with three positions, an OKX short, and an account whose only position no price liquidates.
using test::kBinanceCrossAndIsolated;
using test::kOkxShort;
const char* kSafe = R"({"venue":"bybit-linear","label":"savings","walletBalance":"100000","positions":[
    {"symbol":"ETHUSDT","side":"long","quantity":"1","entryPrice":"3000","markPrice":"3100","maintenanceMarginRate":"0.005"}]})";

struct Feed {
    Venue venue;
    const char* symbol;
    double start; ///< the mark at the start
    double fall;  ///< the fraction it falls over the run
};
const Feed kFeeds[] = {{Venue::BinanceUsdm, "BTCUSDT", 61'000, 0.28},
                       {Venue::BinanceUsdm, "ETHUSDT", 3'100, 0.05},
                       {Venue::BinanceUsdm, "SOLUSDT", 140, 0.06},
                       {Venue::OkxSwap, "BTC-USDT-SWAP", 60'000, 0.28},
                       {Venue::BybitLinear, "ETHUSDT", 3'100, 0.05}};

/// Boards every 100 ms from a real monitor while the marks fall (with a little deterministic wobble).
struct FallingMarket {
    ManualClock clock;
    Monitor monitor{clock};
    RiskHistory history{RiskHistory::kDefaultSampleInterval, RiskHistory::kDefaultCapacity, clock.now(), kWallAnchor};
    RiskBoard lastSampled; ///< the last board the history took
    std::size_t boards = 0;

    FallingMarket()
    {
        monitor.addAccount(readPortfolio(kBinanceCrossAndIsolated));
        monitor.addAccount(readPortfolio(kOkxShort));
        monitor.addAccount(readPortfolio(kSafe));
    }

    void run(int steps)
    {
        for (int step = 0; step < steps; ++step) {
            const double progress = static_cast<double>(step) / steps;
            for (const Feed& feed : kFeeds) {
                MarkTick tick;
                tick.venue = feed.venue;
                tick.symbol = feed.symbol;
                const double wobble = 1 + 0.004 * std::sin(step * 0.21 + feed.start);
                tick.markPrice = test::decimalNear(feed.start * (1 - feed.fall * progress) * wobble);
                tick.receivedAt = clock.now();
                monitor.applyTick(tick);
            }
            RiskBoard board = takeRiskBoard(monitor, nullptr, clock.now(), ++boards);
            if (history.record(board)) {
                lastSampled = std::move(board);
            }
            clock.advance(100ms);
        }
    }
};

QString savePng(QWidget& widget, const QString& name)
{
    const QString path = QDir(QCoreApplication::applicationDirPath()).filePath(name);
    QCoreApplication::processEvents(); // the chart's layout requests, as the event loop would before painting
    const QImage image = widget.grab().toImage();
    if (image.isNull() || !image.save(path)) {
        return {};
    }
    qInfo().noquote() << "rendered" << path;
    return path;
}

void compareLastPoint(const QLineSeries* series, double x, double y)
{
    QVERIFY(series->count() > 0);
    const QPointF last = series->at(series->count() - 1);
    QCOMPARE(last.x(), x);
    QVERIFY2(std::abs(last.y() - y) <= 1e-9 * std::max(1.0, std::abs(y)),
             qPrintable(QStringLiteral("%1 != %2").arg(last.y(), 0, 'g', 17).arg(y, 0, 'g', 17)));
}

} // namespace

class TestCharts : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();

    void samplesAtMostFourTimesASecond();
    void startsWithThePastFromTheJournal();
    void keepsAtMostItsCapacityDroppingTheOldest();
    void dropsPositionsThatLeaveTheBoard();
    void startsAfreshWhenAKeyNamesAnotherPosition();
    void keepsAMissingLiquidationPriceAsMissing();
    void thinsLongHistoriesKeepingExtremesAndTheLatest();
    void anchorsSampleTimesToTheWallClockOnce();

    void drawsTheSelectedPositionsPrices();
    void drawsEveryPositionsDistance();
    void saysWhenThereIsNoLiquidationPrice();
    void updatesSeriesInPlaceWithReplace();
    void addsAndRemovesLinesAsPositionsComeAndGo();
    void redrawsAtMostFourTimesASecond();
    void drawsTwoHoursThinnedToAPointBudget();
};

void TestCharts::initTestCase()
{
    applyDarkTheme(*qApp); // as the app runs: the charts take their colours from the palette
}

void TestCharts::startsWithThePastFromTheJournal()
{
    ManualClock clock;
    RiskHistory history(250ms, 100, clock.now(), kWallAnchor);
    const auto anchorMs = std::chrono::duration_cast<std::chrono::milliseconds>(kWallAnchor.time_since_epoch()).count();
    int asked = 0;
    std::vector<std::string> askedFor;
    history.setPastProvider([&](const std::vector<TrackedPosition>& positions) {
        ++asked;
        askedFor.clear();
        std::vector<std::vector<RiskHistory::PastPoint>> pasts;
        for (const TrackedPosition& position : positions) {
            askedFor.push_back(position.symbol);
            pasts.push_back(position.symbol != "BTCUSDT"
                                ? std::vector<RiskHistory::PastPoint>{}
                                : std::vector<RiskHistory::PastPoint>{{anchorMs - 120'000, 59'000, 49'000, 16.9},
                                                                      {anchorMs - 60'000, 59'500, std::nullopt, std::nullopt},
                                                                      {anchorMs + 5'000, 1, 1, 1}}); // after the first sample: ignored
        }
        return pasts;
    });
    QVERIFY(history.record(boardAt(clock.now(), {lineFor(0, 0, "BTCUSDT", 60'000, 50'000), lineFor(0, 1, "ETHUSDT", 3'000, 2'500)})));
    QCOMPARE(asked, 1); // once for both new positions
    QCOMPARE(askedFor, (std::vector<std::string>{"BTCUSDT", "ETHUSDT"}));
    const SampleSpans samples = history.samples(0);
    QCOMPARE(samples.size(), std::size_t{3});
    QCOMPARE(history.wallClockMs(samples[0].time), static_cast<double>(anchorMs - 120'000));
    QCOMPARE(samples[0].markPrice, 59'000.0);
    QCOMPARE(*samples[0].liquidationPrice(), 49'000.0);
    QVERIFY(!samples[1].liquidationPrice());
    QCOMPARE(samples[2].markPrice, 60'000.0);
    QCOMPARE(history.samples(1).size(), std::size_t{1}); // no past: its first sample only
    clock.advance(1s);
    QVERIFY(history.record(boardAt(clock.now(), {lineFor(0, 0, "BTCUSDT", 60'100, 50'000), lineFor(0, 1, "ETHUSDT", 3'001, 2'500),
                                                 lineFor(0, 2, "SOLUSDT", 150, 120)})));
    QCOMPARE(asked, 2); // asked again only for the position that appeared since
    QCOMPARE(askedFor, std::vector<std::string>{"SOLUSDT"});
    QCOMPARE(history.samples(0).size(), std::size_t{4});
}

void TestCharts::samplesAtMostFourTimesASecond()
{
    ManualClock clock;
    RiskHistory history(250ms, 100, clock.now(), kWallAnchor);
    int sampled = 0;
    for (int board = 0; board < 10; ++board) { // 10 boards in one second
        sampled += history.record(boardAt(clock.now(), {lineFor(0, 0, "BTCUSDT", 60'000 + board, 50'000)})) ? 1 : 0;
        clock.advance(100ms);
    }
    const SampleSpans samples = history.samples(0);
    QCOMPARE(samples.size(), std::size_t(sampled));
    QVERIFY2(samples.size() == 4 || samples.size() == 5, qPrintable(QString::number(samples.size())));
    for (std::size_t index = 1; index < samples.size(); ++index) {
        QVERIFY(samples[index].time - samples[index - 1].time >= 0.25 - 1e-9);
    }
    QCOMPARE(samples[0].markPrice, 60'000.0); // the first board is always taken
    QCOMPARE(history.revision(), std::uint64_t(sampled));
    // A board from before the last sample (a late delivery) is not taken.
    QVERIFY(!history.record(boardAt(clock.now() - 2s, {lineFor(0, 0, "BTCUSDT", 1, 1)})));
    // Configurable: every board at a 100 ms interval.
    RiskHistory everyBoard(100ms, 100, clock.now(), kWallAnchor);
    for (int board = 0; board < 10; ++board) {
        QVERIFY(everyBoard.record(boardAt(clock.now(), {lineFor(0, 0, "BTCUSDT", 60'000, 50'000)})));
        clock.advance(100ms);
    }
    QCOMPARE(everyBoard.samples(0).size(), std::size_t(10));
}

void TestCharts::keepsAtMostItsCapacityDroppingTheOldest()
{
    ManualClock clock;
    RiskHistory history(250ms, 5, clock.now(), kWallAnchor);
    QCOMPARE(RiskHistory().capacity(), std::size_t(28'800)); // 2 hours at 4 Hz by default
    std::size_t fullBytes = 0;
    for (int sample = 0; sample < 200; ++sample) {
        QVERIFY(history.record(boardAt(clock.now(), {lineFor(0, 0, "BTCUSDT", 1'000 + sample, 500)})));
        clock.advance(250ms);
        if (sample == 4) {
            fullBytes = history.memoryBytes();
        }
        if (sample == 7) {
            const SampleSpans samples = history.samples(0);
            QCOMPARE(samples.size(), std::size_t(5));
            for (std::size_t index = 0; index < 5; ++index) {
                QCOMPARE(samples[index].markPrice, 1'003.0 + static_cast<double>(index)); // 3..7: the oldest three gone
            }
            QCOMPARE(samples.back().markPrice, 1'007.0);
        }
    }
    QCOMPARE(history.samples(0).size(), std::size_t(5));
    QCOMPARE(history.samples(0)[0].markPrice, 1'195.0);
    QCOMPARE(history.samples(0).back().markPrice, 1'199.0);
    QCOMPARE(history.memoryBytes(), fullBytes); // bounded: nothing grows once full
    QVERIFY(fullBytes >= 5 * sizeof(RiskSample));
}

void TestCharts::dropsPositionsThatLeaveTheBoard()
{
    ManualClock clock;
    RiskHistory history(250ms, 100, clock.now(), kWallAnchor);
    const auto three = [&] {
        return boardAt(clock.now(), {lineFor(0, 0, "BTCUSDT", 60'000, 50'000), lineFor(0, 1, "ETHUSDT", 3'000, 3'500),
                                     lineFor(1, 0, "SOLUSDT", 140, 100)});
    };
    history.record(three());
    clock.advance(250ms);
    history.record(three());
    clock.advance(250ms);
    QCOMPARE(history.positionCount(), std::size_t(3));
    const std::size_t withThree = history.memoryBytes();
    history.record(
        boardAt(clock.now(), {lineFor(0, 0, "BTCUSDT", 59'000, 50'000), lineFor(1, 0, "SOLUSDT", 139, 100)}));
    QCOMPARE(history.positionCount(), std::size_t(2));
    QVERIFY(!history.indexOf(PositionKey{0, 1}));
    QCOMPARE(history.indexOf(PositionKey{0, 0}), std::optional<std::size_t>(0));
    QCOMPARE(history.indexOf(PositionKey{1, 0}), std::optional<std::size_t>(1));
    QCOMPARE(history.samples(0).size(), std::size_t(3)); // the others keep their history
    QCOMPARE(history.samples(1).size(), std::size_t(3));
    QCOMPARE(history.position(1).symbol, std::string("SOLUSDT"));
    QVERIFY(history.memoryBytes() < withThree);
    clock.advance(250ms);
    history.record(boardAt(clock.now(), {}));
    QCOMPARE(history.positionCount(), std::size_t(0));
}

void TestCharts::startsAfreshWhenAKeyNamesAnotherPosition()
{
    // ETH (index 1) closed: SOL moves up to index 1 and must not continue ETH's line.
    ManualClock clock;
    RiskHistory history(250ms, 100, clock.now(), kWallAnchor);
    history.record(boardAt(clock.now(), {lineFor(0, 0, "BTCUSDT", 60'000, 50'000),
                                         lineFor(0, 1, "ETHUSDT", 3'000, 3'500), lineFor(0, 2, "SOLUSDT", 140, 100)}));
    clock.advance(250ms);
    history.record(
        boardAt(clock.now(), {lineFor(0, 0, "BTCUSDT", 60'000, 50'000), lineFor(0, 1, "SOLUSDT", 140, 100)}));
    QCOMPARE(history.positionCount(), std::size_t(2));
    QCOMPARE(history.position(1).symbol, std::string("SOLUSDT"));
    QCOMPARE(history.samples(1).size(), std::size_t(1));
    QCOMPARE(history.samples(0).size(), std::size_t(2));
}

void TestCharts::keepsAMissingLiquidationPriceAsMissing()
{
    ManualClock clock;
    RiskHistory history(250ms, 100, clock.now(), kWallAnchor);
    history.record(boardAt(clock.now(), {lineFor(0, 0, "BTCUSDT", 60'000, 50'000)}));
    clock.advance(250ms);
    history.record(boardAt(clock.now(), {lineFor(0, 0, "BTCUSDT", 61'000, std::nullopt)}));
    clock.advance(250ms);
    history.record(boardAt(clock.now(), {lineFor(0, 0, "BTCUSDT", 62'000, 52'000)}));
    const SampleSpans samples = history.samples(0);
    QCOMPARE(samples.size(), std::size_t(3));
    QCOMPARE(samples[0].liquidationPrice(), std::optional<double>(50'000));
    QCOMPARE(samples[1].liquidationPrice(), std::optional<double>());
    QCOMPARE(samples[1].distanceToLiquidationPct(), std::optional<double>());
    QCOMPARE(samples[1].markPrice, 61'000.0);
    QCOMPARE(samples[2].liquidationPrice(), std::optional<double>(52'000));
    QCOMPARE(history.chartPoints(0, RiskHistory::Figure::MarkPrice, 0).size(), 3);
    const QList<QPointF> liquidation = history.chartPoints(0, RiskHistory::Figure::LiquidationPrice, 0);
    QCOMPARE(liquidation.size(), 2); // the missing one is left out, not drawn at 0
    QCOMPARE(liquidation[1].y(), 52'000.0);
    QCOMPARE(history.chartPoints(0, RiskHistory::Figure::DistanceToLiquidationPct, 0).size(), 2);
    QCOMPARE(sizeof(RiskSample), std::size_t(32));
}

void TestCharts::thinsLongHistoriesKeepingExtremesAndTheLatest()
{
    ManualClock clock;
    RiskHistory history(250ms, 10'000, clock.now(), kWallAnchor);
    for (int sample = 0; sample < 10'000; ++sample) {
        double mark = 60'000 + 100 * std::sin(sample * 0.01);
        if (sample == 4'321) {
            mark = 40'000; // a one-sample wick towards liquidation
        }
        history.record(boardAt(clock.now(), {lineFor(0, 0, "BTCUSDT", mark, 30'000)}));
        clock.advance(250ms);
    }
    const QList<QPointF> points = history.chartPoints(0, RiskHistory::Figure::MarkPrice, 1'000);
    QVERIFY2(points.size() <= 1'001, qPrintable(QString::number(points.size())));
    QVERIFY(points.size() >= 900);
    QVERIFY(std::any_of(points.begin(), points.end(), [](const QPointF& point) { return point.y() == 40'000; }));
    QCOMPARE(points.back().y(), history.samples(0).back().markPrice);
    QCOMPARE(points.back().x(), history.wallClockMs(history.samples(0).back().time));
    QVERIFY(
        std::is_sorted(points.begin(), points.end(), [](const QPointF& a, const QPointF& b) { return a.x() < b.x(); }));
}

void TestCharts::anchorsSampleTimesToTheWallClockOnce()
{
    ManualClock clock;
    RiskHistory history(250ms, 100, clock.now(), kWallAnchor);
    clock.advance(90s);
    history.record(boardAt(clock.now(), {lineFor(0, 0, "BTCUSDT", 60'000, 50'000)}));
    QCOMPARE(history.wallClockMs(history.samples(0)[0].time), 1'715'678'400'000.0 + 90'000.0);
}

void TestCharts::drawsTheSelectedPositionsPrices()
{
    FallingMarket market;
    market.run(600); // a minute of boards at 10 Hz
    const RiskHistory& history = market.history;
    QCOMPARE(history.positionCount(), market.lastSampled.positions.size());
    const std::size_t btc = *history.indexOf(PositionKey{0, 0});
    const PositionLine& last = market.lastSampled.positions[0];
    QCOMPARE(last.symbol, std::string("BTCUSDT"));
    QVERIFY(last.risk.liquidationPrice);

    PositionChart chart;
    chart.setRefreshInterval(0ms);
    chart.setPosition(PositionKey{0, 0});
    chart.resize(900, 460);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    chart.refresh(history);

    const SampleSpans samples = history.samples(btc);
    // Boards every 100 ms, samples at least 250 ms apart: every third board, 200 in the minute.
    QCOMPARE(samples.size(), std::size_t(200));
    QCOMPARE(samples.back().time, std::chrono::duration<double>(market.lastSampled.takenAt.time_since_epoch()).count());
    QCOMPARE(chart.chart()->title(), QStringLiteral("BTCUSDT · binance-usdm · main"));
    QCOMPARE(std::size_t(chart.markPriceSeries()->count()), samples.size());
    QCOMPARE(std::size_t(chart.liquidationPriceSeries()->count()), samples.size());
    const double lastMs = history.wallClockMs(samples.back().time);
    compareLastPoint(chart.markPriceSeries(), lastMs, last.markPrice.toDouble());
    compareLastPoint(chart.liquidationPriceSeries(), lastMs, *last.risk.liquidationPrice);
    for (std::size_t index = 0; index < samples.size(); ++index) {
        QCOMPARE(chart.liquidationPriceSeries()->at(static_cast<qsizetype>(index)).y(),
                 *samples[index].liquidationPrice());
    }
    QVERIFY(!chart.showsNoLiquidationPrice());
    // Both axes span what is drawn.
    QCOMPARE(chart.timeAxis()->min().toMSecsSinceEpoch(), qint64(history.wallClockMs(samples[0].time)));
    QCOMPARE(chart.chart()->legend()->isVisible(), true);
    // … the newest with room ahead, so that the axis moves in steps, not on every redraw.
    QVERIFY(chart.timeAxis()->max().toMSecsSinceEpoch() >= qint64(lastMs));
    QVERIFY(chart.timeAxis()->max().toMSecsSinceEpoch() <= qint64(lastMs + 0.15 * (lastMs - history.wallClockMs(samples[0].time)) + 1));
    for (const QPointF& point : chart.markPriceSeries()->points() + chart.liquidationPriceSeries()->points()) {
        QVERIFY(point.y() >= chart.valueAxis()->min() && point.y() <= chart.valueAxis()->max());
    }
    QVERIFY(!savePng(chart, QStringLiteral("tst_charts_position.png")).isEmpty());
}

void TestCharts::drawsEveryPositionsDistance()
{
    FallingMarket market;
    market.run(600);
    const RiskHistory& history = market.history;

    DistanceMap map;
    map.setRefreshInterval(0ms);
    map.resize(1000, 500);
    map.show();
    QVERIFY(QTest::qWaitForWindowExposed(&map));
    map.refresh(history);

    QCOMPARE(map.positionSeriesCount(), market.lastSampled.positions.size());
    QCOMPARE(map.bands().size(), std::size_t(3));
    for (const PositionLine& line : market.lastSampled.positions) {
        QLineSeries* series = map.seriesFor(PositionKey{line.account, line.position});
        QVERIFY(series != nullptr);
        const std::size_t index = *history.indexOf(PositionKey{line.account, line.position});
        const SampleSpans samples = history.samples(index);
        std::size_t withDistance = 0;
        for (std::size_t sample = 0; sample < samples.size(); ++sample) {
            withDistance += samples[sample].distanceToLiquidationPct() ? 1 : 0;
        }
        QCOMPARE(std::size_t(series->count()), withDistance);
        if (line.risk.distanceToLiquidationPct) {
            compareLastPoint(series, history.wallClockMs(samples.back().time), *line.risk.distanceToLiquidationPct);
        }
    }
    // Legends: "SYMBOL venue", with the account only where two would read the same.
    QCOMPARE(map.seriesFor(PositionKey{0, 0})->name(), QStringLiteral("BTCUSDT binance-usdm"));
    QCOMPARE(map.seriesFor(PositionKey{1, 0})->name(), QStringLiteral("BTC-USDT-SWAP okx-swap"));
    QCOMPARE(map.seriesFor(PositionKey{2, 0})->name(), QStringLiteral("ETHUSDT bybit-linear · no liquidation price"));
    QCOMPARE(map.seriesFor(PositionKey{2, 0})->count(), 0);
    // The bands: danger up to 5 %, warning to 10 %, caution to 20 %, across the whole time axis.
    const QAreaSeries* caution = map.bands()[2];
    QCOMPARE(caution->upperSeries()->at(0).y(), 20.0);
    QCOMPARE(caution->lowerSeries()->at(0).y(), 10.0);
    QCOMPARE(caution->upperSeries()->at(1).x(), double(map.timeAxis()->max().toMSecsSinceEpoch()));
    QCOMPARE(map.valueAxis()->min(), 0.0);
    QVERIFY(map.valueAxis()->max() >= 25.0);
    // The BTC long came near: inside the warning band by the end.
    QVERIFY(*market.lastSampled.positions[0].risk.distanceToLiquidationPct < 10.0);
    QVERIFY(!savePng(map, QStringLiteral("tst_charts_distance_map.png")).isEmpty());
}

void TestCharts::saysWhenThereIsNoLiquidationPrice()
{
    FallingMarket market;
    market.run(40);
    const std::size_t savings = *market.history.indexOf(PositionKey{2, 0});
    QVERIFY(!market.lastSampled.positions.back().risk.liquidationPrice);

    PositionChart chart;
    chart.setRefreshInterval(0ms);
    chart.resize(700, 360);
    chart.refresh(market.history);
    QCOMPARE(chart.chart()->title(), QStringLiteral("No position selected"));
    QCOMPARE(chart.markPriceSeries()->count(), 0);
    chart.setPosition(PositionKey{2, 0});
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    QCOMPARE(chart.chart()->title(), QStringLiteral("ETHUSDT · bybit-linear · savings"));
    QVERIFY(chart.showsNoLiquidationPrice());
    QCOMPARE(std::size_t(chart.markPriceSeries()->count()), market.history.samples(savings).size());
    QCOMPARE(chart.liquidationPriceSeries()->count(), 0);
    QVERIFY(!savePng(chart, QStringLiteral("tst_charts_no_liquidation.png")).isEmpty());
    chart.setPosition(PositionKey{0, 0});
    QVERIFY(!chart.showsNoLiquidationPrice());
    chart.setPosition(PositionKey{7, 7}); // closed, or never there
    QCOMPARE(chart.markPriceSeries()->count(), 0);
    QVERIFY(!chart.showsNoLiquidationPrice());
}

void TestCharts::updatesSeriesInPlaceWithReplace()
{
    FallingMarket market;
    market.run(20);
    PositionChart chart;
    chart.setRefreshInterval(0ms);
    chart.setPosition(PositionKey{0, 0});
    DistanceMap map;
    map.setRefreshInterval(0ms);
    chart.refresh(market.history);
    map.refresh(market.history);

    QLineSeries* mark = chart.markPriceSeries();
    QLineSeries* liquidation = chart.liquidationPriceSeries();
    QLineSeries* distance = map.seriesFor(PositionKey{0, 0});
    const qsizetype before = mark->count();
    const QList<QAbstractSeries*> chartSeries = chart.chart()->series();
    const QList<QAbstractSeries*> mapSeries = map.chart()->series();
    std::vector<std::unique_ptr<QSignalSpy>> replaced;
    std::vector<std::unique_ptr<QSignalSpy>> piecemeal;
    for (QLineSeries* series : {mark, liquidation, distance}) {
        replaced.push_back(std::make_unique<QSignalSpy>(series, &QXYSeries::pointsReplaced));
        piecemeal.push_back(std::make_unique<QSignalSpy>(series, &QXYSeries::pointAdded));
        piecemeal.push_back(std::make_unique<QSignalSpy>(series, &QXYSeries::pointRemoved));
        piecemeal.push_back(std::make_unique<QSignalSpy>(series, &QXYSeries::pointsRemoved));
    }

    market.run(3); // 300 ms: one more sample
    chart.refresh(market.history);
    map.refresh(market.history);

    QCOMPARE(chart.markPriceSeries(), mark);
    QCOMPARE(map.seriesFor(PositionKey{0, 0}), distance);
    QCOMPARE(chart.chart()->series(), chartSeries);
    QCOMPARE(map.chart()->series(), mapSeries);
    QCOMPARE(mark->count(), before + 1);
    for (const auto& spy : replaced) {
        QCOMPARE(spy->count(), 1);
    }
    for (const auto& spy : piecemeal) {
        QCOMPARE(spy->count(), 0); // never clear-and-append
    }
    // Nothing new: no redraw at all.
    const std::uint64_t redraws = chart.redrawCount();
    chart.refresh(market.history);
    QCOMPARE(chart.redrawCount(), redraws);
    QCOMPARE(replaced[0]->count(), 1);
}

void TestCharts::addsAndRemovesLinesAsPositionsComeAndGo()
{
    ManualClock clock;
    RiskHistory history(250ms, 100, clock.now(), kWallAnchor);
    DistanceMap map;
    map.setRefreshInterval(0ms);
    const auto record = [&](std::vector<PositionLine> lines) {
        history.record(boardAt(clock.now(), std::move(lines)));
        clock.advance(250ms);
        map.refresh(history);
    };
    record({lineFor(0, 0, "BTCUSDT", 60'000, 50'000), lineFor(0, 1, "ETHUSDT", 3'000, 3'500),
            lineFor(1, 0, "SOLUSDT", 140, 100)});
    QCOMPARE(map.positionSeriesCount(), std::size_t(3));
    QLineSeries* btc = map.seriesFor(PositionKey{0, 0});
    record({lineFor(0, 0, "BTCUSDT", 60'000, 50'000), lineFor(1, 0, "SOLUSDT", 140, 100)});
    QCOMPARE(map.positionSeriesCount(), std::size_t(2));
    QVERIFY(map.seriesFor(PositionKey{0, 1}) == nullptr);
    QCOMPARE(map.seriesFor(PositionKey{0, 0}), btc);
    QCOMPARE(map.chart()->series().size(), 2 + 3); // the lines and the three bands
    record({lineFor(0, 0, "BTCUSDT", 60'000, 50'000), lineFor(1, 0, "SOLUSDT", 140, 100),
            lineFor(1, 1, "DOGEUSDT", 0.15, 0.12)});
    QCOMPARE(map.positionSeriesCount(), std::size_t(3));
    QCOMPARE(map.seriesFor(PositionKey{1, 1})->name(), QStringLiteral("DOGEUSDT binance-usdm"));
    QCOMPARE(map.seriesFor(PositionKey{1, 1})->count(), 1);
    // Two accounts holding the same symbol on the same venue: the account tells them apart.
    PositionLine other = lineFor(1, 0, "BTCUSDT", 60'000, 50'000);
    other.accountLabel = "hedge";
    record({lineFor(0, 0, "BTCUSDT", 60'000, 50'000), other});
    QCOMPARE(map.positionSeriesCount(), std::size_t(2));
    QCOMPARE(map.seriesFor(PositionKey{0, 0})->name(), QStringLiteral("BTCUSDT binance-usdm · main"));
    QCOMPARE(map.seriesFor(PositionKey{1, 0})->name(), QStringLiteral("BTCUSDT binance-usdm · hedge"));
    QVERIFY(map.seriesFor(PositionKey{0, 0})->pen().color() != map.seriesFor(PositionKey{1, 0})->pen().color());
}

void TestCharts::redrawsAtMostFourTimesASecond()
{
    FallingMarket market;
    market.run(1);
    PositionChart chart;
    chart.setPosition(PositionKey{0, 0});
    QCOMPARE(chart.refreshInterval(), 250ms);
    QElapsedTimer elapsed;
    elapsed.start();
    chart.refresh(market.history); // the first redraw is immediate
    QCOMPARE(chart.redrawCount(), std::uint64_t(1));
    for (int board = 0; board < 5; ++board) { // boards arriving at up to 10 Hz, each sampled
        market.clock.advance(300ms);
        market.run(1);
        chart.refresh(market.history);
    }
    QCOMPARE(chart.redrawCount(), std::uint64_t(1)); // paced: the rest wait
    QTRY_COMPARE(chart.redrawCount(), std::uint64_t(2));
    QVERIFY(elapsed.elapsed() >= 240);
    // The paced redraw drew the history as it was then: every sample.
    QCOMPARE(std::size_t(chart.markPriceSeries()->count()), market.history.samples(0).size());
    QTest::qWait(400);
    QCOMPARE(chart.redrawCount(), std::uint64_t(2)); // nothing new since: nothing more
}

void TestCharts::drawsTwoHoursThinnedToAPointBudget()
{
    // A full history: 2 hours at 4 Hz for ten positions, as a long session holds it.
    ManualClock clock;
    RiskHistory history(250ms, RiskHistory::kDefaultCapacity, clock.now(), kWallAnchor);
    constexpr int kPositions = 10;
    for (std::size_t sample = 0; sample < RiskHistory::kDefaultCapacity; ++sample) {
        std::vector<PositionLine> lines;
        for (int position = 0; position < kPositions; ++position) {
            const double mark = 1'000 * (1 + 0.05 * std::sin(static_cast<double>(sample) * 0.001 + position));
            lines.push_back(lineFor(0, static_cast<std::size_t>(position), "P" + std::to_string(position) + "USDT",
                                    mark, 1'000 * (0.80 + 0.02 * position)));
        }
        history.record(boardAt(clock.now(), std::move(lines)));
        clock.advance(250ms);
    }
    QCOMPARE(history.samples(0).size(), RiskHistory::kDefaultCapacity);
    const std::size_t bytes = history.memoryBytes();
    qInfo() << "memory for" << kPositions << "positions × 2 hours:" << bytes << "bytes";
    QVERIFY(bytes < kPositions * RiskHistory::kDefaultCapacity * sizeof(RiskSample) + 64 * 1024);

    DistanceMap map;
    map.setRefreshInterval(0ms);
    map.resize(1000, 500);
    map.show();
    QVERIFY(QTest::qWaitForWindowExposed(&map));
    QElapsedTimer elapsed;
    elapsed.start();
    map.refresh(history);
    const qint64 updateMs = elapsed.elapsed();
    const QString path = savePng(map, QStringLiteral("tst_charts_two_hours.png"));
    qInfo() << "series update:" << updateMs << "ms, update and paint:" << elapsed.elapsed() << "ms";
    QVERIFY(!path.isEmpty());
    for (int position = 0; position < kPositions; ++position) {
        const QLineSeries* series = map.seriesFor(PositionKey{0, static_cast<std::size_t>(position)});
        // The chart's point budget shared by its lines (Qt Charts' cost grows with the points), each
        // line's lowest and highest of every bucket kept.
        QVERIFY(std::size_t(series->count()) <= RiskChartView::kPointBudget / kPositions + 1);
        QVERIFY(std::size_t(series->count()) >= RiskChartView::kPointBudget / kPositions / 2);
        const RiskSample& last = history.samples(static_cast<std::size_t>(position)).back();
        compareLastPoint(series, history.wallClockMs(last.time), *last.distanceToLiquidationPct());
    }
    QCOMPARE(map.timeAxis()->format(), QStringLiteral("HH:mm"));
}

QTEST_MAIN(TestCharts)
#include "tst_charts.moc"
