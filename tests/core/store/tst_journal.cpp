// The journal: alerts and actions round-trip field for field, CSV reads back as written, the schema is
// created and re-opened, files it cannot use are refused by name and left untouched, and the mark
// history is downsampled by age exactly as the policy says.
#include "store/csv_format.h"
#include "store/journal.h"

#include "money/clock.h"

#include <QtTest>

#include <sqlite3.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

using namespace mm;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(mm::AlertEvent)
Q_DECLARE_METATYPE(mm::ActionRecord)
Q_DECLARE_METATYPE(mm::JournalProblem)

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInfinity = std::numeric_limits<double>::infinity();
// Aligned to 10 minutes, so that the age bands hold whole buckets.
constexpr std::int64_t kNow = 1'700'000'400'000;
constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kDay = 24 * kHour;

std::filesystem::path pathIn(const QTemporaryDir& dir, const char* name)
{
    return std::filesystem::path(dir.path().toStdString()) / name;
}

QByteArray bytesOf(const std::filesystem::path& file)
{
    QFile f(QString::fromStdString(file.string()));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeBytes(const std::filesystem::path& file, const QByteArray& bytes)
{
    QFile f(QString::fromStdString(file.string()));
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(bytes), bytes.size());
}

QStringList filesIn(const QTemporaryDir& dir)
{
    return QDir(dir.path()).entryList(QDir::Files | QDir::Hidden, QDir::Name);
}

/// A separate plain SQLite connection: what another program (or the sqlite3 shell) sees.
class RawDatabase {
public:
    explicit RawDatabase(const std::filesystem::path& file, int flags = SQLITE_OPEN_READWRITE)
    {
        sqlite3_open_v2(file.string().c_str(), &m_db, flags, nullptr);
    }
    ~RawDatabase() { sqlite3_close_v2(m_db); }
    RawDatabase(const RawDatabase&) = delete;
    RawDatabase& operator=(const RawDatabase&) = delete;

    bool exec(const char* sql) { return sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }
    QString text(const char* sql)
    {
        sqlite3_stmt* statement = nullptr;
        QString result = QStringLiteral("<error>");
        if (sqlite3_prepare_v2(m_db, sql, -1, &statement, nullptr) == SQLITE_OK && sqlite3_step(statement) == SQLITE_ROW) {
            result = QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)));
        }
        sqlite3_finalize(statement);
        return result;
    }
    qint64 number(const char* sql) { return text(sql).toLongLong(); }

private:
    sqlite3* m_db = nullptr;
};

AlertEvent positionAlert()
{
    AlertEvent event;
    event.episode = 7;
    event.change = AlertChange::Escalated;
    event.level = AlertLevel::Critical;
    event.rule = AlertRuleKind::Distance;
    event.subject.venue = Venue::BinanceUsdm;
    event.subject.accountLabel = "main";
    event.subject.symbol = "BTCUSDT";
    event.subject.side = Side::Long;
    event.subject.position = 0;
    event.value = 4.25;
    event.threshold = 5;
    event.markPrice = 61'234.5;
    event.liquidationPrice = 58'632.1;
    event.distancePct = 4.25;
    event.message = "BTCUSDT long on main: 4.25 % from liquidation";
    event.wallTimeMs = 1'709'296'496'789;
    return event;
}

AlertEvent accountAlert()
{
    AlertEvent event;
    event.episode = 8;
    event.change = AlertChange::Raised;
    event.level = AlertLevel::Warning;
    event.rule = AlertRuleKind::MarginRatio;
    event.subject.venue = Venue::OkxSwap;
    event.subject.accountLabel = "okx cross";
    event.value = 81.5;
    event.threshold = 80;
    event.message = "okx cross: margin ratio 81.5 %";
    event.wallTimeMs = 1'709'296'500'000;
    return event;
}

AlertEvent awkwardAlert()
{
    AlertEvent event = positionAlert();
    event.change = AlertChange::Acknowledged;
    event.level = AlertLevel::Emergency;
    event.rule = AlertRuleKind::Stale;
    event.subject.venue = Venue::Hyperliquid;
    event.subject.accountLabel = "Trader \"Bob\", desk 2";
    event.subject.symbol = "ETH";
    event.subject.side = Side::Short;
    event.message = "Quotes \"inside\", commas, and\nnew lines\r\nand CRs — ünïcødé ✓, ;semicolons; \ttabs";
    return event;
}

ActionRecord intentAction()
{
    ActionRecord action;
    action.wallTimeMs = 1'709'296'501'234;
    action.accountLabel = "main";
    action.venue = Venue::BybitLinear;
    action.symbol = "SOLUSDT";
    action.episode = 7;
    action.clientOrderId = "mm-7-1a2b";
    action.step = std::string(action_steps::kIntent);
    action.side = Side::Short;
    action.quantity = "12.500";
    action.status = "pending";
    action.detail = R"({"reason":"distance 4.2 % < 5 %","target":"8 %"})";
    return action;
}

void compareAlert(const AlertRow& row, const AlertEvent& event)
{
    QCOMPARE(row.episode, event.episode);
    QCOMPARE(row.wallTimeMs, event.wallTimeMs);
    QCOMPARE(row.change, event.change);
    QCOMPARE(row.level, event.level);
    QCOMPARE(row.rule, event.rule);
    QCOMPARE(QString::fromStdString(row.accountLabel), QString::fromStdString(event.subject.accountLabel));
    QCOMPARE(row.venue, event.subject.venue);
    QCOMPARE(QString::fromStdString(row.symbol), QString::fromStdString(event.subject.symbol));
    QCOMPARE(row.side, event.subject.side);
    // NaN is stored as "no number" and reads back as NaN.
    QVERIFY(row.value == event.value || (std::isnan(row.value) && std::isnan(event.value)));
    QVERIFY(row.threshold == event.threshold || (std::isnan(row.threshold) && std::isnan(event.threshold)));
    QCOMPARE(row.markPrice, event.markPrice);
    QCOMPARE(row.liquidationPrice, event.liquidationPrice);
    QCOMPARE(row.distancePct, event.distancePct);
    QCOMPARE(QString::fromStdString(row.message), QString::fromStdString(event.message));
}

