#pragma once

#include "alerts/alert_event.h"
#include "deleverage/account_deleverage_settings.h"
#include "deleverage/deleverage_audit.h"
#include "deleverage/deleverage_market_view.h"
#include "deleverage/deleverage_planner.h"
#include "deleverage/deleverage_status.h"
#include "domain/order.h"
#include "engine/subscription.h"
#include "money/clock.h"

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

namespace mm {

/// Runs `task` once, `delay` from now, on the executor's thread (the core thread's timer in the app;
/// tests run the tasks by hand). The executor has no timer of its own.
using DeleverageSchedule = std::function<void(std::chrono::milliseconds delay, std::function<void()> task)>;

struct DeleverageExecutorOptions {
    /// Unique per run of the engine (the journal's run number): part of every client order id.
    std::string runId = "run";
    /// No screen (marginctl watch): only then may a countdown be zero.
    bool headless = false;
    int maxSendAttempts = 3; ///< place calls per action, every one with the same client order id
    int maxLookups = 5;      ///< lookups per action before giving up — never a blind resend
    std::chrono::milliseconds lookupDelay{1000}; ///< before looking up an order whose fate is unknown
};

/// Sends the reduce-only orders that deleverage a position, when an alert episode (or the trader)
/// asks and every safety rule of DESIGN.md allows it:
///  - off by default, per account, and only with a separate trade key (configureAccount);
///  - dry-run first: the plan is journaled and nothing is sent until the trader turns dry-run off;
///  - never on stale data: the mark's feed and age and the last account read are checked when
///    deciding and again right before each send;
///  - only reduce-only orders on the side that reduces the position, never more than the position
///    holds *at send time* (clamped; a flipped or vanished position is refused);
///  - a countdown the trader can cancel (cancel()), then the send;
///  - caps per position per hour and per day (seedSentOrder carries them across restarts);
///  - one idempotent client order id per alert episode: a second trigger never makes a second order;
///    after a timeout or an unknown answer the order is looked up by that id before anything is
///    resent; "not found" → resent with the same id (at most maxSendAttempts); a duplicate → looked up;
///  - every step journaled through DeleverageAudit, the intent before the gateway is called;
///  - after a fill the account is read again (requestAccountRead) and verify() checks the target.
///
/// Single-threaded: call everything on the core thread, which also runs the gateway's callbacks and
/// the scheduled tasks. Qt-free, no sockets: the gateway and the schedule are injected.
class DeleverageExecutor {
public:
    DeleverageExecutor(const Clock& clock, const DeleverageMarketView& market, DeleverageAudit& audit,
                       DeleverageSchedule schedule, std::function<void(std::size_t account)> requestAccountRead,
                       DeleverageExecutorOptions options = {});
    ~DeleverageExecutor();
    DeleverageExecutor(const DeleverageExecutor&) = delete;
    DeleverageExecutor& operator=(const DeleverageExecutor&) = delete;

    /// The wall clock for the journal's times (default: the system clock).
    void setWallClock(std::function<std::int64_t()> wallTimeMs) { m_wallTimeMs = std::move(wallTimeMs); }

    /// Enables (or changes) an account's deleveraging. `hasTradeKey`: the account has a separate
    /// key with trade permission, whose gateway places the orders (nullptr: none). Throws
    /// std::invalid_argument with the settings' problem in words.
    void configureAccount(std::size_t account, AccountDeleverageSettings settings, bool hasTradeKey, OrderGateway* gateway);
    [[nodiscard]] std::optional<AccountDeleverageSettings> settings(std::size_t account) const;

    /// Counts an order sent before this run (from the journal) against the caps of its position. The
    /// journal keeps wall times: pass clock.now() − (wall now − wall sent). Orders older than a day are ignored.
    void seedSentOrder(std::size_t account, const std::string& symbol, PositionSide leg, MonotonicTime sentAt);

    /// An alert changed. Raised or escalated to the account's trigger level, on a position (never the
    /// stale-data rule): plan, then dry-run or countdown. Cleared: stops a running countdown.
    void onAlert(const AlertEvent& event);

    /// The plan for reducing a position now, for the confirmation dialog (no guard, nothing journaled).
    /// `target` unset: the account's target.
    [[nodiscard]] DeleveragePlan previewManual(std::size_t account, std::size_t position,
                                               std::optional<DeleverageTarget> target = {}) const;
    /// The trader's own deleverage: the same guards as an alert's (except the trigger level), the same
    /// dry-run and countdown, its own client order id. Returns the action to follow or cancel.
    DeleverageAction executeManual(std::size_t account, std::size_t position, std::optional<DeleverageTarget> target = {});

