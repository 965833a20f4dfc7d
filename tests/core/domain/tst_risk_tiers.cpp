#include "domain/risk_tier.h"
#include "margin/builtin_instruments.h"

#include <QtTest>

using namespace mm;

class TestRiskTiers : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void publishedTablesAreSound_data();
    void publishedTablesAreSound();
    void matchTheReference_data();
    void matchTheReference();
    void findsTheTierByNotional_data();
    void findsTheTierByNotional();
    void quantityBasisCountsContracts();
    void rejectsBrokenTables_data();
    void rejectsBrokenTables();
    void venuesRoundTripByName();
};

void TestRiskTiers::publishedTablesAreSound_data()
{
    QTest::addColumn<int>("venue");
    QTest::addColumn<QString>("symbol");
    QTest::addColumn<int>("tiers");
    QTest::newRow("Binance BTCUSDT") << static_cast<int>(Venue::BinanceUsdm) << "BTCUSDT" << 12;
    QTest::newRow("Binance ETHUSDT") << static_cast<int>(Venue::BinanceUsdm) << "ETHUSDT" << 12;
    QTest::newRow("Bybit BTCUSDT") << static_cast<int>(Venue::BybitLinear) << "BTCUSDT" << 20;
}

void TestRiskTiers::publishedTablesAreSound()
{
    // The transcribed tables obey the exchanges' own recursion for the maintenance amount, which
    // also catches a mistyped digit.
    QFETCH(int, venue);
    QFETCH(QString, symbol);
    QFETCH(int, tiers);
    const auto instrument = publishedInstrument(static_cast<Venue>(venue), symbol.toStdString());
    QVERIFY(instrument);
    QCOMPARE(instrument->riskTiers.size(), std::size_t(tiers));
    const auto problem = findRiskTierProblem(instrument->riskTiers);
    QVERIFY2(!problem, problem ? problem->c_str() : "");
}

void TestRiskTiers::matchTheReference_data()
{
    // Spot checks against shared/reference/margin-math.md, so that a rate and amount mistyped
    // together (which keeps the recursion intact) is still caught.
    QTest::addColumn<int>("venue");
    QTest::addColumn<QString>("symbol");
    QTest::addColumn<int>("tier");
    QTest::addColumn<QString>("floor");
    QTest::addColumn<QString>("rate");
    QTest::addColumn<QString>("amount");
    QTest::addColumn<int>("maxLeverage");
    const int binance = static_cast<int>(Venue::BinanceUsdm);
    const int bybit = static_cast<int>(Venue::BybitLinear);
    QTest::newRow("BTC 1") << binance << "BTCUSDT" << 1 << "0" << "0.004" << "0" << 125;
    QTest::newRow("BTC 5") << binance << "BTCUSDT" << 5 << "12000000" << "0.02" << "131450" << 25;
    QTest::newRow("BTC 9") << binance << "BTCUSDT" << 9 << "480000000" << "0.125" << "26481450" << 4;
    QTest::newRow("BTC 12") << binance << "BTCUSDT" << 12 << "1200000000" << "0.5" << "421481450" << 1;
    QTest::newRow("ETH 6") << binance << "ETHUSDT" << 6 << "50000000" << "0.025" << "381450" << 20;
    QTest::newRow("ETH 11") << binance << "ETHUSDT" << 11 << "530000000" << "0.25" << "80506450" << 2;
    QTest::newRow("Bybit 2") << bybit << "BTCUSDT" << 2 << "2000000" << "0.0056" << "1200" << 90;
    QTest::newRow("Bybit 13") << bybit << "BTCUSDT" << 13 << "28000000" << "0.025" << "300000" << 25;
    QTest::newRow("Bybit 20") << bybit << "BTCUSDT" << 20 << "75000000" << "0.045" << "1482000" << 14;
}

void TestRiskTiers::matchTheReference()
{
    QFETCH(int, venue);
    QFETCH(QString, symbol);
    QFETCH(int, tier);
    QFETCH(QString, floor);
    QFETCH(QString, rate);
    QFETCH(QString, amount);
    QFETCH(int, maxLeverage);
    const RiskTier& row = publishedInstrument(static_cast<Venue>(venue), symbol.toStdString())->riskTiers.at(static_cast<std::size_t>(tier - 1));
    QCOMPARE(row.number, tier);
    QCOMPARE(row.floor, Decimal::parse(floor.toStdString()));
    QCOMPARE(row.maintenanceMarginRate, Decimal::parse(rate.toStdString()));
    QCOMPARE(row.maintenanceAmount, Decimal::parse(amount.toStdString()));
    QCOMPARE(row.maxLeverage, maxLeverage);
}

