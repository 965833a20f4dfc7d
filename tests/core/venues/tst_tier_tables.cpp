// The venues' maintenance-margin tier tables read into RiskTier tables: the documented samples, the
// tables published in shared/reference/margin-math.md sent in each venue's shape (read back, they
// must equal core/margin's built-in instruments), and broken or unsound tables refused with the
// field or tier named.
#include "margin/builtin_instruments.h"
#include "venues/tier_tables.h"

#include <nlohmann/json.hpp>

#include <QtTest>

using namespace mm;
using json = nlohmann::json;

namespace {

Decimal d(std::string_view text)
{
    return Decimal::parse(text);
}
std::string_view view(const QByteArray& bytes)
{
    return {bytes.constData(), static_cast<std::size_t>(bytes.size())};
}

// shared/reference/exchanges.md, Binance `GET /fapi/v1/leverageBracket` — verbatim.
const QByteArray kBinanceDocumented =
    R"([{"symbol":"ETHUSDT","notionalCoef":1.50,"brackets":[{"bracket":1,"initialLeverage":75,"notionalCap":10000,"notionalFloor":0,"maintMarginRatio":0.0065,"cum":0.0}]}])";

// OKX v5 "Get position tiers" (www.okx.com/docs-v5/en/#public-data-rest-api-get-position-tiers),
// response example — verbatim (a MARGIN row: instFamily "", the instrument in instId).
const QByteArray kOkxDocumented = R"({
    "code":"0",
    "msg":"",
    "data":[
    {
            "baseMaxLoan": "50",
            "imr": "0.1",
            "instId": "BTC-USDT",
            "maxLever": "10",
            "maxSz": "50",
            "minSz": "0",
            "mmr": "0.03",
            "optMgnFactor": "0",
            "quoteMaxLoan": "500000",
            "tier": "1",
            "uly": "",
            "instFamily": ""
        }
  ]
})";

// Bybit's documented example is an inverse contract with its list elided ("...."), not JSON. This
// is a linear answer as a client library's test data records it (BTCUSDT, first two tiers, with the
// "" mmDeduction Bybit sends on the first tier).
const QByteArray kBybitRecorded =
    R"({"retCode":0,"retMsg":"OK","result":{"category":"linear","list":[)"
    R"({ "id": 1, "symbol": "BTCUSDT", "riskLimitValue": "300000", "maintenanceMargin": "0.0033", "initialMargin": "0.0066", "isLowestRisk": 1, "maxLeverage": "150.00", "mmDeduction": "" },)"
    R"({ "id": 2, "symbol": "BTCUSDT", "riskLimitValue": "2000000", "maintenanceMargin": "0.005", "initialMargin": "0.01", "isLowestRisk": 0, "maxLeverage": "100.00", "mmDeduction": "510" })"
    R"(],"nextPageCursor":""},"retExtInfo":{},"time":1672054488010})";

/// A published table (core/margin) as Binance's leverageBracket sends it: numbers, brackets in the
/// order given.
json binanceEntry(const std::string& symbol, const std::vector<RiskTier>& tiers)
{
    json brackets = json::array();
    for (const RiskTier& tier : tiers) {
        // Decimal text through strtod: nlohmann prints the same shortest text back ("0.0065").
        const auto number = [](const Decimal& value) -> json {
            const std::string text = value.toString();
            return text.find('.') == std::string::npos ? json(std::stoll(text))
                                                       : json(std::strtod(text.c_str(), nullptr));
        };
        brackets.push_back({{"bracket", tier.number},
                            {"initialLeverage", tier.maxLeverage},
                            {"notionalCap", number(*tier.cap)},
                            {"notionalFloor", number(tier.floor)},
                            {"maintMarginRatio", number(tier.maintenanceMarginRate)},
                            {"cum", number(tier.maintenanceAmount)}});
    }
    return {{"symbol", symbol}, {"notionalCoef", 1.5}, {"brackets", brackets}};
}

/// A published table as Bybit's risk-limit sends it; mmDeduction "" on the first tier and, where
/// `blankDeductions`, on every tier (to be derived).
json bybitList(const std::vector<RiskTier>& tiers, bool blankDeductions)
{
    json list = json::array();
    for (const RiskTier& tier : tiers) {
        const bool blank = blankDeductions || tier.number == 1;
        list.push_back({{"id", tier.number},
                        {"symbol", "BTCUSDT"},
                        {"riskLimitValue", tier.cap->toString()},
                        {"maintenanceMargin", tier.maintenanceMarginRate.toString()},
                        {"initialMargin", "0.01"},
                        {"isLowestRisk", tier.number == 1 ? 1 : 0},
                        {"maxLeverage", std::to_string(tier.maxLeverage) + ".00"},
                        {"mmDeduction", blank ? std::string() : tier.maintenanceAmount.toString()}});
    }
    return list;
}

