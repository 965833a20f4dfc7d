// The worked examples published by the exchanges (shared/reference/margin-math.md), each checked to
// the cent, plus cross-checks of the general search against the venues' closed-form formulas.
#include "eval_helpers.h"

#include <QtTest>

using mm::test::cents;
using mm::test::evaluate;

namespace {

// Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts".
const char* kBinanceEth = R"({"symbol":"ETHUSDT","side":"long","quantity":"3683.979","entryPrice":"1456.84",
    "markPrice":"1335.18","maintenanceMarginRate":"0.10","maintenanceAmount":"135365")";
const char* kBinanceBtc = R"({"symbol":"BTCUSDT","side":"long","quantity":"109.488","entryPrice":"32481.98",
    "markPrice":"31967.27","maintenanceMarginRate":"0.025","maintenanceAmount":"16300")";

std::string binanceFaqPortfolio(const char* mode)
{
    std::string extra = std::string(mode) == "isolated" ? R"(,"isolatedMargin":"1535443.01"})" : "}";
    return std::string(R"({"venue":"binance-usdm","walletBalance":"1535443.01","marginMode":")") + mode +
           R"(","positions":[)" + kBinanceEth + extra + "," + kBinanceBtc + extra + "]}";
}

} // namespace

class TestWorkedExamples : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void publishedLiquidationPrices_data();
    void publishedLiquidationPrices();
    void binanceIsolatedMarginFromLeverage();
    void binanceFaqFiguresAtTheMark();
    void binanceHedgeCrossMatchesTheFaqFormula();
    void hyperliquidMatchesItsFormula();
    void okxRatioRunsTheOtherWay();
    void noLiquidationPriceWhenFullyCollateralised();
    void beyondLiquidationAtEveryPriceIsDueNow();
    void closedFormsOfTheOtherVenues_data();
    void closedFormsOfTheOtherVenues();
    void okxAssumesTheRegularTakerFee();
    void givenAmountNeverMakesMaintenanceNegative();
};

void TestWorkedExamples::publishedLiquidationPrices_data()
{
    QTest::addColumn<QString>("portfolio");
    QTest::addColumn<int>("position");
    QTest::addColumn<double>("liquidationPrice");
    QTest::addColumn<bool>("truncated"); // the venue's display cuts to the cent instead of rounding

    QTest::newRow("Binance FAQ ETH isolated") << QString::fromStdString(binanceFaqPortfolio("isolated")) << 0 << 1114.78 << false;
    QTest::newRow("Binance FAQ BTC isolated") << QString::fromStdString(binanceFaqPortfolio("isolated")) << 1 << 18778.73 << false;
    QTest::newRow("Binance FAQ ETH cross") << QString::fromStdString(binanceFaqPortfolio("cross")) << 0 << 1153.26 << false;
    QTest::newRow("Binance FAQ BTC cross") << QString::fromStdString(binanceFaqPortfolio("cross")) << 1 << 26316.89 << false;
    QTest::newRow("Binance FAQ 500 USDT, tier table")
        << R"({"venue":"binance-usdm","walletBalance":500,"positions":[
              {"symbol":"BTCUSDT","side":"long","quantity":"0.02","entryPrice":50000,"leverage":20}]})"
        << 0 << 25100.40 << false;
    QTest::newRow("Bybit help centre, 50x, given rate")
        << R"({"venue":"bybit-linear","walletBalance":0,"marginMode":"isolated","positions":[
              {"symbol":"BTCUSDT","side":"long","quantity":1,"entryPrice":20000,"leverage":50,
               "maintenanceMarginRate":"0.005"}]})"
        << 0 << 19700.0 << false;
    QTest::newRow("Bybit help centre, 50x, risk-limit table")
        << R"({"venue":"bybit-linear","walletBalance":0,"marginMode":"isolated","positions":[
              {"symbol":"BTCUSDT","side":"long","quantity":1,"entryPrice":20000,"leverage":50}]})"
        << 0 << 19700.0 << false;
    // Derived from the same formula: 100 USDT of extra margin moves the price 100 further away.
    QTest::newRow("Bybit help centre plus extra margin")
        << R"({"venue":"bybit-linear","walletBalance":0,"marginMode":"isolated","positions":[
              {"symbol":"BTCUSDT","side":"long","quantity":1,"entryPrice":20000,"leverage":50,"isolatedMargin":500}]})"
        << 0 << 19600.0 << false;
    QTest::newRow("Bybit short, 25x")
        << R"({"venue":"bybit-linear","walletBalance":0,"marginMode":"isolated","positions":[
              {"symbol":"BTCUSDT","side":"short","quantity":2,"entryPrice":30000,"leverage":25}]})"
        << 0 << 31050.0 << false; // EP + (IM − MM)/size = 30000 + (2400 − 300)/2
    QTest::newRow("Gate app value through the OKX model")
        << R"({"venue":"okx-swap","walletBalance":0,"marginMode":"isolated","positions":[
              {"symbol":"ETH-USDT-SWAP","side":"long","quantity":"0.5423","entryPrice":"1680.05",
               "isolatedMargin":"182.81","maintenanceMarginRate":"0.005","takerFeeRate":"0.0000075"}]})"
        << 0 << 1349.70 << true; // 1349.7075 in the app: Gate truncates
}

