#include "engine/live_monitor.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <set>
#include <stdexcept>

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
    std::map<Venue, WsUrl> venueUrls;
    TlsTrust trust;
    bool running = false;
};

namespace {

/// An account read as the monitor holds it: the positions and wallet, and the venue's own figures.
struct ReadAccount {
    Portfolio portfolio;
    std::vector<ExchangeFigures> exchange;
    ExchangeAccountFigures exchangeAccount;
};

ReadAccount fromSnapshot(const Account& account, const AccountSnapshot& snapshot)
{
    ReadAccount read;
    read.portfolio.account = account;
    read.portfolio.account.walletBalance = snapshot.balances.walletBalance;
    for (const SnapshotPosition& entry : snapshot.positions) {
        read.portfolio.positions.push_back(entry.position);
        read.exchange.push_back({entry.exchangeLiquidationPrice, entry.exchangeMaintenanceMargin, entry.exchangeMarginRatio, std::nullopt});
    }
    read.exchangeAccount = {snapshot.balances.marginBalance, snapshot.balances.maintenanceMargin, snapshot.balances.marginRatio};
    return read;
}

} // namespace

LiveMonitor::LiveMonitor(boost::asio::io_context& io, const Clock& clock, LiveMonitorOptions options)
    : m_impl(std::make_unique<Impl>(io)), m_monitor(clock)
{
    m_impl->freshnessInterval = options.freshnessCheckInterval;
    // Attached first: alerts are decided before anything else hears of the tick.
    m_alerts = std::make_unique<AlertEngine>(m_monitor, clock, std::move(options.alertPolicy));
    m_alertsAttached = m_alerts->attach(m_monitor);
    m_impl->venueUrls = std::move(options.venueUrls);
    m_impl->trust = std::move(options.trust);
    for (ExchangeAccountOptions& exchange : options.exchangeAccounts) {
        const Venue venue = exchange.reads.venue;
        Portfolio empty;
        empty.account.venue = venue;
        empty.account.label = exchange.reads.label;
        const std::size_t account = m_monitor.addAccount(std::move(empty), AccountSource::Exchange);
        AccountFeed::Callbacks callbacks;
        callbacks.onSnapshot = [this, account](const AccountSnapshot& snapshot) { applySnapshot(account, snapshot); };
        callbacks.onProblem = [this, venue](const std::string& problem) { m_problemSubscribers.publish({venue, problem}); };
        const TlsTrust trust = exchange.reads.rest.trust;
        const HttpUrl rest = exchange.reads.rest.url;
        const HttpsOptions restOptions = exchange.reads.rest;
        const ApiCredentials credentials = exchange.reads.credentials;
        m_exchangeAccounts.push_back(
            {account, std::make_unique<AccountFeed>(io, std::move(exchange.reads), std::move(callbacks)), nullptr, nullptr, restOptions});
        if (exchange.tradeKey && !exchange.tradeKey->empty()) {
            AccountFeed* reads = m_exchangeAccounts.back().reads.get();
            VenueOrderGateway::Options orderOptions;
            orderOptions.venue = venue;
            orderOptions.rest = restOptions;
            orderOptions.credentials = *exchange.tradeKey;
            orderOptions.requestTimeout = exchange.orderTimeout;
            orderOptions.serverNowMs = [reads] { return reads->serverNowMs(); };
            orderOptions.contractValue = [reads](std::string_view instId) { return reads->contractValue(instId); };
            m_exchangeAccounts.back().orders = std::make_unique<VenueOrderGateway>(io, std::move(orderOptions));
        }
        if (exchange.privateStream && !credentials.empty()) {
            AccountFeed* reads = m_exchangeAccounts.back().reads.get();
            PrivateAccountStream::Options streamOptions;
            streamOptions.venue = venue;
            streamOptions.wsBase = *exchange.privateStream;
            streamOptions.restBase = rest;
            streamOptions.trust = trust;
            streamOptions.credentials = credentials;
            streamOptions.serverNowMs = [reads] { return reads->serverNowMs(); };
            streamOptions.contractValue = [reads](std::string_view instId) { return reads->contractValue(instId); };
            const std::size_t index = m_exchangeAccounts.size() - 1;
            PrivateAccountStream::Callbacks streamCallbacks;
            streamCallbacks.onEvent = [this, index](const AccountEvent& event) { onAccountEvent(m_exchangeAccounts[index], event); };
            streamCallbacks.onProblem = [this, venue](const std::string& problem) { m_problemSubscribers.publish({venue, problem}); };
            streamCallbacks.onResubscribed = [reads] { reads->refreshNow(); }; // events may have been missed
            m_exchangeAccounts.back().stream =
                std::make_unique<PrivateAccountStream>(io, std::move(streamOptions), std::move(streamCallbacks));
        }
    }
    std::set<Venue> venues;
    for (Portfolio& portfolio : options.accounts) {
        venues.insert(portfolio.account.venue);
        m_monitor.addAccount(std::move(portfolio));
    }
    for (const Venue venue : venues) {
        if (MarkPriceProtocol::forVenue(venue)) { // generic accounts have no stream: their marks come from the file
            feedFor(venue);
        }
    }
}

