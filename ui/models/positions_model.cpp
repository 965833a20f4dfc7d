#include "models/positions_model.h"

#include "models/display_text.h"
#include "models/risk_history.h"

#include "engine/risk_board.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace mm::ui {

namespace {

constexpr double kNone = std::numeric_limits<double>::infinity(); ///< sorts after every number

/// A number for SortRole: NaN (which never equals itself, and would count as a change on every
/// board) sorts with "none".
QVariant sortNumber(double value)
{
    return std::isnan(value) ? QVariant(kNone) : QVariant(value);
}

QString text(const std::string& value)
{
    return QString::fromStdString(value);
}

QString noLiquidationPriceTip()
{
    return QStringLiteral("No liquidation price: no price liquidates this position.");
}

/// What every cell of a line needs, worked out once per line.
struct LineContext {
    const PositionLine& line;
    RiskLevel level;
    int priceDecimals;
    std::chrono::nanoseconds age;
    bool hasMark; ///< a mark has arrived from the feed
};

QString sideText(const PositionLine& line)
{
    QString side = line.side == Side::Long ? QStringLiteral("Long") : QStringLiteral("Short");
    switch (line.positionSide) {
    case PositionSide::Both:
        break;
    case PositionSide::Long:
    case PositionSide::Short:
        side += QStringLiteral(" (hedge)");
        break;
    }
    return side;
}

QString markToolTip(const LineContext& context)
{
    switch (context.line.feed) {
    case FeedState::Waiting:
        return QStringLiteral("No live mark price yet: this is the portfolio's.");
    case FeedState::Fresh:
        return {};
    case FeedState::Stale:
        return context.hasMark ? QStringLiteral("Stale: no mark price for %1; it may no longer be true.")
                                     .arg(formatAge(context.age))
                               : QStringLiteral("Stale: no mark price has arrived; this is the portfolio's.");
    }
    return {};
}

BoardTableModel::Cell dataAgeCell(const LineContext& context)
{
    BoardTableModel::Cell cell;
    const QString age = formatAge(context.age);
    switch (context.line.feed) {
    case FeedState::Waiting:
        cell.text = QStringLiteral("waiting");
        cell.sortValue = kNone;
        cell.toolTip = QStringLiteral("Waiting for the first mark price; the figures use the portfolio's mark.");
        cell.foreground = riskColour(RiskLevel::Unknown);
        break;
    case FeedState::Fresh:
        cell.text = age;
        cell.sortValue = ageSeconds(context.age);
        cell.toolTip =
            QStringLiteral("Last mark price %1 before this update (%2 received).").arg(age).arg(context.line.ticks);
        break;
    case FeedState::Stale:
        cell.text = context.hasMark ? QStringLiteral("STALE %1").arg(age) : QStringLiteral("STALE, no mark");
        cell.sortValue = context.hasMark ? QVariant(ageSeconds(context.age)) : QVariant(kNone);
        cell.toolTip = context.hasMark
                           ? QStringLiteral("Stale: no mark price for %1. The figures may no longer be true.").arg(age)
                           : QStringLiteral("Stale: no mark price has arrived. The figures use the portfolio's mark.");
        cell.foreground = riskColour(RiskLevel::Caution);
        break;
    }
    return cell;
}

BoardTableModel::Cell cellFor(PositionsModel::Column column, const LineContext& context)
{
    const PositionLine& line = context.line;
    const PositionRisk& risk = line.risk;
    BoardTableModel::Cell cell;
    switch (column) {
    case PositionsModel::Exchange:
        cell.text = venueDisplayName(line.venue);
        cell.sortValue = cell.text;
        cell.toolTip = text(std::string(venueName(line.venue)));
        break;
    case PositionsModel::Account:
        cell.text = text(line.accountLabel);
        cell.sortValue = cell.text;
        break;
    case PositionsModel::Symbol:
        cell.text = text(line.symbol);
        cell.sortValue = cell.text;
        break;
    case PositionsModel::Side:
        cell.text = sideText(line);
        cell.sortValue = cell.text;
        if (line.positionSide != PositionSide::Both) {
            cell.toolTip = QStringLiteral("A leg of a hedge-mode position: long and short held side by side.");
        }
        break;
    case PositionsModel::Size:
        cell.text = text(line.quantity.toString());
        cell.sortValue = line.quantity.toDouble();
        break;
    case PositionsModel::Entry:
        cell.text = formatPrice(line.entryPrice, context.priceDecimals);
        cell.sortValue = line.entryPrice.toDouble();
        break;
    case PositionsModel::Mark:
        cell.text = formatPrice(line.markPrice, context.priceDecimals);
        cell.sortValue = line.markPrice.toDouble();
        cell.toolTip = markToolTip(context);
        break;
    case PositionsModel::LiquidationPrice:
        if (risk.liquidationPrice) {
            cell.text = formatPrice(*risk.liquidationPrice, context.priceDecimals);
            cell.sortValue = sortNumber(*risk.liquidationPrice);
            cell.toolTip = risk.liquidationDue
                               ? QStringLiteral("Liquidation is due now: the margin ratio is at or beyond 100%.")
                               : QStringLiteral("Computed at the mark from the exchange's margin rules.");
        } else {
            cell.text = noValueText();
            cell.sortValue = kNone;
            cell.toolTip = noLiquidationPriceTip();
        }
        break;
    case PositionsModel::Distance:
        cell.foreground = riskColour(context.level);
        if (risk.distanceToLiquidationPct) {
            cell.text = formatPercent(*risk.distanceToLiquidationPct);
            cell.sortValue = sortNumber(*risk.distanceToLiquidationPct);
            cell.toolTip =
                QStringLiteral("%1: a move of %2 in price to liquidation.")
                    .arg(riskLevelName(context.level),
                         formatPrice(risk.distanceToLiquidation.value_or(std::nan("")), context.priceDecimals));
        } else {
            cell.text = noValueText();
            cell.sortValue = kNone;
            cell.toolTip = noLiquidationPriceTip();
        }
        if (line.feed == FeedState::Stale) {
            cell.toolTip += QStringLiteral(" The feed is stale.");
        }
        break;
    case PositionsModel::MarginRatio:
        cell.text = formatRatio(risk.marginRatio);
        cell.sortValue = sortNumber(risk.marginRatio);
        if (std::isinf(risk.marginRatio)) {
            cell.toolTip = QStringLiteral("The margin balance is zero or negative: liquidation is due.");
        } else {
            switch (line.marginMode) {
            case MarginMode::Cross:
                cell.toolTip = QStringLiteral(
                    "The account's cross margin ratio, shared by its cross positions; liquidation at 100%.");
                break;
            case MarginMode::Isolated:
                cell.toolTip = QStringLiteral("This isolated position's margin ratio; liquidation at 100%.");
                break;
            }
        }
        break;
    case PositionsModel::UnrealizedPnl:
        cell.text = formatSignedMoney(risk.unrealizedPnl);
        cell.sortValue = risk.unrealizedPnl.toDouble();
        break;
    case PositionsModel::Leverage:
        if (line.leverage) {
            cell.text = text(line.leverage->toString()) + QStringLiteral("×");
            cell.sortValue = line.leverage->toDouble();
            cell.toolTip =
                line.effectiveLeverage
                    ? QStringLiteral("As set on the exchange; effective ≈%1×.").arg(*line.effectiveLeverage, 0, 'f', 1)
                    : QStringLiteral("As set on the exchange.");
        } else if (line.effectiveLeverage) {
            cell.text = QStringLiteral("≈%1×").arg(*line.effectiveLeverage, 0, 'f', 1);
            cell.sortValue = sortNumber(*line.effectiveLeverage);
            cell.toolTip = QStringLiteral("Effective: the notional over the margin carrying the position.");
        } else {
            cell.text = noValueText();
            cell.sortValue = kNone;
            cell.toolTip = QStringLiteral("The margin carrying this position is gone.");
        }
        break;
    case PositionsModel::MarginMode:
        switch (line.marginMode) {
        case MarginMode::Cross:
            cell.text = QStringLiteral("Cross");
            break;
        case MarginMode::Isolated:
            cell.text = QStringLiteral("Isolated");
            break;
        }
        cell.sortValue = cell.text;
        break;
    case PositionsModel::DataAge:
        cell = dataAgeCell(context);
        break;
    case PositionsModel::Count:
        break;
    }
    return cell;
}

} // namespace

