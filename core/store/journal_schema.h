#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace mm {

/// One step of the journal's schema. Migrations are applied in order, all pending ones in one
/// transaction, and `PRAGMA user_version` records the last one applied. A released migration is never
/// edited: a change is a new migration at the end.
struct JournalMigration {
    int version;          ///< the user_version after this step
    std::string_view sql; ///< one or more statements
};

/// The schema version this build writes: the last migration's.
inline constexpr int kJournalSchemaVersion = 1;

/// All migrations, oldest first; the last one's version is the schema this build writes.
std::span<const JournalMigration> journalMigrations();

/// `PRAGMA application_id` of a Margin Monitor journal ("MMjn"): tells our file from another
/// program's SQLite database.
inline constexpr std::int32_t kJournalApplicationId = 0x4D4D6A6E;

} // namespace mm
