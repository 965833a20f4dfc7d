#pragma once

#include <QStyledItemDelegate>

namespace mm::ui {

/// Draws a cell's check box with an outline that shows on the dark theme: Fusion outlines the box in
/// a darker shade of the window colour, which on a dark base leaves an unticked box invisible — and
/// an unticked "On" or "Dry run" must be seen as plainly as a ticked one. Editing is the base
/// delegate's (a click or the space bar toggles Qt::CheckStateRole).
class CheckDelegate final : public QStyledItemDelegate {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CheckDelegate)
public:
    explicit CheckDelegate(QObject* parent = nullptr);

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;
};

} // namespace mm::ui
