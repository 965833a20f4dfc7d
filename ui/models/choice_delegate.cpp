#include "models/choice_delegate.h"

#include <QComboBox>
#include <QLineEdit>

#include <utility>

namespace mm::ui {

ChoiceDelegate::ChoiceDelegate(std::vector<Choice> choices, QObject* parent)
    : QStyledItemDelegate(parent), m_choices(std::move(choices))
{
}

ChoiceDelegate::ChoiceDelegate(const QStringList& suggestions, QObject* parent)
    : QStyledItemDelegate(parent), m_editable(true)
{
    setSuggestions(suggestions);
}

void ChoiceDelegate::setSuggestions(const QStringList& suggestions)
{
    m_choices.clear();
    for (const QString& suggestion : suggestions) {
        m_choices.push_back({suggestion, suggestion});
    }
}

QWidget* ChoiceDelegate::createEditor(QWidget* parent, const QStyleOptionViewItem&, const QModelIndex&) const
{
    auto* box = new QComboBox(parent);
    box->setEditable(m_editable);
    box->setInsertPolicy(QComboBox::NoInsert);
    for (const Choice& choice : m_choices) {
        box->addItem(choice.text, choice.value);
    }
    if (!m_editable) {
        // A choice picked is the edit: committed at once, as a check box would be.
        connect(box, &QComboBox::activated, this, [this, box] {
            auto* self = const_cast<ChoiceDelegate*>(this);
            Q_EMIT self->commitData(box);
            Q_EMIT self->closeEditor(box);
        });
    }
    return box;
}

void ChoiceDelegate::setEditorData(QWidget* editor, const QModelIndex& index) const
{
    auto* box = qobject_cast<QComboBox*>(editor);
    if (box == nullptr) {
        return;
    }
    const QVariant value = index.data(Qt::EditRole);
    if (m_editable) {
        box->setCurrentText(value.toString());
        return;
    }
    const int at = box->findData(value);
    box->setCurrentIndex(at);
}

void ChoiceDelegate::setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const
{
    auto* box = qobject_cast<QComboBox*>(editor);
    if (box == nullptr) {
        return;
    }
    if (m_editable) {
        model->setData(index, box->currentText().trimmed(), Qt::EditRole);
    } else if (box->currentIndex() >= 0) {
        model->setData(index, box->currentData(), Qt::EditRole);
    }
}

void ChoiceDelegate::updateEditorGeometry(QWidget* editor, const QStyleOptionViewItem& option, const QModelIndex&) const
{
    editor->setGeometry(option.rect);
}

} // namespace mm::ui
