#pragma once

#include "config/alert_settings.h"

#include <QDialog>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSlider;
class QSpinBox;
class QTableView;
class QTabWidget;

namespace mm::ui {

class AlertRulesModel;
class AlertSettingsStore;
class ChoiceDelegate;
class DeleverageSettingsModel;

/// Settings → Alerts: the rules and how alerts reach the trader (cooldown, escalation, sound and
/// volume, a webhook).
///
/// The rules are an AlertRulesModel in a table view, edited in place through delegates (kind and
/// scope from a list, thresholds as numbers with the unit as suffix, or "off"). They are presented
/// as what the engine makes of them: one alert per position at the worst level of its measures, the
/// rules grouped as "Your thresholds" (obeyed exactly), "Forecasts" (at most one level above the
/// thresholds') and "Data" (stale marks). A field at fault is marked on its row as soon as it is
/// edited (checkAlertRule in core/config).
///
/// Add rule / Remove rule / Restore default rules edit the table; Save refuses the first problem
/// with the rule and the field named ("Rule 2 (Margin ratio above, all positions) — Critical: …"),
/// selecting it and writing nothing; the whole file has the last word
/// (readAlertSettings(writeAlertSettings(…))). Else it writes through the store, emits
/// settingsSaved and accepts. A file the store could not read is reported at the top; the defaults
/// are shown and the unreadable file is kept aside when saving.
///
/// A second tab edits automatic deleveraging per account (a DeleverageSettingsModel): one row per
/// account label, new rows off and in dry run (DESIGN.md, safety rules). A row that is on and not in
/// dry run is spelled out in red under the table ("Live: reduce-only orders will be sent for …").
/// Save refuses a row whose settings are unusable (checkDeleverageList: no zero countdown, an empty
/// or repeated label), naming the row and the field ("Deleverage row 2 (Binance main) — Countdown:
/// …"). What the table does not show (the fraction per order, the planning headroom, the data ages)
/// is kept as it was read.
class AlertRulesDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertRulesDialog)
public:
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
    /// when saved, else the problem (also shown in the dialog, with its cell selected; nothing written).
    QString save();
    /// A new rule with the kind's default thresholds, for all positions, at the end of its group;
    /// selected, with its warning threshold current.
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
    /// The problem shown under the tabs; "" when none.
    [[nodiscard]] QString problemText() const;
    [[nodiscard]] AlertRulesModel* rulesModel() const { return m_rules; }
    [[nodiscard]] QTableView* rulesView() const { return m_rulesView; }
    [[nodiscard]] DeleverageSettingsModel* deleverageModel() const { return m_deleverage; }
    [[nodiscard]] QTableView* deleverageView() const { return m_deleverageView; }
    [[nodiscard]] QTabWidget* tabs() const { return m_tabs; }
    /// The red note under the deleveraging table, one line per live row (on, not dry run); "" when none.
    [[nodiscard]] QString liveNoteText() const;

Q_SIGNALS:
    void settingsSaved(const mm::AlertSettings& settings);

private:
    /// Where a refusal points: the tab, the row and the column of its table (-1: none), or a field.
    struct Place {
        int tab = -1;
        int row = -1;
        int column = -1;
        QWidget* widget = nullptr;
    };
    [[nodiscard]] std::optional<AlertSettings> collectSettings(QString* problem, Place* place) const;
    void updateGroupSpans();
    void showProblem(const QString& problem) { showProblem(problem, Place()); }
    void showProblem(const QString& problem, const Place& place);
    void updateButtons();
    void updateLiveNote();

    AlertSettingsStore& m_store;
    AlertSettings m_saved;
    QLabel* m_loadProblem = nullptr;
    AlertRulesModel* m_rules = nullptr;
    QTableView* m_rulesView = nullptr;
    QLabel* m_rulesNote = nullptr; ///< how the rules combine (one voice per position), by group
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
    DeleverageSettingsModel* m_deleverage = nullptr;
    QTableView* m_deleverageView = nullptr;
    ChoiceDelegate* m_accountChoices = nullptr;
    QPushButton* m_removeDeleverage = nullptr;
    QLabel* m_liveNote = nullptr;
};

} // namespace mm::ui
