// The venues' account REST answers read into AccountSnapshot: the verbatim samples of
// shared/reference/exchanges.md with every field asserted, answers in each venue's documented shape,
// and broken answers of every kind refused with the field named.
#include "venues/account_snapshot.h"
#include "venues/binance_usdm/binance_account.h"
#include "venues/bybit_linear/bybit_account.h"
#include "venues/hyperliquid/hyperliquid_account.h"
#include "venues/instrument_lists.h"
#include "venues/venue_refusal.h"
#include "venues/okx_swap/okx_account.h"

#include <QtTest>

using namespace mm;

namespace {

Decimal d(std::string_view text)
{
    return Decimal::parse(text);
}
std::string_view view(const QByteArray& bytes)
{
    return {bytes.constData(), static_cast<std::size_t>(bytes.size())};
}

// exchanges.md, Binance "GET /fapi/v3/positionRisk (weight 5), one-way example" — verbatim.
const QByteArray kBinanceV3Sample =
    R"([{"symbol":"ADAUSDT","positionSide":"BOTH","positionAmt":"30","entryPrice":"0.385","breakEvenPrice":"0.385077","markPrice":"0.41047590","unRealizedProfit":"0.76427700","liquidationPrice":"0","isolatedMargin":"0","notional":"12.31427700","marginAsset":"USDT","isolatedWallet":"0","initialMargin":"0.61571385","maintMargin":"0.08004280","positionInitialMargin":"0.61571385","openOrderInitialMargin":"0","adl":2,"bidNotional":"0","askNotional":"0","updateTime":1720736417660}])";

// v2: with marginType/leverage (as exchanges.md says), a zero row as Binance lists for every
// symbol, a hedge-mode isolated short in "ISOLATED" casing, numbers as JSON numbers.
const QByteArray kBinanceV2 =
    R"([{"symbol":"ADAUSDT","positionSide":"BOTH","positionAmt":"30","entryPrice":"0.385","breakEvenPrice":"0.385077","markPrice":"0.41047590","unRealizedProfit":"0.76427700","liquidationPrice":"0","isolatedMargin":"0","notional":"12.31427700","marginAsset":"USDT","isolatedWallet":"0","marginType":"cross","leverage":"4","isAutoAddMargin":"false","updateTime":1720736417660},)"
    R"({"symbol":"XRPUSDT","positionSide":"BOTH","positionAmt":"0.000","entryPrice":"0.0","markPrice":"0.00000000","unRealizedProfit":"0.00000000","liquidationPrice":"0","isolatedMargin":"0","isolatedWallet":"0","marginType":"cross","leverage":"20","updateTime":0},)"
    R"({"symbol":"BTCUSDT","positionSide":"SHORT","positionAmt":-0.250,"entryPrice":64000.5,"markPrice":"63000.1","unRealizedProfit":"250.1","liquidationPrice":"88123.45","isolatedMargin":"1850.1","isolatedWallet":"1600","marginType":"ISOLATED","leverage":10,"updateTime":1720736417660}])";

const QByteArray kBinanceAccount =
    R"({"totalInitialMargin":"1600.61571385","totalMaintMargin":"80.0800428","totalWalletBalance":"10000.5","totalUnrealizedProfit":"250.864277","totalMarginBalance":"10251.364277","availableBalance":"8000","assets":[]})";

const QByteArray kBybitPositions =
    R"({"retCode":0,"retMsg":"OK","result":{"list":[)"
    R"({"positionIdx":0,"riskId":1,"symbol":"BTCUSDT","side":"Buy","size":"0.010","avgPrice":"60000","positionValue":"600","tradeMode":0,"positionStatus":"Normal","leverage":"10","markPrice":"61000.5","liqPrice":"54321.1","positionIM":"60.6","positionMM":"3.305","unrealisedPnl":"10.005","seq":1,"updatedTime":"1700000000000"},)"
    R"({"positionIdx":2,"riskId":1,"symbol":"ETHUSDT","side":"Sell","size":"1.5","avgPrice":"3000","tradeMode":1,"positionBalance":"450.5","leverage":"10","markPrice":"3100","liqPrice":"","positionIM":"450","positionMM":"23.25","unrealisedPnl":"-150"},)"
    R"({"positionIdx":1,"symbol":"SOLUSDT","side":"","size":"0","avgPrice":"0","markPrice":"150","liqPrice":"","leverage":"10"}],"nextPageCursor":"","category":"linear"},"retExtInfo":{},"time":1700000000000})";

const QByteArray kBybitWallet =
    R"({"retCode":0,"retMsg":"OK","result":{"list":[{"accountType":"UNIFIED","accountMMRate":"0.0026","accountIMRate":"0.0466","totalEquity":"10010.005","totalWalletBalance":"10000","totalMarginBalance":"10010.005","totalMaintenanceMargin":"26.555","totalPerpUPL":"-139.995","coin":[{"coin":"USDT","walletBalance":"9999"}]}]},"retExtInfo":{},"time":1700000000000})";
// The simulator's shape: no totalWalletBalance, the USDT coin's walletBalance instead.
const QByteArray kBybitWalletByCoin =
    R"({"retCode":0,"retMsg":"OK","result":{"list":[{"accountType":"UNIFIED","accountMMRate":"0.0026","totalMarginBalance":"5000","totalMaintenanceMargin":"13","coin":[{"coin":"BTC","walletBalance":"1"},{"coin":"USDT","walletBalance":"4990.5"}]}]},"retExtInfo":{},"time":1})";

const QByteArray kOkxPositions =
    R"({"code":"0","msg":"","data":[)"
    R"({"instType":"SWAP","instId":"BTC-USDT-SWAP","mgnMode":"cross","posSide":"net","pos":"-25","ccy":"USDT","avgPx":"64000","markPx":"63500.5","liqPx":"80000.1","upl":"124.875","lever":"20","imr":"793.75","margin":"","mmr":"25.4","mgnRatio":"120.5","cTime":"1","uTime":"1"},)"
    R"({"instType":"SWAP","instId":"ETH-USDT-SWAP","mgnMode":"isolated","posSide":"long","pos":"3","ccy":"USDT","avgPx":"3000","markPx":"3050","liqPx":"","upl":"15","lever":"5","imr":"","margin":"180","mmr":"1.2","mgnRatio":"","cTime":"1","uTime":"1"},)"
    R"({"instType":"SWAP","instId":"SOL-USDT-SWAP","mgnMode":"cross","posSide":"net","pos":"0","avgPx":"","markPx":"150","liqPx":"","lever":"10"}]})";

const QByteArray kOkxBalance =
    R"({"code":"0","msg":"","data":[{"totalEq":"10139.875","upl":"139.875","imr":"973.75","mmr":"26.6","mgnRatio":"381.2","uTime":"1","details":[{"ccy":"BTC","cashBal":"0.1"},{"ccy":"USDT","eq":"10139.875","cashBal":"10000","mgnRatio":"381.2"}]}]})";

std::optional<Decimal> okxContractValue(std::string_view instId)
{
    if (instId == "BTC-USDT-SWAP") {
        return Decimal::parse("0.01");
    }
    if (instId == "ETH-USDT-SWAP") {
        return Decimal::parse("0.1");
    }
    return std::nullopt;
}

// exchanges.md, Hyperliquid clearinghouseState — verbatim.
const QByteArray kHyperliquidSample =
    R"({"assetPositions":[{"position":{"coin":"BTC","entryPx":"26951.0","leverage":{"type":"cross","value":20},"liquidationPx":"173198.69592357","marginUsed":"10.582271","positionValue":"211.64542","szi":"-0.00785","unrealizedPnl":"-0.08007"},"type":"oneWay"}],"marginSummary":{"accountValue":"1182.312496","totalMarginUsed":"171.740766","totalNtlPos":"3434.815334","totalRawUsd":"86.549602"},"withdrawable":"1010.57173"})";

/// Runs the named parser on `body`; true when it read a snapshot, with `problem` set otherwise.
bool runParser(const QString& parser, const QByteArray& body, std::string& problem)
{
    const std::string_view text = view(body);
    if (parser == "binance-positionRisk") {
        return parseBinancePositionRisk(text, problem).has_value();
    }
    if (parser == "binance-account") {
        return parseBinanceAccount(text, problem).has_value();
    }
    if (parser == "bybit-position-list") {
        return parseBybitPositionList(text, problem).has_value();
    }
    if (parser == "bybit-wallet-balance") {
        return parseBybitWalletBalance(text, problem).has_value();
    }
    if (parser == "okx-positions") {
        return parseOkxPositions(text, okxContractValue, problem).has_value();
    }
    if (parser == "okx-balance") {
        return parseOkxBalance(text, problem).has_value();
    }
    if (parser == "hyperliquid") {
        return parseHyperliquidClearinghouseState(text, problem).has_value();
    }
    qFatal("unknown parser %s", qPrintable(parser));
}

} // namespace

