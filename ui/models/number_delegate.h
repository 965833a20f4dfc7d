#pragma once

#include <QString>
#include <QStyledItemDelegate>

#include <functional>

namespace mm::ui {

/// How a number is edited: its range, step, unit and whether "off" (no value) is allowed.
struct NumberFormat {
    double minimum = 0;
    double maximum = 1e9;
    double step = 1;
    bool whole = false;    ///< a whole number: the model gets an int
    bool allowOff = false; ///< "off" (or an empty field) is allowed: the model gets a null QVariant
    QString suffix;        ///< the unit after the number: "%", "σ", "s", "%/min" (shown with a space)
    double emptyStart = 0; ///< where the editor of an empty cell starts when "off" is not allowed
};

/// Edits a number in a spin box with its unit as the suffix; where allowed, one step below the
/// minimum (or an empty field, or typing "off") means no value. The model's EditRole gives a number,
/// or a null QVariant for none; the same goes back — only when the trader changed something, so an
/// editor opened and closed writes nothing (an unused deleverage target stays unused). The format
/// may depend on the row (a rule's thresholds are in its kind's unit), so it is asked for each editor.
class NumberDelegate final : public QStyledItemDelegate {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NumberDelegate)
public:
    using FormatFor = std::function<NumberFormat(const QModelIndex&)>;

    explicit NumberDelegate(FormatFor format, QObject* parent = nullptr);

    /// The word shown for no value.
    [[nodiscard]] static QString offText();

    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    void setEditorData(QWidget* editor, const QModelIndex& index) const override;
    void setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const override;
    void updateEditorGeometry(QWidget* editor, const QStyleOptionViewItem& option,
                              const QModelIndex& index) const override;

private:
    FormatFor m_format;
};

} // namespace mm::ui
