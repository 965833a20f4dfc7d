#pragma once

#include "config/alert_settings.h"

#include <QDialog>
#include <QString>
#include <QStringList>

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
class QTabWidget;

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
///
/// A second tab edits automatic deleveraging per account (AlertSettings::deleverage): one row per
/// account label, new rows off and in dry run (DESIGN.md, safety rules). A row that is on and not in
/// dry run is spelled out in red under the table ("Live: reduce-only orders will be sent for …").
/// Save refuses a row whose settings are unusable (AccountDeleverageSettings::problem with a screen:
/// no zero countdown), an empty or repeated label, or a field that is not a number, naming the row and
/// the field ("Deleverage row 2 (Binance main) — Countdown: …"). What the table does not show (the
/// fraction per order, the planning headroom, the data ages) is kept as it was read.
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

    /// The automatic deleveraging table's columns.
    enum DeleverageColumn {
        AccountLabelColumn,   ///< the account's label: an editable combo box (known accounts as choices)
        OnColumn,             ///< a check box; off by default
        DryRunColumn,         ///< a check box; on by default: plans are journaled, nothing is sent
        TargetDistanceColumn, ///< target distance to liquidation, % of mark (or empty when the next is used)
        TargetRatioColumn,    ///< target margin ratio ≤ %, 100 = liquidation (or empty when the previous is used)
        TriggerColumn,        ///< the alert level that triggers it: a combo box
        CountdownColumn,      ///< seconds the trader has to cancel; whole, 1 … 600
        MaxPerHourColumn,     ///< orders per position per hour; whole, 0 … 1000
        MaxPerDayColumn,      ///< orders per position per day; whole, 0 … 1000
        DeleverageColumnCount,
    };
    Q_ENUM(DeleverageColumn)

    /// The dialog's tabs.
    enum Tab { RulesTab, DeleverageTab };

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

    /// The account labels offered in the deleveraging table's account column (typing another stays
    /// possible: the dialog does not know which accounts exist).
    void setKnownAccounts(const QStringList& labels);
    /// A new deleveraging row at the bottom with the safe defaults (off, dry run), for the first known
    /// account not yet listed (else an empty label to type).
    void addDeleverageRow();
    void removeDeleverageRow(int row);

    /// The settings last saved (the store's before any save).
    [[nodiscard]] const AlertSettings& settings() const { return m_saved; }
    /// The problem shown under the table; "" when none.
    [[nodiscard]] QString problemText() const;
    [[nodiscard]] QTableWidget* rulesTable() const { return m_table; }
    [[nodiscard]] QTableWidget* deleverageTable() const { return m_deleverageTable; }
    [[nodiscard]] QTabWidget* tabs() const { return m_tabs; }
    /// The red note under the deleveraging table, one line per live row (on, not dry run); "" when none.
    [[nodiscard]] QString liveNoteText() const;

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

    /// Where a deleveraging refusal points: the row and column, or -1.
    struct DeleveragePlace {
        int row = -1;
        int column = -1;
    };
    [[nodiscard]] std::optional<AlertSettings> collectSettings(QString* problem, DeleveragePlace* place) const;
    [[nodiscard]] bool collectDeleverage(AlertSettings& settings, QString* problem, DeleveragePlace* place) const;
    void showDeleverage(const std::vector<AccountAutomation>& automations);
    void appendDeleverageRow(const AccountAutomation& automation);
    [[nodiscard]] QString deleverageLabelAt(int row) const;
    [[nodiscard]] QString deleverageTitle(int row) const;
    void updateLiveNote();

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

    QTabWidget* m_tabs = nullptr;
    QStringList m_knownAccounts;
    QTableWidget* m_deleverageTable = nullptr;
    /// Per deleveraging row: the settings it was shown from, for what the table does not show.
    std::vector<AccountDeleverageSettings> m_deleverageBase;
    QPushButton* m_removeDeleverage = nullptr;
    QLabel* m_liveNote = nullptr;
};

} // namespace mm::ui
