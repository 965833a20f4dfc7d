#include "replay/liquidation_watch.h"

#include <algorithm>

namespace mm {

LiquidationWatch::LiquidationWatch(const Monitor& monitor, bool keepDistances) : m_keepDistances(keepDistances)
{
    m_accounts.resize(monitor.accountCount());
    for (std::size_t a = 0; a < monitor.accountCount(); ++a) {
        const Portfolio& portfolio = monitor.portfolio(a);
        AccountSubjects& account = m_accounts[a];
        account.firstPosition = m_subjects.size();
        account.latestDistance.resize(portfolio.positions.size());
        for (std::size_t i = 0; i < portfolio.positions.size(); ++i) {
            const Position& position = portfolio.positions[i];
            ReplaySubject subject;
            subject.account = a;
            subject.position = i;
            subject.venue = portfolio.account.venue;
            subject.accountLabel = portfolio.account.label;
            subject.symbol = position.symbol;
            subject.side = position.side;
            subject.cross = position.marginMode == MarginMode::Cross;
            if (subject.cross) {
                account.crossPositions.push_back(m_subjects.size());
            }
            m_subjects.push_back(std::move(subject));
        }
        if (!account.crossPositions.empty()) {
            account.crossMargin = m_subjects.size();
            ReplaySubject crossMargin;
            crossMargin.account = a;
            crossMargin.venue = portfolio.account.venue;
            crossMargin.accountLabel = portfolio.account.label;
            crossMargin.cross = true;
            m_subjects.push_back(std::move(crossMargin));
        }
    }
}

void LiquidationWatch::liquidatedAt(ReplaySubject& subject, std::int64_t unixMs)
{
    if (!subject.liquidatedAtMs) {
        subject.liquidatedAtMs = unixMs;
    }
}

void LiquidationWatch::onRisk(const RiskSnapshot& snapshot, std::int64_t unixMs)
{
    if (snapshot.account >= m_accounts.size()) {
        return; // an account added after the replay began: not one of the portfolios
    }
    AccountSubjects& account = m_accounts[snapshot.account];
    for (const auto& [index, risk] : snapshot.positions) {
        if (index >= account.latestDistance.size()) {
            continue;
        }
        ReplaySubject& subject = m_subjects[account.firstPosition + index];
        // At or beyond: the mark has reached the liquidation price, i.e. the ratio that applies is 100 %.
        if (risk.liquidationDue || (risk.distanceToLiquidation && *risk.distanceToLiquidation <= 0)) {
            liquidatedAt(subject, unixMs);
        }
        if (m_keepDistances && risk.distanceToLiquidationPct) {
            account.latestDistance[index] = risk.distanceToLiquidationPct;
            subject.distances.push_back({unixMs, *risk.distanceToLiquidationPct});
        }
    }
    if (!account.crossMargin) {
        return;
    }
    // The cross ratio is current on every tick of any of the account's symbols; at 100 % the venue
    // liquidates the cross positions, whichever symbol moved.
    if (snapshot.accountRisk.liquidationDue) {
        liquidatedAt(m_subjects[*account.crossMargin], unixMs);
        for (const std::size_t position : account.crossPositions) {
            liquidatedAt(m_subjects[position], unixMs);
        }
    }
    if (m_keepDistances) {
        const auto move = marketWideMove(snapshot.accountRisk);
        trackCrossMargin(account, move ? std::optional(move->pct) : std::nullopt, unixMs);
    }
}

void LiquidationWatch::trackCrossMargin(const AccountSubjects& account, std::optional<double> marketMovePct,
                                        std::int64_t unixMs)
{
    // The cross margin is as near as its nearest cross position, or as the common move of every mark
    // that liquidates it, whichever is nearer.
    std::optional<double> nearest = marketMovePct;
    for (const std::size_t position : account.crossPositions) {
        const auto& distance = account.latestDistance[position - account.firstPosition];
        if (distance && (!nearest || *distance < *nearest)) {
            nearest = distance;
        }
    }
    if (nearest) {
        m_subjects[*account.crossMargin].distances.push_back({unixMs, *nearest});
    }
}

std::size_t LiquidationWatch::subjectOf(const AlertSubject& who)
{
    if (who.account >= m_accounts.size()) {
        m_accounts.resize(who.account + 1);
    }
    AccountSubjects& account = m_accounts[who.account];
    if (who.position && *who.position < account.latestDistance.size()) {
        return account.firstPosition + *who.position;
    }
    if (!account.crossMargin) {
        account.crossMargin = m_subjects.size();
        ReplaySubject crossMargin;
        crossMargin.account = who.account;
        crossMargin.venue = who.venue;
        crossMargin.accountLabel = who.accountLabel;
        crossMargin.cross = true;
        m_subjects.push_back(std::move(crossMargin));
    }
    return *account.crossMargin;
}

} // namespace mm
