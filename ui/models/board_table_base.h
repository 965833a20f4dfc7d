#pragma once

#include <QAbstractTableModel>
#include <QSet>
#include <QString>

#include <cstddef>
#include <vector>

namespace mm::ui {

/// What every table of the risk board (positions, accounts, connections) shares, however it keeps
/// its rows: the roles, and one update rule for every board:
///  - rows are matched by a key; the same keys in the same order only update data;
///  - rows that went away are removed (beginRemoveRows per contiguous run), new ones inserted
///    (beginInsertRows per run); a reset only when no row is left in common or the order changed;
///  - one dataChanged per contiguous run of changed rows, spanning the changed columns and naming the
///    changed roles; a single whole-table dataChanged when more than half the rows changed.
class BoardTableBase : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role {
        /// The cell's raw value for sorting (QSortFilterProxyModel::setSortRole): a double for numeric
        /// columns, with +infinity for "none" (no liquidation price sorts after every number), a
        /// QString for text columns.
        SortRole = Qt::UserRole,
        /// The row's RiskLevel, as an int; the same in every column of the row.
        RiskLevelRole,
        /// The distance bar's fill, a double in 0..1 (0 at liquidation, 1 far from it; see
        /// kDistanceBarFullScalePct); invalid for rows without a distance (connections).
        DistanceFractionRole,
        /// The row's identity, a QString stable from board to board (each model says what it is).
        KeyRole,
        /// The first role a model may add of its own.
        FirstModelRole,
    };
    Q_ENUM(Role)

    /// The roles a board can change, one bit each (dataChanged names them in this order); public for
    /// the models' change finders, which are free functions.
    using RoleMask = unsigned;
    static constexpr RoleMask kDisplay = 1U << 0U;
    static constexpr RoleMask kToolTip = 1U << 1U;
    static constexpr RoleMask kForeground = 1U << 2U;
    static constexpr RoleMask kSort = 1U << 3U;
    /// Row roles: the same in every column of a row, so that a change to them spans the row.
    static constexpr RoleMask kRiskLevel = 1U << 4U;
    static constexpr RoleMask kDistanceFraction = 1U << 5U;

    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex& index) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

protected:
    BoardTableBase(int columns, QObject* parent);

    /// Right for numbers, left for text; fixed per column.
    [[nodiscard]] virtual Qt::Alignment columnAlignment(int column) const = 0;

    /// What changed in one row: the roles, and the columns they changed in.
    struct RowChange {
        RoleMask roles = 0;
        int firstColumn = 0;
        int lastColumn = -1;

        [[nodiscard]] bool changed() const { return roles != 0; }
        /// The roles that changed in one cell (none: nothing to note).
        void addCell(int column, RoleMask cellRoles);
        /// The roles that changed in the whole row, `columns` wide.
        void addRow(int columns, RoleMask rowRoles);
    };

    /// Emits dataChanged for `changes`, one per row of the model (see the rule above).
    void signalChanges(const std::vector<RowChange>& changes);

    /// Removes and inserts rows so that the keys of `rows` (the model's own) become those of `next`;
    /// the inserted rows are copied from `next`, the rows both have keep their content. False, and
    /// nothing done, when that takes a reset. Keys (keyOf(row), a QString) must be unique.
    template <typename Row, typename KeyOf>
    bool reshape(std::vector<Row>& rows, const std::vector<Row>& next, KeyOf keyOf);

private:
    int m_columns;
};

template <typename Row, typename KeyOf>
bool BoardTableBase::reshape(std::vector<Row>& rows, const std::vector<Row>& next, KeyOf keyOf)
{
    QSet<QString> oldKeys;
    QSet<QString> newKeys;
    for (const Row& row : rows) {
        oldKeys.insert(keyOf(row));
    }
    for (const Row& row : next) {
        newKeys.insert(keyOf(row));
    }
    if (qsizetype(next.size()) != newKeys.size() || qsizetype(rows.size()) != oldKeys.size()) {
        return false; // duplicate keys: rows cannot be matched
    }
    // The rows both boards have must keep their order, and there must be some when both have rows:
    // otherwise the table is a new one.
    std::vector<QString> keptBefore;
    std::vector<QString> keptAfter;
    for (const Row& row : rows) {
        if (newKeys.contains(keyOf(row))) {
            keptBefore.push_back(keyOf(row));
        }
    }
    for (const Row& row : next) {
        if (oldKeys.contains(keyOf(row))) {
            keptAfter.push_back(keyOf(row));
        }
    }
    if (keptBefore != keptAfter || (keptBefore.empty() && !rows.empty() && !next.empty())) {
        return false;
    }

    // Removals, one contiguous run at a time from the bottom (so that indexes above stay valid).
    for (int last = int(rows.size()) - 1; last >= 0;) {
        if (newKeys.contains(keyOf(rows[std::size_t(last)]))) {
            --last;
            continue;
        }
        int first = last;
        while (first > 0 && !newKeys.contains(keyOf(rows[std::size_t(first - 1)]))) {
            --first;
        }
        beginRemoveRows({}, first, last);
        rows.erase(rows.begin() + first, rows.begin() + last + 1);
        endRemoveRows();
        last = first - 1;
    }
    // Insertions, one contiguous run at a time from the top; the new rows come with their content.
    for (std::size_t at = 0; at < next.size();) {
        if (at < rows.size() && keyOf(rows[at]) == keyOf(next[at])) {
            ++at;
            continue;
        }
        std::size_t end = at;
        while (end < next.size() && !oldKeys.contains(keyOf(next[end]))) {
            ++end;
        }
        beginInsertRows({}, int(at), int(end) - 1);
        rows.insert(rows.begin() + std::ptrdiff_t(at), next.begin() + std::ptrdiff_t(at),
                    next.begin() + std::ptrdiff_t(end));
        endInsertRows();
        at = end;
    }
    return true;
}

} // namespace mm::ui
