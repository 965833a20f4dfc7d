#include "models/board_table_model.h"

#include <QSet>

#include <algorithm>
#include <array>

namespace mm::ui {

namespace {

/// The roles a cell or row can change, in ascending order (dataChanged lists them in this order).
constexpr std::array<int, 6> kChangeableRoles{Qt::DisplayRole,
                                              Qt::ToolTipRole,
                                              Qt::ForegroundRole,
                                              BoardTableModel::SortRole,
                                              BoardTableModel::RiskLevelRole,
                                              BoardTableModel::DistanceFractionRole};
using RoleMask = unsigned;
constexpr RoleMask kDisplay = 1U << 0U;
constexpr RoleMask kToolTip = 1U << 1U;
constexpr RoleMask kForeground = 1U << 2U;
constexpr RoleMask kSort = 1U << 3U;
constexpr RoleMask kRiskLevel = 1U << 4U;
constexpr RoleMask kDistanceFraction = 1U << 5U;
constexpr RoleMask kRowRoles = kRiskLevel | kDistanceFraction; ///< the same in every column

QList<int> rolesOf(RoleMask mask)
{
    QList<int> roles;
    for (std::size_t bit = 0; bit < kChangeableRoles.size(); ++bit) {
        if ((mask & (1U << bit)) != 0) {
            roles.append(kChangeableRoles[bit]);
        }
    }
    return roles;
}

/// What changed in one row: the roles, and the columns they changed in.
struct RowChange {
    RoleMask roles = 0;
    int firstColumn = 0;
    int lastColumn = -1;

    [[nodiscard]] bool changed() const { return roles != 0; }
    void spanColumn(int column)
    {
        firstColumn = lastColumn < firstColumn ? column : std::min(firstColumn, column);
        lastColumn = std::max(lastColumn, column);
    }
};

RowChange compare(const auto& before, const auto& after, int columns)
{
    RowChange change;
    for (int column = 0; column < columns; ++column) {
        const auto& was = before.cells[std::size_t(column)];
        const auto& now = after.cells[std::size_t(column)];
        RoleMask cell = 0;
        cell |= was.text != now.text ? kDisplay : 0U;
        cell |= was.toolTip != now.toolTip ? kToolTip : 0U;
        cell |= was.foreground != now.foreground ? kForeground : 0U;
        cell |= was.sortValue != now.sortValue ? kSort : 0U;
        if (cell != 0) {
            change.roles |= cell;
            change.spanColumn(column);
        }
    }
    RoleMask row = 0;
    row |= before.riskLevel != after.riskLevel ? kRiskLevel : 0U;
    row |= before.distanceFraction != after.distanceFraction ? kDistanceFraction : 0U;
    if (row != 0) {
        change.roles |= row;
        change.firstColumn = 0;
        change.lastColumn = columns - 1;
    }
    return change;
}

} // namespace

BoardTableModel::BoardTableModel(int columns, QObject* parent) : QAbstractTableModel(parent), m_columns(columns) {}

int BoardTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int BoardTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_columns;
}

QVariant BoardTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.model() != this || index.row() >= int(m_rows.size()) || index.column() >= m_columns) {
        return {};
    }
    const Row& row = m_rows[std::size_t(index.row())];
    const Cell& cell = row.cells[std::size_t(index.column())];
    switch (role) {
    case Qt::DisplayRole:
        return cell.text;
    case Qt::ToolTipRole:
        return cell.toolTip.isEmpty() ? QVariant() : QVariant(cell.toolTip);
    case Qt::ForegroundRole:
        return cell.foreground.isValid() ? QVariant(cell.foreground) : QVariant();
    case Qt::TextAlignmentRole:
        return int(columnAlignment(index.column()));
    case SortRole:
        return cell.sortValue;
    case RiskLevelRole:
        return int(row.riskLevel);
    case DistanceFractionRole:
        return row.distanceFraction ? QVariant(*row.distanceFraction) : QVariant();
    case KeyRole:
        return row.key;
    default:
        return {};
    }
}

Qt::ItemFlags BoardTableModel::flags(const QModelIndex& index) const
{
    const Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    return index.isValid() ? flags | Qt::ItemNeverHasChildren : flags;
}

QHash<int, QByteArray> BoardTableModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(SortRole, "sortValue");
    names.insert(RiskLevelRole, "riskLevel");
    names.insert(DistanceFractionRole, "distanceFraction");
    names.insert(KeyRole, "key");
    return names;
}