class TestAccountSnapshots : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void binanceV3ReferenceSample();
    void binanceV2PositionsAndAccount();
    void bybitPositionsAndWallet();
    void bybitWalletFromTheUsdtCoin();
    void okxPositionsInContractsAndBalance();
    void hyperliquidReferenceSample();
    void emptyAccounts();
    void instrumentListsAndFees_data();
    void instrumentListsAndFees();
    void venueRefusals_data();
    void venueRefusals();
    void refusesBrokenAnswers_data();
    void refusesBrokenAnswers();
};

void TestAccountSnapshots::binanceV3ReferenceSample()
{
    std::string problem;
    const auto positions = parseBinancePositionRisk(view(kBinanceV3Sample), problem);
    QVERIFY2(positions, problem.c_str());
    QVERIFY(problem.empty());
    QCOMPARE(positions->size(), 1u);
    const SnapshotPosition& ada = positions->front();
    QCOMPARE(ada.position.symbol, std::string("ADAUSDT"));
    QCOMPARE(ada.position.side, Side::Long);
    QCOMPARE(ada.position.quantity, d("30"));
    QCOMPARE(ada.position.entryPrice, d("0.385"));
    QCOMPARE(ada.position.markPrice, d("0.41047590"));
    QCOMPARE(ada.position.marginMode, MarginMode::Cross); // v3: isolatedWallet "0"
    QCOMPARE(ada.position.positionSide, PositionSide::Both);
    QVERIFY(!ada.position.leverage); // v3 has no leverage
    QVERIFY(!ada.position.isolatedMargin);
    QVERIFY(!ada.exchangeLiquidationPrice); // "0": none
    QCOMPARE(ada.exchangeMaintenanceMargin, std::optional(d("0.08004280")));
    QVERIFY(!ada.exchangeMarginRatio);
    QCOMPARE(ada.unrealizedPnl, std::optional(d("0.76427700")));
    // The venue's PnL agrees with the domain's at its own mark.
    QCOMPARE(ada.position.unrealizedPnl(), d("0.76427700"));
}

