// AlertsModel: the alert journal's history as a tree — one row per alert episode, its changes
// beneath. A real journal (SQLite, WAL) is written in a temporary folder with Journal::open, as the
// core does, and read through a second, read-only connection, as the GUI does. Every model is watched
// by a QAbstractItemModelTester, and every reload's signals are counted exactly.

#include "models/alerts_model.h"
#include "models/risk_level.h"
#include "views/theme.h"

#include "store/journal.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDateTime>
#include <QHeaderView>
#include <QTreeView>
#include <QFile>
#include <QSignalSpy>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <limits>

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

/// An episode's cell (row of the top level).
QString text(const AlertsModel& model, int row, int column)
{
    return model.data(model.index(row, column)).toString();
}

/// A change's cell: the `change`-th change (oldest first) of the episode in `row`.
QString changeText(const AlertsModel& model, int row, int change, int column)
{
    return model.data(model.index(change, column, model.index(row, 0))).toString();
}

QString hhmmss(std::int64_t ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toLocalTime().toString(QStringLiteral("HH:mm:ss"));
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
    void readsEpisodesWithTheirChanges();
    void easedShowsThePeak();
    void newChangesGoBeneathTheirEpisode();
    void keepsAtMostTheLimit();
    void anEpisodeWithNothingLeftGoes();
    void anotherJournalResets();
    void followsAJournalFile();
    void missingValuesSayWhatTheyMean();
    void rendersAsATree();
    void exportsCsv();
    void unreadableJournalIsAProblemInWords();
};

