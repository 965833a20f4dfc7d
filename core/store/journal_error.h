#pragma once

#include <stdexcept>
#include <string>

namespace mm {

/// What went wrong with the journal, so that the caller can choose what to do: a damaged or foreign
/// file can be moved aside (`Journal::moveAside`) and a fresh journal started; a journal from a newer
/// version of the app should be left alone and the trader told (moving it aside would hide their
/// history from the newer version); a busy or full disk is worth a retry later.
enum class JournalProblem {
    NotADatabase, ///< the file is not a SQLite database at all (or is encrypted)
    Corrupt,      ///< a SQLite database, but damaged (truncated, overwritten)
    NotAJournal,  ///< a healthy SQLite database that belongs to something else
    NewerSchema,  ///< written by a newer Margin Monitor: this build does not know its schema
    OlderSchema,  ///< `openReadOnly` on a journal not yet migrated: open it for recording once
    Io,           ///< the folder or file cannot be created, read or written (permissions, disk full)
    Busy,         ///< another process held the database longer than the busy timeout
    ReadOnly,     ///< a write on a journal opened with `Journal::openReadOnly`
    Closed,       ///< a call on a moved-from journal
    Usage,        ///< invalid options or arguments
    Sqlite,       ///< anything else SQLite reported
};

/// Every failure of the journal. The message names the file and the operation, in words a trader can
/// act on, followed by SQLite's own message where it gave one.
class JournalError : public std::runtime_error {
public:
    JournalError(JournalProblem problem, const std::string& message)
        : std::runtime_error(message), m_problem(problem) {}

    [[nodiscard]] JournalProblem problem() const { return m_problem; }

private:
    JournalProblem m_problem;
};

} // namespace mm
