#pragma once

#include "bridge/alert_queue.h"
#include "config/alert_settings.h"
#include "engine/alert_handling.h"
#include "engine/configured_accounts.h"
#include "engine/demo_mode.h"
#include "engine/live_monitor.h"
#include "engine/risk_board.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace boost::asio {
class io_context;
}

namespace mm::ui {

struct EngineOptions {
    /// What to watch: the accounts (from portfolio files) and where their venues are. In demo mode
    /// the demo accounts come first, all on the simulated venues.
    LiveMonitorOptions monitor;
    /// The positions entered by hand (see ManualPositionsStore), watched after the others.
    std::vector<Portfolio> manualAccounts;
    /// The exchange accounts configured in Settings → Exchanges, with their read keys: read from
    /// their venues, before the others. Not in demo mode.
    std::vector<ConfiguredAccount> configuredAccounts;
    /// Start the exchange simulator in this process and watch the demo accounts on it.
    bool demo = false;
    double demoTimeScale = 1.0;
    /// Boards reach the GUI at most this often (10 Hz), and at least once a second so that data
    /// ages keep counting.
    std::chrono::milliseconds displayInterval{std::chrono::milliseconds(100)};
    /// The alert rules, the webhook and automatic deleveraging per account (alerts.json).
    AlertSettings alerts;
    /// The journal (alerts, deleverage audit trail, history) in the app's data folder; nullopt: none.
    std::optional<std::filesystem::path> journalFile;
};

/// The bridge from the core to the GUI (DESIGN.md, "Data flow"). The core — the live monitor with
/// its feeds, and in demo mode the simulator — runs on a thread of its own, where every tick is
/// evaluated. At the display's pace the core thread takes a RiskBoard, puts it in a guarded
/// latest-value slot (an older board not yet picked up is simply replaced) and posts at most one
/// queued wake-up; the GUI thread then takes the latest board. Alerts go through an AlertQueue: the
/// first one posts a wake-up at once and the GUI takes every pending change in one batch, at most one
/// entry per subject (the latest state; a pending sound is kept), never a growing backlog. In a
/// storm the GUI spends at most 1/kAlertShareDivisor of its time on alerts: after a batch that took
/// t, the next is taken no sooner than (kAlertShareDivisor − 1)·t later (at most kMaxAlertWait), the
/// alerts meanwhile coalescing in the queue; an alert after a quiet moment is taken at once, and so
/// is a sound louder than any of the last kSoundWindow (a rise is heard at once in any storm). Venue
/// problems are passed on at once, never coalesced. Nothing on the core thread touches a QObject: it
/// only posts the wake-ups.
class EngineHost : public QObject {
    Q_OBJECT
public:
    /// Throws std::exception with a message in words when the options cannot work (a portfolio
    /// the margin model cannot evaluate, a simulator that cannot start).
    explicit EngineHost(EngineOptions options, QObject* parent = nullptr);
    ~EngineHost() override;
    EngineHost(const EngineHost&) = delete;
    EngineHost& operator=(const EngineHost&) = delete;

    /// Starts the core thread (once).
    void start();
    /// Stops the feeds and joins the core thread; the destructor does it too.
    void stop();

    /// Watches these manual accounts from now on instead of the ones given (the demo's and the
    /// files' accounts stay). The core thread is stopped, the monitor rebuilt and started again; boards
    /// then carry the new accounts, and accountsReplaced() tells the views that rows changed
    /// meaning. Throws std::exception, and keeps watching what it watched, when the monitor cannot
    /// take the accounts. GUI thread.
    void setManualAccounts(std::vector<Portfolio> accounts);
    /// Watches these exchange accounts from now on, as setManualAccounts() does. Accounts that
    /// cannot be read are left out and said through venueProblem(). The demo ends once the trader
    /// has accounts of their own ("The trader adds real accounts in the settings; demo mode then
    /// ends."). GUI thread.
    void setConfiguredAccounts(std::vector<ConfiguredAccount> accounts);
    /// Why configured accounts are left out (no key in the keychain, an environment the venue lacks).
    [[nodiscard]] const std::vector<std::string>& accountProblems() const { return m_accountProblems; }

