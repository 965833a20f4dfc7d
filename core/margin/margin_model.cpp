#include "margin/margin_model.h"

#include "margin/bybit_linear_model.h"
#include "margin/liquidation_solver.h"
#include "margin/okx_swap_model.h"

#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

namespace mm {
namespace {

LiquidationLeg legOf(const Position& position, const Decimal& closingFeeRate)
{
    return {direction(position.side), position.quantity, position.instrument.get(), closingFeeRate};
}

/// What each position adds to the requirement at its mark: its maintenance margin plus the
/// closing fee where the venue counts it.
struct PositionFigures {
    Decimal requirement;
    Decimal closingFeeRate;
};

} // namespace

std::unique_ptr<MarginModel> MarginModel::forVenue(Venue venue)
{
    switch (venue) {
    case Venue::BybitLinear:
        return std::make_unique<BybitLinearModel>();
    case Venue::OkxSwap:
        return std::make_unique<OkxSwapModel>();
    case Venue::BinanceUsdm:
    case Venue::Hyperliquid: // MMR = 1/(2·max leverage) comes in through the instrument's tier
    case Venue::Generic:
        return std::make_unique<MarginModel>();
    }
    throw std::invalid_argument("unknown venue");
}

PortfolioRisk MarginModel::evaluate(const Portfolio& portfolio) const
{
    const auto& positions = portfolio.positions;
    PortfolioRisk result;
    result.positions.resize(positions.size());
    std::vector<PositionFigures> figures(positions.size());
    AccountRisk& account = result.account;
    account.walletBalance = portfolio.account.walletBalance;

    // Pass 1: every position at its own mark, and the cross totals.
    for (std::size_t i = 0; i < positions.size(); ++i) {
        const Position& position = positions[i];
        if (!position.instrument) {
            throw std::invalid_argument("position " + position.symbol + " has no instrument");
        }
        PositionRisk& risk = result.positions[i];
        risk.notional = position.notionalAt(position.markPrice);
        const RiskTier& tier = position.instrument->tierFor(risk.notional, position.quantity);
        risk.tier = tier.number;
        risk.maintenanceMargin = risk.notional * tier.maintenanceMarginRate - tier.maintenanceAmount;
        risk.unrealizedPnl = position.unrealizedPnl();
        figures[i].closingFeeRate = closingFeeRate(position);
        figures[i].requirement = risk.maintenanceMargin + risk.notional * figures[i].closingFeeRate;
        if (position.marginMode == MarginMode::Cross) {
            account.unrealizedPnl += risk.unrealizedPnl;
            account.maintenanceMargin += risk.maintenanceMargin;
            account.requirement += figures[i].requirement;
        }
    }
    account.marginBalance = account.walletBalance + account.unrealizedPnl;
    account.marginRatio = commonRatio(account.requirement, account.marginBalance);
    account.nativeMarginRatio = nativeMarginRatio(account.marginBalance, account.requirement);
    account.liquidationDue = account.marginRatio >= 1.0;
    std::vector<bool> hedged(positions.size(), false);

    // Pass 2: cross legs grouped by symbol (hedge mode: both legs share one liquidation price).
    struct CrossGroup {
        std::array<std::size_t, 2> members{};
        std::size_t count = 0;
    };
    std::unordered_map<std::string_view, CrossGroup> crossGroups;
    for (std::size_t i = 0; i < positions.size(); ++i) {
        const Position& position = positions[i];
        PositionRisk& risk = result.positions[i];
        if (position.marginMode == MarginMode::Isolated) {
            const Decimal margin = isolatedMarginOf(position);
            risk.liquidationPrice = isolatedLiquidationPrice(position, margin);
            risk.marginRatio = commonRatio(figures[i].requirement, margin + risk.unrealizedPnl);
            continue;
        }
        risk.marginRatio = account.marginRatio;
        CrossGroup& group = crossGroups[position.symbol];
        if (group.count == group.members.size()) {
            throw std::invalid_argument("more than two cross positions on " + position.symbol);
        }
        group.members[group.count++] = i;
    }
    for (const auto& [symbol, group] : crossGroups) {
        const auto& [members, count] = group;
        std::array<LiquidationLeg, 2> legs{};
        Decimal groupPnl;
        Decimal groupRequirement;
        Decimal equityAtZero = account.walletBalance + account.unrealizedPnl;
        for (std::size_t k = 0; k < count; ++k) {
            const Position& position = positions[members[k]];
            legs[k] = legOf(position, figures[members[k]].closingFeeRate);
            groupPnl += result.positions[members[k]].unrealizedPnl;
            groupRequirement += figures[members[k]].requirement;
            const Decimal entryValue = position.notionalAt(position.entryPrice);
            equityAtZero -= position.side == Side::Long ? entryValue : -entryValue;
        }
        equityAtZero -= groupPnl; // the others' PnL stays; the group's is re-expressed through P
        const LiquidationProblem problem{std::span(legs.data(), count), equityAtZero,
                                         account.requirement - groupRequirement};
        const double mark = positions[members[0]].markPrice.toDouble();
        const std::optional<double> price = solveLiquidationPrice(problem, mark);
        for (std::size_t k = 0; k < count; ++k) {
            result.positions[members[k]].liquidationPrice = price;
            hedged[members[k]] = count == 2;
        }
    }

    // Distances, now that every liquidation price is known.
    for (std::size_t i = 0; i < positions.size(); ++i) {
        PositionRisk& risk = result.positions[i];
        risk.liquidationDue = risk.marginRatio >= 1.0;
        if (!risk.liquidationPrice) {
            continue;
        }
        const double mark = positions[i].markPrice.toDouble();
        // Hedged legs share one price that may lie on either side of the mark: the distance is
        // room left while the account is healthy, whatever the leg's own side.
        const double distance = hedged[i] ? (risk.liquidationDue ? -1.0 : 1.0) * std::abs(mark - *risk.liquidationPrice)
                                          : direction(positions[i].side) * (mark - *risk.liquidationPrice);
        risk.distanceToLiquidation = distance + 0.0; // never "-0"
        risk.distanceToLiquidationPct = distance / mark * 100.0 + 0.0;
    }
    return result;
}

Decimal MarginModel::closingFeeRate(const Position& /*position*/) const
{
    return {};
}

std::optional<double> MarginModel::isolatedLiquidationPrice(const Position& position, const Decimal& margin) const
{
    const Decimal entryValue = position.notionalAt(position.entryPrice);
    const std::array<LiquidationLeg, 1> leg{legOf(position, closingFeeRate(position))};
    const LiquidationProblem problem{leg, margin - (position.side == Side::Long ? entryValue : -entryValue), Decimal()};
    return solveLiquidationPrice(problem, position.markPrice.toDouble());
}

double MarginModel::nativeMarginRatio(const Decimal& marginBalance, const Decimal& requirement) const
{
    return commonRatio(requirement, marginBalance);
}

double MarginModel::commonRatio(const Decimal& requirement, const Decimal& balance)
{
    if (!requirement.isPositive()) {
        return 0; // nothing to maintain: no margin call whatever the balance
    }
    if (!balance.isPositive()) {
        return std::numeric_limits<double>::infinity();
    }
    return requirement.toDouble() / balance.toDouble();
}

Decimal MarginModel::isolatedMarginOf(const Position& position)
{
    if (position.isolatedMargin) {
        return *position.isolatedMargin;
    }
    if (position.leverage && position.leverage->isPositive()) {
        return position.notionalAt(position.entryPrice) / *position.leverage;
    }
    throw std::invalid_argument("isolated position " + position.symbol + " needs its margin or its leverage");
}

} // namespace mm