void TestAccountSnapshots::binanceV2PositionsAndAccount()
{
    std::string problem;
    const auto snapshot = parseBinanceAccountSnapshot(view(kBinanceV2), view(kBinanceAccount), problem);
    QVERIFY2(snapshot, problem.c_str());
    QCOMPARE(snapshot->venue, Venue::BinanceUsdm);
    // The cross wallet: totalWalletBalance less the isolated BTCUSDT's isolatedWallet (1600).
    QCOMPARE(snapshot->balances.walletBalance, d("8400.5"));
    QVERIFY(!snapshot->balances.walletIncludesIsolated);
    // Where the venue says it (totalCrossWalletBalance), that is the cross wallet.
    QByteArray withCross = kBinanceAccount;
    withCross.replace(R"("totalWalletBalance":"10000.5")", R"("totalWalletBalance":"10000.5","totalCrossWalletBalance":"8400.25")");
    const auto crossGiven = parseBinanceAccountSnapshot(view(kBinanceV2), view(withCross), problem);
    QVERIFY2(crossGiven, problem.c_str());
    QCOMPARE(crossGiven->balances.walletBalance, d("8400.25"));
    QCOMPARE(snapshot->balances.marginBalance, std::optional(d("10251.364277")));
    QCOMPARE(snapshot->balances.maintenanceMargin, std::optional(d("80.0800428")));
    QVERIFY(!snapshot->balances.marginRatio);
    QCOMPARE(snapshot->positions.size(), 2u); // XRPUSDT's zero row skipped

    const SnapshotPosition& ada = snapshot->positions[0];
    QCOMPARE(ada.position.symbol, std::string("ADAUSDT"));
    QCOMPARE(ada.position.marginMode, MarginMode::Cross);
    QCOMPARE(ada.position.leverage, std::optional(d("4")));
    QVERIFY(!ada.exchangeMaintenanceMargin); // v2 has no maintMargin

    const SnapshotPosition& btc = snapshot->positions[1];
    QCOMPARE(btc.position.symbol, std::string("BTCUSDT"));
    QCOMPARE(btc.position.side, Side::Short);
    QCOMPARE(btc.position.quantity, d("0.25"));
    QCOMPARE(btc.position.entryPrice, d("64000.5"));
    QCOMPARE(btc.position.markPrice, d("63000.1"));
    QCOMPARE(btc.position.marginMode, MarginMode::Isolated);
    QCOMPARE(btc.position.positionSide, PositionSide::Short);
    QCOMPARE(btc.position.isolatedMargin, std::optional(d("1600"))); // isolatedWallet, without PnL
    QCOMPARE(btc.position.leverage, std::optional(d("10")));
    QCOMPARE(btc.exchangeLiquidationPrice, std::optional(d("88123.45")));
    QCOMPARE(btc.unrealizedPnl, std::optional(d("250.1")));
}

void TestAccountSnapshots::bybitPositionsAndWallet()
{
    std::string problem;
    const auto snapshot = parseBybitAccountSnapshot(view(kBybitPositions), view(kBybitWallet), problem);
    QVERIFY2(snapshot, problem.c_str());
    QCOMPARE(snapshot->venue, Venue::BybitLinear);
    QCOMPARE(snapshot->balances.walletBalance, d("10000"));
    QCOMPARE(snapshot->balances.marginBalance, std::optional(d("10010.005")));
    QCOMPARE(snapshot->balances.maintenanceMargin, std::optional(d("26.555")));
    QCOMPARE(snapshot->balances.marginRatio, std::optional(d("0.0026")));
    QCOMPARE(snapshot->positions.size(), 2u); // the empty SOLUSDT hedge leg skipped

    const SnapshotPosition& btc = snapshot->positions[0];
    QCOMPARE(btc.position.symbol, std::string("BTCUSDT"));
    QCOMPARE(btc.position.side, Side::Long);
    QCOMPARE(btc.position.quantity, d("0.01"));
    QCOMPARE(btc.position.entryPrice, d("60000"));
    QCOMPARE(btc.position.markPrice, d("61000.5"));
    QCOMPARE(btc.position.marginMode, MarginMode::Cross);
    QCOMPARE(btc.position.positionSide, PositionSide::Both);
    QCOMPARE(btc.position.leverage, std::optional(d("10")));
    QVERIFY(!btc.position.isolatedMargin);
    QCOMPARE(btc.exchangeLiquidationPrice, std::optional(d("54321.1")));
    QCOMPARE(btc.exchangeMaintenanceMargin, std::optional(d("3.305")));
    QCOMPARE(btc.unrealizedPnl, std::optional(d("10.005")));

    const SnapshotPosition& eth = snapshot->positions[1];
    QCOMPARE(eth.position.symbol, std::string("ETHUSDT"));
    QCOMPARE(eth.position.side, Side::Short);
    QCOMPARE(eth.position.quantity, d("1.5"));
    QCOMPARE(eth.position.positionSide, PositionSide::Short);
    QCOMPARE(eth.position.marginMode, MarginMode::Isolated);
    QCOMPARE(eth.position.isolatedMargin, std::optional(d("450.5")));
    QVERIFY(!eth.exchangeLiquidationPrice); // ""
    QCOMPARE(eth.exchangeMaintenanceMargin, std::optional(d("23.25")));
    QCOMPARE(eth.unrealizedPnl, std::optional(d("-150")));
}

