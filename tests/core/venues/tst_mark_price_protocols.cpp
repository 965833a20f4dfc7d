// The four venues' public mark-price protocols, on the verbatim messages of
// shared/reference/exchanges.md and on broken frames of every kind.
#include "venues/binance_usdm/binance_mark_prices.h"
#include "venues/mark_price_protocol.h"

#include <nlohmann/json.hpp>

#include <QtTest>

using namespace mm;
using Kind = FeedMessage::Kind;

Q_DECLARE_METATYPE(mm::Venue)
Q_DECLARE_METATYPE(mm::FeedMessage::Kind)

namespace {

struct Parsed {
    FeedMessage message;
    std::vector<MarkTick> ticks;
};

Parsed parseWith(MarkPriceProtocol& protocol, const QByteArray& frame)
{
    Parsed parsed;
    parsed.message = protocol.parse(std::string_view(frame.constData(), static_cast<std::size_t>(frame.size())),
                                    ReceiveTime(std::chrono::seconds(7)), parsed.ticks);
    return parsed;
}

/// The symbols of the reference's samples and of the broken frames below, as if subscribed to.
const std::vector<std::string> kSubscribed = {"BTCUSDT", "ETHUSDT", "AAVEUSDT", "LTC-USD-190628", "BTC-USDT-SWAP", "BTC", "X"};

Parsed parseOne(Venue venue, const QByteArray& frame)
{
    auto protocol = MarkPriceProtocol::forVenue(venue);
    protocol->setSymbols(kSubscribed);
    return parseWith(*protocol, frame);
}

const QByteArray kBinanceUpdate =
    R"({"e":"markPriceUpdate","E":1562305380000,"s":"BTCUSDT","p":"11794.15000000","i":"11784.62659091","P":"11784.25641265","r":"0.00038167","T":1562306400000})";
const QByteArray kBybitSnapshot =
    R"({"topic":"tickers.BTCUSDT","type":"snapshot","data":{"symbol":"BTCUSDT","tickDirection":"MinusTick","price24hPcnt":"-0.158315","lastPrice":"66666.60","markPrice":"66666.60","indexPrice":"115418.19","openInterest":"492373.72","fundingRate":"-0.005","nextFundingTime":"1760342400000","bid1Price":"66666.60","bid1Size":"23789.165","ask1Price":"66666.70","ask1Size":"23775.469"},"cs":9532239429,"ts":1760325052630})";
const QByteArray kBybitDeltaWithoutMark =
    R"({"topic":"tickers.AAVEUSDT","type":"delta","data":{"symbol":"AAVEUSDT","openInterest":"192174.8","openInterestValue":"21356385.52","ask1Price":"111.17","ask1Size":"0.10"},"cs":78002334013,"ts":1709197726305})";
const QByteArray kOkxMark =
    R"({"arg":{"channel":"mark-price","instId":"LTC-USD-190628"},"data":[{"instType":"FUTURES","instId":"LTC-USD-190628","markPx":"0.1","ts":"1597026383085"}]})";
const QByteArray kHyperliquidContext =
    R"({"channel":"activeAssetCtx","data":{"coin":"BTC","ctx":{"funding":"0.0000125","openInterest":"31298.79","oraclePx":"64010.0","markPx":"64021.5","midPx":"64020.5"}}})";

} // namespace

class TestMarkPriceProtocols : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsReferenceMessages_data();
    void readsReferenceMessages();
    void survivesBrokenFrames_data();
    void survivesBrokenFrames();
    void bybitMergesDeltasIntoTheSnapshot();
    void binanceAllMarketArrayIsFiltered();
    void symbolNames_data();
    void symbolNames();
    void connectionRecipes();
};