void TestAlertsModel::readsEpisodesWithTheirChanges()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto file = fsPath(dir.filePath(QStringLiteral("journal.db")));
    Journal writer = Journal::open(file);
    writer.recordAlert(positionAlert(7, AlertChange::Raised, AlertLevel::Warning, 8.5, kStartMs,
                                     "BTCUSDT long: 8.5 % to liquidation"));
    writer.recordAlert(positionAlert(7, AlertChange::Escalated, AlertLevel::Critical, 4.2, kStartMs + 1000,
                                     "BTCUSDT long: 4.2 % to liquidation · about 6 min at the last 5 minutes' pace"));
    writer.recordAlert(accountAlert(8, 87.5, kStartMs + 2000));

    Journal reader = Journal::openReadOnly(file);
    AlertsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Spies spies(model);
    QCOMPARE(model.reload(reader), QString());
    QCOMPARE(model.problem(), QString());
    QCOMPARE(model.rowCount(), 2); // two episodes
    QCOMPARE(model.changeCount(), std::size_t{3});
    QCOMPARE(model.columnCount(), int(AlertsModel::Count));
    QCOMPARE(spies.inserted.count(), 1); // the first rows: one insert of both episodes, not a reset
    QCOMPARE(spies.inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(spies.inserted.at(0).at(2).toInt(), 1);
    QCOMPARE(spies.reset.count(), 0);
    QCOMPARE(spies.changed.count(), 0);

    // Newest first: the account's cross margin, one change.
    QCOMPARE(text(model, 0, AlertsModel::Subject), QStringLiteral("swing · Bybit · cross margin"));
    QCOMPARE(text(model, 0, AlertsModel::Level), QStringLiteral("Critical"));
    QCOMPARE(text(model, 0, AlertsModel::Time), localTime(kStartMs + 2000));
    QCOMPARE(text(model, 0, AlertsModel::LastChange), QStringLiteral("Raised at %1").arg(hhmmss(kStartMs + 2000)));
    QCOMPARE(text(model, 0, AlertsModel::Measure), QStringLiteral("Margin ratio"));
    QCOMPARE(text(model, 0, AlertsModel::Value), QStringLiteral("87.50%"));
    QCOMPARE(text(model, 0, AlertsModel::Reasons), QStringLiteral("swing's cross margin ratio is 87.5%"));
    QCOMPARE(model.rowCount(model.index(0, 0)), 1);

    // The position's episode: its level now, first raised, its last change and that change's reasons …
    QCOMPARE(text(model, 1, AlertsModel::Subject), QStringLiteral("BTCUSDT Long · main · Binance"));
    QCOMPARE(text(model, 1, AlertsModel::Level), QStringLiteral("Critical"));
    QCOMPARE(text(model, 1, AlertsModel::Time), localTime(kStartMs));
    QCOMPARE(text(model, 1, AlertsModel::LastChange), QStringLiteral("Escalated at %1").arg(hhmmss(kStartMs + 1000)));
    QCOMPARE(text(model, 1, AlertsModel::Measure), QStringLiteral("Distance to liquidation"));
    QCOMPARE(text(model, 1, AlertsModel::Value), QStringLiteral("4.20%"));
    QCOMPARE(text(model, 1, AlertsModel::Reasons),
             QStringLiteral("BTCUSDT long: 4.2 % to liquidation · about 6 min at the last 5 minutes' pace"));
    const QString valueTip = model.data(model.index(1, AlertsModel::Value), Qt::ToolTipRole).toString();
    QVERIFY2(valueTip.contains(QStringLiteral("Threshold 5.00%")) && valueTip.contains(QStringLiteral("Mark 61,000.00")) &&
                 valueTip.contains(QStringLiteral("Liquidation 58,438.00")),
             qPrintable(valueTip));
    // … and beneath it each change, in time order.
    const QModelIndex episode = model.index(1, 0);
    QCOMPARE(model.rowCount(episode), 2);
    QCOMPARE(changeText(model, 1, 0, AlertsModel::Subject), QStringLiteral("Raised"));
    QCOMPARE(changeText(model, 1, 0, AlertsModel::Level), QStringLiteral("Warning"));
    QCOMPARE(changeText(model, 1, 0, AlertsModel::Time), localTime(kStartMs));
    QCOMPARE(changeText(model, 1, 0, AlertsModel::LastChange), QString());
    QCOMPARE(changeText(model, 1, 0, AlertsModel::Value), QStringLiteral("8.50%"));
    QCOMPARE(changeText(model, 1, 0, AlertsModel::Reasons), QStringLiteral("BTCUSDT long: 8.5 % to liquidation"));
    QCOMPARE(changeText(model, 1, 1, AlertsModel::Subject), QStringLiteral("Escalated"));
    QCOMPARE(changeText(model, 1, 1, AlertsModel::Level), QStringLiteral("Critical"));
    QCOMPARE(model.parent(model.index(1, AlertsModel::Value, episode)), episode);
    QVERIFY(!model.hasChildren(model.index(0, 0, episode)));

    // Roles: the raw sort value, the episode and run, the levels and colours, the row ids.
    const QModelIndex time = model.index(1, AlertsModel::Time);
    QCOMPARE(model.data(time, AlertsModel::SortRole).toLongLong(), kStartMs);
    QCOMPARE(model.data(model.index(1, AlertsModel::LastChange), AlertsModel::SortRole).toLongLong(), kStartMs + 1000);
    QCOMPARE(model.data(time, AlertsModel::EpisodeRole).toULongLong(), 7ULL);
    QCOMPARE(model.data(time, AlertsModel::RunRole).toLongLong(), writer.runId());
    QCOMPARE(model.data(time, AlertsModel::AlertLevelRole).toInt(), int(AlertLevel::Critical));
    QCOMPARE(model.data(time, AlertsModel::IsEpisodeRole).toBool(), true);
    const QModelIndex raised = model.index(0, AlertsModel::Reasons, episode);
    QCOMPARE(model.data(raised, AlertsModel::IsEpisodeRole).toBool(), false);
    QCOMPARE(model.data(raised, AlertsModel::AlertLevelRole).toInt(), int(AlertLevel::Warning));
    QCOMPARE(model.data(raised, AlertsModel::PeakLevelRole).toInt(), int(AlertLevel::Critical));
    QCOMPARE(model.data(raised, AlertsModel::EpisodeRole).toULongLong(), 7ULL);
    QVERIFY(model.data(raised, AlertsModel::RowIdRole).toLongLong() <
            model.data(model.index(1, 0), AlertsModel::RowIdRole).toLongLong()); // the episode: its last change
    QCOMPARE(model.data(model.index(0, AlertsModel::Value), AlertsModel::SortRole).toDouble(), 87.5);
    QCOMPARE(model.data(model.index(1, AlertsModel::Level), Qt::ForegroundRole).value<QColor>(), riskColour(RiskLevel::Danger));
    QCOMPARE(model.data(model.index(0, AlertsModel::Level, episode), Qt::ForegroundRole).value<QColor>(),
             riskColour(RiskLevel::Warning));
    QCOMPARE(model.alertAt(model.index(0, 0, episode)).change, AlertChange::Raised);
    QCOMPARE(model.alertAt(episode).change, AlertChange::Escalated);
    QCOMPARE(model.headerData(AlertsModel::Reasons, Qt::Horizontal).toString(), QStringLiteral("Reasons"));
}

