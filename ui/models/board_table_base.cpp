#include "models/board_table_base.h"

#include <algorithm>
#include <array>

namespace mm::ui {

namespace {

/// The roles of the RoleMask bits, in bit order (ascending, as dataChanged lists them).
constexpr std::array<int, 6> kRolesOfBits{Qt::DisplayRole,
                                          Qt::ToolTipRole,
                                          Qt::ForegroundRole,
                                          BoardTableBase::SortRole,
                                          BoardTableBase::RiskLevelRole,
                                          BoardTableBase::DistanceFractionRole};

QList<int> rolesOf(unsigned mask)
{
    QList<int> roles;
    for (std::size_t bit = 0; bit < kRolesOfBits.size(); ++bit) {
        if ((mask & (1U << bit)) != 0) {
            roles.append(kRolesOfBits[bit]);
        }
    }
    return roles;
}

} // namespace

void BoardTableBase::RowChange::addCell(int column, RoleMask cellRoles)
{
    if (cellRoles == 0) {
        return;
    }
    firstColumn = roles == 0 ? column : std::min(firstColumn, column);
    lastColumn = std::max(lastColumn, column);
    roles |= cellRoles;
}

void BoardTableBase::RowChange::addRow(int columns, RoleMask rowRoles)
{
    if (rowRoles == 0) {
        return;
    }
    roles |= rowRoles;
    firstColumn = 0;
    lastColumn = columns - 1;
}

BoardTableBase::BoardTableBase(int columns, QObject* parent) : QAbstractTableModel(parent), m_columns(columns) {}

int BoardTableBase::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_columns;
}

Qt::ItemFlags BoardTableBase::flags(const QModelIndex& index) const
{
    const Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    return index.isValid() ? flags | Qt::ItemNeverHasChildren : flags;
}

QHash<int, QByteArray> BoardTableBase::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(SortRole, "sortValue");
    names.insert(RiskLevelRole, "riskLevel");
    names.insert(DistanceFractionRole, "distanceFraction");
    names.insert(KeyRole, "key");
    return names;
}

void BoardTableBase::signalChanges(const std::vector<RowChange>& changes)
{
    std::size_t changedRows = 0;
    RoleMask all = 0;
    for (const RowChange& change : changes) {
        changedRows += change.changed() ? 1 : 0;
        all |= change.roles;
    }
    if (changedRows == 0) {
        return;
    }
    if (changedRows * 2 > changes.size()) {
        Q_EMIT dataChanged(index(0, 0), index(int(changes.size()) - 1, m_columns - 1), rolesOf(all));
        return;
    }
    for (std::size_t first = 0; first < changes.size();) {
        if (!changes[first].changed()) {
            ++first;
            continue;
        }
        RowChange run = changes[first];
        std::size_t last = first;
        while (last + 1 < changes.size() && changes[last + 1].changed()) {
            ++last;
            run.roles |= changes[last].roles;
            run.firstColumn = std::min(run.firstColumn, changes[last].firstColumn);
            run.lastColumn = std::max(run.lastColumn, changes[last].lastColumn);
        }
        Q_EMIT dataChanged(index(int(first), run.firstColumn), index(int(last), run.lastColumn), rolesOf(run.roles));
        first = last + 1;
    }
}

} // namespace mm::ui