void TestMarkPriceProtocols::readsReferenceMessages_data()
{
    QTest::addColumn<Venue>("venue");
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QString>("symbol");
    QTest::addColumn<QString>("mark");
    QTest::addColumn<QString>("index");
    QTest::addColumn<QString>("funding");
    QTest::addColumn<qint64>("time");

    QTest::newRow("binance raw markPriceUpdate") << Venue::BinanceUsdm << kBinanceUpdate << Kind::Ticks << "BTCUSDT"
                                                 << "11794.15" << "11784.62659091" << "0.00038167" << qint64(1562305380000);
    QTest::newRow("binance combined stream") << Venue::BinanceUsdm
                                             << R"({"stream":"btcusdt@markPrice@1s","data":)" + kBinanceUpdate + "}"
                                             << Kind::Ticks << "BTCUSDT" << "11794.15" << "11784.62659091" << "0.00038167"
                                             << qint64(1562305380000);
    QTest::newRow("binance event time as a string")
        << Venue::BinanceUsdm << QByteArray(R"({"e":"markPriceUpdate","E":"1562305380001","s":"ETHUSDT","p":"3000.5","r":""})")
        << Kind::Ticks << "ETHUSDT" << "3000.5" << "" << "" << qint64(1562305380001);
    QTest::newRow("binance subscribe ack") << Venue::BinanceUsdm << QByteArray(R"({"result":null,"id":1})") << Kind::SubscribeAck
                                           << "" << "" << "" << "" << qint64(0);
    QTest::newRow("binance error") << Venue::BinanceUsdm
                                   << QByteArray(R"({"code":2,"msg":"Invalid request: unknown variant","id":1})")
                                   << Kind::VenueError << "" << "" << "" << "" << qint64(0);

    QTest::newRow("bybit snapshot") << Venue::BybitLinear << kBybitSnapshot << Kind::Ticks << "BTCUSDT" << "66666.6"
                                    << "115418.19" << "-0.005" << qint64(1760325052630);
    QTest::newRow("bybit delta before any snapshot") << Venue::BybitLinear << kBybitDeltaWithoutMark << Kind::Ignored << ""
                                                     << "" << "" << "" << qint64(0);
    QTest::newRow("bybit subscribe ack")
        << Venue::BybitLinear << QByteArray(R"({"success":true,"ret_msg":"","conn_id":"c1","req_id":"1","op":"subscribe"})")
        << Kind::SubscribeAck << "" << "" << "" << "" << qint64(0);
    QTest::newRow("bybit pong")
        << Venue::BybitLinear
        << QByteArray(R"({"success":true,"ret_msg":"pong","conn_id":"c1","req_id":"100001","op":"ping"})") << Kind::Pong << ""
        << "" << "" << "" << qint64(0);
    QTest::newRow("bybit subscribe refused")
        << Venue::BybitLinear
        << QByteArray(R"({"success":false,"ret_msg":"error:handler not found,topic:tickers.NOPE","conn_id":"c1","req_id":"1","op":"subscribe"})")
        << Kind::VenueError << "" << "" << "" << "" << qint64(0);

    QTest::newRow("okx mark-price") << Venue::OkxSwap << kOkxMark << Kind::Ticks << "LTC-USD-190628" << "0.1" << "" << ""
                                    << qint64(1597026383085);
    QTest::newRow("okx subscribe ack")
        << Venue::OkxSwap
        << QByteArray(R"({"event":"subscribe","arg":{"channel":"mark-price","instId":"BTC-USDT-SWAP"},"connId":"a4d3ae55"})")
        << Kind::SubscribeAck << "" << "" << "" << "" << qint64(0);
    QTest::newRow("okx error")
        << Venue::OkxSwap << QByteArray(R"({"event":"error","code":"60012","msg":"Invalid request: x","connId":"a4d3ae55"})")
        << Kind::VenueError << "" << "" << "" << "" << qint64(0);
    QTest::newRow("okx service notice")
        << Venue::OkxSwap
        << QByteArray(R"({"event":"notice","code":"64008","msg":"The connection will soon be closed for a service upgrade. Please reconnect.","connId":"a4d3ae55"})")
        << Kind::Notice << "" << "" << "" << "" << qint64(0);
    QTest::newRow("okx pong") << Venue::OkxSwap << QByteArray("pong") << Kind::Pong << "" << "" << "" << "" << qint64(0);

    QTest::newRow("hyperliquid activeAssetCtx") << Venue::Hyperliquid << kHyperliquidContext << Kind::Ticks << "BTC"
                                                << "64021.5" << "64010" << "0.0000125" << qint64(0);
    QTest::newRow("hyperliquid pong") << Venue::Hyperliquid << QByteArray(R"({"channel":"pong"})") << Kind::Pong << "" << ""
                                      << "" << "" << qint64(0);
    QTest::newRow("hyperliquid subscription response")
        << Venue::Hyperliquid
        << QByteArray(R"({"channel":"subscriptionResponse","data":{"method":"subscribe","subscription":{"type":"activeAssetCtx","coin":"BTC"}}})")
        << Kind::SubscribeAck << "" << "" << "" << "" << qint64(0);
}