void TestRiskTiers::findsTheTierByNotional_data()
{
    QTest::addColumn<QString>("notional");
    QTest::addColumn<int>("tier");
    QTest::newRow("zero") << "0" << 1;
    QTest::newRow("inside tier 1") << "49999.99" << 1;
    QTest::newRow("floor belongs to the upper tier") << "50000" << 2;
    QTest::newRow("tier 3") << "1000000" << 3;
    QTest::newRow("last tier") << "1500000000" << 12;
    QTest::newRow("beyond the last cap") << "9000000000" << 12;
}

void TestRiskTiers::findsTheTierByNotional()
{
    QFETCH(QString, notional);
    QFETCH(int, tier);
    const auto btc = publishedInstrument(Venue::BinanceUsdm, "BTCUSDT");
    const Decimal value = Decimal::parse(notional.toStdString());
    QCOMPARE(btc->tierFor(value, Decimal()).number, tier);
    QCOMPARE(btc->tierFor(value.toDouble(), 0.0).number, tier);
}

void TestRiskTiers::quantityBasisCountsContracts()
{
    // OKX tiers count contracts: 0.01 BTC per contract, so 2 BTC is 200 contracts.
    Instrument okx;
    okx.venue = Venue::OkxSwap;
    okx.symbol = "BTC-USDT-SWAP";
    okx.contractSize = Decimal::parse("0.01");
    okx.tierBasis = Instrument::TierBasis::Quantity;
    okx.riskTiers = {{1, Decimal(), Decimal::parse("100"), Decimal::parse("0.004"), Decimal(), 100},
                     {2, Decimal::parse("100"), std::nullopt, Decimal::parse("0.005"), Decimal(), 50}};
    QCOMPARE(okx.tierFor(Decimal::parse("1000000"), Decimal::parse("0.5")).number, 1);
    QCOMPARE(okx.tierFor(Decimal::parse("1"), Decimal::parse("2")).number, 2);
    QCOMPARE(okx.tierFor(1.0, 2.0).number, 2);
}

void TestRiskTiers::rejectsBrokenTables_data()
{
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("problem");
    QTest::newRow("amount typo") << "amount" << "tier 3: maintenance amount 951 should be 950";
    QTest::newRow("gap") << "gap" << "tier 2: starts at 50001 but the previous tier ends at 50000";
    QTest::newRow("falling rate") << "rate" << "tier 2: maintenance margin rate falls";
    QTest::newRow("floor") << "floor" << "the first tier must start at 0";
    QTest::newRow("empty") << "empty" << "empty";
}

void TestRiskTiers::rejectsBrokenTables()
{
    QFETCH(QString, change);
    QFETCH(QString, problem);
    std::vector<RiskTier> tiers = publishedInstrument(Venue::BinanceUsdm, "BTCUSDT")->riskTiers;
    if (change == "amount") {
        tiers[2].maintenanceAmount = Decimal::parse("951");
    } else if (change == "gap") {
        tiers[1].floor = Decimal::parse("50001");
    } else if (change == "rate") {
        tiers[1].maintenanceMarginRate = Decimal::parse("0.003");
    } else if (change == "floor") {
        tiers[0].floor = Decimal::parse("1");
    } else {
        tiers.clear();
    }
    const auto found = findRiskTierProblem(tiers);
    QVERIFY(found.has_value());
    QVERIFY2(QString::fromStdString(*found).contains(problem), found->c_str());
}

void TestRiskTiers::venuesRoundTripByName()
{
    for (Venue venue : {Venue::BinanceUsdm, Venue::BybitLinear, Venue::OkxSwap, Venue::Hyperliquid, Venue::Generic}) {
        QCOMPARE(venueFromName(venueName(venue)), std::optional<Venue>(venue));
    }
    QVERIFY(!venueFromName("binance"));
}

QTEST_APPLESS_MAIN(TestRiskTiers)
#include "tst_risk_tiers.moc"