QByteArray bybitAnswer(const json& list)
{
    return QByteArray::fromStdString(json{
        {"retCode", 0},
        {"retMsg", "OK"},
        {"result", {{"category", "linear"}, {"list", list}, {"nextPageCursor", ""}}},
        {"retExtInfo", json::object()},
        {"time", 1}}.dump());
}

void compareTables(const std::vector<RiskTier>& read, const std::vector<RiskTier>& published)
{
    QCOMPARE(read.size(), published.size());
    for (std::size_t i = 0; i < read.size(); ++i) {
        QCOMPARE(read[i].number, published[i].number);
        QCOMPARE(read[i].floor, published[i].floor);
        QCOMPARE(read[i].cap, published[i].cap);
        QCOMPARE(read[i].maintenanceMarginRate, published[i].maintenanceMarginRate);
        QCOMPARE(read[i].maintenanceAmount, published[i].maintenanceAmount);
        QCOMPARE(read[i].maxLeverage, published[i].maxLeverage);
    }
}

const QByteArray kOkxSwap =
    R"({"code":"0","msg":"","data":[)"
    R"({"baseMaxLoan":"","imr":"0.04","instFamily":"ETH-USDT","instId":"","maxLever":"25","maxSz":"10000","minSz":"2001","mmr":"0.02","optMgnFactor":"0","quoteMaxLoan":"","tier":"2","uly":"ETH-USDT"},)"
    R"({"baseMaxLoan":"","imr":"0.008","instFamily":"BTC-USDT","instId":"","maxLever":"125","maxSz":"500","minSz":"0","mmr":"0.004","optMgnFactor":"0","quoteMaxLoan":"","tier":"1","uly":"BTC-USDT"},)"
    R"({"baseMaxLoan":"","imr":"0.01","instFamily":"ETH-USDT","instId":"","maxLever":"100","maxSz":"2000","minSz":"0","mmr":"0.005","optMgnFactor":"0","quoteMaxLoan":"","tier":"1","uly":"ETH-USDT"}]})";

} // namespace

class TestTierTables : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void binanceDocumentedSample();
    void binancePublishedTablesReadBack();
    void binanceOneSymbolIsAnObject();
    void bybitRecordedAnswer();
    void bybitPublishedTableReadBack_data();
    void bybitPublishedTableReadBack();
    void okxDocumentedSample();
    void okxSwapFamilies();
    void refusesBrokenTables_data();
    void refusesBrokenTables();
};

void TestTierTables::binanceDocumentedSample()
{
    std::string problem;
    const auto tables = parseBinanceLeverageBrackets(view(kBinanceDocumented), problem);
    QVERIFY2(tables, problem.c_str());
    QCOMPARE(tables->size(), 1u);
    const std::vector<RiskTier>& eth = tables->at("ETHUSDT");
    QCOMPARE(eth.size(), 1u);
    QCOMPARE(eth[0].number, 1);
    QCOMPARE(eth[0].floor, d("0"));
    QCOMPARE(eth[0].cap, std::optional(d("10000")));
    QCOMPARE(eth[0].maintenanceMarginRate, d("0.0065")); // exactly, not the double 0.00649999…
    QCOMPARE(eth[0].maintenanceAmount, d("0"));
    QCOMPARE(eth[0].maxLeverage, 75);
}

void TestTierTables::binancePublishedTablesReadBack()
{
    const auto btc = publishedInstrument(Venue::BinanceUsdm, "BTCUSDT");
    const auto eth = publishedInstrument(Venue::BinanceUsdm, "ETHUSDT");
    QVERIFY(btc && eth);
    json answer = json::array({binanceEntry("BTCUSDT", btc->riskTiers), binanceEntry("ETHUSDT", eth->riskTiers)});
    std::reverse(answer[0]["brackets"].begin(), answer[0]["brackets"].end()); // order is the bracket number's
    std::string problem;
    const auto tables = parseBinanceLeverageBrackets(answer.dump(), problem);
    QVERIFY2(tables, problem.c_str());
    QCOMPARE(tables->size(), 2u);
    compareTables(tables->at("BTCUSDT"), btc->riskTiers);
    compareTables(tables->at("ETHUSDT"), eth->riskTiers);
}

