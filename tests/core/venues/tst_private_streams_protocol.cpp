// The keyed venues' private account streams read into AccountEvent: the verbatim samples of
// shared/reference/exchanges.md and of the venues' documentation with their fields asserted, every
// kind of frame classified, and broken frames refused with the field at fault named — never thrown.
#include "venues/account_event.h"
#include "venues/binance_usdm/binance_user_stream.h"
#include "venues/bybit_linear/bybit_private_stream.h"
#include "venues/okx_swap/okx_private_stream.h"

#include <QtTest>

using namespace mm;
using Kind = AccountEvent::Kind;

Q_DECLARE_METATYPE(mm::AccountEvent::Kind)

namespace {

Decimal d(std::string_view text)
{
    return Decimal::parse(text);
}

std::string_view view(const QByteArray& bytes)
{
    return {bytes.constData(), static_cast<std::size_t>(bytes.size())};
}

std::optional<Decimal> contractValue(std::string_view instId)
{
    if (instId == "BTC-USDT-SWAP") {
        return d("0.01");
    }
    if (instId == "ETH-USD-SWAP") {
        return d("10");
    }
    return std::nullopt;
}

AccountEvent parse(const QString& venue, const QByteArray& frame)
{
    if (venue == "binance") {
        return parseBinanceUserStream(view(frame));
    }
    if (venue == "bybit") {
        return parseBybitPrivateStream(view(frame));
    }
    return parseOkxPrivateStream(view(frame), contractValue);
}

// exchanges.md, Binance user data stream — verbatim.
const QByteArray kBinanceAccountUpdate =
    R"({"e":"ACCOUNT_UPDATE","E":1564745798939,"T":1564745798938,"a":{"m":"ORDER","B":[{"a":"USDT","wb":"122624.12345678","cw":"100.12345678","bc":"50.12345678"}],"P":[{"s":"BTCUSDT","pa":"0","ep":"0.00000","bep":"0","cr":"200","up":"0","mt":"isolated","iw":"0.00000000","ps":"BOTH"}]}})";
const QByteArray kBinanceMarginCall =
    R"({"e":"MARGIN_CALL","E":1587727187525,"cw":"3.16812045","p":[{"s":"ETHUSDT","ps":"LONG","pa":"1.327","mt":"CROSSED","iw":"0","mp":"187.17127","up":"-1.166074","mm":"1.614445"}]})";
const QByteArray kBinanceListenKeyExpired =
    R"({"e":"listenKeyExpired","E":"1736996475556","listenKey":"WsCMN0a4KHUPTQuX6IUnqEZfB1inxmv1qR4kbf1LuEjur5VdbzqvyxqG9TSjVVxv"})";
// An opened hedge-mode short and an isolated long, margin types in other casings, numbers as numbers.
const QByteArray kBinanceOpened =
    R"({"e":"ACCOUNT_UPDATE","E":"1700000000000","T":1700000000000,"a":{"m":"ORDER","B":[{"a":"BNB","wb":"1","cw":"1","bc":"0"}],"P":[)"
    R"({"s":"ETHUSDT","pa":"-2.5","ep":"3000.5","bep":"3001","cr":"0","up":"-12.5","mt":"CROSSED","iw":"0","ps":"SHORT"},)"
    R"({"s":"BTCUSDT","pa":0.1,"ep":60000,"bep":"60010","cr":"0","up":"5","mt":"ISOLATED","iw":"300.5","ps":"BOTH"}]}})";

// Bybit "Connect": the auth answers and the private channel's pong.
const QByteArray kBybitAuthOk = R"({"success":true,"ret_msg":"","op":"auth","conn_id":"cejreaspqfh3sjdnldmg-p"})";
const QByteArray kBybitAuthExpired =
    R"({"success":false,"ret_msg":"error:request expired","op":"auth","conn_id":"cejreaspqfh3sjdnldmg-p"})";
const QByteArray kBybitPong =
    R"({"req_id":"test","op":"pong","args":["1675418560633"],"conn_id":"cfcb4ocsvfriu23r3er0-1b"})";
const QByteArray kBybitSubscribed =
    R"({"success":true,"ret_msg":"","op":"subscribe","conn_id":"cejreaspqfh3sjdnldmg-p","req_id":"account"})";
// Bybit "Position" (private stream) response example: a closed hedge leg (side "", size "0").
const QByteArray kBybitPositionClosed =
    R"({"id":"1003076014fb7eedb-c7e6-45d6-a8c1-270f0169171a","topic":"position","creationTime":1697682317044,"data":[{"positionIdx":2,"tradeMode":0,"riskId":1,"riskLimitValue":"2000000","symbol":"BTCUSDT","side":"","size":"0","entryPrice":"0","leverage":"10","positionValue":"0","positionBalance":"0","markPrice":"28184.5","positionIM":"0","positionMM":"0","takeProfit":"0","stopLoss":"0","trailingStop":"0","unrealisedPnl":"0","cumRealisedPnl":"-0.0001","createdTime":"1694402496913","updatedTime":"1697682317038","tpslMode":"Full","liqPrice":"0","bustPrice":"","category":"linear","positionStatus":"Normal","adlRankIndicator":0,"autoAddMargin":0,"leverageSysUpdatedTime":"","mmrSysUpdatedTime":"","seq":8327597863,"isReduceOnly":false}]})";
const QByteArray kBybitPositionOpen =
    R"({"id":"1","topic":"position","creationTime":1697682317044,"data":[)"
    R"({"positionIdx":0,"tradeMode":0,"symbol":"ETHUSDT","side":"Sell","size":"1.50","entryPrice":"3000","leverage":"10","markPrice":"3100.5","positionIM":"310","positionMM":"15.5","unrealisedPnl":"-150.75","liqPrice":"4100.2","category":"linear"},)"
    R"({"positionIdx":0,"symbol":"BTCUSD","side":"Buy","size":"100","entryPrice":"60000","markPrice":"60000","category":"inverse"}]})";
const QByteArray kBybitWallet =
    R"({"id":"592324d2bce751-ad38-48eb-8f42-4671d1fb4d4e","topic":"wallet","creationTime":1700034722104,"data":[{"accountIMRate":"0.0466","accountMMRate":"0.0026","totalEquity":"10010.005","totalWalletBalance":"10000","totalMarginBalance":"10010.005","totalAvailableBalance":"9543.5","totalPerpUPL":"10.005","totalInitialMargin":"466.5","totalMaintenanceMargin":"26.555","coin":[{"coin":"USDT","equity":"10010.005","walletBalance":"10000"}],"accountType":"UNIFIED"}]})";

// OKX "Login", "Subscribe", error codes.
const QByteArray kOkxLoginOk = R"({"event":"login","code":"0","msg":"","connId":"a4d3ae55"})";
const QByteArray kOkxLoginFailed = R"({"event":"error","code":"60009","msg":"Login failed.","connId":"a4d3ae55"})";
const QByteArray kOkxWrongPassphrase = R"({"event":"error","code":"60024","msg":"Wrong passphrase","connId":"a4d3ae55"})";
const QByteArray kOkxPleaseLogIn = R"({"event":"error","code":"60011","msg":"Please log in","connId":"a4d3ae55"})";
const QByteArray kOkxSubscribed =
    R"({"event":"subscribe","arg":{"channel":"positions","instType":"SWAP"},"connId":"a4d3ae55"})";
const QByteArray kOkxNotice =
    R"({"event":"notice","code":"64008","msg":"The connection will soon be closed for a service upgrade. Please reconnect.","connId":"a4d3ae55"})";
// OKX "Positions channel" push data example (instType ANY: a FUTURES row, left out, and a SWAP row) — verbatim.
const QByteArray kOkxPositionsSnapshot =
    R"({"arg":{"channel":"positions","uid":"77982378738415879","instType":"ANY"},"eventType":"snapshot","curPage":1,"lastPage":true,"data":[)"
    R"({"adl":"1","availPos":"1","avgPx":"2566.31","cTime":"1619507758793","ccy":"ETH","deltaBS":"","deltaPA":"","gammaBS":"","gammaPA":"","hedgedPos":"","imr":"","instId":"ETH-USD-210430","instType":"FUTURES","interest":"0","idxPx":"2566.13","last":"2566.22","usdPx":"","bePx":"2353.949","lever":"10","liab":"","liabCcy":"","liqPx":"2352.8496681818233","markPx":"2353.849","margin":"0.0003896645377994","mgnMode":"isolated","mgnRatio":"11.731726509588816","mmr":"0.0000311811092368","notionalUsd":"2276.2546609009605","optVal":"","pTime":"1619507761462","pendingCloseOrdLiabVal":"0.1","pos":"1","baseBorrowed":"","baseInterest":"","quoteBorrowed":"","quoteInterest":"","posCcy":"","posId":"307173036051017730","posSide":"long","spotInUseAmt":"","clSpotInUseAmt":"","maxSpotInUseAmt":"","spotInUseCcy":"","bizRefId":"","bizRefType":"","thetaBS":"","thetaPA":"","tradeId":"109844","uTime":"1619507761462","upl":"-0.0000009932766034","uplLastPx":"-0.0000009932766034","uplRatio":"-0.0025490556801078","uplRatioLastPx":"-0.0025490556801078","vegaBS":"","vegaPA":"","realizedPnl":"0.001","pnl":"0.0011","fee":"-0.0001","fundingFee":"0","liqPenalty":"0","nonSettleAvgPx":"","settledPnl":"","closeOrderAlgo":[{"algoId":"123","slTriggerPx":"123","slTriggerPxType":"mark","tpTriggerPx":"123","tpTriggerPxType":"mark","closeFraction":"0.6"},{"algoId":"123","slTriggerPx":"123","slTriggerPxType":"mark","tpTriggerPx":"123","tpTriggerPxType":"mark","closeFraction":"0.4"}]},)"
    R"({"adl":"1","availPos":"1","avgPx":"2566.31","cTime":"1619507758793","ccy":"ETH","deltaBS":"","deltaPA":"","gammaBS":"","gammaPA":"","hedgedPos":"","imr":"","instId":"ETH-USD-SWAP","instType":"SWAP","interest":"0","idxPx":"2566.13","last":"2566.22","usdPx":"","bePx":"2353.949","lever":"10","liab":"","liabCcy":"","liqPx":"2352.8496681818233","markPx":"2353.849","margin":"0.0003896645377994","mgnMode":"isolated","mgnRatio":"11.731726509588816","mmr":"0.0000311811092368","notionalUsd":"2276.2546609009605","optVal":"","pTime":"1619507761462","pendingCloseOrdLiabVal":"0.1","pos":"1","baseBorrowed":"","baseInterest":"","quoteBorrowed":"","quoteInterest":"","posCcy":"","posId":"307173036051017730","posSide":"long","spotInUseAmt":"","clSpotInUseAmt":"","maxSpotInUseAmt":"","spotInUseCcy":"","bizRefId":"","bizRefType":"","thetaBS":"","thetaPA":"","tradeId":"109844","uTime":"1619507761462","upl":"-0.0000009932766034","uplLastPx":"-0.0000009932766034","uplRatio":"-0.0025490556801078","uplRatioLastPx":"-0.0025490556801078","vegaBS":"","vegaPA":"","realizedPnl":"0.001","pnl":"0.0011","fee":"-0.0001","fundingFee":"0","liqPenalty":"0","nonSettleAvgPx":"","settledPnl":"","closeOrderAlgo":[{"algoId":"123","slTriggerPx":"123","slTriggerPxType":"mark","tpTriggerPx":"123","tpTriggerPxType":"mark","closeFraction":"0.6"},{"algoId":"123","slTriggerPx":"123","slTriggerPxType":"mark","tpTriggerPx":"123","tpTriggerPxType":"mark","closeFraction":"0.4"}]}]})";
// An event update: a net short changed, a position closed (pos "0").
const QByteArray kOkxPositionsUpdate =
    R"({"arg":{"channel":"positions","uid":"1","instType":"SWAP"},"eventType":"event_update","data":[)"
    R"({"instType":"SWAP","instId":"BTC-USDT-SWAP","mgnMode":"cross","posSide":"net","pos":"-25","avgPx":"64000","markPx":"63500.5","liqPx":"80000.1","mgnRatio":"120.5","mmr":"25.4","upl":"124.875","lever":"20","pTime":"1700000000001"},)"
    R"({"instType":"SWAP","instId":"ETH-USD-SWAP","mgnMode":"cross","posSide":"net","pos":"0","avgPx":"","markPx":"","liqPx":"","lever":"10"}]})";
// OKX "Position risk warning" push data example — verbatim (a FUTURES position: left out).
const QByteArray kOkxLiquidationWarning =
    R"({"arg":{"channel":"liquidation-warning","uid":"77982378738415879","instType":"FUTURES"},"data":[{"cTime":"1619507758793","ccy":"ETH","instId":"ETH-USD-210430","instType":"FUTURES","lever":"10","markPx":"2353.849","mgnMode":"isolated","mgnRatio":"11.731726509588816","pTime":"1619507761462","pos":"1","posCcy":"","posId":"307173036051017730","posSide":"long","uTime":"1619507761462"}]})";
const QByteArray kOkxLiquidationWarningSwap =
    R"({"arg":{"channel":"liquidation-warning","uid":"1","instType":"SWAP"},"data":[{"cTime":"1","ccy":"USDT","instId":"BTC-USDT-SWAP","instType":"SWAP","lever":"20","markPx":"79000.5","mgnMode":"cross","mgnRatio":"1.05","pTime":"1700000000000","pos":"-25","posCcy":"","posId":"7","posSide":"net","uTime":"1"}]})";

} // namespace

