// margin-monitor as a trader (or the README) runs it: the demo rendered to a PNG after a few seconds,
// the command line refusing bad input in one line, and the terminal fallback without a display.
#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

class TestMarginMonitorApp : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void screenshotOfTheDemo();
    void refusesBadArguments_data();
    void refusesBadArguments();
    void withoutADisplayRunsTheTerminalMonitor();
    void unreadableManualPositionsAreKeptAndSaid();
};

void TestMarginMonitorApp::screenshotOfTheDemo()
{
    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("demo.png"));
    QProcess app;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
    environment.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("data"))); // no manual positions: the demo
    app.setProcessEnvironment(environment);
    app.start(MARGIN_MONITOR_PATH, {"--screenshot", png, "--quit-after", "4"});
    QVERIFY(app.waitForFinished(30'000));
    QVERIFY2(app.exitCode() == 0, app.readAllStandardError().constData());
    const QImage image(png);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() >= 800 && image.height() >= 500);
    // Not a blank window: many distinct colours (text, the bars, the charts).
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7) {
        for (int x = 0; x < image.width(); x += 7) {
            colours.insert(image.pixel(x, y));
        }
    }
    QVERIFY2(colours.size() > 50, qPrintable(QString::number(colours.size())));
}

void TestMarginMonitorApp::refusesBadArguments_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("missing portfolio") << QStringList{"--portfolio", "/nonexistent.json"} << "cannot open /nonexistent.json";
    QTest::newRow("bad quit-after") << QStringList{"--quit-after", "soon"} << "--quit-after soon: must be a positive number";
    QTest::newRow("demo and portfolio") << QStringList{"--demo", "--portfolio", "x.json"} << "give --demo or --portfolio, not both";
}

void TestMarginMonitorApp::refusesBadArguments()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    QProcess app;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    app.setProcessEnvironment(environment);
    app.start(MARGIN_MONITOR_PATH, arguments);
    QVERIFY(app.waitForFinished(10'000));
    QCOMPARE(app.exitCode(), 2);
    const QByteArray error = app.readAllStandardError();
    QVERIFY2(QString::fromUtf8(error).contains(message), error.constData());
}

void TestMarginMonitorApp::unreadableManualPositionsAreKeptAndSaid()
{
    // A broken manual positions file: the app says what is wrong in one line, starts (the demo, as
    // nothing else is configured) and leaves the file exactly as it was.
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("data/margin-monitor/Margin Monitor"));
    QVERIFY(QDir().mkpath(folder));
    const QByteArray broken = R"({"accounts":[{"venue":"okx-swap","walletBalance":"100","positions":[{"symbol":"X","quantity":"-1"}]}])";
    {
        QFile file(folder + QStringLiteral("/manual-positions.json"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(broken);
    }
    QProcess app;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
    environment.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("data")));
    app.setProcessEnvironment(environment);
    app.start(MARGIN_MONITOR_PATH, {"--screenshot", dir.filePath(QStringLiteral("shot.png")), "--quit-after", "1"});
    QVERIFY(app.waitForFinished(30'000));
    const QString error = QString::fromUtf8(app.readAllStandardError());
    QVERIFY2(app.exitCode() == 0, qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("manual-positions.json: ")) && error.contains(QStringLiteral("parse error")), qPrintable(error));
    QFile file(folder + QStringLiteral("/manual-positions.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), broken);
}

void TestMarginMonitorApp::withoutADisplayRunsTheTerminalMonitor()
{
    QProcess app;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("DISPLAY"));
    environment.remove(QStringLiteral("WAYLAND_DISPLAY"));
    environment.remove(QStringLiteral("QT_QPA_PLATFORM"));
    app.setProcessEnvironment(environment);
    app.start(MARGIN_MONITOR_PATH, {});
    QByteArray errors;
    QTRY_VERIFY_WITH_TIMEOUT((errors += app.readAllStandardError()).contains("no display found"), 10'000);
    // marginctl watch --demo took over the process: its table appears.
    QTRY_VERIFY_WITH_TIMEOUT(app.peek(1 << 20).contains("Simulated exchanges"), 10'000);
    app.terminate();
    QVERIFY(app.waitForFinished(10'000));
    QCOMPARE(app.exitCode(), 0);
}

QTEST_GUILESS_MAIN(TestMarginMonitorApp)
#include "tst_margin_monitor_app.moc"