MarkPriceFeed& LiveMonitor::feedFor(Venue venue)
{
    for (auto& feed : m_feeds) {
        if (feed->venue() == venue) {
            return *feed;
        }
    }
    auto protocol = MarkPriceProtocol::forVenue(venue);
    if (!protocol) {
        throw std::invalid_argument(std::string(venueName(venue)) + " has no mark-price stream");
    }
    m_monitor.setExpectedInterval(venue, protocol->expectedInterval());
    const auto override = m_impl->venueUrls.find(venue);
    MarkPriceFeed::Options feedOptions;
    feedOptions.venue = venue;
    feedOptions.baseUrl = override != m_impl->venueUrls.end() ? override->second : *publicStreamUrl(venue);
    feedOptions.symbols = m_monitor.symbolsOn(venue);
    feedOptions.trust = m_impl->trust;
    MarkPriceFeed::Callbacks callbacks;
    callbacks.onTick = [this, venue](const MarkTick& tick) {
        if (m_monitor.applyTick(tick) == Monitor::TickOutcome::Refused) {
            m_problemSubscribers.publish({venue, "mark " + tick.markPrice.toString() + " for " + tick.symbol +
                                                     " refused: a position's figures at it are out of range; the last good mark stands"});
        }
    };
    callbacks.onState = [this, venue, connects = std::uint64_t(0)](const WsStats& stats) mutable {
        if (stats.state == ConnectionState::Open && stats.connects > 1 && stats.connects != connects) {
            venueReconnected(venue); // what changed while it was down is unknown
        }
        if (stats.state == ConnectionState::Open) {
            connects = stats.connects;
        }
        m_connectionSubscribers.publish({venue, stats});
    };
    callbacks.onProblem = [this, venue](const std::string& problem) { m_problemSubscribers.publish({venue, problem}); };
    m_feeds.push_back(std::make_unique<MarkPriceFeed>(m_impl->io, std::move(feedOptions), std::move(callbacks)));
    if (m_impl->running) {
        m_feeds.back()->start();
    }
    return *m_feeds.back();
}

void LiveMonitor::applySnapshot(std::size_t account, const AccountSnapshot& snapshot)
{
    ReadAccount read = fromSnapshot(m_monitor.portfolio(account).account, snapshot);
    std::vector<std::string> symbols;
    for (const Position& position : read.portfolio.positions) {
        symbols.push_back(position.symbol);
    }
    const Venue venue = read.portfolio.account.venue;
    try {
        m_monitor.replaceAccount(account, std::move(read.portfolio), std::move(read.exchange), std::move(read.exchangeAccount));
    } catch (const std::exception& error) {
        m_problemSubscribers.publish({venue, "account \"" + m_monitor.portfolio(account).account.label +
                                                 "\": the positions read could not be evaluated: " + error.what()});
        return;
    }
    if (!symbols.empty() && MarkPriceProtocol::forVenue(venue)) {
        feedFor(venue).watch(symbols);
    }
    m_accountReadSubscribers.publish(account);
}