void TestWorkedExamples::publishedLiquidationPrices()
{
    QFETCH(QString, portfolio);
    QFETCH(int, position);
    QFETCH(double, liquidationPrice);
    QFETCH(bool, truncated);
    const auto evaluated = evaluate(portfolio.toStdString());
    const auto& risk = evaluated.risk.positions.at(static_cast<std::size_t>(position));
    QVERIFY(risk.liquidationPrice.has_value());
    const double shown = truncated ? std::floor(*risk.liquidationPrice * 100.0) / 100.0 : cents(*risk.liquidationPrice);
    QCOMPARE(shown, liquidationPrice);
}

void TestWorkedExamples::binanceIsolatedMarginFromLeverage()
{
    // Without an isolated wallet, the margin is the entry notional over the leverage: 1000 / 20 = 50.
    const auto evaluated = evaluate(R"({"venue":"binance-usdm","walletBalance":0,"positions":[
        {"symbol":"BTCUSDT","side":"long","quantity":"0.02","entryPrice":50000,"leverage":20,"marginMode":"isolated"}]})");
    // LP = (50 − 0.02·50000) / (0.02·0.004 − 0.02)
    QCOMPARE(cents(*evaluated.risk.positions[0].liquidationPrice), cents((50.0 - 1000.0) / (0.02 * 0.004 - 0.02)));
}

void TestWorkedExamples::binanceFaqFiguresAtTheMark()
{
    const auto evaluated = evaluate(binanceFaqPortfolio("cross"));
    const auto& eth = evaluated.risk.positions[0];
    const auto& btc = evaluated.risk.positions[1];
    // Exact decimals: notional × rate − amount, and side × quantity × (mark − entry).
    QCOMPARE(eth.maintenanceMargin.toString(), std::string("356512.508122"));  // 3683.979·1335.18·0.10 − 135365
    QCOMPARE(btc.maintenanceMargin.toString(), std::string("71200.811444"));  // 109.488·31967.27·0.025 − 16300
    QCOMPARE(eth.unrealizedPnl.toString(), std::string("-448192.88514"));     // 3683.979·(1335.18 − 1456.84)
    QCOMPARE(btc.unrealizedPnl.toString(), std::string("-56354.56848"));      // 109.488·(31967.27 − 32481.98)
    QCOMPARE(eth.tier, 0);
    const auto& account = evaluated.risk.account;
    QCOMPARE(account.marginBalance.toString(), std::string("1030895.55638"));
    QCOMPARE(account.maintenanceMargin.toString(), std::string("427713.319566"));
    QCOMPARE(account.marginRatio, 427713.319566 / 1030895.55638);
    QCOMPARE(account.nativeMarginRatio, account.marginRatio);
    QCOMPARE(eth.marginRatio, account.marginRatio); // a cross position shares the account's ratio
    QVERIFY(eth.distanceToLiquidationPct.has_value());
    QCOMPARE(cents(*eth.distanceToLiquidation), 181.92);    // 1335.18 − 1153.26
    QCOMPARE(cents(*eth.distanceToLiquidationPct), 13.63);  // 181.92 / 1335.18
    QVERIFY(!eth.liquidationDue);
}

