#include "models/positions_model.h"

#include "models/position_cells.h"
#include "models/risk_history.h"

#include "engine/risk_board.h"

#include <QString>

#include <algorithm>
#include <array>
#include <bitset>

namespace mm::ui {

/// One position's row: the figures of the latest board, and the text of its cells as far as a view
/// has asked for it. Writing every cell's text on every board cost more than everything else the GUI
/// thread does, for rows mostly off screen; a text is now written once and kept while its figures stay.
struct PositionsModel::PositionRow {
    explicit PositionRow(PositionFigures first) : figures(std::move(first)) {}

    /// Takes a later board's figures; says what changed, and forgets the texts that did.
    RowChange show(PositionFigures next)
    {
        RowChange change;
        for (int column = 0; column < Count; ++column) {
            const RoleMask roles = changedRoles(Column(column), figures, next);
            change.addCell(column, roles);
            if ((roles & kDisplay) != 0) {
                written.reset(std::size_t(column));
            }
        }
        change.addRow(Count, changedRowRoles(figures, next));
        figures = std::move(next);
        return change;
    }

    /// The cell's text, written on the first ask after a change (data() is const; the text is a cache).
    const QString& text(Column column) const
    {
        const auto at = std::size_t(column);
        if (!written.test(at)) {
            texts[at] = cellText(column, figures);
            written.set(at);
        }
        return texts[at];
    }

    [[nodiscard]] std::size_t account() const { return figures.line.account; }
    [[nodiscard]] std::size_t position() const { return figures.line.position; }

    PositionFigures figures;
    mutable std::array<QString, Count> texts;
    mutable std::bitset<Count> written; ///< which of `texts` are those of `figures`
};

PositionsModel::PositionsModel(QObject* parent) : BoardTableBase(Count, parent) {}

PositionsModel::~PositionsModel() = default;

QString PositionsModel::positionKey(std::size_t account, std::size_t position)
{
    return QStringLiteral("%1:%2").arg(account).arg(position);
}

int PositionsModel::rowOf(std::size_t account, std::size_t position) const
{
    const auto found = std::find_if(m_rows.begin(), m_rows.end(), [&](const PositionRow& row) {
        return row.account() == account && row.position() == position;
    });
    return found == m_rows.end() ? -1 : int(found - m_rows.begin());
}

int PositionsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QModelIndex PositionsModel::index(int row, int column, const QModelIndex& parent) const
{
    // QAbstractTableModel's asks rowCount() and columnCount() (virtual) each time; the proxy sorting
    // the table by distance asks for some 40,000 indexes per board.
    const bool inside = !parent.isValid() && row >= 0 && column >= 0 && row < int(m_rows.size()) && column < Count;
    return inside ? createIndex(row, column) : QModelIndex();
}

void PositionsModel::setBoard(const RiskBoard& board)
{
    if (!holdsPositionsOf(board)) {
        reshapeTo(board);
    }
    std::vector<RowChange> changes(m_rows.size());
    for (std::size_t row = 0; row < m_rows.size(); ++row) {
        PositionRow& shown = m_rows[row];
        changes[row] = shown.show(PositionFigures(board.positions[row], board.takenAt, &shown.figures));
    }
    signalChanges(changes);
}

bool PositionsModel::holdsPositionsOf(const RiskBoard& board) const
{
    return std::equal(m_rows.begin(), m_rows.end(), board.positions.begin(), board.positions.end(),
                      [](const PositionRow& row, const PositionLine& line) {
                          return row.account() == line.account && row.position() == line.position;
                      });
}

void PositionsModel::reshapeTo(const RiskBoard& board)
{
    std::vector<PositionRow> rows;
    rows.reserve(board.positions.size());
    for (const PositionLine& line : board.positions) {
        rows.emplace_back(PositionFigures(line, board.takenAt));
    }
    const auto keyOf = [](const PositionRow& row) { return positionKey(row.account(), row.position()); };
    if (!reshape(m_rows, rows, keyOf)) {
        beginResetModel();
        m_rows = std::move(rows);
        endResetModel();
    }
}

QVariant PositionsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.model() != this || index.row() >= int(m_rows.size()) || index.column() >= Count) {
        return {};
    }
    const PositionRow& row = m_rows[std::size_t(index.row())];
    const auto column = Column(index.column());
    switch (role) {
    case Qt::DisplayRole:
        return row.text(column);
    case Qt::ToolTipRole: {
        const QString tip = cellToolTip(column, row.figures);
        return tip.isEmpty() ? QVariant() : QVariant(tip);
    }
    case Qt::ForegroundRole: {
        const QColor colour = cellForeground(column, row.figures);
        return colour.isValid() ? QVariant(colour) : QVariant();
    }
    case Qt::TextAlignmentRole:
        return int(columnAlignment(column));
    case SortRole: {
        const std::optional<double> number = cellSortNumber(column, row.figures);
        return number ? QVariant(*number) : QVariant(row.text(column));
    }
    case RiskLevelRole:
        return int(row.figures.level);
    case DistanceFractionRole:
        return distanceFraction(row.figures.line.risk.distanceToLiquidationPct);
    case KeyRole:
        return positionKey(row.account(), row.position());
    case PositionKeyRole:
        return QVariant::fromValue(PositionKey{row.account(), row.position()});
    default:
        return {};
    }
}

