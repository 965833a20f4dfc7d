#include "notify/alert_list_model.h"

#include "notify/alert_text.h"

#include <QColor>

namespace mm::ui {

AlertListModel::AlertListModel(QObject* parent) : QAbstractTableModel(parent) {}

int AlertListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AlertListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : Count;
}

Qt::ItemFlags AlertListModel::flags(const QModelIndex& index) const
{
    // Enabled (clickable: the row shows its position, Ack acknowledges it), never selectable: a selection would stay on a rank whose
    // position changes with the next alert.
    return index.isValid() ? Qt::ItemIsEnabled : Qt::NoItemFlags;
}

QVariant AlertListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (Column(section)) {
    case Level:
        return tr("Level");
    case Position:
        return tr("Position");
    case Distance:
        return tr("Distance");
    case Reasons:
        return tr("Why");
    case Acknowledge:
        return QString();
    case Count:
        break;
    }
    return {};
}

QVariant AlertListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount()) {
        return {};
    }
    const Row& row = m_rows[std::size_t(index.row())];
    switch (role) {
    case KeyRole:
        return QVariant::fromValue(row.key);
    case LevelRole:
        return int(row.level);
    case AnsweredRole:
        return row.answered;
    case EpisodeRole:
        return QVariant::fromValue<quint64>(row.episode);
    case Qt::ToolTipRole:
        return row.toolTip;
    case Qt::ForegroundRole:
        if (row.answered) {
            return QColor(0x80, 0x80, 0x80);
        }
        return index.column() == Level ? QVariant(alertLevelColour(row.level)) : QVariant();
    case Qt::TextAlignmentRole:
        return index.column() == Distance ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter))
               : index.column() == Acknowledge ? QVariant(int(Qt::AlignCenter))
                                          : QVariant(int(Qt::AlignLeft | Qt::AlignVCenter));
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case Level:
            return row.levelText;
        case Position:
            return row.position;
        case Distance:
            return row.distance;
        case Reasons:
            return row.reasons;
        case Acknowledge:
            return tr("Ack");
        case Count:
            break;
        }
        return {};
    default:
        return {};
    }
}

void AlertListModel::setRows(std::vector<Row> rows)
{
    const int before = int(m_rows.size());
    const int after = int(rows.size());
    const int common = std::min(before, after);
    if (after < before) {
        beginRemoveRows({}, after, before - 1);
        m_rows.resize(std::size_t(after));
        endRemoveRows();
    }
    // The rows both have: compare, keep the changed ones' ranges.
    std::vector<std::pair<int, int>> ranges;
    int changed = 0;
    for (int i = 0; i < common; ++i) {
        Row& mine = m_rows[std::size_t(i)];
        Row& theirs = rows[std::size_t(i)];
        if (mine == theirs) {
            continue;
        }
        mine = std::move(theirs);
        ++changed;
        if (!ranges.empty() && ranges.back().second == i - 1) {
            ranges.back().second = i;
        } else {
            ranges.emplace_back(i, i);
        }
    }
    if (changed * 2 > common && ranges.size() > 1) {
        emitChanged(ranges.front().first, ranges.back().second); // one emit for most of the list
    } else {
        for (const auto& [first, last] : ranges) {
            emitChanged(first, last);
        }
    }
    if (after > before) {
        beginInsertRows({}, before, after - 1);
        for (int i = before; i < after; ++i) {
            m_rows.push_back(std::move(rows[std::size_t(i)]));
        }
        endInsertRows();
    }
}

void AlertListModel::emitChanged(int first, int last)
{
    Q_EMIT dataChanged(index(first, 0), index(last, Count - 1));
}

} // namespace mm::ui
