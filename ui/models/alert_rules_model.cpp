#include "models/alert_rules_model.h"

#include "models/problem_marks.h"
#include "models/risk_level.h"

#include <QLocale>

#include <algorithm>
#include <cmath>
#include <utility>

namespace mm::ui {
namespace {

QColor unusedForeground()
{
    return riskColour(RiskLevel::Unknown);
}

QString kindToolTip(AlertRuleKind kind)
{
    switch (kind) {
    case AlertRuleKind::Distance:
        return QObject::tr("How far the mark is from the liquidation price, in % of the mark. Your own threshold: "
                           "obeyed exactly.");
    case AlertRuleKind::MarginRatio:
        return QObject::tr("Maintenance margin over margin balance; 100 % is liquidation. Your own threshold: obeyed "
                           "exactly.");
    case AlertRuleKind::SigmaDistance:
        return QObject::tr("The distance to liquidation in standard deviations of an hour's move at the recent "
                           "volatility. A forecast: it counts only while the price moves toward liquidation.");
    case AlertRuleKind::TimeToLiquidation:
        return QObject::tr("How long until liquidation at the recent pace toward it. A forecast: never while the price "
                           "moves away from liquidation.");
    case AlertRuleKind::Velocity:
        return QObject::tr("How fast the distance to liquidation shrinks, in points of % per minute. A forecast: never "
                           "while the distance grows.");
    case AlertRuleKind::Stale:
        return QObject::tr("Seconds without a mark price once the feed is judged stale (0 = as soon as it is): the "
                           "figures can no longer be trusted.");
    }
    return {};
}

QString columnToolTip(AlertRulesModel::Column column)
{
    switch (column) {
    case AlertRulesModel::Group:
        return QObject::tr("All rules combine into one alert per position (and per account's cross margin), at the "
                           "worst level they reach. Your thresholds are obeyed exactly; forecasts raise a position at "
                           "most one level above its distance/margin-ratio level; data says when prices stopped "
                           "arriving.");
    case AlertRulesModel::Kind:
        return QObject::tr("What the rule measures, and which way is worse");
    case AlertRulesModel::Unit:
        return QObject::tr("The unit of the thresholds and the re-arm band");
    case AlertRulesModel::Scope:
        return QObject::tr("The most specific rule of a kind wins: a position's own over its account's, an account's "
                           "over the one for all positions");
    case AlertRulesModel::Account:
        return QObject::tr("The account's name as in Settings → Exchanges (one account or one position)");
    case AlertRulesModel::Symbol:
        return QObject::tr("The symbol as the exchange writes it, e.g. BTCUSDT (one position)");
    case AlertRulesModel::Enabled:
        return QObject::tr("Off: the rule is kept but raises nothing");
    case AlertRulesModel::Warning:
    case AlertRulesModel::Critical:
    case AlertRulesModel::Emergency:
        return QObject::tr("Off: no alert at this level from this rule. Each louder level must be further on the "
                           "dangerous side.");
    case AlertRulesModel::Rearm:
        return QObject::tr("A level is left only once the measure is this far back on the safe side of its threshold "
                           "(and stayed there for the cooldown), so a price hovering at a threshold raises one alert, "
                           "not a storm");
    case AlertRulesModel::Count:
        break;
    }
    return {};
}

AlertRuleGroup groupOf(const AlertRule& rule)
{
    return alertRuleGroup(rule.kind);
}

} // namespace

AlertRulesModel::AlertRulesModel(QObject* parent) : QAbstractTableModel(parent) {}

AlertRule AlertRulesModel::defaultRule(AlertRuleKind kind)
{
    for (const AlertRule& rule : defaultAlertPolicy().rules) {
        if (rule.kind == kind) {
            return rule;
        }
    }
    AlertRule rule;
    rule.kind = kind;
    return rule;
}

QString AlertRulesModel::kindText(AlertRuleKind kind)
{
    switch (kind) {
    case AlertRuleKind::Distance:
        return tr("Distance to liquidation below");
    case AlertRuleKind::MarginRatio:
        return tr("Margin ratio above");
    case AlertRuleKind::SigmaDistance:
        return tr("Distance in σ below");
    case AlertRuleKind::TimeToLiquidation:
        return tr("Time to liquidation below");
    case AlertRuleKind::Velocity:
        return tr("Distance shrinking faster than");
    case AlertRuleKind::Stale:
        return tr("Prices stale for more than");
    }
    return {};
}

QString AlertRulesModel::unitText(AlertRuleKind kind)
{
    switch (kind) {
    case AlertRuleKind::Distance:
        return tr("% of mark");
    case AlertRuleKind::MarginRatio:
        return tr("% (100 = liquidation)");
    case AlertRuleKind::SigmaDistance:
        return tr("σ of an hour's move");
    case AlertRuleKind::TimeToLiquidation:
        return tr("seconds");
    case AlertRuleKind::Velocity:
        return tr("% of mark per minute");
    case AlertRuleKind::Stale:
        return tr("seconds");
    }
    return {};
}

QString AlertRulesModel::unitSuffix(AlertRuleKind kind)
{
    return QString::fromUtf8(alertUnit(kind).data(), qsizetype(alertUnit(kind).size()));
}

QString AlertRulesModel::scopeText(AlertScope scope)
{
    switch (scope) {
    case AlertScope::All:
        return tr("All positions");
    case AlertScope::Account:
        return tr("One account");
    case AlertScope::Position:
        return tr("One position");
    }
    return {};
}

QString AlertRulesModel::groupText(AlertRuleGroup group)
{
    switch (group) {
    case AlertRuleGroup::Thresholds:
        return tr("Your thresholds");
    case AlertRuleGroup::Forecasts:
        return tr("Forecasts");
    case AlertRuleGroup::Data:
        return tr("Data");
    }
    return {};
}

QString AlertRulesModel::groupToolTip(AlertRuleGroup group)
{
    switch (group) {
    case AlertRuleGroup::Thresholds:
        return tr("Distance to liquidation and margin ratio: obeyed exactly as you set them.");
    case AlertRuleGroup::Forecasts:
        return tr("σ distance, time to liquidation and velocity count only while the price moves toward liquidation, "
                  "and raise a position at most one level above its distance/margin-ratio level: they bring the next "
                  "level forward, never skip one.");
    case AlertRuleGroup::Data:
        return tr("Mark prices that stopped arriving: until they return, no figure can be trusted.");
    }
    return {};
}

QString AlertRulesModel::columnTitle(Column column)
{
    switch (column) {
    case Group:
        return tr("Counts as");
    case Kind:
        return tr("Alert when");
    case Unit:
        return tr("Unit");
    case Scope:
        return tr("Watches");
    case Account:
        return tr("Account");
    case Symbol:
        return tr("Symbol");
    case Enabled:
        return tr("On");
    case Warning:
        return tr("Warning");
    case Critical:
        return tr("Critical");
    case Emergency:
        return tr("Emergency");
    case Rearm:
        return tr("Re-arm band");
    case Count:
        break;
    }
    return {};
}

AlertRulesModel::Column AlertRulesModel::columnOf(AlertRuleField field)
{
    switch (field) {
    case AlertRuleField::Kind:
        return Kind;
    case AlertRuleField::Scope:
        return Scope;
    case AlertRuleField::Account:
        return Account;
    case AlertRuleField::Symbol:
        return Symbol;
    case AlertRuleField::Enabled:
        return Enabled;
    case AlertRuleField::Warning:
        return Warning;
    case AlertRuleField::Critical:
        return Critical;
    case AlertRuleField::Emergency:
        return Emergency;
    case AlertRuleField::Rearm:
        return Rearm;
    }
    return Kind;
}

QString AlertRulesModel::numberText(double value)
{
    if (std::isnan(value)) {
        return tr("not a number");
    }
    if (std::isinf(value)) {
        return value > 0 ? tr("endless") : tr("endless (negative)");
    }
    return QString::number(value, 'g', 12);
}

std::optional<double> AlertRulesModel::parseNumber(const QString& text)
{
    const QString trimmed = text.trimmed();
    // A point always; the trader's locale's decimal comma otherwise. No thousands separators: "7,5"
    // is never 75.
    QLocale c = QLocale::c();
    c.setNumberOptions(QLocale::RejectGroupSeparator);
    QLocale mine;
    mine.setNumberOptions(QLocale::RejectGroupSeparator);
    bool ok = false;
    double value = c.toDouble(trimmed, &ok);
    if (!ok) {
        value = mine.toDouble(trimmed, &ok);
    }
    if (!ok || !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

AlertRulesModel::Row AlertRulesModel::rowFor(const AlertRule& rule)
{
    Row row;
    row.rule = rule;
    const std::vector<AlertRuleProblem> problems = checkAlertRule(rule);
    const auto problemOf = [&problems](std::optional<AlertRuleField> field) {
        for (const AlertRuleProblem& problem : problems) {
            if (problem.field == field) {
                return QString::fromStdString(problem.reason);
            }
        }
        return QString();
    };
    for (int column = 0; column < Count; ++column) {
        Cell& cell = row.cells[std::size_t(column)];
        switch (static_cast<Column>(column)) {
        case Group:
            cell.text = groupText(groupOf(rule));
            cell.toolTip = groupToolTip(groupOf(rule));
            break;
        case Kind:
            cell.text = kindText(rule.kind);
            cell.toolTip = kindToolTip(rule.kind);
            cell.problem = problemOf(std::nullopt); // the rule as a whole is shown on what it is
            break;
        case Unit:
            cell.text = unitText(rule.kind);
            break;
        case Scope:
            cell.text = scopeText(rule.scope);
            break;
        case Account:
            cell.used = rule.scope != AlertScope::All;
            cell.text = cell.used ? QString::fromStdString(rule.account) : QString();
            cell.toolTip = cell.used ? columnToolTip(Account) : tr("Not used: the rule watches every position");
            cell.problem = problemOf(AlertRuleField::Account);
            break;
        case Symbol:
            cell.used = rule.scope == AlertScope::Position;
            cell.text = cell.used ? QString::fromStdString(rule.symbol) : QString();
            cell.toolTip = cell.used ? columnToolTip(Symbol) : tr("Not used: the rule watches whole accounts");
            cell.problem = problemOf(AlertRuleField::Symbol);
            break;
        case Enabled:
            cell.toolTip = rule.enabled ? tr("On") : tr("Off: kept, raises nothing");
            break;
        case Warning:
        case Critical:
        case Emergency: {
            const AlertLevel level = column == Warning    ? AlertLevel::Warning
                                     : column == Critical ? AlertLevel::Critical
                                                          : AlertLevel::Emergency;
            const std::optional<double> threshold = rule.threshold(level);
            cell.text = threshold ? numberText(*threshold) : tr("off");
            if (!threshold) {
                cell.foreground = unusedForeground();
                cell.toolTip =
                    tr("Off: this rule raises no %1").arg(columnTitle(static_cast<Column>(column)).toLower());
            } else {
                cell.toolTip = tr("%1 %2 %3").arg(kindText(rule.kind), numberText(*threshold), unitText(rule.kind));
            }
            cell.problem = problemOf(column == Warning    ? AlertRuleField::Warning
                                     : column == Critical ? AlertRuleField::Critical
                                                          : AlertRuleField::Emergency);
            break;
        }
        case Rearm:
            cell.text = numberText(rule.rearm);
            cell.toolTip = columnToolTip(Rearm);
            cell.problem = problemOf(AlertRuleField::Rearm);
            break;
        case Count:
            break;
        }
        if (!cell.used) {
            cell.foreground = unusedForeground();
        }
        if (!cell.problem.isEmpty()) {
            cell.foreground = riskColour(RiskLevel::Danger);
        }
    }
    if (!problems.empty()) {
        const AlertRuleProblem& first = problems.front();
        row.firstProblemColumn = first.field ? columnOf(*first.field) : Kind;
        row.firstProblemIsWholeRule = !first.field;
        row.firstProblem =
            first.field ? tr("%1: %2").arg(columnTitle(row.firstProblemColumn), QString::fromStdString(first.reason))
                        : QString::fromStdString(first.reason);
    }
    return row;
}

void AlertRulesModel::update(int row)
{
    m_rows[std::size_t(row)] = rowFor(m_rows[std::size_t(row)].rule);
    Q_EMIT dataChanged(index(row, 0), index(row, Count - 1));
    Q_EMIT headerDataChanged(Qt::Vertical, row, row);
}

void AlertRulesModel::setRules(const std::vector<AlertRule>& rules)
{
    beginResetModel();
    m_rows.clear();
    m_rows.reserve(rules.size());
    for (const AlertRule& rule : rules) {
        m_rows.push_back(rowFor(rule));
    }
    endResetModel();
}

std::vector<AlertRule> AlertRulesModel::rules() const
{
    std::vector<AlertRule> rules;
    rules.reserve(m_rows.size());
    for (const Row& row : m_rows) {
        AlertRule rule = row.rule;
        if (rule.scope == AlertScope::All) {
            rule.account.clear();
        }
        if (rule.scope != AlertScope::Position) {
            rule.symbol.clear();
        }
        rules.push_back(std::move(rule));
    }
    return rules;
}

int AlertRulesModel::addRule(const AlertRule& rule)
{
    const AlertRuleGroup group = groupOf(rule);
    int at = -1;
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        if (groupOf(m_rows[i].rule) == group) {
            at = int(i) + 1; // after the last of its group: later than every rule of its kind
        }
    }
    if (at < 0) {
        at = 0;
        for (std::size_t i = 0; i < m_rows.size(); ++i) {
            if (groupOf(m_rows[i].rule) < group) {
                at = int(i) + 1;
            }
        }
    }
    beginInsertRows({}, at, at);
    m_rows.insert(m_rows.begin() + at, rowFor(rule));
    endInsertRows();
    return at;
}

std::optional<AlertRulesModel::Problem> AlertRulesModel::firstProblem() const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        const Row& row = m_rows[i];
        if (row.firstProblem.isEmpty()) {
            continue;
        }
        const int at = int(i);
        // "Rule 1 (…) — Critical: reason." or, for the rule as a whole, "Rule 1 (…): reason."
        return Problem{at, row.firstProblemColumn,
                       tr("%1%2%3.").arg(ruleTitle(at),
                                         row.firstProblemIsWholeRule ? QStringLiteral(": ") : QStringLiteral(" — "),
                                         row.firstProblem)};
    }
    return std::nullopt;
}

