// The risk board: what the display shows, taken from the monitor — every position with the same
// figures as a full evaluation, the account's most endangered position, feed states and ages.
#include "eval_helpers.h"
#include "sample_portfolios.h"

#include "engine/risk_board.h"

#include <QtTest>

using namespace mm;
using namespace std::chrono_literals;

using test::kBinanceCrossAndIsolated;
using test::kOkxShort;

class TestRiskBoard : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void showsEveryPositionAsAFullEvaluation();
    void namesTheWorstPositionPerAccount();
    void carriesFeedStates();
    void comparesTheExchangesLiquidationPrice_data();
    void comparesTheExchangesLiquidationPrice();
    void aMarketMoveSinceTheReadIsNoDivergence();
};

void TestRiskBoard::showsEveryPositionAsAFullEvaluation()
{
    ManualClock clock;
    Monitor monitor(clock);
    monitor.addAccount(readPortfolio(kBinanceCrossAndIsolated));
    monitor.addAccount(readPortfolio(kOkxShort));
    const RiskBoard board = takeRiskBoard(monitor, nullptr, clock.now(), 7);
    QCOMPARE(board.sequence, std::uint64_t(7));
    QCOMPARE(board.takenAt, clock.now());
    QCOMPARE(board.positions.size(), std::size_t(4));
    QCOMPARE(board.accounts.size(), std::size_t(2));
    QVERIFY(board.connections.empty());
    std::size_t row = 0;
    for (std::size_t account = 0; account < 2; ++account) {
        const PortfolioRisk risk = monitor.evaluate(account);
        QCOMPARE(board.accounts[account].risk.marginBalance, risk.account.marginBalance);
        QCOMPARE(board.accounts[account].positions, risk.positions.size());
        for (std::size_t index = 0; index < risk.positions.size(); ++index, ++row) {
            const PositionLine& line = board.positions[row];
            QCOMPARE(line.account, account);
            QCOMPARE(line.position, index);
            QCOMPARE(line.symbol, monitor.portfolio(account).positions[index].symbol);
            QCOMPARE(line.risk.liquidationPrice, risk.positions[index].liquidationPrice);
            QCOMPARE(line.risk.maintenanceMargin, risk.positions[index].maintenanceMargin);
        }
    }
    const PositionLine& btc = board.positions[0];
    QCOMPARE(btc.accountLabel, std::string("main"));
    QCOMPARE(btc.venue, Venue::BinanceUsdm);
    QCOMPARE(btc.leverage, std::optional<Decimal>(Decimal::parse("20")));
    // Cross: notional over the account's margin balance. 2 × 61,000 / (40,000 + 2,000 − 3,000); the isolated SOL is apart.
    QVERIFY(std::abs(*btc.effectiveLeverage - 122'000.0 / 39'000.0) < 1e-9);
    // Isolated: notional over its margin plus PnL. 400 × 140 / (9,000 − 4,000).
    QVERIFY(std::abs(*board.positions[2].effectiveLeverage - 56'000.0 / 5'000.0) < 1e-9);
}

void TestRiskBoard::namesTheWorstPositionPerAccount()
{
    ManualClock clock;
    Monitor monitor(clock);
    monitor.addAccount(readPortfolio(kBinanceCrossAndIsolated));
    monitor.addAccount(readPortfolio(kOkxShort));
    const RiskBoard board = takeRiskBoard(monitor, nullptr, clock.now(), 1);
    for (const AccountLine& account : board.accounts) {
        QVERIFY(account.worstPosition);
        const double worst = *board.positions[*account.worstPosition].risk.distanceToLiquidationPct;
        QCOMPARE(board.positions[*account.worstPosition].account, account.account);
        for (const PositionLine& line : board.positions) {
            if (line.account == account.account && line.risk.distanceToLiquidationPct) {
                QVERIFY(worst <= *line.risk.distanceToLiquidationPct);
            }
        }
    }
}

void TestRiskBoard::carriesFeedStates()
{
    ManualClock clock;
    Monitor monitor(clock);
    monitor.addAccount(readPortfolio(kOkxShort));
    monitor.setExpectedInterval(Venue::OkxSwap, 100ms);
    QCOMPARE(takeRiskBoard(monitor, nullptr, clock.now(), 1).positions[0].feed, FeedState::Waiting);
    MarkTick tick;
    tick.venue = Venue::OkxSwap;
    tick.symbol = "BTC-USDT-SWAP";
    tick.markPrice = Decimal::parse("61000");
    tick.receivedAt = clock.now();
    monitor.applyTick(tick);
    RiskBoard board = takeRiskBoard(monitor, nullptr, clock.now(), 2);
    QCOMPARE(board.positions[0].feed, FeedState::Fresh);
    QCOMPARE(board.positions[0].lastTickAt, clock.now());
    QCOMPARE(board.positions[0].ticks, std::uint64_t(1));
    QCOMPARE(board.positions[0].markPrice, Decimal::parse("61000"));
    clock.advance(400ms);
    monitor.checkFreshness();
    QCOMPARE(takeRiskBoard(monitor, nullptr, clock.now(), 3).positions[0].feed, FeedState::Stale);
}