void TestMarkPriceProtocols::readsReferenceMessages()
{
    QFETCH(Venue, venue);
    QFETCH(QByteArray, frame);
    QFETCH(Kind, kind);
    QFETCH(QString, symbol);
    QFETCH(QString, mark);
    QFETCH(QString, index);
    QFETCH(QString, funding);
    QFETCH(qint64, time);
    const Parsed parsed = parseOne(venue, frame);
    QVERIFY2(parsed.message.kind == kind, parsed.message.detail.c_str());
    if (kind != Kind::Ticks) {
        QVERIFY(parsed.ticks.empty());
        return;
    }
    QCOMPARE(parsed.ticks.size(), std::size_t(1));
    const MarkTick& tick = parsed.ticks.front();
    QCOMPARE(tick.venue, venue);
    QCOMPARE(QString::fromStdString(tick.symbol), symbol);
    QCOMPARE(QString::fromStdString(tick.markPrice.toString()), mark);
    QCOMPARE(tick.indexPrice ? QString::fromStdString(tick.indexPrice->toString()) : QString(), index);
    QCOMPARE(tick.fundingRate ? QString::fromStdString(tick.fundingRate->toString()) : QString(), funding);
    QCOMPARE(tick.exchangeTimeMs, time);
    QCOMPARE(tick.receivedAt, ReceiveTime(std::chrono::seconds(7)));
}

