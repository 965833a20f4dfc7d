// The simulator's REST side as a real HTTP client sees it (Qt's QNetworkAccessManager, loopback).
#include "sim/exchange_simulator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QtTest>

class TestSimulatorRest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase() { m_simulator.reset(); }
    void servesTheVenuesPublicEndpoints_data();
    void servesTheVenuesPublicEndpoints();
    void hyperliquidInfoIsAPost();
    void unknownPathsAre404();
    void keepsConnectionsAlive();
    void injectedErrorsSpeakTheVenuesShape_data();
    void injectedErrorsSpeakTheVenuesShape();
    void stallHoldsAnswersUntilItEnds();

private:
    QByteArray get(const QString& path, int expectedStatus = 200, QByteArray* retryAfter = nullptr);
    std::unique_ptr<mm::sim::ExchangeSimulator> m_simulator;
    QNetworkAccessManager m_network;
};

void TestSimulatorRest::initTestCase()
{
    m_simulator = std::make_unique<mm::sim::ExchangeSimulator>(mm::sim::SimulatorOptions{});
    m_simulator->start();
}

QByteArray TestSimulatorRest::get(const QString& path, int expectedStatus, QByteArray* retryAfter)
{
    QNetworkReply* reply = m_network.get(QNetworkRequest(QUrl(QString("http://127.0.0.1:%1%2").arg(m_simulator->port()).arg(path))));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    [&] { QVERIFY(finished.wait(5000)); }();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    [&] { QCOMPARE(status, expectedStatus); }();
    if (retryAfter) {
        *retryAfter = reply->rawHeader("Retry-After");
    }
    const QByteArray body = reply->readAll();
    reply->deleteLater();
    return body;
}

void TestSimulatorRest::servesTheVenuesPublicEndpoints_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("check");
    QTest::newRow("binance time") << "/fapi/v1/time" << "serverTime";
    QTest::newRow("binance exchangeInfo") << "/fapi/v1/exchangeInfo" << "symbols";
    QTest::newRow("bybit time") << "/v5/market/time" << "result";
    QTest::newRow("bybit instruments") << "/v5/market/instruments-info?category=linear" << "result";
    QTest::newRow("okx time") << "/api/v5/public/time" << "data";
    QTest::newRow("okx instruments") << "/api/v5/public/instruments?instType=SWAP" << "data";
}

void TestSimulatorRest::servesTheVenuesPublicEndpoints()
{
    QFETCH(QString, path);
    QFETCH(QString, check);
    const QJsonObject body = QJsonDocument::fromJson(get(path)).object();
    QVERIFY2(body.contains(check), qPrintable(path));
    if (path.startsWith("/fapi/v1/exchangeInfo")) {
        const QJsonObject btc = body["symbols"].toArray().first().toObject();
        QCOMPARE(btc["contractType"].toString(), QString("PERPETUAL"));
        QCOMPARE(btc["filters"].toArray().first().toObject()["filterType"].toString(), QString("PRICE_FILTER"));
        QVERIFY(btc["filters"].toArray().first().toObject()["tickSize"].isString()); // strings, as Binance sends
    }
    if (path.startsWith("/v5/market/instruments")) {
        QCOMPARE(body["retCode"].toInt(), 0);
        QVERIFY(body["result"].toObject()["list"].toArray().first().toObject()["lotSizeFilter"].isObject());
    }
    if (path.startsWith("/api/v5/public/instruments")) {
        QCOMPARE(body["code"].toString(), QString("0"));
        QVERIFY(body["data"].toArray().first().toObject()["instId"].toString().endsWith("-USDT-SWAP"));
        QCOMPARE(body["data"].toArray().first().toObject()["ctVal"].toString(), QString("0.01"));
    }
}

void TestSimulatorRest::hyperliquidInfoIsAPost()
{
    QNetworkRequest request(QUrl(QString("http://127.0.0.1:%1/info").arg(m_simulator->port())));
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    QNetworkReply* reply = m_network.post(request, R"({"type":"metaAndAssetCtxs"})");
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(5000));
    const QJsonArray body = QJsonDocument::fromJson(reply->readAll()).array();
    reply->deleteLater();
    QCOMPARE(body.size(), 2);
    QCOMPARE(body[0].toObject()["universe"].toArray().first().toObject()["name"].toString(), QString("BTC"));
    QVERIFY(body[1].toArray().first().toObject()["markPx"].toString().toDouble() > 0);
}

void TestSimulatorRest::unknownPathsAre404()
{
    const QJsonObject body = QJsonDocument::fromJson(get("/fapi/v1/nothing", 404)).object();
    QVERIFY(body["msg"].toString().contains("no such endpoint"));
}

void TestSimulatorRest::keepsConnectionsAlive()
{
    get("/fapi/v1/time"); // a connection QNetworkAccessManager then keeps
    const auto connections = m_simulator->restConnectionsAccepted();
    const auto answered = m_simulator->restRequestsAnswered();
    for (int i = 0; i < 5; ++i) {
        get("/v5/market/time");
    }
    QCOMPARE(m_simulator->restConnectionsAccepted(), connections);
    QCOMPARE(m_simulator->restRequestsAnswered(), answered + 5);
}

void TestSimulatorRest::injectedErrorsSpeakTheVenuesShape_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("fault");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("retryAfter");
    QTest::addColumn<QString>("bodyHas");
    QTest::newRow("binance 429") << "/fapi/v1/time" << 429 << 429 << "1" << R"("code":-1003)";
    QTest::newRow("binance 418") << "/fapi/v1/time" << 418 << 418 << "120" << "banned until";
    QTest::newRow("binance 503") << "/fapi/v1/exchangeInfo" << 503 << 503 << "" << "Unknown error";
    QTest::newRow("bybit rate limit is retCode 10006") << "/v5/market/time" << 429 << 200 << "" << R"("retCode":10006)";
    QTest::newRow("okx 429") << "/api/v5/public/time" << 429 << 429 << "1" << R"("code":"50011")";
    QTest::newRow("okx 503") << "/api/v5/public/time" << 503 << 503 << "" << R"("code":"50001")";
}

void TestSimulatorRest::injectedErrorsSpeakTheVenuesShape()
{
    QFETCH(QString, path);
    QFETCH(int, fault);
    QFETCH(int, status);
    QFETCH(QString, retryAfter);
    QFETCH(QString, bodyHas);
    m_simulator->failRestRequests(fault, 2);
    for (int i = 0; i < 2; ++i) {
        QByteArray header;
        const QByteArray body = get(path, status, &header);
        QVERIFY2(body.contains(bodyHas.toUtf8()), body.constData());
        QCOMPARE(QString(header), retryAfter);
    }
    get(path); // the fault is over
}

void TestSimulatorRest::stallHoldsAnswersUntilItEnds()
{
    m_simulator->setStalled(true);
    QNetworkReply* reply = m_network.get(QNetworkRequest(QUrl(QString("http://127.0.0.1:%1/fapi/v1/time").arg(m_simulator->port()))));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(!finished.wait(300)); // held
    m_simulator->setStalled(false);
    QVERIFY(finished.wait(5000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    reply->deleteLater();
}

QTEST_GUILESS_MAIN(TestSimulatorRest)
#include "tst_simulator_rest.moc"
