#include "store/journal.h"

#include "money/clock.h"
#include "store/csv_format.h"
#include "store/sqlite_statement.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <ostream>
#include <system_error>
#include <utility>

namespace mm {
namespace {

struct DatabaseCloser {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};

/// Points waiting for the next history batch beyond this many are dropped, oldest first: a journal
/// that cannot write (disk full) must not also grow the process without bound.
constexpr std::size_t kMaxPendingPoints = 65'536;

constexpr std::string_view kAlertColumns =
    "id, run_id, episode, wall_ms, change, level, rule, account, venue, symbol, side, value, threshold, mark, "
    "liquidation_price, distance_pct, message";
constexpr std::string_view kActionColumns =
    "id, run_id, wall_ms, account, venue, symbol, episode, client_order_id, step, side, quantity, status, detail";

std::string sql(std::string_view head, std::string_view columns, std::string_view tail)
{
    std::string text(head);
    text += columns;
    text += tail;
    return text;
}

std::int64_t nowUnixMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string_view positionSideName(Side side)
{
    return side == Side::Long ? "long" : "short";
}

std::optional<Side> positionSideFromName(std::string_view name)
{
    if (name == "long") {
        return Side::Long;
    }
    if (name == "short") {
        return Side::Short;
    }
    return std::nullopt;
}

// An order's side in the trader's words: a Short order sells.
std::string_view orderSideName(Side side)
{
    return side == Side::Long ? "buy" : "sell";
}

std::optional<Side> orderSideFromName(std::string_view name)
{
    if (name == "buy") {
        return Side::Long;
    }
    if (name == "sell") {
        return Side::Short;
    }
    return std::nullopt;
}

std::optional<double> finiteOrNothing(std::optional<double> value)
{
    if (value && !std::isfinite(*value)) {
        return std::nullopt;
    }
    return value;
}

std::int64_t clampedLimit(std::size_t limit)
{
    return static_cast<std::int64_t>(std::min<std::size_t>(limit, std::numeric_limits<std::int64_t>::max()));
}

AlertRow alertFrom(const SqliteStatement& row)
{
    AlertRow alert;
    alert.id = row.int64At(0);
    alert.runId = row.int64At(1);
    alert.episode = static_cast<std::uint64_t>(row.int64At(2));
    alert.wallTimeMs = row.int64At(3);
    alert.change = alertChangeFromName(row.textAt(4)).value_or(AlertChange::Raised);
    alert.level = alertLevelFromName(row.textAt(5)).value_or(AlertLevel::Warning);
    alert.rule = alertRuleKindFromName(row.textAt(6)).value_or(AlertRuleKind::Distance);
    alert.accountLabel = row.textAt(7);
    alert.venue = venueFromName(row.textAt(8)).value_or(Venue::Generic);
    alert.symbol = row.textAt(9);
    alert.side = positionSideFromName(row.textAt(10));
    alert.value = row.doubleAt(11);
    alert.threshold = row.doubleAt(12);
    alert.markPrice = row.optionalDoubleAt(13);
    alert.liquidationPrice = row.optionalDoubleAt(14);
    alert.distancePct = row.optionalDoubleAt(15);
    alert.message = row.textAt(16);
    return alert;
}

ActionRow actionFrom(const SqliteStatement& row)
{
    ActionRow stored;
    stored.id = row.int64At(0);
    stored.runId = row.int64At(1);
    ActionRecord& action = stored.action;
    action.wallTimeMs = row.int64At(2);
    action.accountLabel = row.textAt(3);
    action.venue = venueFromName(row.textAt(4)).value_or(Venue::Generic);
    action.symbol = row.textAt(5);
    if (!row.isNull(6)) {
        action.episode = static_cast<std::uint64_t>(row.int64At(6));
    }
    action.clientOrderId = row.textAt(7);
    action.step = row.textAt(8);
    action.side = orderSideFromName(row.textAt(9));
    action.quantity = row.textAt(10);
    action.status = row.textAt(11);
    action.detail = row.textAt(12);
    return stored;
}

std::string leftAsItIs(const std::string& file)
{
    return " Margin Monitor left " + file + " as it is; move it aside to start a new journal.";
}

/// Looks at the first bytes before SQLite does: SQLite, given a file that is not a database, would
/// still open and then remove a `-wal` companion lying beside it. What is not a SQLite file is refused
/// here, without SQLite touching anything.
std::optional<JournalError> notASqliteFile(const std::filesystem::path& file, const std::string& fileText)
{
    std::error_code error;
    const auto size = std::filesystem::file_size(file, error);
    if (error || size == 0) {
        return std::nullopt; // missing or empty: a new journal
    }
    static constexpr std::string_view kMagic("SQLite format 3\0", 16); // the header's first 16 bytes
    std::string head(kMagic.size(), '\0');
    std::ifstream in(file, std::ios::binary);
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    const std::string kept = leftAsItIs(fileText);
    if (head != kMagic.substr(0, head.size()) || (head.size() < kMagic.size() && size >= kMagic.size())) {
        return JournalError(JournalProblem::NotADatabase,
                            "The journal " + fileText + " is not a SQLite database." + kept);
    }
    if (size < 100) { // shorter than SQLite's file header
        return JournalError(JournalProblem::Corrupt, "The journal " + fileText + " is damaged: cut short to " +
                                                         std::to_string(size) + " bytes." + kept);
    }
    return std::nullopt;
}

} // namespace

struct JournalState {
    struct PendingPoint {
        Venue venue;
        std::string symbol;
        HistoryPoint point;
    };

