#pragma once

#include "store/journal_error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace mm {

/// Turns a SQLite result code into the journal's problem kinds.
JournalProblem journalProblemFor(int sqliteCode);
/// Throws a JournalError: "<what> (<file>): <SQLite's message>".
[[noreturn]] void throwSqliteError(sqlite3* db, int sqliteCode, std::string_view what, const std::string& file);

/// One prepared statement, finalised on destruction. Internal to core/store: everything that can
/// fail throws a JournalError naming the statement's purpose and the journal's file.
class SqliteStatement {
public:
    SqliteStatement() = default;
    /// `what` says what the statement is for, in words ("record an alert"), for error messages.
    SqliteStatement(sqlite3* db, std::string_view sql, std::string what, std::string file);
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;
    SqliteStatement(SqliteStatement&& other) noexcept;
    SqliteStatement& operator=(SqliteStatement&& other) noexcept;

    void bind(int index, std::int64_t value);
    void bind(int index, double value); ///< a NaN is stored as NULL (as SQLite would anyway)
    void bind(int index, std::string_view text);
    void bind(int index, std::optional<double> value);
    void bind(int index, std::optional<std::int64_t> value);
    void bindNull(int index);

    /// True while there is a row to read; false when done.
    [[nodiscard]] bool step();
    /// Steps a statement that returns no rows.
    void run();
    /// Makes the statement ready for the next use and releases what it holds (its read snapshot).
    void reset() noexcept;

    [[nodiscard]] bool isNull(int column) const;
    [[nodiscard]] std::int64_t int64At(int column) const;
    [[nodiscard]] double doubleAt(int column) const;
    [[nodiscard]] std::optional<double> optionalDoubleAt(int column) const;
    [[nodiscard]] std::string textAt(int column) const;

    /// Resets the statement when the scope ends, also when an exception leaves it.
    class Use {
    public:
        explicit Use(SqliteStatement& statement) : m_statement(statement) { m_statement.reset(); }
        ~Use() { m_statement.reset(); }
        Use(const Use&) = delete;
        Use& operator=(const Use&) = delete;

    private:
        SqliteStatement& m_statement;
    };

private:
    void check(int code) const;

    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_statement = nullptr;
    std::string m_what;
    std::string m_file;
};

} // namespace mm