void TestWorkedExamples::binanceHedgeCrossMatchesTheFaqFormula()
{
    // Hedge mode, cross: both legs share one price (FAQ formula with cumL, cumS, PosL, PosS).
    const auto evaluated = evaluate(R"({"venue":"binance-usdm","walletBalance":"20000","positions":[
        {"symbol":"BTCUSDT","side":"long","positionSide":"long","quantity":"3","entryPrice":"60000","markPrice":"61000",
         "maintenanceMarginRate":"0.01","maintenanceAmount":"100"},
        {"symbol":"BTCUSDT","side":"short","positionSide":"short","quantity":"1","entryPrice":"62000","markPrice":"61000",
         "maintenanceMarginRate":"0.01","maintenanceAmount":"100"},
        {"symbol":"ETHUSDT","side":"short","quantity":"10","entryPrice":"3000","markPrice":"3100",
         "maintenanceMarginRate":"0.005","maintenanceAmount":"0"}]})");
    const double tmmOther = 10 * 3100 * 0.005;   // ETH's maintenance margin
    const double upnlOther = -10 * (3100 - 3000); // ETH short is losing
    const double expected = (20000 - tmmOther + upnlOther + 100 + 100 - 3 * 60000 + 1 * 62000) /
                            (3 * 0.01 + 1 * 0.01 - 3 + 1);
    const auto& risk = evaluated.risk.positions;
    QVERIFY(risk[0].liquidationPrice.has_value());
    QCOMPARE(risk[0].liquidationPrice, risk[1].liquidationPrice);
    QCOMPARE(cents(*risk[0].liquidationPrice), cents(expected));
    // The account is healthy: both legs have the same room left, whatever their own side.
    QVERIFY(*risk[0].distanceToLiquidation > 0);
    QCOMPARE(risk[1].distanceToLiquidation, risk[0].distanceToLiquidation);
    QCOMPARE(cents(*risk[0].distanceToLiquidation), cents(61000 - expected));
}

void TestWorkedExamples::hyperliquidMatchesItsFormula()
{
    // Hyperliquid docs: liq_price = price − side · margin_available / position_size / (1 − l · side),
    // l = 1 / (2 · max leverage); cross: margin_available = account value − maintenance margin required.
    const auto evaluated = evaluate(R"({"venue":"hyperliquid","walletBalance":1000,"positions":[
        {"symbol":"BTC","side":"long","quantity":"0.1","entryPrice":60000,"markPrice":61000,"maxLeverage":40},
        {"symbol":"ETH","side":"short","quantity":"2","entryPrice":3000,"markPrice":2900,"maxLeverage":25},
        {"symbol":"SOL","side":"long","quantity":"10","entryPrice":150,"markPrice":140,"maxLeverage":20,
         "marginMode":"isolated","isolatedMargin":"100"}]})");
    const double accountValue = 1000 + 0.1 * 1000 + 2 * 100;
    const double maintenanceRequired = 0.1 * 61000 / 80 + 2 * 2900 / 50.0;
    const double available = accountValue - maintenanceRequired;
    const auto formula = [](double price, int side, double margin, double size, double l) {
        return price - side * margin / size / (1 - l * side);
    };
    const auto& risk = evaluated.risk.positions;
    QCOMPARE(cents(*risk[0].liquidationPrice), cents(formula(61000, 1, available, 0.1, 1.0 / 80)));
    QCOMPARE(cents(*risk[1].liquidationPrice), cents(formula(2900, -1, available, 2, 1.0 / 50)));
    // Isolated: margin_available = isolated margin (with its PnL) − maintenance margin required.
    const double isolatedAvailable = 100 + 10 * (140 - 150) - 10 * 140 / 40.0;
    QCOMPARE(cents(*risk[2].liquidationPrice), cents(formula(140, 1, isolatedAvailable, 10, 1.0 / 40)));
    QCOMPARE(evaluated.risk.account.marginBalance.toString(), std::string("1300"));
    QCOMPARE(risk[0].tier, 0); // a derived rate, not a published tier
}

