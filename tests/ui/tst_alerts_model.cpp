// AlertsModel: the alert journal's history as a table. A real journal (SQLite, WAL) is written in a
// temporary folder with Journal::open, as the core does, and read through a second, read-only
// connection, as the GUI does.

#include "models/alerts_model.h"
#include "models/risk_level.h"

#include "store/journal.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>

using namespace mm;
using namespace mm::ui;

namespace {

constexpr std::int64_t kStartMs = 1'709'296'496'000; // 2024-03-01T12:34:56Z

AlertEvent positionAlert(std::uint64_t episode, AlertChange change, AlertLevel level, double value, std::int64_t wallMs,
                         const std::string& message = "BTCUSDT long is 4.2% from liquidation")
{
    AlertEvent event;
    event.episode = episode;
    event.change = change;
    event.level = level;
    event.rule = AlertRuleKind::Distance;
    event.subject.account = 0;
    event.subject.position = 0;
    event.subject.venue = Venue::BinanceUsdm;
    event.subject.accountLabel = "main";
    event.subject.symbol = "BTCUSDT";
    event.subject.side = Side::Long;
    event.value = value;
    event.threshold = level == AlertLevel::Warning ? 10.0 : 5.0;
    event.markPrice = 61000.0;
    event.liquidationPrice = 58438.0;
    event.distancePct = value;
    event.message = message;
    event.wallTimeMs = wallMs;
    return event;
}

AlertEvent accountAlert(std::uint64_t episode, double ratio, std::int64_t wallMs)
{
    AlertEvent event;
    event.episode = episode;
    event.change = AlertChange::Raised;
    event.level = AlertLevel::Critical;
    event.rule = AlertRuleKind::MarginRatio;
    event.subject.venue = Venue::BybitLinear;
    event.subject.accountLabel = "swing";
    event.value = ratio;
    event.threshold = 85.0;
    event.message = "swing's cross margin ratio is 87.5%";
    event.wallTimeMs = wallMs;
    return event;
}

std::filesystem::path fsPath(const QString& path)
{
    return std::filesystem::path(path.toStdString());
}

QString localTime(std::int64_t ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString text(const AlertsModel& model, int row, int column)
{
    return model.data(model.index(row, column)).toString();
}

/// The signals a reload may emit, counted.
struct Spies {
    explicit Spies(AlertsModel& model)
        : inserted(&model, &QAbstractItemModel::rowsInserted),
          removed(&model, &QAbstractItemModel::rowsRemoved),
          reset(&model, &QAbstractItemModel::modelReset),
          changed(&model, &QAbstractItemModel::dataChanged)
    {
    }
    void clear()
    {
        inserted.clear();
        removed.clear();
        reset.clear();
        changed.clear();
    }
    QSignalSpy inserted;
    QSignalSpy removed;
    QSignalSpy reset;
    QSignalSpy changed;
};

} // namespace

class TestAlertsModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsRowsTextsAndRoles();
    void insertsOnlyTheNewRowsAtTheTop();
    void keepsAtMostTheLimit();
    void anotherJournalResets();
    void followsAJournalFile();
    void exportsCsv();
    void unreadableJournalIsAProblemInWords();
};

