// Benchmark: the desktop app under load, offscreen, with alerts on (the real AlertEngine on the core
// thread, the real Notifier and popup on the GUI thread). The exchange simulator (in process, loopback
// WebSockets) feeds 2,000 positions on 400 symbols at 50,000 ticks/s; every tick is evaluated on the
// core thread and the main window shows the boards at most 10 times a second. Prints the GUI event
// loop's longest stall (a 2 ms probe timer's worst lateness), the GUI thread's CPU share, the ticks
// actually evaluated per second, the process's peak RSS, and what the alerts cost: the alerts the
// engine published, those the GUI took (in how many batches) and how many of them the core → GUI
// queue coalesced, the popup's raises and redraws.
//
// With --storm: an alert storm, as in a crash — every position is an isolated long whose mark
// swings, symbol after symbol, from 12 % above its liquidation price down to within 1 % of it and
// back, every --storm-period seconds, so that each goes warning → critical → emergency and back down,
// over and over. The rules are the defaults but for the cooldown (--cooldown, 1 s instead of 5 min,
// so that levels come back down within the run; 0: every crossing and every flap is an alert).
// The alert journal is written, and read by the Alerts tab, as in the app (--no-journal: not, to
// tell the GUI's alert delivery from the journal's reads). Events on the GUI thread of 16 ms or more
// are counted by what they were.
// With --demo-idle: the demo at its own rates instead, printing the process's CPU share and RSS.
//
//   bench_gui [--seconds S] [--positions N] [--symbols S] [--ticks-per-second T] [--no-journal]
//             [--storm [--storm-period S] [--cooldown S]]
//   bench_gui --demo-idle [--seconds S]
#include "bench_accounts.h"
#include "alerts/alert_rules.h"
#include "bridge/engine_host.h"
#include "models/positions_model.h"
#include "notify/alert_popup.h"
#include "notify/alert_sounds.h"
#include "notify/notifier.h"
#include "sim/exchange_simulator.h"
#include "views/main_window.h"
#include "views/theme.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTimer>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <cmath>
#include <fstream>
#include <map>
#include <numbers>
#include <sstream>
#include <string>