void TestAccountSnapshots::bybitWalletFromTheUsdtCoin()
{
    std::string problem;
    const auto balances = parseBybitWalletBalance(view(kBybitWalletByCoin), problem);
    QVERIFY2(balances, problem.c_str());
    QCOMPARE(balances->walletBalance, d("4990.5"));
    QCOMPARE(balances->marginBalance, std::optional(d("5000")));
    QCOMPARE(balances->maintenanceMargin, std::optional(d("13")));
}

void TestAccountSnapshots::okxPositionsInContractsAndBalance()
{
    std::string problem;
    const auto snapshot = parseOkxAccountSnapshot(view(kOkxPositions), view(kOkxBalance), okxContractValue, problem);
    QVERIFY2(snapshot, problem.c_str());
    QCOMPARE(snapshot->venue, Venue::OkxSwap);
    QCOMPARE(snapshot->balances.walletBalance, d("10000")); // the USDT cashBal
    QCOMPARE(snapshot->balances.marginBalance, std::optional(d("10139.875")));
    QCOMPARE(snapshot->balances.maintenanceMargin, std::optional(d("26.6")));
    QCOMPARE(snapshot->balances.marginRatio, std::optional(d("381.2")));
    QCOMPARE(snapshot->positions.size(), 2u);

    const SnapshotPosition& btc = snapshot->positions[0];
    QCOMPARE(btc.position.symbol, std::string("BTC-USDT-SWAP"));
    QCOMPARE(btc.position.side, Side::Short);   // net mode: the sign of pos
    QCOMPARE(btc.position.quantity, d("0.25")); // 25 contracts × 0.01 BTC
    QCOMPARE(btc.position.entryPrice, d("64000"));
    QCOMPARE(btc.position.markPrice, d("63500.5"));
    QCOMPARE(btc.position.marginMode, MarginMode::Cross);
    QCOMPARE(btc.position.positionSide, PositionSide::Both);
    QCOMPARE(btc.position.leverage, std::optional(d("20")));
    QVERIFY(!btc.position.isolatedMargin);
    QCOMPARE(btc.exchangeLiquidationPrice, std::optional(d("80000.1")));
    QCOMPARE(btc.exchangeMaintenanceMargin, std::optional(d("25.4")));
    QCOMPARE(btc.exchangeMarginRatio, std::optional(d("120.5")));
    QCOMPARE(btc.unrealizedPnl, std::optional(d("124.875")));
    QCOMPARE(btc.position.unrealizedPnl(), d("124.875"));

    const SnapshotPosition& eth = snapshot->positions[1];
    QCOMPARE(eth.position.side, Side::Long);
    QCOMPARE(eth.position.positionSide, PositionSide::Long);
    QCOMPARE(eth.position.quantity, d("0.3"));
    QCOMPARE(eth.position.marginMode, MarginMode::Isolated);
    QCOMPARE(eth.position.isolatedMargin, std::optional(d("180")));
    QVERIFY(!eth.exchangeLiquidationPrice);
    QVERIFY(!eth.exchangeMarginRatio);
}