void TestMarkPriceProtocols::survivesBrokenFrames_data()
{
    QTest::addColumn<Venue>("venue");
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("detail");
    const QList<Venue> venues = {Venue::BinanceUsdm, Venue::BybitLinear, Venue::OkxSwap, Venue::Hyperliquid};
    for (Venue venue : venues) {
        const QByteArray name = venueName(venue).data();
        QTest::newRow(name + " truncated") << venue << kBinanceUpdate.left(40) << "not JSON";
        QTest::newRow(name + " empty") << venue << QByteArray() << "not JSON";
        QTest::newRow(name + " binary garbage") << venue << QByteArray("\xff\xfe\x00\x01", 4) << "not JSON";
        QTest::newRow(name + " a number") << venue << QByteArray("42") << "";
    }
    QTest::newRow("binance mark as object") << Venue::BinanceUsdm
                                            << QByteArray(R"({"e":"markPriceUpdate","s":"BTCUSDT","p":{"v":1}})") << "\"p\"";
    QTest::newRow("binance mark missing") << Venue::BinanceUsdm << QByteArray(R"({"e":"markPriceUpdate","s":"BTCUSDT"})")
                                          << "\"p\" is missing";
    QTest::newRow("binance negative mark") << Venue::BinanceUsdm
                                           << QByteArray(R"({"e":"markPriceUpdate","s":"BTCUSDT","p":"-1"})")
                                           << "not a positive price";
    QTest::newRow("binance huge mark") << Venue::BinanceUsdm
                                       << QByteArray(R"({"e":"markPriceUpdate","s":"BTCUSDT","p":"1e400"})") << "out of range";
    QTest::newRow("binance huge number") << Venue::BinanceUsdm
                                         << QByteArray(R"({"e":"markPriceUpdate","s":"BTCUSDT","p":123456789012345678901234567890})")
                                         << "\"p\"";
    QTest::newRow("binance symbol not a string") << Venue::BinanceUsdm
                                                 << QByteArray(R"({"e":"markPriceUpdate","s":7,"p":"1"})") << "\"s\"";
    QTest::newRow("binance bad time") << Venue::BinanceUsdm
                                      << QByteArray(R"({"e":"markPriceUpdate","E":"soon","s":"BTCUSDT","p":"1"})") << "\"E\"";
    QTest::newRow("bybit data not an object") << Venue::BybitLinear
                                              << QByteArray(R"({"topic":"tickers.BTCUSDT","type":"snapshot","data":[]})")
                                              << "\"data\"";
    QTest::newRow("bybit unknown type") << Venue::BybitLinear
                                        << QByteArray(R"({"topic":"tickers.BTCUSDT","type":"full","data":{"symbol":"BTCUSDT","markPrice":"1"}})")
                                        << "unknown type";
    QTest::newRow("bybit mark NaN") << Venue::BybitLinear
                                    << QByteArray(R"({"topic":"tickers.BTCUSDT","type":"snapshot","data":{"symbol":"BTCUSDT","markPrice":"NaN"}})")
                                    << "markPrice";
    QTest::newRow("okx data not an array") << Venue::OkxSwap
                                           << QByteArray(R"({"arg":{"channel":"mark-price","instId":"X"},"data":{}})")
                                           << "neither an event";
    QTest::newRow("okx markPx empty") << Venue::OkxSwap
                                      << QByteArray(R"({"arg":{"channel":"mark-price","instId":"X"},"data":[{"instId":"X","markPx":"","ts":"1"}]})")
                                      << "markPx";
    QTest::newRow("hyperliquid ctx missing") << Venue::Hyperliquid
                                             << QByteArray(R"({"channel":"activeAssetCtx","data":{"coin":"BTC"}})")
                                             << "without ctx";
    QTest::newRow("hyperliquid markPx null") << Venue::Hyperliquid
                                             << QByteArray(R"({"channel":"activeAssetCtx","data":{"coin":"BTC","ctx":{"markPx":null}}})")
                                             << "markPx";
    // Found by fuzz_hyperliquid_mark_prices: a tick for "" matches no position, so it is refused.
    QTest::newRow("binance empty symbol") << Venue::BinanceUsdm << QByteArray(R"({"e":"markPriceUpdate","s":"","p":"1"})")
                                         << "empty symbol";
    QTest::newRow("bybit empty symbol") << Venue::BybitLinear
                                        << QByteArray(R"({"topic":"tickers.","type":"snapshot","data":{"symbol":"","markPrice":"1"}})")
                                        << "empty symbol";
    QTest::newRow("okx empty instId") << Venue::OkxSwap
                                      << QByteArray(R"({"arg":{"channel":"mark-price","instId":""},"data":[{"instId":"","markPx":"1","ts":"1"}]})")
                                      << "empty symbol";
    QTest::newRow("hyperliquid empty coin")
        << Venue::Hyperliquid
        << QByteArray(R"({"channel":"activeAssetCtx","data":{"coin":"","ctx":{"funding":"0.0000125125","oraclePx":"64010.0","markPx":"64021.5"}}})")
        << "empty symbol";
    QTest::newRow("deep nesting") << Venue::OkxSwap << QByteArray(100000, '[') << "nested deeper than 128 levels";
    // Closed, so that it is valid JSON: an error event whose detail would be dumped recursively.
    for (Venue venue : venues) {
        const QByteArray name = venueName(venue).data();
        const QByteArray nested = QByteArray(100000, '[') + QByteArray(100000, ']');
        QTest::newRow(name + " error event nested 100,000 deep")
            << venue << R"({"event":"error","op":"subscribe","success":false,"code":2,"msg":"x","channel":"error","data":)" + nested + "}"
            << "nested deeper than 128 levels";
    }
    // Unknown topics: valid JSON, but nothing subscribed to. Counted and reported like any frame the
    // stream should not carry (a venue changing its protocol shows up here), the connection kept.
    QTest::newRow("binance other event") << Venue::BinanceUsdm << QByteArray(R"({"e":"24hrTicker","E":1,"s":"BTCUSDT"})")
                                         << "event \"24hrTicker\" was not subscribed to";
    QTest::newRow("binance other event, combined stream")
        << Venue::BinanceUsdm << QByteArray(R"({"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","s":"BTCUSDT"}})")
        << "event \"aggTrade\" was not subscribed to";
    QTest::newRow("bybit other topic") << Venue::BybitLinear
                                       << QByteArray(R"({"topic":"orderbook.1.BTCUSDT","type":"snapshot","data":{}})")
                                       << "topic \"orderbook.1.BTCUSDT\" was not subscribed to";
    QTest::newRow("bybit reply to an op never sent")
        << Venue::BybitLinear << QByteArray(R"({"success":true,"ret_msg":"","conn_id":"c1","op":"unsubscribe"})")
        << "op \"unsubscribe\"";
    QTest::newRow("okx other channel") << Venue::OkxSwap
                                       << QByteArray(R"({"arg":{"channel":"trades","instId":"BTC-USDT-SWAP"},"data":[]})")
                                       << "channel \"trades\" was not subscribed to";
    QTest::newRow("okx other event") << Venue::OkxSwap << QByteArray(R"({"event":"unsubscribe","arg":{"channel":"mark-price"}})")
                                     << "event \"unsubscribe\"";
    // Marks for a symbol nobody subscribed to, on the channel subscribed to.
    QTest::newRow("binance other symbol") << Venue::BinanceUsdm << QByteArray(R"({"e":"markPriceUpdate","E":1,"s":"DOGEUSDT","p":"0.1"})")
                                          << "DOGEUSDT, which was not subscribed to";
    QTest::newRow("bybit other symbol")
        << Venue::BybitLinear << QByteArray(R"({"topic":"tickers.DOGEUSDT","type":"snapshot","data":{"symbol":"DOGEUSDT","markPrice":"0.1"},"ts":1})")
        << "topic \"tickers.DOGEUSDT\" was not subscribed to";
    QTest::newRow("bybit topic and symbol disagree")
        << Venue::BybitLinear << QByteArray(R"({"topic":"tickers.BTCUSDT","type":"snapshot","data":{"symbol":"ETHUSDT","markPrice":"3000"},"ts":1})")
        << "carries the ticker of ETHUSDT";
    QTest::newRow("okx other instId")
        << Venue::OkxSwap << QByteArray(R"({"arg":{"channel":"mark-price","instId":"DOGE-USDT-SWAP"},"data":[{"instId":"DOGE-USDT-SWAP","markPx":"0.1","ts":"1"}]})")
        << "instId DOGE-USDT-SWAP was not subscribed to";
    QTest::newRow("hyperliquid other coin")
        << Venue::Hyperliquid << QByteArray(R"({"channel":"activeAssetCtx","data":{"coin":"DOGE","ctx":{"markPx":"0.1"}}})")
        << "DOGE, which was not subscribed to";
    QTest::newRow("hyperliquid allMids is not a mark price")
        << Venue::Hyperliquid << QByteArray(R"({"channel":"allMids","data":{"mids":{"BTC":"64020.5"}}})")
        << "channel \"allMids\" was not subscribed to";
}

