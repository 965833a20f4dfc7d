// Nothing committed is lost when the process is killed: this test runs itself as a writer
// (`--writer FILE`) that records alerts, actions and mark history in a loop and reports each committed
// row id on stdout the moment its record call returns; the test SIGKILLs it at a random moment, opens
// the journal again, and checks that every reported row is there, intact, and that SQLite's integrity
// check passes. The rounds share one file, so each also opens a journal recovered from the last kill.
#include "store/journal.h"

#include <QtTest>

#include <unistd.h>

#include <chrono>
#include <map>
#include <string>
#include <thread>

using namespace mm;

namespace {

constexpr std::int64_t kBaseWallMs = 1'700'000'000'000;

std::string alertMessage(std::int64_t run, std::int64_t sequence)
{
    return "alert " + std::to_string(sequence) + " of run " + std::to_string(run) + ", with \"quotes\"\nand a new line";
}

std::string orderId(std::int64_t run, std::int64_t sequence)
{
    return "mm-" + std::to_string(run) + "-" + std::to_string(sequence);
}

void report(const std::string& line)
{
    // One write() per line, unbuffered: what the parent reads was reported before the kill. A pipe
    // write this short is atomic.
    const std::string text = line + "\n";
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(STDOUT_FILENO, text.data() + written, text.size() - written);
        if (n <= 0) {
            std::_Exit(3);
        }
        written += static_cast<std::size_t>(n);
    }
}

/// The child: records until killed (or, should the parent never kill it, for a bounded time).
int runWriter(const char* file)
{
    try {
        Journal journal = Journal::open(file);
        const std::int64_t run = journal.runId();
        report("run " + std::to_string(run));
        for (std::int64_t sequence = 0; sequence < 200'000; ++sequence) {
            AlertEvent event;
            event.episode = static_cast<std::uint64_t>(sequence);
            event.level = AlertLevel::Critical;
            event.subject.venue = Venue::BinanceUsdm;
            event.subject.accountLabel = "main";
            event.subject.symbol = "BTCUSDT";
            event.subject.side = Side::Long;
            event.value = double(sequence);
            event.message = alertMessage(run, sequence);
            event.wallTimeMs = kBaseWallMs + sequence;
            const std::int64_t alertId = journal.recordAlert(event);
            report("alert " + std::to_string(alertId) + " " + std::to_string(sequence));
            if (sequence % 3 == 0) {
                ActionRecord action;
                action.wallTimeMs = kBaseWallMs + sequence;
                action.accountLabel = "main";
                action.venue = Venue::BinanceUsdm;
                action.symbol = "BTCUSDT";
                action.episode = static_cast<std::uint64_t>(sequence);
                action.clientOrderId = orderId(run, sequence);
                action.step = std::string(action_steps::kIntent);
                action.side = Side::Short;
                action.quantity = "0.001";
                const std::int64_t actionId = journal.recordAction(action);
                report("action " + std::to_string(actionId) + " " + std::to_string(sequence));
            }
            for (int position = 0; position < 4; ++position) {
                journal.recordMark(Venue::OkxSwap, "POS-" + std::to_string(position), kBaseWallMs + sequence * 10 + position,
                                   100 + double(sequence), 90, 10);
            }
        }
    } catch (const std::exception& error) {
        std::fprintf(stderr, "writer: %s\n", error.what());
        return 2;
    }
    return 0;
}

struct Reported {
    std::int64_t run = 0;
    std::map<std::int64_t, std::int64_t> alerts;  ///< row id → sequence
    std::map<std::int64_t, std::int64_t> actions; ///< row id → sequence
};

Reported parseReport(const QByteArray& output)
{
    Reported reported;
    const qsizetype complete = output.lastIndexOf('\n') + 1; // a kill cannot cut a line, but be sure
    for (const QByteArray& line : output.left(complete).split('\n')) {
        const QList<QByteArray> words = line.split(' ');
        if (words.size() == 2 && words[0] == "run") {
            reported.run = words[1].toLongLong();
        } else if (words.size() == 3 && words[0] == "alert") {
            reported.alerts[words[1].toLongLong()] = words[2].toLongLong();
        } else if (words.size() == 3 && words[0] == "action") {
            reported.actions[words[1].toLongLong()] = words[2].toLongLong();
        }
    }
    return reported;
}

} // namespace

class TestJournalKill : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void nothingCommittedIsLost_data();
    void nothingCommittedIsLost();

private:
    QTemporaryDir m_dir;
    std::string m_file;
    QRandomGenerator m_random;
    std::map<std::int64_t, std::string> m_allAlerts; ///< every alert reported in any round: id → message
};

