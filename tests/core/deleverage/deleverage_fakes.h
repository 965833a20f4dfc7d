#pragma once
// Scripted stand-ins for what the deleverage executor is given: the market view, the schedule, the
// order gateway and the audit sink. One shared timeline records audit steps and gateway calls in
// the order they happened, so a test can check that the intent came before the order.

#include "deleverage/deleverage_executor.h"
#include "margin/builtin_instruments.h"

#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace mm::test {

struct Timeline {
    std::vector<std::string> entries; ///< "audit:intent", "place:<id>", "lookup:<id>"
};

class FakeMarketView final : public DeleverageMarketView {
public:
    std::map<std::size_t, Portfolio> portfolios;
    DataFreshness fresh{FeedState::Fresh, std::chrono::milliseconds(200), std::chrono::milliseconds(5000)};
    std::map<std::string, DataFreshness> freshnessBySymbol; ///< overrides `fresh`
    LotRules rules{Decimal::parse("0.001"), Decimal(), Decimal()};

    const Portfolio* portfolio(std::size_t account) const override
    {
        const auto found = portfolios.find(account);
        return found == portfolios.end() ? nullptr : &found->second;
    }
    DataFreshness freshness(std::size_t /*account*/, const Position& position) const override
    {
        const auto found = freshnessBySymbol.find(position.symbol);
        return found == freshnessBySymbol.end() ? fresh : found->second;
    }
    std::optional<LotRules> lotRules(std::size_t /*account*/, const Position& /*position*/) const override
    {
        return rules;
    }
};

/// Tasks run when the test moves the ManualClock past their time.
class FakeScheduler {
public:
    explicit FakeScheduler(ManualClock& clock) : m_clock(clock) {}

    DeleverageSchedule schedule()
    {
        return [this](std::chrono::milliseconds delay, std::function<void()> task) {
            m_tasks.push_back({m_clock.now() + delay, std::move(task)});
        };
    }
    /// Advances the clock in steps to each due task and runs it, up to `span` from now.
    void advance(std::chrono::milliseconds span)
    {
        const MonotonicTime end = m_clock.now() + span;
        for (;;) {
            auto next = m_tasks.end();
            for (auto it = m_tasks.begin(); it != m_tasks.end(); ++it) {
                if (it->due <= end && (next == m_tasks.end() || it->due < next->due)) {
                    next = it;
                }
            }
            if (next == m_tasks.end()) {
                break;
            }
            if (next->due > m_clock.now()) {
                m_clock.set(next->due);
            }
            auto task = std::move(next->task);
            m_tasks.erase(next);
            task();
        }
        m_clock.set(end);
    }
    [[nodiscard]] std::size_t pending() const { return m_tasks.size(); }

private:
    struct Task {
        MonotonicTime due;
        std::function<void()> task;
    };
    ManualClock& m_clock;
    std::vector<Task> m_tasks;
};

/// Answers from a script (Filled when the script runs out), synchronously or when told to.
class FakeGateway final : public OrderGateway {
public:
    explicit FakeGateway(Timeline& timeline) : m_timeline(timeline) {}

    std::deque<OrderOutcome::Status> placeAnswers;
    std::deque<OrderOutcome::Status> lookupAnswers;
    bool answerAtOnce = true;
    std::vector<OrderRequest> placed;
    std::vector<OrderRequest> lookedUp;
    std::vector<std::function<void()>> pendingAnswers;
    std::function<void(const OrderRequest&)> beforePlace; ///< checks by the property test

    void place(const OrderRequest& request, std::function<void(const OrderOutcome&)> done) override
    {
        if (beforePlace) {
            beforePlace(request);
        }
        m_timeline.entries.push_back("place:" + request.clientOrderId);
        placed.push_back(request);
        answer(request, next(placeAnswers), std::move(done));
    }
    void lookup(const OrderRequest& request, std::function<void(const OrderOutcome&)> done) override
    {
        m_timeline.entries.push_back("lookup:" + request.clientOrderId);
        lookedUp.push_back(request);
        answer(request, next(lookupAnswers), std::move(done));
    }
    void answerPending()
    {
        auto answers = std::move(pendingAnswers);
        pendingAnswers.clear();
        for (auto& a : answers) {
            a();
        }
    }

private:
    static OrderOutcome::Status next(std::deque<OrderOutcome::Status>& script)
    {
        if (script.empty()) {
            return OrderOutcome::Status::Filled;
        }
        const auto status = script.front();
        script.pop_front();
        return status;
    }
    void answer(const OrderRequest& request, OrderOutcome::Status status, std::function<void(const OrderOutcome&)> done)
    {
        OrderOutcome outcome;
        outcome.status = status;
        outcome.clientOrderId = request.clientOrderId;
        if (status == OrderOutcome::Status::Filled) {
            outcome.filledQuantity = request.quantity;
        }
        if (status == OrderOutcome::Status::Unknown) {
            outcome.message = "HTTP 503 / timeout";
        }
        if (answerAtOnce) {
            done(outcome);
        } else {
            pendingAnswers.push_back([done = std::move(done), outcome] { done(outcome); });
        }
    }
    Timeline& m_timeline;
};

class RecordingAudit final : public DeleverageAudit {
public:
    explicit RecordingAudit(Timeline& timeline) : m_timeline(timeline) {}
    std::vector<DeleverageStep> steps;
    void record(const DeleverageStep& step) override
    {
        steps.push_back(step);
        m_timeline.entries.push_back("audit:" + std::string(deleverageStepName(step.step)));
    }
    [[nodiscard]] std::vector<std::string> names() const
    {
        std::vector<std::string> result;
        for (const auto& step : steps) {
            result.emplace_back(deleverageStepName(step.step));
        }
        return result;
    }

private:
    Timeline& m_timeline;
};

} // namespace mm::test