    [[nodiscard]] bool demo() const { return m_options.demo; }
    /// The demo's simulated exchange (nullptr outside demo mode): for tests that inject faults.
    [[nodiscard]] sim::ExchangeSimulator* demoSimulator() { return m_demo ? m_demo->simulator.get() : nullptr; }
    /// The latest board delivered to the GUI (null before the first). GUI thread.
    [[nodiscard]] std::shared_ptr<const RiskBoard> board() const { return m_board; }
    /// Boards the core thread took, and wake-ups it posted (fewer when the GUI was busy).
    [[nodiscard]] std::uint64_t boardsTaken() const { return m_boardsTaken; }
    [[nodiscard]] std::uint64_t wakeUpsPosted() const { return m_wakeUpsPosted; }

    /// The trader's answers to an alert, carried to the core thread (GUI thread; no-ops when stopped).
    void acknowledgeAlert(std::uint64_t episode);
    void snoozeAlert(std::uint64_t episode, std::chrono::seconds duration);
    void acknowledgeAllAlerts();
    /// The plan for reducing a position now (the confirmation dialog's preview), computed on the
    /// core thread; CannotPlan when the core is not running. `target` unset: the account's own.
    [[nodiscard]] DeleveragePlan previewDeleverage(std::size_t account, std::size_t position,
                                                   std::optional<DeleverageTarget> target = {});
    /// The trader's own deleverage through the executor's guards; its statuses arrive through
    /// deleverageStatus(). Cancel with cancelDeleverage().
    void executeDeleverage(std::size_t account, std::size_t position, std::optional<DeleverageTarget> target = {});
    void cancelDeleverage(const DeleverageAction& action);
    /// The account's deleveraging settings (nullopt: off), as configured.
    [[nodiscard]] std::optional<AccountDeleverageSettings> deleverageSettings(const std::string& accountLabel) const;
    [[nodiscard]] const std::optional<std::filesystem::path>& journalFile() const { return m_options.journalFile; }
    [[nodiscard]] const AlertSettings& alertSettings() const { return m_options.alerts; }
    /// Applies saved alert settings: new rules take effect at once (running episodes continue under
    /// them); a changed webhook or deleveraging restarts the core on them. The problem in words, or "".
    QString setAlertSettings(const AlertSettings& settings);
    /// Alert events the engine published so far (the journal has every one).
    [[nodiscard]] std::uint64_t alertsPublished() const { return m_alerts.pushed(); }
    /// Alert events that reached the GUI thread so far (in batches), and of those how many were
    /// coalesced: not a state of their own for the GUI (replaced in the queue by a later state of
    /// their episode, or of an episode that came and went before the GUI took it; sounds are kept).
    [[nodiscard]] std::uint64_t alertsDelivered() const { return m_alertsDelivered; }
    [[nodiscard]] std::uint64_t alertsCoalesced() const { return m_alertsCoalesced; }
    /// Batches the GUI took (one per wake-up that found something).
    [[nodiscard]] std::uint64_t alertBatches() const { return m_alertBatches; }
    /// The GUI thread's time spent taking and handling alert batches (every slot of alertsArrived).
    [[nodiscard]] std::chrono::nanoseconds alertHandlingTime() const { return std::chrono::nanoseconds(m_alertHandlingNs); }
    /// The longest one batch took (since the last call of this): its subjects and its time.
    [[nodiscard]] std::pair<std::size_t, std::chrono::nanoseconds> takeLongestAlertBatch()
    {
        return {std::exchange(m_longestBatchSubjects, 0), std::chrono::nanoseconds(std::exchange(m_longestBatchNs, 0))};
    }