void TestAlertsModel::easedShowsThePeak()
{
    QTemporaryDir dir;
    const auto file = fsPath(dir.filePath(QStringLiteral("journal.db")));
    Journal writer = Journal::open(file);
    writer.recordAlert(positionAlert(3, AlertChange::Raised, AlertLevel::Warning, 8.0, kStartMs));
    writer.recordAlert(positionAlert(3, AlertChange::Escalated, AlertLevel::Emergency, 1.5, kStartMs + 1000));
    writer.recordAlert(positionAlert(3, AlertChange::Eased, AlertLevel::Warning, 7.0, kStartMs + 2000));
    Journal reader = Journal::openReadOnly(file);
    AlertsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.reload(reader), QString());
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(text(model, 0, AlertsModel::Level), QStringLiteral("Warning · peak Emergency"));
    QCOMPARE(model.data(model.index(0, AlertsModel::Level), Qt::ForegroundRole).value<QColor>(), riskColour(RiskLevel::Warning));
    QCOMPARE(model.data(model.index(0, 0), AlertsModel::PeakLevelRole).toInt(), int(AlertLevel::Emergency));
    QCOMPARE(text(model, 0, AlertsModel::LastChange), QStringLiteral("Eased at %1").arg(hhmmss(kStartMs + 2000)));
    QCOMPARE(changeText(model, 0, 2, AlertsModel::Subject), QStringLiteral("Eased"));
    QVERIFY(model.data(model.index(2, 0, model.index(0, 0)), Qt::ToolTipRole).toString().contains(QStringLiteral("cooldown")));
}