void TestAccountSnapshots::hyperliquidReferenceSample()
{
    std::string problem;
    const auto snapshot = parseHyperliquidClearinghouseState(view(kHyperliquidSample), problem);
    QVERIFY2(snapshot, problem.c_str());
    QCOMPARE(snapshot->venue, Venue::Hyperliquid);
    QCOMPARE(snapshot->balances.marginBalance, std::optional(d("1182.312496")));
    QCOMPARE(snapshot->balances.walletBalance, d("1182.392566")); // accountValue less the unrealised −0.08007
    QVERIFY(!snapshot->balances.maintenanceMargin);
    QVERIFY(!snapshot->balances.marginRatio);
    QCOMPARE(snapshot->positions.size(), 1u);
    const SnapshotPosition& btc = snapshot->positions.front();
    QCOMPARE(btc.position.symbol, std::string("BTC"));
    QCOMPARE(btc.position.side, Side::Short);
    QCOMPARE(btc.position.quantity, d("0.00785"));
    QCOMPARE(btc.position.entryPrice, d("26951.0"));
    QCOMPARE(btc.position.markPrice, d("26961.2")); // positionValue 211.64542 / 0.00785
    QCOMPARE(btc.position.marginMode, MarginMode::Cross);
    QCOMPARE(btc.position.positionSide, PositionSide::Both);
    QCOMPARE(btc.position.leverage, std::optional(d("20")));
    QVERIFY(!btc.position.isolatedMargin);
    QCOMPARE(btc.exchangeLiquidationPrice, std::optional(d("173198.69592357")));
    QVERIFY(!btc.exchangeMaintenanceMargin);
    QVERIFY(!btc.exchangeMarginRatio);
    QCOMPARE(btc.unrealizedPnl, std::optional(d("-0.08007")));
    QCOMPARE(btc.position.unrealizedPnl(), d("-0.08007"));

    QByteArray nullLiquidation = kHyperliquidSample;
    nullLiquidation.replace(R"("liquidationPx":"173198.69592357")", R"("liquidationPx":null)");
    const auto withoutLiquidation = parseHyperliquidClearinghouseState(view(nullLiquidation), problem);
    QVERIFY2(withoutLiquidation, problem.c_str());
    QVERIFY(!withoutLiquidation->positions.front().exchangeLiquidationPrice);

    // An isolated short: its margin is rawUsd + szi × entryPx (rawUsd holds the short's proceeds).
    QByteArray isolated = kHyperliquidSample;
    isolated.replace(R"("leverage":{"type":"cross","value":20})",
                     R"("leverage":{"type":"isolated","value":20,"rawUsd":"222.12"})");
    const auto isolatedShort = parseHyperliquidClearinghouseState(view(isolated), problem);
    QVERIFY2(isolatedShort, problem.c_str());
    const Position& position = isolatedShort->positions.front().position;
    QCOMPARE(position.marginMode, MarginMode::Isolated);
    QCOMPARE(position.isolatedMargin, std::optional(d("222.12") + d("-0.00785") * d("26951.0"))); // 10.54465
}

void TestAccountSnapshots::emptyAccounts()
{
    std::string problem;
    QCOMPARE(parseBinancePositionRisk("[]", problem)->size(), 0u);
    QCOMPARE(parseBybitPositionList(R"({"retCode":0,"retMsg":"OK","result":{"list":[]}})", problem)->size(), 0u);
    QCOMPARE(parseOkxPositions(R"({"code":"0","msg":"","data":[]})", okxContractValue, problem)->size(), 0u);
    const auto hyperliquid =
        parseHyperliquidClearinghouseState(R"({"assetPositions":[],"marginSummary":{"accountValue":"0.0"}})", problem);
    QVERIFY(hyperliquid && hyperliquid->positions.empty() && hyperliquid->balances.walletBalance.isZero());
    QVERIFY2(problem.empty(), problem.c_str());
}

