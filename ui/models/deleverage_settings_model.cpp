#include "models/deleverage_settings_model.h"

#include "models/alert_rules_model.h"
#include "models/problem_marks.h"
#include "models/risk_level.h"

#include <cmath>
#include <utility>

namespace mm::ui {
namespace {

QString columnToolTip(DeleverageSettingsModel::Column column)
{
    switch (column) {
    case DeleverageSettingsModel::Account:
        return QObject::tr("The account's name as in Settings → Exchanges; one row per account");
    case DeleverageSettingsModel::On:
        return QObject::tr("Off: alerts for this account never reduce anything");
    case DeleverageSettingsModel::DryRun:
        return QObject::tr("Ticked: each plan is shown and written to the journal, and no order is sent");
    case DeleverageSettingsModel::TargetDistance:
        return QObject::tr("Reduce the position until its distance to liquidation is at least this % of the mark. "
                           "Typing it makes the distance the target (instead of the margin ratio).");
    case DeleverageSettingsModel::TargetRatio:
        return QObject::tr("Reduce until the margin ratio is at most this % (100 % = liquidation). Typing it makes "
                           "the margin ratio the target (instead of the distance).");
    case DeleverageSettingsModel::Trigger:
        return QObject::tr("When the alert of a position in this account reaches this level or louder, a deleverage "
                           "starts");
    case DeleverageSettingsModel::Countdown:
        return QObject::tr("Seconds you have to cancel before an order is sent (1 to %1)")
            .arg(alert_settings_limits::kCountdownSeconds);
    case DeleverageSettingsModel::MaxPerHour:
        return QObject::tr("At most this many orders for one position within any hour");
    case DeleverageSettingsModel::MaxPerDay:
        return QObject::tr("At most this many orders for one position within any 24 hours");
    case DeleverageSettingsModel::Count:
        break;
    }
    return {};
}

} // namespace

DeleverageSettingsModel::DeleverageSettingsModel(QObject* parent) : QAbstractTableModel(parent) {}

QString DeleverageSettingsModel::columnTitle(Column column)
{
    switch (column) {
    case Account:
        return tr("Account");
    case On:
        return tr("On");
    case DryRun:
        return tr("Dry run");
    case TargetDistance:
        return tr("Target: distance ≥ %");
    case TargetRatio:
        return tr("or ratio ≤ %");
    case Trigger:
        return tr("Trigger at");
    case Countdown:
        return tr("Countdown s");
    case MaxPerHour:
        return tr("Max / hour");
    case MaxPerDay:
        return tr("Max / day");
    case Count:
        break;
    }
    return {};
}

QString DeleverageSettingsModel::fieldTitle(Column column)
{
    switch (column) {
    case Account:
        return tr("Account");
    case On:
        return tr("On");
    case DryRun:
        return tr("Dry run");
    case TargetDistance:
        return tr("Target distance");
    case TargetRatio:
        return tr("Target margin ratio");
    case Trigger:
        return tr("Trigger");
    case Countdown:
        return tr("Countdown");
    case MaxPerHour:
        return tr("Max per hour");
    case MaxPerDay:
        return tr("Max per day");
    case Count:
        break;
    }
    return {};
}

std::optional<DeleverageSettingsModel::Column> DeleverageSettingsModel::columnOf(DeleverageField field)
{
    switch (field) {
    case DeleverageField::Account:
        return Account;
    case DeleverageField::Enabled:
        return On;
    case DeleverageField::DryRun:
        return DryRun;
    case DeleverageField::TargetDistance:
        return TargetDistance;
    case DeleverageField::TargetMarginRatio:
        return TargetRatio;
    case DeleverageField::TriggerLevel:
        return Trigger;
    case DeleverageField::Countdown:
        return Countdown;
    case DeleverageField::MaxPerHour:
        return MaxPerHour;
    case DeleverageField::MaxPerDay:
        return MaxPerDay;
    case DeleverageField::MaxFractionPerOrder:
    case DeleverageField::PlanningHeadroom:
    case DeleverageField::DataAges:
        break; // kept as read, not shown
    }
    return std::nullopt;
}

QString DeleverageSettingsModel::levelText(AlertLevel level)
{
    switch (level) {
    case AlertLevel::Warning:
        return tr("warning");
    case AlertLevel::Critical:
        return tr("critical");
    case AlertLevel::Emergency:
        return tr("emergency");
    }
    return {};
}

QString DeleverageSettingsModel::rowTitle(int row) const
{
    const std::string& label = m_automations[std::size_t(row)].accountLabel;
    return label.empty() ? tr("Deleverage row %1").arg(row + 1)
                         : tr("Deleverage row %1 (%2)").arg(row + 1).arg(QString::fromStdString(label));
}

DeleverageSettingsModel::Line DeleverageSettingsModel::lineFor(int row,
                                                               const std::vector<DeleverageProblem>& problems) const
{
    const AccountAutomation& automation = m_automations[std::size_t(row)];
    const AccountDeleverageSettings& settings = automation.settings;
    Line line;
    line.live = settings.enabled && !settings.dryRun;
    QColor liveBackground = riskColour(RiskLevel::Danger);
    liveBackground.setAlpha(90);
    const bool distance = settings.target.kind == DeleverageTarget::Kind::Distance;
    for (int column = 0; column < Count; ++column) {
        Cell& cell = line.cells[std::size_t(column)];
        cell.toolTip = columnToolTip(static_cast<Column>(column));
        switch (static_cast<Column>(column)) {
        case Account:
            cell.text = QString::fromStdString(automation.accountLabel);
            break;
        case On:
        case DryRun:
            if (line.live) {
                // The two boxes that make a row live are tinted, so the row that sends orders stands out.
                cell.background = liveBackground;
                cell.toolTip = tr("Live: orders are sent");
            }
            break;
        case TargetDistance:
            cell.text = distance ? AlertRulesModel::numberText(settings.target.value) : tr("not used");
            if (!distance) {
                cell.foreground = riskColour(RiskLevel::Unknown);
            }
            break;
        case TargetRatio:
            // A margin ratio target is shown in percent, as the file holds it (0.8 → 80).
            cell.text = !distance ? AlertRulesModel::numberText(settings.target.value * 100.0) : tr("not used");
            if (distance) {
                cell.foreground = riskColour(RiskLevel::Unknown);
            }
            break;
        case Trigger:
            cell.text = levelText(settings.triggerLevel);
            break;
        case Countdown:
            cell.text = QString::number(settings.countdown.count());
            break;
        case MaxPerHour:
            cell.text = QString::number(settings.maxOrdersPerPositionPerHour);
            break;
        case MaxPerDay:
            cell.text = QString::number(settings.maxOrdersPerPositionPerDay);
            break;
        case Count:
            break;
        }
    }
    for (const DeleverageProblem& problem : problems) {
        const std::optional<Column> column = problem.field ? columnOf(*problem.field) : std::nullopt;
        Cell& cell = line.cells[std::size_t(column.value_or(Account))];
        if (cell.problem.isEmpty()) {
            cell.problem = QString::fromStdString(problem.reason);
            cell.foreground = riskColour(RiskLevel::Danger);
        }
    }
    if (!problems.empty()) {
        const DeleverageProblem& first = problems.front();
        line.firstProblemColumn = first.field ? columnOf(*first.field) : std::nullopt;
        line.firstProblem = line.firstProblemColumn ? tr("%1: %2").arg(fieldTitle(*line.firstProblemColumn),
                                                                       QString::fromStdString(first.reason))
                                                    : QString::fromStdString(first.reason);
    }
    return line;
}

std::vector<DeleverageSettingsModel::Line> DeleverageSettingsModel::linesNow() const
{
    const std::vector<std::vector<DeleverageProblem>> problems = checkDeleverageList(m_automations);
    std::vector<Line> lines;
    lines.reserve(m_automations.size());
    for (std::size_t row = 0; row < m_automations.size(); ++row) {
        lines.push_back(lineFor(int(row), problems[row]));
    }
    return lines;
}

void DeleverageSettingsModel::refresh(int edited)
{
    std::vector<Line> lines = linesNow();
    // One dataChanged per contiguous range of rows that changed (a label's problem moves with others).
    const auto differs = [&](std::size_t row) {
        if (int(row) == edited || lines[row].firstProblem != m_lines[row].firstProblem ||
            lines[row].live != m_lines[row].live) {
            return true;
        }
        for (int column = 0; column < Count; ++column) {
            const Cell& a = lines[row].cells[std::size_t(column)];
            const Cell& b = m_lines[row].cells[std::size_t(column)];
            if (a.text != b.text || a.problem != b.problem || a.toolTip != b.toolTip || a.foreground != b.foreground ||
                a.background != b.background) {
                return true;
            }
        }
        return false;
    };
    std::vector<bool> changed(lines.size());
    for (std::size_t row = 0; row < lines.size(); ++row) {
        changed[row] = differs(row);
    }
    m_lines = std::move(lines);
    for (std::size_t row = 0; row < changed.size();) {
        if (!changed[row]) {
            ++row;
            continue;
        }
        std::size_t last = row;
        while (last + 1 < changed.size() && changed[last + 1]) {
            ++last;
        }
        Q_EMIT dataChanged(index(int(row), 0), index(int(last), Count - 1));
        row = last + 1;
    }
}

void DeleverageSettingsModel::setAutomations(const std::vector<AccountAutomation>& automations)
{
    beginResetModel();
    m_automations = automations;
    m_lines = linesNow();
    endResetModel();
}

int DeleverageSettingsModel::addAutomation(const AccountAutomation& automation)
{
    const int row = rowCount();
    beginInsertRows({}, row, row);
    m_automations.push_back(automation);
    m_lines.push_back(linesNow().back());
    endInsertRows();
    return row;
}

std::optional<DeleverageSettingsModel::Problem> DeleverageSettingsModel::firstProblem() const
{
    for (std::size_t row = 0; row < m_lines.size(); ++row) {
        const Line& line = m_lines[row];
        if (line.firstProblem.isEmpty()) {
            continue;
        }
        const QString sentence =
            line.firstProblem.endsWith(QLatin1Char('.')) ? line.firstProblem : line.firstProblem + QLatin1Char('.');
        return Problem{int(row), line.firstProblemColumn.value_or(On),
                       tr("%1%2%3").arg(rowTitle(int(row)),
                                        line.firstProblemColumn ? QStringLiteral(" — ") : QStringLiteral(": "),
                                        sentence)};
    }
    return std::nullopt;
}

int DeleverageSettingsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_automations.size());
}

int DeleverageSettingsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(Count);
}

QVariant DeleverageSettingsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const AccountDeleverageSettings& settings = m_automations[std::size_t(index.row())].settings;
    const Line& line = m_lines[std::size_t(index.row())];
    const Cell& cell = line.cells[std::size_t(index.column())];
    const auto column = static_cast<Column>(index.column());
    const bool distance = settings.target.kind == DeleverageTarget::Kind::Distance;
    switch (role) {
    case Qt::DisplayRole:
        return column == On || column == DryRun ? QVariant() : QVariant(cell.text);
    case Qt::EditRole:
        switch (column) {
        case Account:
            return cell.text;
        case On:
            return settings.enabled;
        case DryRun:
            return settings.dryRun;
        case TargetDistance:
            return distance ? QVariant(settings.target.value) : QVariant();
        case TargetRatio:
            return distance ? QVariant() : QVariant(settings.target.value * 100.0);
        case Trigger:
            return static_cast<int>(settings.triggerLevel);
        case Countdown:
            return static_cast<int>(settings.countdown.count());
        case MaxPerHour:
            return settings.maxOrdersPerPositionPerHour;
        case MaxPerDay:
            return settings.maxOrdersPerPositionPerDay;
        case Count:
            break;
        }
        return {};
    case Qt::CheckStateRole:
        if (column == On) {
            return settings.enabled ? Qt::Checked : Qt::Unchecked;
        }
        if (column == DryRun) {
            return settings.dryRun ? Qt::Checked : Qt::Unchecked;
        }
        return {};
    case Qt::ToolTipRole:
        if (!cell.problem.isEmpty()) {
            return cell.problem;
        }
        return cell.toolTip.isEmpty() ? QVariant() : QVariant(cell.toolTip);
    case Qt::DecorationRole:
        return cell.problem.isEmpty() ? QVariant() : QVariant(problemIcon());
    case Qt::ForegroundRole:
        return cell.foreground.isValid() ? QVariant(cell.foreground) : QVariant();
    case Qt::BackgroundRole:
        if (cell.background.isValid()) {
            return cell.background;
        }
        return cell.problem.isEmpty() ? QVariant() : QVariant(problemBackground());
    case Qt::TextAlignmentRole:
        switch (column) {
        case TargetDistance:
        case TargetRatio:
        case Countdown:
        case MaxPerHour:
        case MaxPerDay:
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        case On:
        case DryRun:
            return QVariant::fromValue(Qt::AlignCenter);
        case Account:
        case Trigger:
        case Count:
            break;
        }
        return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    case CellProblemRole:
        return cell.problem;
    case LiveRole:
        return line.live;
    default:
        return {};
    }
}