class TestPrivateStreamsProtocol : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void classified_data();
    void classified();
    void malformedNamesTheField_data();
    void malformedNamesTheField();
    void binanceAccountUpdateSample();
    void binanceOpenedPositions();
    void binanceMarginCallSample();
    void binanceListenKeyExpiredLeavesTheKeyOut();
    void binanceListenKeyRest();
    void bybitPositionsAndWallet();
    void okxPositionsSnapshotSample();
    void okxEventUpdateClosesAndChanges();
    void okxLiquidationWarning();
    void subscribeMessages();
};

void TestPrivateStreamsProtocol::classified_data()
{
    QTest::addColumn<QString>("venue");
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<int>("positions");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("detail");

    QTest::newRow("binance ACCOUNT_UPDATE") << "binance" << kBinanceAccountUpdate << Kind::PositionsUpdate << 1 << "" << "ORDER";
    QTest::newRow("binance ACCOUNT_UPDATE balance only")
        << "binance" << QByteArray(R"({"e":"ACCOUNT_UPDATE","E":1,"T":1,"a":{"m":"DEPOSIT","B":[{"a":"USDT","wb":"10","cw":"10","bc":"10"}],"P":[]}})")
        << Kind::BalancesUpdate << 0 << "" << "DEPOSIT";
    QTest::newRow("binance MARGIN_CALL") << "binance" << kBinanceMarginCall << Kind::MarginCall << 1 << "" << "cross wallet 3.16812045";
    QTest::newRow("binance listenKeyExpired") << "binance" << kBinanceListenKeyExpired << Kind::ListenKeyExpired << 0 << ""
                                             << "the listenKey expired";
    QTest::newRow("binance ORDER_TRADE_UPDATE")
        << "binance" << QByteArray(R"({"e":"ORDER_TRADE_UPDATE","E":1568879465651,"T":1568879465650,"o":{"s":"BTCUSDT"}})")
        << Kind::Ignored << 0 << "" << "ORDER_TRADE_UPDATE";
    QTest::newRow("binance error") << "binance" << QByteArray(R"({"code":-1125,"msg":"This listenKey does not exist."})")
                                   << Kind::VenueError << 0 << "-1125" << "This listenKey does not exist.";

    QTest::newRow("bybit auth ok") << "bybit" << kBybitAuthOk << Kind::AuthAck << 0 << "" << "";
    QTest::newRow("bybit auth expired") << "bybit" << kBybitAuthExpired << Kind::AuthRefused << 0 << "" << "error:request expired";
    QTest::newRow("bybit subscribed") << "bybit" << kBybitSubscribed << Kind::SubscribeAck << 0 << "" << "";
    QTest::newRow("bybit subscribe before auth")
        << "bybit" << QByteArray(R"({"success":false,"ret_msg":"error:topic:position needs auth first","op":"subscribe","conn_id":"c"})")
        << Kind::VenueError << 0 << "" << "error:topic:position needs auth first";
    QTest::newRow("bybit private pong") << "bybit" << kBybitPong << Kind::Pong << 0 << "" << "";
    QTest::newRow("bybit public pong")
        << "bybit" << QByteArray(R"({"success":true,"ret_msg":"pong","conn_id":"c","req_id":"1","op":"ping"})") << Kind::Pong << 0
        << "" << "";
    QTest::newRow("bybit position closed") << "bybit" << kBybitPositionClosed << Kind::PositionsUpdate << 1 << "" << "";
    QTest::newRow("bybit position open, inverse left out") << "bybit" << kBybitPositionOpen << Kind::PositionsUpdate << 1 << "" << "";
    QTest::newRow("bybit wallet") << "bybit" << kBybitWallet << Kind::BalancesUpdate << 0 << "" << "";
    QTest::newRow("bybit order topic") << "bybit" << QByteArray(R"({"id":"1","topic":"order","creationTime":1,"data":[]})")
                                       << Kind::Ignored << 0 << "" << "order";

    QTest::newRow("okx login ok") << "okx" << kOkxLoginOk << Kind::AuthAck << 0 << "0" << "";
    QTest::newRow("okx login failed") << "okx" << kOkxLoginFailed << Kind::AuthRefused << 0 << "60009" << "Login failed.";
    QTest::newRow("okx wrong passphrase") << "okx" << kOkxWrongPassphrase << Kind::AuthRefused << 0 << "60024" << "Wrong passphrase";
    QTest::newRow("okx please log in") << "okx" << kOkxPleaseLogIn << Kind::VenueError << 0 << "60011" << "Please log in";
    QTest::newRow("okx subscribed") << "okx" << kOkxSubscribed << Kind::SubscribeAck << 0 << "" << "positions";
    QTest::newRow("okx notice") << "okx" << kOkxNotice << Kind::VenueError << 0 << "64008"
                                << "The connection will soon be closed for a service upgrade. Please reconnect.";
    QTest::newRow("okx pong") << "okx" << QByteArray("pong") << Kind::Pong << 0 << "" << "";
    QTest::newRow("okx positions snapshot") << "okx" << kOkxPositionsSnapshot << Kind::PositionsSnapshot << 1 << "" << "";
    QTest::newRow("okx positions paged")
        << "okx" << QByteArray(R"({"arg":{"channel":"positions","instType":"SWAP"},"eventType":"snapshot","curPage":1,"lastPage":false,"data":[]})")
        << Kind::PositionsUpdate << 0 << "" << "";
    QTest::newRow("okx positions event update") << "okx" << kOkxPositionsUpdate << Kind::PositionsUpdate << 2 << "" << "";
    QTest::newRow("okx liquidation-warning (futures)") << "okx" << kOkxLiquidationWarning << Kind::MarginCall << 0 << "" << "";
    QTest::newRow("okx liquidation-warning (swap)") << "okx" << kOkxLiquidationWarningSwap << Kind::MarginCall << 1 << "" << "";
    QTest::newRow("okx other channel")
        << "okx" << QByteArray(R"({"arg":{"channel":"orders","instType":"SWAP"},"data":[]})") << Kind::Ignored << 0 << "" << "orders";
}