QString AlertRulesModel::ruleTitle(int row) const
{
    const AlertRule& rule = m_rows[std::size_t(row)].rule;
    QString subject;
    switch (rule.scope) {
    case AlertScope::All:
        subject = tr("all positions");
        break;
    case AlertScope::Account:
        subject = rule.account.empty() ? tr("one account") : tr("account %1").arg(QString::fromStdString(rule.account));
        break;
    case AlertScope::Position:
        subject = rule.account.empty() || rule.symbol.empty()
                      ? tr("one position")
                      : tr("%1 in %2").arg(QString::fromStdString(rule.symbol), QString::fromStdString(rule.account));
        break;
    }
    return tr("Rule %1 (%2, %3)").arg(row + 1).arg(kindText(rule.kind), subject);
}

int AlertRulesModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AlertRulesModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(Count);
}

QVariant AlertRulesModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Row& row = m_rows[std::size_t(index.row())];
    const Cell& cell = row.cells[std::size_t(index.column())];
    const auto column = static_cast<Column>(index.column());
    switch (role) {
    case Qt::DisplayRole:
        return column == Enabled ? QVariant() : QVariant(cell.text);
    case Qt::EditRole:
        switch (column) {
        case Group:
            return static_cast<int>(groupOf(row.rule));
        case Kind:
            return static_cast<int>(row.rule.kind);
        case Unit:
            return cell.text;
        case Scope:
            return static_cast<int>(row.rule.scope);
        case Account:
            return QString::fromStdString(row.rule.account);
        case Symbol:
            return QString::fromStdString(row.rule.symbol);
        case Enabled:
            return row.rule.enabled;
        case Warning:
            return row.rule.warning ? QVariant(*row.rule.warning) : QVariant();
        case Critical:
            return row.rule.critical ? QVariant(*row.rule.critical) : QVariant();
        case Emergency:
            return row.rule.emergency ? QVariant(*row.rule.emergency) : QVariant();
        case Rearm:
            return row.rule.rearm;
        case Count:
            break;
        }
        return {};
    case Qt::CheckStateRole:
        return column == Enabled ? QVariant(row.rule.enabled ? Qt::Checked : Qt::Unchecked) : QVariant();
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
        if (!cell.problem.isEmpty()) {
            return problemBackground();
        }
        // The forecasts between the two others, faintly shaded: the table reads as three sections.
        return groupOf(row.rule) == AlertRuleGroup::Forecasts ? QVariant(QColor(255, 255, 255, 18)) : QVariant();
    case Qt::TextAlignmentRole:
        switch (column) {
        case Warning:
        case Critical:
        case Emergency:
        case Rearm:
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        case Enabled:
            return QVariant::fromValue(Qt::AlignCenter);
        case Group:
        case Kind:
        case Unit:
        case Scope:
        case Account:
        case Symbol:
        case Count:
            break;
        }
        return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    case CellProblemRole:
        return cell.problem;
    case RowProblemRole:
        return row.firstProblem;
    case GroupRole:
        return static_cast<int>(groupOf(row.rule));
    case UnitSuffixRole:
        return unitSuffix(row.rule.kind);
    default:
        return {};
    }
}

