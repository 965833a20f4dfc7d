#pragma once

#include "alerts/alert_event.h"
#include "domain/venue.h"
#include "store/journal_error.h"
#include "store/journal_records.h"
#include "store/journal_schema.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mm {

class Clock;
struct JournalState;

/// One age band of the mark/risk history: points younger than `upToAgeMs` (and older than the
/// previous band) keep one point per `bucketMs` per position — the last one of each bucket, buckets
/// aligned to Unix time. `bucketMs` 0 keeps every point.
struct HistoryBand {
    std::int64_t upToAgeMs = 0;
    std::int64_t bucketMs = 0;
};

struct JournalOptions {
    /// The history's downsampling with age (`compactHistory`). The default: every point for the last
    /// hour, one a minute up to 24 hours, one per 10 minutes up to 7 days; older points are deleted.
    std::vector<HistoryBand> historyBands{
        {3'600'000, 0},
        {86'400'000, 60'000},
        {7 * 86'400'000LL, 600'000},
    };
    /// The hard cap on history rows after compaction: the oldest go first, whatever the position. A
    /// million rows is about 60 MB; at one point a second, 40 positions fill the bands to about 240,000.
    std::size_t historyMaxRows = 1'000'000;
    /// History points are buffered and written in one transaction once this many are waiting …
    std::size_t historyBatchRows = 256;
    /// … or once the oldest waiting point is this old (checked on each `recordMark`).
    std::chrono::milliseconds historyFlushInterval{100};
    /// The monotonic clock for the flush interval; null: the steady clock. Not owned.
    const Clock* clock = nullptr;
    /// How long a write waits for another connection (the GUI reading, a second process) to let go.
    std::chrono::milliseconds busyTimeout{5000};
};

/// The journal: every alert and every deleverage step in a SQLite database (WAL), and the mark/risk
/// history of each position for the charts across restarts.
///
/// Durability: `recordAlert` and `recordAction` return after their row is committed — it survives the
/// process being killed. Actions are committed with `synchronous=FULL`, so they survive a power cut
/// too (on a disk that honours fsync): the deleverage executor writes its "intent" row before it
/// sends an order. Alerts are committed with `synchronous=NORMAL` (in the WAL, no fsync each): an
/// fsync per alert would hold the core thread, and every tick behind it, for milliseconds per alert
/// in a cascade; a power cut may lose the latest alerts. History points are buffered (see
/// JournalOptions) and committed with `synchronous=NORMAL`: a kill may lose the last ~100 ms of chart
/// points, never an alert or an action.
///
/// Opening never overwrites or deletes a file it cannot use: a file that is not a SQLite database, a
/// damaged one, another program's database or one from a newer Margin Monitor throws a JournalError
/// naming the file and the problem, and leaves the file byte for byte as it was. The caller decides:
/// for `NotADatabase`, `Corrupt` and `NotAJournal`, `moveAside()` and open again (a fresh journal);
/// for `NewerSchema`, tell the trader and run without a journal rather than hide the newer app's history.
///
/// Each `open` starts a run (a row in `runs`): alert episodes are numbered per process, so an alert
/// is identified by (run, episode).
///
/// Every call that touches the database may throw JournalError (the message names the operation, the
/// file and SQLite's reason); prepared statements are finalised and the connection closed (after
/// writing buffered history) on destruction.
///
/// Not thread-safe: one thread uses a Journal. Another thread (the GUI) opens its own, usually with
/// `openReadOnly`; WAL lets it read while the core thread writes.
class Journal {
public:
    /// The schema version this build writes (`PRAGMA user_version`).
    static constexpr int kSchemaVersion = kJournalSchemaVersion;

    /// Opens the journal at `file` for recording, creating it and its parent folders if needed, and
    /// migrating an older schema. Starts a new run.
    [[nodiscard]] static Journal open(const std::filesystem::path& file, JournalOptions options = {});
    /// Opens an existing journal for reading only: no run is started and nothing is migrated (a journal
    /// at an older schema version throws; open it for recording once). `record…` calls throw.
    [[nodiscard]] static Journal openReadOnly(const std::filesystem::path& file);
    /// Renames `file` (and its `-wal` / `-shm` companions, so that they stay a pair) to
    /// `<name>.broken-<UTC time>` (e.g. `journal.db.broken-20240301T123456Z`), with `-2`, `-3` … if
    /// that exists. Returns the new path of the database file. Throws JournalError (Io) on failure.
    static std::filesystem::path moveAside(const std::filesystem::path& file);

    ~Journal();
    Journal(const Journal&) = delete;
    Journal& operator=(const Journal&) = delete;
    Journal(Journal&& other) noexcept;
    Journal& operator=(Journal&& other) noexcept;

    [[nodiscard]] const std::filesystem::path& file() const;
    /// This process's run; 0 when opened read-only.
    [[nodiscard]] std::int64_t runId() const;
    [[nodiscard]] bool isReadOnly() const;

    // Alerts -----------------------------------------------------------------------------------

    /// Stores the alert (every change: raised, escalated, acknowledged, snoozed, cleared) and returns
    /// its row id once committed.
    std::int64_t recordAlert(const AlertEvent& event);
    /// The newest `limit` alerts, newest first; with `beforeId`, those older than that row (paging).
    [[nodiscard]] std::vector<AlertRow> alerts(std::size_t limit, std::optional<std::int64_t> beforeId = {});
    /// The oldest `limit` alerts recorded after row `afterId`, newest first (catching up in steps).
    [[nodiscard]] std::vector<AlertRow> alertsAfter(std::int64_t afterId, std::size_t limit);
    /// Every alert row of one episode, oldest first.
    [[nodiscard]] std::vector<AlertRow> alertsOfEpisode(std::int64_t runId, std::uint64_t episode);

    // Actions (the deleverage audit trail) -----------------------------------------------------

    /// Stores one step and returns its row id once committed: an "intent" row is durable before the
    /// caller sends the order.
    std::int64_t recordAction(const ActionRecord& action);
    /// The newest `limit` steps, newest first; with `beforeId`, those older than that row.
    [[nodiscard]] std::vector<ActionRow> actions(std::size_t limit, std::optional<std::int64_t> beforeId = {});
    /// Every step of one order, oldest first — what happened to it, after a crash or a timeout.
    [[nodiscard]] std::vector<ActionRow> actionsForClientOrderId(std::string_view clientOrderId);

    // CSV export (RFC 4180: a header row, CRLF, quoted where needed; times ISO 8601 UTC) -----------

    /// Every alert, oldest first. Columns: id, run, episode, time_utc, wall_ms, change, level, rule,
    /// account, venue, symbol, side, value, threshold, mark, liquidation_price, distance_pct, message.
    void exportAlertsCsv(std::ostream& out);
    /// Every action step, oldest first. Columns: id, run, time_utc, wall_ms, account, venue, symbol,
    /// episode, client_order_id, step, side, quantity, status, detail.
    void exportActionsCsv(std::ostream& out);

    // Mark/risk history -------------------------------------------------------------------------

    /// Buffers one point of a position's history (cheap: no I/O unless a batch is due). A second
    /// point at the same millisecond replaces the first. A non-finite mark is ignored; non-finite
    /// liquidation price or distance are stored as absent.
    void recordMark(Venue venue, std::string_view symbol, std::int64_t wallTimeMs, double mark,
                    std::optional<double> liquidationPrice, std::optional<double> distancePct);
    /// Writes the buffered points now (call it from a timer when marks stop arriving; the destructor
    /// calls it too).
    void flushHistory();
    /// A position's points from `sinceWallMs` on, oldest first (buffered points included).
    [[nodiscard]] std::vector<HistoryPoint> history(Venue venue, std::string_view symbol, std::int64_t sinceWallMs);
    /// Every (venue, symbol) with history.
    [[nodiscard]] std::vector<HistorySubject> historySubjects();
    /// Downsamples the history with age according to JournalOptions::historyBands (relative to
    /// `nowWallMs`, Unix ms), deletes points older than the last band, then deletes the oldest points
    /// beyond JournalOptions::historyMaxRows. Points younger than the first band are never touched, and
    /// the newest point of each bucket is the one kept, so a position's latest point always survives
    /// (unless the row cap is smaller than the number of positions). Idempotent; run it every few minutes.
    void compactHistory(std::int64_t nowWallMs);
    [[nodiscard]] std::size_t historyRowCount();

    /// `PRAGMA integrity_check`: empty when the database is sound, SQLite's findings otherwise.
    [[nodiscard]] std::string integrityProblems();

private:
    explicit Journal(std::unique_ptr<JournalState> state);
    JournalState& state();
    JournalState& writableState(std::string_view what);

    std::unique_ptr<JournalState> m_state;
};

} // namespace mm