void TestMarkPriceProtocols::survivesBrokenFrames()
{
    QFETCH(Venue, venue);
    QFETCH(QByteArray, frame);
    QFETCH(QString, detail);
    const Parsed parsed = parseOne(venue, frame);
    QVERIFY(parsed.ticks.empty());
    QVERIFY2(parsed.message.kind == Kind::Malformed, parsed.message.detail.c_str());
    QVERIFY2(QString::fromStdString(parsed.message.detail).contains(detail), parsed.message.detail.c_str());
}

void TestMarkPriceProtocols::bybitMergesDeltasIntoTheSnapshot()
{
    auto bybit = MarkPriceProtocol::forVenue(Venue::BybitLinear);
    bybit->setSymbols(kSubscribed);
    QCOMPARE(parseWith(*bybit, kBybitSnapshot).message.kind, Kind::Ticks);
    // A delta without markPrice keeps the last one (never read as zero) and still counts as fresh data.
    const Parsed quiet = parseWith(*bybit, R"({"topic":"tickers.BTCUSDT","type":"delta","data":{"symbol":"BTCUSDT","bid1Price":"66660.00"},"ts":1760325052730})");
    QCOMPARE(quiet.message.kind, Kind::Ticks);
    QCOMPARE(quiet.ticks.at(0).markPrice.toString(), std::string("66666.6"));
    QCOMPARE(quiet.ticks.at(0).indexPrice->toString(), std::string("115418.19"));
    QCOMPARE(quiet.ticks.at(0).exchangeTimeMs, std::int64_t(1760325052730));
    const Parsed moved = parseWith(*bybit, R"({"topic":"tickers.BTCUSDT","type":"delta","data":{"symbol":"BTCUSDT","markPrice":"66650.10","fundingRate":"-0.004"},"ts":1760325052830})");
    QCOMPARE(moved.ticks.at(0).markPrice.toString(), std::string("66650.1"));
    QCOMPARE(moved.ticks.at(0).fundingRate->toString(), std::string("-0.004"));
    QCOMPARE(moved.ticks.at(0).indexPrice->toString(), std::string("115418.19"));
    // A broken delta leaves the stored ticker as it was.
    QCOMPARE(parseWith(*bybit, R"({"topic":"tickers.BTCUSDT","type":"delta","data":{"symbol":"BTCUSDT","markPrice":"1","fundingRate":"x"},"ts":1})").message.kind,
             Kind::Malformed);
    const Parsed after = parseWith(*bybit, R"({"topic":"tickers.BTCUSDT","type":"delta","data":{"symbol":"BTCUSDT"},"ts":2})");
    QCOMPARE(after.ticks.at(0).markPrice.toString(), std::string("66650.1"));
    // Symbols are kept apart.
    QCOMPARE(parseWith(*bybit, kBybitDeltaWithoutMark).message.kind, Kind::Ignored);
}

