// Benchmark: the exchange simulator pushes marks as fast as it can over loopback WebSockets to the
// live monitor — 1,000 positions on 200 symbols, four accounts, one per venue, each venue's real
// wire format. Prints sustained ticks per second and the latency from frame received to snapshot
// evaluated, p50 / p99 / max.
//
//   bench_loopback [--seconds S] [--positions N] [--symbols S]
#include "bench_accounts.h"
#include "engine/live_monitor.h"
#include "sim/exchange_simulator.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <thread>
#include <vector>


int main(int argc, char** argv)
{
    double seconds = 5;
    std::size_t positions = 1'000;
    std::size_t symbols = 200;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string option = argv[i];
        if (option == "--seconds") {
            seconds = std::stod(argv[i + 1]);
        } else if (option == "--positions") {
            positions = std::stoul(argv[i + 1]);
        } else if (option == "--symbols") {
            symbols = std::stoul(argv[i + 1]);
        } else {
            std::fprintf(stderr, "bench_loopback: unknown option %s\n", option.c_str());
            return 2;
        }
    }

    mm::sim::SimulatorOptions simOptions;
    simOptions.pushInterval = std::chrono::milliseconds(0); // as fast as it can
    simOptions.walk.jumpsPerSecond = 0;
    mm::sim::ExchangeSimulator simulator(simOptions);
    simulator.start();

    boost::asio::io_context io;
    mm::SteadyClock clock;
    mm::LiveMonitorOptions options;
    options.accounts = mm::bench::makeAccounts(positions, symbols);
    std::string problem;
    for (const auto& portfolio : options.accounts) {
        options.venueUrls[portfolio.account.venue] = *mm::WsUrl::parse(simulator.baseUrl(), problem);
    }
    mm::LiveMonitor live(io, clock, std::move(options));
    std::vector<double> latencies;
    latencies.reserve(4'000'000);
    std::uint64_t snapshots = 0;
    bool measuring = false;
    const auto riskSubscription = live.monitor().onRisk([&](const mm::RiskSnapshot& snapshot) {
        if (measuring) {
            ++snapshots;
            latencies.push_back(std::chrono::duration<double, std::micro>(snapshot.evaluatedAt - snapshot.tickReceivedAt).count());
        }
    });
    std::uint64_t ticksAtStart = 0;
    std::uint64_t framesAtStart = 0;
    auto ticks = [&] {
        std::uint64_t total = 0;
        for (const auto& [venue, counters] : live.counters()) {
            total += counters.ticks;
        }
        return total;
    };
    // One second to connect and warm up, then the measured window.
    boost::asio::steady_timer warmUp(io);
    boost::asio::steady_timer window(io);
    std::chrono::steady_clock::time_point started;
    warmUp.expires_after(std::chrono::seconds(1));
    warmUp.async_wait([&](boost::system::error_code) {
        measuring = true;
        ticksAtStart = ticks();
        framesAtStart = simulator.framesPushed();
        started = std::chrono::steady_clock::now();
        window.expires_after(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::duration<double>(seconds)));
        window.async_wait([&](boost::system::error_code) {
            measuring = false;
            live.stop();
            boost::asio::post(io, [&] { io.stop(); });
        });
    });
    live.start();
    io.run();
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const std::uint64_t received = ticks() - ticksAtStart;
    const std::uint64_t pushed = simulator.framesPushed() - framesAtStart;
    simulator.stop();

    std::sort(latencies.begin(), latencies.end());
    const auto percentile = [&](double p) {
        return latencies.empty() ? 0.0 : latencies[static_cast<std::size_t>(p * static_cast<double>(latencies.size() - 1))];
    };
    std::printf("bench_loopback: %zu positions on %zu symbols, 4 venues over loopback WebSockets, %.1f s measured\n",
                positions, symbols, elapsed);
    std::printf("  simulator pushed %.0f frames/s; monitor received and evaluated %.0f ticks/s (%llu snapshots)\n",
                static_cast<double>(pushed) / elapsed, static_cast<double>(received) / elapsed,
                static_cast<unsigned long long>(snapshots));
    std::printf("  frame received -> snapshot evaluated: p50 %.1f us, p99 %.1f us, max %.1f us\n", percentile(0.5),
                percentile(0.99), latencies.empty() ? 0.0 : latencies.back());
    return 0;
}