void TestPrivateStreamsProtocol::classified()
{
    QFETCH(QString, venue);
    QFETCH(QByteArray, frame);
    QFETCH(Kind, kind);
    QFETCH(int, positions);
    QFETCH(QString, code);
    QFETCH(QString, detail);

    const AccountEvent event = parse(venue, frame);
    QVERIFY2(event.kind == kind, qPrintable(QString("got %1: %2")
                                                .arg(QString::fromStdString(std::string(accountEventKindName(event.kind))),
                                                     QString::fromStdString(event.detail))));
    QCOMPARE(static_cast<int>(event.positions.size()), positions);
    QCOMPARE(QString::fromStdString(event.code), code);
    QCOMPARE(QString::fromStdString(event.detail), detail);
}

void TestPrivateStreamsProtocol::malformedNamesTheField_data()
{
    QTest::addColumn<QString>("venue");
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("named");

    for (const char* venue : {"binance", "bybit", "okx"}) {
        QTest::addRow("%s truncated", venue) << venue << QByteArray(R"({"e":"ACCOUNT_UPDATE","E":15647457)") << "not JSON";
        QTest::addRow("%s array", venue) << venue << QByteArray("[1,2]") << "an array";
        QTest::addRow("%s html", venue) << venue << QByteArray("<html><body>502 Bad Gateway</body></html>") << "not JSON";
        QTest::addRow("%s null", venue) << venue << QByteArray("null") << "null";
    }
    QTest::newRow("binance no e") << "binance" << QByteArray(R"({"E":1})") << "\"e\"";
    QTest::newRow("binance e number") << "binance" << QByteArray(R"({"e":5})") << "\"e\"";
    QTest::newRow("binance E words") << "binance" << QByteArray(R"({"e":"ACCOUNT_UPDATE","E":"soon","a":{}})") << "\"E\"";
    QTest::newRow("binance a missing") << "binance" << QByteArray(R"({"e":"ACCOUNT_UPDATE","E":1})") << "\"a\"";
    QTest::newRow("binance P object") << "binance" << QByteArray(R"({"e":"ACCOUNT_UPDATE","E":1,"a":{"P":{}}})") << "\"P\"";
    QTest::newRow("binance pa words")
        << "binance" << QByteArray(R"({"e":"ACCOUNT_UPDATE","E":1,"a":{"P":[{"s":"BTCUSDT","pa":"lots","ep":"1","mt":"cross","iw":"0","ps":"BOTH"}]}})")
        << "\"pa\"";
    QTest::newRow("binance mt unknown")
        << "binance" << QByteArray(R"({"e":"ACCOUNT_UPDATE","E":1,"a":{"P":[{"s":"BTCUSDT","pa":"1","ep":"1","mt":"portfolio","iw":"0","ps":"BOTH"}]}})")
        << "\"mt\"";
    QTest::newRow("binance ps unknown")
        << "binance" << QByteArray(R"({"e":"ACCOUNT_UPDATE","E":1,"a":{"P":[{"s":"BTCUSDT","pa":"1","ep":"1","mt":"cross","iw":"0","ps":"UP"}]}})")
        << "\"ps\"";
    QTest::newRow("binance empty symbol")
        << "binance" << QByteArray(R"({"e":"ACCOUNT_UPDATE","E":1,"a":{"P":[{"s":"","pa":"1","ep":"1","mt":"cross","iw":"0","ps":"BOTH"}]}})")
        << "\"s\"";
    QTest::newRow("binance open without entry")
        << "binance" << QByteArray(R"({"e":"ACCOUNT_UPDATE","E":1,"a":{"P":[{"s":"BTCUSDT","pa":"1","ep":"0","mt":"cross","iw":"0","ps":"BOTH"}]}})")
        << "\"ep\"";
    QTest::newRow("binance isolated without wallet")
        << "binance" << QByteArray(R"({"e":"ACCOUNT_UPDATE","E":1,"a":{"P":[{"s":"BTCUSDT","pa":"1","ep":"5","mt":"isolated","iw":"0","ps":"BOTH"}]}})")
        << "\"iw\"";
    QTest::newRow("binance LONG with negative amount")
        << "binance" << QByteArray(R"({"e":"ACCOUNT_UPDATE","E":1,"a":{"P":[{"s":"BTCUSDT","pa":"-1","ep":"5","mt":"cross","iw":"0","ps":"LONG"}]}})")
        << "\"pa\"";
    QTest::newRow("binance wallet missing (neither cw nor wb)")
        << "binance" << QByteArray(R"({"e":"ACCOUNT_UPDATE","E":1,"a":{"B":[{"a":"USDT","bc":"1"}]}})") << "\"wb\"";
    QTest::newRow("binance margin call without mark")
        << "binance" << QByteArray(R"({"e":"MARGIN_CALL","E":1,"p":[{"s":"ETHUSDT","ps":"LONG","pa":"1.327","mt":"CROSSED","iw":"0","mm":"1"}]})")
        << "\"mp\"";
    QTest::newRow("binance huge amount")
        << "binance" << QByteArray(R"({"e":"ACCOUNT_UPDATE","E":1,"a":{"P":[{"s":"BTCUSDT","pa":"1e400","ep":"1","mt":"cross","iw":"0","ps":"BOTH"}]}})")
        << "\"pa\"";

    QTest::newRow("bybit op number") << "bybit" << QByteArray(R"({"op":1})") << "\"op\"";
    QTest::newRow("bybit auth without success") << "bybit" << QByteArray(R"({"op":"auth","ret_msg":""})") << "\"success\"";
    QTest::newRow("bybit no topic") << "bybit" << QByteArray(R"({"data":[]})") << "\"topic\"";
    QTest::newRow("bybit data object") << "bybit" << QByteArray(R"({"topic":"position","data":{}})") << "\"data\"";
    QTest::newRow("bybit side unknown")
        << "bybit" << QByteArray(R"({"topic":"position","data":[{"symbol":"BTCUSDT","side":"Up","size":"1","positionIdx":0,"entryPrice":"1","markPrice":"1"}]})")
        << "\"side\"";
    QTest::newRow("bybit size negative")
        << "bybit" << QByteArray(R"({"topic":"position","data":[{"symbol":"BTCUSDT","side":"Buy","size":"-1","positionIdx":0}]})") << "\"size\"";
    QTest::newRow("bybit positionIdx 7")
        << "bybit" << QByteArray(R"({"topic":"position","data":[{"symbol":"BTCUSDT","side":"Buy","size":"1","positionIdx":7}]})")
        << "\"positionIdx\"";
    QTest::newRow("bybit no mark")
        << "bybit" << QByteArray(R"({"topic":"position","data":[{"symbol":"BTCUSDT","side":"Buy","size":"1","positionIdx":0,"entryPrice":"1"}]})")
        << "\"markPrice\"";
    QTest::newRow("bybit isolated without margin")
        << "bybit" << QByteArray(R"({"topic":"position","data":[{"symbol":"BTCUSDT","side":"Buy","size":"1","positionIdx":0,"entryPrice":"1","markPrice":"1","tradeMode":1}]})")
        << "\"positionBalance\"";
    QTest::newRow("bybit wallet without wallet")
        << "bybit" << QByteArray(R"({"topic":"wallet","data":[{"accountType":"UNIFIED","coin":[]}]})") << "\"totalWalletBalance\"";

    QTest::newRow("okx event number") << "okx" << QByteArray(R"({"event":5})") << "\"event\"";
    QTest::newRow("okx no arg") << "okx" << QByteArray(R"({"data":[]})") << "\"arg\"";
    QTest::newRow("okx channel missing") << "okx" << QByteArray(R"({"arg":{},"data":[]})") << "\"channel\"";
    QTest::newRow("okx pos words")
        << "okx" << QByteArray(R"({"arg":{"channel":"positions"},"data":[{"instId":"BTC-USDT-SWAP","pos":"x","posSide":"net","mgnMode":"cross"}]})")
        << "\"pos\"";
    QTest::newRow("okx posSide unknown")
        << "okx" << QByteArray(R"({"arg":{"channel":"positions"},"data":[{"instId":"BTC-USDT-SWAP","pos":"1","posSide":"up","mgnMode":"cross"}]})")
        << "\"posSide\"";
    QTest::newRow("okx no contract value")
        << "okx" << QByteArray(R"({"arg":{"channel":"positions"},"data":[{"instId":"DOGE-USDT-SWAP","pos":"1","posSide":"net","mgnMode":"cross","avgPx":"1","markPx":"1"}]})")
        << "ctVal";
    QTest::newRow("okx isolated without margin")
        << "okx" << QByteArray(R"({"arg":{"channel":"positions"},"data":[{"instId":"BTC-USDT-SWAP","pos":"1","posSide":"net","mgnMode":"isolated","avgPx":"1","markPx":"1","margin":""}]})")
        << "\"margin\"";
    QTest::newRow("okx negative long")
        << "okx" << QByteArray(R"({"arg":{"channel":"positions"},"data":[{"instId":"BTC-USDT-SWAP","pos":"-1","posSide":"long","mgnMode":"cross"}]})")
        << "\"pos\"";
    QTest::newRow("okx warning without mark")
        << "okx" << QByteArray(R"({"arg":{"channel":"liquidation-warning"},"data":[{"instId":"BTC-USDT-SWAP","pos":"1","posSide":"net","mgnMode":"cross"}]})")
        << "\"markPx\"";
}

