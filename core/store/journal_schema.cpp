#include "store/journal_schema.h"

#include <array>

namespace mm {
namespace {

// Version 1. Enumerations are stored as their names ("critical", "binance-usdm"), not as numbers:
// the journal stays readable with the sqlite3 shell, and reordering an enum cannot change history.
// Alert values are nullable because a NaN (which SQLite stores as NULL) must never cost an alert.
constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    started_ms INTEGER NOT NULL,
    schema_version INTEGER NOT NULL
);

CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs (id),
    episode INTEGER NOT NULL,
    wall_ms INTEGER NOT NULL,
    change TEXT NOT NULL,
    level TEXT NOT NULL,
    rule TEXT NOT NULL,
    account TEXT NOT NULL,
    venue TEXT NOT NULL,
    symbol TEXT NOT NULL,
    side TEXT,
    value REAL,
    threshold REAL,
    mark REAL,
    liquidation_price REAL,
    distance_pct REAL,
    message TEXT NOT NULL
);
CREATE INDEX alerts_by_episode ON alerts (run_id, episode);

CREATE TABLE actions (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs (id),
    wall_ms INTEGER NOT NULL,
    account TEXT NOT NULL,
    venue TEXT NOT NULL,
    symbol TEXT NOT NULL,
    episode INTEGER,
    client_order_id TEXT NOT NULL,
    step TEXT NOT NULL,
    side TEXT,
    quantity TEXT NOT NULL,
    status TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX actions_by_client_order_id ON actions (client_order_id);

CREATE TABLE history_subjects (
    id INTEGER PRIMARY KEY,
    venue TEXT NOT NULL,
    symbol TEXT NOT NULL,
    UNIQUE (venue, symbol)
);
-- Clustered by subject and time (WITHOUT ROWID): a chart's read is one range scan, and a point costs
-- no separate rowid index. The time index serves the age bands and the row cap.
CREATE TABLE history (
    subject_id INTEGER NOT NULL REFERENCES history_subjects (id),
    wall_ms INTEGER NOT NULL,
    mark REAL NOT NULL,
    liquidation_price REAL,
    distance_pct REAL,
    PRIMARY KEY (subject_id, wall_ms)
) WITHOUT ROWID;
CREATE INDEX history_by_time ON history (wall_ms);

PRAGMA application_id = 1296919150;
)sql";

static_assert(kJournalApplicationId == 1296919150, "the migration's literal must match");

constexpr std::array kMigrations{
    JournalMigration{1, kVersion1},
};

static_assert(kMigrations.back().version == kJournalSchemaVersion, "kJournalSchemaVersion is the last migration's");

} // namespace

std::span<const JournalMigration> journalMigrations()
{
    return kMigrations;
}

} // namespace mm
