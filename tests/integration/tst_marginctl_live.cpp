// marginctl sim and marginctl watch as processes, end to end on loopback.
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>

#include "test_certificates.h"
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

namespace {

QList<QJsonObject> jsonLines(const QByteArray& output)
{
    QList<QJsonObject> lines;
    for (const QByteArray& line : output.split('\n')) {
        if (!line.trimmed().isEmpty()) {
            lines.append(QJsonDocument::fromJson(line).object());
        }
    }
    return lines;
}

int countOf(const QList<QJsonObject>& lines, const QString& type, const QString& key = {}, const QString& value = {})
{
    int count = 0;
    for (const auto& line : lines) {
        count += line["type"].toString() == type && (key.isEmpty() || line[key].toString() == value) ? 1 : 0;
    }
    return count;
}

/// `marginctl sim OPTIONS` started: the endpoints line it prints first (empty if none came).
QJsonObject startSimulator(QProcess& simulator, const QStringList& options)
{
    simulator.start(MARGINCTL_PATH, QStringList{"sim"} + options);
    if (!simulator.waitForReadyRead(10'000)) {
        return {};
    }
    return QJsonDocument::fromJson(simulator.readLine()).object();
}

/// One long position on OKX, the simulator's BTC-USDT-SWAP.
const QByteArray kOkxPortfolio = R"({"venue":"okx-swap","walletBalance":"8000","positions":[
        {"symbol":"BTC-USDT-SWAP","side":"long","quantity":"0.5","entryPrice":"64000","maintenanceMarginRate":"0.004"}]})";

/// Writes `text` to `name` in `dir`; the file's path, or empty when it could not be written.
QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& text)
{
    QFile file(dir.filePath(name));
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size()) {
        return {};
    }
    return file.fileName();
}

} // namespace

class TestMarginctlLive : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void simulatorPrintsItsEndpointsAndStopsOnASignal_data();
    void simulatorPrintsItsEndpointsAndStopsOnASignal();
    void watchFollowsAPortfolioOnTheSimulator();
    void watchTableShowsPositionsConnectionsAndProblems();
    void watchVerifiesTheSimulatorsCertificate();
    void demoWatchesFourVenuesAndStopsOnSigint();
    void watchSurvivesTheSimulatorsFaults();
    void simulatorStallsAndDelaysFromTheCommandLine();
    void simulatorReplaysARecordingOnChosenVenues();
    void refusesBadArguments_data();
    void refusesBadArguments();
};

void TestMarginctlLive::simulatorPrintsItsEndpointsAndStopsOnASignal_data()
{
    QTest::addColumn<int>("signal");
    QTest::newRow("SIGTERM") << SIGTERM;
    QTest::newRow("SIGINT (Ctrl+C)") << SIGINT;
}

