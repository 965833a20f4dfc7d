// The webhook: alerts posted as JSON to a local HTTP server, retried, refused URLs named.
#include "net/webhook_sender.h"
#include "recording_http_server.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <nlohmann/json.hpp>

#include <QtTest>

using namespace mm;
using namespace std::chrono_literals;

namespace {

AlertEvent criticalAlert()
{
    AlertEvent alert;
    alert.episode = 1'700'000'000'000'001;
    alert.change = AlertChange::Escalated;
    alert.level = AlertLevel::Critical;
    alert.rule = AlertRuleKind::Distance;
    alert.subject = AlertSubject{0, 2, Venue::BinanceUsdm, "Binance main", "BTCUSDT", Side::Long};
    alert.value = 4.2;
    alert.threshold = 5;
    alert.markPrice = 57'500.5;
    alert.liquidationPrice = 55'085.0;
    alert.distancePct = 4.2;
    alert.message = "4.20 % to liquidation (critical below 5.0 %) — \"quoted\"";
    alert.wallTimeMs = 1'700'000'000'123;
    return alert;
}

template <typename Condition>
bool runUntil(boost::asio::io_context& io, Condition condition, std::chrono::milliseconds limit = 10s)
{
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!condition() && std::chrono::steady_clock::now() < end) {
        io.restart();
        io.run_for(10ms);
    }
    return condition();
}

} // namespace

class TestWebhook : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void postsTheAlertAsJson()
    {
        test::RecordingServer server;
        boost::asio::io_context io;
        WebhookSender sender(io, WebhookOptions{"http://127.0.0.1:" + std::to_string(server.port()) + "/push/margin?topic=mm", {}});
        sender.send(criticalAlert());
        QVERIFY(runUntil(io, [&] { return sender.delivered() == 1; }));
        const auto requests = server.requests();
        QCOMPARE(requests.size(), std::size_t{1});
        QCOMPARE(std::string(requests[0].method_string()), std::string("POST"));
        QCOMPARE(std::string(requests[0].target()), std::string("/push/margin?topic=mm"));
        QCOMPARE(std::string(requests[0][boost::beast::http::field::content_type]), std::string("application/json"));
        const auto body = nlohmann::json::parse(requests[0].body());
        QCOMPARE(body["source"].get<std::string>(), std::string("margin-monitor"));
        QCOMPARE(body["level"].get<std::string>(), std::string("critical"));
        QCOMPARE(body["change"].get<std::string>(), std::string("escalated"));
        QCOMPARE(body["title"].get<std::string>(), std::string("CRITICAL BTCUSDT long · Binance main"));
        QCOMPARE(body["message"].get<std::string>(), criticalAlert().message);
        QCOMPARE(body["venue"].get<std::string>(), std::string("binance-usdm"));
        QCOMPARE(body["episode"].get<std::uint64_t>(), criticalAlert().episode);
        QCOMPARE(body["markPrice"].get<double>(), 57'500.5);
        QCOMPARE(body["time"].get<std::string>(), std::string("2023-11-14T22:13:20.123Z"));
    }

    void onlyWhatShouldWakeSomeone()
    {
        test::RecordingServer server;
        boost::asio::io_context io;
        WebhookSender sender(io, WebhookOptions{"http://127.0.0.1:" + std::to_string(server.port()) + "/", {}});
        AlertEvent alert = criticalAlert();
        for (const AlertChange change : {AlertChange::Raised, AlertChange::Acknowledged, AlertChange::Snoozed, AlertChange::Escalated,
                                         AlertChange::Cleared}) {
            alert.change = change;
            sender.send(alert);
        }
        QVERIFY(runUntil(io, [&] { return sender.delivered() == 3; }));
        const auto requests = server.requests();
        QCOMPARE(requests.size(), std::size_t{3});
        QStringList changes;
        for (const auto& request : requests) {
            changes << QString::fromStdString(nlohmann::json::parse(request.body())["change"].get<std::string>());
        }
        QCOMPARE(changes, QStringList({"raised", "escalated", "cleared"})); // in order
    }

    void retriedAfterAFailure()
    {
        test::RecordingServer server({500, 503});
        boost::asio::io_context io;
        WebhookOptions options{"http://127.0.0.1:" + std::to_string(server.port()) + "/hook", {}};
        options.retryDelay = 20ms;
        WebhookSender sender(io, options);
        sender.send(criticalAlert());
        QVERIFY(runUntil(io, [&] { return sender.delivered() == 1; }));
        QCOMPARE(server.requests().size(), std::size_t{3});
        QCOMPARE(sender.failed(), std::uint64_t{0});
    }

    void undeliverableIsSaid()
    {
        std::uint16_t port = 0;
        {
            boost::asio::io_context probe;
            boost::asio::ip::tcp::acceptor acceptor(probe, {boost::asio::ip::make_address("127.0.0.1"), 0});
            port = acceptor.local_endpoint().port(); // closed again: nothing listens there
        }
        boost::asio::io_context io;
        WebhookOptions options{"http://127.0.0.1:" + std::to_string(port) + "/hook", {}};
        options.retryDelay = 10ms;
        options.maxAttempts = 2;
        WebhookSender sender(io, options);
        std::vector<std::string> problems;
        sender.onProblem([&](const std::string& text) { problems.push_back(text); });
        sender.send(criticalAlert());
        QVERIFY(runUntil(io, [&] { return sender.failed() == 1; }));
        QCOMPARE(problems.size(), std::size_t{1});
        QVERIFY2(QString::fromStdString(problems[0]).contains("could not deliver critical BTCUSDT long · Binance main after 2 attempts"),
                 problems[0].c_str());
        QCOMPARE(sender.waiting(), std::size_t{0});
    }

    void refusedUrls_data()
    {
        QTest::addColumn<QString>("url");
        QTest::newRow("plain http to the internet") << "http://push.example.com/hook";
        QTest::newRow("not a URL") << "phone";
        QTest::newRow("ftp") << "ftp://127.0.0.1/hook";
    }
    void refusedUrls()
    {
        QFETCH(QString, url);
        boost::asio::io_context io;
        try {
            WebhookSender sender(io, WebhookOptions{url.toStdString(), {}});
            QFAIL("accepted");
        } catch (const std::invalid_argument& error) {
            QVERIFY2(QString::fromUtf8(error.what()).startsWith("webhook \"" + url + "\": "), error.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestWebhook)
#include "tst_webhook.moc"