/// RFC 4180, strictly: fields separated by commas, records by CRLF, quoted fields may hold anything
/// with quotes doubled. Fails the test on anything else.
std::vector<std::vector<std::string>> parseCsv(const std::string& text)
{
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> record;
    std::string field;
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == '"') {
            ++i;
            while (true) {
                if (i >= text.size()) {
                    qWarning("unterminated quoted field");
                    return {};
                }
                if (text[i] == '"') {
                    if (i + 1 < text.size() && text[i + 1] == '"') {
                        field += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                field += text[i++];
            }
        } else {
            while (i < text.size() && text[i] != ',' && text[i] != '\r' && text[i] != '\n') {
                if (text[i] == '"') {
                    qWarning("a quote inside an unquoted field");
                    return {};
                }
                field += text[i++];
            }
        }
        if (i < text.size() && text[i] == ',') {
            record.push_back(std::move(field));
            field.clear();
            ++i;
        } else if (text.compare(i, 2, "\r\n") == 0) {
            record.push_back(std::move(field));
            field.clear();
            records.push_back(std::move(record));
            record.clear();
            i += 2;
        } else {
            qWarning("a record not ended by CRLF at offset %zu", i);
            return {};
        }
    }
    return records;
}

std::optional<double> numberOrNothing(const std::string& text)
{
    if (text.empty()) {
        return std::nullopt;
    }
    return std::stod(text);
}

/// Which history points the policy keeps: per band, the last point of each bucket; nothing older
/// than the last band. `times` ascending.
std::vector<std::int64_t> expectedKept(const std::vector<std::int64_t>& times, std::int64_t now,
                                       const std::vector<HistoryBand>& bands)
{
    const auto bandOf = [&](std::int64_t t) -> int {
        for (std::size_t i = 0; i < bands.size(); ++i) {
            if (t >= now - bands[i].upToAgeMs) {
                return static_cast<int>(i);
            }
        }
        return -1;
    };
    std::vector<std::int64_t> kept;
    for (std::size_t i = 0; i < times.size(); ++i) {
        const int band = bandOf(times[i]);
        if (band < 0) {
            continue;
        }
        const std::int64_t bucket = bands[static_cast<std::size_t>(band)].bucketMs;
        const bool lastOfBucket = bucket == 0 || i + 1 == times.size() || bandOf(times[i + 1]) != band ||
                                  times[i + 1] / bucket != times[i] / bucket;
        if (lastOfBucket) {
            kept.push_back(times[i]);
        }
    }
    return kept;
}

std::vector<std::int64_t> timesOf(const std::vector<HistoryPoint>& points)
{
    std::vector<std::int64_t> times;
    for (const HistoryPoint& point : points) {
        times.push_back(point.wallTimeMs);
    }
    return times;
}

enum class BrokenFile { Text, TextWithLog, TruncatedHalf, TruncatedHeader, TruncatedMagic, NewerSchema, NewerSchemaWithLog, ForeignDatabase };

} // namespace

Q_DECLARE_METATYPE(BrokenFile)

class TestJournal : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void createsTheFileItsFoldersAndTheSchema();
    void opensAnEmptyFile();
    void eachOpenIsANewRun();
    void alertRoundTrip_data();
    void alertRoundTrip();
    void alertsPageNewestFirst();
    void alertsOfOneEpisode();
    void actionRoundTrip_data();
    void actionRoundTrip();
    void actionsOfOneOrderInOrder();
    void exportsAlertsAsCsv();
    void exportsActionsAsCsv();
    void csvField_data();
    void csvField();
    void utcIsoTime_data();
    void utcIsoTime();
    void refusesFilesItCannotUse_data();
    void refusesFilesItCannotUse();
    void movesABrokenFileAside();
    void readsWhileAnotherConnectionWrites();
    void theFileAloneIsWholeAfterTheWriterCloses();
    void movedFromJournalRefuses();
    void rejectsInvalidHistoryBands();
    void historyRoundTrip();
    void historyIsWrittenInBatches();
    void compactsHistoryByAge_data();
    void compactsHistoryByAge();
    void capsTheHistoryKeepingTheNewest();
};

void TestJournal::createsTheFileItsFoldersAndTheSchema()
{
    QTemporaryDir dir;
    const auto file = pathIn(dir, "data/margin-monitor/journal.db");
    {
        Journal journal = Journal::open(file);
        QCOMPARE(journal.file(), file);
        QVERIFY(journal.runId() > 0);
        QVERIFY(!journal.isReadOnly());
        QCOMPARE(QString::fromStdString(journal.integrityProblems()), QString());
    }
    QVERIFY(std::filesystem::is_regular_file(file));
    RawDatabase raw(file);
    QCOMPARE(raw.number("PRAGMA user_version"), qint64(Journal::kSchemaVersion));
    QCOMPARE(raw.number("PRAGMA application_id"), qint64(kJournalApplicationId));
    QCOMPARE(raw.text("PRAGMA journal_mode"), QStringLiteral("wal"));
    QCOMPARE(raw.number("SELECT count(*) FROM runs"), qint64(1));
    QCOMPARE(raw.number("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN "
                        "('runs', 'alerts', 'actions', 'history', 'history_subjects')"),
             qint64(5));
}

void TestJournal::opensAnEmptyFile()
{
    // A zero-byte file is an empty database to SQLite: the journal is created in it.
    QTemporaryDir dir;
    const auto file = pathIn(dir, "journal.db");
    writeBytes(file, {});
    Journal journal = Journal::open(file);
    QCOMPARE(journal.recordAlert(positionAlert()), std::int64_t(1));
    QCOMPARE(RawDatabase(file).number("PRAGMA user_version"), qint64(Journal::kSchemaVersion));
}

