#pragma once

#include "store/journal.h"

#include <QAbstractItemModel>
#include <QColor>
#include <QFont>
#include <QString>
#include <QTimer>
#include <QVariant>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace mm::ui {

/// The alert journal's history as a tree: one row per alert episode — a position's, or an account's
/// cross margin's; one subject has one episode at a time, at the worst level of its measures — newest
/// first, with its changes beneath in time order (raised, escalated, eased, acknowledged, snoozed,
/// cleared). At most `limit` changes are kept, the oldest dropped first; an episode whose changes
/// are all dropped goes too.
///
/// The GUI never receives the rows from the core: it re-reads the journal through its own read-only
/// connection (WAL lets it read while the core writes). Either hand reload() a Journal, or let the
/// model follow a file (setJournalFile) and call scheduleReload() after each alert delivery — it then
/// reads at most once per kReloadPace. A reload reads only the rows after the newest shown, at most
/// kCatchUpRows (a storm is caught up over the next reloads). New episodes are inserted at the top (one beginInsertRows for all of them); a new change
/// of an episode shown is inserted beneath it (beginInsertRows under that episode) and the episode's
/// row is updated (one dataChanged per contiguous range of episodes); the oldest changes beyond the
/// limit are removed (beginRemoveRows). A reset only when the rows shown are no longer the journal's
/// (a new journal file).
///
/// Every text, colour and sort value is prepared when a row is read; data() only looks it up. No
/// cell ever says "inf" or "nan": a measure without a finite value says what it means.
class AlertsModel final : public QAbstractItemModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertsModel)
public:
    enum Column {
        /// Episode: the position ("BTCUSDT Long · main · Binance") or an account's cross margin
        /// ("swing · Bybit · cross margin"); change: what happened ("Raised", "Escalated", "Eased" …).
        Subject,
        /// Episode: its level now, with its peak when that was louder ("Warning · peak Critical"),
        /// "Cleared · peak …" once over; change: the level it left the alert at. In the level's colour.
        Level,
        /// Episode: when it was first raised; change: when it happened. Local time, to the second.
        Time,
        /// Episode: its last change and when ("Escalated at 14:03:27"); change: empty.
        LastChange,
        /// The lead measure (of the last change, for an episode): what sets the level.
        Measure,
        /// The lead measure's value in its unit; the tooltip adds the threshold and prices.
        Value,
        /// The reasons in words, as the journal's message holds them ("4.1 % to liquidation · …").
        Reasons,
        Count,
    };
    Q_ENUM(Column)

    enum Role {
        /// The cell's raw value for sorting: Unix ms (qint64) for Time and LastChange, the level (int)
        /// for Level, a double for Value (+infinity when none), the text otherwise.
        SortRole = Qt::UserRole,
        /// The alert episode (qulonglong); with RunRole it identifies the episode across restarts.
        EpisodeRole,
        /// The journal run (qlonglong, one per process start) the episode was written in.
        RunRole,
        /// The level as an int (1 warning … 3 emergency): an episode's now, a change's own; every column.
        AlertLevelRole,
        /// The episode's loudest level as an int, the same on the episode and each of its changes.
        PeakLevelRole,
        /// The journal row id (qlonglong) of the change; of the last change for an episode.
        RowIdRole,
        /// True on an episode's row, false on a change's.
        IsEpisodeRole,
    };
    Q_ENUM(Role)

    /// How often a followed journal is read at most (Bitcoin Core's MODEL_UPDATE_DELAY).
    static constexpr std::chrono::milliseconds kReloadPace{250};
    /// How many new rows one reload takes at most; more are taken by the next (a storm of alerts is
    /// caught up over a few reloads, each short enough not to stall the window).
    static constexpr std::size_t kCatchUpRows = 50;

    explicit AlertsModel(QObject* parent = nullptr);
    ~AlertsModel() override;

    /// Reads the newest `limit` alert changes (see the class comment). Returns "" when done, else the
    /// problem in words (the rows shown stay as they were).
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

    /// The journal row of a change's index; of the episode's last change for an episode's index.
    [[nodiscard]] const AlertRow& alertAt(const QModelIndex& index) const;
    /// How many changes are shown, under every episode together.
    [[nodiscard]] std::size_t changeCount() const { return m_changeCount; }

    [[nodiscard]] QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    [[nodiscard]] QModelIndex parent(const QModelIndex& child) const override;
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
    using Cells = std::array<Cell, Count>;
    struct Change {
        AlertRow alert;
        Cells cells;
    };
    /// One episode: its changes oldest first, and its own row prepared from them.
    struct Episode {
        std::int64_t runId = 0;
        std::uint64_t episode = 0;
        std::vector<Change> changes;
        Cells cells;
        AlertLevel peak = AlertLevel::Warning;
        std::size_t slot = 0; ///< where it is in m_episodes (oldest first); its row is the reverse
    };
    using Key = std::pair<std::int64_t, std::uint64_t>;

    [[nodiscard]] static Change changeFor(const AlertRow& alert);
    static void prepare(Episode& episode);
    [[nodiscard]] int rowOf(const Episode& episode) const;
    [[nodiscard]] Episode* episodeAt(int row) const;
    [[nodiscard]] const Cell* cellAt(const QModelIndex& index) const;
    /// Builds every episode from `rows` (newest first), without signals.
    void rebuild(const std::vector<AlertRow>& rows);
    /// Adds `rows` (newest first, all newer than those shown) with the signals of the class comment.
    void append(const std::vector<AlertRow>& rows);
    /// Drops the oldest changes beyond `limit`, with removal signals.
    void trim(std::size_t limit);
    void reindex();
    void setProblem(const QString& problem);

    std::vector<std::unique_ptr<Episode>> m_episodes; ///< oldest first: row 0 is the last
    std::map<Key, Episode*> m_byKey;
    std::size_t m_changeCount = 0;
    QString m_file;                 ///< the followed journal; empty: none
    std::size_t m_followLimit = 1000;
    std::optional<Journal> m_journal; ///< the read-only connection to m_file, once it opened
    QTimer m_reloadTimer;
    QString m_problem;
    QFont m_episodeFont; ///< an episode's row, bold
};

/// Writes every alert of the journal, oldest first, as CSV (Journal::exportAlertsCsv: RFC 4180, times
/// ISO 8601 UTC) to `path`, atomically (QSaveFile: the file is either the whole export or untouched).
/// Returns "" when written, else the problem in words.
QString exportAlertsCsv(Journal& journal, const QString& path);
/// The same for the deleverage audit trail (Journal::exportActionsCsv).
QString exportActionsCsv(Journal& journal, const QString& path);

} // namespace mm::ui