void TestAlertsModel::newChangesGoBeneathTheirEpisode()
{
    QTemporaryDir dir;
    const auto file = fsPath(dir.filePath(QStringLiteral("journal.db")));
    Journal writer = Journal::open(file);
    writer.recordAlert(positionAlert(1, AlertChange::Raised, AlertLevel::Warning, 9.0, kStartMs));
    Journal reader = Journal::openReadOnly(file);
    AlertsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.reload(reader), QString());
    Spies spies(model);
    QSignalSpy layout(&model, &QAbstractItemModel::layoutChanged);

    // Nothing new: nothing at all.
    QCOMPARE(model.reload(reader), QString());
    QCOMPARE(spies.inserted.count() + spies.removed.count() + spies.reset.count() + spies.changed.count(), 0);

    // Two changes of the episode shown and a new episode: the changes beneath it, its row updated
    // once, the new episode on top.
    writer.recordAlert(positionAlert(1, AlertChange::Escalated, AlertLevel::Critical, 4.5, kStartMs + 100, "second"));
    writer.recordAlert(positionAlert(2, AlertChange::Raised, AlertLevel::Warning, 9.5, kStartMs + 150, "other"));
    writer.recordAlert(positionAlert(1, AlertChange::Acknowledged, AlertLevel::Critical, 4.4, kStartMs + 200, "third"));
    QCOMPARE(model.reload(reader), QString());
    QCOMPARE(spies.inserted.count(), 2);
    QCOMPARE(spies.inserted.at(0).at(0).value<QModelIndex>().row(), 0); // beneath episode 1, then the top row
    QCOMPARE(spies.inserted.at(0).at(1).toInt(), 1);
    QCOMPARE(spies.inserted.at(0).at(2).toInt(), 2);
    QVERIFY(!spies.inserted.at(1).at(0).value<QModelIndex>().isValid());
    QCOMPARE(spies.inserted.at(1).at(1).toInt(), 0);
    QCOMPARE(spies.inserted.at(1).at(2).toInt(), 0);
    QCOMPARE(spies.changed.count(), 1);
    QCOMPARE(spies.changed.at(0).at(0).value<QModelIndex>().row(), 0);
    QCOMPARE(spies.changed.at(0).at(1).value<QModelIndex>().row(), 0);
    QCOMPARE(spies.changed.at(0).at(1).value<QModelIndex>().column(), int(AlertsModel::Count) - 1);
    QCOMPARE(spies.removed.count(), 0);
    QCOMPARE(spies.reset.count(), 0);
    QCOMPARE(layout.count(), 0);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.data(model.index(0, 0), AlertsModel::EpisodeRole).toULongLong(), 2ULL);
    QCOMPARE(model.rowCount(model.index(1, 0)), 3);
    QCOMPARE(changeText(model, 1, 2, AlertsModel::Reasons), QStringLiteral("third"));
    QCOMPARE(text(model, 1, AlertsModel::LastChange), QStringLiteral("Acknowledged at %1").arg(hhmmss(kStartMs + 200)));

    // More new changes than one reload takes (kCatchUpRows), all of one episode: the first reload takes
    // kCatchUpRows of them (one insert beneath it), the next the rest — in order, none lost.
    spies.clear();
    const int step = int(AlertsModel::kCatchUpRows);
    const int many = step + 6;
    for (int i = 0; i < many; ++i) {
        writer.recordAlert(positionAlert(2, AlertChange::Escalated, AlertLevel::Critical, 4.0, kStartMs + 1000 + i));
    }
    QCOMPARE(model.reload(reader), QString());
    QCOMPARE(spies.inserted.count(), 1);
    QCOMPARE(spies.inserted.at(0).at(0).value<QModelIndex>().row(), 0);
    QCOMPARE(spies.inserted.at(0).at(1).toInt(), 1);
    QCOMPARE(spies.inserted.at(0).at(2).toInt(), step);
    QCOMPARE(spies.changed.count(), 1);
    QCOMPARE(spies.removed.count(), 0);
    QCOMPARE(spies.reset.count(), 0);
    QCOMPARE(model.changeCount(), std::size_t(4 + step));
    spies.clear();
    QCOMPARE(model.reload(reader), QString());
    QCOMPARE(spies.inserted.count(), 1);
    QCOMPARE(spies.inserted.at(0).at(1).toInt(), 1 + step);
    QCOMPARE(spies.inserted.at(0).at(2).toInt(), many);
    QCOMPARE(spies.reset.count(), 0);
    QCOMPARE(model.changeCount(), std::size_t(4 + many));

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
        writer.recordAlert(positionAlert(1, AlertChange::Escalated, AlertLevel::Warning, 9.0, kStartMs + i));
    }
    Journal reader = Journal::openReadOnly(file);
    AlertsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.reload(reader, 5), QString());
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.changeCount(), std::size_t{4});
    Spies spies(model);
    for (int i = 0; i < 3; ++i) {
        writer.recordAlert(positionAlert(2, AlertChange::Raised, AlertLevel::Warning, 9.0, kStartMs + 10 + i));
    }
    QCOMPARE(model.reload(reader, 5), QString());
    QCOMPARE(spies.inserted.count(), 1); // the new episode on top, with its three changes
    QCOMPARE(spies.inserted.at(0).at(2).toInt(), 0);
    QCOMPARE(spies.removed.count(), 1); // the two oldest changes of the older episode, now in row 1
    QCOMPARE(spies.removed.at(0).at(0).value<QModelIndex>().row(), 1);
    QCOMPARE(spies.removed.at(0).at(1).toInt(), 0);
    QCOMPARE(spies.removed.at(0).at(2).toInt(), 1);
    QCOMPARE(spies.changed.count(), 1); // and its row, whose first change is now another
    QCOMPARE(spies.changed.at(0).at(0).value<QModelIndex>().row(), 1);
    QCOMPARE(spies.reset.count(), 0);
    QCOMPARE(model.changeCount(), std::size_t{5});
    QCOMPARE(model.rowCount(model.index(1, 0)), 2);
    QCOMPARE(model.data(model.index(1, AlertsModel::Time), AlertsModel::SortRole).toLongLong(), kStartMs + 2);
}