void TestJournal::eachOpenIsANewRun()
{
    QTemporaryDir dir;
    const auto file = pathIn(dir, "journal.db");
    std::int64_t firstRun = 0;
    {
        Journal journal = Journal::open(file);
        firstRun = journal.runId();
        journal.recordAlert(positionAlert());
    }
    Journal journal = Journal::open(file);
    QVERIFY(journal.runId() > firstRun);
    journal.recordAlert(positionAlert()); // the same episode number, in another run
    const std::vector<AlertRow> rows = journal.alerts(10);
    QCOMPARE(rows.size(), std::size_t(2));
    QCOMPARE(rows[0].runId, journal.runId());
    QCOMPARE(rows[1].runId, firstRun);
    QCOMPARE(journal.alertsOfEpisode(firstRun, 7).size(), std::size_t(1));
    QCOMPARE(journal.alertsOfEpisode(journal.runId(), 7).size(), std::size_t(1));
    QCOMPARE(RawDatabase(file).number("SELECT count(*) FROM runs"), qint64(2));
}

void TestJournal::alertRoundTrip_data()
{
    QTest::addColumn<AlertEvent>("event");
    QTest::newRow("position") << positionAlert();
    QTest::newRow("account, no side, no prices") << accountAlert();
    QTest::newRow("quotes, commas, new lines, unicode") << awkwardAlert();
    AlertEvent notANumber = positionAlert();
    notANumber.value = kNaN;
    notANumber.threshold = kInfinity;
    notANumber.rule = AlertRuleKind::TimeToLiquidation;
    QTest::newRow("NaN and infinity") << notANumber;
    AlertEvent huge = accountAlert();
    huge.episode = std::numeric_limits<std::uint64_t>::max();
    huge.change = AlertChange::Cleared;
    huge.rule = AlertRuleKind::SigmaDistance;
    QTest::newRow("largest episode") << huge;
    AlertEvent snoozed = positionAlert();
    snoozed.change = AlertChange::Snoozed;
    snoozed.rule = AlertRuleKind::Velocity;
    snoozed.subject.venue = Venue::Generic;
    snoozed.message.clear();
    QTest::newRow("snoozed, empty message") << snoozed;
}

void TestJournal::alertRoundTrip()
{
    QFETCH(AlertEvent, event);
    QTemporaryDir dir;
    const auto file = pathIn(dir, "journal.db");
    std::int64_t id = 0;
    std::int64_t run = 0;
    {
        Journal journal = Journal::open(file);
        id = journal.recordAlert(event);
        run = journal.runId();
        QVERIFY(id > 0);
    }
    Journal journal = Journal::open(file);
    const std::vector<AlertRow> rows = journal.alerts(5);
    QCOMPARE(rows.size(), std::size_t(1));
    QCOMPARE(rows[0].id, id);
    QCOMPARE(rows[0].runId, run);
    compareAlert(rows[0], event);
}

void TestJournal::alertsPageNewestFirst()
{
    QTemporaryDir dir;
    Journal journal = Journal::open(pathIn(dir, "journal.db"));
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 25; ++i) {
        AlertEvent event = positionAlert();
        event.episode = static_cast<std::uint64_t>(i);
        ids.push_back(journal.recordAlert(event));
    }
    const std::vector<AlertRow> first = journal.alerts(10);
    QCOMPARE(first.size(), std::size_t(10));
    QCOMPARE(first.front().id, ids[24]);
    QCOMPARE(first.back().id, ids[15]);
    const std::vector<AlertRow> second = journal.alerts(10, first.back().id);
    QCOMPARE(second.front().id, ids[14]);
    const std::vector<AlertRow> last = journal.alerts(10, ids[5]);
    QCOMPARE(last.size(), std::size_t(5));
    QCOMPARE(last.back().id, ids[0]);
    QCOMPARE(last.back().episode, std::uint64_t(0));
    QVERIFY(journal.alerts(0).empty());
}

void TestJournal::alertsOfOneEpisode()
{
    QTemporaryDir dir;
    Journal journal = Journal::open(pathIn(dir, "journal.db"));
    AlertEvent event = positionAlert();
    for (const AlertChange change : {AlertChange::Raised, AlertChange::Escalated, AlertChange::Acknowledged, AlertChange::Cleared}) {
        event.change = change;
        journal.recordAlert(event);
        journal.recordAlert(accountAlert()); // another episode in between
    }
    const std::vector<AlertRow> episode = journal.alertsOfEpisode(journal.runId(), event.episode);
    QCOMPARE(episode.size(), std::size_t(4));
    QCOMPARE(episode.front().change, AlertChange::Raised);
    QCOMPARE(episode.back().change, AlertChange::Cleared);
}

void TestJournal::actionRoundTrip_data()
{
    QTest::addColumn<ActionRecord>("action");
    QTest::newRow("intent") << intentAction();
    ActionRecord plan = intentAction();
    plan.step = std::string(action_steps::kPlan);
    plan.episode.reset();
    plan.side.reset();
    plan.quantity.clear();
    plan.detail = "manual reduce,\n\"by hand\"";
    QTest::newRow("manual plan, no episode or side") << plan;
    ActionRecord result = intentAction();
    result.step = std::string(action_steps::kResult);
    result.side = Side::Long;
    result.status = "partially-filled";
    result.detail = "{\"filled\":\"0.010\",\"averagePrice\":\"61000.1\",\"message\":\"Order \\\"ok\\\"\"}";
    result.venue = Venue::OkxSwap;
    QTest::newRow("buy result with JSON") << result;
}

void TestJournal::actionRoundTrip()
{
    QFETCH(ActionRecord, action);
    QTemporaryDir dir;
    const auto file = pathIn(dir, "journal.db");
    std::int64_t id = 0;
    std::int64_t run = 0;
    {
        Journal journal = Journal::open(file);
        id = journal.recordAction(action);
        run = journal.runId();
    }
    Journal journal = Journal::open(file);
    const std::vector<ActionRow> rows = journal.actions(3);
    QCOMPARE(rows.size(), std::size_t(1));
    QCOMPARE(rows[0].id, id);
    QCOMPARE(rows[0].runId, run);
    QVERIFY(rows[0].action == action);
}

