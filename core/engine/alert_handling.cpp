#include "engine/alert_handling.h"

#include "store/journal_error.h"
#include "venues/instrument_lists.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>

namespace mm {
namespace {

std::int64_t wallNowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

/// The venue's instrument list, where its order-size rules are.
std::optional<std::string> instrumentListPath(Venue venue)
{
    switch (venue) {
    case Venue::BinanceUsdm: return "/fapi/v1/exchangeInfo";
    case Venue::BybitLinear: return "/v5/market/instruments-info?category=linear";
    case Venue::OkxSwap: return "/api/v5/public/instruments?instType=SWAP";
    case Venue::Hyperliquid:
    case Venue::Generic: return std::nullopt;
    }
    return std::nullopt;
}

} // namespace

/// The executor's audit trail into the journal: each step committed before the executor goes on.
class AlertHandling::JournalAudit final : public DeleverageAudit {
public:
    explicit JournalAudit(AlertHandling& owner) : m_owner(owner) {}
    void record(const DeleverageStep& step) override
    {
        Journal* journal = m_owner.journal();
        if (journal == nullptr) {
            return;
        }
        ActionRecord action;
        action.wallTimeMs = step.wallTimeMs;
        action.accountLabel = step.accountLabel;
        action.venue = step.venue;
        action.symbol = step.symbol;
        if (step.episode != 0) {
            action.episode = step.episode;
        }
        action.clientOrderId = step.clientOrderId;
        action.step = std::string(deleverageStepName(step.step));
        if (step.side == "sell") {
            action.side = Side::Short;
        } else if (step.side == "buy") {
            action.side = Side::Long;
        }
        action.quantity = step.quantity;
        action.status = step.status;
        action.detail = step.detail;
        // Thrown on: an intent that cannot be written must stop the order (the executor is called
        // from the core thread's handlers, which report it).
        journal->recordAction(action);
    }

private:
    AlertHandling& m_owner;
};

struct AlertHandling::Impl {
    explicit Impl(boost::asio::io_context& context) : io(context), historyTimer(context) {}
    boost::asio::io_context& io;
    boost::asio::steady_timer historyTimer;
    MonotonicTime lastCompaction{};
    bool running = false;
    std::vector<std::shared_ptr<HttpsClient>> instrumentClients;
    std::shared_ptr<bool> alive = std::make_shared<bool>(true);
};

AlertHandling::AlertHandling(boost::asio::io_context& io, LiveMonitor& live, const Clock& clock, AlertHandlingOptions options)
    : m_impl(std::make_unique<Impl>(io)), m_live(live), m_clock(clock), m_options(std::move(options)), m_market(live.monitor(), clock)
{
    if (m_options.journalFile) {
        try {
            m_journal = Journal::open(*m_options.journalFile);
        } catch (const JournalError& error) {
            std::string said = error.what();
            if (error.problem() == JournalProblem::NotADatabase || error.problem() == JournalProblem::Corrupt ||
                error.problem() == JournalProblem::NotAJournal) {
                try {
                    const auto aside = Journal::moveAside(*m_options.journalFile);
                    m_journal = Journal::open(*m_options.journalFile);
                    said += "; kept as " + aside.string() + " and a new journal started";
                } catch (const std::exception& again) {
                    said += std::string("; a new journal could not be started either: ") + again.what();
                }
            }
            m_setupProblems.push_back("journal: " + said);
        }
    }
    m_audit = std::make_unique<JournalAudit>(*this);
    DeleverageExecutorOptions executorOptions;
    executorOptions.runId = m_journal ? std::to_string(m_journal->runId()) : "0";
    executorOptions.headless = m_options.headless;
    m_executor = std::make_unique<DeleverageExecutor>(
        clock, m_market, *m_audit,
        [this](std::chrono::milliseconds after, std::function<void()> task) {
            auto timer = std::make_shared<boost::asio::steady_timer>(m_impl->io);
            timer->expires_after(m_clock.realTimeFor(after));
            timer->async_wait([timer, task = std::move(task), alive = m_impl->alive](boost::system::error_code error) {
                if (!error && *alive) {
                    task();
                }
            });
        },
        [this](std::size_t account) { m_live.refreshAccount(account); }, executorOptions);

    Monitor& monitor = m_live.monitor();
    for (const AccountAutomation& automation : m_options.automation) {
        std::optional<std::size_t> account;
        for (std::size_t i = 0; i < monitor.accountCount(); ++i) {
            if (monitor.portfolio(i).account.label == automation.accountLabel) {
                account = i;
            }
        }
        const std::string who = "deleveraging of \"" + automation.accountLabel + "\": ";
        if (!account) {
            m_setupProblems.push_back(who + "no account has that label");
            continue;
        }
        if (automation.settings.enabled && !m_journal) {
            m_setupProblems.push_back(who + "off — it never acts without its journal (the audit trail)");
            continue;
        }
        OrderGateway* gateway = m_live.orderGateway(*account);
        try {
            m_executor->configureAccount(*account, automation.settings, gateway != nullptr, gateway);
        } catch (const std::invalid_argument& error) {
            m_setupProblems.push_back(who + error.what());
            continue;
        }
        if (automation.settings.enabled && gateway == nullptr) {
            m_setupProblems.push_back(who + "the account has no trade key: plans are journaled, nothing is sent");
        }
        if (automation.settings.enabled) {
            loadOrderSizes(*account);
        }
    }

    // The caps per position per hour and per day count the orders of earlier runs too: the journal's
    // "sent" steps of the last day (newest first; one per attempt, so a resend counts like an order,
    // erring on the side of fewer orders). Their legs are not journaled: counted for a one-way position.
    if (m_journal && !m_options.automation.empty()) {
        try {
            const std::int64_t nowMs = wallNowMs();
            const MonotonicTime now = clock.now();
            for (const ActionRow& row : m_journal->actions(10'000)) {
                if (nowMs - row.action.wallTimeMs > 24LL * 3600 * 1000) {
                    break;
                }
                if (row.action.step != deleverageStepName(DeleverageStepKind::Sent)) {
                    continue;
                }
                for (std::size_t i = 0; i < monitor.accountCount(); ++i) {
                    if (monitor.portfolio(i).account.label == row.action.accountLabel) {
                        m_executor->seedSentOrder(i, row.action.symbol, PositionSide::Both,
                                                  now - std::chrono::milliseconds(nowMs - row.action.wallTimeMs));
                    }
                }
            }
        } catch (const JournalError& error) {
            m_setupProblems.push_back(std::string("journal: the orders of earlier runs cannot be counted against the caps: ") +
                                      error.what());
        }
    }

    if (m_options.webhook) {
        try {
            m_webhook = std::make_unique<WebhookSender>(io, *m_options.webhook);
            m_webhook->onProblem([this](const std::string& text) { problem(text); });
        } catch (const std::invalid_argument& error) {
            m_setupProblems.push_back(error.what());
        }
    }

    m_subscriptions.push_back(m_live.alerts().onAlert([this](const AlertEvent& alert) { handle(alert); }));
    m_subscriptions.push_back(m_live.onAccountRead([this](std::size_t account) { m_executor->verify(account); }));
}

AlertHandling::~AlertHandling()
{
    *m_impl->alive = false;
    m_subscriptions.clear();
    for (const auto& client : m_impl->instrumentClients) {
        client->close();
    }
}

void AlertHandling::start()
{
    m_impl->running = true;
    for (const std::string& text : m_setupProblems) {
        problem(text);
    }
    scheduleHistory();
}

void AlertHandling::stop()
{
    m_impl->running = false;
    m_impl->historyTimer.cancel();
    if (m_journal) {
        try {
            m_journal->flushHistory();
        } catch (const JournalError& error) {
            problem(std::string("journal: ") + error.what());
        }
    }
}

void AlertHandling::handle(const AlertEvent& alert)
{
    if (m_journal) {
        try {
            m_journal->recordAlert(alert);
        } catch (const JournalError& error) {
            if (!m_journalFailed) { // said once: a full disk would otherwise say it per alert
                m_journalFailed = true;
                problem(std::string("journal: alerts cannot be written: ") + error.what());
            }
        }
    }
    if (m_webhook) {
        m_webhook->send(alert);
    }
    try {
        m_executor->onAlert(alert);
    } catch (const std::exception& error) {
        // An audit step that could not be written stops the action before any order leaves.
        problem("deleveraging stopped: " + std::string(error.what()));
    }
}

void AlertHandling::problem(const std::string& text)
{
    m_problems.publish(text);
}

void AlertHandling::loadOrderSizes(std::size_t account)
{
    const Venue venue = m_live.monitor().portfolio(account).account.venue;
    const auto path = instrumentListPath(venue);
    const auto rest = m_live.restOf(account);
    if (!path || !rest) {
        return;
    }
    auto client = HttpsClient::create(m_impl->io, *rest);
    m_impl->instrumentClients.push_back(client);
    HttpRequest request;
    request.target = *path;
    client->request(std::move(request), [this, venue, alive = m_impl->alive](HttpResponse response) {
        if (!*alive) {
            return;
        }
        std::string said;
        const auto rules = response.outcome == HttpOutcome::Ok ? parseOrderSizeRules(venue, response.body, said) : std::nullopt;
        if (!rules) {
            problem(std::string(venueName(venue)) + " instrument list (order sizes) could not be read: " +
                    (said.empty() ? response.error + " HTTP " + std::to_string(response.status) : said) +
                    " — no order is sent without them");
            return;
        }
        for (const auto& [symbol, size] : *rules) {
            m_market.setLotRules(venue, symbol, LotRules{size.step, size.minQuantity, size.minNotional});
        }
    });
}

void AlertHandling::scheduleHistory()
{
    if (!m_journal || !m_impl->running) {
        return;
    }
    m_impl->historyTimer.expires_after(m_clock.realTimeFor(m_options.historyInterval));
    m_impl->historyTimer.async_wait([this, alive = m_impl->alive](boost::system::error_code error) {
        if (error || !*alive || !m_impl->running) {
            return;
        }
        recordHistory();
        scheduleHistory();
    });
}

void AlertHandling::recordHistory()
{
    Monitor& monitor = m_live.monitor();
    const std::int64_t now = wallNowMs();
    try {
        for (std::size_t account = 0; account < monitor.accountCount(); ++account) {
            const Portfolio& portfolio = monitor.portfolio(account);
            if (portfolio.positions.empty()) {
                continue;
            }
            const PortfolioRisk risk = monitor.evaluate(account);
            for (std::size_t i = 0; i < portfolio.positions.size() && i < risk.positions.size(); ++i) {
                const Position& position = portfolio.positions[i];
                m_journal->recordMark(portfolio.account.venue, position.symbol, now, position.markPrice.toDouble(),
                                      risk.positions[i].liquidationPrice, risk.positions[i].distanceToLiquidationPct);
            }
        }
        m_journal->flushHistory();
        if (m_clock.now() - m_impl->lastCompaction >= m_options.compactInterval) {
            m_impl->lastCompaction = m_clock.now();
            m_journal->compactHistory(now);
        }
    } catch (const JournalError& error) {
        if (!m_journalFailed) {
            m_journalFailed = true;
            problem(std::string("journal: history cannot be written: ") + error.what());
        }
    } catch (const std::exception& error) {
        problem(std::string("history: ") + error.what());
    }
}

} // namespace mm
