#include "models/accounts_model.h"

#include "models/display_text.h"

#include "engine/risk_board.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mm::ui {

namespace {

constexpr double kNone = std::numeric_limits<double>::infinity(); ///< sorts after every number

QVariant sortNumber(double value)
{
    return std::isnan(value) ? QVariant(kNone) : QVariant(value);
}

QString accountKey(std::size_t account)
{
    return QString::number(account);
}

/// What every cell of an account's row needs.
struct AccountContext {
    const AccountLine& line;
    const PositionLine* worst; ///< null when no position has a liquidation price
    RiskLevel level;
    const AccountReadLine* read; ///< the account's REST reads; null for File accounts
    MonotonicTime takenAt;
};

/// The private stream's state in words, for the Source tooltip; empty where there is none.
QString streamText(const AccountReadLine& read)
{
    if (!read.stream) {
        return {};
    }
    const PrivateStreamStatus& stream = *read.stream;
    if (stream.ws.state == ConnectionState::Open && stream.authenticated && stream.subscribed) {
        return QStringLiteral("\nPrivate stream: live — fills and margin changes are read at once.");
    }
    return QStringLiteral("\nPrivate stream: %1%2.")
        .arg(QString::fromUtf8(connectionStateName(stream.ws.state).data()),
             stream.ws.lastError.empty() ? QString() : QStringLiteral(" (") + QString::fromStdString(stream.ws.lastError) + ")");
}

void describeSource(const AccountContext& context, BoardTableModel::Cell& cell)
{
    const AccountLine& line = context.line;
    if (line.source == AccountSource::File || context.read == nullptr) {
        cell.text = QStringLiteral("File / manual");
        cell.toolTip = QStringLiteral("Positions from a portfolio file or entered by hand: the exchange reports nothing.");
        return;
    }
    const AccountFeedStatus& status = context.read->status;
    const QString problem = QString::fromStdString(status.lastProblem);
    switch (status.state) {
    case AccountFeedStatus::State::Starting:
        cell.text = QStringLiteral("Reading…");
        cell.toolTip = QStringLiteral("The first read of the account from the exchange is under way.");
        return;
    case AccountFeedStatus::State::Ok:
        cell.text = line.reportedAt ? QStringLiteral("Read %1 ago").arg(formatAge(context.takenAt - *line.reportedAt))
                                    : QStringLiteral("Read");
        cell.toolTip = QStringLiteral("Positions and balances as the exchange reported them; read again every "
                                      "30–60 s and after every reconnect.") +
                       (problem.isEmpty() ? QString() : QStringLiteral("\n") + problem) + streamText(*context.read);
        return;
    case AccountFeedStatus::State::Retrying:
        cell.text = QStringLiteral("Retrying");
        cell.foreground = riskColour(RiskLevel::Caution);
        break;
    case AccountFeedStatus::State::RateLimited:
        cell.text = QStringLiteral("Rate limited");
        cell.foreground = riskColour(RiskLevel::Caution);
        break;
    case AccountFeedStatus::State::KeyRefused:
        cell.text = QStringLiteral("Key refused");
        cell.foreground = riskColour(RiskLevel::Due);
        break;
    }
    cell.toolTip = problem + (line.reportedAt ? QStringLiteral("\nLast read %1 ago.")
                                                     .arg(formatAge(context.takenAt - *line.reportedAt))
                                              : QStringLiteral("\nNothing read yet.")) +
                   streamText(*context.read);
}

BoardTableModel::Cell cellFor(AccountsModel::Column column, const AccountContext& context)
{
    const AccountLine& line = context.line;
    const AccountRisk& risk = line.risk;
    BoardTableModel::Cell cell;
    switch (column) {
    case AccountsModel::Exchange:
        cell.text = venueDisplayName(line.venue);
        cell.sortValue = cell.text;
        cell.toolTip = QString::fromStdString(std::string(venueName(line.venue)));
        break;
    case AccountsModel::Account:
        cell.text = QString::fromStdString(line.label);
        cell.sortValue = cell.text;
        break;
    case AccountsModel::Source:
        describeSource(context, cell);
        cell.sortValue = cell.text;
        break;
    case AccountsModel::Equity:
        cell.text = formatMoney(risk.marginBalance);
        cell.sortValue = risk.marginBalance.toDouble();
        cell.toolTip = QStringLiteral("Margin balance: wallet balance plus the cross positions' unrealised PnL.");
        break;
    case AccountsModel::WalletBalance:
        cell.text = formatMoney(risk.walletBalance);
        cell.sortValue = risk.walletBalance.toDouble();
        break;
    case AccountsModel::MaintenanceMargin:
        cell.text = formatMoney(risk.maintenanceMargin);
        cell.sortValue = risk.maintenanceMargin.toDouble();
        if (risk.requirement != risk.maintenanceMargin) {
            cell.toolTip = QStringLiteral("Liquidation is measured against %1, with the closing fee.")
                               .arg(formatMoney(risk.requirement));
        }
        break;
    case AccountsModel::MarginRatio:
        cell.text = formatRatio(risk.marginRatio);
        cell.sortValue = sortNumber(risk.marginRatio);
        if (std::isinf(risk.marginRatio)) {
            cell.toolTip = QStringLiteral("The margin balance is zero or negative: liquidation is due.");
        } else if (risk.liquidationDue) {
            cell.toolTip = QStringLiteral("Liquidation is due: the cross margin ratio is at or beyond 100%.");
        } else if (risk.nativeMarginRatio != risk.marginRatio && std::isfinite(risk.nativeMarginRatio)) {
            // OKX shows equity over requirement, the other way up.
            cell.toolTip = QStringLiteral("The cross margin's requirement over its balance; the exchange shows %1.")
                               .arg(formatPercent(risk.nativeMarginRatio * 100.0));
        } else {
            cell.toolTip = QStringLiteral("The cross margin's requirement over its balance; liquidation at 100%.");
        }
        if (line.exchange.marginRatio) {
            cell.toolTip += QStringLiteral(" The exchange reports %1 (its own ratio and direction).")
                                .arg(QString::fromStdString(line.exchange.marginRatio->toString()));
        }
        if (risk.liquidationDue) {
            cell.foreground = riskColour(RiskLevel::Due);
        }
        break;
    case AccountsModel::UnrealizedPnl:
        cell.text = formatSignedMoney(risk.unrealizedPnl);
        cell.sortValue = risk.unrealizedPnl.toDouble();
        cell.toolTip = QStringLiteral("Of the cross positions.");
        break;
    case AccountsModel::Positions:
        cell.text = QString::number(line.positions);
        cell.sortValue = double(line.positions);
        break;
    case AccountsModel::WorstPosition:
        cell.foreground = riskColour(context.level);
        if (context.worst) {
            const double distance = context.worst->risk.distanceToLiquidationPct.value_or(std::nan(""));
            cell.text =
                QStringLiteral("%1 %2").arg(QString::fromStdString(context.worst->symbol), formatPercent(distance));
            cell.sortValue = sortNumber(distance);
            cell.toolTip =
                QStringLiteral("The position nearest its liquidation: %1 away.").arg(formatPercent(distance));
        } else {
            cell.text = noValueText();
            cell.sortValue = kNone;
            cell.toolTip = QStringLiteral("No position has a liquidation price.");
        }
        break;
    case AccountsModel::Count:
        break;
    }
    return cell;
}

} // namespace