bool DeleverageSettingsModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return false;
    }
    AccountAutomation& automation = m_automations[std::size_t(index.row())];
    AccountDeleverageSettings& settings = automation.settings;
    const auto column = static_cast<Column>(index.column());
    const auto number = [&value]() -> std::optional<double> {
        if (!value.isValid() || value.isNull()) {
            return std::nullopt;
        }
        if (value.typeId() == QMetaType::QString) {
            return AlertRulesModel::parseNumber(value.toString());
        }
        bool ok = false;
        const double read = value.toDouble(&ok);
        return ok && std::isfinite(read) ? std::optional(read) : std::nullopt;
    };
    const auto whole = [&](int low, int high) -> std::optional<int> {
        const std::optional<double> read = number();
        if (!read || *read != std::floor(*read) || *read < low || *read > high) {
            return std::nullopt;
        }
        return static_cast<int>(*read);
    };
    if (role == Qt::CheckStateRole) {
        if (column != On && column != DryRun) {
            return false;
        }
        (column == On ? settings.enabled : settings.dryRun) = value.toInt() == Qt::Checked;
        refresh(index.row());
        return true;
    }
    if (role != Qt::EditRole) {
        return false;
    }
    switch (column) {
    case Account:
        automation.accountLabel = value.toString().trimmed().toStdString();
        break;
    case On:
        settings.enabled = value.toBool();
        break;
    case DryRun:
        settings.dryRun = value.toBool();
        break;
    case TargetDistance:
    case TargetRatio: {
        const std::optional<double> read = number();
        const bool distance = column == TargetDistance;
        const bool active = (settings.target.kind == DeleverageTarget::Kind::Distance) == distance;
        if (!read) {
            // No value: fine for the target not in use; the one in use cannot be emptied (one target, always).
            return !active && (!value.isValid() || value.isNull() || value.toString().trimmed().isEmpty());
        }
        // Unchanged (a ratio shown ×100 need not divide back to the same bits): keep the exact value.
        if (active && *read == (distance ? settings.target.value : settings.target.value * 100.0)) {
            return true;
        }
        settings.target =
            distance ? DeleverageTarget::distancePct(*read) : DeleverageTarget::marginRatio(*read / 100.0);
        break;
    }
    case Trigger: {
        bool ok = false;
        const int level = value.toInt(&ok);
        if (!ok || level < static_cast<int>(AlertLevel::Warning) || level > static_cast<int>(AlertLevel::Emergency)) {
            return false;
        }
        settings.triggerLevel = static_cast<AlertLevel>(level);
        break;
    }
    case Countdown: {
        const std::optional<int> seconds = whole(0, alert_settings_limits::kCountdownSeconds);
        if (!seconds) {
            return false;
        }
        settings.countdown = std::chrono::seconds(*seconds);
        break;
    }
    case MaxPerHour:
    case MaxPerDay: {
        const std::optional<int> cap = whole(0, alert_settings_limits::kOrderCap);
        if (!cap) {
            return false;
        }
        (column == MaxPerHour ? settings.maxOrdersPerPositionPerHour : settings.maxOrdersPerPositionPerDay) = *cap;
        break;
    }
    case Count:
        return false;
    }
    refresh(index.row());
    return true;
}

