// The venues' reduce-only market orders on the wire (core/venues/order_protocol.h): the requests
// built per venue, field by field, and answers in the venues' documented shapes read into
// OrderOutcome — filled, partial, duplicate, not found, rate limited, 5xx, garbage — never a throw.
#include "venues/order_protocol.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <limits>
#include <set>
#include <tuple>
#include <vector>

using namespace mm;
using json = nlohmann::json;

Q_DECLARE_METATYPE(mm::Venue)
Q_DECLARE_METATYPE(mm::OrderOutcome::Status)

namespace {

OrderRequest sellLong(Venue venue, std::string symbol)
{
    OrderRequest request;
    request.venue = venue;
    request.symbol = std::move(symbol);
    request.side = Side::Short;
    request.quantity = Decimal::parse("0.5");
    request.clientOrderId = "mm1abc7";
    return request;
}

OrderVenueDetails okxDetails()
{
    return {Decimal::parse("0.01")};
}

} // namespace

class TestOrderProtocol : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void binancePlaceRequest()
    {
        std::string problem;
        auto request = sellLong(Venue::BinanceUsdm, "BTCUSDT");
        const auto built = buildPlaceOrderRequest(request, {}, problem);
        QVERIFY2(built, problem.c_str());
        QCOMPARE(built->method, OrderHttpMethod::Post);
        QCOMPARE(built->path, std::string("/fapi/v1/order"));
        QCOMPARE(built->query, std::string());
        QCOMPARE(built->body, std::string("symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.5&reduceOnly=true"
                                          "&newClientOrderId=mm1abc7&newOrderRespType=RESULT"));
        request.positionSide = PositionSide::Long; // hedge mode: the leg, never reduceOnly
        const auto hedge = buildPlaceOrderRequest(request, {}, problem);
        QVERIFY(hedge);
        QVERIFY(hedge->body.find("positionSide=LONG") != std::string::npos);
        QVERIFY(hedge->body.find("reduceOnly") == std::string::npos);
        request.side = Side::Long; // a buy would add to the long leg
        QVERIFY(!buildPlaceOrderRequest(request, {}, problem));
        QVERIFY(problem.find("long leg") != std::string::npos);
    }

    void bybitPlaceRequest()
    {
        std::string problem;
        auto request = sellLong(Venue::BybitLinear, "BTCUSDT");
        request.positionSide = PositionSide::Long;
        const auto built = buildPlaceOrderRequest(request, {}, problem);
        QVERIFY2(built, problem.c_str());
        QCOMPARE(built->path, std::string("/v5/order/create"));
        const json body = json::parse(built->body);
        QCOMPARE(body.at("category"), "linear");
        QCOMPARE(body.at("symbol"), "BTCUSDT");
        QCOMPARE(body.at("side"), "Sell");
        QCOMPARE(body.at("orderType"), "Market");
        QCOMPARE(body.at("qty"), "0.5");
        QCOMPARE(body.at("reduceOnly"), true);
        QCOMPARE(body.at("positionIdx"), 1);
        QCOMPARE(body.at("orderLinkId"), "mm1abc7");
        const auto lookups = buildLookupOrderRequests(request, problem);
        QCOMPARE(lookups.size(), std::size_t(2));
        QCOMPARE(lookups[0].path, std::string("/v5/order/realtime"));
        QCOMPARE(lookups[1].path, std::string("/v5/order/history"));
        QCOMPARE(lookups[0].query, std::string("category=linear&symbol=BTCUSDT&orderLinkId=mm1abc7"));
    }

    void okxPlaceRequest()
    {
        std::string problem;
        auto request = sellLong(Venue::OkxSwap, "BTC-USDT-SWAP");
        request.marginMode = MarginMode::Isolated;
        const auto built = buildPlaceOrderRequest(request, okxDetails(), problem);
        QVERIFY2(built, problem.c_str());
        QCOMPARE(built->path, std::string("/api/v5/trade/order"));
        const json body = json::parse(built->body);
        QCOMPARE(body.at("instId"), "BTC-USDT-SWAP");
        QCOMPARE(body.at("tdMode"), "isolated");
        QCOMPARE(body.at("side"), "sell");
        QCOMPARE(body.at("ordType"), "market");
        QCOMPARE(body.at("sz"), "50"); // 0.5 BTC / 0.01 BTC per contract
        QCOMPARE(body.at("reduceOnly"), true);
        QCOMPARE(body.at("clOrdId"), "mm1abc7");
        QVERIFY(!body.contains("posSide"));
        request.positionSide = PositionSide::Long;
        const json hedge = json::parse(buildPlaceOrderRequest(request, okxDetails(), problem)->body);
        QCOMPARE(hedge.at("posSide"), "long");
        QVERIFY(!hedge.contains("reduceOnly"));
        QVERIFY(!buildPlaceOrderRequest(request, {}, problem)); // no ctVal
        QVERIFY(problem.find("ctVal") != std::string::npos);
        const auto lookups = buildLookupOrderRequests(request, problem);
        QCOMPARE(lookups.size(), std::size_t(1));
        QCOMPARE(lookups[0].query, std::string("instId=BTC-USDT-SWAP&clOrdId=mm1abc7"));
    }

    void binanceLookupRequest()
    {
        std::string problem;
        const auto lookups = buildLookupOrderRequests(sellLong(Venue::BinanceUsdm, "ETHUSDT"), problem);
        QCOMPARE(lookups.size(), std::size_t(1));
        QCOMPARE(lookups[0].method, OrderHttpMethod::Get);
        QCOMPARE(lookups[0].path, std::string("/fapi/v1/order"));
        QCOMPARE(lookups[0].query, std::string("symbol=ETHUSDT&origClientOrderId=mm1abc7"));
    }

    void refusedRequests()
    {
        std::string problem;
        auto request = sellLong(Venue::Hyperliquid, "BTC");
        QVERIFY(!buildPlaceOrderRequest(request, {}, problem));
        QVERIFY(problem.find("EIP-712") != std::string::npos);
        request = sellLong(Venue::BinanceUsdm, "BTC USDT&x=1");
        QVERIFY(!buildPlaceOrderRequest(request, {}, problem));
        request = sellLong(Venue::OkxSwap, "BTC-USDT-SWAP");
        request.clientOrderId = "mm-1"; // OKX: letters and digits only
        QVERIFY(!buildPlaceOrderRequest(request, okxDetails(), problem));
        request = sellLong(Venue::BybitLinear, "BTCUSDT");
        request.quantity = Decimal();
        QVERIFY(!buildPlaceOrderRequest(request, {}, problem));
    }

    void answers_data()
    {
        QTest::addColumn<Venue>("venue");
        QTest::addColumn<bool>("lookup");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<OrderOutcome::Status>("expected");
        QTest::addColumn<QString>("filled");
        QTest::addColumn<QString>("average");
        QTest::addColumn<QString>("code");

        using S = OrderOutcome::Status;
        const Venue b = Venue::BinanceUsdm;
        const Venue y = Venue::BybitLinear;
        const Venue o = Venue::OkxSwap;
        // Binance New Order (RESULT) and Query Order answers.
        QTest::newRow("binance filled") << b << false << 200
            << QByteArray(R"({"clientOrderId":"mm1abc7","cumQty":"0.5","cumQuote":"31992","executedQty":"0.5","orderId":22542179,"avgPrice":"63984.00000","origQty":"0.5","price":"0","reduceOnly":true,"side":"SELL","positionSide":"BOTH","status":"FILLED","stopPrice":"0","closePosition":false,"symbol":"BTCUSDT","timeInForce":"GTC","type":"MARKET","origType":"MARKET","updateTime":1566818724722,"workingType":"CONTRACT_PRICE","priceProtect":false})")
            << S::Filled << "0.5" << "63984" << "";
        QTest::newRow("binance partial expired") << b << true << 200
            << QByteArray(R"({"orderId":1,"status":"EXPIRED","clientOrderId":"mm1abc7","executedQty":"0.2","avgPrice":"100.5","origQty":"0.5"})")
            << S::PartiallyFilled << "0.2" << "100.5" << "";
        QTest::newRow("binance new") << b << false << 200
            << QByteArray(R"({"orderId":1,"status":"NEW","clientOrderId":"mm1abc7","executedQty":"0","avgPrice":"0.00000"})")
            << S::Accepted << "0" << "" << "";
        QTest::newRow("binance numbers") << b << false << 200
            << QByteArray(R"({"orderId":1,"status":"FILLED","executedQty":0.5,"avgPrice":64000.1})")
            << S::Filled << "0.5" << "64000.1" << "";
        QTest::newRow("binance duplicate") << b << false << 400
            << QByteArray(R"({"code":-4116,"msg":"ClientOrderId is duplicated."})") << S::Duplicate << "0" << "" << "-4116";
        QTest::newRow("binance not found") << b << true << 400
            << QByteArray(R"({"code":-2013,"msg":"Order does not exist."})") << S::NotFound << "0" << "" << "-2013";
        QTest::newRow("binance -2013 on place") << b << false << 400
            << QByteArray(R"({"code":-2013,"msg":"Order does not exist."})") << S::Rejected << "0" << "" << "-2013";
        QTest::newRow("binance reduce-only") << b << false << 400
            << QByteArray(R"({"code":-2022,"msg":"ReduceOnly Order is rejected."})") << S::Rejected << "0" << "" << "-2022";
        QTest::newRow("binance permission") << b << false << 401
            << QByteArray(R"({"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."})") << S::Rejected << "0" << "" << "-2015";
        QTest::newRow("binance 429") << b << false << 429
            << QByteArray(R"({"code":-1003,"msg":"Too many requests"})") << S::Rejected << "0" << "" << "429";
        QTest::newRow("binance 418") << b << false << 418 << QByteArray("") << S::Rejected << "0" << "" << "418";
        QTest::newRow("binance -1003 in 400") << b << false << 400
            << QByteArray(R"({"code":-1003,"msg":"Too many requests"})") << S::Rejected << "0" << "" << "-1003";
        QTest::newRow("binance 503") << b << false << 503
            << QByteArray(R"({"code":-1000,"msg":"Unknown error, please check your request or try again later."})") << S::Unknown << "0" << "" << "";
        QTest::newRow("binance -1007") << b << false << 408
            << QByteArray(R"({"code":-1007,"msg":"Timeout waiting for response from backend server."})") << S::Unknown << "0" << "" << "-1007";
        QTest::newRow("binance no answer") << b << false << 0 << QByteArray() << S::Unknown << "0" << "" << "";
        QTest::newRow("binance html") << b << false << 200 << QByteArray("<html>502</html>") << S::Unknown << "0" << "" << "";
        QTest::newRow("binance truncated") << b << false << 200 << QByteArray("{\"orderId\":1,\"status\":\"FIL") << S::Unknown << "0" << "" << "";
        QTest::newRow("binance wrong types") << b << false << 200
            << QByteArray(R"({"orderId":{},"status":7,"executedQty":[1]})") << S::Unknown << "0" << "" << "";
        QTest::newRow("binance odd status") << b << false << 200
            << QByteArray(R"({"orderId":1,"status":"MOONED","executedQty":"1"})") << S::Unknown << "0" << "" << "";
        QTest::newRow("binance other order") << b << true << 200
            << QByteArray(R"({"orderId":1,"status":"FILLED","executedQty":"1","clientOrderId":"someoneelse"})") << S::Unknown << "0" << "" << "";
        // Bybit v5.
        QTest::newRow("bybit accepted") << y << false << 200
            << QByteArray(R"({"retCode":0,"retMsg":"OK","result":{"orderId":"1321003749386327552","orderLinkId":"mm1abc7"},"retExtInfo":{},"time":1672211918471})")
            << S::Accepted << "0" << "" << "";
        QTest::newRow("bybit filled") << y << true << 200
            << QByteArray(R"({"retCode":0,"retMsg":"OK","result":{"list":[{"orderId":"fd4300ae","orderLinkId":"mm1abc7","symbol":"BTCUSDT","price":"0","qty":"0.5","side":"Sell","orderStatus":"Filled","avgPrice":"63990.5","cumExecQty":"0.5","cumExecValue":"31995.25","orderType":"Market","reduceOnly":true}],"nextPageCursor":"","category":"linear"},"retExtInfo":{},"time":1684765770483})")
            << S::Filled << "0.5" << "63990.5" << "";
        QTest::newRow("bybit partial cancelled") << y << true << 200
            << QByteArray(R"({"retCode":0,"retMsg":"OK","result":{"list":[{"orderId":"a","orderLinkId":"mm1abc7","orderStatus":"PartiallyFilledCanceled","avgPrice":"10","cumExecQty":"0.1"}]}})")
            << S::PartiallyFilled << "0.1" << "10" << "";
        QTest::newRow("bybit cancelled unfilled") << y << true << 200
            << QByteArray(R"({"retCode":0,"retMsg":"OK","result":{"list":[{"orderId":"a","orderLinkId":"mm1abc7","orderStatus":"Cancelled","avgPrice":"","cumExecQty":"0"}]}})")
            << S::Rejected << "0" << "" << "Cancelled";
        QTest::newRow("bybit empty list") << y << true << 200
            << QByteArray(R"({"retCode":0,"retMsg":"OK","result":{"list":[],"nextPageCursor":"","category":"linear"},"retExtInfo":{},"time":1})")
            << S::NotFound << "0" << "" << "";
        QTest::newRow("bybit duplicate") << y << false << 200
            << QByteArray(R"({"retCode":110072,"retMsg":"OrderLinkedID is duplicate","result":{},"retExtInfo":{},"time":1})")
            << S::Duplicate << "0" << "" << "110072";
        QTest::newRow("bybit rate limit") << y << false << 200
            << QByteArray(R"({"retCode":10006,"retMsg":"Too many visits!","result":{},"retExtInfo":{},"time":1})")
            << S::Rejected << "0" << "" << "10006";
        QTest::newRow("bybit permission") << y << false << 200
            << QByteArray(R"({"retCode":10005,"retMsg":"Permission denied, please check your API key permissions.","result":{}})")
            << S::Rejected << "0" << "" << "10005";
        QTest::newRow("bybit internal") << y << false << 200
            << QByteArray(R"({"retCode":10016,"retMsg":"Internal server error.","result":{}})") << S::Unknown << "0" << "" << "10016";
        QTest::newRow("bybit 403 text") << y << false << 403 << QByteArray("access too frequent") << S::Unknown << "0" << "" << "";
        QTest::newRow("bybit list not array") << y << true << 200
            << QByteArray(R"({"retCode":0,"result":{"list":{"a":1}}})") << S::Unknown << "0" << "" << "";
        QTest::newRow("bybit retCode string") << y << false << 200
            << QByteArray(R"({"retCode":"0","result":{"orderId":"9"}})") << S::Accepted << "0" << "" << "";
        // OKX v5.
        QTest::newRow("okx accepted") << o << false << 200
            << QByteArray(R"({"code":"0","msg":"","data":[{"clOrdId":"mm1abc7","ordId":"312269865356374016","tag":"","ts":"1695190491421","sCode":"0","sMsg":""}],"inTime":"1695190491421339","outTime":"1695190491423240"})")
            << S::Accepted << "0" << "" << "";
        QTest::newRow("okx filled") << o << true << 200
            << QByteArray(R"({"code":"0","msg":"","data":[{"instType":"SWAP","instId":"BTC-USDT-SWAP","ordId":"680800019749904384","clOrdId":"mm1abc7","sz":"50","ordType":"market","side":"sell","accFillSz":"50","avgPx":"63980.2","state":"filled","reduceOnly":"true"}]})")
            << S::Filled << "0.5" << "63980.2" << "";
        QTest::newRow("okx partial") << o << true << 200
            << QByteArray(R"({"code":"0","msg":"","data":[{"ordId":"1","clOrdId":"mm1abc7","accFillSz":"3","avgPx":"10","state":"partially_filled"}]})")
            << S::PartiallyFilled << "0.03" << "10" << "";
        QTest::newRow("okx live") << o << true << 200
            << QByteArray(R"({"code":"0","msg":"","data":[{"ordId":"1","clOrdId":"mm1abc7","accFillSz":"0","avgPx":"","state":"live"}]})")
            << S::Accepted << "0" << "" << "";
        QTest::newRow("okx duplicate") << o << false << 200
            << QByteArray(R"({"code":"1","msg":"All operations failed","data":[{"clOrdId":"mm1abc7","ordId":"","tag":"","ts":"1","sCode":"51016","sMsg":"Duplicated clOrdId"}],"inTime":"1","outTime":"2"})")
            << S::Duplicate << "0" << "" << "51016";
        QTest::newRow("okx sCode under code 0") << o << false << 200
            << QByteArray(R"({"code":"0","msg":"","data":[{"clOrdId":"mm1abc7","ordId":"","sCode":"51169","sMsg":"no position"}]})")
            << S::Rejected << "0" << "" << "51169";
        QTest::newRow("okx not found") << o << true << 200
            << QByteArray(R"({"code":"51603","msg":"Order does not exist","data":[]})") << S::NotFound << "0" << "" << "51603";
        QTest::newRow("okx rate limit") << o << false << 429
            << QByteArray(R"({"code":"50011","msg":"Rate limit reached.","data":[]})") << S::Rejected << "0" << "" << "429";
        QTest::newRow("okx 50011 in 200") << o << false << 200
            << QByteArray(R"({"code":"50011","msg":"Rate limit reached.","data":[]})") << S::Rejected << "0" << "" << "50011";
        QTest::newRow("okx permission") << o << false << 401
            << QByteArray("{\"code\":\"50120\",\"msg\":\"API key doesn\x27t have permission\",\"data\":[]}") << S::Rejected << "0" << "" << "50120";
        QTest::newRow("okx busy") << o << false << 200
            << QByteArray(R"({"code":"50013","msg":"Systems are busy. Please try again later.","data":[]})") << S::Unknown << "0" << "" << "50013";
        QTest::newRow("okx 503") << o << false << 503
            << QByteArray(R"({"code":"50001","msg":"Service temporarily unavailable.","data":[]})") << S::Unknown << "0" << "" << "";
        QTest::newRow("okx garbage") << o << true << 200 << QByteArray("\x01\xff{") << S::Unknown << "0" << "" << "";
        QTest::newRow("okx data not array") << o << true << 200
            << QByteArray(R"({"code":"0","data":"filled"})") << S::Unknown << "0" << "" << "";
        QTest::newRow("okx accFillSz wrong type") << o << true << 200
            << QByteArray(R"({"code":"0","data":[{"state":"filled","accFillSz":true}]})") << S::Unknown << "0" << "" << "";
    }

    void answers()
    {
        QFETCH(Venue, venue);
        QFETCH(bool, lookup);
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(OrderOutcome::Status, expected);
        QFETCH(QString, filled);
        QFETCH(QString, average);
        QFETCH(QString, code);
        const OrderRequest request = sellLong(venue, venue == Venue::OkxSwap ? "BTC-USDT-SWAP" : "BTCUSDT");
        const std::string text(body.constData(), static_cast<std::size_t>(body.size()));
        const OrderAnswer answer{status, text};
        const OrderOutcome outcome = lookup ? parseLookupOrderAnswer(venue, answer, request, okxDetails())
                                            : parsePlaceOrderAnswer(venue, answer, request, okxDetails());
        QVERIFY2(outcome.status == expected,
                 (std::string(orderStatusName(outcome.status)) + " — " + outcome.message).c_str());
        QCOMPARE(QString::fromStdString(outcome.filledQuantity.toString()), filled);
        QCOMPARE(QString::fromStdString(outcome.averagePrice ? outcome.averagePrice->toString() : ""), average);
        QCOMPARE(QString::fromStdString(outcome.venueCode), code);
        QCOMPARE(outcome.clientOrderId, std::string("mm1abc7"));
        QVERIFY(!outcome.message.empty());
    }

    void clientOrderIds()
    {
        for (const Venue venue : {Venue::BinanceUsdm, Venue::BybitLinear, Venue::OkxSwap}) {
            QVERIFY(isValidClientOrderId(venue, "mm1abc7"));
            QVERIFY(!isValidClientOrderId(venue, ""));
            QVERIFY(!isValidClientOrderId(venue, "mm 1"));
            QVERIFY(!isValidClientOrderId(venue, std::string(37, 'a')));
        }
        QVERIFY(isValidClientOrderId(Venue::BinanceUsdm, "a.b:c/d_e-f"));
        QVERIFY(!isValidClientOrderId(Venue::BybitLinear, "a.b"));
        QVERIFY(isValidClientOrderId(Venue::BybitLinear, "a_b-c"));
        QVERIFY(!isValidClientOrderId(Venue::OkxSwap, "a_b"));
        QVERIFY(!isValidClientOrderId(Venue::OkxSwap, std::string(33, 'a')));
        QVERIFY(isValidClientOrderId(Venue::OkxSwap, std::string(32, 'a')));
        QVERIFY(isValidClientOrderId(Venue::BinanceUsdm, std::string(36, 'a')));
        QVERIFY(!isValidClientOrderId(Venue::Hyperliquid, "mm1"));

        std::set<std::string> seen;
        const std::uint64_t big = std::numeric_limits<std::uint64_t>::max();
        for (const auto& [prefix, run, episode] :
             std::vector<std::tuple<std::string, std::uint64_t, std::uint64_t>>{
                 {"mm", 1, 23}, {"mm", 12, 3}, {"mm", 123, 0}, {"mm", 0, 123}, {"mm", big, big},
                 {"deleverage-bot!", big, big}, {"", 5, 5}, {"--", 5, 6}, {"MM", 1, 23}}) {
            const std::string id = makeClientOrderId(prefix, run, episode);
            QVERIFY2(id.size() <= kPortableClientOrderIdLength, id.c_str());
            for (const Venue venue : {Venue::BinanceUsdm, Venue::BybitLinear, Venue::OkxSwap}) {
                QVERIFY2(isValidClientOrderId(venue, id), id.c_str());
            }
            QVERIFY2(seen.insert(id).second, id.c_str());
            QCOMPARE(makeClientOrderId(prefix, run, episode), id); // the same arguments, the same id
        }
    }
};

QTEST_APPLESS_MAIN(TestOrderProtocol)
#include "tst_order_protocol.moc"