AccountsModel::AccountsModel(QObject* parent) : BoardTableModel(Count, parent) {}

int AccountsModel::rowOf(std::size_t account) const
{
    return rowOfKey(accountKey(account));
}

void AccountsModel::setBoard(const RiskBoard& board)
{
    std::vector<Row> rows;
    rows.reserve(board.accounts.size());
    for (const AccountLine& line : board.accounts) {
        // The worst of its positions' levels (Safe without positions); Due when the cross margin is.
        RiskLevel level = RiskLevel::Unknown;
        bool hasPositions = false;
        for (const PositionLine& position : board.positions) {
            if (position.account == line.account) {
                hasPositions = true;
                level = std::max(level, riskLevel(position.risk, position.feed));
            }
        }
        if (!hasPositions) {
            level = RiskLevel::Safe;
        }
        if (line.risk.liquidationDue) {
            level = RiskLevel::Due;
        }
        const PositionLine* worst = line.worstPosition && *line.worstPosition < board.positions.size()
                                        ? &board.positions[*line.worstPosition]
                                        : nullptr;
        const auto read = std::find_if(board.accountReads.begin(), board.accountReads.end(),
                                       [&](const AccountReadLine& reads) { return reads.account == line.account; });
        const AccountContext context{line, worst, level, read == board.accountReads.end() ? nullptr : &*read,
                                     board.takenAt};
        Row row;
        row.key = accountKey(line.account);
        row.riskLevel = level;
        row.distanceFraction = distanceFraction(worst ? worst->risk.distanceToLiquidationPct : std::nullopt);
        row.cells.reserve(Count);
        for (int column = 0; column < Count; ++column) {
            row.cells.push_back(cellFor(Column(column), context));
        }
        rows.push_back(std::move(row));
    }
    applyRows(std::move(rows));
}

QVariant AccountsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= Count) {
        return BoardTableModel::headerData(section, orientation, role);
    }
    if (role == Qt::TextAlignmentRole) {
        return int(columnAlignment(section));
    }
    if (role != Qt::DisplayRole) {
        return {};
    }
    switch (Column(section)) {
    case Exchange:
        return QStringLiteral("Exchange");
    case Account:
        return QStringLiteral("Account");
    case Source:
        return QStringLiteral("Source");
    case Equity:
        return QStringLiteral("Equity");
    case WalletBalance:
        return QStringLiteral("Wallet balance");
    case MaintenanceMargin:
        return QStringLiteral("Maintenance margin");
    case MarginRatio:
        return QStringLiteral("Margin ratio");
    case UnrealizedPnl:
        return QStringLiteral("Unrealised PnL");
    case Positions:
        return QStringLiteral("Positions");
    case WorstPosition:
        return QStringLiteral("Worst position");
    case Count:
        break;
    }
    return {};
}

Qt::Alignment AccountsModel::columnAlignment(int column) const
{
    switch (Column(column)) {
    case Exchange:
    case Account:
    case Source:
    case Count:
        return Qt::AlignLeft | Qt::AlignVCenter;
    case Equity:
    case WalletBalance:
    case MaintenanceMargin:
    case MarginRatio:
    case UnrealizedPnl:
    case Positions:
    case WorstPosition:
        return Qt::AlignRight | Qt::AlignVCenter;
    }
    return Qt::AlignLeft | Qt::AlignVCenter;
}

} // namespace mm::ui