bool AlertRulesModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) ||
        !(flags(index) & (Qt::ItemIsEditable | Qt::ItemIsUserCheckable))) {
        return false;
    }
    AlertRule& rule = m_rows[std::size_t(index.row())].rule;
    const auto column = static_cast<Column>(index.column());
    /// A threshold: a number, or nothing (null, "", "off") for no such level.
    const auto threshold = [&value](std::optional<double>& into) {
        if (!value.isValid() || value.isNull()) {
            into.reset();
            return true;
        }
        if (value.typeId() == QMetaType::QString) {
            const QString text = value.toString().trimmed();
            if (text.isEmpty() || text.compare(tr("off"), Qt::CaseInsensitive) == 0) {
                into.reset();
                return true;
            }
            const std::optional<double> number = parseNumber(text);
            if (!number) {
                return false;
            }
            into = number;
            return true;
        }
        bool ok = false;
        const double number = value.toDouble(&ok);
        if (!ok || !std::isfinite(number)) {
            return false;
        }
        into = number;
        return true;
    };
    if (role == Qt::CheckStateRole) {
        if (column != Enabled) {
            return false;
        }
        rule.enabled = value.toInt() == Qt::Checked;
        update(index.row());
        return true;
    }
    if (role != Qt::EditRole) {
        return false;
    }
    switch (column) {
    case Kind: {
        bool ok = false;
        const int kind = value.toInt(&ok);
        if (!ok || kind < static_cast<int>(AlertRuleKind::Distance) || kind > static_cast<int>(AlertRuleKind::Stale)) {
            return false;
        }
        if (static_cast<AlertRuleKind>(kind) == rule.kind) {
            return true;
        }
        // Another kind measures in another unit: its own default thresholds, not numbers meant for the old one.
        const AlertRule defaults = defaultRule(static_cast<AlertRuleKind>(kind));
        rule.kind = defaults.kind;
        rule.warning = defaults.warning;
        rule.critical = defaults.critical;
        rule.emergency = defaults.emergency;
        rule.rearm = defaults.rearm;
        break;
    }
    case Scope: {
        bool ok = false;
        const int scope = value.toInt(&ok);
        if (!ok || scope < static_cast<int>(AlertScope::All) || scope > static_cast<int>(AlertScope::Position)) {
            return false;
        }
        rule.scope = static_cast<AlertScope>(scope);
        break;
    }
    case Account:
        rule.account = value.toString().trimmed().toStdString();
        break;
    case Symbol:
        rule.symbol = value.toString().trimmed().toStdString();
        break;
    case Enabled:
        rule.enabled = value.toBool();
        break;
    case Warning:
        if (!threshold(rule.warning)) {
            return false;
        }
        break;
    case Critical:
        if (!threshold(rule.critical)) {
            return false;
        }
        break;
    case Emergency:
        if (!threshold(rule.emergency)) {
            return false;
        }
        break;
    case Rearm: {
        std::optional<double> band;
        if (!threshold(band)) {
            return false;
        }
        rule.rearm = band.value_or(0.0); // empty: no band
        break;
    }
    case Group:
    case Unit:
    case Count:
        return false;
    }
    update(index.row());
    return true;
}

