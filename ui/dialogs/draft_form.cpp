#include "dialogs/draft_form.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace mm::ui {

DraftForm::DraftForm(const QString& title, std::vector<FormField> fields, const std::vector<QString>& values, Check check,
                     QWidget* parent)
    : QDialog(parent), m_fields(std::move(fields)), m_check(std::move(check))
{
    setWindowTitle(title);
    setMinimumWidth(460);
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    for (std::size_t i = 0; i < m_fields.size(); ++i) {
        const FormField& field = m_fields[i];
        const QString value = i < values.size() ? values[i] : QString();
        QWidget* editor = nullptr;
        if (field.choices.empty()) {
            auto* line = new QLineEdit(value, this);
            line->setPlaceholderText(field.hint);
            editor = line;
        } else {
            auto* combo = new QComboBox(this);
            for (const auto& [shown, choice] : field.choices) {
                combo->addItem(shown, choice);
            }
            combo->setCurrentIndex(std::max(0, combo->findData(value)));
            editor = combo;
        }
        editor->setObjectName(field.key);
        editor->setToolTip(field.hint);
        form->addRow(field.label, editor);
        m_editors.push_back(editor);
    }
    layout->addLayout(form);
    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("problem"));
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("QLabel { color: #ff6b6b; }"));
    m_problem->hide();
    layout->addWidget(m_problem);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &DraftForm::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &DraftForm::reject);
    layout->addWidget(buttons);
}

std::vector<QString> DraftForm::values() const
{
    std::vector<QString> values;
    for (QWidget* editor : m_editors) {
        if (auto* line = qobject_cast<QLineEdit*>(editor)) {
            values.push_back(line->text().trimmed());
        } else if (auto* combo = qobject_cast<QComboBox*>(editor)) {
            values.push_back(combo->currentData().toString());
        }
    }
    return values;
}

void DraftForm::setValue(const QString& key, const QString& value)
{
    for (std::size_t i = 0; i < m_fields.size(); ++i) {
        if (m_fields[i].key != key) {
            continue;
        }
        if (auto* line = qobject_cast<QLineEdit*>(m_editors[i])) {
            line->setText(value);
        } else if (auto* combo = qobject_cast<QComboBox*>(m_editors[i])) {
            combo->setCurrentIndex(std::max(0, combo->findData(value)));
        }
    }
}

QString DraftForm::problem() const
{
    return m_problem->isVisible() || !m_problem->text().isEmpty() ? m_problem->text() : QString();
}

void DraftForm::accept()
{
    const QString problem = m_check ? m_check(values()) : QString();
    if (problem.isEmpty()) {
        m_problem->clear();
        m_problem->hide();
        QDialog::accept();
        return;
    }
    // "quantity: must be positive" → "Size: must be positive", with the field focused.
    QString shown = problem;
    for (std::size_t i = 0; i < m_fields.size(); ++i) {
        const QString prefix = m_fields[i].key + QStringLiteral(": ");
        if (problem.startsWith(prefix)) {
            shown = m_fields[i].label + QStringLiteral(": ") + problem.mid(prefix.size());
            m_editors[i]->setFocus();
            break;
        }
    }
    m_problem->setText(shown);
    m_problem->show();
}

} // namespace mm::ui
