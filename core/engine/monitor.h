#pragma once

#include "domain/account.h"
#include "domain/mark_tick.h"
#include "engine/subscription.h"
#include "margin/margin_model.h"
#include "money/clock.h"

#include <chrono>
#include <map>
#include <optional>
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

/// The venue's own figures for one position, from its account reads (REST snapshot or private
/// stream), kept beside the monitor's: they confirm, they never replace the computation.
struct ExchangeFigures {
    /// nullopt when the venue reports none ("0", "", null): the computed price stands in.
    std::optional<Decimal> liquidationPrice;
    std::optional<Decimal> maintenanceMargin;
    std::optional<Decimal> marginRatio; ///< the venue's own ratio and direction (OKX mgnRatio)
    /// Set by the monitor: its own liquidation price when the read came, at the marks of that moment
    /// — what the venue's figure is compared with. (A cross position's price moves with every other
    /// symbol's mark, so the venue's figure ages; comparing it with a later computation would flag
    /// a fast market, not a wrong model.)
    std::optional<double> computedAtRead;
};

/// The venue's own account-wide figures.
struct ExchangeAccountFigures {
    std::optional<Decimal> marginBalance;
    std::optional<Decimal> maintenanceMargin;
    std::optional<Decimal> marginRatio; ///< the venue's own ratio and direction (Bybit accountMMRate, OKX mgnRatio)
};

/// Where an account's positions come from.
enum class AccountSource {
    File,     ///< a portfolio file or the trader's manual entries: the monitor's figures only
    Exchange, ///< the venue's account reads: its figures are kept beside the monitor's
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
    std::size_t addAccount(Portfolio portfolio, AccountSource source = AccountSource::File);
    /// Replaces an account's positions and wallet with what its venue reported (the account keeps
    /// its venue and label), the venue's own
    /// figures kept beside them (one per position, or none). Positions on a symbol whose marks are
    /// streaming are valued at the latest streamed mark, not at the answer's (older) one. Publishes a
    /// RiskSnapshot with every position of the account. Throws what addAccount throws, leaving the
    /// account as it was.
    void replaceAccount(std::size_t account, Portfolio portfolio, std::vector<ExchangeFigures> exchange,
                        ExchangeAccountFigures exchangeAccount);
    /// The longest a healthy stream of this venue stays silent per symbol (default 1 s).
    void setExpectedInterval(Venue venue, std::chrono::milliseconds interval);

    /// What became of a tick.
    enum class TickOutcome {
        Applied,   ///< positions re-evaluated, a RiskSnapshot published per account holding the symbol
        Unwatched, ///< no account holds the symbol: only counted
        Refused,   ///< the mark leaves a position's figures out of range (an absurd price that got past
                   ///< the parser): nothing changed, the last good mark stands, freshness not renewed
    };
    /// Applies a mark price: re-evaluates the positions on its symbol and publishes a RiskSnapshot
    /// per account holding any. Never throws on the tick's numbers. A subscriber may apply other
    /// ticks from its callback, but must not add or replace accounts there.
    TickOutcome applyTick(const MarkTick& tick);
    /// Marks symbols silent for three times their venue's expected interval as stale (publishing
    /// each change); call it periodically.
    void checkFreshness();

    /// Every position of an account at the current marks, all liquidation prices re-solved.
    [[nodiscard]] PortfolioRisk evaluate(std::size_t account) const;
    [[nodiscard]] const Portfolio& portfolio(std::size_t account) const { return m_accounts.at(account).portfolio; }
    [[nodiscard]] AccountSource source(std::size_t account) const { return m_accounts.at(account).source; }
    /// The venue's figures per position (empty for a File account, and until the first read).
    [[nodiscard]] const std::vector<ExchangeFigures>& exchangeFigures(std::size_t account) const
    {
        return m_accounts.at(account).exchange;
    }
    [[nodiscard]] const ExchangeAccountFigures& exchangeAccountFigures(std::size_t account) const
    {
        return m_accounts.at(account).exchangeAccount;
    }
    /// When the venue's account reads last replaced the account; nullopt before the first.
    [[nodiscard]] std::optional<MonotonicTime> reportedAt(std::size_t account) const
    {
        return m_accounts.at(account).reportedAt;
    }
    [[nodiscard]] std::size_t accountCount() const { return m_accounts.size(); }
    /// Changes whenever the account's positions are replaced (their indexes may then mean others).
    [[nodiscard]] std::uint64_t revision(std::size_t account) const { return m_accounts.at(account).revision; }
    /// The symbols to stream from a venue (its own names), for its mark-price protocol.
    [[nodiscard]] std::vector<std::string> symbolsOn(Venue venue) const;
    [[nodiscard]] std::vector<FeedStatus> feeds() const;
    [[nodiscard]] std::uint64_t unwatchedTicks() const { return m_unwatchedTicks; }
    [[nodiscard]] std::uint64_t refusedTicks() const { return m_refusedTicks; }

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
        AccountSource source = AccountSource::File;
        std::vector<ExchangeFigures> exchange;
        ExchangeAccountFigures exchangeAccount;
        std::optional<MonotonicTime> reportedAt;
        std::uint64_t revision = 0;
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
        std::optional<Decimal> lastMark; ///< the latest streamed mark
    };
    using FeedKey = std::pair<Venue, std::string>;

    static AccountBook makeBook(Portfolio portfolio);
    void index(std::size_t account);
    /// A tick's new figures, worked out for every holding before any is applied (scratch reused per tick).
    struct Pending {
        std::size_t holding = 0; ///< in the feed's holdings
        std::size_t position = 0;
        PositionFigures figures;
    };
    /// Works out every holding's figures at `mark` into m_pending; false when they do not fit.
    bool prepare(const SymbolFeed& feed, const Decimal& mark);
    void reevaluate(const Holding& holding, const MarkTick& tick, const std::vector<Pending>& pending,
                    std::size_t holdingIndex, const CrossTotals& totals);
    void publishAccount(std::size_t account, MonotonicTime causedAt);
    std::chrono::milliseconds expectedInterval(Venue venue) const;

    const Clock& m_clock;
    MonotonicTime m_started;
    std::vector<AccountBook> m_accounts;
    std::map<FeedKey, SymbolFeed, std::less<>> m_feeds;
    std::map<Venue, std::chrono::milliseconds> m_intervals;
    std::uint64_t m_unwatchedTicks = 0;
    std::uint64_t m_refusedTicks = 0;
    std::vector<Pending> m_pending;
    std::vector<CrossTotals> m_pendingTotals; ///< per holding
    RiskSnapshot m_snapshot; ///< reused for every publish: no allocation per tick once warm
    SubscriberList<RiskSnapshot> m_riskSubscribers;
    SubscriberList<FeedStatus> m_feedSubscribers;
};

} // namespace mm