void TestRiskBoard::comparesTheExchangesLiquidationPrice_data()
{
    QTest::addColumn<double>("offsetOfMark"); // the venue's price: the computed one plus this × mark
    QTest::addColumn<bool>("reported");
    QTest::addColumn<bool>("diverges");
    QTest::newRow("the same") << 0.0 << true << false;
    QTest::newRow("0.9 % of the mark apart") << 0.009 << true << false;
    QTest::newRow("1.1 % of the mark apart") << 0.011 << true << true;
    QTest::newRow("1.1 % below") << -0.011 << true << true;
    QTest::newRow("none reported: the computed one stands in") << 0.0 << false << false;
}

void TestRiskBoard::comparesTheExchangesLiquidationPrice()
{
    QFETCH(double, offsetOfMark);
    QFETCH(bool, reported);
    QFETCH(bool, diverges);
    ManualClock clock;
    Monitor monitor(clock);
    Portfolio empty;
    empty.account.venue = Venue::BinanceUsdm;
    const std::size_t account = monitor.addAccount(empty, AccountSource::Exchange);
    const Portfolio read = readPortfolio(R"({"venue":"binance-usdm","walletBalance":"1000","positions":[
        {"symbol":"BTCUSDT","side":"long","quantity":"0.1","entryPrice":"60000","markPrice":"60000"}]})");
    const double computed = *monitor.evaluate(monitor.addAccount(read)).positions[0].liquidationPrice;
    std::vector<ExchangeFigures> figures(1);
    if (reported) {
        figures[0].liquidationPrice = Decimal::parse(QString::number(computed + offsetOfMark * 60000, 'f', 2).toStdString());
    }
    monitor.replaceAccount(account, read, figures, {});
    const RiskBoard board = takeRiskBoard(monitor, nullptr, clock.now(), 1);
    const PositionLine& line = board.positions[0];
    QCOMPARE(line.source, AccountSource::Exchange);
    QCOMPARE(line.exchangeLiquidationPrice.has_value(), reported);
    QCOMPARE(line.liquidationDiverges, diverges);
    QCOMPARE(board.accounts[0].source, AccountSource::Exchange);
    QVERIFY(board.accounts[0].reportedAt.has_value());
    QCOMPARE(board.positions[1].source, AccountSource::File);
    QVERIFY(!board.positions[1].liquidationDiverges);
}

void TestRiskBoard::aMarketMoveSinceTheReadIsNoDivergence()
{
    // Two cross positions: a move of ETH since the read shifts BTC's liquidation price through the
    // shared equity. The venue's figure, read before the move, is compared with the computed one at
    // the read, so nothing is flagged.
    ManualClock clock;
    Monitor monitor(clock);
    Portfolio empty;
    empty.account.venue = Venue::BinanceUsdm;
    const std::size_t account = monitor.addAccount(empty, AccountSource::Exchange);
    const Portfolio read = readPortfolio(R"({"venue":"binance-usdm","walletBalance":"20000","positions":[
        {"symbol":"BTCUSDT","side":"long","quantity":"1","entryPrice":"60000","markPrice":"60000"},
        {"symbol":"ETHUSDT","side":"long","quantity":"20","entryPrice":"3000","markPrice":"3000"}]})");
    Monitor scratch(clock);
    const PortfolioRisk atRead = scratch.evaluate(scratch.addAccount(read));
    std::vector<ExchangeFigures> figures(2);
    for (std::size_t i = 0; i < 2; ++i) {
        figures[i].liquidationPrice = Decimal::parse(QString::number(*atRead.positions[i].liquidationPrice, 'f', 2).toStdString());
    }
    monitor.replaceAccount(account, read, figures, {});
    MarkTick tick;
    tick.venue = Venue::BinanceUsdm;
    tick.symbol = "ETHUSDT";
    tick.markPrice = Decimal::parse("2400"); // −20 %: the account's equity falls by 12,000
    tick.receivedAt = clock.now();
    monitor.applyTick(tick);
    const RiskBoard board = takeRiskBoard(monitor, nullptr, clock.now(), 1);
    const PositionLine& btc = board.positions[0];
    QCOMPARE(btc.symbol, std::string("BTCUSDT"));
    const double moved = std::fabs(*btc.risk.liquidationPrice - *atRead.positions[0].liquidationPrice);
    QVERIFY2(moved > kLiquidationDivergenceOfMark * 60000 * 2, qPrintable(QString::number(moved))); // it did move
    QVERIFY(!btc.liquidationDiverges);
    QVERIFY(!board.positions[1].liquidationDiverges);
}

QTEST_GUILESS_MAIN(TestRiskBoard)
#include "tst_risk_board.moc"