OrderGateway* LiveMonitor::orderGateway(std::size_t account)
{
    for (ExchangeAccount& exchange : m_exchangeAccounts) {
        if (exchange.account == account) {
            return exchange.orders.get();
        }
    }
    return nullptr;
}

std::optional<HttpsOptions> LiveMonitor::restOf(std::size_t account) const
{
    for (const ExchangeAccount& exchange : m_exchangeAccounts) {
        if (exchange.account == account) {
            return exchange.rest;
        }
    }
    return std::nullopt;
}

void LiveMonitor::refreshAccount(std::size_t account)
{
    for (ExchangeAccount& exchange : m_exchangeAccounts) {
        if (exchange.account == account) {
            exchange.reads->refreshNow();
        }
    }
}

void LiveMonitor::onAccountEvent(ExchangeAccount& exchange, const AccountEvent& event)
{
    switch (event.kind) {
    case AccountEvent::Kind::PositionsSnapshot:
    case AccountEvent::Kind::PositionsUpdate:
    case AccountEvent::Kind::BalancesUpdate:
        // The account changed (an order filled, margin moved, OKX's periodic snapshot): read it
        // again in full. The events themselves lack figures the REST answers carry (Binance's have
        // no liquidation price), and a read under way is not doubled.
        exchange.reads->refreshNow();
        return;
    case AccountEvent::Kind::MarginCall:
        // A confirmation from the venue, shown as it comes; never a trigger — the monitor's own
        // evaluation of every tick is, and it came first.
        m_problemSubscribers.publish({event.venue, "confirmation from the exchange, account \"" +
                                                       m_monitor.portfolio(exchange.account).account.label +
                                                       "\": " + describeMarginCall(event)});
        return;
    case AccountEvent::Kind::ListenKeyExpired:
    case AccountEvent::Kind::AuthAck:
    case AccountEvent::Kind::AuthRefused:
    case AccountEvent::Kind::SubscribeAck:
    case AccountEvent::Kind::Pong:
    case AccountEvent::Kind::VenueError:
    case AccountEvent::Kind::Ignored:
    case AccountEvent::Kind::Malformed:
        return; // the stream handles these and reports problems itself
    }
}

void LiveMonitor::venueReconnected(Venue venue)
{
    for (auto& exchange : m_exchangeAccounts) {
        if (exchange.reads->venue() == venue) {
            exchange.reads->refreshNow();
        }
    }
}

LiveMonitor::~LiveMonitor()
{
    for (auto& exchange : m_exchangeAccounts) {
        exchange.reads->stop();
        if (exchange.stream) {
            exchange.stream->stop();
        }
        if (exchange.orders) {
            exchange.orders->close();
        }
    }
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
        for (auto& exchange : m_exchangeAccounts) {
            exchange.reads->start();
            if (exchange.stream) {
                exchange.stream->start();
            }
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
        m_alerts->checkTimers();
        scheduleFreshnessCheck();
    });
}

void LiveMonitor::stop()
{
    boost::asio::post(m_impl->io, [this] {
        m_impl->running = false;
        m_impl->freshnessTimer.cancel();
        for (auto& exchange : m_exchangeAccounts) {
            exchange.reads->stop();
            if (exchange.stream) {
                exchange.stream->stop();
            }
            if (exchange.orders) {
                exchange.orders->close();
            }
        }
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

std::vector<AccountReadLine> LiveMonitor::accountReads() const
{
    std::vector<AccountReadLine> lines;
    for (const auto& exchange : m_exchangeAccounts) {
        const Account& account = m_monitor.portfolio(exchange.account).account;
        lines.push_back({exchange.account, account.venue, account.label, exchange.reads->status(),
                         exchange.stream ? std::optional(exchange.stream->status()) : std::nullopt});
    }
    return lines;
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
