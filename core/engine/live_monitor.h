#pragma once

#include "alerts/alert_engine.h"
#include "engine/monitor.h"
#include "engine/risk_board.h"
#include "net/account_feed.h"
#include "net/mark_price_feed.h"
#include "net/private_account_stream.h"
#include "net/venue_order_gateway.h"

#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace mm {

/// The venue's public WebSocket host (wss://fstream.binance.com, wss://stream.bybit.com,
/// wss://ws.okx.com:8443, wss://api.hyperliquid.xyz); nullopt for Venue::Generic.
std::optional<WsUrl> publicStreamUrl(Venue venue);

/// An account whose positions come from its venue's account reads.
struct ExchangeAccountOptions {
    AccountFeed::Options reads; ///< venue, label, REST address, key or wallet address, intervals
    /// The venue's private WebSocket host (keyed venues): position, balance and margin-call events
    /// as they happen. nullopt: REST reads only.
    std::optional<WsUrl> privateStream;
    /// The separate trade key (keyed venues), used for deleveraging orders only; nullopt: none, and
    /// nothing is ever sent on this account.
    std::optional<ApiCredentials> tradeKey{};
    /// An order not answered in this time is Unknown, and looked up before anything else.
    std::chrono::milliseconds orderTimeout{std::chrono::seconds(10)};
};

struct LiveMonitorOptions {
    std::vector<Portfolio> accounts; ///< from files and manual entry: AccountSource::File
    /// Read from their venues (AccountSource::Exchange): first in the monitor, the File accounts after.
    std::vector<ExchangeAccountOptions> exchangeAccounts;
    std::map<Venue, WsUrl> venueUrls; ///< overrides publicStreamUrl() (the simulator, a testnet)
    TlsTrust trust;                   ///< see WsOptions::trust
    std::chrono::milliseconds freshnessCheckInterval{std::chrono::milliseconds(100)};
    AlertPolicy alertPolicy = defaultAlertPolicy(); ///< the rules the alert engine judges every tick by
};

/// The monitor with its live feeds: one mark-price stream per venue that any account is on, every
/// tick applied to the Monitor, freshness checked on a timer; and per exchange account an
/// AccountFeed whose snapshots replace the account's positions (their symbols joining the venue's
/// stream as they appear), read again whenever that venue's stream reconnects. Everything runs on one io_context
/// thread — the core thread — including every callback; use monitor() only from there.
class LiveMonitor {
public:
    /// Throws what Monitor::addAccount and MarkPriceFeed throw.
    LiveMonitor(boost::asio::io_context& io, const Clock& clock, LiveMonitorOptions options);
    ~LiveMonitor();
    LiveMonitor(const LiveMonitor&) = delete;
    LiveMonitor& operator=(const LiveMonitor&) = delete;

    void start();
    void stop();

    [[nodiscard]] Monitor& monitor() { return m_monitor; }
    /// Decides alerts on every tick the monitor evaluates; its timers run with the freshness check.
    [[nodiscard]] AlertEngine& alerts() { return *m_alerts; }
    [[nodiscard]] std::vector<std::pair<Venue, WsStats>> connections() const;
    [[nodiscard]] std::vector<std::pair<Venue, FeedCounters>> counters() const;
    [[nodiscard]] std::vector<AccountReadLine> accountReads() const;

    /// An exchange account's order gateway, signed with its trade key; nullptr for an account
    /// without one (or not read from its venue).
    [[nodiscard]] OrderGateway* orderGateway(std::size_t account);
    /// The exchange account's REST address and trust (its venue's instrument lists are there);
    /// nullopt for an account not read from its venue.
    [[nodiscard]] std::optional<HttpsOptions> restOf(std::size_t account) const;
    /// Reads an exchange account again now (after an order); a no-op for other accounts.
    void refreshAccount(std::size_t account);
    /// Every exchange account read applied to the monitor, with the account's index.
    [[nodiscard]] std::unique_ptr<Subscription> onAccountRead(std::function<void(std::size_t account)> callback)
    {
        return m_accountReadSubscribers.subscribe(std::move(callback));
    }

    [[nodiscard]] std::unique_ptr<Subscription> onConnection(std::function<void(Venue, const WsStats&)> callback)
    {
        return m_connectionSubscribers.subscribe([callback = std::move(callback)](const std::pair<Venue, WsStats>& event) {
            callback(event.first, event.second);
        });
    }
    [[nodiscard]] std::unique_ptr<Subscription> onProblem(std::function<void(Venue, const std::string&)> callback)
    {
        return m_problemSubscribers.subscribe([callback = std::move(callback)](const std::pair<Venue, std::string>& event) {
            callback(event.first, event.second);
        });
    }

private:
    void scheduleFreshnessCheck();
    MarkPriceFeed& feedFor(Venue venue);
    void applySnapshot(std::size_t account, const AccountSnapshot& snapshot);
    void venueReconnected(Venue venue);

    struct Impl;
    std::unique_ptr<Impl> m_impl;
    Monitor m_monitor;
    std::unique_ptr<AlertEngine> m_alerts;
    std::unique_ptr<Subscription> m_alertsAttached;
    std::vector<std::unique_ptr<MarkPriceFeed>> m_feeds;
    struct ExchangeAccount {
        std::size_t account = 0; ///< in the monitor
        std::unique_ptr<AccountFeed> reads;
        std::unique_ptr<PrivateAccountStream> stream; ///< null: none
        std::unique_ptr<VenueOrderGateway> orders;    ///< null: no trade key
        HttpsOptions rest;
    };
    void onAccountEvent(ExchangeAccount& exchange, const AccountEvent& event);
    std::vector<ExchangeAccount> m_exchangeAccounts;
    SubscriberList<std::pair<Venue, WsStats>> m_connectionSubscribers;
    SubscriberList<std::pair<Venue, std::string>> m_problemSubscribers;
    SubscriberList<std::size_t> m_accountReadSubscribers;
};

} // namespace mm
