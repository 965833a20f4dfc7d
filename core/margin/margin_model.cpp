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
    std::vector<PositionFigures> figures;
    figures.reserve(positions.size());
    CrossTotals totals;
    for (const Position& position : positions) {
        figures.push_back(figuresAtMark(position));
        if (position.marginMode == MarginMode::Cross) {
            totals.add(figures.back());
        }
    }
    PortfolioRisk result;
    result.account = accountRisk(portfolio.account.walletBalance, totals);
    result.positions.resize(positions.size());

    // Cross positions grouped by symbol: hedged legs share one liquidation price.
    struct CrossGroup {
        std::array<std::size_t, 2> members{};
        std::size_t count = 0;
    };
    std::unordered_map<std::string_view, CrossGroup> crossGroups;
    for (std::size_t i = 0; i < positions.size(); ++i) {
        const Position& position = positions[i];
        if (position.marginMode == MarginMode::Isolated) {
            result.positions[i] = isolatedRisk(position, figures[i]);
            continue;
        }
        CrossGroup& group = crossGroups[position.symbol];
        if (group.count == group.members.size()) {
            throw std::invalid_argument("more than two cross positions on " + position.symbol);
        }
        group.members[group.count++] = i;
    }
    for (const auto& [symbol, group] : crossGroups) {
        std::array<const Position*, 2> legs{};
        std::array<const PositionFigures*, 2> legFigures{};
        std::array<PositionRisk, 2> risks{};
        for (std::size_t k = 0; k < group.count; ++k) {
            legs[k] = &positions[group.members[k]];
            legFigures[k] = &figures[group.members[k]];
        }
        crossSymbolRisk(std::span(legs.data(), group.count), std::span(legFigures.data(), group.count), result.account,
                        std::span(risks.data(), group.count));
        for (std::size_t k = 0; k < group.count; ++k) {
            result.positions[group.members[k]] = risks[k];
        }
    }
    return result;
}

PositionFigures MarginModel::figuresAtMark(const Position& position) const
{
    if (!position.instrument) {
        throw std::invalid_argument("position " + position.symbol + " has no instrument");
    }
    PositionFigures figures;
    figures.notional = position.notionalAt(position.markPrice);
    const RiskTier& tier = position.instrument->tierFor(figures.notional, position.quantity);
    figures.tier = tier.number;
    figures.maintenanceMargin = figures.notional * tier.maintenanceMarginRate - tier.maintenanceAmount;
    figures.unrealizedPnl = position.unrealizedPnl();
    figures.closingFeeRate = closingFeeRate(position);
    figures.requirement = figures.maintenanceMargin + figures.notional * figures.closingFeeRate;
    figures.signedNotional = position.side == Side::Long ? figures.notional : -figures.notional;
    figures.requirementSlope = figures.requirement + tier.maintenanceAmount; // = notional × (rate + fee)
    return figures;
}

AccountRisk MarginModel::accountRisk(const Decimal& walletBalance, const CrossTotals& totals) const
{
    AccountRisk account;
    account.walletBalance = walletBalance;
    account.unrealizedPnl = totals.unrealizedPnl;
    account.maintenanceMargin = totals.maintenanceMargin;
    account.requirement = totals.requirement;
    account.marginBalance = walletBalance + totals.unrealizedPnl;
    account.marginRatio = commonRatio(account.requirement, account.marginBalance);
    account.nativeMarginRatio = nativeMarginRatio(account.marginBalance, account.requirement);
    account.liquidationDue = account.marginRatio >= 1.0;
    account.signedNotional = totals.signedNotional;
    account.requirementSlope = totals.requirementSlope;
    return account;
}

