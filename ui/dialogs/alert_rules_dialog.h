#pragma once

#include "config/alert_settings.h"

#include <QDialog>
#include <QString>

#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSlider;
class QSpinBox;
class QTableWidget;

namespace mm::ui {

class AlertSettingsStore;

/// Settings → Alerts: the rules (one row each: what is measured and which way is worse, its unit,
/// which positions it watches, on/off, the warning, critical and emergency thresholds, the re-arm
/// band) and how alerts reach the trader (cooldown, escalation, sound and volume, a webhook).
///
/// Add rule / Remove rule / Restore default rules edit the table; Save checks every row (numbers,
/// AlertRule::problem) and the whole file (readAlertSettings(writeAlertSettings(…))) and refuses with
/// the rule and the field named, writing nothing; else it writes through the store, emits
/// settingsSaved and accepts. A file the store could not read is reported at the top; the defaults
/// are shown and the unreadable file is kept aside when saving.
class AlertRulesDialog : public QDialog {
    Q_OBJECT
public:
    /// The rules table's columns.
    enum RuleColumn {
        KindColumn,      ///< what is measured, with which way is worse ("Distance to liquidation below")
        UnitColumn,      ///< the thresholds' unit for that kind (read-only)
        ScopeColumn,     ///< all positions, one account, one position
        AccountColumn,   ///< the account's label (one account / one position)
        SymbolColumn,    ///< the position's symbol (one position)
        EnabledColumn,   ///< a check box
        WarningColumn,   ///< thresholds: a number in the unit, or empty for no such level
        CriticalColumn,
        EmergencyColumn,
        RearmColumn,     ///< the re-arm band in the unit; empty = 0
        RuleColumnCount,
    };
    Q_ENUM(RuleColumn)

    /// Shows the store's settings (load() it first; its loadProblem() is shown at the top).
    explicit AlertRulesDialog(AlertSettingsStore& store, QWidget* parent = nullptr);

    /// Fills every field from `settings`.
    void showSettings(const AlertSettings& settings);
    /// The settings the fields hold, once they are valid; else nullopt with `problem` naming the rule
    /// and the field ("Rule 2 (Margin ratio above, all positions) — Critical: …").
    [[nodiscard]] std::optional<AlertSettings> collect(QString* problem = nullptr) const;

    /// What Save does: checks, writes through the store, emits settingsSaved and accepts. Returns ""
    /// when saved, else the problem (also shown in the dialog; nothing written).
    QString save();
    /// A new rule at the bottom with the kind's default thresholds, for all positions.
    void addRule(AlertRuleKind kind = AlertRuleKind::Distance);
    void removeRule(int row);
    /// The default rules and timings (defaultAlertPolicy); sound and webhook stay as they are.
    void restoreDefaults();

    /// The settings last saved (the store's before any save).
    [[nodiscard]] const AlertSettings& settings() const { return m_saved; }
    /// The problem shown under the table; "" when none.
    [[nodiscard]] QString problemText() const;
    [[nodiscard]] QTableWidget* rulesTable() const { return m_table; }

    /// The words for a rule kind and scope, as the table shows them.
    [[nodiscard]] static QString kindText(AlertRuleKind kind);
    [[nodiscard]] static QString unitText(AlertRuleKind kind);
    [[nodiscard]] static QString scopeText(AlertScope scope);

Q_SIGNALS:
    void settingsSaved(const mm::AlertSettings& settings);

private:
    void showRules(const std::vector<AlertRule>& rules);
    void appendRow(const AlertRule& rule);
    void onKindChanged(QComboBox* box);
    void onScopeChanged(QComboBox* box);
    void updateScopeCells(int row);
    [[nodiscard]] int rowOfWidget(const QWidget* widget, int column) const;
    [[nodiscard]] AlertRuleKind kindAt(int row) const;
    [[nodiscard]] AlertScope scopeAt(int row) const;
    [[nodiscard]] QString ruleTitle(int row, const AlertRule& rule) const;
    void showProblem(const QString& problem, int row = -1, int column = -1);
    void updateButtons();

    AlertSettingsStore& m_store;
    AlertSettings m_saved;
    QLabel* m_loadProblem = nullptr;
    QTableWidget* m_table = nullptr;
    QPushButton* m_removeRule = nullptr;
    QSpinBox* m_cooldown = nullptr;
    QSpinBox* m_escalateAfter = nullptr;
    QCheckBox* m_sound = nullptr;
    QSlider* m_volume = nullptr;
    QLabel* m_volumeText = nullptr;
    QLineEdit* m_webhookUrl = nullptr;
    QLabel* m_problem = nullptr;
};

} // namespace mm::ui