void TestAlertsModel::readsRowsTextsAndRoles()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto file = fsPath(dir.filePath(QStringLiteral("journal.db")));
    Journal writer = Journal::open(file);
    writer.recordAlert(positionAlert(7, AlertChange::Raised, AlertLevel::Warning, 8.5, kStartMs));
    writer.recordAlert(positionAlert(7, AlertChange::Escalated, AlertLevel::Critical, 4.2, kStartMs + 1000));
    writer.recordAlert(accountAlert(8, 87.5, kStartMs + 2000));

    Journal reader = Journal::openReadOnly(file);
    AlertsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Spies spies(model);
    QCOMPARE(model.reload(reader), QString());
    QCOMPARE(model.problem(), QString());
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.columnCount(), int(AlertsModel::Count));
    QCOMPARE(spies.inserted.count(), 1); // the first rows: one insert, not a reset
    QCOMPARE(spies.reset.count(), 0);

    // Newest first: the account's margin ratio alert.
    QCOMPARE(text(model, 0, AlertsModel::Time), localTime(kStartMs + 2000));
    QCOMPARE(text(model, 0, AlertsModel::Level), QStringLiteral("Critical"));
    QCOMPARE(text(model, 0, AlertsModel::Change), QStringLiteral("Raised"));
    QCOMPARE(text(model, 0, AlertsModel::Rule), QStringLiteral("Margin ratio"));
    QCOMPARE(text(model, 0, AlertsModel::Exchange), QStringLiteral("Bybit"));
    QCOMPARE(text(model, 0, AlertsModel::Account), QStringLiteral("swing"));
    QCOMPARE(text(model, 0, AlertsModel::Symbol), QStringLiteral("cross margin"));
    QCOMPARE(text(model, 0, AlertsModel::Side), QStringLiteral("—"));
    QCOMPARE(text(model, 0, AlertsModel::Value), QStringLiteral("87.50%"));
    QCOMPARE(text(model, 0, AlertsModel::Message), QStringLiteral("swing's cross margin ratio is 87.5%"));

    QCOMPARE(text(model, 1, AlertsModel::Change), QStringLiteral("Escalated"));
    QCOMPARE(text(model, 1, AlertsModel::Rule), QStringLiteral("Distance to liquidation"));
    QCOMPARE(text(model, 1, AlertsModel::Exchange), QStringLiteral("Binance"));
    QCOMPARE(text(model, 1, AlertsModel::Symbol), QStringLiteral("BTCUSDT"));
    QCOMPARE(text(model, 1, AlertsModel::Side), QStringLiteral("Long"));
    QCOMPARE(text(model, 1, AlertsModel::Value), QStringLiteral("4.20%"));
    const QString valueTip = model.data(model.index(1, AlertsModel::Value), Qt::ToolTipRole).toString();
    QVERIFY2(valueTip.contains(QStringLiteral("Threshold 5.00%")) && valueTip.contains(QStringLiteral("Mark 61,000.00")) &&
                 valueTip.contains(QStringLiteral("Liquidation 58,438.00")),
             qPrintable(valueTip));
    QCOMPARE(text(model, 2, AlertsModel::Level), QStringLiteral("Warning"));
    QCOMPARE(text(model, 2, AlertsModel::Time), localTime(kStartMs));

    // Roles: the raw sort value, the episode and run, the level and its colour, the row id.
    const QModelIndex time = model.index(1, AlertsModel::Time);
    QCOMPARE(model.data(time, AlertsModel::SortRole).toLongLong(), kStartMs + 1000);
    QCOMPARE(model.data(time, AlertsModel::EpisodeRole).toULongLong(), 7ULL);
    QCOMPARE(model.data(time, AlertsModel::RunRole).toLongLong(), writer.runId());
    QCOMPARE(model.data(time, AlertsModel::AlertLevelRole).toInt(), int(AlertLevel::Critical));
    QCOMPARE(model.data(model.index(1, AlertsModel::Message), AlertsModel::AlertLevelRole).toInt(), int(AlertLevel::Critical));
    QCOMPARE(model.data(model.index(0, AlertsModel::Value), AlertsModel::SortRole).toDouble(), 87.5);
    QCOMPARE(model.data(model.index(2, AlertsModel::Level), AlertsModel::SortRole).toInt(), int(AlertLevel::Warning));
    QCOMPARE(model.data(model.index(1, AlertsModel::Level), Qt::ForegroundRole).value<QColor>(), riskColour(RiskLevel::Danger));
    QCOMPARE(model.data(model.index(2, AlertsModel::Level), Qt::ForegroundRole).value<QColor>(), riskColour(RiskLevel::Warning));
    QVERIFY(model.data(model.index(2, AlertsModel::Account), AlertsModel::RowIdRole).toLongLong() > 0);
    QCOMPARE(model.alertAt(2).episode, 7ULL);
    QCOMPARE(model.headerData(AlertsModel::Value, Qt::Horizontal).toString(), QStringLiteral("Value"));
}