void TestAccountSnapshots::refusesBrokenAnswers_data()
{
    QTest::addColumn<QString>("parser");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("named"); // what the problem must mention

    const auto row = [](const char* name, const char* parser, const QByteArray& body, const char* named) {
        QTest::newRow(name) << QString(parser) << body << QString(named);
    };
    const auto without = [](QByteArray body, const char* field) {
        const QByteArray key = QByteArray("\"") + field + "\":";
        const qsizetype at = body.indexOf(key);
        Q_ASSERT(at >= 0);
        qsizetype end = at + key.size();
        if (body[end] == '"') {
            end = body.indexOf('"', end + 1) + 1;
        } else {
            while (body[end] != ',' && body[end] != '}') {
                ++end;
            }
        }
        if (body[end] == ',') {
            ++end;
        }
        return body.remove(at, end - at);
    };
    const auto replaced = [](QByteArray body, const char* from, const char* to) {
        Q_ASSERT(body.contains(from));
        return body.replace(from, to);
    };

    // Binance
    row("binance truncated", "binance-positionRisk", kBinanceV2.left(kBinanceV2.size() / 2), "not JSON");
    row("binance empty body", "binance-positionRisk", "", "not JSON");
    row("binance object instead of array", "binance-positionRisk", "{}", "not an array");
    row("binance error answer", "binance-positionRisk",
        R"({"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."})", "-2015");
    row("binance row not object", "binance-positionRisk", "[42]", "positionRisk[0]");
    row("binance symbol missing", "binance-positionRisk", without(kBinanceV2, "symbol"), "symbol");
    row("binance symbol empty", "binance-positionRisk", replaced(kBinanceV2, R"("symbol":"BTCUSDT")", R"("symbol":"")"),
        "symbol");
    row("binance positionAmt missing", "binance-positionRisk", without(kBinanceV2, "positionAmt"), "positionAmt");
    row("binance positionAmt text", "binance-positionRisk",
        replaced(kBinanceV2, R"("positionAmt":"30")", R"("positionAmt":"thirty")"), "positionAmt");
    row("binance positionAmt bool", "binance-positionRisk",
        replaced(kBinanceV2, R"("positionAmt":"30")", R"("positionAmt":true)"), "positionAmt");
    row("binance positionAmt huge", "binance-positionRisk",
        replaced(kBinanceV2, R"("positionAmt":"30")", R"("positionAmt":"1e400")"), "positionAmt");
    row("binance entryPrice zero", "binance-positionRisk",
        replaced(kBinanceV2, R"("entryPrice":"0.385")", R"("entryPrice":"0")"), "entryPrice");
    row("binance markPrice null", "binance-positionRisk",
        replaced(kBinanceV2, R"("markPrice":"0.41047590")", R"("markPrice":null)"), "markPrice");
    row("binance positionSide odd", "binance-positionRisk",
        replaced(kBinanceV2, R"("positionSide":"BOTH")", R"("positionSide":"BOTTOM")"), "positionSide");
    row("binance marginType odd", "binance-positionRisk",
        replaced(kBinanceV2, R"("marginType":"cross")", R"("marginType":"portfolio")"), "marginType");
    row("binance marginType number", "binance-positionRisk",
        replaced(kBinanceV2, R"("marginType":"cross")", R"("marginType":1)"), "marginType");
    row("binance isolated without wallet", "binance-positionRisk",
        replaced(kBinanceV2, R"("isolatedWallet":"1600")", R"("isolatedWallet":"0")"), "isolatedWallet");
    row("binance leverage negative", "binance-positionRisk",
        replaced(kBinanceV2, R"("leverage":"4")", R"("leverage":"-4")"), "leverage");
    row("binance liquidationPrice text", "binance-positionRisk",
        replaced(kBinanceV2, R"("liquidationPrice":"88123.45")", R"("liquidationPrice":"n/a")"), "liquidationPrice");
    row("binance account wallet missing", "binance-account", without(kBinanceAccount, "totalWalletBalance"),
        "totalWalletBalance");
    row("binance account maint margin object", "binance-account",
        replaced(kBinanceAccount, R"("totalMaintMargin":"80.0800428")", R"("totalMaintMargin":{})"),
        "totalMaintMargin");
    row("binance account array", "binance-account", "[]", "not an object");
    row("binance account error", "binance-account",
        R"({"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."})", "recvWindow");

    // Bybit
    row("bybit truncated", "bybit-position-list", kBybitPositions.left(100), "not JSON");
    row("bybit error retCode", "bybit-position-list",
        R"({"retCode":10003,"retMsg":"API key is invalid.","result":{},"retExtInfo":{},"time":1})", "10003");
    row("bybit error retMsg", "bybit-wallet-balance",
        R"({"retCode":10002,"retMsg":"invalid request, please check your server timestamp or recv_window param","result":{},"time":1})",
        "server timestamp");
    row("bybit retCode missing", "bybit-position-list", without(kBybitPositions, "retCode"), "retCode");
    row("bybit retCode text", "bybit-position-list", replaced(kBybitPositions, R"("retCode":0)", R"("retCode":"0")"),
        "retCode");
    row("bybit result missing", "bybit-position-list", R"({"retCode":0,"retMsg":"OK"})", "result");
    row("bybit list not array", "bybit-position-list", R"({"retCode":0,"retMsg":"OK","result":{"list":{}}})", "list");
    row("bybit side odd", "bybit-position-list", replaced(kBybitPositions, R"("side":"Buy")", R"("side":"Long")"),
        "side");
    row("bybit size missing", "bybit-position-list", without(kBybitPositions, "size"), "size");
    row("bybit size negative", "bybit-position-list",
        replaced(kBybitPositions, R"("size":"0.010")", R"("size":"-0.010")"), "size");
    row("bybit avgPrice missing", "bybit-position-list", without(kBybitPositions, "avgPrice"), "avgPrice");
    row("bybit positionIdx 3", "bybit-position-list",
        replaced(kBybitPositions, R"("positionIdx":0)", R"("positionIdx":3)"), "positionIdx");
    row("bybit liqPrice array", "bybit-position-list",
        replaced(kBybitPositions, R"("liqPrice":"54321.1")", R"("liqPrice":[])"), "liqPrice");
    row("bybit isolated without margin", "bybit-position-list",
        replaced(replaced(kBybitPositions, R"("positionBalance":"450.5")", R"("positionBalance":"")"),
                 R"("positionIM":"450")", R"("positionIM":"0")"),
        "positionIM");
    row("bybit wallet list empty", "bybit-wallet-balance", R"({"retCode":0,"retMsg":"OK","result":{"list":[]}})",
        "list");
    row("bybit wallet no wallet", "bybit-wallet-balance",
        replaced(kBybitWalletByCoin, R"("coin":"USDT")", R"("coin":"USDC")"), "walletBalance");
    row("bybit wallet MMRate text", "bybit-wallet-balance",
        replaced(kBybitWallet, R"("accountMMRate":"0.0026")", R"("accountMMRate":"low")"), "accountMMRate");

    // OKX
    row("okx truncated", "okx-positions", kOkxPositions.left(kOkxPositions.size() - 3), "not JSON");
    row("okx error code", "okx-positions", R"({"code":"50113","msg":"Invalid Sign","data":[]})", "50113");
    row("okx code number", "okx-positions", R"({"code":0,"msg":"","data":[]})", "code");
    row("okx data missing", "okx-balance", R"({"code":"0","msg":""})", "data");
    row("okx unknown instId", "okx-positions", replaced(kOkxPositions, "BTC-USDT-SWAP", "DOGE-USDT-SWAP"),
        "DOGE-USDT-SWAP");
    row("okx pos missing", "okx-positions", without(kOkxPositions, "pos"), "pos");
    row("okx pos huge", "okx-positions", replaced(kOkxPositions, R"("pos":"-25")", R"("pos":"-1e25")"), "pos");
    row("okx posSide odd", "okx-positions", replaced(kOkxPositions, R"("posSide":"net")", R"("posSide":"both")"),
        "posSide");
    row("okx negative pos in long mode", "okx-positions", replaced(kOkxPositions, R"("pos":"3")", R"("pos":"-3")"),
        "pos");
    row("okx mgnMode odd", "okx-positions", replaced(kOkxPositions, R"("mgnMode":"cross")", R"("mgnMode":"cash")"),
        "mgnMode");
    row("okx isolated without margin", "okx-positions", replaced(kOkxPositions, R"("margin":"180")", R"("margin":"")"),
        "margin");
    row("okx avgPx empty", "okx-positions", replaced(kOkxPositions, R"("avgPx":"64000")", R"("avgPx":"")"), "avgPx");
    row("okx balance totalEq missing", "okx-balance", without(kOkxBalance, "totalEq"), "totalEq");
    row("okx balance empty data", "okx-balance", R"({"code":"0","msg":"","data":[]})", "data");
    row("okx balance details object", "okx-balance",
        replaced(kOkxBalance, R"("details":[{"ccy":"BTC")", R"("details":{"ccy":"BTC"},"x":[{"ccy":"BTC")"), "details");

    // Hyperliquid
    row("hyperliquid truncated", "hyperliquid", kHyperliquidSample.left(40), "not JSON");
    row("hyperliquid plain-text error", "hyperliquid", "Failed to deserialize the JSON body into the target type",
        "not JSON");
    row("hyperliquid null answer", "hyperliquid", "null", "not an object");
    row("hyperliquid marginSummary missing", "hyperliquid", R"({"assetPositions":[]})", "marginSummary");
    row("hyperliquid accountValue missing", "hyperliquid", without(kHyperliquidSample, "accountValue"), "accountValue");
    row("hyperliquid assetPositions missing", "hyperliquid", R"({"marginSummary":{"accountValue":"1"}})",
        "assetPositions");
    row("hyperliquid position missing", "hyperliquid",
        R"({"assetPositions":[{"type":"oneWay"}],"marginSummary":{"accountValue":"1"}})", "position");
    row("hyperliquid coin empty", "hyperliquid", replaced(kHyperliquidSample, R"("coin":"BTC")", R"("coin":"")"),
        "coin");
    row("hyperliquid szi missing", "hyperliquid", without(kHyperliquidSample, "szi"), "szi");
    row("hyperliquid szi huge", "hyperliquid", replaced(kHyperliquidSample, R"("szi":"-0.00785")", R"("szi":"1e999")"),
        "szi");
    row("hyperliquid entryPx missing", "hyperliquid", without(kHyperliquidSample, "entryPx"), "entryPx");
    row("hyperliquid positionValue zero", "hyperliquid",
        replaced(kHyperliquidSample, R"("positionValue":"211.64542")", R"("positionValue":"0")"), "positionValue");
    row("hyperliquid leverage number", "hyperliquid",
        replaced(kHyperliquidSample, R"("leverage":{"type":"cross","value":20})", R"("leverage":20)"), "leverage");
    row("hyperliquid leverage type odd", "hyperliquid",
        replaced(kHyperliquidSample, R"("type":"cross")", R"("type":"portfolio")"), "type");
    row("hyperliquid leverage value missing", "hyperliquid", replaced(kHyperliquidSample, R"(,"value":20)", ""),
        "value");
}

