// Request signing for the keyed venues: Binance's published example, and vectors of our own for
// Bybit and OKX computed independently with the openssl command line, e.g.
//   printf '%s' "$text" | openssl dgst -sha256 -hmac "$secret"                  (hex)
//   printf '%s' "$text" | openssl dgst -sha256 -hmac "$secret" -binary | base64  (base64)
#include "net/signer.h"
#include "venues/binance_usdm/binance_signing.h"
#include "venues/bybit_linear/bybit_signing.h"
#include "venues/okx_swap/okx_signing.h"

#include <nlohmann/json.hpp>

#include <QtTest>

using namespace mm;

namespace {
constexpr std::string_view kBybitKey = "XXXXXXXXXX";
constexpr std::string_view kBybitSecret = "YYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYY";
constexpr std::string_view kOkxSecret = "22582BD0CFF14C41EDBF1AB98506286D";
} // namespace

class TestRequestSigning : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void binancePublishedExample();
    void binanceSignsQueryAndBody();
    void bybitRest_data();
    void bybitRest();
    void bybitWebSocketAuth();
    void okxRest_data();
    void okxRest();
    void okxWebSocketLogin();
    void okxTimestamps_data();
    void okxTimestamps();
    void signaturesCompare();
};

void TestRequestSigning::binancePublishedExample()
{
    // "SIGNED Endpoint Examples for POST /fapi/v1/order" in Binance's futures API documentation.
    const std::string query =
        "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943";
    const std::string secret = "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9";
    QCOMPARE(binance::signature(query, "", secret), std::string("3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9"));
    QCOMPARE(binance::signedQuery(query, "", secret),
             query + "&signature=3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9");
    QCOMPARE(binance::kApiKeyHeader, std::string_view("X-MBX-APIKEY"));
}

void TestRequestSigning::binanceSignsQueryAndBody()
{
    // Query and body are concatenated as they are: splitting the same text differently signs the same.
    const std::string secret = "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9";
    QCOMPARE(binance::signature("symbol=BTCUSDT&side=BUY", "&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943", secret),
             std::string("3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9"));
    QCOMPARE(binance::signedQuery("", "", secret).rfind("signature=", 0), std::size_t(0));
}

void TestRequestSigning::bybitRest_data()
{
    QTest::addColumn<qint64>("timestamp");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("GET position list") << qint64(1658384314791) << QByteArray("category=linear&settleCoin=USDT")
                                       << QByteArray("f72a16c38014810f27331f2ec1f4ba244c2cf5dbb9223570ecab4154bd28df2d");
    QTest::newRow("POST reduce-only order")
        << qint64(1658384431891)
        << QByteArray(R"({"category":"linear","symbol":"BTCUSDT","side":"Sell","orderType":"Market","qty":"0.010","reduceOnly":true,"positionIdx":0,"orderLinkId":"mm-1"})")
        << QByteArray("74fdf8a71a49767c5ac8b89570bce8741f4f3931d39d3b07bf3a443450b283f3");
}

void TestRequestSigning::bybitRest()
{
    QFETCH(qint64, timestamp);
    QFETCH(QByteArray, payload);
    QFETCH(QByteArray, expected);
    const auto headers = bybit::signedHeaders(kBybitKey, kBybitSecret, timestamp, payload.toStdString());
    QCOMPARE(headers.sign, expected.toStdString());
    QCOMPARE(headers.apiKey, std::string(kBybitKey));
    QCOMPARE(headers.timestamp, std::to_string(timestamp));
    QCOMPARE(headers.recvWindow, std::string("5000"));
    // The receive window is part of what is signed.
    QVERIFY(bybit::signature(kBybitSecret, timestamp, kBybitKey, 10000, payload.toStdString()) != headers.sign);
}

void TestRequestSigning::bybitWebSocketAuth()
{
    const auto message = nlohmann::json::parse(bybit::wsAuthMessage(kBybitKey, kBybitSecret, 1662350400000, "7"));
    QCOMPARE(message["op"].get<std::string>(), std::string("auth"));
    QCOMPARE(message["req_id"].get<std::string>(), std::string("7"));
    QCOMPARE(message["args"][0].get<std::string>(), std::string(kBybitKey));
    QCOMPARE(message["args"][1].get<std::int64_t>(), std::int64_t(1662350400000)); // a number, as Bybit documents
    QCOMPARE(message["args"][2].get<std::string>(), std::string("9f96338b434359fa6300c2d0040ffe25962cbc700dac649bfc7c59ef64431f89"));
}

void TestRequestSigning::okxRest_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("GET balance") << QByteArray("GET") << QByteArray("/api/v5/account/balance?ccy=BTC") << QByteArray()
                                 << QByteArray("HiZhvSfMtWJA3uUIVXV3a/bSXNPCWvYFXoGCVS8V4zY=");
    QTest::newRow("POST reduce-only order")
        << QByteArray("POST") << QByteArray("/api/v5/trade/order")
        << QByteArray(R"({"instId":"BTC-USDT-SWAP","tdMode":"cross","side":"sell","ordType":"market","sz":"1","reduceOnly":true,"clOrdId":"mm1"})")
        << QByteArray("c/Z9qwQHuCuk//1Y3YL2vKYEM6hndtTtCXzYLTBKBFE=");
}

void TestRequestSigning::okxRest()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, expected);
    const auto headers = okx::signedHeaders("key", "pass phrase", kOkxSecret, 1607418537715, method.toStdString(),
                                            path.toStdString(), body.toStdString());
    QCOMPARE(headers.timestamp, std::string("2020-12-08T09:08:57.715Z"));
    QCOMPARE(headers.sign, expected.toStdString());
    QCOMPARE(headers.passphrase, std::string("pass phrase"));
}

void TestRequestSigning::okxWebSocketLogin()
{
    const auto message = nlohmann::json::parse(okx::wsLoginMessage("key", "pass", kOkxSecret, 1538054050));
    QCOMPARE(message["op"].get<std::string>(), std::string("login"));
    const auto& args = message["args"][0];
    QCOMPARE(args["apiKey"].get<std::string>(), std::string("key"));
    QCOMPARE(args["passphrase"].get<std::string>(), std::string("pass"));
    QCOMPARE(args["timestamp"].get<std::string>(), std::string("1538054050")); // seconds, as text
    QCOMPARE(args["sign"].get<std::string>(), std::string("+LdIr8lkkvhr5hoA3g9TMC0+uQJ849ftAcocA/ouu4M="));
}

void TestRequestSigning::okxTimestamps_data()
{
    QTest::addColumn<qint64>("unixMs");
    QTest::addColumn<QString>("iso");
    QTest::newRow("documented") << qint64(1607418537715) << "2020-12-08T09:08:57.715Z";
    QTest::newRow("whole second") << qint64(1700000000000) << "2023-11-14T22:13:20.000Z";
    QTest::newRow("epoch") << qint64(0) << "1970-01-01T00:00:00.000Z";
    QTest::newRow("leap day") << qint64(1709164800001) << "2024-02-29T00:00:00.001Z";
}

void TestRequestSigning::okxTimestamps()
{
    QFETCH(qint64, unixMs);
    QFETCH(QString, iso);
    QCOMPARE(QString::fromStdString(okx::isoTimestamp(unixMs)), iso);
}

void TestRequestSigning::signaturesCompare()
{
    QVERIFY(sameSignature("abc", "abc"));
    QVERIFY(!sameSignature("abc", "abd"));
    QVERIFY(!sameSignature("abc", "abcd"));
    QVERIFY(sameSignature("", ""));
}

QTEST_APPLESS_MAIN(TestRequestSigning)
#include "tst_request_signing.moc"