PositionsModel::PositionsModel(QObject* parent) : BoardTableModel(Count, parent) {}

QString PositionsModel::positionKey(std::size_t account, std::size_t position)
{
    return QStringLiteral("%1:%2").arg(account).arg(position);
}

int PositionsModel::rowOf(std::size_t account, std::size_t position) const
{
    return rowOfKey(positionKey(account, position));
}

namespace {

/// The columns whose text depends only on what is held, not on the mark: kept from the last board
/// while the position is the same, so that a board formats only what moves.
constexpr std::array kHoldingColumns{PositionsModel::Exchange, PositionsModel::Account, PositionsModel::Symbol,
                                     PositionsModel::Side,     PositionsModel::Size,    PositionsModel::Entry,
                                     PositionsModel::MarginMode};

bool isHoldingColumn(int column)
{
    return std::find(kHoldingColumns.begin(), kHoldingColumns.end(), column) != kHoldingColumns.end();
}

} // namespace

bool PositionsModel::Holding::sameAs(const PositionLine& line, int decimals) const
{
    return account == line.account && position == line.position && venue == line.venue && side == line.side &&
           positionSide == line.positionSide && marginMode == line.marginMode && quantity == line.quantity &&
           entryPrice == line.entryPrice && priceDecimals == decimals && symbol == line.symbol &&
           accountLabel == line.accountLabel;
}