int BoardTableModel::rowOfKey(const QString& key) const
{
    const auto found = std::find_if(m_rows.begin(), m_rows.end(), [&](const Row& row) { return row.key == key; });
    return found == m_rows.end() ? -1 : int(found - m_rows.begin());
}

void BoardTableModel::applyRows(std::vector<Row> rows)
{
    const bool sameKeys = std::equal(m_rows.begin(), m_rows.end(), rows.begin(), rows.end(),
                                     [](const Row& a, const Row& b) { return a.key == b.key; });
    if (!sameKeys && !reshape(rows)) {
        beginResetModel();
        m_rows = std::move(rows);
        endResetModel();
        return;
    }
    update(rows);
}

bool BoardTableModel::reshape(const std::vector<Row>& rows)
{
    QSet<QString> oldKeys;
    QSet<QString> newKeys;
    for (const Row& row : m_rows) {
        oldKeys.insert(row.key);
    }
    for (const Row& row : rows) {
        newKeys.insert(row.key);
    }
    if (qsizetype(rows.size()) != newKeys.size() || qsizetype(m_rows.size()) != oldKeys.size()) {
        return false; // duplicate keys: rows cannot be matched
    }
    // The rows both boards have must keep their order, and there must be some when both have rows:
    // otherwise the table is a new one.
    std::vector<QString> keptBefore;
    std::vector<QString> keptAfter;
    for (const Row& row : m_rows) {
        if (newKeys.contains(row.key)) {
            keptBefore.push_back(row.key);
        }
    }
    for (const Row& row : rows) {
        if (oldKeys.contains(row.key)) {
            keptAfter.push_back(row.key);
        }
    }
    if (keptBefore != keptAfter || (keptBefore.empty() && !m_rows.empty() && !rows.empty())) {
        return false;
    }

    // Removals, one contiguous run at a time from the bottom (so that indexes above stay valid).
    for (int last = int(m_rows.size()) - 1; last >= 0;) {
        if (newKeys.contains(m_rows[std::size_t(last)].key)) {
            --last;
            continue;
        }
        int first = last;
        while (first > 0 && !newKeys.contains(m_rows[std::size_t(first - 1)].key)) {
            --first;
        }
        beginRemoveRows({}, first, last);
        m_rows.erase(m_rows.begin() + first, m_rows.begin() + last + 1);
        endRemoveRows();
        last = first - 1;
    }
    // Insertions, one contiguous run at a time from the top; the new rows come with their content.
    for (std::size_t at = 0; at < rows.size();) {
        if (at < m_rows.size() && m_rows[at].key == rows[at].key) {
            ++at;
            continue;
        }
        std::size_t end = at;
        while (end < rows.size() && !oldKeys.contains(rows[end].key)) {
            ++end;
        }
        beginInsertRows({}, int(at), int(end) - 1);
        m_rows.insert(m_rows.begin() + std::ptrdiff_t(at), rows.begin() + std::ptrdiff_t(at),
                      rows.begin() + std::ptrdiff_t(end));
        endInsertRows();
        at = end;
    }
    return true;
}

void BoardTableModel::update(std::vector<Row>& rows)
{
    std::vector<RowChange> changes(rows.size());
    std::size_t changedRows = 0;
    RowChange all;
    for (std::size_t row = 0; row < rows.size(); ++row) {
        changes[row] = compare(m_rows[row], rows[row], m_columns);
        if (changes[row].changed()) {
            ++changedRows;
            all.roles |= changes[row].roles;
            m_rows[row] = std::move(rows[row]);
        }
    }
    if (changedRows == 0) {
        return;
    }
    if (changedRows * 2 > m_rows.size()) {
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, m_columns - 1), rolesOf(all.roles));
        return;
    }
    for (std::size_t first = 0; first < changes.size();) {
        if (!changes[first].changed()) {
            ++first;
            continue;
        }
        RowChange run = changes[first];
        std::size_t last = first;
        while (last + 1 < changes.size() && changes[last + 1].changed()) {
            ++last;
            run.roles |= changes[last].roles;
            run.firstColumn = std::min(run.firstColumn, changes[last].firstColumn);
            run.lastColumn = std::max(run.lastColumn, changes[last].lastColumn);
        }
        Q_EMIT dataChanged(index(int(first), run.firstColumn), index(int(last), run.lastColumn), rolesOf(run.roles));
        first = last + 1;
    }
}

} // namespace mm::ui