void TestMarkPriceProtocols::binanceAllMarketArrayIsFiltered()
{
    BinanceMarkPrices binance;
    std::vector<std::string> symbols;
    for (int i = 0; i <= static_cast<int>(BinanceMarkPrices::kAllMarketThreshold); ++i) {
        symbols.push_back("SYM" + std::to_string(i) + "USDT");
    }
    symbols.push_back("BTCUSDT");
    binance.setSymbols(symbols);
    QCOMPARE(binance.streamPath(), std::string("/market/stream?streams=!markPrice@arr@1s"));
    const QByteArray frame = R"({"stream":"!markPrice@arr@1s","data":[)" + kBinanceUpdate + "," +
                             R"({"e":"markPriceUpdate","E":1,"s":"DOGEUSDT","p":"0.1"},)" +
                             R"({"e":"markPriceUpdate","E":1,"s":"SYM3USDT","p":"2.5"}]})";
    const Parsed parsed = parseWith(binance, frame);
    QCOMPARE(parsed.message.kind, Kind::Ticks);
    QCOMPARE(parsed.ticks.size(), std::size_t(2)); // DOGEUSDT was not asked for
    QCOMPARE(parsed.ticks[1].symbol, std::string("SYM3USDT"));
    // One broken element is reported; the good ones still arrive.
    const Parsed partly = parseWith(binance, R"([{"e":"markPriceUpdate","s":"BTCUSDT","p":"1"},{"e":"markPriceUpdate","s":"SYM1USDT"}])");
    QCOMPARE(partly.message.kind, Kind::Malformed);
    QCOMPARE(partly.ticks.size(), std::size_t(1));
}