void TestJournalKill::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_file = (std::filesystem::path(m_dir.path().toStdString()) / "journal.db").string();
    const quint32 seed = QRandomGenerator::global()->generate();
    qInfo("random seed %u (set MM_KILL_SEED to repeat)", seed);
    m_random.seed(qEnvironmentVariableIsSet("MM_KILL_SEED") ? quint32(qEnvironmentVariableIntValue("MM_KILL_SEED")) : seed);
}

void TestJournalKill::nothingCommittedIsLost_data()
{
    // How many lines to wait for before the kill; a random pause of up to 20 ms follows, so the kill
    // lands anywhere: in open or migration, between commits, inside a commit or a history batch.
    QTest::addColumn<int>("linesBeforeKill");
    QTest::newRow("while opening") << 0;
    QTest::newRow("right after the run started") << 1;
    QTest::newRow("after a few rows") << 8;
    QTest::newRow("after dozens") << 60;
    QTest::newRow("after a couple of hundred") << 200;
    for (int round = 0; round < 4; ++round) {
        const QByteArray name = "random " + QByteArray::number(round);
        QTest::newRow(name.constData()) << -1;
    }
}

void TestJournalKill::nothingCommittedIsLost()
{
    QFETCH(int, linesBeforeKill);
    if (linesBeforeKill < 0) {
        linesBeforeKill = m_random.bounded(1, 250);
    }
    QProcess writer;
    writer.setProcessChannelMode(QProcess::SeparateChannels);
    writer.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--writer"), QString::fromStdString(m_file)});
    QVERIFY(writer.waitForStarted());
    QByteArray output;
    QElapsedTimer waited;
    waited.start();
    while (output.count('\n') < linesBeforeKill && writer.state() == QProcess::Running && waited.elapsed() < 3000) {
        writer.waitForReadyRead(50);
        output += writer.readAllStandardOutput();
    }
    std::this_thread::sleep_for(std::chrono::microseconds(m_random.bounded(20'000)));
    QVERIFY2(writer.state() == QProcess::Running, writer.readAllStandardError().constData());
    writer.kill(); // SIGKILL
    QVERIFY(writer.waitForFinished(5000));
    QCOMPARE(writer.exitStatus(), QProcess::CrashExit);
    output += writer.readAllStandardOutput();

    const Reported reported = parseReport(output);
    qInfo("killed after %zu alerts and %zu actions were reported", reported.alerts.size(), reported.actions.size());
    for (const auto& [id, sequence] : reported.alerts) {
        m_allAlerts[id] = alertMessage(reported.run, sequence);
    }

    Journal journal = Journal::open(m_file);
    QCOMPARE(QString::fromStdString(journal.integrityProblems()), QString());
    std::map<std::int64_t, AlertRow> stored;
    for (AlertRow& row : journal.alerts(1'000'000)) {
        stored.emplace(row.id, std::move(row));
    }
    for (const auto& [id, message] : m_allAlerts) {
        const auto found = stored.find(id);
        QVERIFY2(found != stored.end(), qPrintable(QStringLiteral("alert %1 was reported committed but is gone").arg(id)));
        QCOMPARE(QString::fromStdString(found->second.message), QString::fromStdString(message));
    }
    for (const auto& [id, sequence] : reported.alerts) {
        QCOMPARE(stored.at(id).runId, reported.run);
        QCOMPARE(stored.at(id).episode, std::uint64_t(sequence));
    }
    for (const auto& [id, sequence] : reported.actions) {
        const std::vector<ActionRow> steps = journal.actionsForClientOrderId(orderId(reported.run, sequence));
        QCOMPARE(steps.size(), std::size_t(1));
        QCOMPARE(steps[0].id, id);
        QCOMPARE(QString::fromStdString(steps[0].action.quantity), QStringLiteral("0.001"));
    }
    // The history may lose its last batch, but what is there is readable and in order.
    for (const HistorySubject& subject : journal.historySubjects()) {
        const std::vector<HistoryPoint> points = journal.history(subject.venue, subject.symbol, 0);
        QVERIFY(std::is_sorted(points.begin(), points.end(),
                               [](const HistoryPoint& a, const HistoryPoint& b) { return a.wallTimeMs < b.wallTimeMs; }));
    }
}

int main(int argc, char** argv)
{
    if (argc == 3 && std::string_view(argv[1]) == "--writer") {
        return runWriter(argv[2]);
    }
    QCoreApplication app(argc, argv);
    TestJournalKill test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_journal_kill.moc"
