#include "bridge/engine_host.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <QMetaObject>
#include <QPointer>

#include <algorithm>
#include <future>
#include <map>
#include <utility>

namespace mm::ui {

/// What lives on the core thread besides the monitor: the display timer, the subscriptions.
struct EngineHost::CoreState {
    explicit CoreState(boost::asio::io_context& io) : displayTimer(io) {}
    boost::asio::steady_timer displayTimer;
    std::vector<std::unique_ptr<Subscription>> subscriptions;
    bool changed = true; ///< something moved since the last board
    MonotonicTime lastBoardAt{};
    std::uint64_t sequence = 0;
    bool running = false;
};

EngineHost::EngineHost(EngineOptions options, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_io(std::make_unique<boost::asio::io_context>())
    , m_alerts([this] { QMetaObject::invokeMethod(this, &EngineHost::deliverAlerts, Qt::QueuedConnection); })
{
    qRegisterMetaType<mm::ui::AlertBatch>("mm::ui::AlertBatch");
    m_alertTimer.setSingleShot(true);
    m_alertTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_alertTimer, &QTimer::timeout, this, &EngineHost::deliverAlerts);
    if (m_options.demo) {
        m_demo = DemoMode::start(m_options.demoTimeScale);
        startWalksAtTheFilesMarks();
    }
    buildCore(std::make_unique<LiveMonitor>(*m_io, m_clock, monitorOptions(&m_accountProblems)));
}

EngineHost::~EngineHost()
{
    stop();
}

LiveMonitorOptions EngineHost::monitorOptions(std::vector<std::string>* problems) const
{
    LiveMonitorOptions options = m_demo ? m_demo->monitorOptions : m_options.monitor;
    if (m_demo) {
        options.accounts.insert(options.accounts.end(), m_options.monitor.accounts.begin(), m_options.monitor.accounts.end());
    }
    options.accounts.insert(options.accounts.end(), m_options.manualAccounts.begin(), m_options.manualAccounts.end());
    if (!m_demo) {
        std::vector<std::string> ignored;
        addConfiguredAccounts(options, m_options.configuredAccounts, problems != nullptr ? *problems : ignored);
    }
    options.alertPolicy = m_options.alerts.policy;
    return options;
}

void EngineHost::reportAccountProblems()
{
    for (const std::string& problem : m_accountProblems) {
        Q_EMIT venueProblem(QStringLiteral("settings"), QString::fromStdString(problem));
    }
}

void EngineHost::startWalksAtTheFilesMarks()
{
    // A position added by hand to the demo trades near its own mark, not at a made-up level.
    std::map<std::string, double> marks;
    for (const auto* accounts : {&m_options.monitor.accounts, &m_options.manualAccounts}) {
        for (const Portfolio& portfolio : *accounts) {
            for (const Position& position : portfolio.positions) {
                marks.emplace(position.symbol, position.markPrice.toDouble());
            }
        }
    }
    m_demo->simulator->setStartPrices(std::move(marks));
}

void EngineHost::buildCore(std::unique_ptr<LiveMonitor> live)
{
    m_live = std::move(live);
    m_core = std::make_unique<CoreState>(*m_io);
    AlertHandlingOptions handling;
    handling.journalFile = m_options.journalFile;
    if (!m_options.alerts.webhookUrl.empty()) {
        WebhookOptions webhook;
        webhook.url = m_options.alerts.webhookUrl;
        handling.webhook = webhook;
    }
    handling.automation = m_options.alerts.deleverage;
    m_handling = std::make_unique<AlertHandling>(*m_io, *m_live, m_clock, std::move(handling));
    m_core->subscriptions.push_back(m_handling->onProblem([this](const std::string& problem) {
        QMetaObject::invokeMethod(
            this, [this, text = QString::fromStdString(problem)] { Q_EMIT venueProblem(QStringLiteral("alerts"), text); },
            Qt::QueuedConnection);
    }));
    m_core->subscriptions.push_back(m_handling->executor().onStatus([this](const DeleverageStatus& status) {
        QMetaObject::invokeMethod(this, [this, status] { Q_EMIT deleverageStatus(status); }, Qt::QueuedConnection);
    }));
    // Subscriptions are made here, before the core thread starts; from then on only it uses them.
    m_core->subscriptions.push_back(m_live->monitor().onRisk([this](const RiskSnapshot&) { m_core->changed = true; }));
    m_core->subscriptions.push_back(m_live->monitor().onFeed([this](const FeedStatus&) { m_core->changed = true; }));
    m_core->subscriptions.push_back(m_live->onConnection([this](Venue, const WsStats&) { m_core->changed = true; }));
    // Into the queue at once; the first alert after the GUI's last batch wakes it up (AlertQueue).
    m_core->subscriptions.push_back(m_live->alerts().onAlert([this](const AlertEvent& alert) { m_alerts.push(alert); }));
    m_core->subscriptions.push_back(m_live->onProblem([this](Venue venue, const std::string& detail) {
        // Passed on at once: a queued call carrying the strings, never a QObject touched here.
        QMetaObject::invokeMethod(
            this,
            [this, venue = QString::fromUtf8(venueName(venue).data()), text = QString::fromStdString(detail)] {
                Q_EMIT venueProblem(venue, text);
            },
            Qt::QueuedConnection);
    }));
}

void EngineHost::start()
{
    if (m_thread.joinable() || m_core->running) {
        return;
    }
    m_core->running = true;
    if (!m_accountProblemsReported) {
        m_accountProblemsReported = true;
        reportAccountProblems();
    }
    m_live->start();
    m_handling->start();
    boost::asio::post(*m_io, [this] {
        takeBoard(); // the first board at once: the table fills before the first tick
        scheduleDisplay();
    });
    m_thread = std::thread([this] { runCore(); });
}

void EngineHost::stopCore()
{
    if (!m_thread.joinable()) {
        return;
    }
    boost::asio::post(*m_io, [this] {
        m_core->running = false;
        m_core->displayTimer.cancel();
        m_core->subscriptions.clear();
        m_handling->stop();
        m_live->stop();
        boost::asio::post(*m_io, [this] { m_io->stop(); }); // after the feeds have closed
    });
    m_thread.join();
}

void EngineHost::stop()
{
    stopCore();
    m_handling.reset();
    m_live.reset();
    m_demo.reset();
}

void EngineHost::setManualAccounts(std::vector<Portfolio> accounts)
{
    rebuild([&accounts](EngineOptions& options) { options.manualAccounts = std::move(accounts); });
}

void EngineHost::setConfiguredAccounts(std::vector<ConfiguredAccount> accounts)
{
    const bool endDemo = m_demo && !accounts.empty();
    rebuild([&accounts, endDemo](EngineOptions& options) {
        options.configuredAccounts = std::move(accounts);
        if (endDemo) {
            options.demo = false;
        }
    });
}

void EngineHost::rebuild(const std::function<void(EngineOptions&)>& change)
{
    const EngineOptions previous = m_options;
    change(m_options);
    const bool endDemo = m_demo && !m_options.demo;
    std::optional<DemoMode> endingDemo;
    if (endDemo) {
        endingDemo.swap(m_demo); // from here monitorOptions() sees no demo
    }
    std::vector<std::string> problems;
    try {
        // Checked before anything stops: a monitor for the new accounts, on an io_context never run.
        boost::asio::io_context scratch;
        (void)LiveMonitor(scratch, m_clock, monitorOptions(&problems));
    } catch (...) {
        m_options = previous;
        if (endDemo) {
            m_demo.swap(endingDemo); // nothing changed: the demo goes on
        }
        throw;
    }
    m_accountProblems = std::move(problems);
    m_accountProblemsReported = false;
    const bool wasRunning = m_thread.joinable();
    stopCore();
    // The old core goes with its io_context: handlers still queued there (a session's own stop, a
    // cancelled timer) are destroyed without running, so none can call into the monitor freed here.
    m_handling.reset();
    m_live.reset();
    m_core.reset();
    m_io = std::make_unique<boost::asio::io_context>();
    endingDemo.reset(); // its simulator stops, now that nothing connects to it
    if (m_demo) {
        startWalksAtTheFilesMarks();
    }
    {
        const std::lock_guard lock(m_slotMutex);
        m_slot.reset(); // a board of the old accounts must not be shown as the new ones
    }
    m_alerts.reset(); // nor alerts of the old engine: its episodes and indices are gone (the GUI clears)
    buildCore(std::make_unique<LiveMonitor>(*m_io, m_clock, monitorOptions()));
    Q_EMIT accountsReplaced();
    if (wasRunning) {
        start();
    }
}

void EngineHost::runCore()
{
    m_io->run();
}

void EngineHost::acknowledgeAlert(std::uint64_t episode)
{
    if (m_thread.joinable()) {
        boost::asio::post(*m_io, [this, episode] { m_live->alerts().acknowledge(episode); });
    }
}

void EngineHost::snoozeAlert(std::uint64_t episode, std::chrono::seconds duration)
{
    if (m_thread.joinable()) {
        boost::asio::post(*m_io, [this, episode, duration] { m_live->alerts().snooze(episode, duration); });
    }
}

void EngineHost::acknowledgeAllAlerts()
{
    if (m_thread.joinable()) {
        boost::asio::post(*m_io, [this] { m_live->alerts().acknowledgeAll(); });
    }
}

DeleveragePlan EngineHost::previewDeleverage(std::size_t account, std::size_t position, std::optional<DeleverageTarget> target)
{
    if (!m_thread.joinable()) {
        DeleveragePlan none;
        none.outcome = DeleverageOutcome::CannotPlan;
        none.explanation = "The monitor is not running.";
        return none;
    }
    auto promise = std::make_shared<std::promise<DeleveragePlan>>();
    auto future = promise->get_future();
    boost::asio::post(*m_io, [this, promise, account, position, target] {
        promise->set_value(m_handling->executor().previewManual(account, position, target));
    });
    // The core thread answers between two ticks; the GUI never waits on it for long.
    if (future.wait_for(std::chrono::seconds(2)) != std::future_status::ready) {
        DeleveragePlan busy;
        busy.outcome = DeleverageOutcome::CannotPlan;
        busy.explanation = "The monitor did not answer within 2 s; try again.";
        return busy;
    }
    return future.get();
}

void EngineHost::executeDeleverage(std::size_t account, std::size_t position, std::optional<DeleverageTarget> target)
{
    if (m_thread.joinable()) {
        boost::asio::post(*m_io, [this, account, position, target] { (void)m_handling->executor().executeManual(account, position, target); });
    }
}

void EngineHost::cancelDeleverage(const DeleverageAction& action)
{
    if (m_thread.joinable()) {
        boost::asio::post(*m_io, [this, action] { (void)m_handling->executor().cancel(action); });
    }
}

QString EngineHost::setAlertSettings(const AlertSettings& settings)
{
    const bool restart = writeAlertSettings(AlertSettings{AlertPolicy{}, true, 1.0, settings.webhookUrl, settings.deleverage}) !=
                         writeAlertSettings(AlertSettings{AlertPolicy{}, true, 1.0, m_options.alerts.webhookUrl, m_options.alerts.deleverage});
    if (restart) {
        try {
            rebuild([&settings](EngineOptions& options) { options.alerts = settings; });
        } catch (const std::exception& error) {
            return QString::fromUtf8(error.what());
        }
        return {};
    }
    m_options.alerts = settings;
    if (m_thread.joinable()) {
        boost::asio::post(*m_io, [this, policy = settings.policy] { m_live->alerts().setPolicy(policy); });
    } else if (m_live) {
        m_live->alerts().setPolicy(settings.policy);
    }
    return {};
}

std::optional<AccountDeleverageSettings> EngineHost::deleverageSettings(const std::string& accountLabel) const
{
    for (const AccountAutomation& automation : m_options.alerts.deleverage) {
        if (automation.accountLabel == accountLabel) {
            return automation.settings;
        }
    }
    return std::nullopt;
}

void EngineHost::scheduleDisplay()
{
    m_core->displayTimer.expires_after(m_options.displayInterval);
    m_core->displayTimer.async_wait([this](boost::system::error_code error) {
        if (error || !m_core->running) {
            return;
        }
        // Only when something moved — and once a second regardless, so that data ages count on.
        if (m_core->changed || m_clock.now() - m_core->lastBoardAt >= std::chrono::seconds(1)) {
            takeBoard();
        }
        scheduleDisplay();
    });
}

void EngineHost::takeBoard()
{
    const MonotonicTime now = m_clock.now();
    auto board = std::make_shared<const RiskBoard>(takeRiskBoard(m_live->monitor(), m_live.get(), now, ++m_core->sequence));
    m_core->changed = false;
    m_core->lastBoardAt = now;
    ++m_boardsTaken;
    {
        const std::lock_guard lock(m_slotMutex);
        m_slot = std::move(board);
    }
    if (!m_wakeUpPending.exchange(true)) {
        ++m_wakeUpsPosted;
        QMetaObject::invokeMethod(this, &EngineHost::deliverBoard, Qt::QueuedConnection);
    }
}

void EngineHost::deliverAlerts()
{
    // A sound louder than any the last few seconds' batches carried is never held back: the trader
    // hears a rise at once, whatever the storm. (At most one such per level per kSoundWindow: the
    // rest of a storm's sounds are the same alarm again, which the popup and sounds rate-limit.)
    const int pendingSound = m_alerts.loudestPendingSound();
    const bool soundWindowOver = !m_sinceSound.isValid() || m_sinceSound.elapsed() >= kSoundWindow.count();
    const bool louder = pendingSound > 0 && (soundWindowOver || pendingSound > m_soundLevel);
    if (m_sinceAlertBatch.isValid() && !louder) {
        const std::int64_t waited = m_sinceAlertBatch.nsecsElapsed();
        if (waited < m_alertWaitNs) {
            // A storm: the alerts coalesce in the queue a little longer (no new wake-up is posted
            // until this batch is taken), and the GUI keeps the rest of its time.
            m_alerts.holdBack(); // a louder sound meanwhile wakes this again
            if (!m_alertTimer.isActive()) {
                m_alertTimer.start(int((m_alertWaitNs - waited + 999'999) / 1'000'000));
            }
            return;
        }
    }
    m_alertTimer.stop();
    QElapsedTimer took;
    took.start();
    std::size_t subjects = 0;
    {
        AlertBatch batch = m_alerts.take();
        if (batch.empty()) {
            return; // taken by an earlier wake-up
        }
        ++m_alertBatches;
        if (pendingSound > 0) {
            m_soundLevel = soundWindowOver ? pendingSound : std::max(m_soundLevel, pendingSound);
            if (soundWindowOver) {
                m_sinceSound.restart();
            }
        }
        m_alertsDelivered += batch.events;
        subjects = batch.subjects.size();
        m_alertsCoalesced += batch.coalesced;
        Q_EMIT alertsArrived(batch);
        m_alerts.retire(batch); // what the slots kept stays; the rest is freed on the core thread
    } // the rest of the batch freed here, within the time counted
    const std::int64_t cost = took.nsecsElapsed();
    m_alertHandlingNs += cost;
    if (cost > m_longestBatchNs) {
        m_longestBatchNs = cost;
        m_longestBatchSubjects = subjects;
    }
    m_alertWaitNs = std::min<std::int64_t>(cost * (kAlertShareDivisor - 1), std::chrono::nanoseconds(kMaxAlertWait).count());
    m_sinceAlertBatch.restart();
}

void EngineHost::deliverBoard()
{
    m_wakeUpPending = false;
    std::shared_ptr<const RiskBoard> board;
    {
        const std::lock_guard lock(m_slotMutex);
        board = std::move(m_slot);
    }
    if (!board) {
        return;
    }
    m_board = board;
    Q_EMIT boardArrived(std::move(board));
}

} // namespace mm::ui