void TestAlertsModel::anEpisodeWithNothingLeftGoes()
{
    QTemporaryDir dir;
    const auto file = fsPath(dir.filePath(QStringLiteral("journal.db")));
    Journal writer = Journal::open(file);
    writer.recordAlert(positionAlert(1, AlertChange::Raised, AlertLevel::Warning, 9.0, kStartMs));
    writer.recordAlert(positionAlert(2, AlertChange::Raised, AlertLevel::Warning, 9.0, kStartMs + 1));
    writer.recordAlert(positionAlert(3, AlertChange::Raised, AlertLevel::Warning, 9.0, kStartMs + 2));
    Journal reader = Journal::openReadOnly(file);
    AlertsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.reload(reader, 3), QString());
    QCOMPARE(model.rowCount(), 3);
    Spies spies(model);
    writer.recordAlert(positionAlert(3, AlertChange::Escalated, AlertLevel::Critical, 4.0, kStartMs + 3));
    writer.recordAlert(positionAlert(4, AlertChange::Raised, AlertLevel::Warning, 9.0, kStartMs + 4));
    QCOMPARE(model.reload(reader, 3), QString());
    // Episode 3's change beneath it and its row; episode 4 on top; episodes 1 and 2 gone in one removal.
    QCOMPARE(spies.inserted.count(), 2);
    QCOMPARE(spies.changed.count(), 1);
    QCOMPARE(spies.removed.count(), 1);
    QVERIFY(!spies.removed.at(0).at(0).value<QModelIndex>().isValid());
    QCOMPARE(spies.removed.at(0).at(1).toInt(), 2);
    QCOMPARE(spies.removed.at(0).at(2).toInt(), 3);
    QCOMPARE(spies.reset.count(), 0);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.data(model.index(0, 0), AlertsModel::EpisodeRole).toULongLong(), 4ULL);
    QCOMPARE(model.data(model.index(1, 0), AlertsModel::EpisodeRole).toULongLong(), 3ULL);
    QCOMPARE(model.rowCount(model.index(1, 0)), 2);
    QCOMPARE(model.changeCount(), std::size_t{3});
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
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.rowCount(model.index(0, 0)), 2);
    QCOMPARE(text(model, 0, AlertsModel::Level), QStringLiteral("Cleared · peak Critical"));
    QCOMPARE(model.data(model.index(0, AlertsModel::Level), Qt::ForegroundRole).value<QColor>(), riskColour(RiskLevel::Safe));
    QCOMPARE(changeText(model, 0, 1, AlertsModel::Subject), QStringLiteral("Cleared"));
    QCOMPARE(model.data(model.index(1, AlertsModel::Subject, model.index(0, 0)), Qt::ForegroundRole).value<QColor>(),
             riskColour(RiskLevel::Safe));
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

    // Three deliveries in quick succession: one read, one insert of the new episode with its three changes.
    Spies spies(model);
    for (int i = 0; i < 3; ++i) {
        writer.recordAlert(positionAlert(2, i == 0 ? AlertChange::Raised : AlertChange::Escalated, AlertLevel::Critical, 4.0,
                                         kStartMs + 10 + i));
        model.scheduleReload();
    }
    QCOMPARE(model.rowCount(), 1); // not before the pace
    QTRY_COMPARE(model.rowCount(), 2);
    QTest::qWait(int(AlertsModel::kReloadPace.count()) * 2);
    QCOMPARE(spies.inserted.count(), 1);
    QCOMPARE(spies.inserted.at(0).at(2).toInt(), 0);
    QCOMPARE(model.rowCount(model.index(0, 0)), 3);
    QCOMPARE(spies.reset.count(), 0);
    QCOMPARE(spies.changed.count(), 0);
}

