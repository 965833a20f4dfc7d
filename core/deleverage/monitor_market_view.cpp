#include "deleverage/monitor_market_view.h"

namespace mm {

const Portfolio* MonitorMarketView::portfolio(std::size_t account) const
{
    if (account >= m_monitor.accountCount()) {
        return nullptr;
    }
    return &m_monitor.portfolio(account);
}

DataFreshness MonitorMarketView::freshness(std::size_t account, const Position& position) const
{
    DataFreshness freshness;
    if (account >= m_monitor.accountCount()) {
        return freshness;
    }
    const MonotonicTime now = m_clock.now();
    const Venue venue = m_monitor.portfolio(account).account.venue;
    for (const FeedStatus& feed : m_monitor.feeds()) {
        if (feed.venue == venue && feed.symbol == position.symbol) {
            freshness.markFeed = feed.state;
            freshness.markAge = std::chrono::duration_cast<std::chrono::milliseconds>(now - feed.lastTickAt);
            break;
        }
    }
    if (m_monitor.source(account) == AccountSource::Exchange) {
        if (const auto reportedAt = m_monitor.reportedAt(account)) {
            freshness.accountReadAge = std::chrono::duration_cast<std::chrono::milliseconds>(now - *reportedAt);
        }
    }
    return freshness;
}

std::optional<LotRules> MonitorMarketView::lotRules(std::size_t account, const Position& position) const
{
    if (account >= m_monitor.accountCount()) {
        return std::nullopt;
    }
    const auto found = m_lotRules.find(std::pair{m_monitor.portfolio(account).account.venue, position.symbol});
    if (found == m_lotRules.end()) {
        return std::nullopt;
    }
    return found->second;
}

} // namespace mm