void TestPrivateStreamsProtocol::malformedNamesTheField()
{
    QFETCH(QString, venue);
    QFETCH(QByteArray, frame);
    QFETCH(QString, named);

    const AccountEvent event = parse(venue, frame);
    QVERIFY2(event.kind == Kind::Malformed, qPrintable(QString("got ") + QString::fromStdString(std::string(accountEventKindName(event.kind)))));
    QVERIFY2(QString::fromStdString(event.detail).contains(named),
             qPrintable("\"" + QString::fromStdString(event.detail) + "\" does not name " + named));
    QVERIFY(event.positions.empty());
}

void TestPrivateStreamsProtocol::binanceAccountUpdateSample()
{
    const AccountEvent event = parseBinanceUserStream(view(kBinanceAccountUpdate));
    QCOMPARE(event.kind, Kind::PositionsUpdate);
    QCOMPARE(event.venue, Venue::BinanceUsdm);
    QCOMPARE(event.eventTimeMs, std::int64_t(1564745798939));
    QVERIFY(event.balances.has_value());
    QCOMPARE(event.balances->walletBalance, d("100.12345678")); // cw: the cross wallet, not wb
    QCOMPARE(event.positions.size(), std::size_t(1));
    const SnapshotPosition& closed = event.positions.front();
    QCOMPARE(closed.position.symbol, std::string("BTCUSDT"));
    QVERIFY(closed.position.quantity.isZero()); // pa "0": the position is closed
    QCOMPARE(closed.position.marginMode, MarginMode::Isolated);
    QCOMPARE(closed.position.positionSide, PositionSide::Both);
    QVERIFY(!closed.exchangeLiquidationPrice.has_value()); // ACCOUNT_UPDATE carries none
}