void TestTierTables::binanceOneSymbolIsAnObject()
{
    const auto btc = publishedInstrument(Venue::BinanceUsdm, "BTCUSDT");
    std::string problem;
    const auto tables = parseBinanceLeverageBrackets(binanceEntry("BTCUSDT", btc->riskTiers).dump(), problem);
    QVERIFY2(tables, problem.c_str());
    compareTables(tables->at("BTCUSDT"), btc->riskTiers);
}

void TestTierTables::bybitRecordedAnswer()
{
    std::string problem;
    const auto tables = parseBybitRiskLimits(view(kBybitRecorded), problem);
    QVERIFY2(tables, problem.c_str());
    const std::vector<RiskTier>& btc = tables->at("BTCUSDT");
    QCOMPARE(btc.size(), 2u);
    QCOMPARE(btc[0].floor, d("0"));
    QCOMPARE(btc[0].cap, std::optional(d("300000")));
    QCOMPARE(btc[0].maintenanceMarginRate, d("0.0033"));
    QCOMPARE(btc[0].maintenanceAmount, d("0")); // "" on the first tier
    QCOMPARE(btc[0].maxLeverage, 150);
    QCOMPARE(btc[1].floor, d("300000")); // the previous tier's risk limit
    QCOMPARE(btc[1].cap, std::optional(d("2000000")));
    QCOMPARE(btc[1].maintenanceAmount, d("510")); // = 300,000 × (0.005 − 0.0033), as the recursion wants
    QCOMPARE(btc[1].maxLeverage, 100);
}

void TestTierTables::bybitPublishedTableReadBack_data()
{
    QTest::addColumn<bool>("blankDeductions");
    QTest::newRow("deductions given") << false;
    QTest::newRow("deductions derived") << true;
}

void TestTierTables::bybitPublishedTableReadBack()
{
    QFETCH(bool, blankDeductions);
    const auto btc = publishedInstrument(Venue::BybitLinear, "BTCUSDT");
    QVERIFY(btc);
    json list = bybitList(btc->riskTiers, blankDeductions);
    std::reverse(list.begin(), list.end()); // order is the id's
    std::string problem;
    const auto tables = parseBybitRiskLimits(view(bybitAnswer(list)), problem);
    QVERIFY2(tables, problem.c_str());
    compareTables(tables->at("BTCUSDT"), btc->riskTiers);
}

void TestTierTables::okxDocumentedSample()
{
    std::string problem;
    const auto tables = parseOkxPositionTiers(view(kOkxDocumented), problem);
    QVERIFY2(tables, problem.c_str());
    const std::vector<RiskTier>& btc = tables->at("BTC-USDT");
    QCOMPARE(btc.size(), 1u);
    QCOMPARE(btc[0].number, 1);
    QCOMPARE(btc[0].floor, d("0"));
    QCOMPARE(btc[0].cap, std::optional(d("50")));
    QCOMPARE(btc[0].maintenanceMarginRate, d("0.03"));
    QCOMPARE(btc[0].maintenanceAmount, d("0"));
    QCOMPARE(btc[0].maxLeverage, 10);
}

void TestTierTables::okxSwapFamilies()
{
    std::string problem;
    const auto tables = parseOkxPositionTiers(view(kOkxSwap), problem);
    QVERIFY2(tables, problem.c_str());
    QCOMPARE(tables->size(), 2u);
    const std::vector<RiskTier>& eth = tables->at("ETH-USDT");
    QCOMPARE(eth.size(), 2u);
    QCOMPARE(eth[0].number, 1);
    QCOMPARE(eth[1].number, 2);
    QCOMPARE(eth[1].floor, d("2000")); // the previous maxSz, though minSz says 2001
    QCOMPARE(eth[1].cap, std::optional(d("10000")));
    QCOMPARE(eth[1].maintenanceMarginRate, d("0.02"));
    QCOMPARE(eth[1].maintenanceAmount, d("0"));
    QCOMPARE(eth[1].maxLeverage, 25);
    QCOMPARE(tables->at("BTC-USDT").size(), 1u);
}

