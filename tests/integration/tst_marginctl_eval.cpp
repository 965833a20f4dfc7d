// marginctl eval as a trader runs it: the real binary, real files, stdin, exit codes and messages.
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include <cmath>

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run marginctl(const QStringList& arguments, const QByteArray& input = {})
{
    QProcess process;
    process.start(QStringLiteral(MARGINCTL_PATH), arguments);
    if (!process.waitForStarted()) {
        qFatal("cannot start %s", MARGINCTL_PATH);
    }
    process.write(input);
    process.closeWriteChannel();
    process.waitForFinished(30'000);
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1, process.readAllStandardOutput(),
            process.readAllStandardError()};
}

QString caseFile(const char* name)
{
    return QStringLiteral(CASES_DIR "/") + QLatin1String(name);
}

} // namespace

class TestMarginctlEval : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void publishedExamplesThroughTheBinary_data();
    void publishedExamplesThroughTheBinary();
    void bundledExamplesEvaluate_data();
    void bundledExamplesEvaluate();
    void readsStandardInput();
    void badInputIsOneLineAndExitCodeTwo_data();
    void badInputIsOneLineAndExitCodeTwo();
    void usage();
};

void TestMarginctlEval::publishedExamplesThroughTheBinary_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("position");
    QTest::addColumn<double>("liquidationPrice");
    QTest::addColumn<bool>("truncated");
    QTest::newRow("Binance FAQ ETH isolated") << caseFile("binance-faq-isolated.json") << 0 << 1114.78 << false;
    QTest::newRow("Binance FAQ BTC isolated") << caseFile("binance-faq-isolated.json") << 1 << 18778.73 << false;
    QTest::newRow("Binance FAQ ETH cross") << caseFile("binance-faq-cross.json") << 0 << 1153.26 << false;
    QTest::newRow("Binance FAQ BTC cross") << caseFile("binance-faq-cross.json") << 1 << 26316.89 << false;
    QTest::newRow("Binance FAQ 500 USDT") << caseFile("binance-faq-500-usdt.json") << 0 << 25100.40 << false;
    QTest::newRow("Bybit help centre") << caseFile("bybit-help-centre.json") << 0 << 19700.0 << false;
    QTest::newRow("Gate/OKX formula (Gate truncates)") << caseFile("gate-okx-formula.json") << 0 << 1349.70 << true;
}

void TestMarginctlEval::publishedExamplesThroughTheBinary()
{
    QFETCH(QString, file);
    QFETCH(int, position);
    QFETCH(double, liquidationPrice);
    QFETCH(bool, truncated);
    const Run run = marginctl({"eval", file});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.err.isEmpty(), run.err.constData());
    QJsonParseError error{};
    const QJsonDocument output = QJsonDocument::fromJson(run.out, &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    const QJsonObject row = output["positions"].toArray().at(position).toObject();
    QVERIFY(row["liquidationPrice"].isDouble());
    const double price = row["liquidationPrice"].toDouble();
    const double shown = truncated ? std::floor(price * 100) / 100 : std::round(price * 100) / 100;
    QCOMPARE(shown, liquidationPrice);
    for (const char* field : {"symbol", "maintenanceMargin", "marginRatio", "distanceToLiquidationPct", "unrealizedPnl", "tier"}) {
        QVERIFY2(row.contains(QLatin1String(field)), field);
    }
    for (const char* field : {"marginBalance", "maintenanceMargin", "marginRatio"}) {
        QVERIFY2(output["account"].toObject().contains(QLatin1String(field)), field);
    }
}

void TestMarginctlEval::bundledExamplesEvaluate_data()
{
    QTest::addColumn<QString>("file");
    const QDir examples(QStringLiteral(EXAMPLES_DIR));
    const auto files = examples.entryList({"*.json"}, QDir::Files, QDir::Name);
    QVERIFY(files.contains("demo-portfolio.json"));
    for (const QString& name : files) {
        QTest::newRow(qPrintable(name)) << examples.filePath(name);
    }
}

