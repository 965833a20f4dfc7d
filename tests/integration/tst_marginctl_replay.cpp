// marginctl replay as a trader runs it: the real binary on a scripted crash — from a CSV and from the
// desktop app's journal — and every kind of bad input (one line, exit status 2, nothing on stdout).
#include "store/journal.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <functional>

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run marginctl(const QStringList& arguments)
{
    QProcess process;
    process.start(QStringLiteral(MARGINCTL_PATH), arguments);
    if (!process.waitForStarted()) {
        qFatal("cannot start %s", MARGINCTL_PATH);
    }
    process.closeWriteChannel();
    process.waitForFinished(60'000);
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1, process.readAllStandardOutput(),
            process.readAllStandardError()};
}

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& text)
{
    QFile file(dir.filePath(name));
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size()) {
        return {};
    }
    return file.fileName();
}

/// Two accounts on Binance USDⓈ-M: an isolated 5× long of 12,000 USDT on BTCUSDT (liquidated near
/// −19.7 %) and an isolated 2× short of 12,000 USDT on ETHUSDT (liquidated near +49.6 %).
const QByteArray kPortfolio = R"({"accounts": [
  {"venue": "binance-usdm", "label": "btc long 5x", "walletBalance": "0", "positions": [
    {"symbol": "BTCUSDT", "side": "long", "quantity": "0.2", "entryPrice": "60000", "marginMode": "isolated", "isolatedMargin": "2400"}]},
  {"venue": "binance-usdm", "label": "eth short 2x", "walletBalance": "0", "positions": [
    {"symbol": "ETHUSDT", "side": "short", "quantity": "4", "entryPrice": "3000", "marginMode": "isolated", "isolatedMargin": "6000"}]}
]})";

constexpr qint64 kStart = 1'700'000'000; // Unix seconds
constexpr int kStepSeconds = 10;