void TestJournal::actionsOfOneOrderInOrder()
{
    QTemporaryDir dir;
    Journal journal = Journal::open(pathIn(dir, "journal.db"));
    ActionRecord action = intentAction();
    ActionRecord other = intentAction();
    other.clientOrderId = "mm-9-ffff";
    const std::vector<std::string_view> steps{action_steps::kPlan, action_steps::kCountdown, action_steps::kIntent,
                                              action_steps::kSent, action_steps::kLookup, action_steps::kResult,
                                              action_steps::kVerified};
    for (const std::string_view step : steps) {
        action.step = std::string(step);
        journal.recordAction(action);
        other.step = std::string(step);
        journal.recordAction(other);
    }
    const std::vector<ActionRow> rows = journal.actionsForClientOrderId("mm-7-1a2b");
    QCOMPARE(rows.size(), steps.size());
    for (std::size_t i = 0; i < steps.size(); ++i) {
        QCOMPARE(QString::fromStdString(rows[i].action.step), QString::fromUtf8(steps[i].data(), qsizetype(steps[i].size())));
        QCOMPARE(QString::fromStdString(rows[i].action.clientOrderId), QStringLiteral("mm-7-1a2b"));
    }
    QVERIFY(journal.actionsForClientOrderId("nobody").empty());
    const std::vector<ActionRow> newest = journal.actions(3);
    QCOMPARE(newest.size(), std::size_t(3));
    QCOMPARE(QString::fromStdString(newest[0].action.clientOrderId), QStringLiteral("mm-9-ffff"));
    QCOMPARE(journal.actions(100, newest[2].id).size(), std::size_t(11));
}

void TestJournal::exportsAlertsAsCsv()
{
    QTemporaryDir dir;
    Journal journal = Journal::open(pathIn(dir, "journal.db"));
    AlertEvent notANumber = positionAlert();
    notANumber.value = kNaN;
    notANumber.threshold = -kInfinity;
    notANumber.markPrice = 0.1 + 0.2; // the shortest text that reads back exactly: 0.30000000000000004
    const std::vector<AlertEvent> events{positionAlert(), accountAlert(), awkwardAlert(), notANumber};
    for (const AlertEvent& event : events) {
        journal.recordAlert(event);
    }
    std::ostringstream out;
    journal.exportAlertsCsv(out);
    const auto records = parseCsv(out.str());
    QCOMPARE(records.size(), events.size() + 1);
    const std::vector<std::string> header{"id", "run", "episode", "time_utc", "wall_ms", "change", "level", "rule",
                                          "account", "venue", "symbol", "side", "value", "threshold", "mark",
                                          "liquidation_price", "distance_pct", "message"};
    QVERIFY(records[0] == header);
    for (std::size_t i = 0; i < events.size(); ++i) {
        const std::vector<std::string>& record = records[i + 1];
        const AlertEvent& event = events[i];
        QCOMPARE(record.size(), header.size());
        QCOMPARE(std::stoll(record[0]), static_cast<long long>(i + 1));
        QCOMPARE(std::stoll(record[1]), static_cast<long long>(journal.runId()));
        QCOMPARE(std::stoull(record[2]), static_cast<unsigned long long>(event.episode));
        QCOMPARE(QString::fromStdString(record[3]), QString::fromStdString(mm::utcIsoTime(event.wallTimeMs)));
        QCOMPARE(std::stoll(record[4]), static_cast<long long>(event.wallTimeMs));
        QCOMPARE(QString::fromStdString(record[5]), QString::fromUtf8(alertChangeName(event.change).data()));
        QCOMPARE(QString::fromStdString(record[6]), QString::fromUtf8(alertLevelName(event.level).data()));
        QCOMPARE(QString::fromStdString(record[7]), QString::fromUtf8(alertRuleKindName(event.rule).data()));
        QCOMPARE(QString::fromStdString(record[8]), QString::fromStdString(event.subject.accountLabel));
        QCOMPARE(QString::fromStdString(record[9]), QString::fromUtf8(venueName(event.subject.venue).data()));
        QCOMPARE(QString::fromStdString(record[10]), QString::fromStdString(event.subject.symbol));
        QCOMPARE(QString::fromStdString(record[11]),
                 event.subject.side ? (*event.subject.side == Side::Long ? QStringLiteral("long") : QStringLiteral("short"))
                                    : QString());
        if (std::isnan(event.value)) {
            QCOMPARE(QString::fromStdString(record[12]), QString());
        } else {
            QCOMPARE(std::stod(record[12]), event.value);
        }
        QCOMPARE(std::stod(record[13]), event.threshold);
        QCOMPARE(numberOrNothing(record[14]), event.markPrice);
        QCOMPARE(numberOrNothing(record[15]), event.liquidationPrice);
        QCOMPARE(numberOrNothing(record[16]), event.distancePct);
        QCOMPARE(QString::fromStdString(record[17]), QString::fromStdString(event.message));
    }
    QCOMPARE(QString::fromStdString(records[4][14]), QStringLiteral("0.30000000000000004"));
    QCOMPARE(QString::fromStdString(records[4][13]), QStringLiteral("-inf"));
    QCOMPARE(QString::fromStdString(records[1][3]), QStringLiteral("2024-03-01T12:34:56.789Z"));
}

