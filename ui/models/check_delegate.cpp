#include "models/check_delegate.h"

#include "models/risk_level.h"

namespace mm::ui {

CheckDelegate::CheckDelegate(QObject* parent) : QStyledItemDelegate(parent) {}

void CheckDelegate::initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (option->features & QStyleOptionViewItem::HasCheckIndicator) {
        // Fusion's outline is the window colour made darker: start from a light grey so it shows.
        option->palette.setColor(QPalette::Window, riskColour(RiskLevel::Unknown));
    }
}

} // namespace mm::ui