void TestMarginctlEval::bundledExamplesEvaluate()
{
    QFETCH(QString, file);
    const Run run = marginctl({"eval", file});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.err.isEmpty(), run.err.constData());
    const QJsonObject output = QJsonDocument::fromJson(run.out).object();
    QVERIFY(!output["positions"].toArray().isEmpty());
    for (const auto& row : output["positions"].toArray()) {
        const QJsonValue liquidationPrice = row.toObject()["liquidationPrice"];
        QVERIFY(liquidationPrice.isNull() || liquidationPrice.toDouble() > 0);
    }
}

void TestMarginctlEval::readsStandardInput()
{
    QFile file(caseFile("binance-faq-cross.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const Run run = marginctl({"eval", "-"}, file.readAll());
    QCOMPARE(run.exitCode, 0);
    const double price = QJsonDocument::fromJson(run.out)["positions"].toArray().at(1).toObject()["liquidationPrice"].toDouble();
    QCOMPARE(std::round(price * 100) / 100, 26316.89);
}

void TestMarginctlEval::badInputIsOneLineAndExitCodeTwo_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("truncated file") << QStringList{"eval", caseFile("truncated.json")}
                                    << "truncated.json: not valid JSON: parse error at line 5, column 50: syntax error while parsing object key";
    QTest::newRow("negative quantity") << QStringList{"eval", caseFile("negative-quantity.json")}
                                       << "negative-quantity.json: positions[0].quantity: must be greater than 0, got -0.5";
    QTest::newRow("unknown venue") << QStringList{"eval", caseFile("unknown-venue.json")} << "venue: unknown venue \"mtgox\"";
    QTest::newRow("unknown symbol") << QStringList{"eval", caseFile("unknown-symbol.json")}
                                    << "positions[0].maintenanceMarginRate: is required: there is no built-in tier table for \"PEPEUSDT\"";
    QTest::newRow("mistyped field") << QStringList{"eval", caseFile("mistyped-field.json")}
                                    << "positions[0].takerFeeRate: must be a number or a decimal string, got true";
    QTest::newRow("missing file") << QStringList{"eval", "/nonexistent/portfolio.json"}
                                  << "cannot open /nonexistent/portfolio.json: No such file or directory";
    QTest::newRow("a directory") << QStringList{"eval", QStringLiteral(CASES_DIR)} << "it is a directory";
    QTest::newRow("no file") << QStringList{"eval"} << "expects exactly one FILE";
    QTest::newRow("unknown command") << QStringList{"evaluate"} << "unknown command 'evaluate'";
}

void TestMarginctlEval::badInputIsOneLineAndExitCodeTwo()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const Run run = marginctl(arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.out.isEmpty(), run.out.constData()); // never partial output
    QCOMPARE(run.err.count('\n'), 1);
    QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
}

void TestMarginctlEval::usage()
{
    const Run version = marginctl({"--version"});
    QCOMPARE(version.exitCode, 0);
    QVERIFY(version.out.startsWith("marginctl "));
    const Run help = marginctl({"--help"});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains("eval FILE|-"));
    QCOMPARE(marginctl({}).exitCode, 2);
    // Every command answers --help (or -h, wherever it stands) with its own usage, exit 0.
    for (const char* command : {"eval", "watch", "replay", "sim"}) {
        for (const QStringList& arguments : {QStringList{command, "--help"}, QStringList{command, "--json", "-h"}}) {
            const Run asked = marginctl(arguments);
            QVERIFY2(asked.exitCode == 0, qPrintable(arguments.join(' ') + ": " + asked.err));
            QVERIFY2(asked.out.contains(QByteArray("  ") + command + " "), qPrintable(asked.out));
            for (const char* other : {"eval FILE", "watch ...", "replay ...", "sim ..."}) {
                if (!QByteArray(other).startsWith(command)) {
                    QVERIFY2(!asked.out.contains(other), qPrintable(asked.out)); // that command's usage only
                }
            }
        }
    }
    QCOMPARE(marginctl({"nonsense", "--help"}).exitCode, 2);
}

QTEST_GUILESS_MAIN(TestMarginctlEval)
#include "tst_marginctl_eval.moc"