std::optional<MarketWideMove> marketWideMove(const AccountRisk& account)
{
    if (!(account.requirement > Decimal()) && !account.liquidationDue) {
        return std::nullopt; // no cross positions
    }
    // E + x·N = R + x·S  →  x = (R − E) / (N − S); x < 0 is a fall. Doubles suffice: a distance.
    const double gain = (account.signedNotional - account.requirementSlope).toDouble();
    const double shortfall = (account.requirement - account.marginBalance).toDouble();
    if (account.liquidationDue || shortfall >= 0) {
        return MarketWideMove{0.0, gain >= 0};
    }
    if (gain == 0) {
        return std::nullopt; // no common move changes the cushion
    }
    const double move = shortfall / gain;
    if (!std::isfinite(move) || move <= -1.0) {
        return std::nullopt; // not even every mark at zero
    }
    return MarketWideMove{std::abs(move) * 100.0, move < 0};
}

namespace {

PositionRisk riskFromFigures(const PositionFigures& figures)
{
    PositionRisk risk;
    risk.notional = figures.notional;
    risk.maintenanceMargin = figures.maintenanceMargin;
    risk.unrealizedPnl = figures.unrealizedPnl;
    risk.tier = figures.tier;
    return risk;
}

} // namespace

PositionRisk MarginModel::isolatedRisk(const Position& position, const PositionFigures& figures) const
{
    PositionRisk risk = riskFromFigures(figures);
    const Decimal margin = isolatedMarginOf(position);
    risk.liquidationPrice = isolatedLiquidationPrice(position, margin);
    risk.marginRatio = commonRatio(figures.requirement, margin + figures.unrealizedPnl);
    completeRisk(risk, position, false);
    return risk;
}

void MarginModel::crossSymbolRisk(std::span<const Position* const> legs, std::span<const PositionFigures* const> figures,
                                  const AccountRisk& account, std::span<PositionRisk> risks) const
{
    std::array<LiquidationLeg, 2> solverLegs{};
    if (legs.empty() || legs.size() > solverLegs.size() || figures.size() != legs.size() || risks.size() != legs.size()) {
        throw std::invalid_argument("a symbol has one cross position, or two hedged legs");
    }
    // equity(P) = wallet + the others' PnL at their marks + Σ side·quantity·(P − entry)
    Decimal equityAtZero = account.walletBalance + account.unrealizedPnl;
    Decimal groupRequirement;
    for (std::size_t k = 0; k < legs.size(); ++k) {
        const Position& position = *legs[k];
        solverLegs[k] = legOf(position, figures[k]->closingFeeRate);
        groupRequirement += figures[k]->requirement;
        const Decimal entryValue = position.notionalAt(position.entryPrice);
        equityAtZero -= figures[k]->unrealizedPnl;
        equityAtZero -= position.side == Side::Long ? entryValue : -entryValue;
    }
    const LiquidationProblem problem{std::span(solverLegs.data(), legs.size()), equityAtZero,
                                     account.requirement - groupRequirement};
    const std::optional<double> price = solveLiquidationPrice(problem, legs[0]->markPrice.toDouble());
    for (std::size_t k = 0; k < legs.size(); ++k) {
        risks[k] = riskFromFigures(*figures[k]);
        risks[k].liquidationPrice = price;
        risks[k].marginRatio = account.marginRatio;
        completeRisk(risks[k], *legs[k], legs.size() == 2);
    }
}

void MarginModel::completeRisk(PositionRisk& risk, const Position& position, bool hedged)
{
    risk.liquidationDue = risk.marginRatio >= 1.0;
    if (!risk.liquidationPrice) {
        return;
    }
    const double mark = position.markPrice.toDouble();
    // Hedged legs share one price that may lie on either side of the mark: the distance is the room
    // left while the account is healthy, whatever the leg's own side.
    const double distance = hedged ? (risk.liquidationDue ? -1.0 : 1.0) * std::abs(mark - *risk.liquidationPrice)
                                   : direction(position.side) * (mark - *risk.liquidationPrice);
    risk.distanceToLiquidation = distance + 0.0; // never "-0"
    risk.distanceToLiquidationPct = distance / mark * 100.0 + 0.0;
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