void TestMarginctlLive::simulatorPrintsItsEndpointsAndStopsOnASignal()
{
    QFETCH(int, signal);
    QProcess simulator;
    const QJsonObject endpoints = startSimulator(simulator, {"--port", "0", "--push-ms", "50"});
    QVERIFY(!endpoints.isEmpty());
    QCOMPARE(endpoints["simulator"].toString(), QString("margin-monitor"));
    QVERIFY(endpoints["port"].toInt() > 0);
    QVERIFY(endpoints["venues"].toObject()["okx-swap"].toObject()["websocket"].toString().startsWith("ws://127.0.0.1:"));
    ::kill(static_cast<pid_t>(simulator.processId()), signal);
    QVERIFY(simulator.waitForFinished(10'000));
    QCOMPARE(simulator.exitStatus(), QProcess::NormalExit); // not killed by the signal: it stopped serving and exited
    QCOMPARE(simulator.exitCode(), 0);
}

void TestMarginctlLive::watchFollowsAPortfolioOnTheSimulator()
{
    QProcess simulator;
    const QJsonObject endpoints = startSimulator(simulator, {"--port", "0", "--push-ms", "50"});
    const int port = endpoints["port"].toInt();
    QVERIFY(port > 0);

    QTemporaryDir dir;
    const QString portfolio = writeFile(dir, "portfolio.json", kOkxPortfolio);
    QVERIFY(!portfolio.isEmpty());
    QProcess watch;
    watch.start(MARGINCTL_PATH, {"watch", "--portfolio", portfolio, "--venue-url",
                                 QString("okx-swap=ws://127.0.0.1:%1").arg(port), "--json", "--duration", "2"});
    QVERIFY(watch.waitForFinished(20'000));
    QCOMPARE(watch.exitCode(), 0);
    const auto lines = jsonLines(watch.readAllStandardOutput());
    QCOMPARE(countOf(lines, "connection", "state", "open"), 1);
    QCOMPARE(countOf(lines, "feed", "state", "fresh"), 1);
    QVERIFY(countOf(lines, "risk") >= 2); // throttled to one a second per position
    QCOMPARE(countOf(lines, "problem"), 0);
    for (const auto& line : lines) {
        if (line["type"] == "risk") {
            QCOMPARE(line["symbol"].toString(), QString("BTC-USDT-SWAP"));
            QVERIFY(line["liquidationPrice"].toDouble() > 0);
        }
    }
    ::kill(static_cast<pid_t>(simulator.processId()), SIGTERM);
    QVERIFY(simulator.waitForFinished(10'000));
}

void TestMarginctlLive::watchTableShowsPositionsConnectionsAndProblems()
{
    // Table mode (no --json), its output a pipe: a table a second, each with the position, the
    // venue's connection, and what its stream carried that it should not have.
    QProcess simulator;
    const QJsonObject endpoints = startSimulator(simulator, {"--venues", "okx-swap", "--port", "0", "--push-ms", "20", "--malformed-every", "10"});
    const int port = endpoints["port"].toInt();
    QVERIFY(port > 0);
    QTemporaryDir dir;
    const QString portfolio = writeFile(dir, "portfolio.json", kOkxPortfolio);
    QVERIFY(!portfolio.isEmpty());
    QProcess watch;
    watch.start(MARGINCTL_PATH, {"watch", "--portfolio", portfolio, "--venue-url",
                                 QString("okx-swap=ws://127.0.0.1:%1").arg(port), "--duration", "2.5"});
    QVERIFY(watch.waitForFinished(20'000));
    QCOMPARE(watch.exitCode(), 0);
    const QString output = QString::fromUtf8(watch.readAllStandardOutput());
    QVERIFY2(!output.contains("\x1b["), "no terminal escapes into a pipe");
    const QRegularExpression header(R"(^exchange\s+symbol\s+side\s+size\s+mark\s+liquidation\s+distance\s+ratio\s+feed$)",
                                    QRegularExpression::MultilineOption);
    const QStringList tables = output.split(header, Qt::SkipEmptyParts);
    QVERIFY2(tables.size() >= 3, qPrintable(output)); // two refreshes and the last one
    const QString last = tables.last();
    QVERIFY2(last.contains(QRegularExpression(R"(okx-swap\s+BTC-USDT-SWAP\s+long\s+0\.5\s+\d+\.\d+\s+\d+\.\d+\s+[\d.]+%\s+[\d.]+%\s+\d+ms)")),
             qPrintable(last));
    QVERIFY2(last.contains(QRegularExpression(R"(okx-swap: open, reconnects 0, malformed frames [1-9]\d*, exchange errors 0, notices 0)")),
             qPrintable(last));
    QVERIFY2(last.contains("last problem: malformed frame from okx-swap: "), qPrintable(last));
    QVERIFY(watch.readAllStandardError().isEmpty());
    ::kill(static_cast<pid_t>(simulator.processId()), SIGTERM);
    QVERIFY(simulator.waitForFinished(10'000));
}

void TestMarginctlLive::watchVerifiesTheSimulatorsCertificate()
{
    // marginctl sim --tls-cert/--tls-key serves wss://; marginctl watch --ca-file trusts that CA
    // (made here, thrown away after) and receives; without it the certificate is refused and said.
    QTemporaryDir dir;
    const QString made = mm::test::makeTestCertificates(dir.path());
    QVERIFY2(made.isEmpty(), qPrintable(made));
    QProcess simulator;
    const QJsonObject endpoints = startSimulator(simulator, {"--venues", "hyperliquid", "--port", "0", "--push-ms", "50", "--tls-cert",
                                     dir.filePath("server.pem"), "--tls-key", dir.filePath("server.key")});
    QVERIFY(!endpoints.isEmpty());
    const QString url = endpoints["venues"].toObject()["hyperliquid"].toObject()["websocket"].toString();
    QVERIFY2(url.startsWith("wss://127.0.0.1:"), qPrintable(url));
    const QString portfolio = writeFile(dir, "portfolio.json", R"({"venue":"hyperliquid","walletBalance":"5000","positions":[
        {"symbol":"BTC","side":"long","quantity":"0.1","entryPrice":"60000","maxLeverage":40,"maintenanceMarginRate":"0.005"}]})");
    QVERIFY(!portfolio.isEmpty());
    const QString venueUrl = QString("hyperliquid=wss://127.0.0.1:%1").arg(endpoints["port"].toInt());

    QProcess trusting;
    trusting.start(MARGINCTL_PATH, {"watch", "--portfolio", portfolio, "--venue-url", venueUrl, "--ca-file",
                                    dir.filePath("ca.pem"), "--json", "--duration", "2"});
    QProcess stranger;
    stranger.start(MARGINCTL_PATH, {"watch", "--portfolio", portfolio, "--venue-url", venueUrl, "--json", "--duration", "2"});
    QVERIFY(trusting.waitForFinished(20'000));
    QVERIFY(stranger.waitForFinished(20'000));
    QCOMPARE(trusting.exitCode(), 0);
    QCOMPARE(stranger.exitCode(), 0);
    const auto trusted = jsonLines(trusting.readAllStandardOutput());
    QCOMPARE(countOf(trusted, "connection", "state", "open"), 1);
    QVERIFY(countOf(trusted, "risk") >= 1);
    QCOMPARE(countOf(trusted, "problem"), 0);
    const auto refused = jsonLines(stranger.readAllStandardOutput());
    QCOMPARE(countOf(refused, "connection", "state", "open"), 0);
    QCOMPARE(countOf(refused, "risk"), 0);
    bool said = false;
    for (const auto& line : refused) {
        said = said || (line["type"] == "connection" && line["error"].toString().contains("certificate is not trusted"));
    }
    QVERIFY(said);
    ::kill(static_cast<pid_t>(simulator.processId()), SIGTERM);
    QVERIFY(simulator.waitForFinished(10'000));
}

void TestMarginctlLive::demoWatchesFourVenuesAndStopsOnSigint()
{
    QProcess watch;
    watch.start(MARGINCTL_PATH, {"watch", "--demo", "--json", "--time-scale", "60"});
    QTRY_VERIFY_WITH_TIMEOUT(countOf(jsonLines(watch.peek(1 << 20)), "connection", "state", "open") == 4, 10'000);
    // At 60× the crash reaches its bottom within two seconds: some demo positions come due.
    QTRY_VERIFY_WITH_TIMEOUT(watch.peek(1 << 22).contains(R"("liquidationDue":true)"), 10'000);
    ::kill(static_cast<pid_t>(watch.processId()), SIGINT);
    QVERIFY(watch.waitForFinished(10'000));
    QCOMPARE(watch.exitStatus(), QProcess::NormalExit);
    QCOMPARE(watch.exitCode(), 0);
    const auto lines = jsonLines(watch.readAllStandardOutput());
    QCOMPARE(countOf(lines, "banner"), 1);
    QVERIFY(countOf(lines, "feed", "state", "fresh") >= 11); // every demo symbol
    // The crash's alerts, each as it was decided, with the subject, the words and the latency.
    QVERIFY(countOf(lines, "alert", "change", "raised") >= 1);
    bool critical = false;
    for (const auto& line : lines) {
        if (line["type"].toString() == "alert" && line["level"].toString() != "warning") {
            critical = true;
            QVERIFY(!line["symbol"].toString().isEmpty() || line["rule"].toString() == "margin-ratio");
            QVERIFY(!line["message"].toString().isEmpty());
            QVERIFY(line["decisionMicros"].toDouble() >= 0);
        }
    }
    QVERIFY(critical);
    // The bell goes to stderr only where it is a terminal: never into the JSON.
    QVERIFY(!watch.readAllStandardError().contains('\a'));
}

void TestMarginctlLive::watchSurvivesTheSimulatorsFaults()
{
    QProcess simulator;
    const QJsonObject endpoints = startSimulator(simulator, {"--port", "0", "--push-ms", "20", "--malformed-every", "7", "--drop-every", "1"});
    QVERIFY(!endpoints.isEmpty());
    QCOMPARE(endpoints["faults"].toObject()["malformedEvery"].toInt(), 7);
    QTemporaryDir dir;
    const QString portfolio = writeFile(dir, "portfolio.json", R"({"venue":"bybit-linear","walletBalance":"8000","positions":[
        {"symbol":"BTCUSDT","side":"short","quantity":"0.5","entryPrice":"64000"}]})");
    QVERIFY(!portfolio.isEmpty());
    QProcess watch;
    watch.start(MARGINCTL_PATH, {"watch", "--portfolio", portfolio, "--venue-url",
                                 QString("bybit-linear=ws://127.0.0.1:%1").arg(endpoints["port"].toInt()), "--json",
                                 "--duration", "3.5"});
    QVERIFY(watch.waitForFinished(20'000));
    QCOMPARE(watch.exitCode(), 0);
    const auto lines = jsonLines(watch.readAllStandardOutput());
    QVERIFY(countOf(lines, "problem") >= 3);                        // malformed frames, reported
    QVERIFY(countOf(lines, "connection", "state", "reconnecting") >= 2); // dropped every second …
    QVERIFY(countOf(lines, "connection", "state", "open") >= 3);         // … and back each time
    QVERIFY(countOf(lines, "risk") >= 3);                           // still evaluating
    ::kill(static_cast<pid_t>(simulator.processId()), SIGTERM);
    QVERIFY(simulator.waitForFinished(10'000));
}

void TestMarginctlLive::simulatorStallsAndDelaysFromTheCommandLine()
{
    // --stall-every/--stall-for and --delay-ms as given on the command line: the endpoints line
    // echoes them, and a watcher sees its feed go stale in the stall (Bybit: after 3 s without a
    // mark) and fresh after it, on one connection. (The delay's size is measured in
    // tst_live_feeds, where exchange times are seen.) Streaming 2 s (the watcher connects), then
    // silent 3.5 s, then streaming again.
    QProcess simulator;
    const QJsonObject endpoints = startSimulator(simulator, {"--venues", "bybit-linear", "--port", "0", "--push-ms", "50", "--stall-every", "2",
                                     "--stall-for", "3.5", "--delay-ms", "100"});
    QVERIFY(!endpoints.isEmpty());
    const QJsonObject faults = endpoints["faults"].toObject();
    QCOMPARE(faults["stallEverySeconds"].toDouble(), 2.0);
    QCOMPARE(faults["stallForSeconds"].toDouble(), 3.5);
    QCOMPARE(faults["delayMs"].toInt(), 100);
    QTemporaryDir dir;
    const QString portfolio = writeFile(dir, "portfolio.json", R"({"venue":"bybit-linear","walletBalance":"8000","positions":[
        {"symbol":"BTCUSDT","side":"short","quantity":"0.5","entryPrice":"64000"}]})");
    QVERIFY(!portfolio.isEmpty());
    QProcess watch;
    watch.start(MARGINCTL_PATH, {"watch", "--portfolio", portfolio, "--venue-url",
                                 QString("bybit-linear=ws://127.0.0.1:%1").arg(endpoints["port"].toInt()), "--json", "--duration", "7"});
    QVERIFY(watch.waitForFinished(20'000));
    QCOMPARE(watch.exitCode(), 0);
    const auto lines = jsonLines(watch.readAllStandardOutput());
    QVERIFY2(countOf(lines, "feed", "state", "stale") >= 1, qPrintable(QString::number(countOf(lines, "feed", "state", "stale"))));
    QVERIFY(countOf(lines, "feed", "state", "fresh") >= 2); // first marks, and back after the stall
    QCOMPARE(countOf(lines, "connection", "state", "open"), 1); // the socket kept through every stall
    QCOMPARE(countOf(lines, "connection", "state", "reconnecting"), 0);
    ::kill(static_cast<pid_t>(simulator.processId()), SIGTERM);
    QVERIFY(simulator.waitForFinished(10'000));
}

void TestMarginctlLive::simulatorReplaysARecordingOnChosenVenues()
{
    // A recording: BTC-USDT-SWAP at 50,000, then 40,000 at t = 1 s (a quarter second at 4×).
    QTemporaryDir dir;
    QFile csv(dir.filePath("marks.csv"));
    QVERIFY(csv.open(QIODevice::WriteOnly));
    csv.write("time,symbol,mark\n1700000000,BTC-USDT-SWAP,50000\n1700000000.5,ETH-USDT-SWAP,2500\n1700000001,BTC-USDT-SWAP,40000\n");
    csv.close();
    QProcess simulator;
    const QJsonObject endpoints = startSimulator(simulator, {"--venues", "okx-swap", "--replay", csv.fileName(), "--time-scale", "4", "--push-ms", "50"});
    QVERIFY(!endpoints.isEmpty());
    QCOMPARE(endpoints["venues"].toObject().keys(), QStringList{"okx-swap"});
    QCOMPARE(endpoints["scenario"].toObject()["name"].toString(), QString("replay"));
    QCOMPARE(endpoints["scenario"].toObject()["rows"].toInt(), 3);
    QCOMPARE(endpoints["scenario"].toObject()["durationSeconds"].toDouble(), 1.0);
    const int port = endpoints["port"].toInt();

    const QString portfolio = writeFile(dir, "portfolio.json", R"({"venue":"okx-swap","walletBalance":"8000","positions":[
        {"symbol":"BTC-USDT-SWAP","side":"long","quantity":"0.5","entryPrice":"50000","maintenanceMarginRate":"0.004"}]})");
    QVERIFY(!portfolio.isEmpty());
    QProcess watch;
    watch.start(MARGINCTL_PATH, {"watch", "--portfolio", portfolio, "--venue-url",
                                 QString("okx-swap=ws://127.0.0.1:%1").arg(port), "--json", "--duration", "2.5"});
    QVERIFY(watch.waitForFinished(20'000));
    QCOMPARE(watch.exitCode(), 0);
    QList<double> marks;
    for (const auto& line : jsonLines(watch.readAllStandardOutput())) {
        if (line["type"] == "risk") {
            marks.append(line["markPrice"].toDouble());
        }
    }
    QVERIFY(!marks.isEmpty());
    QCOMPARE(marks.last(), 40000.0); // exactly the recording's mark, held after its end
    for (const double mark : marks) {
        QVERIFY2(mark == 50000.0 || mark == 40000.0, qPrintable(QString::number(mark)));
    }

    // Binance is not served by this simulator: its stream is refused, and the client keeps trying.
    QFile binancePortfolio(dir.filePath("binance.json"));
    QVERIFY(binancePortfolio.open(QIODevice::WriteOnly));
    binancePortfolio.write(R"({"venue":"binance-usdm","walletBalance":"8000","positions":[
        {"symbol":"BTCUSDT","side":"long","quantity":"0.5","entryPrice":"50000","maintenanceMarginRate":"0.004"}]})");
    binancePortfolio.close();
    QProcess binance;
    binance.start(MARGINCTL_PATH, {"watch", "--portfolio", binancePortfolio.fileName(), "--venue-url",
                                   QString("binance-usdm=ws://127.0.0.1:%1").arg(port), "--json", "--duration", "1"});
    QVERIFY(binance.waitForFinished(20'000));
    const auto binanceLines = jsonLines(binance.readAllStandardOutput());
    QCOMPARE(countOf(binanceLines, "connection", "state", "open"), 0);
    QVERIFY(countOf(binanceLines, "connection", "state", "reconnecting") >= 1);
    ::kill(static_cast<pid_t>(simulator.processId()), SIGTERM);
    QVERIFY(simulator.waitForFinished(10'000));
    QCOMPARE(simulator.exitCode(), 0);
}

void TestMarginctlLive::refusesBadArguments_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("nothing to watch") << QStringList{"watch"} << "give --demo or at least one --portfolio FILE";
    QTest::newRow("plain ws to the internet")
        << QStringList{"watch", "--demo", "--venue-url", "okx-swap=ws://203.0.113.7/ws"} << "only loopback addresses may";
    QTest::newRow("unknown venue") << QStringList{"watch", "--demo", "--venue-url", "ftx=wss://x"} << "unknown venue";
    QTest::newRow("missing portfolio") << QStringList{"watch", "--portfolio", "/nonexistent.json"} << "cannot open /nonexistent.json";
    QTest::newRow("bad duration") << QStringList{"watch", "--demo", "--duration", "soon"} << "must be a positive number";
    QTest::newRow("sim: unknown venue") << QStringList{"sim", "--venues", "binance-usdm,ftx"} << "unknown venue \"ftx\"";
    QTest::newRow("sim: rest fault status")
        << QStringList{"sim", "--rest-fault", "500:3"} << "--rest-fault 500:3: unknown option or invalid value";
    QTest::newRow("sim: replay without a file") << QStringList{"sim", "--scenario", "replay"} << "needs --replay FILE";
    QTest::newRow("sim: missing replay file") << QStringList{"sim", "--replay", "/nonexistent.csv"} << "/nonexistent.csv: cannot open";
    QTest::newRow("sim: broken replay file") << QStringList{"sim", "--replay", QFINDTESTDATA("replays/broken.csv")}
                                             << "broken.csv:3: mark \"-5\" is not a positive number";
}

void TestMarginctlLive::refusesBadArguments()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    QProcess watch;
    watch.start(MARGINCTL_PATH, arguments);
    QVERIFY(watch.waitForFinished(10'000));
    QCOMPARE(watch.exitCode(), 2);
    const QByteArray error = watch.readAllStandardError();
    QCOMPARE(error.count('\n'), 1);
    QVERIFY2(QString::fromUtf8(error).contains(message), error.constData());
}

QTEST_GUILESS_MAIN(TestMarginctlLive)
#include "tst_marginctl_live.moc"
