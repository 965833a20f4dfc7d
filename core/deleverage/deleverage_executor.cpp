#include "deleverage/deleverage_executor.h"

#include "deleverage/client_order_id.h"
#include "deleverage/trader_text.h"

#include <algorithm>
#include <stdexcept>

namespace mm {
namespace {

using namespace std::chrono_literals;
using deleverage_text::orderVerb;

std::int64_t systemWallTimeMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string seconds(std::chrono::milliseconds age)
{
    return deleverage_text::fixed(static_cast<double>(age.count()) / 1000.0, 1) + " s";
}

} // namespace

DeleverageExecutor::DeleverageExecutor(const Clock& clock, const DeleverageMarketView& market, DeleverageAudit& audit,
                                       DeleverageSchedule schedule,
                                       std::function<void(std::size_t account)> requestAccountRead,
                                       DeleverageExecutorOptions options)
    : m_clock(clock)
    , m_market(market)
    , m_audit(audit)
    , m_schedule(std::move(schedule))
    , m_requestAccountRead(std::move(requestAccountRead))
    , m_options(std::move(options))
    , m_wallTimeMs(systemWallTimeMs)
{
    if (!m_schedule) {
        throw std::invalid_argument("the deleverage executor needs a schedule for its countdowns and lookups");
    }
}

DeleverageExecutor::~DeleverageExecutor() = default; // m_alive goes: pending tasks and answers find nothing

void DeleverageExecutor::configureAccount(std::size_t account, AccountDeleverageSettings settings, bool hasTradeKey,
                                          OrderGateway* gateway)
{
    if (auto problem = settings.problem(m_options.headless)) {
        throw std::invalid_argument("deleverage settings: " + *problem);
    }
    m_accounts[account] = AccountEntry{std::move(settings), hasTradeKey, gateway};
}

std::optional<AccountDeleverageSettings> DeleverageExecutor::settings(std::size_t account) const
{
    const auto found = m_accounts.find(account);
    if (found == m_accounts.end()) {
        return std::nullopt;
    }
    return found->second.settings;
}

void DeleverageExecutor::seedSentOrder(std::size_t account, const std::string& symbol, PositionSide leg,
                                       MonotonicTime sentAt)
{
    if (m_clock.now() - sentAt >= 24h) {
        return;
    }
    auto& sent = m_sentOrders[PositionKey{account, symbol, leg}];
    sent.insert(std::upper_bound(sent.begin(), sent.end(), sentAt), sentAt);
}

void DeleverageExecutor::onAlert(const AlertEvent& event)
{
    const DeleverageAction action = DeleverageAction::forEpisode(event.episode);
    const auto existing = m_runs.find(action);
    if (event.change == AlertChange::Cleared) {
        if (existing != m_runs.end() && existing->second.status.state == DeleverageState::Countdown) {
            cancel(action, "the alert cleared before the countdown ended");
        }
        return;
    }
    if (event.change != AlertChange::Raised && event.change != AlertChange::Escalated) {
        return; // acknowledging or snoozing an alert is not a reason to act, nor to stop
    }
    const auto account = m_accounts.find(event.subject.account);
    if (account == m_accounts.end() || !account->second.settings.enabled) {
        return; // off by default, per account: nothing happens and nothing is journaled
    }
    if (event.level < account->second.settings.triggerLevel || event.onStaleMarks()) {
        return; // never act on the stale-data rule: its numbers are the ones not to trust
    }
    // One decision per episode: only an episode refused before anything was sent may try again
    // (with the same client order id), when it is raised or escalated anew.
    if (existing != m_runs.end() &&
        (existing->second.status.state != DeleverageState::Refused || existing->second.status.sendAttempts > 0)) {
        return;
    }
    if (!event.subject.position) {
        Run& run = m_runs[action];
        run.status.action = action;
        run.status.account = event.subject.account;
        run.status.accountLabel = event.subject.accountLabel;
        run.status.venue = event.subject.venue;
        run.status.clientOrderId = clientOrderId(action);
        refuse(run, "an account-wide alert names no position to reduce: choose one in the deleverage dialog");
        return;
    }
    begin(action, event.subject.account, *event.subject.position, event.subject.symbol, event.subject.side,
          std::nullopt);
}

DeleveragePlan DeleverageExecutor::previewManual(std::size_t account, std::size_t position,
                                                 std::optional<DeleverageTarget> target) const
{
    const Portfolio* portfolio = m_market.portfolio(account);
    const auto entry = m_accounts.find(account);
    const DeleverageTarget chosen = target.value_or(entry != m_accounts.end() ? entry->second.settings.target
                                                                              : AccountDeleverageSettings{}.target);
    if (!portfolio || position >= portfolio->positions.size()) {
        DeleveragePlan plan;
        plan.target = chosen;
        plan.explanation = "Cannot plan: the position is no longer open.";
        return plan;
    }
    const std::optional<LotRules> rules = m_market.lotRules(account, portfolio->positions[position]);
    if (!rules) {
        DeleveragePlan plan;
        plan.target = chosen;
        plan.symbol = portfolio->positions[position].symbol;
        plan.explanation = "Cannot plan: the venue's lot size for " + plan.symbol + " is unknown.";
        return plan;
    }
    return planFor(account, *portfolio, position, chosen, *rules);
}

DeleverageAction DeleverageExecutor::executeManual(std::size_t account, std::size_t position,
                                                   std::optional<DeleverageTarget> target)
{
    const DeleverageAction action = DeleverageAction::manual(++m_manualActions);
    const Portfolio* portfolio = m_market.portfolio(account);
    std::string symbol;
    std::optional<Side> side;
    if (portfolio && position < portfolio->positions.size()) {
        symbol = portfolio->positions[position].symbol;
        side = portfolio->positions[position].side;
    }
    begin(action, account, position, symbol, side, target);
    return action;
}

void DeleverageExecutor::begin(const DeleverageAction& action, std::size_t account, std::size_t positionIndex,
                               const std::string& expectedSymbol, std::optional<Side> expectedSide,
                               std::optional<DeleverageTarget> target)
{
    Run& run = m_runs[action];
    run = Run{};
    run.status.action = action;
    run.status.account = account;
    run.status.clientOrderId = clientOrderId(action);
    run.status.symbol = expectedSymbol;
    const Portfolio* portfolio = m_market.portfolio(account);
    if (portfolio) {
        run.status.accountLabel = portfolio->account.label;
        run.status.venue = portfolio->account.venue;
    }
    if (auto refusal = accountRefusal(account, false)) {
        refuse(run, *refusal);
        return;
    }
    const AccountEntry& entry = m_accounts.at(account);
    run.target = target.value_or(entry.settings.target);
    if (auto problem = run.target.problem()) {
        refuse(run, *problem);
        return;
    }
    if (!portfolio) {
        refuse(run, "the account is not being monitored");
        return;
    }
    // The alert names the position by index; make sure it is still that position.
    std::optional<std::size_t> index;
    if (positionIndex < portfolio->positions.size() &&
        (expectedSymbol.empty() || portfolio->positions[positionIndex].symbol == expectedSymbol) &&
        (!expectedSide || portfolio->positions[positionIndex].side == *expectedSide)) {
        index = positionIndex;
    } else if (expectedSide) {
        for (std::size_t i = 0; i < portfolio->positions.size(); ++i) {
            if (portfolio->positions[i].symbol == expectedSymbol && portfolio->positions[i].side == *expectedSide) {
                index = i;
                break;
            }
        }
    }
    if (!index) {
        refuse(run, "the position " + expectedSymbol + " is no longer open (or changed side)");
        return;
    }
    const Position& position = portfolio->positions[*index];
    run.status.symbol = position.symbol;
    run.positionSide = position.side;
    run.leg = position.positionSide;
    run.status.orderSide = position.side == Side::Long ? Side::Short : Side::Long;
    // One deleverage of a position at a time: several rules (distance, ratio, time…) breaching at
    // once must not each reduce it; the one under way re-plans from the position it finds.
    for (const auto& [other, otherRun] : m_runs) {
        const DeleverageState state = otherRun.status.state;
        const bool underWay = state == DeleverageState::Countdown || state == DeleverageState::Sending ||
                              state == DeleverageState::WaitingLookup;
        if (!(other == action) && underWay && otherRun.status.account == account && otherRun.status.symbol == position.symbol &&
            otherRun.leg == position.positionSide) {
            refuse(run, "another deleverage of " + position.symbol + " is under way (" + otherRun.status.clientOrderId + ")");
            return;
        }
    }
    if (auto stale = staleReason(account, position)) {
        refuse(run, *stale);
        return;
    }
    const std::optional<LotRules> rules = m_market.lotRules(account, position);
    if (!rules || !rules->lotStep.isPositive()) {
        refuse(run, "the venue's lot size for " + position.symbol + " is unknown");
        return;
    }
    if (!entry.settings.dryRun) {
        if (auto capped = capReason(account, position)) {
            refuse(run, *capped);
            return;
        }
    }
    run.status.plan = planFor(account, *portfolio, *index, run.target, *rules);
    run.status.quantity = run.status.plan.quantity;
    record(run, DeleverageStepKind::Plan, run.status.plan.explanation, run.status.plan.quantity.toString(),
           std::string(deleverageOutcomeName(run.status.plan.outcome)));
    if (!run.status.plan.hasOrder()) {
        run.status.state = DeleverageState::NothingToDo;
        run.status.reason = run.status.plan.explanation;
        publish(run);
        return;
    }
    if (entry.settings.dryRun) {
        run.status.state = DeleverageState::DryRun;
        run.status.reason = "Dry run: nothing sent. " + run.status.plan.explanation;
        record(run, DeleverageStepKind::DryRun, "dry run: the plan is journaled, nothing is sent",
               run.status.quantity.toString());
        publish(run);
        return;
    }
    const std::chrono::milliseconds countdown = entry.settings.countdown;
    run.status.state = DeleverageState::Countdown;
    run.status.countdownEndsAt = m_clock.now() + countdown;
    run.status.reason = "Sending in " + seconds(countdown) + " unless cancelled: " + run.status.plan.explanation;
    const std::uint64_t generation = ++run.generation;
    record(run, DeleverageStepKind::Countdown, "countdown of " + seconds(countdown) + " before sending",
           run.status.quantity.toString());
    publish(run);
    if (countdown.count() == 0) {
        countdownEnded(action, generation); // headless only (settings.problem)
        return;
    }
    std::weak_ptr<int> alive = m_alive;
    m_schedule(countdown, [this, alive, action, generation] {
        if (alive.lock()) {
            countdownEnded(action, generation);
        }
    });
}

void DeleverageExecutor::countdownEnded(const DeleverageAction& action, std::uint64_t generation)
{
    const auto found = m_runs.find(action);
    if (found == m_runs.end() || found->second.generation != generation ||
        found->second.status.state != DeleverageState::Countdown) {
        return; // cancelled meanwhile
    }
    Run& run = found->second;
    if (m_clock.now() < run.status.countdownEndsAt) {
        // A timer that fired early (the clock is the judge): wait for the rest.
        std::weak_ptr<int> alive = m_alive;
        const auto rest = std::chrono::ceil<std::chrono::milliseconds>(run.status.countdownEndsAt - m_clock.now());
        m_schedule(rest, [this, alive, action, generation] {
            if (alive.lock()) {
                countdownEnded(action, generation);
            }
        });
        return;
    }
    sendAttempt(run);
}

void DeleverageExecutor::sendAttempt(Run& run)
{
    const bool first = !run.request.has_value();
    const std::size_t account = run.status.account;
    // Every guard again, right before sending: the account, the key, the data, the position now.
    if (auto refusal = accountRefusal(account, true)) {
        if (first && m_accounts.count(account) && m_accounts.at(account).settings.enabled &&
            m_accounts.at(account).settings.dryRun) {
            run.status.state = DeleverageState::DryRun;
            run.status.reason = "Dry run switched on during the countdown: nothing sent.";
            ++run.generation;
            record(run, DeleverageStepKind::DryRun, run.status.reason, run.status.quantity.toString());
            publish(run);
            return;
        }
        refuse(run, *refusal + (first ? "" : " (not resent)"));
        return;
    }
    const AccountEntry& entry = m_accounts.at(account);
    const Portfolio* portfolio = m_market.portfolio(account);
    const std::optional<std::size_t> index =
        portfolio ? findPosition(*portfolio, run.status.symbol, run.leg, run.positionSide) : std::nullopt;
    if (!index) {
        refuse(run, "the position " + run.status.symbol + " is no longer open on that side" +
                        std::string(first ? "" : ": nothing resent"));
        return;
    }
    const Position& position = portfolio->positions[*index];
    if (auto stale = staleReason(account, position)) {
        refuse(run, *stale + (first ? "" : ": nothing resent"));
        return;
    }
    const std::optional<LotRules> rules = m_market.lotRules(account, position);
    if (!rules || !rules->lotStep.isPositive()) {
        refuse(run, "the venue's lot size for " + position.symbol + " is unknown");
        return;
    }
    // Never more than the position holds now (it may have shrunk), in whole lots.
    const Decimal heldLots = position.quantity.roundToStep(rules->lotStep, Decimal::Rounding::Down);
    Decimal quantity = first ? run.status.plan.quantity : run.request->quantity;
    if (first) {
        if (auto capped = capReason(account, position)) {
            refuse(run, *capped);
            return;
        }
        // Re-plan at the current mark: the move may have restored the target meanwhile.
        const DeleveragePlan now = planFor(account, *portfolio, *index, run.target, *rules);
        if (now.outcome == DeleverageOutcome::TargetAlreadyMet) {
            run.status.plan = now;
            run.status.state = DeleverageState::NothingToDo;
            run.status.reason = "Nothing sent: " + now.explanation;
            ++run.generation;
            record(run, DeleverageStepKind::Plan, run.status.reason, "0", std::string(deleverageOutcomeName(now.outcome)));
            publish(run);
            return;
        }
    }
    quantity = std::min(quantity, heldLots);
    if (!quantity.isPositive()) {
        refuse(run, "the position " + position.symbol + " is smaller than one lot now: nothing " +
                        (first ? "sent" : "resent"));
        return;
    }
    if (first) {
        OrderRequest request;
        request.venue = portfolio->account.venue;
        request.symbol = position.symbol;
        request.side = position.side == Side::Long ? Side::Short : Side::Long; // reduces it, never the other side
        request.positionSide = position.positionSide;
        request.marginMode = position.marginMode;
        request.clientOrderId = run.status.clientOrderId;
        request.quantity = quantity;
        run.request = request;
        run.status.quantity = quantity;
        // The intent is journaled before anything leaves, and counts against the caps from now on.
        record(run, DeleverageStepKind::Intent,
               orderVerb(request.side) + " " + quantity.toString() + " " + position.symbol + " reduce-only (position " +
                   position.quantity.toString() + ")",
               quantity.toString());
        auto& sent = m_sentOrders[PositionKey{account, position.symbol, position.positionSide}];
        sent.push_back(m_clock.now());
    } else {
        run.request->quantity = quantity; // a resend after "not found": same id, never more than held now
        run.status.quantity = quantity;
    }
    ++run.status.sendAttempts;
    run.status.state = DeleverageState::Sending;
    run.status.reason = "Sending " + orderVerb(run.request->side) + " " + quantity.toString() + " " + position.symbol +
                        (first ? "" : " again with the same id (the venue had no such order)");
    const std::uint64_t generation = ++run.generation;
    record(run, DeleverageStepKind::Sent, "attempt " + std::to_string(run.status.sendAttempts), quantity.toString());
    publish(run);
    std::weak_ptr<int> alive = m_alive;
    const DeleverageAction action = run.status.action;
    const OrderRequest request = *run.request;
    entry.gateway->place(request, [this, alive, action, generation](const OrderOutcome& outcome) {
        if (alive.lock()) {
            placeAnswered(action, generation, outcome);
        }
    });
}

void DeleverageExecutor::placeAnswered(const DeleverageAction& action, std::uint64_t generation,
                                       const OrderOutcome& outcome)
{
    const auto found = m_runs.find(action);
    if (found == m_runs.end() || found->second.generation != generation ||
        found->second.status.state != DeleverageState::Sending) {
        return;
    }
    Run& run = found->second;
    switch (outcome.status) {
    case OrderOutcome::Status::Filled:
    case OrderOutcome::Status::PartiallyFilled:
    case OrderOutcome::Status::Accepted:
        finish(run, DeleverageState::Done, outcome, "");
        return;
    case OrderOutcome::Status::Rejected:
        finish(run, DeleverageState::Failed, outcome, "the venue refused the order: " + outcome.message);
        return;
    case OrderOutcome::Status::Duplicate:
    case OrderOutcome::Status::NotFound:
    case OrderOutcome::Status::Unknown:
        // The order may exist: find out by its id before anything is resent (DESIGN.md).
        record(run, DeleverageStepKind::Unknown,
               (outcome.message.empty() ? std::string("no clear answer") : outcome.message) +
                   ": looking the order up by its id before anything else",
               run.status.quantity.toString(), std::string(orderStatusName(outcome.status)));
        lookupLater(run);
        return;
    }
}

void DeleverageExecutor::lookupLater(Run& run)
{
    run.status.state = DeleverageState::WaitingLookup;
    run.status.reason = "The venue's answer was unclear: looking up order " + run.status.clientOrderId;
    const std::uint64_t generation = ++run.generation;
    publish(run);
    std::weak_ptr<int> alive = m_alive;
    const DeleverageAction action = run.status.action;
    m_schedule(m_options.lookupDelay, [this, alive, action, generation] {
        if (alive.lock()) {
            lookup(action, generation);
        }
    });
}

void DeleverageExecutor::lookup(const DeleverageAction& action, std::uint64_t generation)
{
    const auto found = m_runs.find(action);
    if (found == m_runs.end() || found->second.generation != generation ||
        found->second.status.state != DeleverageState::WaitingLookup) {
        return;
    }
    Run& run = found->second;
    const auto entry = m_accounts.find(run.status.account);
    if (run.lookups >= m_options.maxLookups || entry == m_accounts.end() || !entry->second.gateway) {
        OrderOutcome unknown;
        unknown.clientOrderId = run.status.clientOrderId;
        finish(run, DeleverageState::Failed, unknown,
               "the order's fate is still unknown after " + std::to_string(run.lookups) +
                   " lookups: check the exchange before doing anything (nothing more is sent)");
        return;
    }
    ++run.lookups;
    const std::uint64_t next = ++run.generation;
    record(run, DeleverageStepKind::Lookup, "lookup " + std::to_string(run.lookups) + " by client order id",
           run.status.quantity.toString());
    std::weak_ptr<int> alive = m_alive;
    entry->second.gateway->lookup(*run.request, [this, alive, action, next](const OrderOutcome& outcome) {
        if (alive.lock()) {
            lookupAnswered(action, next, outcome);
        }
    });
}

void DeleverageExecutor::lookupAnswered(const DeleverageAction& action, std::uint64_t generation,
                                        const OrderOutcome& outcome)
{
    const auto found = m_runs.find(action);
    if (found == m_runs.end() || found->second.generation != generation ||
        found->second.status.state != DeleverageState::WaitingLookup) {
        return;
    }
    Run& run = found->second;
    switch (outcome.status) {
    case OrderOutcome::Status::Filled:
    case OrderOutcome::Status::PartiallyFilled:
    case OrderOutcome::Status::Accepted:
        finish(run, DeleverageState::Done, outcome, "");
        return;
    case OrderOutcome::Status::Rejected:
        finish(run, DeleverageState::Failed, outcome, "the venue refused the order: " + outcome.message);
        return;
    case OrderOutcome::Status::NotFound:
        record(run, DeleverageStepKind::Lookup, "the venue has no order with this id", run.status.quantity.toString(),
               std::string(orderStatusName(outcome.status)));
        if (run.status.sendAttempts >= m_options.maxSendAttempts) {
            finish(run, DeleverageState::Failed, outcome,
                   "not found after " + std::to_string(run.status.sendAttempts) + " attempts: nothing more is sent");
            return;
        }
        sendAttempt(run); // the same id: if the first did arrive after all, the venue answers "duplicate"
        return;
    case OrderOutcome::Status::Duplicate:
    case OrderOutcome::Status::Unknown:
        record(run, DeleverageStepKind::Unknown,
               (outcome.message.empty() ? std::string("no clear answer") : outcome.message) + ": looking up again",
               run.status.quantity.toString(), std::string(orderStatusName(outcome.status)));
        lookupLater(run);
        return;
    }
}

void DeleverageExecutor::finish(Run& run, DeleverageState state, const OrderOutcome& outcome, std::string reason)
{
    run.status.state = state;
    run.status.filledQuantity = outcome.filledQuantity;
    ++run.generation;
    const std::string status(orderStatusName(outcome.status));
    if (state == DeleverageState::Done) {
        reason = orderVerb(run.status.orderSide) + " " + run.status.quantity.toString() + " " + run.status.symbol + ": " +
                 status + (outcome.filledQuantity.isPositive() ? ", " + outcome.filledQuantity.toString() + " filled" : "") +
                 (outcome.averagePrice ? " at " + outcome.averagePrice->toString() : "");
    }
    run.status.reason = reason;
    record(run, DeleverageStepKind::Result, reason, outcome.filledQuantity.toString(), status);
    if (state != DeleverageState::Done) {
        publish(run);
        return;
    }
    // After execution the margin is re-read, and verify() checks the target (DESIGN.md).
    run.awaitingVerification = true;
    record(run, DeleverageStepKind::VerifyRequested, "reading the account again to check the target");
    publish(run);
    if (m_requestAccountRead) {
        m_requestAccountRead(run.status.account);
    }
}

void DeleverageExecutor::verify(std::size_t account)
{
    const Portfolio* portfolio = m_market.portfolio(account);
    for (auto& [action, run] : m_runs) {
        if (!run.awaitingVerification || run.status.account != account) {
            continue;
        }
        run.awaitingVerification = false;
        const std::optional<std::size_t> index =
            portfolio ? findPosition(*portfolio, run.status.symbol, run.leg, run.positionSide) : std::nullopt;
        bool reached = true;
        std::string detail = "the position is closed: nothing of it is left to liquidate";
        if (index) {
            try {
                const DeleveragePlanner planner(modelFor(portfolio->account.venue));
                const DeleverageMeasure measure = planner.measureAfter(*portfolio, *index, Decimal(), Decimal());
                reached = DeleveragePlanner::meets(run.target, measure);
                detail = (run.target.kind == DeleverageTarget::Kind::Distance
                              ? "distance to liquidation " + deleverage_text::percent(measure.distancePct)
                              : "margin ratio " + deleverage_text::ratio(measure.marginRatio)) +
                         (reached ? " meets " : " misses ") + "the target (" + run.target.describe() + ")";
            } catch (const std::exception& error) {
                reached = false;
                detail = std::string("cannot evaluate the account after the read: ") + error.what();
            }
        }
        run.status.targetReached = reached;
        run.status.reason = "After the order: " + detail + ".";
        record(run, reached ? DeleverageStepKind::Verified : DeleverageStepKind::TargetMissed, detail);
        publish(run);
    }
}

bool DeleverageExecutor::cancel(const DeleverageAction& action, std::string_view why)
{
    const auto found = m_runs.find(action);
    if (found == m_runs.end() || found->second.status.state != DeleverageState::Countdown) {
        return false;
    }
    Run& run = found->second;
    run.status.state = DeleverageState::Cancelled;
    run.status.reason = "Cancelled: " + std::string(why) + ". Nothing was sent.";
    ++run.generation; // the pending countdown task finds a newer generation and does nothing
    record(run, DeleverageStepKind::Cancelled, std::string(why), run.status.quantity.toString());
    publish(run);
    return true;
}

std::optional<DeleverageStatus> DeleverageExecutor::status(const DeleverageAction& action) const
{
    const auto found = m_runs.find(action);
    if (found == m_runs.end()) {
        return std::nullopt;
    }
    DeleverageStatus status = found->second.status;
    if (status.state == DeleverageState::Countdown) {
        status.countdownRemaining = std::max(std::chrono::milliseconds(0),
            std::chrono::ceil<std::chrono::milliseconds>(status.countdownEndsAt - m_clock.now()));
    }
    return status;
}

std::string DeleverageExecutor::clientOrderId(const DeleverageAction& action) const
{
    return deleverageClientOrderId(m_options.runId, action);
}

std::optional<std::string> DeleverageExecutor::accountRefusal(std::size_t account, bool checkDryRun) const
{
    const auto found = m_accounts.find(account);
    if (found == m_accounts.end() || !found->second.settings.enabled) {
        return "automatic deleveraging is off for this account";
    }
    if (!found->second.hasTradeKey || !found->second.gateway) {
        return "the account has no separate trade key: orders are never sent with the read key";
    }
    if (checkDryRun && found->second.settings.dryRun) {
        return "dry run: nothing is sent";
    }
    return std::nullopt;
}

std::optional<std::string> DeleverageExecutor::staleReason(std::size_t account, const Position& position) const
{
    const AccountDeleverageSettings& settings = m_accounts.at(account).settings;
    const DataFreshness freshness = m_market.freshness(account, position);
    if (freshness.markFeed != FeedState::Fresh) {
        return "stale data: the mark prices of " + position.symbol + " are " +
               (freshness.markFeed == FeedState::Waiting ? "not arriving yet" : "stale");
    }
    if (freshness.markAge > settings.maxMarkAge) {
        return "stale data: the last mark of " + position.symbol + " is " + seconds(freshness.markAge) + " old (limit " +
               seconds(settings.maxMarkAge) + ")";
    }
    if (!freshness.accountReadAge) {
        return "the venue has not reported this account's positions: no order on unconfirmed positions";
    }
    if (*freshness.accountReadAge > settings.maxAccountReadAge) {
        return "stale data: the account was last read " + seconds(*freshness.accountReadAge) + " ago (limit " +
               seconds(settings.maxAccountReadAge) + ")";
    }
    return std::nullopt;
}

std::optional<std::string> DeleverageExecutor::capReason(std::size_t account, const Position& position)
{
    const AccountDeleverageSettings& settings = m_accounts.at(account).settings;
    auto& sent = m_sentOrders[PositionKey{account, position.symbol, position.positionSide}];
    const MonotonicTime now = m_clock.now();
    while (!sent.empty() && now - sent.front() >= 24h) {
        sent.pop_front();
    }
    const auto lastHour = std::count_if(sent.begin(), sent.end(), [now](MonotonicTime at) { return now - at < 1h; });
    if (lastHour >= settings.maxOrdersPerPositionPerHour) {
        return "cap reached: " + std::to_string(lastHour) + " orders on " + position.symbol +
               " in the last hour (limit " + std::to_string(settings.maxOrdersPerPositionPerHour) + ")";
    }
    if (static_cast<int>(sent.size()) >= settings.maxOrdersPerPositionPerDay) {
        return "cap reached: " + std::to_string(sent.size()) + " orders on " + position.symbol +
               " in the last 24 hours (limit " + std::to_string(settings.maxOrdersPerPositionPerDay) + ")";
    }
    return std::nullopt;
}

DeleveragePlan DeleverageExecutor::planFor(std::size_t account, const Portfolio& portfolio, std::size_t index,
                                           const DeleverageTarget& target, const LotRules& rules) const
{
    DeleverageRequest request;
    request.position = index;
    request.target = target;
    request.lotRules = rules;
    const auto entry = m_accounts.find(account);
    if (entry != m_accounts.end() && entry->second.settings.planningHeadroom > 0) {
        const double headroom = entry->second.settings.planningHeadroom;
        request.target.value = target.kind == DeleverageTarget::Kind::Distance ? target.value + headroom
                                                                               : std::max(0.0, target.value - headroom / 100.0);
    }
    if (entry != m_accounts.end() && entry->second.settings.maxFractionPerOrder && index < portfolio.positions.size()) {
        const Decimal fraction = Decimal::parse(deleverage_text::fixed(*entry->second.settings.maxFractionPerOrder, 6));
        request.maxQuantity = portfolio.positions[index].quantity * fraction;
    }
    return DeleveragePlanner(modelFor(portfolio.account.venue)).plan(portfolio, request);
}

std::optional<std::size_t> DeleverageExecutor::findPosition(const Portfolio& portfolio, const std::string& symbol,
                                                            PositionSide leg, Side side)
{
    for (std::size_t i = 0; i < portfolio.positions.size(); ++i) {
        const Position& position = portfolio.positions[i];
        if (position.symbol == symbol && position.positionSide == leg && position.side == side &&
            position.quantity.isPositive()) {
            return i;
        }
    }
    return std::nullopt;
}

void DeleverageExecutor::refuse(Run& run, std::string reason)
{
    run.status.state = DeleverageState::Refused;
    run.status.reason = "Refused: " + reason + ". Nothing sent.";
    ++run.generation;
    record(run, DeleverageStepKind::Refused, std::move(reason), run.status.quantity.toString());
    publish(run);
}

void DeleverageExecutor::record(const Run& run, DeleverageStepKind kind, std::string detail, std::string quantity,
                                std::string status)
{
    DeleverageStep step;
    step.wallTimeMs = m_wallTimeMs ? m_wallTimeMs() : systemWallTimeMs();
    step.accountLabel = run.status.accountLabel;
    step.venue = run.status.venue;
    step.symbol = run.status.symbol;
    if (run.status.action.origin == DeleverageAction::Origin::Alert) {
        step.episode = run.status.action.number;
    } else {
        step.manualAction = run.status.action.number;
    }
    step.clientOrderId = run.status.clientOrderId;
    step.step = kind;
    if (!run.status.symbol.empty() && kind != DeleverageStepKind::Refused) {
        step.side = orderVerb(run.status.orderSide);
    }
    step.quantity = std::move(quantity);
    step.status = std::move(status);
    step.detail = std::move(detail);
    m_audit.record(step);
}

void DeleverageExecutor::publish(Run& run)
{
    DeleverageStatus status = run.status;
    if (status.state == DeleverageState::Countdown) {
        status.countdownRemaining = std::max(std::chrono::milliseconds(0),
            std::chrono::ceil<std::chrono::milliseconds>(status.countdownEndsAt - m_clock.now()));
    }
    m_statusSubscribers.publish(status);
}

const MarginModel& DeleverageExecutor::modelFor(Venue venue) const
{
    auto& model = m_models[venue];
    if (!model) {
        model = MarginModel::forVenue(venue);
    }
    return *model;
}

} // namespace mm
