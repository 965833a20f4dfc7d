#include "engine/live_monitor.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <set>

namespace mm {

std::optional<WsUrl> publicStreamUrl(Venue venue)
{
    std::string problem;
    switch (venue) {
    case Venue::BinanceUsdm:
        return WsUrl::parse("wss://fstream.binance.com", problem);
    case Venue::BybitLinear:
        return WsUrl::parse("wss://stream.bybit.com", problem);
    case Venue::OkxSwap:
        return WsUrl::parse("wss://ws.okx.com:8443", problem);
    case Venue::Hyperliquid:
        return WsUrl::parse("wss://api.hyperliquid.xyz", problem);
    case Venue::Generic:
        break;
    }
    return std::nullopt;
}

struct LiveMonitor::Impl {
    explicit Impl(boost::asio::io_context& context) : io(context), freshnessTimer(context) {}
    boost::asio::io_context& io;
    boost::asio::steady_timer freshnessTimer;
    std::chrono::milliseconds freshnessInterval{};
    bool running = false;
};

LiveMonitor::LiveMonitor(boost::asio::io_context& io, const Clock& clock, LiveMonitorOptions options)
    : m_impl(std::make_unique<Impl>(io)), m_monitor(clock)
{
    m_impl->freshnessInterval = options.freshnessCheckInterval;
    std::set<Venue> venues;
    for (Portfolio& portfolio : options.accounts) {
        venues.insert(portfolio.account.venue);
        m_monitor.addAccount(std::move(portfolio));
    }
    for (const Venue venue : venues) {
        auto protocol = MarkPriceProtocol::forVenue(venue);
        if (!protocol) {
            continue; // generic accounts have no stream: their marks come from the file
        }
        m_monitor.setExpectedInterval(venue, protocol->expectedInterval());
        const auto override = options.venueUrls.find(venue);
        MarkPriceFeed::Options feedOptions;
        feedOptions.venue = venue;
        feedOptions.baseUrl = override != options.venueUrls.end() ? override->second : *publicStreamUrl(venue);
        feedOptions.symbols = m_monitor.symbolsOn(venue);
        feedOptions.trust = options.trust;
        MarkPriceFeed::Callbacks callbacks;
        callbacks.onTick = [this](const MarkTick& tick) { m_monitor.applyTick(tick); };
        callbacks.onState = [this, venue](const WsStats& stats) { m_connectionSubscribers.publish({venue, stats}); };
        callbacks.onProblem = [this, venue](const std::string& problem) { m_problemSubscribers.publish({venue, problem}); };
        m_feeds.push_back(std::make_unique<MarkPriceFeed>(io, std::move(feedOptions), std::move(callbacks)));
    }
}

LiveMonitor::~LiveMonitor()
{
    for (auto& feed : m_feeds) {
        feed->stop();
    }
}

void LiveMonitor::start()
{
    boost::asio::post(m_impl->io, [this] {
        if (m_impl->running) {
            return;
        }
        m_impl->running = true;
        for (auto& feed : m_feeds) {
            feed->start();
        }
        scheduleFreshnessCheck();
    });
}

void LiveMonitor::scheduleFreshnessCheck()
{
    // Freshness is checked on the core thread, between ticks.
    m_impl->freshnessTimer.expires_after(m_impl->freshnessInterval);
    m_impl->freshnessTimer.async_wait([this](boost::system::error_code error) {
        if (error || !m_impl->running) {
            return;
        }
        m_monitor.checkFreshness();
        scheduleFreshnessCheck();
    });
}

void LiveMonitor::stop()
{
    boost::asio::post(m_impl->io, [this] {
        m_impl->running = false;
        m_impl->freshnessTimer.cancel();
        for (auto& feed : m_feeds) {
            feed->stop();
        }
    });
}

std::vector<std::pair<Venue, WsStats>> LiveMonitor::connections() const
{
    std::vector<std::pair<Venue, WsStats>> result;
    for (const auto& feed : m_feeds) {
        result.emplace_back(feed->venue(), feed->connection());
    }
    return result;
}

std::vector<std::pair<Venue, FeedCounters>> LiveMonitor::counters() const
{
    std::vector<std::pair<Venue, FeedCounters>> result;
    for (const auto& feed : m_feeds) {
        result.emplace_back(feed->venue(), feed->counters());
    }
    return result;
}

} // namespace mm
