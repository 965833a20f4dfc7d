#pragma once

#include <QStringList>
#include <QStyledItemDelegate>
#include <QVariant>

#include <vector>

namespace mm::ui {

/// Edits a cell with a combo box. Fixed choices: the model's EditRole value is one of the choices'
/// values, and picking one commits it at once. Editable (typed text): the choices are suggestions and
/// the model gets the text as typed (an account label that the dialog does not know yet).
class ChoiceDelegate final : public QStyledItemDelegate {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChoiceDelegate)
public:
    struct Choice {
        QString text;
        QVariant value;
    };

    /// A fixed list.
    ChoiceDelegate(std::vector<Choice> choices, QObject* parent = nullptr);
    /// Typed text, with these suggestions.
    ChoiceDelegate(const QStringList& suggestions, QObject* parent = nullptr);

    /// The suggestions of an editable delegate (open editors keep theirs).
    void setSuggestions(const QStringList& suggestions);
    [[nodiscard]] bool isEditable() const { return m_editable; }

    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    void setEditorData(QWidget* editor, const QModelIndex& index) const override;
    void setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const override;
    void updateEditorGeometry(QWidget* editor, const QStyleOptionViewItem& option,
                              const QModelIndex& index) const override;

private:
    std::vector<Choice> m_choices;
    bool m_editable = false;
};

} // namespace mm::ui