void TestAlertsModel::missingValuesSayWhatTheyMean()
{
    QTemporaryDir dir;
    const auto file = fsPath(dir.filePath(QStringLiteral("journal.db")));
    Journal writer = Journal::open(file);
    constexpr double inf = std::numeric_limits<double>::infinity();
    const std::array<std::tuple<AlertRuleKind, double, QString>, 6> cases{{
        {AlertRuleKind::MarginRatio, inf, QStringLiteral("no margin left")},
        {AlertRuleKind::Velocity, -inf, QStringLiteral("distance not shrinking")},
        {AlertRuleKind::TimeToLiquidation, inf, QStringLiteral("not approaching liquidation")},
        {AlertRuleKind::SigmaDistance, std::numeric_limits<double>::quiet_NaN(), QStringLiteral("no movement toward liquidation")},
        {AlertRuleKind::Distance, inf, QStringLiteral("no liquidation price")},
        {AlertRuleKind::Stale, inf, QStringLiteral("no mark received")},
    }};
    std::uint64_t episode = 10;
    for (const auto& [rule, value, words] : cases) {
        ++episode;
        AlertEvent event = positionAlert(episode, AlertChange::Raised, AlertLevel::Warning, value, kStartMs + std::int64_t(episode));
        event.rule = rule;
        event.threshold = inf;
        event.markPrice = std::numeric_limits<double>::quiet_NaN();
        event.liquidationPrice = inf;
        event.distancePct = -inf;
        writer.recordAlert(event);
    }
    Journal reader = Journal::openReadOnly(file);
    AlertsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.reload(reader), QString());
    QCOMPARE(model.rowCount(), int(cases.size()));
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const int row = int(cases.size() - 1 - i); // newest first
        QCOMPARE(text(model, row, AlertsModel::Value), std::get<2>(cases[i]));
        QCOMPARE(changeText(model, row, 0, AlertsModel::Value), std::get<2>(cases[i]));
    }
    // No cell of any row, shown or as a tooltip, says inf or nan.
    const QRegularExpression word(QStringLiteral(R"((^|[^a-z])(-?inf(inity)?|nan)([^a-z]|$))"),
                                  QRegularExpression::CaseInsensitiveOption);
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex episodeIndex = model.index(row, 0);
        for (int column = 0; column < model.columnCount(); ++column) {
            for (const QModelIndex& at : {model.index(row, column), model.index(0, column, episodeIndex)}) {
                for (const int role : {int(Qt::DisplayRole), int(Qt::ToolTipRole)}) {
                    const QString shown = model.data(at, role).toString();
                    QVERIFY2(!word.match(shown).hasMatch(), qPrintable(shown));
                }
            }
        }
    }
}

void TestAlertsModel::rendersAsATree()
{
    applyDarkTheme(*qApp);
    QTemporaryDir dir;
    const auto file = fsPath(dir.filePath(QStringLiteral("journal.db")));
    Journal writer = Journal::open(file);
    const auto btc = [&](AlertChange change, AlertLevel level, double distance, int second, const char* message) {
        writer.recordAlert(positionAlert(21, change, level, distance, kStartMs + second * 1000, message));
    };
    btc(AlertChange::Raised, AlertLevel::Warning, 8.2, 0, "BTCUSDT long: 8.2 % to liquidation");
    btc(AlertChange::Escalated, AlertLevel::Critical, 4.1, 95,
        "BTCUSDT long: 4.1 % to liquidation · about 6 min at the last 5 minutes' pace · 1.3 σ");
    btc(AlertChange::Acknowledged, AlertLevel::Critical, 4.0, 110, "BTCUSDT long: acknowledged at critical");
    btc(AlertChange::Eased, AlertLevel::Warning, 7.4, 520, "BTCUSDT long: 7.4 % to liquidation");
    AlertEvent eth = positionAlert(22, AlertChange::Raised, AlertLevel::Warning, 9.1, kStartMs + 30'000,
                                   "ETHUSDT short: 9.1 % to liquidation");
    eth.subject.symbol = "ETHUSDT";
    eth.subject.side = Side::Short;
    eth.subject.venue = Venue::OkxSwap;
    writer.recordAlert(eth);
    eth.change = AlertChange::Cleared;
    eth.value = 16.0;
    eth.wallTimeMs = kStartMs + 400'000;
    eth.message = "ETHUSDT short: back to safety, 16 % from liquidation";
    writer.recordAlert(eth);
    AlertEvent cross = accountAlert(23, std::numeric_limits<double>::infinity(), kStartMs + 200'000);
    cross.level = AlertLevel::Emergency;
    cross.message = "swing's cross margin: no margin left";
    writer.recordAlert(cross);

    Journal reader = Journal::openReadOnly(file);
    AlertsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.reload(reader), QString());
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(text(model, 0, AlertsModel::Value), QStringLiteral("no margin left"));

    QTreeView view; // as the main window's Alerts tab shows it
    view.setModel(&model);
    view.setAlternatingRowColors(true);
    view.setUniformRowHeights(true);
    view.header()->setStretchLastSection(true);
    view.setColumnWidth(AlertsModel::Subject, 280);
    view.setColumnWidth(AlertsModel::Level, 170);
    view.setColumnWidth(AlertsModel::Time, 150);
    view.setColumnWidth(AlertsModel::LastChange, 170);
    view.setColumnWidth(AlertsModel::Measure, 170);
    view.setColumnWidth(AlertsModel::Value, 110);
    view.resize(1500, 330);
    view.expandAll();
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(view.grab().save(QStringLiteral("tst_alerts_model.png")));
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