    // Declared first, so destroyed last: after every statement has been finalised.
    std::unique_ptr<sqlite3, DatabaseCloser> db;
    std::filesystem::path file;
    std::string fileText;
    JournalOptions options;
    bool readOnly = false;
    std::int64_t runId = 0;

    SqliteStatement insertAlert;
    SqliteStatement selectAlerts;
    SqliteStatement selectAlertsAfter;
    SqliteStatement selectAlertsOfEpisode;
    SqliteStatement selectAllAlerts;
    SqliteStatement insertAction;
    SqliteStatement selectActions;
    SqliteStatement selectActionsForClientOrderId;
    SqliteStatement selectAllActions;
    SqliteStatement insertSubject;
    SqliteStatement selectSubject;
    SqliteStatement selectSubjects;
    SqliteStatement insertPoint;
    SqliteStatement selectHistory;
    SqliteStatement thinBand;
    SqliteStatement deleteOlderThan;
    SqliteStatement selectCapCutoff;
    SqliteStatement countHistory;

    std::vector<PendingPoint> pending;
    MonotonicTime firstPendingAt{};
    std::map<std::pair<Venue, std::string>, std::int64_t> subjectIds;

    [[nodiscard]] SqliteStatement prepare(std::string_view text, std::string what) const
    {
        return SqliteStatement(db.get(), text, std::move(what), fileText);
    }

    void exec(const char* text, std::string_view what) const
    {
        const int code = sqlite3_exec(db.get(), text, nullptr, nullptr, nullptr);
        if (code != SQLITE_OK) {
            throwSqliteError(db.get(), code, what, fileText);
        }
    }

    void execNoThrow(const char* text) const noexcept { sqlite3_exec(db.get(), text, nullptr, nullptr, nullptr); }

    [[nodiscard]] std::int64_t pragmaNumber(const char* text, std::string_view what) const
    {
        SqliteStatement statement = prepare(text, std::string(what));
        return statement.step() ? statement.int64At(0) : 0;
    }

    [[nodiscard]] MonotonicTime now() const
    {
        return options.clock != nullptr ? options.clock->now() : std::chrono::steady_clock::now();
    }
};

namespace {

/// History batches, compaction and alerts commit with synchronous=NORMAL (in WAL: no fsync per
/// commit; a kill loses nothing committed, a power cut at most the latest commits); actions keep FULL.
class RelaxedSync {
public:
    explicit RelaxedSync(const JournalState& state) : m_state(state)
    {
        m_state.exec("PRAGMA synchronous = NORMAL", "relax the history's synchronous mode");
    }
    ~RelaxedSync() { m_state.execNoThrow("PRAGMA synchronous = FULL"); }
    RelaxedSync(const RelaxedSync&) = delete;
    RelaxedSync& operator=(const RelaxedSync&) = delete;

private:
    const JournalState& m_state;
};

/// BEGIN IMMEDIATE … COMMIT, rolled back when an exception leaves the scope.
class WriteTransaction {
public:
    WriteTransaction(const JournalState& state, std::string_view what) : m_state(state), m_what(what)
    {
        m_state.exec("BEGIN IMMEDIATE", "start a transaction to " + m_what);
    }
    ~WriteTransaction()
    {
        if (!m_committed) {
            m_state.execNoThrow("ROLLBACK");
        }
    }
    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;