void TestWorkedExamples::okxRatioRunsTheOtherWay()
{
    const auto evaluated = evaluate(R"({"venue":"okx-swap","walletBalance":"1000","positions":[
        {"symbol":"BTC-USDT-SWAP","side":"long","quantity":"0.5","entryPrice":"60000","markPrice":"58000",
         "maintenanceMarginRate":"0.004","takerFeeRate":"0.0005"}]})");
    const auto& account = evaluated.risk.account;
    // mgnRatio = equity / (mm + notional · fee): higher is safer.
    // Equity = 1000 − 0.5 × 2000 = 0: beyond liquidation.
    QVERIFY(std::isinf(account.marginRatio));
    QVERIFY(account.liquidationDue);
    QCOMPARE(account.nativeMarginRatio, 0.0);

    const auto healthy = evaluate(R"({"venue":"okx-swap","walletBalance":"5000","positions":[
        {"symbol":"BTC-USDT-SWAP","side":"long","quantity":"0.5","entryPrice":"60000","markPrice":"58000",
         "maintenanceMarginRate":"0.004","takerFeeRate":"0.0005"}]})");
    const double requirement = 0.5 * 58000 * (0.004 + 0.0005);
    QCOMPARE(healthy.risk.account.nativeMarginRatio, 4000 / requirement);
    QCOMPARE(healthy.risk.account.marginRatio, requirement / 4000);
    QCOMPARE(healthy.risk.positions[0].maintenanceMargin.toString(), std::string("116")); // the fee is not margin
}

void TestWorkedExamples::noLiquidationPriceWhenFullyCollateralised()
{
    // A 1× long backed by more than its notional cannot be liquidated at any positive price.
    const auto evaluated = evaluate(R"({"venue":"binance-usdm","walletBalance":"2000","positions":[
        {"symbol":"BTCUSDT","side":"long","quantity":"0.01","entryPrice":"50000"}]})");
    const auto& risk = evaluated.risk.positions[0];
    QVERIFY(!risk.liquidationPrice.has_value());
    QVERIFY(!risk.distanceToLiquidationPct.has_value());
    QCOMPARE(risk.tier, 1);
}

void TestWorkedExamples::beyondLiquidationAtEveryPriceIsDueNow()
{
    // The ETH long has lost more than the wallet; no BTCUSDT price can save the account, so the
    // short's liquidation is due now — at its mark, not "no liquidation price".
    const auto evaluated = evaluate(R"({"venue":"binance-usdm","walletBalance":"100","positions":[
        {"symbol":"ETHUSDT","side":"long","quantity":"1","entryPrice":"3000","markPrice":"1000"},
        {"symbol":"BTCUSDT","side":"short","quantity":"0.001","entryPrice":"60000","markPrice":"60000"}]})");
    const auto& btc = evaluated.risk.positions[1];
    QVERIFY(evaluated.risk.account.liquidationDue);
    QCOMPARE(btc.liquidationPrice, std::optional<double>(60000.0));
    QCOMPARE(*btc.distanceToLiquidation, 0.0);
    QVERIFY(btc.liquidationDue);
    // The ETH long would need the price back above its liquidation price: negative distance.
    QVERIFY(*evaluated.risk.positions[0].distanceToLiquidation < 0);
}