    /// Stops a countdown (journaled). False when there is none to stop: after the countdown the order
    /// is with the venue and only its result can be awaited.
    bool cancel(const DeleverageAction& action, std::string_view why = "cancelled by the trader");
    bool cancelEpisode(std::uint64_t episode) { return cancel(DeleverageAction::forEpisode(episode)); }

    /// The account has been read again after an order: judges every action on it that awaits
    /// verification against its target at the current figures (journaled: verified / target-missed).
    void verify(std::size_t account);

    [[nodiscard]] std::optional<DeleverageStatus> status(const DeleverageAction& action) const;
    [[nodiscard]] std::string clientOrderId(const DeleverageAction& action) const;
    /// Every change of every action's status, as it happens.
    [[nodiscard]] std::unique_ptr<Subscription> onStatus(std::function<void(const DeleverageStatus&)> callback)
    {
        return m_statusSubscribers.subscribe(std::move(callback));
    }

private:
    struct AccountEntry {
        AccountDeleverageSettings settings;
        bool hasTradeKey = false;
        OrderGateway* gateway = nullptr;
    };
    struct Run {
        DeleverageStatus status;
        DeleverageTarget target;
        Side positionSide = Side::Long;
        PositionSide leg = PositionSide::Both;
        std::uint64_t generation = 0; ///< bumped on every transition: stale timers and answers are ignored
        int lookups = 0;
        bool awaitingVerification = false;
        std::optional<OrderRequest> request; ///< the order, once decided (resends reuse its id)
    };
    using PositionKey = std::tuple<std::size_t, std::string, PositionSide>;

    void begin(const DeleverageAction& action, std::size_t account, std::size_t positionIndex,
               const std::string& expectedSymbol, std::optional<Side> expectedSide,
               std::optional<DeleverageTarget> target);
    void countdownEnded(const DeleverageAction& action, std::uint64_t generation);
    void sendAttempt(Run& run);
    void placeAnswered(const DeleverageAction& action, std::uint64_t generation, const OrderOutcome& outcome);
    void lookupLater(Run& run);
    void lookup(const DeleverageAction& action, std::uint64_t generation);
    void lookupAnswered(const DeleverageAction& action, std::uint64_t generation, const OrderOutcome& outcome);
    void finish(Run& run, DeleverageState state, const OrderOutcome& outcome, std::string reason);

    /// The reason the account cannot send now (off, dry-run, no key), or nullopt.
    [[nodiscard]] std::optional<std::string> accountRefusal(std::size_t account, bool checkDryRun) const;
    /// Why this position's figures are too old to act on, or nullopt.
    [[nodiscard]] std::optional<std::string> staleReason(std::size_t account, const Position& position) const;
    [[nodiscard]] std::optional<std::string> capReason(std::size_t account, const Position& position);
    [[nodiscard]] DeleveragePlan planFor(std::size_t account, const Portfolio& portfolio, std::size_t index,
                                         const DeleverageTarget& target, const LotRules& rules) const;
    [[nodiscard]] static std::optional<std::size_t> findPosition(const Portfolio& portfolio, const std::string& symbol,
                                                                 PositionSide leg, Side side);

    void refuse(Run& run, std::string reason);
    void record(const Run& run, DeleverageStepKind kind, std::string detail, std::string quantity = {},
                std::string status = {});
    void publish(Run& run);
    [[nodiscard]] const MarginModel& modelFor(Venue venue) const;

    const Clock& m_clock;
    const DeleverageMarketView& m_market;
    DeleverageAudit& m_audit;
    DeleverageSchedule m_schedule;
    std::function<void(std::size_t)> m_requestAccountRead;
    DeleverageExecutorOptions m_options;
    std::function<std::int64_t()> m_wallTimeMs;
    std::map<std::size_t, AccountEntry> m_accounts;
    std::map<DeleverageAction, Run> m_runs; ///< never erased: node references stay valid across callbacks
    std::map<PositionKey, std::deque<MonotonicTime>> m_sentOrders;
    mutable std::map<Venue, std::unique_ptr<MarginModel>> m_models;
    std::uint64_t m_manualActions = 0;
    std::shared_ptr<int> m_alive = std::make_shared<int>(0); ///< scheduled tasks and answers check it
    SubscriberList<DeleverageStatus> m_statusSubscribers;
};

} // namespace mm