/// The scripted crash, one mark every 10 s on both symbols: 30 minutes of calm (a wiggle of 0.02 %),
/// then −1 % a minute for 25 minutes, then flat at −25 % for 35 minutes.
template <class Row> void scriptedCrash(Row&& row)
{
    for (int second = 0; second <= 90 * 60; second += kStepSeconds) {
        const double minutes = second / 60.0;
        const double level =
            minutes <= 30 ? 1.0 + 0.0002 * std::sin(second / 7.0) : 1.0 - 0.01 * std::min(minutes - 30.0, 25.0);
        const auto cents = [](double price) { return std::round(price * 100) / 100; }; // as the CSV writes it
        row(kStart + second, "BTCUSDT", cents(60'000.0 * level));
        row(kStart + second, "ETHUSDT", cents(3'000.0 * level));
    }
}

QByteArray crashCsv()
{
    QByteArray csv = "time,symbol,mark\n";
    scriptedCrash([&](qint64 time, const char* symbol, double mark) {
        csv += QByteArray::number(time) + ',' + symbol + ',' + QByteArray::number(mark, 'f', 2) + '\n';
    });
    return csv;
}

QList<QJsonObject> jsonLines(const QByteArray& out)
{
    QList<QJsonObject> lines;
    for (const QByteArray& line : out.split('\n')) {
        if (!line.isEmpty()) {
            QJsonParseError error{};
            const QJsonDocument document = QJsonDocument::fromJson(line, &error);
            if (error.error != QJsonParseError::NoError) {
                qWarning("not JSON: %s", line.constData());
                return {};
            }
            lines.append(document.object());
        }
    }
    return lines;
}

QJsonObject summaryOf(const QList<QJsonObject>& lines, const QString& account)
{
    for (const QJsonObject& line : lines) {
        if (line["type"].toString() == "summary" && line["account"].toString() == account) {
            return line;
        }
    }
    return {};
}

/// Unix seconds of a summary field; -1 for null.
qint64 timeOf(const QJsonObject& summary, const char* field)
{
    return summary[field].isNull() ? -1 : static_cast<qint64>(summary[field].toDouble());
}

} // namespace

class TestMarginctlReplay : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void replaysACrashFromCsv();
    void alertLinesCarryWatchsFieldsAndTheRecordingsTime();
    void readableReport();
    void theReadmesExampleOnTheRecordedCrash();
    void replaysTheJournalsMarks();
    void badInputIsOneLineExitTwoAndNoReport_data();
    void badInputIsOneLineExitTwoAndNoReport();

private:
    QTemporaryDir m_dir;
};

void TestMarginctlReplay::replaysACrashFromCsv()
{
    const QString portfolio = writeFile(m_dir, "portfolio.json", kPortfolio);
    const QString marks = writeFile(m_dir, "crash.csv", crashCsv());
    const Run run = marginctl({"replay", "--portfolio", portfolio, "--marks", marks, "--json"});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.err.isEmpty(), run.err.constData());
    const QList<QJsonObject> lines = jsonLines(run.out);
    QVERIFY(!lines.isEmpty());

    // The long is liquidated in the fall — and was warned, then told critical, before that.
    const QJsonObject longSummary = summaryOf(lines, "btc long 5x");
    QCOMPARE(longSummary["symbol"].toString(), QString("BTCUSDT"));
    QCOMPARE(longSummary["side"].toString(), QString("long"));
    QCOMPARE(longSummary["venue"].toString(), QString("binance-usdm"));
    const qint64 liquidated = timeOf(longSummary, "liquidated");
    const qint64 warning = timeOf(longSummary, "firstWarning");
    const qint64 critical = timeOf(longSummary, "firstCritical");
    // Liquidation at about −19.7 %: 30 min of calm, then 1 % a minute — about minute 50.
    QVERIFY2(liquidated > kStart + 48 * 60 && liquidated < kStart + 52 * 60,
             qPrintable(QString::number(liquidated - kStart)));
    QVERIFY(warning > 0 && critical > 0);
    QVERIFY2(warning <= critical && critical < liquidated, qPrintable(QString("warning %1 critical %2 liquidated %3")
                                                                          .arg(warning - kStart)
                                                                          .arg(critical - kStart)
                                                                          .arg(liquidated - kStart)));
    QVERIFY(longSummary["sounding"].toInt() >= 2);
    QVERIFY(longSummary["firstEmergency"].isNull() || longSummary["firstEmergency"].isDouble());

    // The short, half the market away from its liquidation price in a falling market: quiet.
    const QJsonObject shortSummary = summaryOf(lines, "eth short 2x");
    QCOMPARE(shortSummary["side"].toString(), QString("short"));
    QVERIFY(shortSummary["liquidated"].isNull());
    QVERIFY(shortSummary["firstWarning"].isNull());
    QVERIFY(shortSummary["firstCritical"].isNull());
    QVERIFY(shortSummary["firstEmergency"].isNull());
    QCOMPARE(shortSummary["sounding"].toInt(), 0);
    for (const QJsonObject& line : lines) {
        QVERIFY2(!(line["type"].toString() == "alert" && line["account"].toString() == "eth short 2x"),
                 QJsonDocument(line).toJson(QJsonDocument::Compact).constData());
    }

    // Summaries come after every alert, one per position, with every field of the right type.
    int summaries = 0;
    bool seenSummary = false;
    for (const QJsonObject& line : lines) {
        if (line["type"].toString() == "summary") {
            seenSummary = true;
            ++summaries;
            for (const char* field : {"liquidated", "firstWarning", "firstCritical", "firstEmergency"}) {
                QVERIFY2(line[field].isNull() || line[field].isDouble(), field);
            }
            QVERIFY(line["sounding"].isDouble());
            QVERIFY(line["account"].isString());
        } else {
            QCOMPARE(line["type"].toString(), QString("alert"));
            QVERIFY2(!seenSummary, "an alert line after the summaries");
        }
    }
    QCOMPARE(summaries, 2);
}

void TestMarginctlReplay::alertLinesCarryWatchsFieldsAndTheRecordingsTime()
{
    const QString portfolio = writeFile(m_dir, "portfolio.json", kPortfolio);
    const QString marks = writeFile(m_dir, "crash.csv", crashCsv());
    const Run run = marginctl({"replay", "--portfolio", portfolio, "--marks", marks, "--json"});
    QCOMPARE(run.exitCode, 0);
    const QStringList fields{"type",
                             "change",
                             "level",
                             "rule",
                             "episode",
                             "venue",
                             "account",
                             "symbol",
                             "side",
                             "value",
                             "threshold",
                             "markPrice",
                             "liquidationPrice",
                             "distanceToLiquidationPct",
                             "message",
                             "reasons",
                             "sounds",
                             "wallTimeMs",
                             "decisionMicros",
                             "time"};
    int alerts = 0;
    for (const QJsonObject& line : jsonLines(run.out)) {
        if (line["type"].toString() != "alert") {
            continue;
        }
        ++alerts;
        QCOMPARE(line.keys().size(), fields.size());
        for (const QString& field : fields) {
            QVERIFY2(line.contains(field), qPrintable(field));
        }
        // The recording's own time, the wall clock of the decision: inside the recording.
        const qint64 time = static_cast<qint64>(line["time"].toDouble());
        QVERIFY(time >= kStart && time <= kStart + 90 * 60);
        QCOMPARE(static_cast<qint64>(line["wallTimeMs"].toDouble()), time * 1000);
        static const QRegularExpression notANumber(QStringLiteral("\\b(inf|nan)\\b"), QRegularExpression::CaseInsensitiveOption);
        QVERIFY2(!line["message"].toString().contains(notANumber), qPrintable(line["message"].toString()));
    }
    QVERIFY(alerts > 0);
}

void TestMarginctlReplay::theReadmesExampleOnTheRecordedCrash()
{
    if (!QFile::exists(QStringLiteral(RECORDED_CRASH))) {
        QSKIP("../shared/data/crashes is not beside the repository");
    }
    const Run run = marginctl({"replay", "--portfolio", README_LADDER, "--marks", RECORDED_CRASH, "--json"});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.err.isEmpty(), run.err.constData());
    const QList<QJsonObject> lines = jsonLines(run.out);
    // The 10× long and the cross account are liquidated in the sell-off, each told critical at least
    // two minutes before; nothing sounds more than a few times; no alert line says inf or nan.
    for (const char* account : {"long 10x", "cross"}) {
        const QJsonObject summary = summaryOf(lines, account);
        const qint64 liquidated = timeOf(summary, "liquidated");
        const qint64 critical = timeOf(summary, "firstCritical");
        QVERIFY2(liquidated > 0 && critical > 0 && liquidated - critical >= 120, account);
        QVERIFY2(summary["sounding"].toInt() <= 6, account);
    }
    const QJsonObject shortSummary = summaryOf(lines, "short 10x");
    QVERIFY(shortSummary["liquidated"].isNull());
    QVERIFY(shortSummary["firstCritical"].isNull());
    for (const QJsonObject& line : lines) {
        if (line["type"].toString() != "alert") {
            continue;
        }
        const QByteArray text = QJsonDocument(line).toJson(QJsonDocument::Compact);
        static const QRegularExpression notANumber(QStringLiteral("\\b-?(inf|nan)\\b"), QRegularExpression::CaseInsensitiveOption);
        QVERIFY2(!notANumber.match(QString::fromUtf8(text)).hasMatch(), text.constData());
        QVERIFY(line["reasons"].isArray());
        QCOMPARE(line["sounds"].toBool(), line["change"].toString() == "raised" || line["change"].toString() == "escalated");
        if (line["change"].toString() != "cleared") {
            QVERIFY2(!line["reasons"].toArray().isEmpty() || line["change"].toString() == "eased", text.constData());
        }
    }
}