void TestJournal::exportsActionsAsCsv()
{
    QTemporaryDir dir;
    Journal journal = Journal::open(pathIn(dir, "journal.db"));
    ActionRecord plan = intentAction();
    plan.step = "plan";
    plan.episode.reset();
    plan.side.reset();
    plan.detail = "line one,\r\nline \"two\"";
    const std::vector<ActionRecord> actions{intentAction(), plan};
    for (const ActionRecord& action : actions) {
        journal.recordAction(action);
    }
    std::ostringstream out;
    journal.exportActionsCsv(out);
    const auto records = parseCsv(out.str());
    QCOMPARE(records.size(), std::size_t(3));
    const std::vector<std::string> header{"id", "run", "time_utc", "wall_ms", "account", "venue", "symbol",
                                          "episode", "client_order_id", "step", "side", "quantity", "status",
                                          "detail"};
    QVERIFY(records[0] == header);
    const std::vector<std::string> intent{"1", std::to_string(journal.runId()), "2024-03-01T12:35:01.234Z",
                                          "1709296501234", "main", "bybit-linear", "SOLUSDT", "7", "mm-7-1a2b",
                                          "intent", "sell", "12.500", "pending",
                                          R"({"reason":"distance 4.2 % < 5 %","target":"8 %"})"};
    QVERIFY(records[1] == intent);
    QCOMPARE(QString::fromStdString(records[2][7]), QString());
    QCOMPARE(QString::fromStdString(records[2][10]), QString());
    QCOMPARE(QString::fromStdString(records[2][13]), QString::fromStdString(plan.detail));
}

void TestJournal::csvField_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("field");
    QTest::newRow("plain") << "BTCUSDT" << "BTCUSDT";
    QTest::newRow("empty") << "" << "";
    QTest::newRow("spaces stay") << " a b " << " a b ";
    QTest::newRow("comma") << "a,b" << "\"a,b\"";
    QTest::newRow("quote") << "say \"hi\"" << "\"say \"\"hi\"\"\"";
    QTest::newRow("new line") << "a\nb" << "\"a\nb\"";
    QTest::newRow("carriage return") << "a\rb" << "\"a\rb\"";
}

void TestJournal::csvField()
{
    QFETCH(QString, text);
    QFETCH(QString, field);
    QCOMPARE(QString::fromStdString(mm::csvField(text.toStdString())), field);
}