void PositionsModel::setBoard(const RiskBoard& board)
{
    std::vector<Row> rows;
    rows.reserve(board.positions.size());
    std::vector<Holding> holdings;
    holdings.reserve(board.positions.size());
    for (std::size_t index = 0; index < board.positions.size(); ++index) {
        const PositionLine& line = board.positions[index];
        const double magnitude = line.markPrice.isZero() ? line.entryPrice.toDouble() : line.markPrice.toDouble();
        const LineContext context{line, riskLevel(line.risk, line.feed), priceDecimals(line.tickSize, magnitude),
                                  board.takenAt - line.lastTickAt, line.ticks > 0};
        // The same position in the same row as on the last board: its key and holding cells stay.
        const bool same = index < m_holdings.size() && int(index) < rowCount() &&
                          m_holdings[index].sameAs(line, context.priceDecimals);
        Row row;
        if (same) {
            const Row& previous = rowAt(int(index));
            row.key = previous.key;
            row.typedKey = previous.typedKey;
        } else {
            row.key = positionKey(line.account, line.position);
            row.typedKey = QVariant::fromValue(PositionKey{line.account, line.position});
        }
        row.riskLevel = context.level;
        row.distanceFraction = distanceFraction(line.risk.distanceToLiquidationPct);
        row.cells.reserve(Count);
        for (int column = 0; column < Count; ++column) {
            row.cells.push_back(same && isHoldingColumn(column) ? rowAt(int(index)).cells[std::size_t(column)]
                                                                : cellFor(Column(column), context));
        }
        rows.push_back(std::move(row));
        holdings.push_back({line.account, line.position, line.venue, line.side, line.positionSide, line.marginMode,
                            line.quantity, line.entryPrice, context.priceDecimals, line.symbol, line.accountLabel});
    }
    applyRows(std::move(rows));
    m_holdings = std::move(holdings);
}

QVariant PositionsModel::data(const QModelIndex& index, int role) const
{
    if (role == PositionKeyRole) {
        return checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)
                   ? rowAt(index.row()).typedKey
                   : QVariant();
    }
    return BoardTableModel::data(index, role);
}

QVariant PositionsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= Count) {
        return BoardTableModel::headerData(section, orientation, role);
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
    QHash<int, QByteArray> names = BoardTableModel::roleNames();
    names.insert(PositionKeyRole, "positionKey");
    names.insert(ExchangeLiquidationPriceRole, "exchangeLiquidationPrice");
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