void TestAlertsModel::insertsOnlyTheNewRowsAtTheTop()
{
    QTemporaryDir dir;
    const auto file = fsPath(dir.filePath(QStringLiteral("journal.db")));
    Journal writer = Journal::open(file);
    for (int i = 0; i < 3; ++i) {
        writer.recordAlert(positionAlert(1, AlertChange::Raised, AlertLevel::Warning, 9.0, kStartMs + i));
    }
    Journal reader = Journal::openReadOnly(file);
    AlertsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.reload(reader), QString());
    Spies spies(model);

    // Nothing new: nothing at all.
    QCOMPARE(model.reload(reader), QString());
    QCOMPARE(spies.inserted.count(), 0);
    QCOMPARE(spies.removed.count(), 0);
    QCOMPARE(spies.reset.count(), 0);
    QCOMPARE(spies.changed.count(), 0);
    QCOMPARE(model.rowCount(), 3);

    // Two new alerts: one insert of rows 0..1, the rows shown stay.
    writer.recordAlert(positionAlert(2, AlertChange::Raised, AlertLevel::Warning, 9.5, kStartMs + 100, "second"));
    writer.recordAlert(positionAlert(2, AlertChange::Escalated, AlertLevel::Critical, 4.5, kStartMs + 200, "third"));
    QCOMPARE(model.reload(reader), QString());
    QCOMPARE(spies.inserted.count(), 1);
    QCOMPARE(spies.inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(spies.inserted.at(0).at(2).toInt(), 1);
    QCOMPARE(spies.removed.count(), 0);
    QCOMPARE(spies.reset.count(), 0);
    QCOMPARE(spies.changed.count(), 0);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(text(model, 0, AlertsModel::Message), QStringLiteral("third"));
    QCOMPARE(text(model, 1, AlertsModel::Message), QStringLiteral("second"));

    // More new ones than the first probe reads (kProbeRows): still one insert, of exactly those.
    spies.clear();
    const int many = int(AlertsModel::kProbeRows) + 6;
    for (int i = 0; i < many; ++i) {
        writer.recordAlert(positionAlert(3, AlertChange::Raised, AlertLevel::Warning, 9.0, kStartMs + 1000 + i));
    }
    QCOMPARE(model.reload(reader), QString());
    QCOMPARE(spies.inserted.count(), 1);
    QCOMPARE(spies.inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(spies.inserted.at(0).at(2).toInt(), many - 1);
    QCOMPARE(spies.removed.count(), 0);
    QCOMPARE(spies.reset.count(), 0);
    QCOMPARE(model.rowCount(), 5 + many);
    QCOMPARE(text(model, many, AlertsModel::Message), QStringLiteral("third"));

    // And again nothing.
    spies.clear();
    QCOMPARE(model.reload(reader), QString());
    QCOMPARE(spies.inserted.count() + spies.removed.count() + spies.reset.count() + spies.changed.count(), 0);
}

void TestAlertsModel::keepsAtMostTheLimit()
{
    QTemporaryDir dir;
    const auto file = fsPath(dir.filePath(QStringLiteral("journal.db")));
    Journal writer = Journal::open(file);
    for (int i = 0; i < 4; ++i) {
        writer.recordAlert(positionAlert(1, AlertChange::Raised, AlertLevel::Warning, 9.0, kStartMs + i));
    }
    Journal reader = Journal::openReadOnly(file);
    AlertsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.reload(reader, 5), QString());
    QCOMPARE(model.rowCount(), 4);
    Spies spies(model);
    for (int i = 0; i < 3; ++i) {
        writer.recordAlert(positionAlert(2, AlertChange::Raised, AlertLevel::Warning, 9.0, kStartMs + 10 + i));
    }
    QCOMPARE(model.reload(reader, 5), QString());
    QCOMPARE(spies.inserted.count(), 1); // rows 0..2
    QCOMPARE(spies.inserted.at(0).at(2).toInt(), 2);
    QCOMPARE(spies.removed.count(), 1); // the two oldest, at the bottom
    QCOMPARE(spies.removed.at(0).at(1).toInt(), 5);
    QCOMPARE(spies.removed.at(0).at(2).toInt(), 6);
    QCOMPARE(spies.reset.count(), 0);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.data(model.index(4, AlertsModel::Time), AlertsModel::SortRole).toLongLong(), kStartMs + 2);
}

void TestAlertsModel::anotherJournalResets()
{
    QTemporaryDir dir;
    Journal first = Journal::open(fsPath(dir.filePath(QStringLiteral("a.db"))));
    first.recordAlert(positionAlert(1, AlertChange::Raised, AlertLevel::Warning, 9.0, kStartMs));
    Journal second = Journal::open(fsPath(dir.filePath(QStringLiteral("b.db"))));
    second.recordAlert(positionAlert(5, AlertChange::Raised, AlertLevel::Critical, 4.0, kStartMs + 50));
    second.recordAlert(positionAlert(5, AlertChange::Cleared, AlertLevel::Critical, 12.0, kStartMs + 60));

    AlertsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.reload(first), QString());
    Spies spies(model);
    QCOMPARE(model.reload(second), QString()); // row id 1 in both, but not the same row
    QCOMPARE(spies.reset.count(), 1);
    QCOMPARE(spies.inserted.count(), 0);
    QCOMPARE(spies.removed.count(), 0);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(text(model, 0, AlertsModel::Change), QStringLiteral("Cleared"));
    QCOMPARE(model.data(model.index(0, AlertsModel::Change), Qt::ForegroundRole).value<QColor>(), riskColour(RiskLevel::Safe));
}