namespace {

double threadCpuSeconds()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

double processCpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& value) { return static_cast<double>(value.tv_sec) + static_cast<double>(value.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double peakRssMb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

double currentRssMb()
{
    std::ifstream statm("/proc/self/statm");
    long pages = 0;
    long resident = 0;
    statm >> pages >> resident;
    return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

std::uint64_t ticksEvaluated(const mm::ui::EngineHost& engine)
{
    std::uint64_t ticks = 0;
    if (const auto board = engine.board()) {
        for (const auto& connection : board->connections) {
            ticks += connection.counters.ticks;
        }
    }
    return ticks;
}

/// The storm's accounts: one account per venue and per `symbols` positions (an exchange account in
/// one-way mode holds one position per symbol), each position an isolated long of 3 at 100 with 30
/// of margin — liquidation near 91 — so that one swing of the mark takes it through every level.
std::vector<mm::Portfolio> stormAccounts(std::size_t positions, std::size_t symbols)
{
    const std::array venues{mm::Venue::BinanceUsdm, mm::Venue::BybitLinear, mm::Venue::OkxSwap, mm::Venue::Hyperliquid};
    const std::size_t perVenue = std::max<std::size_t>(1, symbols / venues.size());
    std::vector<std::map<std::string, std::shared_ptr<const mm::Instrument>>> instruments(venues.size());
    std::vector<mm::Portfolio> accounts;
    for (std::size_t i = 0; i < positions; ++i) {
        const std::size_t v = i % venues.size();
        const std::size_t name = (i / venues.size()) % perVenue;
        const std::size_t round = i / (venues.size() * perVenue);
        const std::size_t accountIndex = round * venues.size() + v;
        if (accountIndex >= accounts.size()) {
            accounts.resize(accountIndex + 1);
        }
        mm::Portfolio& account = accounts[accountIndex];
        account.account.venue = venues[v];
        account.account.label = "storm " + std::to_string(accountIndex);
        account.account.walletBalance = mm::Decimal::fromInteger(1'000);
        mm::Position position;
        position.symbol = "S" + std::to_string(name) + "USDT";
        position.side = mm::Side::Long;
        position.marginMode = mm::MarginMode::Isolated;
        position.isolatedMargin = mm::Decimal::fromInteger(30);
        position.quantity = mm::Decimal::fromInteger(3);
        position.entryPrice = mm::Decimal::fromInteger(100);
        position.markPrice = position.entryPrice;
        auto& instrument = instruments[v][position.symbol];
        if (!instrument) {
            auto made = std::make_shared<mm::Instrument>();
            made->venue = venues[v];
            made->symbol = position.symbol;
            made->riskTiers = {{0, {}, std::nullopt, mm::Decimal::parse("0.01"), {}, 50}};
            instrument = made;
        }
        position.instrument = instrument;
        account.positions.push_back(position);
    }
    return accounts;
}

/// The storm's marks, as a replay recording: every symbol name swings between 104 (12 % above the
/// liquidation price: every alert clears) and 91.5 (under 1 %: emergency) once a period, each name a
/// little later than the one before, so that at any moment some positions rise while others ease.
mm::sim::PriceReplay stormMarks(std::size_t symbols, double seconds, double period)
{
    const std::size_t names = std::max<std::size_t>(1, symbols / 4);
    std::ostringstream csv;
    csv << "time,symbol,mark\n";
    constexpr double kStep = 0.1;
    for (double t = 0; t <= seconds; t += kStep) {
        for (std::size_t name = 0; name < names; ++name) {
            const double phase = t / period + static_cast<double>(name) / static_cast<double>(names);
            const double mark = 97.75 + 6.25 * std::cos(2 * std::numbers::pi * phase);
            csv << t << ",S" << name << "USDT," << mark << "\n";
        }
    }
    std::istringstream input(csv.str());
    return mm::sim::PriceReplay::read(input, "storm");
}

/// The application, timing every event it delivers on the GUI thread: the longest one is what the
/// event loop's longest stall was spent in (said with the event's type and its receiver's class).
class TimedApplication final : public QApplication {
public:
    using QApplication::QApplication;
    bool measuring = false;
    double longestMs = 0;
    double longestCpuMs = 0; ///< of the longest event, the time the GUI thread was on a CPU (the rest it waited for one)
    QString longestWhat;
    std::vector<double> slowEvents;  ///< events of 16 ms or more (the first 100)
    std::map<QString, int> slowWhat; ///< of those, how many per event type and receiver

    bool notify(QObject* receiver, QEvent* event) override
    {
        if (!measuring) {
            return QApplication::notify(receiver, event);
        }
        QElapsedTimer took;
        took.start();
        const double cpuAtStart = threadCpuSeconds();
        const auto type = event->type();
        QString className = QString::fromLatin1(receiver->metaObject()->className());
        if (receiver->parent() != nullptr && qobject_cast<QTimer*>(receiver) != nullptr) {
            className += QStringLiteral(" of a ") + QString::fromLatin1(receiver->parent()->metaObject()->className()); // whose timer
        }
        const bool result = QApplication::notify(receiver, event);
        const double ms = static_cast<double>(took.nsecsElapsed()) / 1e6;
        if (ms > longestMs) {
            longestMs = ms;
            longestCpuMs = (threadCpuSeconds() - cpuAtStart) * 1e3;
            longestWhat = QStringLiteral("event %1 to a %2").arg(int(type)).arg(className);
        }
        if (ms >= 16 && slowEvents.size() < 100) {
            slowEvents.push_back(ms);
            slowWhat[QStringLiteral("%1 to a %2").arg(int(type)).arg(className)] += 1;
        }
        return result;
    }
};

} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    TimedApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("margin-monitor-bench"));
    double seconds = 10;
    std::size_t positions = 2'000;
    std::size_t symbols = 400;
    double ticksPerSecond = 50'000;
    bool demoIdle = false;
    bool storm = false;
    double stormPeriod = 4;
    double cooldown = 1;
    bool journal = true;
    const QStringList args = QApplication::arguments();
    for (int i = 1; i < args.size(); ++i) {
        const QString option = args[i];
        if (option == "--demo-idle") {
            demoIdle = true;
        } else if (option == "--storm") {
            storm = true;
        } else if (i + 1 < args.size() && option == "--storm-period") {
            stormPeriod = args[++i].toDouble();
        } else if (i + 1 < args.size() && option == "--cooldown") {
            cooldown = args[++i].toDouble();
        } else if (option == "--no-journal") {
            journal = false;
        } else if (i + 1 < args.size() && option == "--seconds") {
            seconds = args[++i].toDouble();
        } else if (i + 1 < args.size() && option == "--positions") {
            positions = args[++i].toULong();
        } else if (i + 1 < args.size() && option == "--symbols") {
            symbols = args[++i].toULong();
        } else if (i + 1 < args.size() && option == "--ticks-per-second") {
            ticksPerSecond = args[++i].toDouble();
        } else {
            std::fprintf(stderr, "bench_gui: unknown option %s\n", qPrintable(option));
            return 2;
        }
    }
    mm::ui::applyDarkTheme(app);

    const int warmUpMs = 3000;
    std::unique_ptr<mm::sim::ExchangeSimulator> simulator;
    mm::ui::EngineOptions options;
    // Alerts on, as in the app: the default rules (the storm: without a cooldown), the journal.
    options.alerts.policy = mm::defaultAlertPolicy();
    QTemporaryDir journalFolder;
    if (journal) {
        options.journalFile = journalFolder.filePath(QStringLiteral("journal.db")).toStdString();
    }
    if (demoIdle) {
        options.demo = true;
    } else {
        // Every symbol pushed once per interval on each venue: symbols × (1000 / interval) ticks/s.
        mm::sim::SimulatorOptions simOptions;
        simOptions.pushInterval = std::chrono::milliseconds(std::max<long>(1, std::lround(static_cast<double>(symbols) * 1000.0 / ticksPerSecond)));
        simOptions.walk.jumpsPerSecond = 0;
        simOptions.niceness = 3; // the exchange is not on the trader's machine: measure the app, not the two competing for a core
        if (storm) {
            simOptions.walk.volatilityPerSecond = 0;
            simOptions.scenario = mm::sim::Scenario::Replay;
            simOptions.replay = stormMarks(symbols, warmUpMs / 1000.0 + seconds + 30, stormPeriod);
            options.alerts.policy.cooldown = std::chrono::seconds(std::lround(cooldown));
        }
        simulator = std::make_unique<mm::sim::ExchangeSimulator>(simOptions);
        simulator->start();
        options.monitor.accounts = storm ? stormAccounts(positions, symbols) : mm::bench::makeAccounts(positions, symbols);
        std::string problem;
        for (const auto& portfolio : options.monitor.accounts) {
            options.monitor.venueUrls[portfolio.account.venue] = *mm::WsUrl::parse(simulator->baseUrl(), problem);
        }
    }
    mm::ui::EngineHost engine(options);
    mm::ui::MainWindow window(engine);
    window.resize(1600, 1000);
    window.show();
    engine.start();

    // The probe: a 2 ms timer on the GUI thread; its worst lateness is the event loop's longest stall.
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(2);
    QElapsedTimer sinceProbe;
    double longestStallMs = 0;
    bool measuring = false;
    QObject::connect(&probe, &QTimer::timeout, [&] {
        if (measuring && sinceProbe.isValid()) {
            longestStallMs = std::max(longestStallMs, static_cast<double>(sinceProbe.nsecsElapsed()) / 1e6 - 2.0);
        }
        sinceProbe.restart();
    });
    probe.start();

    double guiCpuAtStart = 0;
    double processCpuAtStart = 0;
    std::uint64_t ticksAtStart = 0;
    std::uint64_t boardsAtStart = 0;
    std::uint64_t publishedAtStart = 0;
    std::uint64_t deliveredAtStart = 0;
    std::uint64_t coalescedAtStart = 0;
    std::uint64_t batchesAtStart = 0;
    std::uint64_t risesAtStart = 0;
    std::uint64_t refreshesAtStart = 0;
    int raisesAtStart = 0;
    std::size_t mostInDanger = 0;
    mm::ui::Notifier& notifier = window.notifier();
    QObject::connect(&notifier, &mm::ui::Notifier::liveChanged, [&] { mostInDanger = std::max(mostInDanger, notifier.liveCount()); });
    std::int64_t alertTimeAtStart = 0;
    QElapsedTimer window_;
    QTimer::singleShot(warmUpMs, [&] {
        measuring = true;
        app.measuring = true;
        guiCpuAtStart = threadCpuSeconds();
        processCpuAtStart = processCpuSeconds();
        ticksAtStart = ticksEvaluated(engine);
        boardsAtStart = engine.boardsTaken();
        publishedAtStart = engine.alertsPublished();
        deliveredAtStart = engine.alertsDelivered();
        coalescedAtStart = engine.alertsCoalesced();
        batchesAtStart = engine.alertBatches();
        risesAtStart = notifier.rises();
        refreshesAtStart = notifier.refreshes();
        raisesAtStart = notifier.popup()->raises();
        alertTimeAtStart = engine.alertHandlingTime().count();
        (void)engine.takeLongestAlertBatch();
        window_.start();
        QTimer::singleShot(static_cast<int>(seconds * 1000), [&] {
            measuring = false;
            app.measuring = false;
            const double elapsed = static_cast<double>(window_.nsecsElapsed()) / 1e9;
            const double guiCpu = (threadCpuSeconds() - guiCpuAtStart) / elapsed;
            const double processCpu = (processCpuSeconds() - processCpuAtStart) / elapsed;
            const double ticks = static_cast<double>(ticksEvaluated(engine) - ticksAtStart) / elapsed;
            const double boards = static_cast<double>(engine.boardsTaken() - boardsAtStart) / elapsed;
            const auto published = engine.alertsPublished() - publishedAtStart;
            const auto delivered = engine.alertsDelivered() - deliveredAtStart;
            const auto coalesced = engine.alertsCoalesced() - coalescedAtStart;
            const auto batches = engine.alertBatches() - batchesAtStart;
            if (demoIdle) {
                std::printf("bench_gui --demo-idle: the demo (%d positions, four simulated venues in process), %.1f s measured\n",
                            window.positionsModel().rowCount(), elapsed);
                std::printf("  process CPU %.1f %% of a core (simulator, core and GUI threads), GUI thread %.1f %%\n",
                            processCpu * 100, guiCpu * 100);
                std::printf("  RSS %.1f MB now, %.1f MB peak; %.1f boards/s shown; longest GUI stall %.1f ms\n", currentRssMb(),
                            peakRssMb(), boards, longestStallMs);
            } else {
                std::printf("bench_gui%s: %zu positions on %zu symbols, four venues, simulator in process over loopback (at a lower CPU priority), alerts on%s, %.1f s measured\n",
                            storm ? " --storm" : "", positions, symbols, journal ? "" : " (no journal)", elapsed);
                if (storm) {
                    std::printf("  storm: every position an isolated long swinging between 12 %% and under 1 %% from liquidation every %.1f s; "
                                "default rules, cooldown %.0f s; journal %s\n",
                                stormPeriod, cooldown, journal ? "written and read by the Alerts tab" : "off");
                }
                std::printf("  ticks evaluated %.0f /s (%.0f asked for); boards shown %.1f /s\n", ticks, ticksPerSecond, boards);
                std::printf("  GUI event loop longest stall %.1f ms (target < 16); the longest event took %.1f ms, %.1f ms of it on a CPU (%s)\n",
                            longestStallMs, app.longestMs, app.longestCpuMs, qPrintable(app.longestWhat));
                QStringList slow;
                for (const auto& [what, count] : app.slowWhat) {
                    slow << QStringLiteral("%1 × event %2").arg(count).arg(what);
                }
                std::printf("  events of 16 ms or more: %zu%s%s\n", app.slowEvents.size(), slow.isEmpty() ? "" : " — ",
                            qPrintable(slow.join(QStringLiteral(", "))));
                std::printf("  GUI thread CPU %.1f %% of a core (target < 10 %%); whole process %.1f %%\n", guiCpu * 100,
                            processCpu * 100);
                std::printf("  peak RSS %.1f MB (target < 150)\n", peakRssMb());
                std::printf("  alerts: %llu published by the engine (%.0f /s), %llu reached the GUI in %llu batches, of which %llu coalesced "
                            "(replaced in the queue by a later state)\n",
                            static_cast<unsigned long long>(published), static_cast<double>(published) / elapsed,
                            static_cast<unsigned long long>(delivered), static_cast<unsigned long long>(batches),
                            static_cast<unsigned long long>(coalesced));
                const auto [longestBatchSubjects, longestBatch] = engine.takeLongestAlertBatch();
                std::printf("  GUI thread time on alert batches %.1f %% of the time (at most %.0f %% by design in a storm); "
                            "the longest batch %.1f ms, %zu positions\n",
                            static_cast<double>(engine.alertHandlingTime().count() - alertTimeAtStart) / (elapsed * 1e9) * 100,
                            100.0 / mm::ui::EngineHost::kAlertShareDivisor, static_cast<double>(longestBatch.count()) / 1e6,
                            longestBatchSubjects);
                std::printf("  positions in danger: %zu now, %zu at most; rises %llu; popup raises %d, redraws %llu; "
                            "sounds started %d warning, %d critical, %d emergency\n",
                            notifier.liveCount(), mostInDanger, static_cast<unsigned long long>(notifier.rises() - risesAtStart),
                            notifier.popup()->raises() - raisesAtStart,
                            static_cast<unsigned long long>(notifier.refreshes() - refreshesAtStart),
                            notifier.sounds().starts(mm::AlertLevel::Warning), notifier.sounds().starts(mm::AlertLevel::Critical),
                            notifier.sounds().starts(mm::AlertLevel::Emergency));
                std::printf("  core → GUI alert queue: at most %zu subjects and %zu episode states pending at once "
                            "(bound: per position and account, its live episodes)\n",
                            engine.alertQueue().peakSubjects(), engine.alertQueue().peakStates());
            }
            std::fflush(stdout);
            QApplication::quit();
        });
    });
    const int status = QApplication::exec();
    engine.stop();
    if (simulator) {
        simulator->stop();
    }
    return status;
}