void TestMarginctlReplay::readableReport()
{
    const QString portfolio = writeFile(m_dir, "portfolio.json", kPortfolio);
    const QString marks = writeFile(m_dir, "crash.csv", crashCsv());
    const Run run = marginctl({"replay", "--portfolio", portfolio, "--marks", marks});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.err.isEmpty(), run.err.constData());
    const QString text = QString::fromUtf8(run.out);
    QVERIFY2(text.contains("Replayed 1082 marks of 2 symbols"), qPrintable(text.left(200)));
    QVERIFY(text.contains("a mark expected every 10 s"));
    QVERIFY(text.contains("Alerts ("));
    QVERIFY(text.contains("first critical"));
    QVERIFY(text.contains("btc long 5x"));
    QVERIFY(text.contains("eth short 2x"));
    QVERIFY(text.contains("2023-11-14 22:13:20")); // the recording's first moment, in UTC
}

void TestMarginctlReplay::replaysTheJournalsMarks()
{
    // The desktop app's journal, with the crash as its mark history — and a symbol nobody replays.
    const QString file = m_dir.filePath("journal.db");
    {
        mm::Journal journal = mm::Journal::open(file.toStdString());
        scriptedCrash([&](qint64 time, const char* symbol, double mark) {
            journal.recordMark(mm::Venue::BinanceUsdm, symbol, time * 1000, mark, std::nullopt, std::nullopt);
        });
        journal.recordMark(mm::Venue::BybitLinear, "XRPUSDT", kStart * 1000, 0.5, std::nullopt, std::nullopt);
        journal.flushHistory();
    }
    const QString portfolio = writeFile(m_dir, "portfolio.json", kPortfolio);
    const Run fromJournal = marginctl({"replay", "--portfolio", portfolio, "--journal", file, "--json"});
    QCOMPARE(fromJournal.exitCode, 0);
    QVERIFY2(fromJournal.err.isEmpty(), fromJournal.err.constData());
    const QList<QJsonObject> journalLines = jsonLines(fromJournal.out);
    const QJsonObject longSummary = summaryOf(journalLines, "btc long 5x");
    QVERIFY(timeOf(longSummary, "liquidated") > 0);
    QVERIFY(timeOf(longSummary, "firstCritical") > 0);
    QVERIFY(timeOf(longSummary, "firstCritical") < timeOf(longSummary, "liquidated"));
    QCOMPARE(summaryOf(journalLines, "eth short 2x")["sounding"].toInt(), 0);

    // The same marks from a CSV: the same story, to the second.
    const QString marks = writeFile(m_dir, "crash.csv", crashCsv());
    const Run fromCsv = marginctl({"replay", "--portfolio", portfolio, "--marks", marks, "--json"});
    QCOMPARE(fromCsv.exitCode, 0);
    const QJsonObject csvSummary = summaryOf(jsonLines(fromCsv.out), "btc long 5x");
    for (const char* field : {"liquidated", "firstWarning", "firstCritical", "firstEmergency", "sounding"}) {
        QVERIFY2(csvSummary[field] == longSummary[field], field);
    }
}