void TestAccountSnapshots::refusesBrokenAnswers()
{
    QFETCH(QString, parser);
    QFETCH(QByteArray, body);
    QFETCH(QString, named);

    std::string problem;
    const bool parsed = runParser(parser, body, problem);
    QVERIFY2(!parsed, qPrintable("parsed: " + QString::fromLatin1(body)));
    QVERIFY(!problem.empty());
    QVERIFY2(QString::fromStdString(problem).contains(named), problem.c_str());
}

void TestAccountSnapshots::instrumentListsAndFees_data()
{
    QTest::addColumn<QString>("reader");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expected"); // "key=value;…", or "problem:<words>"
    QTest::newRow("okx instruments")
        << "ctVal"
        << QByteArray(R"({"code":"0","msg":"","data":[{"instType":"SWAP","instId":"BTC-USDT-SWAP","ctVal":"0.01"},{"instId":"ETH-USDT-SWAP","ctVal":"0.1"},{"instId":"BAD-SWAP","ctVal":""},{"instId":"","ctVal":"1"}]})")
        << "BTC-USDT-SWAP=0.01;ETH-USDT-SWAP=0.1";
    QTest::newRow("okx instruments error")
        << "ctVal" << QByteArray(R"({"code":"50011","msg":"Too Many Requests","data":[]})") << "problem:50011";
    QTest::newRow("hyperliquid meta")
        << "maxLeverage"
        << QByteArray(R"({"universe":[{"name":"BTC","szDecimals":5,"maxLeverage":50},{"name":"HYPE","maxLeverage":10},{"name":"X","maxLeverage":0},{"name":"Y","maxLeverage":"5"}]})")
        << "BTC=50;HYPE=10";
    QTest::newRow("hyperliquid meta without universe") << "maxLeverage" << QByteArray(R"({"assets":[]})") << "problem:universe";
    // OKX's documented answer (Trading account → Get fee rates): negative is a fee charged.
    QTest::newRow("okx fee")
        << "fee"
        << QByteArray(R"({"code":"0","msg":"","data":[{"category":"1","delivery":"","exercise":"","instType":"SWAP","level":"Lv1","maker":"-0.0008","makerU":"-0.0002","makerUSDC":"","taker":"-0.001","takerU":"-0.0005","takerUSDC":"","ts":"1608623351857"}]})")
        << "taker=0.0005";
    QTest::newRow("okx fee rebate") << "fee" << QByteArray(R"({"code":"0","data":[{"taker":"0.0001"}]})") << "taker=0";
    QTest::newRow("okx fee refused") << "fee" << QByteArray(R"({"code":"50113","msg":"Invalid Sign","data":[]})")
                                     << "problem:50113";
    QTest::newRow("okx fee empty") << "fee" << QByteArray(R"({"code":"0","data":[{}]})") << "problem:takerU";
}

