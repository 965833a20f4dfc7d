// Benchmark: the desktop app under load, offscreen. The exchange simulator (in process, loopback
// WebSockets) feeds 2,000 positions on 400 symbols at 50,000 ticks/s; every tick is evaluated on the
// core thread and the main window shows the boards at most 10 times a second. Prints the GUI event
// loop's longest stall (a 2 ms probe timer's worst lateness), the GUI thread's CPU share, the ticks
// actually evaluated per second and the process's peak RSS. With --demo-idle: the demo at its own
// rates instead, printing the process's CPU share and RSS.
//
//   bench_gui [--seconds S] [--positions N] [--symbols S] [--ticks-per-second T]
//   bench_gui --demo-idle [--seconds S]
#include "bench_accounts.h"
#include "bridge/engine_host.h"
#include "models/positions_model.h"
#include "sim/exchange_simulator.h"
#include "views/main_window.h"
#include "views/theme.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
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

} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("margin-monitor-bench"));
    double seconds = 10;
    std::size_t positions = 2'000;
    std::size_t symbols = 400;
    double ticksPerSecond = 50'000;
    bool demoIdle = false;
    const QStringList args = QApplication::arguments();
    for (int i = 1; i < args.size(); ++i) {
        const QString option = args[i];
        if (option == "--demo-idle") {
            demoIdle = true;
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

    std::unique_ptr<mm::sim::ExchangeSimulator> simulator;
    mm::ui::EngineOptions options;
    if (demoIdle) {
        options.demo = true;
    } else {
        // Every symbol pushed once per interval on each venue: symbols × (1000 / interval) ticks/s.
        mm::sim::SimulatorOptions simOptions;
        simOptions.pushInterval = std::chrono::milliseconds(std::max<long>(1, std::lround(static_cast<double>(symbols) * 1000.0 / ticksPerSecond)));
        simOptions.walk.jumpsPerSecond = 0;
        simulator = std::make_unique<mm::sim::ExchangeSimulator>(simOptions);
        simulator->start();
        options.monitor.accounts = mm::bench::makeAccounts(positions, symbols);
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
    QElapsedTimer window_;
    const int warmUpMs = 3000;
    QTimer::singleShot(warmUpMs, [&] {
        measuring = true;
        guiCpuAtStart = threadCpuSeconds();
        processCpuAtStart = processCpuSeconds();
        ticksAtStart = ticksEvaluated(engine);
        boardsAtStart = engine.boardsTaken();
        window_.start();
        QTimer::singleShot(static_cast<int>(seconds * 1000), [&] {
            measuring = false;
            const double elapsed = static_cast<double>(window_.nsecsElapsed()) / 1e9;
            const double guiCpu = (threadCpuSeconds() - guiCpuAtStart) / elapsed;
            const double processCpu = (processCpuSeconds() - processCpuAtStart) / elapsed;
            const double ticks = static_cast<double>(ticksEvaluated(engine) - ticksAtStart) / elapsed;
            const double boards = static_cast<double>(engine.boardsTaken() - boardsAtStart) / elapsed;
            if (demoIdle) {
                std::printf("bench_gui --demo-idle: the demo (%d positions, four simulated venues in process), %.1f s measured\n",
                            window.positionsModel().rowCount(), elapsed);
                std::printf("  process CPU %.1f %% of a core (simulator, core and GUI threads), GUI thread %.1f %%\n",
                            processCpu * 100, guiCpu * 100);
                std::printf("  RSS %.1f MB now, %.1f MB peak; %.1f boards/s shown; longest GUI stall %.1f ms\n", currentRssMb(),
                            peakRssMb(), boards, longestStallMs);
            } else {
                std::printf("bench_gui: %zu positions on %zu symbols, four venues, simulator in process over loopback, %.1f s measured\n",
                            positions, symbols, elapsed);
                std::printf("  ticks evaluated %.0f /s (target 50,000); boards shown %.1f /s\n", ticks, boards);
                std::printf("  GUI event loop longest stall %.1f ms (target < 16)\n", longestStallMs);
                std::printf("  GUI thread CPU %.1f %% of a core (target < 10 %%); whole process %.1f %%\n", guiCpu * 100,
                            processCpu * 100);
                std::printf("  peak RSS %.1f MB (target < 150)\n", peakRssMb());
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
