#include "models/board_table_model.h"

#include <algorithm>

namespace mm::ui {

BoardTableModel::BoardTableModel(int columns, QObject* parent) : BoardTableBase(columns, parent) {}

int BoardTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant BoardTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.model() != this || index.row() >= int(m_rows.size()) ||
        index.column() >= columnCount()) {
        return {};
    }
    const Row& row = m_rows[std::size_t(index.row())];
    const Cell& cell = row.cells[std::size_t(index.column())];
    switch (role) {
    case Qt::DisplayRole:
        return cell.text;
    case Qt::ToolTipRole:
        return cell.toolTip.isEmpty() ? QVariant() : QVariant(cell.toolTip);
    case Qt::ForegroundRole:
        return cell.foreground.isValid() ? QVariant(cell.foreground) : QVariant();
    case Qt::TextAlignmentRole:
        return int(columnAlignment(index.column()));
    case SortRole:
        return cell.sortValue;
    case RiskLevelRole:
        return int(row.riskLevel);
    case DistanceFractionRole:
        return row.distanceFraction ? QVariant(*row.distanceFraction) : QVariant();
    case KeyRole:
        return row.key;
    default:
        return {};
    }
}

int BoardTableModel::rowOfKey(const QString& key) const
{
    const auto found = std::find_if(m_rows.begin(), m_rows.end(), [&](const Row& row) { return row.key == key; });
    return found == m_rows.end() ? -1 : int(found - m_rows.begin());
}

void BoardTableModel::applyRows(std::vector<Row> rows)
{
    const auto keyOf = [](const Row& row) -> const QString& { return row.key; };
    const bool sameKeys = std::equal(m_rows.begin(), m_rows.end(), rows.begin(), rows.end(),
                                     [](const Row& a, const Row& b) { return a.key == b.key; });
    if (!sameKeys && !reshape(m_rows, rows, keyOf)) {
        beginResetModel();
        m_rows = std::move(rows);
        endResetModel();
        return;
    }
    update(rows);
}

void BoardTableModel::update(std::vector<Row>& rows)
{
    const int columns = columnCount();
    std::vector<RowChange> changes(rows.size());
    for (std::size_t index = 0; index < rows.size(); ++index) {
        const Row& before = m_rows[index];
        const Row& after = rows[index];
        RowChange& change = changes[index];
        for (int column = 0; column < columns; ++column) {
            const Cell& was = before.cells[std::size_t(column)];
            const Cell& now = after.cells[std::size_t(column)];
            RoleMask cell = 0;
            cell |= was.text != now.text ? kDisplay : 0U;
            cell |= was.toolTip != now.toolTip ? kToolTip : 0U;
            cell |= was.foreground != now.foreground ? kForeground : 0U;
            cell |= was.sortValue != now.sortValue ? kSort : 0U;
            change.addCell(column, cell);
        }
        RoleMask row = 0;
        row |= before.riskLevel != after.riskLevel ? kRiskLevel : 0U;
        row |= before.distanceFraction != after.distanceFraction ? kDistanceFraction : 0U;
        change.addRow(columns, row);
        if (change.changed()) {
            m_rows[index] = std::move(rows[index]);
        }
    }
    signalChanges(changes);
}

} // namespace mm::ui
