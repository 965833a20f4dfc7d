#pragma once

#include <QSortFilterProxyModel>

namespace mm::ui {

class PositionsModel;

/// The positions table's sorting and filter. Numeric columns compare the model's numbers directly
/// (PositionsModel::sortNumber): the table re-sorts all its rows on every board, and a QVariant per
/// side of every comparison was the GUI thread's largest single cost at 2,000 positions. Text
/// columns, and any other source model, sort as QSortFilterProxyModel does by the sort role.
class PositionsSortProxy final : public QSortFilterProxyModel {
    Q_OBJECT
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void setSourceModel(QAbstractItemModel* model) override;

protected:
    [[nodiscard]] bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    const PositionsModel* m_positions = nullptr;
};

} // namespace mm::ui
