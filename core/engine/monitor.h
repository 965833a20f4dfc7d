#pragma once

#include "domain/account.h"
#include "domain/mark_tick.h"
#include "engine/subscription.h"
#include "margin/margin_model.h"
#include "money/clock.h"

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace mm {

/// What the monitor publishes after every tick that moved a position: the account's cross margin
/// and the positions re-evaluated (those on the ticked symbol).
struct RiskSnapshot {
    std::size_t account = 0; ///< the account's index in the monitor
    AccountRisk accountRisk;
    /// (index in the account's portfolio, its risk at the new mark)
    std::vector<std::pair<std::size_t, PositionRisk>> positions;
    MonotonicTime tickReceivedAt{}; ///< when the tick that caused it was received
    MonotonicTime evaluatedAt{};    ///< when its evaluation was done (the monitor's clock)
};

/// Whether a symbol's mark prices are arriving. Stale is a risk state: the numbers shown may no
/// longer be true.
enum class FeedState {
    Waiting, ///< nothing received yet
    Fresh,
    Stale, ///< nothing for three times the venue's expected interval
};

struct FeedStatus {
    Venue venue = Venue::Generic;
    std::string symbol;
    FeedState state = FeedState::Waiting;
    MonotonicTime lastTickAt{}; ///< the monitor clock's start while nothing has arrived
    std::uint64_t ticks = 0;
};

/// Holds every account's positions, applies mark ticks and evaluates risk on every one of them.
///
/// Per tick, exactly: the positions on the ticked symbol (in every account on that venue) and the
/// account's cross margin — ratio, balance, requirement. A move of one symbol also shifts the
/// liquidation price of the account's other cross positions (through the shared equity); their
/// ratio, the account's, is current on every tick, and their liquidation prices are re-solved by
/// evaluate(), which the display calls at its own pace. Accounts are kept by the running sums of
/// their cross positions, so a tick costs the positions on its symbol, not the account's size.
///
/// Single-threaded: call everything, and drop subscriptions, on the thread that owns the monitor.
class Monitor {
public:
    explicit Monitor(const Clock& clock);

    /// Adds an account and its positions; returns its index. Throws what MarginModel::evaluate
    /// throws for a portfolio it cannot evaluate.
    std::size_t addAccount(Portfolio portfolio);
    /// The longest a healthy stream of this venue stays silent per symbol (default 1 s).
    void setExpectedInterval(Venue venue, std::chrono::milliseconds interval);

    /// Applies a mark price: re-evaluates the positions on its symbol and publishes a RiskSnapshot
    /// per account holding any. A tick for a symbol no account holds is only counted.
    void applyTick(const MarkTick& tick);
    /// Marks symbols silent for three times their venue's expected interval as stale (publishing
    /// each change); call it periodically.
    void checkFreshness();

    /// Every position of an account at the current marks, all liquidation prices re-solved.
    [[nodiscard]] PortfolioRisk evaluate(std::size_t account) const;
    [[nodiscard]] const Portfolio& portfolio(std::size_t account) const { return m_accounts.at(account).portfolio; }
    [[nodiscard]] std::size_t accountCount() const { return m_accounts.size(); }
    /// The symbols to stream from a venue (its own names), for its mark-price protocol.
    [[nodiscard]] std::vector<std::string> symbolsOn(Venue venue) const;
    [[nodiscard]] std::vector<FeedStatus> feeds() const;
    [[nodiscard]] std::uint64_t unwatchedTicks() const { return m_unwatchedTicks; }

    [[nodiscard]] std::unique_ptr<Subscription> onRisk(std::function<void(const RiskSnapshot&)> callback)
    {
        return m_riskSubscribers.subscribe(std::move(callback));
    }
    [[nodiscard]] std::unique_ptr<Subscription> onFeed(std::function<void(const FeedStatus&)> callback)
    {
        return m_feedSubscribers.subscribe(std::move(callback));
    }

private:
    struct AccountBook {
        Portfolio portfolio;
        std::unique_ptr<MarginModel> model;
        std::vector<PositionFigures> figures; ///< per position, at its current mark
        CrossTotals totals;
    };
    /// The positions of one account on one symbol.
    struct Holding {
        std::size_t account = 0;
        std::vector<std::size_t> crossLegs; ///< one, or the two legs of a hedged symbol
        std::vector<std::size_t> isolated;
    };
    struct SymbolFeed {
        FeedStatus status;
        std::vector<Holding> holdings;
    };
    using FeedKey = std::pair<Venue, std::string>;

    void reevaluate(const Holding& holding, const MarkTick& tick);
    std::chrono::milliseconds expectedInterval(Venue venue) const;

    const Clock& m_clock;
    MonotonicTime m_started;
    std::vector<AccountBook> m_accounts;
    std::map<FeedKey, SymbolFeed, std::less<>> m_feeds;
    std::map<Venue, std::chrono::milliseconds> m_intervals;
    std::uint64_t m_unwatchedTicks = 0;
    RiskSnapshot m_snapshot; ///< reused for every publish: no allocation per tick once warm
    SubscriberList<RiskSnapshot> m_riskSubscribers;
    SubscriberList<FeedStatus> m_feedSubscribers;
};

} // namespace mm