void TestPrivateStreamsProtocol::binanceOpenedPositions()
{
    const AccountEvent event = parseBinanceUserStream(view(kBinanceOpened));
    QCOMPARE(event.kind, Kind::PositionsUpdate);
    QCOMPARE(event.eventTimeMs, std::int64_t(1700000000000)); // "E" as a string
    QVERIFY(!event.balances.has_value());                      // only BNB: not the account's margin asset
    QCOMPARE(event.positions.size(), std::size_t(2));
    const Position& shortLeg = event.positions[0].position;
    QCOMPARE(shortLeg.side, Side::Short);
    QCOMPARE(shortLeg.positionSide, PositionSide::Short);
    QCOMPARE(shortLeg.quantity, d("2.5"));
    QCOMPARE(shortLeg.entryPrice, d("3000.5"));
    QCOMPARE(shortLeg.marginMode, MarginMode::Cross); // "CROSSED"
    QCOMPARE(*event.positions[0].unrealizedPnl, d("-12.5"));
    QVERIFY(shortLeg.markPrice.isZero()); // no mark on the user stream
    const Position& isolated = event.positions[1].position;
    QCOMPARE(isolated.side, Side::Long);
    QCOMPARE(isolated.quantity, d("0.1"));
    QCOMPARE(isolated.entryPrice, d("60000"));
    QCOMPARE(isolated.marginMode, MarginMode::Isolated); // "ISOLATED"
    QCOMPARE(*isolated.isolatedMargin, d("300.5"));
}

