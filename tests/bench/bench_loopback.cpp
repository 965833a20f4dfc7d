// Benchmark: the exchange simulator pushes marks as fast as it can over loopback WebSockets to the
// live monitor — 1,000 positions on 200 symbols, four accounts, one per venue, each venue's real
// wire format. Prints sustained ticks per second, the latency from frame received to snapshot
// evaluated, p50 / p99 / max, and where the time goes: how busy the client's thread (receiving,
// parsing, evaluating) and the simulator's thread (moving prices, formatting, sending) were.
// With --tls, over TLS with the demo's throw-away CA, verified as for a real venue.
//
//   bench_loopback [--seconds S] [--positions N] [--symbols S] [--tls]
#include "bench_accounts.h"
#include "engine/live_monitor.h"
#include "sim/exchange_simulator.h"
#include "sim/throwaway_certificates.h"

#include <sys/resource.h>

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
    bool tls = false;
    for (int i = 1; i < argc; i += 2) {
        const std::string option = argv[i];
        if (option == "--tls") {
            tls = true;
            --i;
            continue;
        }
        if (i + 1 >= argc) {
            std::fprintf(stderr, "bench_loopback: %s needs a value\n", option.c_str());
            return 2;
        }
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
    mm::TlsTrust trust;
    if (tls) {
        const auto certificates = mm::sim::ThrowawayCertificates::make();
        simOptions.certificatePem = certificates.serverCertificatePem;
        simOptions.privateKeyPem = certificates.serverKeyPem;
        trust.caPem = certificates.authorityPem;
    }
    mm::sim::ExchangeSimulator simulator(simOptions);
    simulator.start();

    boost::asio::io_context io;
    mm::SteadyClock clock;
    mm::LiveMonitorOptions options;
    options.accounts = mm::bench::makeAccounts(positions, symbols);
    options.trust = trust;
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
    // CPU time: this thread is the client's (io.run below); the process's minus it, the simulator's.
    const auto cpuSeconds = [](int who) {
        rusage usage{};
        getrusage(who, &usage);
        return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
               static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    };
    double clientCpu = 0;
    double processCpu = 0;
    warmUp.expires_after(std::chrono::seconds(1));
    warmUp.async_wait([&](boost::system::error_code) {
        measuring = true;
        clientCpu = -cpuSeconds(RUSAGE_THREAD);
        processCpu = -cpuSeconds(RUSAGE_SELF);
        ticksAtStart = ticks();
        framesAtStart = simulator.framesPushed();
        started = std::chrono::steady_clock::now();
        window.expires_after(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::duration<double>(seconds)));
        window.async_wait([&](boost::system::error_code) {
            measuring = false;
            clientCpu += cpuSeconds(RUSAGE_THREAD);
            processCpu += cpuSeconds(RUSAGE_SELF);
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
    std::printf("bench_loopback: %zu positions on %zu symbols, 4 venues over loopback WebSockets%s, %.1f s measured\n",
                positions, symbols, tls ? " with TLS (certificate verified)" : " (plain ws://)", elapsed);
    std::printf("  simulator pushed %.0f frames/s; monitor received and evaluated %.0f ticks/s (%llu snapshots)\n",
                static_cast<double>(pushed) / elapsed, static_cast<double>(received) / elapsed,
                static_cast<unsigned long long>(snapshots));
    std::printf("  frame received -> snapshot evaluated: p50 %.1f us, p99 %.1f us, max %.1f us\n", percentile(0.5),
                percentile(0.99), latencies.empty() ? 0.0 : latencies.back());
    const double frames = static_cast<double>(std::max<std::uint64_t>(received, 1));
    std::printf("  where the time goes: client thread busy %.0f %% (%.2f us of CPU per tick: read, %sparse, evaluate), "
                "simulator thread busy %.0f %% (%.2f us per frame pushed: prices, formatting, %ssending)\n",
                100 * clientCpu / elapsed, 1e6 * clientCpu / frames, tls ? "decrypt, " : "", 100 * (processCpu - clientCpu) / elapsed,
                1e6 * (processCpu - clientCpu) / static_cast<double>(std::max<std::uint64_t>(pushed, 1)), tls ? "encrypt, " : "");
    return 0;
}
