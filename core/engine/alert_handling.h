#pragma once

#include "deleverage/account_deleverage_settings.h"
#include "deleverage/deleverage_executor.h"
#include "deleverage/monitor_market_view.h"
#include "engine/live_monitor.h"
#include "net/webhook_sender.h"
#include "store/journal.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace mm {

struct AlertHandlingOptions {
    /// The journal (SQLite) in the app's data folder; nullopt: none — and then no deleveraging,
    /// which may not act without its audit trail.
    std::optional<std::filesystem::path> journalFile;
    std::optional<WebhookOptions> webhook;
    std::vector<AccountAutomation> automation;
    bool headless = false; ///< no screen to cancel a countdown from (marginctl): see AccountDeleverageSettings
    std::chrono::milliseconds historyInterval{std::chrono::seconds(1)}; ///< marks and risk into the journal
    std::chrono::minutes compactInterval{10};
};

/// What happens to every alert the live monitor's AlertEngine decides, on the core thread: it is
/// journaled (and every acknowledgement with it), posted to the webhook, and handed to the
/// deleverage executor, which acts only where the trader switched it on (DESIGN.md's safety rules);
/// the executor's steps go to the journal's audit trail, intent before the order. Marks and risk are
/// journaled once a second for the charts' history across restarts.
///
/// Problems (a journal that cannot be opened or written, an automation that cannot work, a webhook
/// that cannot be reached) are said through onProblem(), never thrown from a callback.
class AlertHandling {
public:
    /// Opens the journal (a file that cannot be used is moved aside when it is broken, and said);
    /// configures automation for the accounts named. Call on the core thread, before start().
    AlertHandling(boost::asio::io_context& io, LiveMonitor& live, const Clock& clock, AlertHandlingOptions options);
    ~AlertHandling();
    AlertHandling(const AlertHandling&) = delete;
    AlertHandling& operator=(const AlertHandling&) = delete;

    void start();
    void stop();

    [[nodiscard]] Journal* journal() { return m_journal ? &*m_journal : nullptr; }
    [[nodiscard]] DeleverageExecutor& executor() { return *m_executor; }
    /// What could not be set up, in words (said again through onProblem once subscribed).
    [[nodiscard]] const std::vector<std::string>& setupProblems() const { return m_setupProblems; }

    [[nodiscard]] std::unique_ptr<Subscription> onProblem(std::function<void(const std::string&)> callback)
    {
        return m_problems.subscribe(std::move(callback));
    }

private:
    class JournalAudit;
    void handle(const AlertEvent& alert);
    void problem(const std::string& text);
    void loadOrderSizes(std::size_t account);
    void scheduleHistory();
    void recordHistory();

    struct Impl;
    std::unique_ptr<Impl> m_impl;
    LiveMonitor& m_live;
    const Clock& m_clock;
    AlertHandlingOptions m_options;
    std::optional<Journal> m_journal;
    std::unique_ptr<JournalAudit> m_audit;
    MonitorMarketView m_market;
    std::unique_ptr<DeleverageExecutor> m_executor;
    std::unique_ptr<WebhookSender> m_webhook;
    std::vector<std::unique_ptr<Subscription>> m_subscriptions;
    std::vector<std::string> m_setupProblems;
    SubscriberList<std::string> m_problems;
    bool m_journalFailed = false;
};

} // namespace mm