void TestPrivateStreamsProtocol::binanceMarginCallSample()
{
    const AccountEvent event = parseBinanceUserStream(view(kBinanceMarginCall));
    QCOMPARE(event.kind, Kind::MarginCall);
    QCOMPARE(event.eventTimeMs, std::int64_t(1587727187525));
    QCOMPARE(event.positions.size(), std::size_t(1));
    const SnapshotPosition& warned = event.positions.front();
    QCOMPARE(warned.position.symbol, std::string("ETHUSDT"));
    QCOMPARE(warned.position.side, Side::Long);
    QCOMPARE(warned.position.positionSide, PositionSide::Long);
    QCOMPARE(warned.position.quantity, d("1.327"));
    QCOMPARE(warned.position.marginMode, MarginMode::Cross);
    QCOMPARE(warned.position.markPrice, d("187.17127"));
    QCOMPARE(*warned.exchangeMaintenanceMargin, d("1.614445"));
    QCOMPARE(*warned.unrealizedPnl, d("-1.166074"));
    const std::string words = describeMarginCall(event);
    QVERIFY2(words.find("Binance margin call: ETHUSDT long 1.327 at mark 187.17127") == 0, words.c_str());
}

void TestPrivateStreamsProtocol::binanceListenKeyExpiredLeavesTheKeyOut()
{
    const AccountEvent event = parseBinanceUserStream(view(kBinanceListenKeyExpired));
    QCOMPARE(event.kind, Kind::ListenKeyExpired);
    QCOMPARE(event.eventTimeMs, std::int64_t(1736996475556));
    QVERIFY(event.detail.find("WsCMN0a4") == std::string::npos);
}