    /// In a storm, the GUI spends at most 1/kAlertShareDivisor of its time on alerts …
    static constexpr int kAlertShareDivisor = 20;
    /// … and an alert waits at most this long for it (after a quiet moment: not at all) — except a
    /// sound louder than any taken within kSoundWindow, which is taken at once.
    static constexpr std::chrono::milliseconds kMaxAlertWait{50};
    static constexpr std::chrono::milliseconds kSoundWindow{2000};
    /// The queue itself: what the core thread pushes each alert into. Tests and tools may push
    /// events of their own into it from any thread, as the core thread does.
    [[nodiscard]] AlertQueue& alertQueue() { return m_alerts; }

Q_SIGNALS:
    /// Alerts the moment the core decided them, never waiting for a board: every change pending
    /// when the GUI thread woke up, at most one update per subject (see AlertQueue).
    void alertsArrived(const mm::ui::AlertBatch& batch);
    /// A deleverage's status changed (countdown, sending, the venue's answer, verification), at once.
    void deleverageStatus(const mm::DeleverageStatus& status);
    /// A new board, on the GUI thread, at most at the display rate.
    void boardArrived(std::shared_ptr<const mm::RiskBoard> board);
    /// A venue problem (malformed frame, venue error), at once.
    void venueProblem(const QString& venue, const QString& detail);
    /// setManualAccounts() took effect: account and position indices now mean other positions.
    void accountsReplaced();

private:
    [[nodiscard]] LiveMonitorOptions monitorOptions(std::vector<std::string>* problems = nullptr) const;
    /// Applies `change` to the options and rebuilds the core on them; undoes it and throws when the
    /// monitor cannot take the new options.
    void rebuild(const std::function<void(EngineOptions&)>& change);
    void reportAccountProblems();
    void startWalksAtTheFilesMarks();
    void buildCore(std::unique_ptr<LiveMonitor> live);
    void stopCore();
    void runCore();
    void scheduleDisplay();
    void takeBoard();
    void deliverBoard(); ///< GUI thread: the queued wake-up
    void deliverAlerts(); ///< GUI thread: the alerts' queued wake-up

    EngineOptions m_options;
    std::vector<std::string> m_accountProblems;
    bool m_accountProblemsReported = false; ///< through venueProblem(), on the next start()
    std::unique_ptr<boost::asio::io_context> m_io;
    std::optional<DemoMode> m_demo;
    SteadyClock m_clock;
    std::unique_ptr<LiveMonitor> m_live;
    std::unique_ptr<AlertHandling> m_handling; ///< the journal, webhook and executor; after m_live
    std::thread m_thread;
    struct CoreState;
    std::unique_ptr<CoreState> m_core; ///< owned by the core thread once started

    // The slot: written by the core thread, read by the GUI thread.
    std::mutex m_slotMutex;
    std::shared_ptr<const RiskBoard> m_slot;
    std::atomic<bool> m_wakeUpPending{false};
    std::atomic<std::uint64_t> m_boardsTaken{0};
    std::atomic<std::uint64_t> m_wakeUpsPosted{0};
    AlertQueue m_alerts;                 ///< pushed by the core thread, taken by the GUI thread
    std::uint64_t m_alertsDelivered = 0; ///< GUI thread
    std::uint64_t m_alertsCoalesced = 0; ///< GUI thread
    std::uint64_t m_alertBatches = 0;    ///< GUI thread
    std::int64_t m_alertHandlingNs = 0;  ///< GUI thread
    std::int64_t m_longestBatchNs = 0;   ///< GUI thread
    std::size_t m_longestBatchSubjects = 0; ///< GUI thread
    QElapsedTimer m_sinceAlertBatch;     ///< GUI thread: since the last batch was handled
    std::int64_t m_alertWaitNs = 0;      ///< GUI thread: how long the next batch waits after it
    QTimer m_alertTimer;                 ///< GUI thread: takes the batch that had to wait
    QElapsedTimer m_sinceSound;          ///< GUI thread: since the sound window began (its first sound taken)
    int m_soundLevel = 0;                ///< GUI thread: the loudest sound taken within the window

    std::shared_ptr<const RiskBoard> m_board; ///< GUI thread
};

} // namespace mm::ui

