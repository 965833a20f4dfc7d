#pragma once

#include "models/board_table_base.h"
#include "models/risk_level.h"

#include <QColor>
#include <QString>
#include <QVariant>

#include <optional>
#include <vector>

namespace mm::ui {

/// A table of the risk board whose rows are prepared in full when a board is applied — text, sort
/// values, tooltips, colours — so that data() only looks them up; changes are found by comparing
/// the prepared rows. Right for the small tables (accounts, connections); see BoardTableBase for the
/// signals a board causes.
class BoardTableModel : public BoardTableBase {
    Q_OBJECT
public:
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
    };

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

    /// The row with this KeyRole value, or -1.
    [[nodiscard]] int rowOfKey(const QString& key) const;

protected:
    BoardTableModel(int columns, QObject* parent);

    /// Makes `rows` the model's rows, with BoardTableBase's signals. Keys must be unique.
    void applyRows(std::vector<Row> rows);

    /// The row at a valid row number.
    [[nodiscard]] const Row& rowAt(int row) const { return m_rows[std::size_t(row)]; }

private:
    /// Takes the content of `rows` (same keys as m_rows) and emits dataChanged for what differs.
    void update(std::vector<Row>& rows);

    std::vector<Row> m_rows;
};

} // namespace mm::ui