void TestPrivateStreamsProtocol::binanceListenKeyRest()
{
    QCOMPARE(binance_user_stream::streamTarget("abc"), std::string("/private/ws?listenKey=abc&events=ACCOUNT_UPDATE/MARGIN_CALL"));
    std::string problem;
    QCOMPARE(binance_user_stream::listenKeyFromAnswer(
                 R"({"listenKey":"pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1"})", problem),
             std::string("pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1"));
    QVERIFY(problem.empty());
    QVERIFY(binance_user_stream::listenKeyFromAnswer(R"({"code":-1125,"msg":"This listenKey does not exist."})", problem).empty());
    QCOMPARE(problem, std::string("-1125 This listenKey does not exist."));
    problem.clear();
    QVERIFY(binance_user_stream::listenKeyFromAnswer(R"({"listenKey":""})", problem).empty());
    QVERIFY(problem.find("\"listenKey\"") != std::string::npos);
    QCOMPARE(binance_user_stream::errorCode(R"({"code":-1125,"msg":"This listenKey does not exist."})"), -1125);
    QCOMPARE(binance_user_stream::errorCode(R"({"listenKey":"x"})"), 0);
    QCOMPARE(binance_user_stream::errorCode("<html>"), 0);
}

void TestPrivateStreamsProtocol::bybitPositionsAndWallet()
{
    const AccountEvent closed = parseBybitPrivateStream(view(kBybitPositionClosed));
    QCOMPARE(closed.eventTimeMs, std::int64_t(1697682317044));
    QCOMPARE(closed.positions.front().position.symbol, std::string("BTCUSDT"));
    QVERIFY(closed.positions.front().position.quantity.isZero());
    QCOMPARE(closed.positions.front().position.positionSide, PositionSide::Short); // positionIdx 2

    const AccountEvent open = parseBybitPrivateStream(view(kBybitPositionOpen));
    QCOMPARE(open.positions.size(), std::size_t(1)); // the inverse position is left out
    const SnapshotPosition& eth = open.positions.front();
    QCOMPARE(eth.position.symbol, std::string("ETHUSDT"));
    QCOMPARE(eth.position.side, Side::Short);
    QCOMPARE(eth.position.quantity, d("1.5"));
    QCOMPARE(eth.position.entryPrice, d("3000"));
    QCOMPARE(eth.position.markPrice, d("3100.5"));
    QCOMPARE(*eth.position.leverage, d("10"));
    QCOMPARE(*eth.exchangeLiquidationPrice, d("4100.2"));
    QCOMPARE(*eth.exchangeMaintenanceMargin, d("15.5"));
    QCOMPARE(*eth.unrealizedPnl, d("-150.75"));

    const AccountEvent wallet = parseBybitPrivateStream(view(kBybitWallet));
    QCOMPARE(wallet.kind, Kind::BalancesUpdate);
    QCOMPARE(wallet.balances->walletBalance, d("10000"));
    QCOMPARE(*wallet.balances->marginBalance, d("10010.005"));
    QCOMPARE(*wallet.balances->maintenanceMargin, d("26.555"));
    QCOMPARE(*wallet.balances->marginRatio, d("0.0026"));
}