void TestTierTables::refusesBrokenTables_data()
{
    QTest::addColumn<QString>("venue");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("named");
    const auto bracket = [](const char* fields) {
        return QByteArray(R"([{"symbol":"BTCUSDT","brackets":[)") + fields + "]}]";
    };
    for (const char* venue : {"binance", "bybit", "okx"}) {
        QTest::newRow(QByteArray(venue) + " not JSON") << venue << QByteArray("{") << "not JSON";
        QTest::newRow(QByteArray(venue) + " a string") << venue << QByteArray(R"("tiers")") << "a string";
    }
    QTest::newRow("binance error answer")
        << "binance" << QByteArray(R"({"code":-1121,"msg":"Invalid symbol."})") << "-1121: Invalid symbol.";
    QTest::newRow("binance no symbol") << "binance" << QByteArray(R"([{"brackets":[]}])") << "\"symbol\" is missing";
    QTest::newRow("binance brackets empty") << "binance" << bracket("") << "\"brackets\" is empty";
    QTest::newRow("binance brackets missing")
        << "binance" << QByteArray(R"([{"symbol":"BTCUSDT"}])") << "\"brackets\" is missing";
    QTest::newRow("binance rate missing")
        << "binance" << bracket(R"({"bracket":1,"initialLeverage":125,"notionalCap":50000,"notionalFloor":0,"cum":0})")
        << "brackets[0]: \"maintMarginRatio\" is missing";
    QTest::newRow("binance rate a percentage")
        << "binance"
        << bracket(
               R"({"bracket":1,"initialLeverage":125,"notionalCap":50000,"notionalFloor":0,"maintMarginRatio":1.5,"cum":0})")
        << "\"maintMarginRatio\" is 1.5";
    QTest::newRow("binance bracket 0")
        << "binance"
        << bracket(
               R"({"bracket":0,"initialLeverage":125,"notionalCap":50000,"notionalFloor":0,"maintMarginRatio":0.004,"cum":0})")
        << "\"bracket\" is 0";
    QTest::newRow("binance negative cap")
        << "binance"
        << bracket(
               R"({"bracket":1,"initialLeverage":125,"notionalCap":-5,"notionalFloor":0,"maintMarginRatio":0.004,"cum":0})")
        << "\"notionalCap\" is negative";
    QTest::newRow("binance wrong cum")
        << "binance"
        << bracket(
               R"({"bracket":1,"initialLeverage":125,"notionalCap":50000,"notionalFloor":0,"maintMarginRatio":0.004,"cum":0},)"
               R"({"bracket":2,"initialLeverage":100,"notionalCap":600000,"notionalFloor":50000,"maintMarginRatio":0.005,"cum":49})")
        << "BTCUSDT: tier 2: maintenance amount 49 should be 50";
    QTest::newRow("binance gap between brackets")
        << "binance"
        << bracket(
               R"({"bracket":1,"initialLeverage":125,"notionalCap":50000,"notionalFloor":0,"maintMarginRatio":0.004,"cum":0},)"
               R"({"bracket":2,"initialLeverage":100,"notionalCap":600000,"notionalFloor":60000,"maintMarginRatio":0.005,"cum":50})")
        << "tier 2: starts at 60000";
    QTest::newRow("binance bracket twice")
        << "binance"
        << bracket(
               R"({"bracket":1,"initialLeverage":125,"notionalCap":50000,"notionalFloor":0,"maintMarginRatio":0.004,"cum":0},)"
               R"({"bracket":1,"initialLeverage":125,"notionalCap":50000,"notionalFloor":0,"maintMarginRatio":0.004,"cum":0})")
        << "tier 1 is listed twice";
    QTest::newRow("binance empty bracket")
        << "binance" << QByteArray(R"([{"symbol":"X","brackets":[{}]}])") << "X brackets[0]: \"bracket\" is missing";
    QTest::newRow("binance symbol twice")
        << "binance"
        << QByteArray(
               R"([{"symbol":"X","brackets":[{"bracket":1,"initialLeverage":20,"notionalCap":5,"notionalFloor":0,"maintMarginRatio":0.01,"cum":0}]},)"
               R"({"symbol":"X","brackets":[{"bracket":1,"initialLeverage":20,"notionalCap":5,"notionalFloor":0,"maintMarginRatio":0.01,"cum":0}]}])")
        << "X is listed twice";

    const auto bybitRow = [](const char* fields) {
        return QByteArray(R"({"retCode":0,"retMsg":"OK","result":{"category":"linear","list":[)") + fields +
               R"(],"nextPageCursor":""},"retExtInfo":{},"time":1})";
    };
    QTest::newRow("bybit error answer")
        << "bybit" << QByteArray(R"({"retCode":10001,"retMsg":"params error","result":{},"retExtInfo":{},"time":1})")
        << "10001: params error";
    QTest::newRow("bybit inverse") << "bybit"
                                   << QByteArray(
                                          R"({"retCode":0,"retMsg":"OK","result":{"category":"inverse","list":[]}})")
                                   << "\"category\" is \"inverse\"";
    QTest::newRow("bybit no list") << "bybit"
                                   << QByteArray(R"({"retCode":0,"retMsg":"OK","result":{"category":"linear"}})")
                                   << "\"list\" is missing";
    QTest::newRow("bybit percentage") // the documented inverse example's figures
        << "bybit"
        << bybitRow(
               R"({"id":1,"symbol":"BTCUSD","riskLimitValue":"150","maintenanceMargin":"0.5","initialMargin":"1","isLowestRisk":1,"maxLeverage":"100.00","mmDeduction":""})")
        << "percentage";
    QTest::newRow("bybit id missing")
        << "bybit"
        << bybitRow(
               R"({"symbol":"BTCUSDT","riskLimitValue":"2000000","maintenanceMargin":"0.005","maxLeverage":"100.00"})")
        << "list[0]: \"id\" is missing";
    QTest::newRow("bybit wrong deduction")
        << "bybit"
        << bybitRow(
               R"({"id":1,"symbol":"BTCUSDT","riskLimitValue":"2000000","maintenanceMargin":"0.005","maxLeverage":"100.00","mmDeduction":""},)"
               R"({"id":2,"symbol":"BTCUSDT","riskLimitValue":"2600000","maintenanceMargin":"0.0056","maxLeverage":"90.00","mmDeduction":"1300"})")
        << "tier 2: maintenance amount 1300 should be 1200";
    QTest::newRow("bybit limits falling")
        << "bybit"
        << bybitRow(
               R"({"id":1,"symbol":"BTCUSDT","riskLimitValue":"2000000","maintenanceMargin":"0.005","maxLeverage":"100.00"},)"
               R"({"id":2,"symbol":"BTCUSDT","riskLimitValue":"1000000","maintenanceMargin":"0.0056","maxLeverage":"90.00"})")
        << "cap 1000000 is not above its floor 2000000";
    QTest::newRow("bybit negative deduction")
        << "bybit"
        << bybitRow(
               R"({"id":1,"symbol":"BTCUSDT","riskLimitValue":"2000000","maintenanceMargin":"0.005","maxLeverage":"100.00","mmDeduction":"-1"})")
        << "\"mmDeduction\" is negative";

    const auto okxRows = [](const char* rows) { return QByteArray(R"({"code":"0","msg":"","data":[)") + rows + "]}"; };
    QTest::newRow("okx error answer") << "okx"
                                      << QByteArray(R"({"code":"51000","msg":"Parameter instFamily error","data":[]})")
                                      << "51000: Parameter instFamily error";
    QTest::newRow("okx unnamed row")
        << "okx"
        << okxRows(R"({"instFamily":"","instId":"","tier":"1","minSz":"0","maxSz":"5","mmr":"0.01","maxLever":"50"})")
        << "neither";
    QTest::newRow("okx tier not a number")
        << "okx"
        << okxRows(R"({"instFamily":"BTC-USDT","tier":"one","minSz":"0","maxSz":"5","mmr":"0.01","maxLever":"50"})")
        << "data[0]: \"tier\"";
    QTest::newRow("okx mmr missing")
        << "okx" << okxRows(R"({"instFamily":"BTC-USDT","tier":"1","minSz":"0","maxSz":"5","maxLever":"50"})")
        << "\"mmr\" is missing";
    QTest::newRow("okx maxSz below minSz")
        << "okx"
        << okxRows(R"({"instFamily":"BTC-USDT","tier":"1","minSz":"10","maxSz":"5","mmr":"0.01","maxLever":"50"})")
        << "cap 5 is not above its floor 10";
    QTest::newRow("okx rates falling")
        << "okx"
        << okxRows(R"({"instFamily":"BTC-USDT","tier":"1","minSz":"0","maxSz":"5","mmr":"0.01","maxLever":"50"},)"
                   R"({"instFamily":"BTC-USDT","tier":"2","minSz":"5","maxSz":"50","mmr":"0.005","maxLever":"20"})")
        << "falls from 0.01 to 0.005";
    QTest::newRow("okx leverage zero")
        << "okx"
        << okxRows(R"({"instFamily":"BTC-USDT","tier":"1","minSz":"0","maxSz":"5","mmr":"0.01","maxLever":"0"})")
        << "\"maxLever\" is 0";
}

void TestTierTables::refusesBrokenTables()
{
    QFETCH(QString, venue);
    QFETCH(QByteArray, body);
    QFETCH(QString, named);
    std::string problem;
    std::optional<TierTables> tables;
    if (venue == "binance") {
        tables = parseBinanceLeverageBrackets(view(body), problem);
    } else if (venue == "bybit") {
        tables = parseBybitRiskLimits(view(body), problem);
    } else {
        tables = parseOkxPositionTiers(view(body), problem);
    }
    QVERIFY(!tables);
    QVERIFY2(QString::fromStdString(problem).contains(named), problem.c_str());
}

QTEST_APPLESS_MAIN(TestTierTables)
#include "tst_tier_tables.moc"