std::optional<double> PositionsModel::sortNumber(int row, int column) const
{
    if (row < 0 || std::size_t(row) >= m_rows.size() || column < 0 || column >= Count) {
        return std::nullopt;
    }
    return cellSortNumber(static_cast<Column>(column), m_rows[std::size_t(row)].figures);
}

QVariant PositionsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= Count) {
        return BoardTableBase::headerData(section, orientation, role);
    }
    if (role == Qt::TextAlignmentRole) {
        return int(columnAlignment(section));
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) {
        return {};
    }
    const bool tip = role == Qt::ToolTipRole;
    switch (Column(section)) {
    case Exchange:
        return tip ? QVariant() : QStringLiteral("Exchange");
    case Account:
        return tip ? QVariant() : QStringLiteral("Account");
    case Symbol:
        return tip ? QVariant() : QStringLiteral("Symbol");
    case Side:
        return tip ? QVariant() : QStringLiteral("Side");
    case Size:
        return tip ? QStringLiteral("Quantity in base units") : QStringLiteral("Size");
    case Entry:
        return tip ? QStringLiteral("Entry price") : QStringLiteral("Entry");
    case Mark:
        return tip ? QStringLiteral("The exchange's mark price: all risk is measured here") : QStringLiteral("Mark");
    case LiquidationPrice:
        return tip ? QStringLiteral("Liquidation price, computed at the mark from the exchange's rules")
                   : QStringLiteral("Liquidation");
    case ExchangeLiquidationPrice:
        return tip ? QStringLiteral("The exchange's own liquidation price, from its latest account read; "
                                    "≠ where it diverges from the computed one")
                   : QStringLiteral("Exchange liq.");
    case Distance:
        return tip ? QStringLiteral("Price move to liquidation, in % of the mark") : QStringLiteral("Distance");
    case MarginRatio:
        return tip ? QStringLiteral("Maintenance requirement over margin balance; liquidation at 100%")
                   : QStringLiteral("Margin ratio");
    case UnrealizedPnl:
        return tip ? QStringLiteral("Unrealised profit and loss at the mark") : QStringLiteral("Unrealised PnL");
    case Leverage:
        return tip ? QStringLiteral("As set on the exchange, else the effective one (≈)") : QStringLiteral("Leverage");
    case MarginMode:
        return tip ? QVariant() : QStringLiteral("Margin mode");
    case DataAge:
        return tip ? QStringLiteral("Age of the latest mark price") : QStringLiteral("Data age");
    case Count:
        break;
    }
    return {};
}

QHash<int, QByteArray> PositionsModel::roleNames() const
{
    QHash<int, QByteArray> names = BoardTableBase::roleNames();
    names.insert(PositionKeyRole, "positionKey");
    return names;
}

Qt::Alignment PositionsModel::columnAlignment(int column) const
{
    switch (Column(column)) {
    case Exchange:
    case Account:
    case Symbol:
    case Side:
    case MarginMode:
    case Count:
        return Qt::AlignLeft | Qt::AlignVCenter;
    case Size:
    case Entry:
    case Mark:
    case LiquidationPrice:
    case ExchangeLiquidationPrice:
    case Distance:
    case MarginRatio:
    case UnrealizedPnl:
    case Leverage:
    case DataAge:
        return Qt::AlignRight | Qt::AlignVCenter;
    }
    return Qt::AlignLeft | Qt::AlignVCenter;
}

} // namespace mm::ui