void TestAccountSnapshots::instrumentListsAndFees()
{
    QFETCH(QString, reader);
    QFETCH(QByteArray, body);
    QFETCH(QString, expected);
    std::string problem;
    QStringList got;
    bool ok = false;
    if (reader == "ctVal") {
        const auto values = parseOkxContractValues(view(body), problem);
        ok = values.has_value();
        for (const auto& [instId, value] : values.value_or(std::map<std::string, Decimal, std::less<>>{})) {
            got << QString::fromStdString(instId + "=" + value.toString());
        }
    } else if (reader == "maxLeverage") {
        const auto leverages = parseHyperliquidMaxLeverage(view(body), problem);
        ok = leverages.has_value();
        for (const auto& [coin, leverage] : leverages.value_or(std::map<std::string, int, std::less<>>{})) {
            got << QString::fromStdString(coin + "=" + std::to_string(leverage));
        }
    } else {
        const auto fee = parseOkxTakerFeeRate(view(body), problem);
        ok = fee.has_value();
        if (fee) {
            got << QString::fromStdString("taker=" + fee->toString());
        }
    }
    if (expected.startsWith("problem:")) {
        QVERIFY(!ok);
        QVERIFY2(QString::fromStdString(problem).contains(expected.mid(8)), problem.c_str());
    } else {
        QVERIFY2(ok, problem.c_str());
        QCOMPARE(got.join(';'), expected);
    }
}

void TestAccountSnapshots::venueRefusals_data()
{
    QTest::addColumn<int>("venue");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("kind"); // -1: not a refusal
    QTest::addColumn<QString>("said");
    QTest::newRow("binance timestamp")
        << int(Venue::BinanceUsdm)
        << QByteArray(R"({"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."})")
        << int(RefusalKind::Timestamp) << "refused the request's timestamp (-1021";
    QTest::newRow("binance key") << int(Venue::BinanceUsdm)
                                 << QByteArray(R"({"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."})")
                                 << int(RefusalKind::Key) << "refused the API key (-2015";
    QTest::newRow("binance positions are no refusal") << int(Venue::BinanceUsdm) << QByteArray("[]") << -1 << "";
    QTest::newRow("bybit ok") << int(Venue::BybitLinear) << QByteArray(R"({"retCode":0,"retMsg":"OK"})") << -1 << "";
    QTest::newRow("bybit rate limit in a 200") << int(Venue::BybitLinear)
                                               << QByteArray(R"({"retCode":10006,"retMsg":"Too many visits!"})")
                                               << int(RefusalKind::RateLimit) << "limiting requests (10006";
    QTest::newRow("bybit permission") << int(Venue::BybitLinear)
                                      << QByteArray(R"({"retCode":10005,"retMsg":"Permission denied"})")
                                      << int(RefusalKind::Permission) << "may not read positions";
    QTest::newRow("okx passphrase") << int(Venue::OkxSwap)
                                    << QByteArray(R"({"code":"50105","msg":"OK-ACCESS-PASSPHRASE incorrect.","data":[]})")
                                    << int(RefusalKind::Key) << "and passphrase";
    QTest::newRow("okx unknown code") << int(Venue::OkxSwap)
                                      << QByteArray(R"({"code":"51001","msg":"Instrument ID does not exist"})")
                                      << int(RefusalKind::Other) << "refused the request (51001";
    QTest::newRow("okx success") << int(Venue::OkxSwap) << QByteArray(R"({"code":"0","data":[]})") << -1 << "";
    QTest::newRow("not JSON") << int(Venue::OkxSwap) << QByteArray("<html>502</html>") << -1 << "";
}

void TestAccountSnapshots::venueRefusals()
{
    QFETCH(int, venue);
    QFETCH(QByteArray, body);
    QFETCH(int, kind);
    QFETCH(QString, said);
    const auto refusal = readVenueRefusal(Venue(venue), view(body));
    QCOMPARE(refusal.has_value(), kind >= 0);
    if (refusal) {
        QCOMPARE(int(refusal->kind), kind);
        const std::string words = describeRefusal(Venue(venue), *refusal);
        QVERIFY2(QString::fromStdString(words).contains(said), words.c_str());
    }
}

QTEST_GUILESS_MAIN(TestAccountSnapshots)
#include "tst_account_snapshots.moc"
