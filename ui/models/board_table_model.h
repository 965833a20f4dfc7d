#pragma once

#include "models/risk_level.h"

#include <QAbstractTableModel>
#include <QColor>
#include <QString>
#include <QVariant>

#include <optional>
#include <vector>

namespace mm::ui {

/// What the three tables of the risk board (positions, accounts, connections) share: rows prepared
/// in full when a board is applied — text, sort values, tooltips, colours — so that data() only looks
/// them up; and one update rule for every board:
///  - rows are matched by a key; the same keys in the same order only update data;
///  - rows that went away are removed (beginRemoveRows per contiguous run), new ones inserted
///    (beginInsertRows per run); a reset only when no row is left in common or the order changed;
///  - one dataChanged per contiguous run of changed rows, spanning the changed columns and naming the
///    changed roles; a single whole-table dataChanged when more than half the rows changed.
class BoardTableModel : public QAbstractTableModel {
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

    /// One cell, prepared when a board is applied (public so that the models' cell builders, free
    /// functions, can name it).
    struct Cell {
        QString text;       ///< Qt::DisplayRole
        QVariant sortValue; ///< SortRole
        QString toolTip;    ///< Qt::ToolTipRole; empty: none
        QColor foreground;  ///< Qt::ForegroundRole; invalid: the view's own
    };
    /// One row, prepared.
    struct Row {
        QString key;                              ///< KeyRole
        RiskLevel riskLevel = RiskLevel::Unknown; ///< RiskLevelRole
        std::optional<double> distanceFraction;   ///< DistanceFractionRole
        std::vector<Cell> cells;                  ///< one per column
        QVariant typedKey; ///< the key as the model's own type, for a model's key role (never compared)
    };

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex& index) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    /// The row with this KeyRole value, or -1.
    [[nodiscard]] int rowOfKey(const QString& key) const;

protected:
    BoardTableModel(int columns, QObject* parent);

    /// Makes `rows` the model's rows, with the signals described above. Keys must be unique.
    void applyRows(std::vector<Row> rows);

    /// The row at a valid row number.
    [[nodiscard]] const Row& rowAt(int row) const { return m_rows[std::size_t(row)]; }

    /// Right for numbers, left for text; fixed per column.
    [[nodiscard]] virtual Qt::Alignment columnAlignment(int column) const = 0;

private:
    /// Removes and inserts rows so that the keys become those of `rows`; false when that takes a reset.
    bool reshape(const std::vector<Row>& rows);
    /// Takes the content of `rows` (same keys as m_rows) and emits dataChanged for what differs.
    void update(std::vector<Row>& rows);

    int m_columns;
    std::vector<Row> m_rows;
};

} // namespace mm::ui
