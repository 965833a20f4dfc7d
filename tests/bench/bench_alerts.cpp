// Benchmark: tick-to-AlertEvent — a mark applied to the monitor, the positions on its symbol
// re-evaluated, the alert engine judging every rule of the default policy on each of them, the
// AlertEvent published. Ticks are paced at a fixed rate (100,000 a second by default) and each
// tick's receive time is its scheduled time, so falling behind shows up as latency.
//
//   bench_alerts [--positions N] [--symbols S] [--ticks-per-second R] [--seconds T]
//
// Prints the sustained rate, the alert latency (tick received → AlertEvent decided) p50/p99/max over
// every alert, and the same for every tick's decision (tick received → the engine done with it,
// whether or not it raised anything).
#include "alerts/alert_engine.h"
#include "bench_accounts.h"
#include "engine/monitor.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace {

using Steady = std::chrono::steady_clock;

struct Percentiles {
    double p50 = 0;
    double p99 = 0;
    double max = 0;
};

Percentiles percentiles(std::vector<double>& values)
{
    if (values.empty()) {
        return {};
    }
    std::sort(values.begin(), values.end());
    const auto at = [&](double p) { return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))]; };
    return {at(0.5), at(0.99), values.back()};
}

} // namespace

int main(int argc, char** argv)
{
    std::size_t positions = 1'000;
    std::size_t symbols = 200;
    double ticksPerSecond = 100'000;
    double seconds = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string option = argv[i];
        const double value = std::stod(argv[i + 1]);
        if (option == "--positions") {
            positions = static_cast<std::size_t>(value);
        } else if (option == "--symbols") {
            symbols = static_cast<std::size_t>(value);
        } else if (option == "--ticks-per-second") {
            ticksPerSecond = value;
        } else if (option == "--seconds") {
            seconds = value;
        } else {
            std::fprintf(stderr, "bench_alerts: unknown option %s\n", option.c_str());
            return 2;
        }
    }

    mm::SteadyClock clock;
    mm::Monitor monitor(clock);
    const auto accounts = mm::bench::makeAccounts(positions, symbols);
    for (const auto& portfolio : accounts) {
        monitor.addAccount(portfolio);
    }
    mm::AlertEngine alerts(monitor, clock); // the default rules
    const auto attached = alerts.attach(monitor);

    std::vector<double> alertLatencies;
    std::vector<double> decisionLatencies;
    std::uint64_t raised = 0;
    const auto listening = alerts.onAlert([&](const mm::AlertEvent& event) {
        alertLatencies.push_back(std::chrono::duration<double, std::micro>(event.decidedAt - event.tickReceivedAt).count());
        raised += event.change == mm::AlertChange::Raised ? 1 : 0;
    });
    // Subscribed after the engine: called once the engine is done with the snapshot.
    const auto afterEngine = monitor.onRisk([&](const mm::RiskSnapshot& snapshot) {
        decisionLatencies.push_back(std::chrono::duration<double, std::micro>(clock.now() - snapshot.tickReceivedAt).count());
    });

    // Marks prepared beforehand: each symbol walks between 55 and 145 (the positions' entry is 100,
    // the isolated ones liquidate near 67 and 133), so positions keep crossing their thresholds.
    const std::size_t perVenue = std::max<std::size_t>(1, symbols / accounts.size());
    std::mt19937_64 random(17);
    std::normal_distribution<double> step(0.0, 3.0);
    std::vector<double> level(symbols, 100.0);
    struct Prepared {
        std::size_t account;
        std::string symbol;
        mm::Decimal mark;
    };
    std::vector<Prepared> prepared;
    prepared.reserve(50'000);
    for (std::size_t i = 0; i < 50'000; ++i) {
        const std::size_t account = i % accounts.size();
        const std::size_t symbol = (i / accounts.size()) % perVenue;
        double& mark = level[account * perVenue + symbol];
        mark = std::clamp(mark + step(random), 55.0, 145.0);
        char text[32];
        std::snprintf(text, sizeof text, "%.3f", mark);
        prepared.push_back({account, "S" + std::to_string(symbol) + "USDT", mm::Decimal::parse(text)});
    }

    const auto total = static_cast<std::size_t>(ticksPerSecond * seconds);
    alertLatencies.reserve(total / 4);
    decisionLatencies.reserve(total * 2);
    const auto interval = std::chrono::duration<double>(1.0 / ticksPerSecond);
    mm::MarkTick tick;
    const auto start = Steady::now();
    for (std::size_t i = 0; i < total; ++i) {
        const auto due = start + std::chrono::duration_cast<Steady::duration>(interval * static_cast<double>(i));
        while (Steady::now() < due) {
        }
        const Prepared& next = prepared[i % prepared.size()];
        tick.venue = accounts[next.account].account.venue;
        tick.symbol = next.symbol;
        tick.markPrice = next.mark;
        tick.receivedAt = due; // received when due: a late start is latency too
        monitor.applyTick(tick);
        if (i % 10'000 == 0) {
            alerts.checkTimers();
        }
    }
    const double elapsed = std::chrono::duration<double>(Steady::now() - start).count();

    const Percentiles alert = percentiles(alertLatencies);
    const Percentiles decision = percentiles(decisionLatencies);
    std::printf("bench_alerts: %zu positions on %zu symbols, default rules, %zu ticks in %.2f s (%.0f ticks/s sustained, %.0f asked)\n",
                positions, symbols, total, elapsed, static_cast<double>(total) / elapsed, ticksPerSecond);
    std::printf("  alerts: %zu events (%llu raised), %llu evaluations\n", alertLatencies.size(),
                static_cast<unsigned long long>(raised), static_cast<unsigned long long>(alerts.evaluations()));
    std::printf("  tick received -> AlertEvent decided: p50 %.1f us, p99 %.1f us, max %.1f us\n", alert.p50, alert.p99, alert.max);
    std::printf("  tick received -> engine done (every tick): p50 %.1f us, p99 %.1f us, max %.1f us\n", decision.p50,
                decision.p99, decision.max);
    return alertLatencies.empty() ? 1 : 0; // no alert at all would mean the benchmark measured nothing
}
