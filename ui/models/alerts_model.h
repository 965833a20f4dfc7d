#pragma once

#include "store/journal.h"

#include <QAbstractTableModel>
#include <QColor>
#include <QString>
#include <QTimer>
#include <QVariant>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace mm::ui {

/// The alert journal's history as a table: one row per stored change of an alert (raised, escalated,
/// acknowledged, snoozed, cleared), newest first, at most `limit` rows.
///
/// The GUI never receives the rows from the core: it re-reads the journal through its own read-only
/// connection (WAL lets it read while the core writes). Either hand reload() a Journal, or let the
/// model follow a file (setJournalFile) and call scheduleReload() after each alert delivery — it then
/// reads at most once per kReloadPace. A reload reads only the newest few rows when nothing much
/// happened, inserts the new ones at the top (beginInsertRows, no reset) and drops the oldest beyond
/// the limit (beginRemoveRows); a reset only when the rows shown are no longer the journal's (a new
/// journal file).
///
/// Every text, colour and sort value is prepared when a row is read; data() only looks it up.
class AlertsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Time,    ///< local time, to the second
        Level,   ///< warning, critical, emergency (in the level's colour)
        Change,  ///< raised, escalated, acknowledged, snoozed, cleared
        Rule,    ///< what the rule measures
        Exchange, ///< the exchange
        Account, ///< the account's label
        Symbol,  ///< the position's symbol; "cross margin" for an account's alert
        Side,    ///< long / short; "—" for an account
        Value,   ///< the measure when decided, in the rule's unit; the tooltip adds threshold and prices
        Message, ///< the engine's line in the trader's words
        Count,
    };
    Q_ENUM(Column)

    enum Role {
        /// The cell's raw value for sorting: Unix ms (qint64) for Time, the level (int) for Level, a
        /// double for Value (+infinity when none), the text otherwise.
        SortRole = Qt::UserRole,
        /// The alert episode (qulonglong); with RunRole it identifies the episode across restarts.
        EpisodeRole,
        /// The journal run (qlonglong, one per process start) the row was written in.
        RunRole,
        /// The row's AlertLevel as an int (1 warning … 3 emergency), the same in every column.
        AlertLevelRole,
        /// The journal row id (qlonglong), the same in every column.
        RowIdRole,
    };
    Q_ENUM(Role)

    /// How often a followed journal is read at most (Bitcoin Core's MODEL_UPDATE_DELAY).
    static constexpr std::chrono::milliseconds kReloadPace{250};
    /// How many rows a reload reads first; it reads `limit` only when the newest row shown is not among them.
    static constexpr std::size_t kProbeRows = 64;

    explicit AlertsModel(QObject* parent = nullptr);

    /// Reads the newest `limit` alerts (see the class comment). Returns "" when done, else the problem
    /// in words (the rows shown stay as they were).
    QString reload(Journal& journal, std::size_t limit = 1000);

    /// Follows the journal at `file` (read-only; opened when first needed and again after a failure,
    /// since the core may not have created it yet). Nothing is read until reloadNow/scheduleReload.
    void setJournalFile(const QString& file, std::size_t limit = 1000);
    /// Asks for a re-read of the followed journal within kReloadPace; calls in between are merged.
    void scheduleReload();
    /// Re-reads the followed journal now. Returns "" when done, else the problem (also problem()).
    QString reloadNow();
    /// The last reload's problem in words; "" when it read the journal.
    [[nodiscard]] const QString& problem() const { return m_problem; }

    /// The journal row shown in `row` (0 = newest).
    [[nodiscard]] const AlertRow& alertAt(int row) const { return m_rows[std::size_t(row)].alert; }

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex& index) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    /// The reload problem changed ("" once the journal reads again).
    void problemChanged(const QString& problem);

private:
    /// One cell, formatted when the row was read.
    struct Cell {
        QString text;
        QVariant sortValue;
        QString toolTip;
        QColor foreground; ///< invalid: the view's default
    };
    struct Line {
        AlertRow alert;
        std::array<Cell, Count> cells;
    };

    [[nodiscard]] static Line lineFor(const AlertRow& alert);
    void setProblem(const QString& problem);

    std::vector<Line> m_rows;
    QString m_file;                 ///< the followed journal; empty: none
    std::size_t m_followLimit = 1000;
    std::optional<Journal> m_journal; ///< the read-only connection to m_file, once it opened
    QTimer m_reloadTimer;
    QString m_problem;
};

/// Writes every alert of the journal, oldest first, as CSV (Journal::exportAlertsCsv: RFC 4180, times
/// ISO 8601 UTC) to `path`, atomically (QSaveFile: the file is either the whole export or untouched).
/// Returns "" when written, else the problem in words.
QString exportAlertsCsv(Journal& journal, const QString& path);
/// The same for the deleverage audit trail (Journal::exportActionsCsv).
QString exportActionsCsv(Journal& journal, const QString& path);

} // namespace mm::ui