void TestAlertsModel::followsAJournalFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("journal.db"));
    AlertsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy problems(&model, &AlertsModel::problemChanged);
    model.setJournalFile(path);

    // The core has not created it yet: said in words, and tried again on the next reload.
    const QString missing = model.reloadNow();
    QVERIFY2(missing.contains(QStringLiteral("no journal")) && missing.contains(QStringLiteral("journal.db")), qPrintable(missing));
    QCOMPARE(problems.count(), 1);

    Journal writer = Journal::open(fsPath(path));
    writer.recordAlert(positionAlert(1, AlertChange::Raised, AlertLevel::Warning, 9.0, kStartMs));
    QCOMPARE(model.reloadNow(), QString());
    QCOMPARE(model.problem(), QString());
    QCOMPARE(problems.count(), 2); // and cleared
    QCOMPARE(model.rowCount(), 1);

    // Three deliveries in quick succession: one read, one insert of all three.
    Spies spies(model);
    for (int i = 0; i < 3; ++i) {
        writer.recordAlert(positionAlert(2, AlertChange::Raised, AlertLevel::Critical, 4.0, kStartMs + 10 + i));
        model.scheduleReload();
    }
    QCOMPARE(model.rowCount(), 1); // not before the pace
    QTRY_COMPARE(model.rowCount(), 4);
    QTest::qWait(int(AlertsModel::kReloadPace.count()) * 2);
    QCOMPARE(spies.inserted.count(), 1);
    QCOMPARE(spies.inserted.at(0).at(2).toInt(), 2);
    QCOMPARE(spies.reset.count(), 0);
}

void TestAlertsModel::exportsCsv()
{
    QTemporaryDir dir;
    const auto file = fsPath(dir.filePath(QStringLiteral("journal.db")));
    Journal writer = Journal::open(file);
    writer.recordAlert(positionAlert(1, AlertChange::Raised, AlertLevel::Warning, 8.5, kStartMs, "first, with a comma"));
    writer.recordAlert(accountAlert(2, 87.5, kStartMs + 1000));
    Journal reader = Journal::openReadOnly(file);

    const QString csvPath = dir.filePath(QStringLiteral("alerts.csv"));
    QCOMPARE(exportAlertsCsv(reader, csvPath), QString());
    QFile csv(csvPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = csv.readAll().split('\n');
    QCOMPARE(lines.size(), 4); // header, two rows, and the empty piece after the last CRLF
    QVERIFY2(lines[0].startsWith("id,run,episode,time_utc,wall_ms,change,level,rule"), lines[0].constData());
    QVERIFY(lines[0].endsWith('\r'));
    QVERIFY2(lines[1].contains("2024-03-01T12:34:56.000Z") && lines[1].contains("\"first, with a comma\""), lines[1].constData());
    QVERIFY2(lines[2].contains("margin-ratio") && lines[2].contains("swing"), lines[2].constData());
    QVERIFY(lines[3].isEmpty());

    // The audit trail too (empty here: its header).
    const QString actionsPath = dir.filePath(QStringLiteral("actions.csv"));
    QCOMPARE(exportActionsCsv(reader, actionsPath), QString());
    QFile actions(actionsPath);
    QVERIFY(actions.open(QIODevice::ReadOnly));
    QVERIFY(actions.readAll().startsWith("id,run,time_utc"));

    // A folder that does not exist: the problem in words, and no file.
    const QString nowhere = dir.filePath(QStringLiteral("no-such-folder/alerts.csv"));
    const QString problem = exportAlertsCsv(reader, nowhere);
    QVERIFY2(problem.startsWith(QStringLiteral("Cannot write the alert history to")) && problem.contains(QStringLiteral("no-such-folder")),
             qPrintable(problem));
    QVERIFY(!QFile::exists(nowhere));
}

void TestAlertsModel::unreadableJournalIsAProblemInWords()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("journal.db"));
    QFile garbage(path);
    QVERIFY(garbage.open(QIODevice::WriteOnly));
    garbage.write(QByteArray("this is not a database, it is a shopping list\n").repeated(200));
    garbage.close();
    const QByteArray before = [&] {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }();

    AlertsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.setJournalFile(path);
    const QString problem = model.reloadNow();
    QVERIFY2(problem.startsWith(QStringLiteral("The alert history cannot be read: ")) && problem.contains(QStringLiteral("journal.db")),
             qPrintable(problem));
    QCOMPARE(model.problem(), problem);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(inserted.count(), 0);
    QFile after(path);
    QVERIFY(after.open(QIODevice::ReadOnly));
    QCOMPARE(after.readAll(), before); // never touched
}

QTEST_MAIN(TestAlertsModel)
#include "tst_alerts_model.moc"