QVariant AlertRulesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical) {
        if (section < 0 || section >= rowCount()) {
            return {};
        }
        if (role == Qt::DisplayRole) {
            return section + 1;
        }
        if (role == Qt::ToolTipRole) {
            const QString& problem = m_rows[std::size_t(section)].firstProblem;
            return problem.isEmpty() ? QVariant() : QVariant(problem);
        }
        if (role == Qt::DecorationRole) {
            return m_rows[std::size_t(section)].firstProblem.isEmpty() ? QVariant() : QVariant(problemIcon());
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

Qt::ItemFlags AlertRulesModel::flags(const QModelIndex& index) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return Qt::NoItemFlags;
    }
    const Qt::ItemFlags base = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    const Row& row = m_rows[std::size_t(index.row())];
    switch (static_cast<Column>(index.column())) {
    case Group:
    case Unit:
        return base;
    case Enabled:
        return base | Qt::ItemIsUserCheckable;
    case Account:
    case Symbol:
        return row.cells[std::size_t(index.column())].used ? base | Qt::ItemIsEditable : base;
    case Kind:
    case Scope:
    case Warning:
    case Critical:
    case Emergency:
    case Rearm:
        return base | Qt::ItemIsEditable;
    case Count:
        break;
    }
    return base;
}

bool AlertRulesModel::removeRows(int row, int count, const QModelIndex& parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > rowCount()) {
        return false;
    }
    beginRemoveRows({}, row, row + count - 1);
    m_rows.erase(m_rows.begin() + row, m_rows.begin() + row + count);
    endRemoveRows();
    // The rules below are numbered one less: their titles (and refusals) change.
    if (row < rowCount()) {
        Q_EMIT headerDataChanged(Qt::Vertical, row, rowCount() - 1);
    }
    return true;
}

QHash<int, QByteArray> AlertRulesModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(CellProblemRole, "cellProblem");
    names.insert(RowProblemRole, "rowProblem");
    names.insert(GroupRole, "group");
    names.insert(UnitSuffixRole, "unitSuffix");
    return names;
}

} // namespace mm::ui