void TestWorkedExamples::closedFormsOfTheOtherVenues_data()
{
    QTest::addColumn<QString>("portfolio");
    QTest::addColumn<double>("liquidationPrice");
    // OKX isolated short: LP = (EP + margin/size) / (1 + MMR + fee).
    QTest::newRow("OKX isolated short") << R"({"venue":"okx-swap","walletBalance":0,"marginMode":"isolated","positions":[
        {"symbol":"BTC-USDT-SWAP","side":"short","quantity":"0.3","entryPrice":"60000","markPrice":"61000",
         "isolatedMargin":"1800","maintenanceMarginRate":"0.004","takerFeeRate":"0.0005"}]})"
                                        << (60000 + 1800 / 0.3) / (1 + 0.004 + 0.0005);
    // Bybit unified cross, one position in risk-limit tier 1: where MM / equity reaches 100 %.
    QTest::newRow("Bybit cross long") << R"({"venue":"bybit-linear","walletBalance":"3000","positions":[
        {"symbol":"BTCUSDT","side":"long","quantity":"0.5","entryPrice":"60000","markPrice":"59000"}]})"
                                      << (3000 - 0.5 * 60000) / (0.5 * 0.005 - 0.5);
    // Hyperliquid isolated short: liq = price + margin_available / size / (1 + l), l = 1 / (2 · 25).
    QTest::newRow("Hyperliquid isolated short") << R"({"venue":"hyperliquid","walletBalance":0,"positions":[
        {"symbol":"ETH","side":"short","quantity":"2","entryPrice":"3000","markPrice":"3100","maxLeverage":25,
         "marginMode":"isolated","isolatedMargin":"600"}]})"
                                                << 3100 + (600 - 2 * 100 - 2 * 3100 / 50.0) / 2 / (1 + 1 / 50.0);
}

void TestWorkedExamples::closedFormsOfTheOtherVenues()
{
    QFETCH(QString, portfolio);
    QFETCH(double, liquidationPrice);
    const auto evaluated = evaluate(portfolio.toStdString());
    QCOMPARE(cents(evaluated.risk.positions.at(0).liquidationPrice.value()), cents(liquidationPrice));
}

void TestWorkedExamples::okxAssumesTheRegularTakerFee()
{
    const auto evaluated = evaluate(R"({"venue":"okx-swap","walletBalance":"5000","positions":[
        {"symbol":"BTC-USDT-SWAP","side":"long","quantity":"0.5","entryPrice":"60000","markPrice":"58000",
         "maintenanceMarginRate":"0.004"}]})");
    QCOMPARE(evaluated.risk.account.requirement.toString(), std::string("130.5")); // 29000 × (0.004 + 0.0005)
}

void TestWorkedExamples::givenAmountNeverMakesMaintenanceNegative()
{
    // Rate 0.10 with amount 135365 belongs to notionals above 1,353,650; far below it the maintenance
    // margin is zero, never negative, and the search still ends where equity meets it.
    const auto evaluated = evaluate(R"({"venue":"binance-usdm","walletBalance":"10000","marginMode":"isolated","positions":[
        {"symbol":"ETHUSDT","side":"short","quantity":"1000","entryPrice":"1400","markPrice":"1400","isolatedMargin":"10000",
         "maintenanceMarginRate":"0.10","maintenanceAmount":"135365"}]})");
    const auto& risk = evaluated.risk.positions[0];
    QCOMPARE(risk.maintenanceMargin.toString(), std::string("4635")); // 1,400,000 × 0.1 − 135,365
    QVERIFY(risk.liquidationPrice.has_value());
    // Short: equity 10000 − 1000·(P − 1400) meets 1000·P·0.1 − 135365 at P = (1,410,000 + 135,365) / 1100.
    QCOMPARE(cents(*risk.liquidationPrice), cents((10000 + 1400000 + 135365) / 1100.0));

    // A long whose liquidation lies below that notional: with the given tier it would be 1294.04,
    // where the tier no longer applies; with zero maintenance below it, equity reaches zero at 1300.
    const auto low = evaluate(R"({"venue":"binance-usdm","walletBalance":"0","marginMode":"isolated","positions":[
        {"symbol":"ETHUSDT","side":"long","quantity":"1000","entryPrice":"1400","isolatedMargin":"100000",
         "maintenanceMarginRate":"0.10","maintenanceAmount":"135365"}]})");
    QCOMPARE(cents(*low.risk.positions[0].liquidationPrice), 1300.0);
}

QTEST_APPLESS_MAIN(TestWorkedExamples)
#include "tst_worked_examples.moc"