void TestMarginctlReplay::badInputIsOneLineExitTwoAndNoReport_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("named");

    const QString portfolio = writeFile(m_dir, "good-portfolio.json", kPortfolio);
    const QString marks = writeFile(m_dir, "good.csv", crashCsv());
    const QString badRow =
        writeFile(m_dir, "bad-row.csv", "time,symbol,mark\n1700000000,BTCUSDT,60000\n1700000010,BTCUSDT,abc\n");
    const QString unheld =
        writeFile(m_dir, "unheld.csv", "time,symbol,mark\n1700000000,BTCUSDT,60000\n1700000000,XRPUSDT,0.5\n");
    const QString empty = writeFile(m_dir, "empty.csv", "time,symbol,mark\n");
    const QString notJournal = writeFile(m_dir, "not-a-journal.db", "this is not a database\n");
    const QString badPortfolio = writeFile(
        m_dir, "bad-portfolio.json",
        R"({"venue": "binance-usdm", "walletBalance": "0", "positions": [{"symbol": "BTCUSDT", "side": "long", "quantity": "-1", "entryPrice": "60000"}]})");
    const QString badRules = writeFile(m_dir, "bad-rules.json", R"({"rules": [{"kind": "loudness"}]})");
    const QString missing = m_dir.filePath("missing.csv");

    QTest::newRow("missing portfolio file")
        << QStringList{"--portfolio", m_dir.filePath("nowhere.json"), "--marks", marks} << "nowhere.json";
    QTest::newRow("portfolio that is not valid")
        << QStringList{"--portfolio", badPortfolio, "--marks", marks} << "positions[0].quantity";
    QTest::newRow("missing marks file") << QStringList{"--portfolio", portfolio, "--marks", missing} << "missing.csv";
    QTest::newRow("bad CSV row, its line named")
        << QStringList{"--portfolio", portfolio, "--marks", badRow} << "bad-row.csv:3";
    QTest::newRow("symbol no portfolio holds") << QStringList{"--portfolio", portfolio, "--marks", unheld} << "XRPUSDT";
    QTest::newRow("no marks at all") << QStringList{"--portfolio", portfolio, "--marks", empty} << "no marks";
    QTest::newRow("journal that is not one")
        << QStringList{"--portfolio", portfolio, "--journal", notJournal} << "not-a-journal.db";
    QTest::newRow("missing journal") << QStringList{"--portfolio", portfolio, "--journal",
                                                    m_dir.filePath("no-journal.db")}
                                     << "no-journal.db";
    QTest::newRow("rules that are not valid")
        << QStringList{"--portfolio", portfolio, "--marks", marks, "--rules", badRules} << "bad-rules.json";
    QTest::newRow("unknown option") << QStringList{"--portfolio", portfolio, "--marks", marks, "--frobnicate"}
                                    << "--frobnicate";
    QTest::newRow("option without its file")
        << QStringList{"--portfolio", portfolio, "--marks"} << "--marks needs a FILE";
    QTest::newRow("no portfolio") << QStringList{"--marks", marks} << "--portfolio";
    QTest::newRow("no marks given") << QStringList{"--portfolio", portfolio} << "--marks CSV or --journal";
    QTest::newRow("both marks and journal")
        << QStringList{"--portfolio", portfolio, "--marks", marks, "--journal", notJournal}
        << "--marks CSV or --journal";
}

void TestMarginctlReplay::badInputIsOneLineExitTwoAndNoReport()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, named);
    const Run run = marginctl(QStringList{"replay"} + arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.out.isEmpty(), run.out.left(300).constData());
    const QString error = QString::fromUtf8(run.err);
    QVERIFY2(error.startsWith("marginctl replay: "), qPrintable(error));
    QVERIFY2(error.endsWith('\n') && error.count('\n') == 1, qPrintable(error));
    QVERIFY2(error.contains(named), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestMarginctlReplay)
#include "tst_marginctl_replay.moc"