void TestPrivateStreamsProtocol::okxPositionsSnapshotSample()
{
    const AccountEvent event = parseOkxPrivateStream(view(kOkxPositionsSnapshot), contractValue);
    QCOMPARE(event.kind, Kind::PositionsSnapshot);
    QCOMPARE(event.positions.size(), std::size_t(1)); // the FUTURES row is not the monitor's
    const SnapshotPosition& swap = event.positions.front();
    QCOMPARE(swap.position.symbol, std::string("ETH-USD-SWAP"));
    QCOMPARE(swap.position.side, Side::Long);
    QCOMPARE(swap.position.positionSide, PositionSide::Long);
    QCOMPARE(swap.position.quantity, d("10")); // 1 contract × ctVal 10
    QCOMPARE(swap.position.entryPrice, d("2566.31"));
    QCOMPARE(swap.position.markPrice, d("2353.849"));
    QCOMPARE(swap.position.marginMode, MarginMode::Isolated);
    QCOMPARE(*swap.position.isolatedMargin, d("0.0003896645377994"));
    // The exchange's own figures, as OKX computed them.
    QCOMPARE(*swap.exchangeLiquidationPrice, d("2352.8496681818233"));
    QCOMPARE(*swap.exchangeMarginRatio, d("11.731726509588816"));
    QCOMPARE(*swap.exchangeMaintenanceMargin, d("0.0000311811092368"));
    QCOMPARE(*swap.unrealizedPnl, d("-0.0000009932766034"));
    QCOMPARE(event.eventTimeMs, std::int64_t(1619507761462));
}

void TestPrivateStreamsProtocol::okxEventUpdateClosesAndChanges()
{
    const AccountEvent event = parseOkxPrivateStream(view(kOkxPositionsUpdate), contractValue);
    QCOMPARE(event.kind, Kind::PositionsUpdate);
    QCOMPARE(event.positions.size(), std::size_t(2));
    const SnapshotPosition& btc = event.positions[0];
    QCOMPARE(btc.position.side, Side::Short);
    QCOMPARE(btc.position.quantity, d("0.25"));
    QCOMPARE(*btc.exchangeLiquidationPrice, d("80000.1"));
    QCOMPARE(*btc.exchangeMarginRatio, d("120.5"));
    QCOMPARE(event.positions[1].position.symbol, std::string("ETH-USD-SWAP"));
    QVERIFY(event.positions[1].position.quantity.isZero());
}

void TestPrivateStreamsProtocol::okxLiquidationWarning()
{
    const AccountEvent event = parseOkxPrivateStream(view(kOkxLiquidationWarningSwap), contractValue);
    QCOMPARE(event.kind, Kind::MarginCall);
    QCOMPARE(event.positions.size(), std::size_t(1));
    QCOMPARE(event.positions.front().position.side, Side::Short);
    QCOMPARE(event.positions.front().position.quantity, d("0.25"));
    QCOMPARE(event.positions.front().position.markPrice, d("79000.5"));
    QCOMPARE(*event.positions.front().exchangeMarginRatio, d("1.05"));
    const std::string words = describeMarginCall(event);
    QVERIFY2(words == "OKX margin call: BTC-USDT-SWAP short 0.25 at mark 79000.5, margin ratio 1.05", words.c_str());
}

void TestPrivateStreamsProtocol::subscribeMessages()
{
    QCOMPARE(bybit_private_stream::subscribeMessage(),
             std::string(R"({"req_id":"account","op":"subscribe","args":["position","wallet"]})"));
    QCOMPARE(okx_private_stream::subscribeMessage(),
             std::string(R"({"op":"subscribe","args":[{"channel":"positions","instType":"SWAP"},{"channel":"liquidation-warning","instType":"SWAP"}]})"));
    QVERIFY(okx_private_stream::isLoginRefusal("60009"));
    QVERIFY(okx_private_stream::isLoginRefusal("60024"));
    QVERIFY(!okx_private_stream::isLoginRefusal("60011"));
    QVERIFY(!okx_private_stream::isLoginRefusal("0"));
}

QTEST_GUILESS_MAIN(TestPrivateStreamsProtocol)
#include "tst_private_streams_protocol.moc"