void TestMarkPriceProtocols::symbolNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("streamable");
    for (const char* name : {"BTCUSDT", "BTC-USDT-SWAP", "LTC-USD-190628", "1000PEPEUSDT", "kPEPE", "BTCUSDT_250328", "dex:COIN", "A"}) {
        QTest::newRow(name) << QString(name) << true;
    }
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("a space (breaks Binance's URL)") << QString("NO SUCH") << false;
    QTest::newRow("a slash") << QString("BTC/USDT") << false;
    QTest::newRow("a query") << QString("BTC?x=1") << false;
    QTest::newRow("a stream separator") << QString("btcusdt@aggTrade") << false;
    QTest::newRow("a quote") << QString("BTC\"USDT") << false;
    QTest::newRow("41 characters") << QString(41, 'A') << false;
    QTest::newRow("not ASCII") << QString::fromUtf8("\u5E01\u5B89USDT") << false;
}

void TestMarkPriceProtocols::symbolNames()
{
    QFETCH(QString, name);
    QFETCH(bool, streamable);
    QCOMPARE(MarkPriceProtocol::isSymbolName(name.toStdString()), streamable);
}

void TestMarkPriceProtocols::connectionRecipes()
{
    const std::vector<std::string> two = {"BTCUSDT", "ETHUSDT"};
    BinanceMarkPrices binance;
    binance.setSymbols(two);
    QCOMPARE(binance.streamPath(), std::string("/market/stream?streams=btcusdt@markPrice@1s/ethusdt@markPrice@1s"));
    QVERIFY(binance.subscribeMessages().empty());
    QCOMPARE(binance.keepAlive().mode, KeepAlive::Mode::AnswerServerPings);

    auto bybit = MarkPriceProtocol::forVenue(Venue::BybitLinear);
    std::vector<std::string> twelve;
    for (int i = 0; i < 12; ++i) {
        twelve.push_back("S" + std::to_string(i));
    }
    bybit->setSymbols(twelve);
    QCOMPARE(bybit->streamPath(), std::string("/v5/public/linear"));
    const auto bybitMessages = bybit->subscribeMessages();
    QCOMPARE(bybitMessages.size(), std::size_t(2)); // at most ten topics per request
    const auto first = nlohmann::json::parse(bybitMessages[0]);
    QCOMPARE(first["op"].get<std::string>(), std::string("subscribe"));
    QCOMPARE(first["args"].size(), std::size_t(10));
    QCOMPARE(first["args"][0].get<std::string>(), std::string("tickers.S0"));
    QCOMPARE(bybit->keepAlive().message, std::string(R"({"req_id":"ping","op":"ping"})"));
    QCOMPARE(bybit->keepAlive().interval, std::chrono::milliseconds(20'000));

    auto okx = MarkPriceProtocol::forVenue(Venue::OkxSwap);
    okx->setSymbols({"BTC-USDT-SWAP"});
    QCOMPARE(okx->subscribeMessages().at(0),
             std::string(R"({"args":[{"channel":"mark-price","instId":"BTC-USDT-SWAP"}],"op":"subscribe"})"));
    QCOMPARE(okx->keepAlive().mode, KeepAlive::Mode::SendWhenIdle);
    QCOMPARE(okx->keepAlive().message, std::string("ping"));
    QVERIFY(okx->keepAlive().interval < std::chrono::seconds(30));

    auto hyperliquid = MarkPriceProtocol::forVenue(Venue::Hyperliquid);
    hyperliquid->setSymbols({"BTC", "ETH"});
    QCOMPARE(hyperliquid->streamPath(), std::string("/ws"));
    QCOMPARE(hyperliquid->subscribeMessages().at(1),
             std::string(R"({"method":"subscribe","subscription":{"coin":"ETH","type":"activeAssetCtx"}})"));
    QCOMPARE(hyperliquid->keepAlive().message, std::string(R"({"method":"ping"})"));

    QVERIFY(MarkPriceProtocol::forVenue(Venue::Generic) == nullptr);
}

QTEST_APPLESS_MAIN(TestMarkPriceProtocols)
#include "tst_mark_price_protocols.moc"
