#include "store/sqlite_statement.h"

#include <sqlite3.h>

#include <cmath>
#include <limits>
#include <utility>

namespace mm {

JournalProblem journalProblemFor(int sqliteCode)
{
    switch (sqliteCode & 0xff) {
    case SQLITE_NOTADB: return JournalProblem::NotADatabase;
    case SQLITE_CORRUPT: return JournalProblem::Corrupt;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY: return JournalProblem::Io;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return JournalProblem::Busy;
    default: return JournalProblem::Sqlite;
    }
}

void throwSqliteError(sqlite3* db, int sqliteCode, std::string_view what, const std::string& file)
{
    // sqlite3_errmsg describes the most recent failure on the connection; without one (a failed
    // open can leave none), the code's generic text still says something.
    const char* detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(sqliteCode);
    std::string message = "Could not ";
    message += what;
    message += " (journal ";
    message += file;
    message += "): ";
    message += detail != nullptr ? detail : sqlite3_errstr(sqliteCode);
    message += " [SQLite code ";
    message += std::to_string(sqliteCode);
    message += "]";
    throw JournalError(journalProblemFor(sqliteCode), message);
}

SqliteStatement::SqliteStatement(sqlite3* db, std::string_view sql, std::string what, std::string file)
    : m_db(db), m_what(std::move(what)), m_file(std::move(file))
{
    // PERSISTENT: these statements live as long as the journal, which tells SQLite not to take their
    // memory from the lookaside pool meant for short-lived ones.
    const int code = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                        &m_statement, nullptr);
    if (code != SQLITE_OK) {
        throwSqliteError(db, code, "prepare to " + m_what, m_file);
    }
}

SqliteStatement::~SqliteStatement()
{
    sqlite3_finalize(m_statement);
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)),
      m_statement(std::exchange(other.m_statement, nullptr)),
      m_what(std::move(other.m_what)),
      m_file(std::move(other.m_file))
{
}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_statement);
        m_db = std::exchange(other.m_db, nullptr);
        m_statement = std::exchange(other.m_statement, nullptr);
        m_what = std::move(other.m_what);
        m_file = std::move(other.m_file);
    }
    return *this;
}

void SqliteStatement::check(int code) const
{
    if (code != SQLITE_OK) {
        throwSqliteError(m_db, code, m_what, m_file);
    }
}

void SqliteStatement::bind(int index, std::int64_t value)
{
    check(sqlite3_bind_int64(m_statement, index, value));
}

void SqliteStatement::bind(int index, double value)
{
    if (std::isnan(value)) {
        bindNull(index);
        return;
    }
    check(sqlite3_bind_double(m_statement, index, value));
}

void SqliteStatement::bind(int index, std::string_view text)
{
    // SQLITE_TRANSIENT: SQLite copies the text, so the caller's buffer may go away before step().
    check(sqlite3_bind_text64(m_statement, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
}

void SqliteStatement::bind(int index, std::optional<double> value)
{
    if (value) {
        bind(index, *value);
    } else {
        bindNull(index);
    }
}

void SqliteStatement::bind(int index, std::optional<std::int64_t> value)
{
    if (value) {
        bind(index, *value);
    } else {
        bindNull(index);
    }
}

void SqliteStatement::bindNull(int index)
{
    check(sqlite3_bind_null(m_statement, index));
}

bool SqliteStatement::step()
{
    const int code = sqlite3_step(m_statement);
    if (code == SQLITE_ROW) {
        return true;
    }
    if (code == SQLITE_DONE) {
        return false;
    }
    throwSqliteError(m_db, code, m_what, m_file);
}

void SqliteStatement::run()
{
    while (step()) {
    }
}

void SqliteStatement::reset() noexcept
{
    if (m_statement != nullptr) {
        sqlite3_reset(m_statement);
        sqlite3_clear_bindings(m_statement);
    }
}

bool SqliteStatement::isNull(int column) const
{
    return sqlite3_column_type(m_statement, column) == SQLITE_NULL;
}

std::int64_t SqliteStatement::int64At(int column) const
{
    return sqlite3_column_int64(m_statement, column);
}

double SqliteStatement::doubleAt(int column) const
{
    return isNull(column) ? std::numeric_limits<double>::quiet_NaN() : sqlite3_column_double(m_statement, column);
}

std::optional<double> SqliteStatement::optionalDoubleAt(int column) const
{
    if (isNull(column)) {
        return std::nullopt;
    }
    return sqlite3_column_double(m_statement, column);
}

std::string SqliteStatement::textAt(int column) const
{
    const auto* text = sqlite3_column_text(m_statement, column);
    if (text == nullptr) {
        return {};
    }
    return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(sqlite3_column_bytes(m_statement, column)));
}

} // namespace mm
