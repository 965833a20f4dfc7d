#include "models/positions_sort_proxy.h"

#include "models/positions_model.h"

namespace mm::ui {

void PositionsSortProxy::setSourceModel(QAbstractItemModel* model)
{
    m_positions = qobject_cast<const PositionsModel*>(model);
    QSortFilterProxyModel::setSourceModel(model);
}

bool PositionsSortProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    if (m_positions != nullptr && sortRole() == PositionsModel::SortRole) {
        const std::optional<double> leftNumber = m_positions->sortNumber(left.row(), left.column());
        const std::optional<double> rightNumber = m_positions->sortNumber(right.row(), right.column());
        if (leftNumber && rightNumber) {
            return *leftNumber < *rightNumber;
        }
    }
    return QSortFilterProxyModel::lessThan(left, right);
}

} // namespace mm::ui
