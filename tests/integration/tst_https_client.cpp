// REST over loopback against the exchange simulator, TLS verified with a throw-away CA made at test
// time: answers over one kept-alive connection, a connection the venue closed reopened unseen,
// 429 / 418 / 503 as outcomes of their own, a timeout that discards its connection, certificates
// refused with a clear message — and a POST never sent twice.
#include "net/https_client.h"
#include "sim/exchange_simulator.h"
#include "recording_http_server.h"
#include "test_certificates.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <QTemporaryDir>
#include <QtTest>

#include <future>
#include <mutex>
#include <optional>
#include <thread>

using namespace mm;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(mm::HttpOutcome)
Q_DECLARE_METATYPE(mm::HttpMethod)

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

/// The client's io_context on a thread of its own, as in the app.
class IoThread {
public:
    IoThread() : m_work(asio::make_work_guard(m_io)), m_thread([this] { m_io.run(); }) {}
    ~IoThread()
    {
        m_work.reset();
        asio::post(m_io, [this] { m_io.stop(); });
        m_thread.join();
    }
    IoThread(const IoThread&) = delete;
    IoThread& operator=(const IoThread&) = delete;
    asio::io_context& io() { return m_io; }

private:
    asio::io_context m_io;
    asio::executor_work_guard<asio::io_context::executor_type> m_work;
    std::thread m_thread;
};

HttpRequest get(std::string target, std::chrono::milliseconds timeout = 10s)
{
    HttpRequest request;
    request.target = std::move(target);
    request.timeout = timeout;
    return request;
}

HttpRequest post(std::string target, std::string body)
{
    HttpRequest request;
    request.method = HttpMethod::Post;
    request.target = std::move(target);
    request.body = std::move(body);
    return request;
}

std::future<HttpResponse> send(HttpsClient& client, HttpRequest request)
{
    auto promise = std::make_shared<std::promise<HttpResponse>>();
    auto future = promise->get_future();
    client.request(std::move(request), [promise](HttpResponse response) { promise->set_value(std::move(response)); });
    return future;
}

/// The answer, or nullopt if none came within `wait` (longer than any request's own timeout here).
std::optional<HttpResponse> await(std::future<HttpResponse>& future, std::chrono::seconds wait = 20s)
{
    if (future.wait_for(wait) != std::future_status::ready) {
        return std::nullopt;
    }
    return future.get();
}

std::optional<HttpResponse> fetch(HttpsClient& client, HttpRequest request)
{
    auto future = send(client, std::move(request));
    return await(future);
}

QString describe(const HttpResponse& response)
{
    return QString("%1, HTTP %2, %3: %4")
        .arg(QString::fromUtf8(httpOutcomeName(response.outcome).data(),
                               static_cast<int>(httpOutcomeName(response.outcome).size())))
        .arg(response.status)
        .arg(QString::fromStdString(response.error))
        .arg(QString::fromStdString(response.body.substr(0, 200)));
}

std::uint16_t freePort()
{
    asio::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    return acceptor.local_endpoint().port(); // closed on return: nothing listens there
}

} // namespace

class TestHttpsClient : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void answersOverTls_data();
    void answersOverTls();
    void keepsOneConnectionAlive();
    void reopensAConnectionTheVenueClosed_data();
    void reopensAConnectionTheVenueClosed();
    void venueRefusalsAreOutcomesOfTheirOwn_data();
    void venueRefusalsAreOutcomesOfTheirOwn();
    void timesOutAndNeverTakesTheLateAnswer();
    void handshakeCountsAgainstTheTimeout();
    void deadKeptAliveConnection_data();
    void deadKeptAliveConnection();
    void refusesAnUntrustedCertificate_data();
    void refusesAnUntrustedCertificate();
    void connectionRefused();
    void closeAnswersEveryRequest();
    void sendsTheHeadersAVenueNeeds();
    void refusesTargetsThatWouldSplitTheRequest();
    void plainHttpOnlyToLoopback();
    void resendRule_data();
    void resendRule();
    void parsesRetryAfter_data();
    void parsesRetryAfter();

