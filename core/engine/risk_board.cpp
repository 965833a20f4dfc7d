#include "engine/risk_board.h"

#include "engine/live_monitor.h"

#include <cmath>
#include <map>

namespace mm {

namespace {

std::optional<double> effectiveLeverage(const Position& position, const PositionRisk& risk, const AccountRisk& account)
{
    Decimal margin = account.marginBalance;
    if (position.marginMode == MarginMode::Isolated) {
        const Decimal set = position.isolatedMargin.value_or(
            position.leverage && position.leverage->isPositive() ? position.notionalAt(position.entryPrice) / *position.leverage : Decimal());
        margin = set + risk.unrealizedPnl;
    }
    if (!margin.isPositive()) {
        return std::nullopt;
    }
    return risk.notional.toDouble() / margin.toDouble();
}

bool liquidationDiverges(const PositionLine& row, const ExchangeFigures& exchange)
{
    if (!exchange.liquidationPrice || !exchange.computedAtRead || !row.markPrice.isPositive()) {
        return false;
    }
    const double apart = std::fabs(*exchange.computedAtRead - exchange.liquidationPrice->toDouble());
    return apart > kLiquidationDivergenceOfMark * row.markPrice.toDouble();
}

} // namespace

RiskBoard takeRiskBoard(const Monitor& monitor, const LiveMonitor* live, MonotonicTime now, std::uint64_t sequence)
{
    RiskBoard board;
    board.takenAt = now;
    board.sequence = sequence;
    std::map<std::pair<Venue, std::string>, FeedStatus> feeds;
    for (FeedStatus& status : monitor.feeds()) {
        feeds.emplace(std::pair(status.venue, status.symbol), std::move(status));
    }
    for (std::size_t account = 0; account < monitor.accountCount(); ++account) {
        const Portfolio& portfolio = monitor.portfolio(account);
        const PortfolioRisk risk = monitor.evaluate(account);
        AccountLine line;
        line.account = account;
        line.venue = portfolio.account.venue;
        line.label = portfolio.account.label;
        line.risk = risk.account;
        line.source = monitor.source(account);
        line.exchange = monitor.exchangeAccountFigures(account);
        line.reportedAt = monitor.reportedAt(account);
        line.positions = portfolio.positions.size();
        std::optional<double> worstDistance;
        for (std::size_t index = 0; index < portfolio.positions.size(); ++index) {
            const Position& position = portfolio.positions[index];
            PositionLine row;
            row.account = account;
            row.position = index;
            row.venue = portfolio.account.venue;
            row.accountLabel = portfolio.account.label;
            row.symbol = position.symbol;
            row.side = position.side;
            row.positionSide = position.positionSide;
            row.marginMode = position.marginMode;
            row.quantity = position.quantity;
            row.entryPrice = position.entryPrice;
            row.markPrice = position.markPrice;
            row.tickSize = position.instrument ? position.instrument->tickSize : Decimal();
            row.leverage = position.leverage;
            row.risk = risk.positions.at(index);
            row.effectiveLeverage = effectiveLeverage(position, row.risk, risk.account);
            row.source = line.source;
            if (const auto& exchange = monitor.exchangeFigures(account); index < exchange.size()) {
                row.exchangeLiquidationPrice = exchange[index].liquidationPrice;
                row.exchangeMarginRatio = exchange[index].marginRatio;
                row.liquidationDiverges = liquidationDiverges(row, exchange[index]);
            }
            if (const auto feed = feeds.find(std::pair(row.venue, row.symbol)); feed != feeds.end()) {
                row.feed = feed->second.state;
                row.lastTickAt = feed->second.lastTickAt;
                row.ticks = feed->second.ticks;
            }
            if (const auto distance = row.risk.distanceToLiquidationPct; distance && (!worstDistance || *distance < *worstDistance)) {
                worstDistance = distance;
                line.worstPosition = board.positions.size();
            }
            board.positions.push_back(std::move(row));
        }
        board.accounts.push_back(std::move(line));
    }
    if (live) {
        board.accountReads = live->accountReads();
        const auto counters = live->counters();
        for (const auto& [venue, connection] : live->connections()) {
            ConnectionLine line;
            line.venue = venue;
            line.connection = connection;
            for (const auto& [counted, values] : counters) {
                if (counted == venue) {
                    line.counters = values;
                }
            }
            board.connections.push_back(std::move(line));
        }
    }
    return board;
}

} // namespace mm
