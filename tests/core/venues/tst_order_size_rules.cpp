// The venues' order-size rules from their instrument lists: the shapes of reference/exchanges.md,
// OKX contracts turned into base units, and error answers refused in words.
#include "venues/instrument_lists.h"

#include <QtTest>

using namespace mm;

class TestOrderSizeRules : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void readsEachVenue_data()
    {
        QTest::addColumn<int>("venue");
        QTest::addColumn<QString>("body");
        QTest::addColumn<QString>("symbol");
        QTest::addColumn<QString>("step");
        QTest::addColumn<QString>("minimum");
        QTest::addColumn<QString>("notional");

        QTest::newRow("binance market lot size wins") << static_cast<int>(Venue::BinanceUsdm)
            << R"({"symbols":[{"symbol":"BTCUSDT","filters":[{"filterType":"PRICE_FILTER","tickSize":"0.10"},
                 {"filterType":"LOT_SIZE","minQty":"0.001","maxQty":"1000","stepSize":"0.001"},
                 {"filterType":"MARKET_LOT_SIZE","minQty":"0.002","maxQty":"120","stepSize":"0.002"},
                 {"filterType":"MIN_NOTIONAL","notional":"100"}]}]})"
            << "BTCUSDT" << "0.002" << "0.002" << "100";
        QTest::newRow("binance lot size alone") << static_cast<int>(Venue::BinanceUsdm)
            << R"({"symbols":[{"symbol":"ETHUSDT","filters":[{"filterType":"LOT_SIZE","minQty":"0.001","stepSize":"0.001"}]}]})"
            << "ETHUSDT" << "0.001" << "0.001" << "0";
        QTest::newRow("bybit") << static_cast<int>(Venue::BybitLinear)
            << R"({"retCode":0,"retMsg":"OK","result":{"category":"linear","list":[{"symbol":"BTCUSDT",
                 "lotSizeFilter":{"maxOrderQty":"1190.000","minOrderQty":"0.001","qtyStep":"0.001","minNotionalValue":"5"}}]}})"
            << "BTCUSDT" << "0.001" << "0.001" << "5";
        QTest::newRow("okx contracts into base units") << static_cast<int>(Venue::OkxSwap)
            << R"({"code":"0","msg":"","data":[{"instId":"BTC-USDT-SWAP","ctVal":"0.01","lotSz":"0.1","minSz":"0.1"}]})"
            << "BTC-USDT-SWAP" << "0.001" << "0.001" << "0";
    }
    void readsEachVenue()
    {
        QFETCH(int, venue);
        QFETCH(QString, body);
        QFETCH(QString, symbol);
        QFETCH(QString, step);
        QFETCH(QString, minimum);
        QFETCH(QString, notional);
        std::string problem;
        const auto rules = parseOrderSizeRules(static_cast<Venue>(venue), body.toStdString(), problem);
        QVERIFY2(rules, problem.c_str());
        QCOMPARE(rules->size(), std::size_t{1});
        const OrderSizeRules& found = rules->at(symbol.toStdString());
        QCOMPARE(found.step, Decimal::parse(step.toStdString()));
        QCOMPARE(found.minQuantity, Decimal::parse(minimum.toStdString()));
        QCOMPARE(found.minNotional, Decimal::parse(notional.toStdString()));
    }

    void refusals_data()
    {
        QTest::addColumn<int>("venue");
        QTest::addColumn<QString>("body");
        QTest::addColumn<QString>("problem");
        QTest::newRow("truncated") << static_cast<int>(Venue::BinanceUsdm) << R"({"symbols":[)" << "";
        QTest::newRow("bybit error") << static_cast<int>(Venue::BybitLinear) << R"({"retCode":10001,"retMsg":"bad"})" << "error answer";
        QTest::newRow("okx error") << static_cast<int>(Venue::OkxSwap) << R"({"code":"50011","msg":"slow down"})" << "error answer";
        QTest::newRow("no list") << static_cast<int>(Venue::BinanceUsdm) << R"({"symbols":7})" << "no list";
        QTest::newRow("hyperliquid") << static_cast<int>(Venue::Hyperliquid) << R"({})" << "no order-size rules";
    }
    void refusals()
    {
        QFETCH(int, venue);
        QFETCH(QString, body);
        QFETCH(QString, problem);
        std::string said;
        QVERIFY(!parseOrderSizeRules(static_cast<Venue>(venue), body.toStdString(), said));
        QVERIFY(!said.empty());
        QVERIFY2(QString::fromStdString(said).contains(problem), said.c_str());
    }

    void unusableInstrumentsLeftOut()
    {
        std::string problem;
        const auto rules = parseOrderSizeRules(Venue::BybitLinear, R"({"retCode":0,"result":{"list":[
            {"symbol":"A","lotSizeFilter":{"qtyStep":"0","minOrderQty":"1"}},
            {"symbol":"B","lotSizeFilter":{"qtyStep":"x","minOrderQty":"1"}},
            {"symbol":"C"}, 5,
            {"symbol":"D","lotSizeFilter":{"qtyStep":"0.1","minOrderQty":"0.1"}}]}})", problem);
        QVERIFY2(rules, problem.c_str());
        QCOMPARE(rules->size(), std::size_t{1});
        QVERIFY(rules->contains("D"));
    }
};

QTEST_GUILESS_MAIN(TestOrderSizeRules)
#include "tst_order_size_rules.moc"