void TestJournal::utcIsoTime_data()
{
    QTest::addColumn<qint64>("unixMs");
    QTest::addColumn<QString>("text");
    QTest::newRow("epoch") << qint64(0) << "1970-01-01T00:00:00.000Z";
    QTest::newRow("2024") << qint64(1'709'296'496'789) << "2024-03-01T12:34:56.789Z";
    QTest::newRow("leap day 2000") << qint64(951'782'400'000) << "2000-02-29T00:00:00.000Z";
    QTest::newRow("before the epoch") << qint64(-1) << "1969-12-31T23:59:59.999Z";
    QTest::newRow("year 9999") << qint64(253'402'300'799'999) << "9999-12-31T23:59:59.999Z";
}

void TestJournal::utcIsoTime()
{
    QFETCH(qint64, unixMs);
    QFETCH(QString, text);
    QCOMPARE(QString::fromStdString(mm::utcIsoTime(unixMs)), text);
    QCOMPARE(QDateTime::fromString(text, Qt::ISODateWithMs).toMSecsSinceEpoch(), unixMs);
}

void TestJournal::refusesFilesItCannotUse_data()
{
    QTest::addColumn<BrokenFile>("kind");
    QTest::addColumn<JournalProblem>("problem");
    QTest::addColumn<QString>("words");
    QTest::newRow("a text file named .db") << BrokenFile::Text << JournalProblem::NotADatabase << "not a SQLite database";
    QTest::newRow("a text file with a stray log") << BrokenFile::TextWithLog << JournalProblem::NotADatabase
                                                  << "not a SQLite database";
    QTest::newRow("a journal cut in half") << BrokenFile::TruncatedHalf << JournalProblem::Corrupt << "damaged";
    QTest::newRow("a journal cut inside its header") << BrokenFile::TruncatedHeader << JournalProblem::Corrupt << "damaged";
    QTest::newRow("a journal cut to 10 bytes") << BrokenFile::TruncatedMagic << JournalProblem::Corrupt << "cut short";
    QTest::newRow("a newer schema") << BrokenFile::NewerSchema << JournalProblem::NewerSchema << "newer Margin Monitor";
    QTest::newRow("a newer schema with transactions in its log") << BrokenFile::NewerSchemaWithLog
                                                                  << JournalProblem::NewerSchema << "newer Margin Monitor";
    QTest::newRow("another program's database") << BrokenFile::ForeignDatabase << JournalProblem::NotAJournal
                                                 << "another program";
}

void TestJournal::refusesFilesItCannotUse()
{
    QFETCH(BrokenFile, kind);
    QFETCH(JournalProblem, problem);
    QFETCH(QString, words);
    QTemporaryDir dir;
    const auto file = pathIn(dir, "journal.db");

    const auto realJournal = [&] {
        const auto source = pathIn(dir, "source.db");
        {
            Journal journal = Journal::open(source);
            for (int i = 0; i < 300; ++i) { // several pages, so that half of it misses some
                journal.recordAlert(awkwardAlert());
            }
        }
        const QByteArray bytes = bytesOf(source);
        std::filesystem::remove(source);
        return bytes;
    };
    const auto log = std::filesystem::path(file.string() + "-wal");
    switch (kind) {
    case BrokenFile::Text:
        writeBytes(file, QByteArray("time,symbol,mark\n").repeated(200));
        break;
    case BrokenFile::TextWithLog:
        writeBytes(file, QByteArray("time,symbol,mark\n").repeated(200));
        writeBytes(log, "a stray log");
        break;
    case BrokenFile::TruncatedMagic:
        writeBytes(file, realJournal().left(10));
        break;
    case BrokenFile::NewerSchemaWithLog: {
        // Copied while a newer app has it open: the version change is still in the log only.
        const auto source = pathIn(dir, "source.db");
        Journal journal = Journal::open(source);
        journal.recordAlert(positionAlert());
        RawDatabase raw(source);
        QVERIFY(raw.exec("PRAGMA user_version = 99"));
        QVERIFY(std::filesystem::copy_file(source, file));
        QVERIFY(std::filesystem::copy_file(source.string() + "-wal", log));
        break;
    }
    case BrokenFile::TruncatedHalf: {
        const QByteArray bytes = realJournal();
        QVERIFY(bytes.size() > 8 * 4096);
        writeBytes(file, bytes.left(bytes.size() / 2));
        break;
    }
    case BrokenFile::TruncatedHeader:
        writeBytes(file, realJournal().left(60));
        break;
    case BrokenFile::NewerSchema: {
        { Journal journal = Journal::open(file); }
        RawDatabase raw(file);
        QVERIFY(raw.exec("PRAGMA user_version = 99"));
        break;
    }
    case BrokenFile::ForeignDatabase: {
        RawDatabase raw(file, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
        QVERIFY(raw.exec("CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('bread')"));
        break;
    }
    }
    for (const char* leftover : {"source.db", "source.db-wal", "source.db-shm"}) {
        std::filesystem::remove(pathIn(dir, leftover));
    }
    const QByteArray before = bytesOf(file);
    const QByteArray logBefore = bytesOf(log);
    const QStringList filesBefore = filesIn(dir);
    QVERIFY(!before.isEmpty());

    try {
        Journal journal = Journal::open(file);
        QFAIL("the journal opened a file it cannot use");
    } catch (const JournalError& error) {
        const QString message = QString::fromUtf8(error.what());
        QVERIFY2(message.contains(QString::fromStdString(file.string())), qPrintable(message));
        QVERIFY2(message.contains(words), qPrintable(message));
        QCOMPARE(error.problem(), problem);
    }
    QCOMPARE(bytesOf(file), before);
    QCOMPARE(bytesOf(log), logBefore);
    // SQLite's shared-memory index (a cache rebuilt from the log) may stay beside a log it read.
    QStringList filesAfter = filesIn(dir);
    if (!logBefore.isEmpty() && !filesBefore.contains("journal.db-shm")) {
        filesAfter.removeOne("journal.db-shm");
    }
    QCOMPARE(filesAfter, filesBefore);
    // Reading is refused just the same.
    QVERIFY_THROWS_EXCEPTION(JournalError, std::ignore = Journal::openReadOnly(file));
    QCOMPARE(bytesOf(file), before);
    QCOMPARE(bytesOf(log), logBefore);
}

void TestJournal::movesABrokenFileAside()
{
    QTemporaryDir dir;
    const auto file = pathIn(dir, "journal.db");
    const QByteArray garbage("this is not a database\n");
    writeBytes(file, garbage);
    writeBytes(std::filesystem::path(file.string() + "-wal"), "stray log");
    QVERIFY_THROWS_EXCEPTION(JournalError, std::ignore = Journal::open(file));

    const std::filesystem::path moved = Journal::moveAside(file);
    QVERIFY2(moved.filename().string().starts_with("journal.db.broken-20"), moved.string().c_str());
    QVERIFY(!std::filesystem::exists(file));
    QVERIFY(!std::filesystem::exists(file.string() + "-wal"));
    QCOMPARE(bytesOf(moved), garbage);
    QCOMPARE(bytesOf(moved.string() + "-wal"), QByteArray("stray log"));

    // A second broken file within the same second gets a name of its own.
    writeBytes(file, "broken again");
    const std::filesystem::path second = Journal::moveAside(file);
    QVERIFY(second != moved);
    QCOMPARE(bytesOf(second), QByteArray("broken again"));
    QCOMPARE(bytesOf(moved), garbage);

    Journal journal = Journal::open(file);
    QVERIFY(journal.alerts(1).empty());

    QVERIFY_THROWS_EXCEPTION(JournalError, Journal::moveAside(pathIn(dir, "missing.db")));
}

// The window's reader may outlive the core's writer (it does at the app's exit), so SQLite cannot
// delete the write-ahead log on close. The writer empties it into the file first: journal.db copied
// on its own (a backup, a move to a new machine) still holds every alert.
void TestJournal::theFileAloneIsWholeAfterTheWriterCloses()
{
    QTemporaryDir dir;
    const auto file = pathIn(dir, "journal.db");
    std::optional<Journal> writer(Journal::open(file));
    Journal reader = Journal::openReadOnly(file);
    for (int i = 0; i < 50; ++i) {
        writer->recordAlert(positionAlert());
    }
    writer->recordMark(Venue::BinanceUsdm, "BTCUSDT", kNow, 61'000, 55'000, 9.8);
    QVERIFY(std::filesystem::file_size(file.string() + "-wal") > 0);
    writer.reset();
    QCOMPARE(reader.alerts(100).size(), std::size_t(50));
    QCOMPARE(std::filesystem::file_size(file.string() + "-wal"), std::uintmax_t(0));

    const auto copy = pathIn(dir, "backup/journal.db");
    std::filesystem::create_directories(copy.parent_path());
    QVERIFY(std::filesystem::copy_file(file, copy));
    Journal fromCopy = Journal::openReadOnly(copy);
    QCOMPARE(fromCopy.alerts(100).size(), std::size_t(50));
    QCOMPARE(fromCopy.history(Venue::BinanceUsdm, "BTCUSDT", 0).size(), std::size_t(1));
}

void TestJournal::readsWhileAnotherConnectionWrites()
{
    QTemporaryDir dir;
    const auto file = pathIn(dir, "journal.db");
    try {
        std::ignore = Journal::openReadOnly(file);
        QFAIL("opened a journal that does not exist");
    } catch (const JournalError& error) {
        QCOMPARE(error.problem(), JournalProblem::Io);
    }
    Journal writer = Journal::open(file);
    writer.recordAlert(positionAlert());
    Journal reader = Journal::openReadOnly(file);
    QVERIFY(reader.isReadOnly());
    QCOMPARE(reader.runId(), std::int64_t(0));
    QCOMPARE(reader.alerts(10).size(), std::size_t(1));
    writer.recordAlert(accountAlert());
    writer.recordMark(Venue::BinanceUsdm, "BTCUSDT", kNow, 61'000, 55'000, 9.8);
    writer.flushHistory();
    QCOMPARE(reader.alerts(10).size(), std::size_t(2));
    QCOMPARE(reader.history(Venue::BinanceUsdm, "BTCUSDT", 0).size(), std::size_t(1));
    try {
        reader.recordAlert(positionAlert());
        QFAIL("a read-only journal recorded an alert");
    } catch (const JournalError& error) {
        QCOMPARE(error.problem(), JournalProblem::ReadOnly);
    }
    QVERIFY_THROWS_EXCEPTION(JournalError, reader.recordAction(intentAction()));
    QVERIFY_THROWS_EXCEPTION(JournalError, reader.recordMark(Venue::OkxSwap, "X", 1, 1, {}, {}));
}

void TestJournal::movedFromJournalRefuses()
{
    QTemporaryDir dir;
    Journal first = Journal::open(pathIn(dir, "one.db"));
    const std::int64_t run = first.runId();
    Journal moved = std::move(first);
    QCOMPARE(moved.runId(), run);
    moved.recordAlert(positionAlert());
    try {
        std::ignore = first.alerts(1); // NOLINT(bugprone-use-after-move): what the test is about
        QFAIL("a moved-from journal answered");
    } catch (const JournalError& error) {
        QCOMPARE(error.problem(), JournalProblem::Closed);
    }
    Journal other = Journal::open(pathIn(dir, "two.db"));
    other.recordMark(Venue::BybitLinear, "SOLUSDT", kNow, 140, {}, {}); // pending in `other` when replaced
    other = std::move(moved);
    QCOMPARE(other.alerts(5).size(), std::size_t(1));
    // The replaced journal was flushed and closed on assignment.
    QCOMPARE(RawDatabase(pathIn(dir, "two.db")).number("SELECT count(*) FROM history"), qint64(1));
}

void TestJournal::rejectsInvalidHistoryBands()
{
    QTemporaryDir dir;
    JournalOptions options;
    options.historyBands = {{kDay, 60'000}, {kHour, 0}};
    try {
        std::ignore = Journal::open(pathIn(dir, "journal.db"), options);
        QFAIL("accepted bands out of order");
    } catch (const JournalError& error) {
        QCOMPARE(error.problem(), JournalProblem::Usage);
    }
    QVERIFY(!std::filesystem::exists(pathIn(dir, "journal.db")));
}

void TestJournal::historyRoundTrip()
{
    QTemporaryDir dir;
    const auto file = pathIn(dir, "journal.db");
    {
        Journal journal = Journal::open(file);
        journal.recordMark(Venue::BinanceUsdm, "BTCUSDT", kNow - 2000, 61'000, 55'000, 9.84);
        journal.recordMark(Venue::BinanceUsdm, "BTCUSDT", kNow - 1000, 60'900, std::nullopt, std::nullopt);
        journal.recordMark(Venue::BinanceUsdm, "BTCUSDT", kNow, 60'800, kInfinity, kNaN);
        journal.recordMark(Venue::BinanceUsdm, "BTCUSDT", kNow + 500, kNaN, 1, 1); // ignored
        journal.recordMark(Venue::OkxSwap, "BTCUSDT", kNow, 60'810, 66'000, 8.5);  // same symbol, other venue
        journal.recordMark(Venue::OkxSwap, "BTCUSDT", kNow, 60'811, 66'001, 8.4);  // same millisecond: replaces
        // Read before any flush: buffered points are included.
        QCOMPARE(journal.history(Venue::BinanceUsdm, "BTCUSDT", 0).size(), std::size_t(3));
    }
    Journal journal = Journal::open(file);
    const std::vector<HistoryPoint> binance = journal.history(Venue::BinanceUsdm, "BTCUSDT", kNow - 1000);
    const std::vector<HistoryPoint> expected{{kNow - 1000, 60'900, std::nullopt, std::nullopt},
                                             {kNow, 60'800, std::nullopt, std::nullopt}};
    QVERIFY(binance == expected);
    const std::vector<HistoryPoint> okx = journal.history(Venue::OkxSwap, "BTCUSDT", 0);
    QCOMPARE(okx.size(), std::size_t(1));
    QVERIFY(okx[0] == (HistoryPoint{kNow, 60'811, 66'001, 8.4}));
    QVERIFY(journal.history(Venue::BybitLinear, "BTCUSDT", 0).empty());
    const std::vector<HistorySubject> subjects = journal.historySubjects();
    const std::vector<HistorySubject> expectedSubjects{{Venue::BinanceUsdm, "BTCUSDT"}, {Venue::OkxSwap, "BTCUSDT"}};
    QVERIFY(subjects == expectedSubjects);
    QCOMPARE(journal.historyRowCount(), std::size_t(4));
}

void TestJournal::historyIsWrittenInBatches()
{
    QTemporaryDir dir;
    const auto file = pathIn(dir, "journal.db");
    ManualClock clock;
    JournalOptions options;
    options.clock = &clock;
    options.historyBatchRows = 4;
    options.historyFlushInterval = 100ms;
    const auto stored = [&] { return RawDatabase(file, SQLITE_OPEN_READONLY).number("SELECT count(*) FROM history"); };
    {
        Journal journal = Journal::open(file, options);
        std::int64_t t = kNow;
        journal.recordMark(Venue::BinanceUsdm, "BTCUSDT", t += 10, 1, {}, {});
        QCOMPARE(stored(), qint64(0));
        journal.recordMark(Venue::BinanceUsdm, "BTCUSDT", t += 10, 1, {}, {});
        journal.recordMark(Venue::BinanceUsdm, "BTCUSDT", t += 10, 1, {}, {});
        QCOMPARE(stored(), qint64(0));
        journal.recordMark(Venue::BinanceUsdm, "BTCUSDT", t += 10, 1, {}, {}); // the fourth: a batch
        QCOMPARE(stored(), qint64(4));
        journal.recordMark(Venue::BinanceUsdm, "BTCUSDT", t += 10, 1, {}, {});
        clock.advance(99ms);
        journal.recordMark(Venue::BinanceUsdm, "BTCUSDT", t += 10, 1, {}, {});
        QCOMPARE(stored(), qint64(4));
        clock.advance(1ms); // the oldest waiting point is 100 ms old
        journal.recordMark(Venue::BinanceUsdm, "BTCUSDT", t += 10, 1, {}, {});
        QCOMPARE(stored(), qint64(7));
        journal.recordMark(Venue::BinanceUsdm, "BTCUSDT", t += 10, 1, {}, {});
        journal.flushHistory();
        QCOMPARE(stored(), qint64(8));
        journal.recordMark(Venue::BinanceUsdm, "BTCUSDT", t += 10, 1, {}, {});
        QCOMPARE(stored(), qint64(8));
    }
    QCOMPARE(stored(), qint64(9)); // the destructor wrote the rest
}

void TestJournal::compactsHistoryByAge_data()
{
    QTest::addColumn<qint64>("spacingMs");
    QTest::newRow("every 10 s") << qint64(10'000);
    QTest::newRow("every 7 s") << qint64(7'000);
    QTest::newRow("every 45 s") << qint64(45'000);
    QTest::newRow("every 13 min (sparser than the buckets)") << qint64(13 * 60'000);
}

void TestJournal::compactsHistoryByAge()
{
    QFETCH(qint64, spacingMs);
    QTemporaryDir dir;
    JournalOptions options;
    options.historyBatchRows = 8192;
    Journal journal = Journal::open(pathIn(dir, "journal.db"), options);
    // Eight days of points up to now (and one from the future, which compaction leaves alone); a
    // second position offset by 3 s so that the two interleave.
    std::vector<std::int64_t> btc;
    std::vector<std::int64_t> eth;
    for (std::int64_t t = kNow - 8 * kDay; t <= kNow; t += spacingMs) {
        btc.push_back(t);
        eth.push_back(t - 3000);
    }
    btc.push_back(kNow + 60'000);
    for (std::size_t i = 0; i < btc.size(); ++i) {
        journal.recordMark(Venue::BinanceUsdm, "BTCUSDT", btc[i], 60'000 + double(i), 50'000, 16.6);
        if (i < eth.size()) {
            journal.recordMark(Venue::BybitLinear, "ETHUSDT", eth[i], 3'000, std::nullopt, 20);
        }
    }
    QCOMPARE(journal.historyRowCount(), btc.size() + eth.size());

    journal.compactHistory(kNow);
    const std::vector<std::int64_t> keptBtc = timesOf(journal.history(Venue::BinanceUsdm, "BTCUSDT", 0));
    const std::vector<std::int64_t> keptEth = timesOf(journal.history(Venue::BybitLinear, "ETHUSDT", 0));
    QCOMPARE(keptBtc, expectedKept(btc, kNow, options.historyBands));
    QCOMPARE(keptEth, expectedKept(eth, kNow, options.historyBands));
    QCOMPARE(keptBtc.back(), btc.back()); // the newest points always stay
    QCOMPARE(keptEth.back(), eth.back());
    QVERIFY(keptBtc.front() >= kNow - 7 * kDay);

    if (spacingMs == 10'000) {
        // Counted by hand: every point of the last hour (0 … 360 × 10 s), one a minute for 23 hours,
        // one per 10 minutes for 6 days — and the point from the future.
        const auto inBand = [&](std::int64_t from, std::int64_t to) {
            return std::count_if(keptBtc.begin(), keptBtc.end(), [&](std::int64_t t) { return t >= from && t < to; });
        };
        QCOMPARE(inBand(kNow - kHour, kNow + 1), 361);
        QCOMPARE(inBand(kNow - kDay, kNow - kHour), 23 * 60);
        QCOMPARE(inBand(kNow - 7 * kDay, kNow - kDay), 6 * 24 * 6);
        QCOMPARE(keptBtc.size(), std::size_t(361 + 23 * 60 + 6 * 24 * 6 + 1));
    }

    // Compacting again changes nothing; an hour later, the hour that aged is thinned too.
    journal.compactHistory(kNow);
    QCOMPARE(timesOf(journal.history(Venue::BinanceUsdm, "BTCUSDT", 0)), keptBtc);
    journal.compactHistory(kNow + kHour);
    QCOMPARE(timesOf(journal.history(Venue::BinanceUsdm, "BTCUSDT", 0)), expectedKept(keptBtc, kNow + kHour, options.historyBands));
    QCOMPARE(QString::fromStdString(journal.integrityProblems()), QString());
}

void TestJournal::capsTheHistoryKeepingTheNewest()
{
    QTemporaryDir dir;
    JournalOptions options;
    options.historyMaxRows = 500;
    Journal journal = Journal::open(pathIn(dir, "journal.db"), options);
    // 2 × 600 points within the last hour (no downsampling applies): only the cap removes any.
    std::vector<std::int64_t> all;
    for (std::int64_t i = 0; i < 600; ++i) {
        const std::int64_t t = kNow - 5000 * i;
        journal.recordMark(Venue::BinanceUsdm, "BTCUSDT", t, 60'000, {}, {});
        journal.recordMark(Venue::Hyperliquid, "BTC", t - 1, 60'000, {}, {});
        all.push_back(t);
        all.push_back(t - 1);
    }
    journal.compactHistory(kNow);
    QCOMPARE(journal.historyRowCount(), std::size_t(500));
    std::sort(all.rbegin(), all.rend());
    const std::int64_t oldestKept = all[499];
    const auto btc = timesOf(journal.history(Venue::BinanceUsdm, "BTCUSDT", 0));
    const auto hyperliquid = timesOf(journal.history(Venue::Hyperliquid, "BTC", 0));
    QCOMPARE(btc.size() + hyperliquid.size(), std::size_t(500));
    QCOMPARE(btc.back(), kNow);
    QCOMPARE(hyperliquid.back(), kNow - 1);
    QVERIFY(btc.front() >= oldestKept);
    QVERIFY(hyperliquid.front() >= oldestKept);
    journal.compactHistory(kNow);
    QCOMPARE(journal.historyRowCount(), std::size_t(500));
}

QTEST_GUILESS_MAIN(TestJournal)
#include "tst_journal.moc"