    void commit()
    {
        m_state.exec("COMMIT", "commit the transaction to " + m_what);
        m_committed = true;
    }

private:
    const JournalState& m_state;
    std::string m_what;
    bool m_committed = false;
};

void validate(const JournalOptions& options, const std::string& file)
{
    std::int64_t previous = 0;
    for (const HistoryBand& band : options.historyBands) {
        if (band.upToAgeMs <= previous || band.bucketMs < 0) {
            throw JournalError(JournalProblem::Usage,
                               "The history bands for the journal " + file + " must have growing ages and buckets ≥ 0");
        }
        previous = band.upToAgeMs;
    }
    if (options.historyBands.empty() || options.historyMaxRows == 0 || options.historyBatchRows == 0) {
        throw JournalError(JournalProblem::Usage,
                           "The journal " + file + " needs at least one history band, a row cap and a batch size");
    }
}

void openConnection(JournalState& state, int flags, std::chrono::milliseconds busyTimeout)
{
    sqlite3* raw = nullptr;
    const int code = sqlite3_open_v2(state.fileText.c_str(), &raw, flags, nullptr);
    state.db.reset(raw);
    if (code != SQLITE_OK) {
        throwSqliteError(raw, code, "open the journal", state.fileText);
    }
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, static_cast<int>(busyTimeout.count()));
}

/// Reads what the file is, writing nothing: its schema version, after checking that it is a SQLite
/// database (the first read parses the header), undamaged as far as its size and schema go, and ours.
int inspect(const JournalState& state)
{
    if (auto refusal = notASqliteFile(state.file, state.fileText)) {
        throw *refusal;
    }
    std::int64_t version = 0;
    std::int64_t applicationId = 0;
    std::int64_t objects = 0;
    try {
        version = state.pragmaNumber("PRAGMA user_version", "read the schema version");
        applicationId = state.pragmaNumber("PRAGMA application_id", "read the application id");
        // Reads the schema's pages: a file cut short fails here (or above), before anything is written.
        objects = state.pragmaNumber("SELECT count(*) FROM sqlite_schema", "read the schema");
    } catch (const JournalError& error) {
        if (error.problem() == JournalProblem::NotADatabase) {
            throw JournalError(JournalProblem::NotADatabase, "The journal " + state.fileText +
                                                                 " is not a SQLite database (" + error.what() + ")." +
                                                                 leftAsItIs(state.fileText));
        }
        if (error.problem() == JournalProblem::Corrupt) {
            throw JournalError(JournalProblem::Corrupt, "The journal " + state.fileText + " is damaged (" +
                                                            error.what() + ")." + leftAsItIs(state.fileText));
        }
        throw;
    }
    if (version > Journal::kSchemaVersion) {
        throw JournalError(JournalProblem::NewerSchema,
                           "The journal " + state.fileText + " was written by a newer Margin Monitor (schema version " +
                               std::to_string(version) + "; this version knows up to " +
                               std::to_string(Journal::kSchemaVersion) +
                               "). It was left as it is: use the newer Margin Monitor, or move the file aside to start "
                               "a new journal.");
    }
    if ((applicationId != 0 && applicationId != kJournalApplicationId) || (version == 0 && objects > 0)) {
        throw JournalError(JournalProblem::NotAJournal, "The file " + state.fileText +
                                                            " is a SQLite database of another program, not a Margin "
                                                            "Monitor journal." +
                                                            leftAsItIs(state.fileText));
    }
    return static_cast<int>(version);
}

void migrate(const JournalState& state)
{
    WriteTransaction transaction(state, "migrate the schema");
    // Read again under the write lock: another process may have migrated since `inspect`.
    const std::int64_t version = state.pragmaNumber("PRAGMA user_version", "read the schema version");
    if (version > Journal::kSchemaVersion) {
        throw JournalError(JournalProblem::NewerSchema, "The journal " + state.fileText +
                                                            " was just migrated by a newer Margin Monitor (schema "
                                                            "version " +
                                                            std::to_string(version) + ")");
    }
    for (const JournalMigration& migration : journalMigrations()) {
        if (migration.version <= version) {
            continue;
        }
        const std::string step = "migrate the schema to version " + std::to_string(migration.version);
        state.exec(std::string(migration.sql).c_str(), step);
        state.exec(("PRAGMA user_version = " + std::to_string(migration.version)).c_str(), step);
    }
    transaction.commit();
}

void prepareStatements(JournalState& state)
{
    state.insertAlert = state.prepare(
        "INSERT INTO alerts (run_id, episode, wall_ms, change, level, rule, account, venue, symbol, side, value, "
        "threshold, mark, liquidation_price, distance_pct, message) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        "record an alert");
    state.selectAlerts =
        state.prepare(sql("SELECT ", kAlertColumns, " FROM alerts WHERE id < ?2 ORDER BY id DESC LIMIT ?1"),
                      "read the alerts");
    state.selectAlertsAfter =
        state.prepare(sql("SELECT ", kAlertColumns, " FROM alerts WHERE id > ?2 ORDER BY id ASC LIMIT ?1"),
                      "read the newest alerts");
    state.selectAlertsOfEpisode = state.prepare(
        sql("SELECT ", kAlertColumns, " FROM alerts WHERE run_id = ?1 AND episode = ?2 ORDER BY id"),
        "read an alert episode");
    state.selectAllAlerts =
        state.prepare(sql("SELECT ", kAlertColumns, " FROM alerts ORDER BY id"), "export the alerts");
    state.insertAction = state.prepare(
        "INSERT INTO actions (run_id, wall_ms, account, venue, symbol, episode, client_order_id, step, side, "
        "quantity, status, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        "record an action");
    state.selectActions =
        state.prepare(sql("SELECT ", kActionColumns, " FROM actions WHERE id < ?2 ORDER BY id DESC LIMIT ?1"),
                      "read the actions");
    state.selectActionsForClientOrderId = state.prepare(
        sql("SELECT ", kActionColumns, " FROM actions WHERE client_order_id = ?1 ORDER BY id"),
        "read an order's actions");
    state.selectAllActions =
        state.prepare(sql("SELECT ", kActionColumns, " FROM actions ORDER BY id"), "export the actions");
    state.insertSubject = state.prepare("INSERT OR IGNORE INTO history_subjects (venue, symbol) VALUES (?1, ?2)",
                                        "add a position to the history");
    state.selectSubject = state.prepare("SELECT id FROM history_subjects WHERE venue = ?1 AND symbol = ?2",
                                        "find a position in the history");
    state.selectSubjects = state.prepare(
        "SELECT venue, symbol FROM history_subjects AS s WHERE EXISTS (SELECT 1 FROM history WHERE subject_id = s.id) "
        "ORDER BY venue, symbol",
        "list the positions with history");
    state.insertPoint = state.prepare(
        "INSERT OR REPLACE INTO history (subject_id, wall_ms, mark, liquidation_price, distance_pct) "
        "VALUES (?1, ?2, ?3, ?4, ?5)",
        "record the mark history");
    state.selectHistory = state.prepare(
        "SELECT h.wall_ms, h.mark, h.liquidation_price, h.distance_pct FROM history AS h "
        "JOIN history_subjects AS s ON s.id = h.subject_id "
        "WHERE s.venue = ?1 AND s.symbol = ?2 AND h.wall_ms >= ?3 ORDER BY h.wall_ms",
        "read the mark history");
    // Deletes every point of the band [?1, ?2) that has a later point of the same position in the same
    // bucket of ?3 ms (and the band): the last point of each bucket stays. One index probe per point.
    state.thinBand = state.prepare(
        "DELETE FROM history WHERE wall_ms >= ?1 AND wall_ms < ?2 AND EXISTS ("
        " SELECT 1 FROM history AS later WHERE later.subject_id = history.subject_id"
        " AND later.wall_ms > history.wall_ms AND later.wall_ms < min(?2, (history.wall_ms / ?3 + 1) * ?3))",
        "downsample the mark history");
    state.deleteOlderThan =
        state.prepare("DELETE FROM history WHERE wall_ms <= ?1", "delete old mark history");
    state.selectCapCutoff = state.prepare(
        "SELECT wall_ms FROM history ORDER BY wall_ms DESC LIMIT 1 OFFSET ?1", "apply the mark history's row cap");
    state.countHistory = state.prepare("SELECT count(*) FROM history", "count the mark history");
}

/// "2024-03-01T12:34:56.789Z" → "20240301T123456Z": a file-name-safe stamp.
std::string fileStamp(std::int64_t unixMs)
{
    std::string stamp;
    for (const char c : utcIsoTime(unixMs)) {
        if (c == '.') {
            break;
        }
        if (c != '-' && c != ':') {
            stamp += c;
        }
    }
    return stamp + "Z";
}

std::filesystem::path withSuffix(const std::filesystem::path& file, std::string_view suffix)
{
    std::filesystem::path result = file;
    result += suffix;
    return result;
}

void flushPending(JournalState& state)
{
    if (state.pending.empty()) {
        return;
    }
    try {
        RelaxedSync relaxed(state);
        WriteTransaction transaction(state, "record the mark history");
        for (const JournalState::PendingPoint& pending : state.pending) {
            auto key = std::pair(pending.venue, pending.symbol);
            auto found = state.subjectIds.find(key);
            if (found == state.subjectIds.end()) {
                {
                    SqliteStatement::Use use(state.insertSubject);
                    state.insertSubject.bind(1, venueName(pending.venue));
                    state.insertSubject.bind(2, pending.symbol);
                    state.insertSubject.run();
                }
                SqliteStatement::Use use(state.selectSubject);
                state.selectSubject.bind(1, venueName(pending.venue));
                state.selectSubject.bind(2, pending.symbol);
                if (!state.selectSubject.step()) {
                    throw JournalError(JournalProblem::Sqlite, "Could not add " + pending.symbol +
                                                                   " to the history (journal " + state.fileText + ")");
                }
                found = state.subjectIds.emplace(std::move(key), state.selectSubject.int64At(0)).first;
            }
            SqliteStatement::Use use(state.insertPoint);
            state.insertPoint.bind(1, found->second);
            state.insertPoint.bind(2, pending.point.wallTimeMs);
            state.insertPoint.bind(3, pending.point.mark);
            state.insertPoint.bind(4, pending.point.liquidationPrice);
            state.insertPoint.bind(5, pending.point.distancePct);
            state.insertPoint.run();
        }
        transaction.commit();
    } catch (const JournalError&) {
        // Rolled back: subject ids learnt in this transaction may not exist.
        state.subjectIds.clear();
        throw;
    }
    state.pending.clear();
}

} // namespace

Journal::Journal(std::unique_ptr<JournalState> state) : m_state(std::move(state)) {}

Journal::~Journal()
{
    if (m_state && !m_state->readOnly) {
        try {
            flushPending(*m_state);
        } catch (const JournalError&) {
            // History may lose its last points; a destructor must not throw.
        }
        // Everything into the database file itself, the write-ahead log emptied: a copy of
        // journal.db alone is then whole even when a reader (the window's) still holds the log
        // open and SQLite therefore cannot delete it on close.
        m_state->execNoThrow("PRAGMA wal_checkpoint(TRUNCATE)");
    }
}

Journal::Journal(Journal&& other) noexcept = default;

Journal& Journal::operator=(Journal&& other) noexcept
{
    if (this != &other) {
        Journal dying(std::move(*this)); // flushes and closes what this held
        m_state = std::move(other.m_state);
    }
    return *this;
}

Journal Journal::open(const std::filesystem::path& file, JournalOptions options)
{
    auto state = std::make_unique<JournalState>();
    state->file = file;
    state->fileText = file.string();
    validate(options, state->fileText);
    state->options = std::move(options);

    std::error_code error;
    if (file.has_parent_path()) {
        std::filesystem::create_directories(file.parent_path(), error);
        if (error) {
            throw JournalError(JournalProblem::Io, "Could not create the folder " + file.parent_path().string() +
                                                       " for the journal " + state->fileText + ": " + error.message());
        }
    }
    if (std::filesystem::is_directory(file, error)) {
        throw JournalError(JournalProblem::Io, "The journal " + state->fileText + " is a folder, not a file");
    }

    // A log beside the file may hold committed transactions. Until the file is known to be ours,
    // closing must not checkpoint it into the database (which would change a file we refuse) nor remove it.
    const bool hasLog = std::filesystem::file_size(withSuffix(file, "-wal"), error) > 0 && !error;
    openConnection(*state, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, state->options.busyTimeout);
    if (hasLog) {
        sqlite3_db_config(state->db.get(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    }
    const int version = inspect(*state);
    if (hasLog) {
        sqlite3_db_config(state->db.get(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, nullptr);
    }

    // WAL: readers (the GUI) never block the writer, and a commit is one append to the log. Only now,
    // once the file is known to be ours or empty, may anything be written.
    SqliteStatement walMode = state->prepare("PRAGMA journal_mode = WAL", "switch to write-ahead logging");
    const std::string mode = walMode.step() ? walMode.textAt(0) : std::string();
    walMode = SqliteStatement();
    if (mode != "wal") {
        throw JournalError(JournalProblem::Io, "The journal " + state->fileText +
                                                   " cannot use write-ahead logging (journal mode \"" + mode +
                                                   "\"): is it on a network file system?");
    }
    state->exec("PRAGMA synchronous = FULL", "set the synchronous mode");
    state->exec("PRAGMA foreign_keys = ON", "enable foreign keys");
    if (version < kSchemaVersion) {
        migrate(*state);
    }

    prepareStatements(*state);
    SqliteStatement startRun =
        state->prepare("INSERT INTO runs (started_ms, schema_version) VALUES (?1, ?2)", "start a run");
    startRun.bind(1, nowUnixMs());
    startRun.bind(2, std::int64_t{kSchemaVersion});
    startRun.run();
    state->runId = sqlite3_last_insert_rowid(state->db.get());
    return Journal(std::move(state));
}

Journal Journal::openReadOnly(const std::filesystem::path& file)
{
    auto state = std::make_unique<JournalState>();
    state->file = file;
    state->fileText = file.string();
    state->readOnly = true;
    std::error_code error;
    if (!std::filesystem::is_regular_file(file, error)) {
        throw JournalError(JournalProblem::Io, "There is no journal at " + state->fileText + " yet");
    }
    openConnection(*state, SQLITE_OPEN_READONLY, state->options.busyTimeout);
    // A reader never checkpoints: the writer (or the next `open`) does.
    sqlite3_db_config(state->db.get(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    const int version = inspect(*state);
    if (version < kSchemaVersion) {
        throw JournalError(JournalProblem::OlderSchema,
                           "The journal " + state->fileText + " is at schema version " + std::to_string(version) +
                               ": open it for recording once to bring it up to version " +
                               std::to_string(kSchemaVersion));
    }
    prepareStatements(*state);
    return Journal(std::move(state));
}

std::filesystem::path Journal::moveAside(const std::filesystem::path& file)
{
    const std::string base = file.string() + ".broken-" + fileStamp(nowUnixMs());
    std::filesystem::path target = base;
    std::error_code error;
    for (int attempt = 2; std::filesystem::exists(target, error) || std::filesystem::exists(withSuffix(target, "-wal"), error);
         ++attempt) {
        target = base + "-" + std::to_string(attempt);
    }
    std::filesystem::rename(file, target, error);
    if (error) {
        throw JournalError(JournalProblem::Io,
                           "Could not move the journal " + file.string() + " aside to " + target.string() + ": " +
                               error.message());
    }
    // The log and its index belong to the database: they move with it, keeping SQLite's naming, so the
    // moved file opens with everything it had.
    for (const std::string_view suffix : {std::string_view("-wal"), std::string_view("-shm")}) {
        const std::filesystem::path companion = withSuffix(file, suffix);
        if (std::filesystem::exists(companion, error)) {
            std::filesystem::rename(companion, withSuffix(target, suffix), error);
            if (error) {
                throw JournalError(JournalProblem::Io, "Moved the journal " + file.string() + " aside to " +
                                                           target.string() + " but not its " + companion.string() +
                                                           ": " + error.message());
            }
        }
    }
    return target;
}

JournalState& Journal::state()
{
    if (!m_state) {
        throw JournalError(JournalProblem::Closed, "The journal was moved from and is closed");
    }
    return *m_state;
}

JournalState& Journal::writableState(std::string_view what)
{
    JournalState& current = state();
    if (current.readOnly) {
        throw JournalError(JournalProblem::ReadOnly, "Could not " + std::string(what) + ": the journal " +
                                                         current.fileText + " was opened read-only");
    }
    return current;
}

const std::filesystem::path& Journal::file() const
{
    static const std::filesystem::path none;
    return m_state ? m_state->file : none;
}

std::int64_t Journal::runId() const
{
    return m_state ? m_state->runId : 0;
}

bool Journal::isReadOnly() const
{
    return m_state && m_state->readOnly;
}

std::int64_t Journal::recordAlert(const AlertEvent& event)
{
    JournalState& s = writableState("record an alert");
    SqliteStatement& insert = s.insertAlert;
    SqliteStatement::Use use(insert);
    insert.bind(1, s.runId);
    // Episodes are unsigned; SQLite's integers are signed: the bits round-trip.
    insert.bind(2, static_cast<std::int64_t>(event.episode));
    insert.bind(3, event.wallTimeMs);
    insert.bind(4, alertChangeName(event.change));
    insert.bind(5, alertLevelName(event.level));
    insert.bind(6, alertRuleKindName(event.rule));
    insert.bind(7, event.subject.accountLabel);
    insert.bind(8, venueName(event.subject.venue));
    insert.bind(9, event.subject.symbol);
    if (event.subject.side) {
        insert.bind(10, positionSideName(*event.subject.side));
    } else {
        insert.bindNull(10);
    }
    insert.bind(11, event.value);
    insert.bind(12, event.threshold);
    insert.bind(13, event.markPrice);
    insert.bind(14, event.liquidationPrice);
    insert.bind(15, event.distancePct);
    insert.bind(16, event.message);
    // synchronous=NORMAL: the row is in the WAL when this returns — a killed process loses nothing —
    // without an fsync per alert, which would hold the core thread (and every tick behind it) for
    // milliseconds per alert in a cascade. A power cut may lose the latest alerts; the deleverage
    // actions below keep FULL.
    const RelaxedSync relaxed(s);
    insert.run();
    return sqlite3_last_insert_rowid(s.db.get());
}

std::vector<AlertRow> Journal::alerts(std::size_t limit, std::optional<std::int64_t> beforeId)
{
    JournalState& s = state();
    SqliteStatement::Use use(s.selectAlerts);
    s.selectAlerts.bind(1, clampedLimit(limit));
    s.selectAlerts.bind(2, beforeId.value_or(std::numeric_limits<std::int64_t>::max()));
    std::vector<AlertRow> rows;
    while (s.selectAlerts.step()) {
        rows.push_back(alertFrom(s.selectAlerts));
    }
    return rows;
}

std::vector<AlertRow> Journal::alertsAfter(std::int64_t afterId, std::size_t limit)
{
    JournalState& s = state();
    SqliteStatement::Use use(s.selectAlertsAfter);
    s.selectAlertsAfter.bind(1, clampedLimit(limit));
    s.selectAlertsAfter.bind(2, afterId);
    std::vector<AlertRow> rows;
    while (s.selectAlertsAfter.step()) {
        rows.push_back(alertFrom(s.selectAlertsAfter));
    }
    std::reverse(rows.begin(), rows.end());
    return rows;
}

std::vector<AlertRow> Journal::alertsOfEpisode(std::int64_t runId, std::uint64_t episode)
{
    JournalState& s = state();
    SqliteStatement::Use use(s.selectAlertsOfEpisode);
    s.selectAlertsOfEpisode.bind(1, runId);
    s.selectAlertsOfEpisode.bind(2, static_cast<std::int64_t>(episode));
    std::vector<AlertRow> rows;
    while (s.selectAlertsOfEpisode.step()) {
        rows.push_back(alertFrom(s.selectAlertsOfEpisode));
    }
    return rows;
}

std::int64_t Journal::recordAction(const ActionRecord& action)
{
    JournalState& s = writableState("record an action");
    SqliteStatement& insert = s.insertAction;
    SqliteStatement::Use use(insert);
    insert.bind(1, s.runId);
    insert.bind(2, action.wallTimeMs);
    insert.bind(3, action.accountLabel);
    insert.bind(4, venueName(action.venue));
    insert.bind(5, action.symbol);
    if (action.episode) {
        insert.bind(6, static_cast<std::int64_t>(*action.episode));
    } else {
        insert.bindNull(6);
    }
    insert.bind(7, action.clientOrderId);
    insert.bind(8, action.step);
    if (action.side) {
        insert.bind(9, orderSideName(*action.side));
    } else {
        insert.bindNull(9);
    }
    insert.bind(10, action.quantity);
    insert.bind(11, action.status);
    insert.bind(12, action.detail);
    insert.run(); // autocommit with synchronous=FULL: the intent is on disk before the order is sent
    return sqlite3_last_insert_rowid(s.db.get());
}

std::vector<ActionRow> Journal::actions(std::size_t limit, std::optional<std::int64_t> beforeId)
{
    JournalState& s = state();
    SqliteStatement::Use use(s.selectActions);
    s.selectActions.bind(1, clampedLimit(limit));
    s.selectActions.bind(2, beforeId.value_or(std::numeric_limits<std::int64_t>::max()));
    std::vector<ActionRow> rows;
    while (s.selectActions.step()) {
        rows.push_back(actionFrom(s.selectActions));
    }
    return rows;
}

std::vector<ActionRow> Journal::actionsForClientOrderId(std::string_view clientOrderId)
{
    JournalState& s = state();
    SqliteStatement::Use use(s.selectActionsForClientOrderId);
    s.selectActionsForClientOrderId.bind(1, clientOrderId);
    std::vector<ActionRow> rows;
    while (s.selectActionsForClientOrderId.step()) {
        rows.push_back(actionFrom(s.selectActionsForClientOrderId));
    }
    return rows;
}

void Journal::exportAlertsCsv(std::ostream& out)
{
    JournalState& s = state();
    writeCsvRecord(out, {"id", "run", "episode", "time_utc", "wall_ms", "change", "level", "rule", "account", "venue",
                         "symbol", "side", "value", "threshold", "mark", "liquidation_price", "distance_pct",
                         "message"});
    SqliteStatement::Use use(s.selectAllAlerts);
    while (s.selectAllAlerts.step()) {
        const AlertRow row = alertFrom(s.selectAllAlerts);
        writeCsvRecord(out, {std::to_string(row.id), std::to_string(row.runId), std::to_string(row.episode),
                             utcIsoTime(row.wallTimeMs), std::to_string(row.wallTimeMs),
                             std::string(alertChangeName(row.change)), std::string(alertLevelName(row.level)),
                             std::string(alertRuleKindName(row.rule)), row.accountLabel,
                             std::string(venueName(row.venue)), row.symbol,
                             row.side ? std::string(positionSideName(*row.side)) : std::string(),
                             csvNumber(row.value), csvNumber(row.threshold), csvNumber(row.markPrice),
                             csvNumber(row.liquidationPrice), csvNumber(row.distancePct), row.message});
    }
}

void Journal::exportActionsCsv(std::ostream& out)
{
    JournalState& s = state();
    writeCsvRecord(out, {"id", "run", "time_utc", "wall_ms", "account", "venue", "symbol", "episode",
                         "client_order_id", "step", "side", "quantity", "status", "detail"});
    SqliteStatement::Use use(s.selectAllActions);
    while (s.selectAllActions.step()) {
        const ActionRow row = actionFrom(s.selectAllActions);
        const ActionRecord& action = row.action;
        writeCsvRecord(out, {std::to_string(row.id), std::to_string(row.runId), utcIsoTime(action.wallTimeMs),
                             std::to_string(action.wallTimeMs), action.accountLabel,
                             std::string(venueName(action.venue)), action.symbol,
                             action.episode ? std::to_string(*action.episode) : std::string(), action.clientOrderId,
                             action.step, action.side ? std::string(orderSideName(*action.side)) : std::string(),
                             action.quantity, action.status, action.detail});
    }
}

void Journal::recordMark(Venue venue, std::string_view symbol, std::int64_t wallTimeMs, double mark,
                         std::optional<double> liquidationPrice, std::optional<double> distancePct)
{
    JournalState& s = writableState("record the mark history");
    if (!std::isfinite(mark)) {
        return; // nothing a chart could draw
    }
    const MonotonicTime now = s.now();
    if (s.pending.empty()) {
        s.firstPendingAt = now;
    }
    if (s.pending.size() >= kMaxPendingPoints) {
        s.pending.erase(s.pending.begin());
    }
    s.pending.push_back({venue, std::string(symbol),
                         HistoryPoint{wallTimeMs, mark, finiteOrNothing(liquidationPrice), finiteOrNothing(distancePct)}});
    if (s.pending.size() >= s.options.historyBatchRows || now - s.firstPendingAt >= s.options.historyFlushInterval) {
        flushPending(s);
    }
}

void Journal::flushHistory()
{
    JournalState& s = state();
    if (!s.readOnly) {
        flushPending(s);
    }
}

std::vector<HistoryPoint> Journal::history(Venue venue, std::string_view symbol, std::int64_t sinceWallMs)
{
    flushHistory();
    JournalState& s = state();
    SqliteStatement::Use use(s.selectHistory);
    s.selectHistory.bind(1, venueName(venue));
    s.selectHistory.bind(2, symbol);
    s.selectHistory.bind(3, sinceWallMs);
    std::vector<HistoryPoint> points;
    while (s.selectHistory.step()) {
        points.push_back({s.selectHistory.int64At(0), s.selectHistory.doubleAt(1),
                          s.selectHistory.optionalDoubleAt(2), s.selectHistory.optionalDoubleAt(3)});
    }
    return points;
}

std::vector<HistorySubject> Journal::historySubjects()
{
    flushHistory();
    JournalState& s = state();
    SqliteStatement::Use use(s.selectSubjects);
    std::vector<HistorySubject> subjects;
    while (s.selectSubjects.step()) {
        subjects.push_back({venueFromName(s.selectSubjects.textAt(0)).value_or(Venue::Generic), s.selectSubjects.textAt(1)});
    }
    return subjects;
}

void Journal::compactHistory(std::int64_t nowWallMs)
{
    JournalState& s = writableState("compact the mark history");
    flushPending(s);
    RelaxedSync relaxed(s);
    WriteTransaction transaction(s, "compact the mark history");
    std::int64_t youngerEdge = std::numeric_limits<std::int64_t>::max(); // the band's newest bound (exclusive)
    std::int64_t previousAge = 0;
    for (const HistoryBand& band : s.options.historyBands) {
        const std::int64_t olderEdge = nowWallMs - band.upToAgeMs;
        if (previousAge > 0) {
            youngerEdge = nowWallMs - previousAge;
        }
        if (band.bucketMs > 0) {
            SqliteStatement::Use use(s.thinBand);
            s.thinBand.bind(1, olderEdge);
            s.thinBand.bind(2, youngerEdge);
            s.thinBand.bind(3, band.bucketMs);
            s.thinBand.run();
        }
        previousAge = band.upToAgeMs;
    }
    {
        SqliteStatement::Use use(s.deleteOlderThan);
        s.deleteOlderThan.bind(1, nowWallMs - s.options.historyBands.back().upToAgeMs - 1);
        s.deleteOlderThan.run();
    }
    std::optional<std::int64_t> cutoff;
    {
        SqliteStatement::Use use(s.selectCapCutoff);
        s.selectCapCutoff.bind(1, clampedLimit(s.options.historyMaxRows));
        if (s.selectCapCutoff.step()) {
            cutoff = s.selectCapCutoff.int64At(0);
        }
    }
    if (cutoff) {
        // The newest `historyMaxRows` rows stay; rows sharing the cutoff's millisecond go too, so the
        // count may end a little under the cap, never over.
        SqliteStatement::Use use(s.deleteOlderThan);
        s.deleteOlderThan.bind(1, *cutoff);
        s.deleteOlderThan.run();
    }
    transaction.commit();
}

std::size_t Journal::historyRowCount()
{
    flushHistory();
    JournalState& s = state();
    SqliteStatement::Use use(s.countHistory);
    return s.countHistory.step() ? static_cast<std::size_t>(s.countHistory.int64At(0)) : 0;
}

std::string Journal::integrityProblems()
{
    JournalState& s = state();
    SqliteStatement check = s.prepare("PRAGMA integrity_check", "check the journal's integrity");
    std::string problems;
    while (check.step()) {
        const std::string line = check.textAt(0);
        if (line == "ok") {
            continue;
        }
        if (!problems.empty()) {
            problems += '\n';
        }
        problems += line;
    }
    return problems;
}

} // namespace mm
