#include "engine/monitor.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <span>
#include <stdexcept>
#include <utility>

namespace mm {

namespace {

constexpr std::chrono::milliseconds kDefaultInterval = std::chrono::seconds(1);
constexpr int kStaleAfterIntervals = 3;

} // namespace

Monitor::Monitor(const Clock& clock) : m_clock(clock), m_started(clock.now()) {}

Monitor::AccountBook Monitor::makeBook(Portfolio portfolio)
{
    AccountBook book;
    book.model = MarginModel::forVenue(portfolio.account.venue);
    (void)book.model->evaluate(portfolio); // refuse now what could not be evaluated later
    for (const Position& position : portfolio.positions) {
        book.figures.push_back(book.model->figuresAtMark(position));
        if (position.marginMode == MarginMode::Cross) {
            book.totals.add(book.figures.back());
        }
    }
    book.portfolio = std::move(portfolio);
    return book;
}

std::size_t Monitor::addAccount(Portfolio portfolio, AccountSource source)
{
    AccountBook book = makeBook(std::move(portfolio));
    book.source = source;
    m_accounts.push_back(std::move(book));
    index(m_accounts.size() - 1);
    return m_accounts.size() - 1;
}

void Monitor::index(std::size_t account)
{
    const Portfolio& portfolio = m_accounts[account].portfolio;
    const Venue venue = portfolio.account.venue;
    for (std::size_t i = 0; i < portfolio.positions.size(); ++i) {
        const Position& position = portfolio.positions[i];
        auto [it, added] = m_feeds.try_emplace(FeedKey{venue, position.symbol});
        SymbolFeed& feed = it->second;
        if (added) {
            feed.status.venue = venue;
            feed.status.symbol = position.symbol;
            feed.status.lastTickAt = m_started;
        }
        auto holding = std::find_if(feed.holdings.begin(), feed.holdings.end(),
                                    [account](const Holding& held) { return held.account == account; });
        if (holding == feed.holdings.end()) {
            feed.holdings.push_back(Holding{account, {}, {}});
            holding = std::prev(feed.holdings.end());
        }
        auto& list = position.marginMode == MarginMode::Cross ? holding->crossLegs : holding->isolated;
        list.push_back(i);
    }
}

void Monitor::replaceAccount(std::size_t account, Portfolio portfolio, std::vector<ExchangeFigures> exchange,
                             ExchangeAccountFigures exchangeAccount)
{
    AccountBook& old = m_accounts.at(account);
    const Venue venue = old.portfolio.account.venue;
    portfolio.account.venue = venue; // the account keeps its venue and its name
    portfolio.account.label = old.portfolio.account.label;
    for (Position& position : portfolio.positions) {
        const auto feed = m_feeds.find(FeedKey{venue, position.symbol});
        if (feed != m_feeds.end() && feed->second.lastMark) {
            position.markPrice = *feed->second.lastMark;
        }
    }
    AccountBook book = makeBook(std::move(portfolio)); // throws before anything changed
    book.source = AccountSource::Exchange;
    exchange.resize(book.portfolio.positions.size());
    book.exchange = std::move(exchange);
    book.exchangeAccount = std::move(exchangeAccount);
    const MonotonicTime now = m_clock.now();
    book.reportedAt = now;
    book.revision = old.revision + 1;
    old = std::move(book);
    const PortfolioRisk atRead = evaluate(account);
    for (std::size_t i = 0; i < old.exchange.size() && i < atRead.positions.size(); ++i) {
        old.exchange[i].computedAtRead = atRead.positions[i].liquidationPrice;
    }
    for (auto& [key, feed] : m_feeds) {
        std::erase_if(feed.holdings, [account](const Holding& held) { return held.account == account; });
    }
    index(account);
    publishAccount(account, now);
}

void Monitor::publishAccount(std::size_t account, MonotonicTime causedAt)
{
    const PortfolioRisk risk = evaluate(account);
    RiskSnapshot& snapshot = m_snapshot;
    snapshot.account = account;
    snapshot.accountRisk = risk.account;
    snapshot.positions.clear();
    for (std::size_t i = 0; i < risk.positions.size(); ++i) {
        snapshot.positions.emplace_back(i, risk.positions[i]);
    }
    snapshot.tickReceivedAt = causedAt;
    snapshot.evaluatedAt = m_clock.now();
    m_riskSubscribers.publish(snapshot);
}

void Monitor::setExpectedInterval(Venue venue, std::chrono::milliseconds interval)
{
    m_intervals[venue] = interval;
}

std::chrono::milliseconds Monitor::expectedInterval(Venue venue) const
{
    const auto it = m_intervals.find(venue);
    return it == m_intervals.end() ? kDefaultInterval : it->second;
}

Monitor::TickOutcome Monitor::applyTick(const MarkTick& tick)
{
    const auto it = m_feeds.find(FeedKey{tick.venue, tick.symbol});
    if (it == m_feeds.end()) {
        ++m_unwatchedTicks;
        return TickOutcome::Unwatched;
    }
    SymbolFeed& feed = it->second;
    // Everything that can fail on the mark's size is worked out first: a refused mark changes nothing.
    if (!prepare(feed, tick.markPrice)) {
        ++m_refusedTicks;
        return TickOutcome::Refused;
    }
    feed.status.lastTickAt = tick.receivedAt;
    feed.lastMark = tick.markPrice;
    ++feed.status.ticks;
    if (feed.status.state != FeedState::Fresh) {
        feed.status.state = FeedState::Fresh;
        m_feedSubscribers.publish(feed.status);
    }
    // The prepared figures are this tick's own from here: a subscriber that applies another tick
    // meanwhile prepares into fresh scratch.
    std::vector<Pending> pending = std::exchange(m_pending, {});
    std::vector<CrossTotals> totals = std::exchange(m_pendingTotals, {});
    for (std::size_t h = 0; h < feed.holdings.size(); ++h) {
        try {
            reevaluate(feed.holdings[h], tick, pending, h, totals[h]);
        } catch (const DecimalError&) {
            // The figures were applied whole; only a risk figure derived from them did not fit,
            // and this account's snapshot is not published. (prepare() makes this unreachable
            // for every figure known to overflow; kept so that exchange data never ends the program.)
            ++m_refusedTicks;
        }
    }
    if (m_pending.capacity() < pending.capacity()) { // keep the larger buffers: no allocation per tick once warm
        m_pending = std::move(pending);
        m_pendingTotals = std::move(totals);
    }
    return TickOutcome::Applied;
}

bool Monitor::prepare(const SymbolFeed& feed, const Decimal& mark)
{
    m_pending.clear();
    m_pendingTotals.clear();
    try {
        for (std::size_t h = 0; h < feed.holdings.size(); ++h) {
            const Holding& holding = feed.holdings[h];
            AccountBook& book = m_accounts[holding.account];
            CrossTotals totals = book.totals;
            for (const auto* list : {&holding.crossLegs, &holding.isolated}) {
                for (const std::size_t i : *list) {
                    Position& position = book.portfolio.positions[i];
                    const Decimal previous = position.markPrice;
                    position.markPrice = mark; // for figuresAtMark only; put back at once
                    std::optional<PositionFigures> figures;
                    try {
                        figures = book.model->figuresAtMark(position);
                    } catch (const DecimalError&) {
                        position.markPrice = previous;
                        return false;
                    }
                    position.markPrice = previous;
                    if (position.marginMode == MarginMode::Cross) {
                        totals.remove(book.figures[i]);
                        totals.add(*figures);
                    }
                    m_pending.push_back({h, i, *figures});
                }
            }
            (void)book.model->accountRisk(book.portfolio.account.walletBalance, totals);
            m_pendingTotals.push_back(totals);
        }
    } catch (const DecimalError&) {
        return false;
    }
    return true;
}

void Monitor::reevaluate(const Holding& holding, const MarkTick& tick, const std::vector<Pending>& pending,
                         std::size_t holdingIndex, const CrossTotals& totals)
{
    AccountBook& book = m_accounts[holding.account];
    auto& positions = book.portfolio.positions;
    for (const Pending& figures : pending) {
        if (figures.holding == holdingIndex) {
            positions[figures.position].markPrice = tick.markPrice;
            book.figures[figures.position] = figures.figures;
        }
    }
    book.totals = totals;

    RiskSnapshot& snapshot = m_snapshot;
    snapshot.account = holding.account;
    snapshot.accountRisk = book.model->accountRisk(book.portfolio.account.walletBalance, book.totals);
    snapshot.positions.clear();
    snapshot.tickReceivedAt = tick.receivedAt;
    if (!holding.crossLegs.empty()) {
        std::array<const Position*, 2> legs{};
        std::array<const PositionFigures*, 2> legFigures{};
        std::array<PositionRisk, 2> risks{};
        const std::size_t count = std::min(holding.crossLegs.size(), legs.size());
        for (std::size_t k = 0; k < count; ++k) {
            legs[k] = &positions[holding.crossLegs[k]];
            legFigures[k] = &book.figures[holding.crossLegs[k]];
        }
        book.model->crossSymbolRisk(std::span(legs.data(), count), std::span(legFigures.data(), count),
                                    snapshot.accountRisk, std::span(risks.data(), count));
        for (std::size_t k = 0; k < count; ++k) {
            snapshot.positions.emplace_back(holding.crossLegs[k], risks[k]);
        }
    }
    for (const std::size_t i : holding.isolated) {
        snapshot.positions.emplace_back(i, book.model->isolatedRisk(positions[i], book.figures[i]));
    }
    snapshot.evaluatedAt = m_clock.now();
    m_riskSubscribers.publish(snapshot);
}

void Monitor::checkFreshness()
{
    const MonotonicTime now = m_clock.now();
    for (auto& [key, feed] : m_feeds) {
        const auto silentFor = now - feed.status.lastTickAt;
        if (feed.status.state != FeedState::Stale && silentFor > kStaleAfterIntervals * expectedInterval(key.first)) {
            feed.status.state = FeedState::Stale;
            m_feedSubscribers.publish(feed.status);
        }
    }
}

PortfolioRisk Monitor::evaluate(std::size_t account) const
{
    const AccountBook& book = m_accounts.at(account);
    return book.model->evaluate(book.portfolio);
}

std::vector<std::string> Monitor::symbolsOn(Venue venue) const
{
    std::vector<std::string> symbols;
    for (const auto& [key, feed] : m_feeds) {
        if (key.first == venue) {
            symbols.push_back(key.second);
        }
    }
    return symbols;
}

std::vector<FeedStatus> Monitor::feeds() const
{
    std::vector<FeedStatus> statuses;
    for (const auto& [key, feed] : m_feeds) {
        statuses.push_back(feed.status);
    }
    return statuses;
}

} // namespace mm
