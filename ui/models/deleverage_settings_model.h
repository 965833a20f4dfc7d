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

/// Automatic deleveraging per account (AlertSettings::deleverage) as a table for Settings → Alerts:
/// one row per account label, edited in place through delegates. What the table does not show (the
/// fraction per order, the planning headroom, the data ages) stays as it was set.
///
/// A row holds one target: typing a distance makes it a distance target, typing a margin ratio a
/// margin-ratio one (the other column then says it is not used) — "both" or "none" cannot be entered.
/// Every edit is checked at once with core/config's checkDeleverageList (a label set twice, a zero
/// countdown …): the field at fault shows a warning sign and the reason as its tooltip. A live row
/// (on, not dry run) has its On and Dry run cells tinted.
///
/// Texts and problems are prepared when a row changes; data() only looks them up.
class DeleverageSettingsModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeleverageSettingsModel)
public:
    enum Column {
        Account,        ///< the account's label as in Settings → Exchanges
        On,             ///< a check box; off by default
        DryRun,         ///< a check box; on by default: plans are journaled, nothing is sent
        TargetDistance, ///< target distance to liquidation, % of mark (or not used)
        TargetRatio,    ///< target margin ratio ≤ %, 100 = liquidation (or not used)
        Trigger,        ///< the alert level that triggers it
        Countdown,      ///< seconds the trader has to cancel
        MaxPerHour,     ///< orders per position per hour
        MaxPerDay,      ///< orders per position per day
        Count,
    };
    Q_ENUM(Column)

    enum Role {
        /// The problem of this cell's field in words ("" when none).
        CellProblemRole = Qt::UserRole,
        /// Whether the row sends real orders (on and not dry run), the same in every column.
        LiveRole,
    };
    Q_ENUM(Role)

    /// A problem and where it is.
    struct Problem {
        int row = -1;
        Column column = Account;
        QString text; ///< "Deleverage row 2 (Bybit hedge) — Countdown: …."
    };

    explicit DeleverageSettingsModel(QObject* parent = nullptr);

    /// Replaces every row (a model reset).
    void setAutomations(const std::vector<AccountAutomation>& automations);
    [[nodiscard]] const std::vector<AccountAutomation>& automations() const { return m_automations; }
    /// Appends a row and returns it.
    int addAutomation(const AccountAutomation& automation);

    /// The first problem, in row then column order; nullopt when every row is usable.
    [[nodiscard]] std::optional<Problem> firstProblem() const;
    /// "Deleverage row 2 (Bybit hedge)", or "Deleverage row 2" without a label.
    [[nodiscard]] QString rowTitle(int row) const;

    [[nodiscard]] static QString columnTitle(Column column);
    /// The field's name in a refusal ("Countdown", "Target margin ratio").
    [[nodiscard]] static QString fieldTitle(Column column);
    /// The column that shows a field, where the table shows it.
    [[nodiscard]] static std::optional<Column> columnOf(DeleverageField field);
    /// "warning", "critical", "emergency".
    [[nodiscard]] static QString levelText(AlertLevel level);

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
    struct Cell {
        QString text;
        QString toolTip;
        QString problem;
        QColor foreground;
        QColor background;
    };
    struct Line {
        std::array<Cell, Count> cells;
        std::optional<Column> firstProblemColumn; ///< set when the first problem is on a field the table shows
        QString firstProblem;                     ///< "Countdown: …", "" when usable
        bool live = false;
    };

    /// Every row's cells and problems as the settings are now (a label's problem depends on the other rows).
    [[nodiscard]] std::vector<Line> linesNow() const;
    /// Prepares every row again and emits dataChanged for the rows that changed, and for `edited` (-1: none).
    void refresh(int edited);
    [[nodiscard]] Line lineFor(int row, const std::vector<DeleverageProblem>& problems) const;

    std::vector<AccountAutomation> m_automations;
    std::vector<Line> m_lines;
};

} // namespace mm::ui