private:
    std::unique_ptr<sim::ExchangeSimulator> startSimulator(sim::SimulatorOptions options = {},
                                                           const QString& certificate = "server")
    {
        options.certificateFile = m_dir.filePath(certificate + ".pem").toStdString();
        options.privateKeyFile = m_dir.filePath(certificate + ".key").toStdString();
        auto simulator = std::make_unique<sim::ExchangeSimulator>(options);
        simulator->start();
        return simulator;
    }
    std::shared_ptr<HttpsClient> makeClient(asio::io_context& io, std::uint16_t port,
                                            std::optional<std::string> caFile = std::nullopt)
    {
        std::string problem;
        HttpsOptions options;
        options.url = HttpUrl::parse("https://127.0.0.1:" + std::to_string(port), problem).value();
        options.trust.caFile = caFile.value_or(m_dir.filePath("ca.pem").toStdString());
        return HttpsClient::create(io, std::move(options));
    }

    QTemporaryDir m_dir;
};

void TestHttpsClient::initTestCase()
{
    // A throw-away CA; a server certificate for 127.0.0.1 and localhost, and one from the same CA
    // for another host — made here, never kept.
    QVERIFY(m_dir.isValid());
    QString problem = test::makeTestCertificates(m_dir.path());
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    problem = test::makeServerCertificate(m_dir.path(), "elsewhere", "DNS:elsewhere.example");
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TestHttpsClient::answersOverTls_data()
{
    QTest::addColumn<HttpMethod>("method");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("expected");
    QTest::newRow("binance time") << HttpMethod::Get << "/fapi/v1/time"
                                  << ""
                                  << "serverTime";
    QTest::newRow("binance exchangeInfo") << HttpMethod::Get << "/fapi/v1/exchangeInfo"
                                          << ""
                                          << "PERPETUAL";
    QTest::newRow("bybit time") << HttpMethod::Get << "/v5/market/time"
                                << ""
                                << "timeSecond";
    QTest::newRow("okx time") << HttpMethod::Get << "/api/v5/public/time"
                              << ""
                              << "\"ts\"";
    QTest::newRow("hyperliquid POST /info") << HttpMethod::Post << "/info"
                                            << R"({"type":"meta"})"
                                            << "universe";
}

void TestHttpsClient::answersOverTls()
{
    QFETCH(HttpMethod, method);
    QFETCH(QString, target);
    QFETCH(QString, body);
    QFETCH(QString, expected);
    const auto simulator = startSimulator();
    IoThread io;
    const auto client = makeClient(io.io(), simulator->port());
    HttpRequest request;
    request.method = method;
    request.target = target.toStdString();
    request.body = body.toStdString();
    const auto response = fetch(*client, request);
    QVERIFY(response);
    QVERIFY2(response->outcome == HttpOutcome::Ok, qPrintable(describe(*response)));
    QCOMPARE(response->status, 200);
    QVERIFY2(QString::fromStdString(response->body).contains(expected), qPrintable(describe(*response)));
    QVERIFY(response->error.empty());
    QVERIFY(response->sent);
    QVERIFY(!response->reused);
    QVERIFY(response->elapsed > 0ns);
    QCOMPARE(response->header("CONTENT-TYPE").value_or(""), std::string_view("application/json"));
    QVERIFY(!response->retryAfter);
    const HttpsStats stats = client->stats();
    QCOMPARE(stats.connectionsOpened, std::uint64_t(1));
    QCOMPARE(stats.requestsSent, std::uint64_t(1));
    QVERIFY(stats.lastError.empty());
}

void TestHttpsClient::keepsOneConnectionAlive()
{
    // Six requests queued at once from this thread: answered in order, one after the other, all on
    // the one connection the simulator accepted.
    const auto simulator = startSimulator();
    IoThread io;
    const auto client = makeClient(io.io(), simulator->port());
    std::vector<std::future<HttpResponse>> futures;
    for (int i = 0; i < 6; ++i) {
        futures.push_back(send(*client, get(i % 2 == 0 ? "/fapi/v1/time" : "/fapi/v1/exchangeInfo")));
    }
    for (int i = 0; i < 6; ++i) {
        const auto response = await(futures[static_cast<std::size_t>(i)]);
        QVERIFY(response);
        QVERIFY2(response->outcome == HttpOutcome::Ok, qPrintable(describe(*response)));
        QVERIFY2(QString::fromStdString(response->body).contains(i % 2 == 0 ? "serverTime" : "symbols"),
                 qPrintable(describe(*response)));
        QCOMPARE(response->reused, i > 0);
        QVERIFY(i == 0 || response->queued > 0ns); // behind the first, at least while it connected
    }
    QCOMPARE(simulator->restConnectionsAccepted(), std::uint64_t(1));
    QCOMPARE(simulator->restRequestsAnswered(), std::uint64_t(6));
    const HttpsStats stats = client->stats();
    QCOMPARE(stats.connectionsOpened, std::uint64_t(1));
    QCOMPARE(stats.requestsSent, std::uint64_t(6));
    QCOMPARE(stats.resent, std::uint64_t(0));
}

void TestHttpsClient::reopensAConnectionTheVenueClosed_data()
{
    QTest::addColumn<bool>("idleTimeout");
    QTest::newRow("dropped by the venue") << false;
    QTest::newRow("closed after the venue's idle limit") << true;
}

void TestHttpsClient::reopensAConnectionTheVenueClosed()
{
    QFETCH(bool, idleTimeout);
    sim::SimulatorOptions options;
    options.restIdleTimeout = 200ms;
    const auto simulator = startSimulator(options);
    IoThread io;
    const auto client = makeClient(io.io(), simulator->port());
    auto first = fetch(*client, get("/fapi/v1/time"));
    QVERIFY(first && first->outcome == HttpOutcome::Ok);
    if (idleTimeout) {
        // Nothing on either side shows that the venue hung up, so this waits its limit out.
        QTest::qWait(600);
    } else {
        simulator->dropConnections();
    }
    const auto second = fetch(*client, get("/fapi/v1/time"));
    QVERIFY(second);
    QVERIFY2(second->outcome == HttpOutcome::Ok, qPrintable(describe(*second)));
    QVERIFY(!second->reused); // a fresh connection …
    QCOMPARE(client->stats().connectionsOpened, std::uint64_t(2));
    QCOMPARE(client->stats().resent, std::uint64_t(0)); // … seen to be needed before sending, not after
    QCOMPARE(simulator->restConnectionsAccepted(), std::uint64_t(2));
}

void TestHttpsClient::venueRefusalsAreOutcomesOfTheirOwn_data()
{
    QTest::addColumn<int>("fault");
    QTest::addColumn<QString>("target");
    QTest::addColumn<HttpOutcome>("outcome");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("retryAfter"); // seconds; -1: none
    QTest::addColumn<QString>("words");
    QTest::newRow("429 rate limited") << 429 << "/fapi/v1/time" << HttpOutcome::RateLimited << 429 << 1
                                      << "rate-limiting";
    QTest::newRow("418 banned") << 418 << "/fapi/v1/time" << HttpOutcome::Banned << 418 << 120 << "banned";
    QTest::newRow("503 unknown") << 503 << "/fapi/v1/time" << HttpOutcome::Unavailable << 503 << -1
                                 << "does not know whether it executed";
    QTest::newRow("okx 429") << 429 << "/api/v5/public/time" << HttpOutcome::RateLimited << 429 << 1 << "rate-limiting";
    QTest::newRow("404 no such path") << 0 << "/fapi/v1/nothing" << HttpOutcome::HttpError << 404 << -1 << "404";
}

void TestHttpsClient::venueRefusalsAreOutcomesOfTheirOwn()
{
    QFETCH(int, fault);
    QFETCH(QString, target);
    QFETCH(HttpOutcome, outcome);
    QFETCH(int, status);
    QFETCH(int, retryAfter);
    QFETCH(QString, words);
    const auto simulator = startSimulator();
    IoThread io;
    const auto client = makeClient(io.io(), simulator->port());
    if (fault != 0) {
        simulator->failRestRequests(fault, 1);
    }
    const auto refused = fetch(*client, get(target.toStdString()));
    QVERIFY(refused);
    QVERIFY2(refused->outcome == outcome, qPrintable(describe(*refused)));
    QCOMPARE(refused->status, status);
    QCOMPARE(refused->retryAfter.has_value(), retryAfter >= 0);
    if (retryAfter >= 0) {
        QCOMPARE(refused->retryAfter->count(), std::int64_t(retryAfter));
    }
    QVERIFY2(QString::fromStdString(refused->error).contains(words), refused->error.c_str());
    QVERIFY(!refused->body.empty()); // the venue's own words, for the caller to read
    QCOMPARE(client->stats().lastError, refused->error);
    // The refusal did not cost the connection: the next request goes on it and is answered.
    const auto next = fetch(*client, get("/fapi/v1/time"));
    QVERIFY(next);
    QVERIFY2(next->outcome == HttpOutcome::Ok, qPrintable(describe(*next)));
    QVERIFY(next->reused);
    QCOMPARE(simulator->restConnectionsAccepted(), std::uint64_t(1));
}

void TestHttpsClient::timesOutAndNeverTakesTheLateAnswer()
{
    const auto simulator = startSimulator();
    IoThread io;
    const auto client = makeClient(io.io(), simulator->port());
    const auto warmUp = fetch(*client, get("/fapi/v1/time"));
    QVERIFY(warmUp && warmUp->outcome == HttpOutcome::Ok);

    simulator->setStalled(true);
    const auto timeout = 300ms;
    const auto late = fetch(*client, get("/fapi/v1/exchangeInfo", timeout));
    QVERIFY(late);
    QVERIFY2(late->outcome == HttpOutcome::Timeout, qPrintable(describe(*late)));
    QVERIFY(late->sent);
    QVERIFY(late->reused);
    QCOMPARE(late->status, 0);
    QVERIFY2(late->elapsed >= timeout && late->elapsed < timeout + 250ms,
             qPrintable(QString("timed out after %1 ms")
                            .arg(std::chrono::duration_cast<std::chrono::milliseconds>(late->elapsed).count())));
    QVERIFY2(QString::fromStdString(late->error).contains("may or may not have been executed"), late->error.c_str());

    // The stall ends; the venue sends its late answer (to a connection no longer there) before the
    // next request is made. That request gets its own answer, on a new connection.
    simulator->setStalled(false);
    QTRY_COMPARE_WITH_TIMEOUT(simulator->restRequestsAnswered(), std::uint64_t(2), 5000);
    const auto next = fetch(*client, get("/fapi/v1/time"));
    QVERIFY(next);
    QVERIFY2(next->outcome == HttpOutcome::Ok, qPrintable(describe(*next)));
    QVERIFY2(QString::fromStdString(next->body).contains("serverTime"), qPrintable(describe(*next)));
    QVERIFY2(!QString::fromStdString(next->body).contains("symbols"),
             "the late exchangeInfo answer was taken for this one");
    QVERIFY(!next->reused);
    QCOMPARE(client->stats().connectionsOpened, std::uint64_t(2));
}

void TestHttpsClient::handshakeCountsAgainstTheTimeout()
{
    // A port that accepts TCP (the kernel does, from the backlog) and never speaks TLS.
    asio::io_context silentIo;
    tcp::acceptor silent(silentIo, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    IoThread io;
    const auto client = makeClient(io.io(), silent.local_endpoint().port());
    const auto response = fetch(*client, get("/fapi/v1/time", 300ms));
    QVERIFY(response);
    QVERIFY2(response->outcome == HttpOutcome::Timeout, qPrintable(describe(*response)));
    QVERIFY(!response->sent);
    QVERIFY2(QString::fromStdString(response->error).contains("the request was not sent"), response->error.c_str());
    QVERIFY(response->elapsed >= 300ms && response->elapsed < 550ms);
    QCOMPARE(client->stats().connectionsOpened, std::uint64_t(0));
}

void TestHttpsClient::deadKeptAliveConnection_data()
{
    QTest::addColumn<HttpMethod>("method");
    QTest::newRow("GET is sent again on a fresh connection") << HttpMethod::Get;
    QTest::newRow("PUT is sent again on a fresh connection") << HttpMethod::Put;
    QTest::newRow("POST is never sent twice") << HttpMethod::Post;
}

void TestHttpsClient::deadKeptAliveConnection()
{
    // The venue closes the kept-alive connection after the request went out on it and before any
    // answer: the stall holds the request, then the venue drops every connection.
    QFETCH(HttpMethod, method);
    const auto simulator = startSimulator();
    IoThread io;
    const auto client = makeClient(io.io(), simulator->port());
    const auto warmUp = fetch(*client, get("/fapi/v1/time"));
    QVERIFY(warmUp && warmUp->outcome == HttpOutcome::Ok);

    simulator->setStalled(true);
    HttpRequest request =
        method == HttpMethod::Post ? post("/info", R"({"type":"meta"})") : get("/fapi/v1/exchangeInfo");
    request.method = method;
    auto future = send(*client, request);
    QTRY_COMPARE_WITH_TIMEOUT(client->stats().requestsSent, std::uint64_t(2), 5000);
    simulator->dropConnections();

    if (isIdempotent(method)) {
        QTRY_COMPARE_WITH_TIMEOUT(client->stats().resent, std::uint64_t(1), 5000);
        simulator->setStalled(false);
        const auto response = await(future);
        QVERIFY(response);
        // The simulator answers a PUT it does not know with 404: an answer all the same.
        QVERIFY2(response->outcome == (method == HttpMethod::Get ? HttpOutcome::Ok : HttpOutcome::HttpError),
                 qPrintable(describe(*response)));
        QVERIFY(!response->reused);
        QCOMPARE(client->stats().connectionsOpened, std::uint64_t(2));
        QCOMPARE(client->stats().requestsSent, std::uint64_t(3));
        QCOMPARE(simulator->restConnectionsAccepted(), std::uint64_t(2));
    } else {
        const auto response = await(future);
        QVERIFY(response);
        QVERIFY2(response->outcome == HttpOutcome::NetworkError, qPrintable(describe(*response)));
        QVERIFY(response->sent);
        QVERIFY(response->reused);
        QVERIFY2(QString::fromStdString(response->error).contains("may or may not have reached the venue") &&
                     QString::fromStdString(response->error).contains("not sent again"),
                 response->error.c_str());
        QCOMPARE(client->stats().resent, std::uint64_t(0));
        QCOMPARE(client->stats().requestsSent, std::uint64_t(2));
        simulator->setStalled(false);
        QCOMPARE(simulator->restConnectionsAccepted(), std::uint64_t(1)); // no second connection carried it
    }
}

void TestHttpsClient::refusesAnUntrustedCertificate_data()
{
    QTest::addColumn<QString>("certificate");
    QTest::addColumn<bool>("trustOurCa");
    QTest::newRow("CA unknown to the system store") << "server" << false;
    QTest::newRow("trusted CA, certificate for another host") << "elsewhere" << true;
}

void TestHttpsClient::refusesAnUntrustedCertificate()
{
    QFETCH(QString, certificate);
    QFETCH(bool, trustOurCa);
    const auto simulator = startSimulator({}, certificate);
    IoThread io;
    const auto client =
        makeClient(io.io(), simulator->port(), trustOurCa ? std::nullopt : std::optional<std::string>(""));
    const auto response = fetch(*client, get("/fapi/v1/time"));
    QVERIFY(response);
    QVERIFY2(response->outcome == HttpOutcome::NetworkError, qPrintable(describe(*response)));
    QVERIFY2(QString::fromStdString(response->error).contains("certificate is not trusted or is not for this host") &&
                 QString::fromStdString(response->error).contains("certificate verify failed"),
             response->error.c_str());
    QVERIFY(!response->sent);
    QCOMPARE(response->status, 0);
    QCOMPARE(client->stats().connectionsOpened, std::uint64_t(0));
    QCOMPARE(simulator->restRequestsAnswered(), std::uint64_t(0));
}

void TestHttpsClient::connectionRefused()
{
    IoThread io;
    const std::uint16_t port = freePort();
    const auto client = makeClient(io.io(), port);
    const auto response = fetch(*client, get("/fapi/v1/time"));
    QVERIFY(response);
    QVERIFY2(response->outcome == HttpOutcome::NetworkError, qPrintable(describe(*response)));
    QVERIFY2(QString::fromStdString(response->error).contains(QString("cannot connect to 127.0.0.1:%1").arg(port)),
             response->error.c_str());
    QVERIFY(!response->sent);
    QCOMPARE(client->stats().lastError, response->error);
}

void TestHttpsClient::closeAnswersEveryRequest()
{
    const auto simulator = startSimulator();
    IoThread io;
    const auto client = makeClient(io.io(), simulator->port());
    simulator->setStalled(true);
    auto inFlight = send(*client, get("/fapi/v1/time"));
    auto queued = send(*client, post("/info", R"({"type":"meta"})"));
    QTRY_COMPARE_WITH_TIMEOUT(client->stats().requestsSent, std::uint64_t(1), 5000);
    client->close();
    const auto first = await(inFlight);
    const auto second = await(queued);
    QVERIFY(first && second);
    QCOMPARE(first->outcome, HttpOutcome::NetworkError);
    QVERIFY(first->sent);
    QVERIFY2(QString::fromStdString(first->error).contains("may or may not"), first->error.c_str());
    QCOMPARE(second->outcome, HttpOutcome::NetworkError);
    QVERIFY(!second->sent);
    QVERIFY2(QString::fromStdString(second->error).contains("not sent"), second->error.c_str());
    const auto after = fetch(*client, get("/fapi/v1/time"));
    QVERIFY(after);
    QCOMPARE(after->outcome, HttpOutcome::NetworkError);
    QVERIFY(!after->sent);
    QCOMPARE(client->stats().requestsSent, std::uint64_t(1));
    simulator->setStalled(false);
}

void TestHttpsClient::sendsTheHeadersAVenueNeeds()
{
    // http:// to loopback, so that the test server can read what arrives.
    test::RecordingServer server;
    IoThread io;
    std::string problem;
    HttpsOptions options;
    options.url = HttpUrl::parse("http://127.0.0.1:" + std::to_string(server.port()), problem).value();
    const auto client = HttpsClient::create(io.io(), options);

    HttpRequest signedGet = get("/fapi/v2/account?timestamp=1&signature=ab12", 2s);
    signedGet.headers = {{"X-MBX-APIKEY", "key-123"}};
    HttpRequest order = post("/fapi/v1/order", "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.001");
    order.contentType = "application/x-www-form-urlencoded";
    order.timeout = 2s;
    HttpRequest cancel = get("/fapi/v1/order?symbol=BTCUSDT&orderId=1", 2s);
    cancel.method = HttpMethod::Delete;
    for (const HttpRequest& request : {signedGet, order, cancel}) {
        const auto response = fetch(*client, request);
        QVERIFY(response);
        QVERIFY2(response->outcome == HttpOutcome::Ok, qPrintable(describe(*response)));
    }
    const auto requests = server.requests();
    QCOMPARE(requests.size(), std::size_t(3));
    QCOMPARE(server.connections(), 1);
    const std::string host = "127.0.0.1:" + std::to_string(server.port());
    for (const auto& request : requests) {
        QCOMPARE(std::string(request[http::field::host]), host);
        QCOMPARE(std::string(request[http::field::user_agent]), std::string("margin-monitor"));
        QCOMPARE(request.version(), 11u);
        QVERIFY(request.keep_alive());
    }
    QCOMPARE(requests[0].method(), http::verb::get);
    QCOMPARE(std::string(requests[0].target()), signedGet.target);
    QCOMPARE(std::string(requests[0]["X-MBX-APIKEY"]), std::string("key-123"));
    QVERIFY(requests[0].find(http::field::content_type) == requests[0].end()); // no body, no Content-Type
    QCOMPARE(requests[1].method(), http::verb::post);
    QCOMPARE(std::string(requests[1][http::field::content_type]), std::string("application/x-www-form-urlencoded"));
    QCOMPARE(requests[1].body(), order.body);
    QCOMPARE(std::string(requests[1][http::field::content_length]), std::to_string(order.body.size()));
    QCOMPARE(requests[2].method(), http::verb::delete_);
}

void TestHttpsClient::refusesTargetsThatWouldSplitTheRequest()
{
    IoThread io;
    std::string problem;
    HttpsOptions options;
    options.url = HttpUrl::parse("http://127.0.0.1:9", problem).value();
    const auto client = HttpsClient::create(io.io(), options);
    const auto refused = [&](HttpRequest request) {
        try {
            client->request(std::move(request), {});
        } catch (const std::invalid_argument&) {
            return true;
        }
        return false;
    };
    QVERIFY(refused(get("/fapi/v1/order?symbol=BTC USDT")));
    QVERIFY(refused(get("/fapi/v1/order\r\nX-Injected: 1")));
    QVERIFY(refused(get("fapi/v1/time")));
    HttpRequest header = get("/fapi/v1/time");
    header.headers = {{"X-MBX-APIKEY", "key\r\nX-Injected: 1"}};
    QVERIFY(refused(header));
    QCOMPARE(client->stats().requestsSent, std::uint64_t(0));
}

void TestHttpsClient::plainHttpOnlyToLoopback()
{
    std::string problem;
    QVERIFY(!HttpUrl::parse("http://fapi.binance.com", problem));
    QVERIFY2(QString::fromStdString(problem).contains("only loopback addresses may; use https://"), problem.c_str());
    QVERIFY(HttpUrl::parse("http://127.0.0.1:8080", problem));
    QVERIFY(HttpUrl::parse("http://localhost:8080/", problem));
    const auto secure = HttpUrl::parse("https://fapi.binance.com", problem);
    QVERIFY(secure);
    QCOMPARE(secure->port, std::string("443"));
    QCOMPARE(secure->hostHeader(), std::string("fapi.binance.com"));
    QCOMPARE(HttpUrl::parse("https://[::1]:8443", problem)->hostHeader(), std::string("[::1]:8443"));
    QVERIFY(!HttpUrl::parse("https://fapi.binance.com/fapi/v1", problem));
    QVERIFY2(QString::fromStdString(problem).contains("path goes in each request"), problem.c_str());
    QVERIFY(!HttpUrl::parse("wss://fstream.binance.com", problem));
    QVERIFY(!HttpUrl::parse("https://host:99999", problem));
    // WebSocket addresses keep their own words.
    QVERIFY(!WsUrl::parse("ws://fstream.binance.com/ws", problem));
    QCOMPARE(problem,
             std::string("uses unencrypted ws:// to fstream.binance.com: only loopback addresses may; use wss://"));

    // An address put together by hand does not get past create() either.
    IoThread io;
    HttpsOptions options;
    options.url = HttpUrl{false, "fapi.binance.com", "80"};
    try {
        (void)HttpsClient::create(io.io(), options);
        QFAIL("http:// to a remote host was accepted");
    } catch (const std::invalid_argument& error) {
        QVERIFY2(QString(error.what()).contains("only loopback addresses may"), error.what());
    }
    options.url = HttpUrl{true, "127.0.0.1", "443"};
    options.trust.caFile = m_dir.filePath("no-such-ca.pem").toStdString();
    try {
        (void)HttpsClient::create(io.io(), options);
        QFAIL("an unreadable CA file was accepted");
    } catch (const std::invalid_argument& error) {
        QVERIFY2(QString(error.what()).contains("cannot load the trusted certificates from") &&
                     QString(error.what()).contains("no-such-ca.pem"),
                 error.what());
    }
}

void TestHttpsClient::resendRule_data()
{
    QTest::addColumn<HttpMethod>("method");
    QTest::addColumn<bool>("reused");
    QTest::addColumn<bool>("answerStarted");
    QTest::addColumn<int>("attempt");
    QTest::addColumn<bool>("resend");
    QTest::newRow("GET, kept-alive, nothing back") << HttpMethod::Get << true << false << 0 << true;
    QTest::newRow("PUT, kept-alive, nothing back") << HttpMethod::Put << true << false << 0 << true;
    QTest::newRow("DELETE, kept-alive, nothing back") << HttpMethod::Delete << true << false << 0 << true;
    QTest::newRow("POST, kept-alive, nothing back") << HttpMethod::Post << true << false << 0 << false;
    QTest::newRow("GET, fresh connection") << HttpMethod::Get << false << false << 0 << false;
    QTest::newRow("GET, answer under way") << HttpMethod::Get << true << true << 0 << false;
    QTest::newRow("GET, already re-sent") << HttpMethod::Get << true << false << 1 << false;
}

void TestHttpsClient::resendRule()
{
    QFETCH(HttpMethod, method);
    QFETCH(bool, reused);
    QFETCH(bool, answerStarted);
    QFETCH(int, attempt);
    QFETCH(bool, resend);
    QCOMPARE(resendOnFreshConnection(method, reused, answerStarted, attempt), resend);
}

void TestHttpsClient::parsesRetryAfter_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<int>("seconds"); // -1: not understood
    QTest::newRow("seconds") << "120" << 120;
    QTest::newRow("zero") << "0" << 0;
    QTest::newRow("padded") << " 7 " << 7;
    QTest::newRow("date 90 s ahead") << "Sun, 06 Nov 1994 08:51:07 GMT" << 90;
    QTest::newRow("date in the past") << "Sun, 06 Nov 1994 08:40:00 GMT" << 0;
    QTest::newRow("negative") << "-5" << -1;
    QTest::newRow("fraction") << "1.5" << -1;
    QTest::newRow("words") << "soon" << -1;
    QTest::newRow("empty") << "" << -1;
    QTest::newRow("bad month") << "Sun, 06 Foo 1994 08:51:07 GMT" << -1;
    QTest::newRow("bad day") << "Sun, 31 Feb 1994 08:51:07 GMT" << -1;
}

void TestHttpsClient::parsesRetryAfter()
{
    QFETCH(QString, value);
    QFETCH(int, seconds);
    // 1994-11-06 08:49:37 UTC, RFC 9110's own example date.
    const auto now = std::chrono::sys_days(std::chrono::year(1994) / 11 / 6) + 8h + 49min + 37s;
    const auto parsed = parseRetryAfter(value.toStdString(), now);
    QCOMPARE(parsed.has_value(), seconds >= 0);
    if (parsed) {
        QCOMPARE(parsed->count(), std::int64_t(seconds));
    }
}

QTEST_GUILESS_MAIN(TestHttpsClient)
#include "tst_https_client.moc"
