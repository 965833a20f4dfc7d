#pragma once

#include <QDialog>
#include <QString>

#include <functional>
#include <utility>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;

namespace mm::ui {

/// A field of a DraftForm: typed text, or a choice among values.
struct FormField {
    QString key;   ///< the portfolio file's field name ("quantity"): problems name it
    QString label; ///< in the trader's words ("Size")
    /// (shown text, value) pairs; empty: a line edit.
    std::vector<std::pair<QString, QString>> choices;
    QString hint; ///< placeholder text, and the tooltip
};

/// A small form for one account or one position of the manual positions: one row per field, a line
/// for the problem, OK and Cancel. OK asks `check` first; while it answers a problem, the problem is
/// shown in red, the field it names is focused and the form stays open.
class DraftForm : public QDialog {
    Q_OBJECT
public:
    /// `check` gets the values in the fields' order and answers "" or "key: what is wrong".
    using Check = std::function<QString(const std::vector<QString>& values)>;

    DraftForm(const QString& title, std::vector<FormField> fields, const std::vector<QString>& values, Check check,
              QWidget* parent = nullptr);

    [[nodiscard]] std::vector<QString> values() const;
    /// Sets a field's value by key (tests, and filling a default).
    void setValue(const QString& key, const QString& value);
    /// The problem shown, "" when none.
    [[nodiscard]] QString problem() const;

    void accept() override;

private:
    std::vector<FormField> m_fields;
    std::vector<QWidget*> m_editors; ///< QLineEdit or QComboBox per field
    QLabel* m_problem = nullptr;
    Check m_check;
};

} // namespace mm::ui
