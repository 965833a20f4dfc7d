#pragma once

#include "config/alert_settings.h"

#include <QAbstractTableModel>
#include <QColor>
#include <QString>
#include <QVariant>

#include <array>
#include <optional>
#include <vector>

namespace mm::ui {

/// The alert rules as a table for Settings → Alerts: one row per AlertRule, edited in place through
/// delegates (kind, scope: combo boxes; thresholds: numbers in the kind's unit, or off). Every edit is
/// checked at once with core/config's checkAlertRule: a field at fault shows a warning sign, a red
/// tint and the reason as its tooltip, and problemAt()/firstProblem() give it to the dialog.
///
/// All of a position's rules combine into one alert (one voice per position); the Group column says
/// how each rule counts — the trader's own thresholds, forecasts, data — and addRule() puts a new
/// rule at the end of its group. Moving a rule between groups never changes what it does: only the
/// order of rules of the same kind matters (the later one wins), and that order is kept.
///
/// Texts, colours and problems are prepared when a row changes; data() only looks them up.
class AlertRulesModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertRulesModel)
public:
    enum Column {
        Group,   ///< your thresholds / forecasts / data (read-only)
        Kind,    ///< what is measured and which way is worse ("Distance to liquidation below")
        Unit,    ///< the thresholds' unit for that kind (read-only)
        Scope,   ///< all positions, one account, one position
        Account, ///< the account's label (one account / one position; else not used)
        Symbol,  ///< the position's symbol (one position; else not used)
        Enabled, ///< a check box
        Warning, ///< thresholds in the unit; "off" for no such level
        Critical,
        Emergency,
        Rearm, ///< the re-arm band in the unit
        Count,
    };
    Q_ENUM(Column)

    enum Role {
        /// The problem of this cell's field in words ("" when none); the Kind column also carries
        /// the rule's own (a rule without any threshold).
        CellProblemRole = Qt::UserRole,
        /// The row's first problem as the dialog names it ("Critical: a louder level's …"), "" when
        /// the rule is usable; the same in every column.
        RowProblemRole,
        /// The rule's AlertRuleGroup as an int, the same in every column (the view's group labels).
        GroupRole,
        /// The unit's short form for the editors' suffix ("%", "σ", "s", "%/min"), the same in every column.
        UnitSuffixRole,
    };
    Q_ENUM(Role)

    /// A problem and where it is.
    struct Problem {
        int row = -1;
        Column column = Kind;
        QString text; ///< "Rule 2 (Margin ratio above, all positions) — Critical: …."
    };

    explicit AlertRulesModel(QObject* parent = nullptr);

    /// Replaces every rule (a model reset).
    void setRules(const std::vector<AlertRule>& rules);
    /// The rules as edited, in the table's order; account and symbol only where the scope uses them.
    [[nodiscard]] std::vector<AlertRule> rules() const;
    [[nodiscard]] const AlertRule& ruleAt(int row) const { return m_rows[std::size_t(row)].rule; }

    /// Inserts `rule` after the last rule of its group (else where its group belongs) and returns its row.
    int addRule(const AlertRule& rule);

    /// The first problem of the rules, in row then column order; nullopt when every rule is usable.
    [[nodiscard]] std::optional<Problem> firstProblem() const;
    /// "Rule 3 (Distance in σ below, all positions)": how refusals name a rule.
    [[nodiscard]] QString ruleTitle(int row) const;

    /// The default thresholds of a kind: what a rule takes when the trader picks that kind.
    [[nodiscard]] static AlertRule defaultRule(AlertRuleKind kind);
    /// Words for the table and its editors.
    [[nodiscard]] static QString kindText(AlertRuleKind kind);
    [[nodiscard]] static QString unitText(AlertRuleKind kind);
    [[nodiscard]] static QString unitSuffix(AlertRuleKind kind);
    [[nodiscard]] static QString scopeText(AlertScope scope);
    [[nodiscard]] static QString groupText(AlertRuleGroup group);
    [[nodiscard]] static QString groupToolTip(AlertRuleGroup group);
    [[nodiscard]] static QString columnTitle(Column column);
    /// The column that shows a field of a rule.
    [[nodiscard]] static Column columnOf(AlertRuleField field);
    /// A threshold as the trader typed it: "10", "0.5", not "1e1"; words for a value that is not finite.
    [[nodiscard]] static QString numberText(double value);
    /// The trader's number: with a point, or with their locale's decimal comma; nullopt when not a finite number.
    [[nodiscard]] static std::optional<double> parseNumber(const QString& text);

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool removeRows(int row, int count, const QModelIndex& parent = {}) override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

private:
    /// One cell, prepared when its row changed.
    struct Cell {
        QString text;
        QString toolTip;
        QString problem;   ///< this field's problem, "" when none
        QColor foreground; ///< invalid: the view's default
        bool used = true;  ///< false: greyed, not editable (an account for a rule on all positions)
    };
    struct Row {
        AlertRule rule;
        std::array<Cell, Count> cells;
        QString firstProblem; ///< "Critical: …", "" when usable
        Column firstProblemColumn = Kind;
        bool firstProblemIsWholeRule = false;
    };

    [[nodiscard]] static Row rowFor(const AlertRule& rule);
    void update(int row);

    std::vector<Row> m_rows;
};

} // namespace mm::ui