QVariant DeleverageSettingsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical) {
        if (section < 0 || section >= rowCount()) {
            return {};
        }
        if (role == Qt::DisplayRole) {
            return section + 1;
        }
        if (role == Qt::ToolTipRole) {
            const QString& problem = m_lines[std::size_t(section)].firstProblem;
            return problem.isEmpty() ? QVariant() : QVariant(problem);
        }
        return {};
    }
    if (section < 0 || section >= Count) {
        return {};
    }
    switch (role) {
    case Qt::DisplayRole:
        return columnTitle(static_cast<Column>(section));
    case Qt::ToolTipRole:
        return columnToolTip(static_cast<Column>(section));
    default:
        return {};
    }
}

Qt::ItemFlags DeleverageSettingsModel::flags(const QModelIndex& index) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return Qt::NoItemFlags;
    }
    const Qt::ItemFlags base = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    switch (static_cast<Column>(index.column())) {
    case On:
    case DryRun:
        return base | Qt::ItemIsUserCheckable;
    case Account:
    case TargetDistance:
    case TargetRatio:
    case Trigger:
    case Countdown:
    case MaxPerHour:
    case MaxPerDay:
        return base | Qt::ItemIsEditable;
    case Count:
        break;
    }
    return base;
}

bool DeleverageSettingsModel::removeRows(int row, int count, const QModelIndex& parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > rowCount()) {
        return false;
    }
    beginRemoveRows({}, row, row + count - 1);
    m_automations.erase(m_automations.begin() + row, m_automations.begin() + row + count);
    m_lines.erase(m_lines.begin() + row, m_lines.begin() + row + count);
    endRemoveRows();
    refresh(-1); // a label set twice may be once now
    if (row < rowCount()) {
        Q_EMIT headerDataChanged(Qt::Vertical, row, rowCount() - 1);
    }
    return true;
}

QHash<int, QByteArray> DeleverageSettingsModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(CellProblemRole, "cellProblem");
    names.insert(LiveRole, "live");
    return names;
}

} // namespace mm::ui
