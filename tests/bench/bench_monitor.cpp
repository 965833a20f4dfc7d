// Benchmark: tick-to-RiskSnapshot inside the process — a venue frame parsed by its mark-price
// protocol, applied to the monitor, the positions on its symbol and the account re-evaluated, the
// snapshot published. No sockets: the loopback benchmark with the simulator comes with core/net.
//
//   bench_monitor [--positions N] [--symbols S] [--ticks T]
//
// Prints sustained ticks per second and latency (frame received → evaluation done) p50/p99/max.
#include "engine/monitor.h"
#include "venues/mark_price_protocol.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

/// Four accounts, one per venue, with `positions` positions over `symbols` symbols in all: cross
/// one-way, hedged pairs and isolated, each symbol with its own maintenance rate.
std::vector<mm::Portfolio> makeAccounts(std::size_t positions, std::size_t symbols)
{
    const std::array venues{mm::Venue::BinanceUsdm, mm::Venue::BybitLinear, mm::Venue::OkxSwap, mm::Venue::Hyperliquid};
    std::vector<mm::Portfolio> accounts(venues.size());
    for (std::size_t v = 0; v < venues.size(); ++v) {
        accounts[v].account.venue = venues[v];
        accounts[v].account.walletBalance = mm::Decimal::fromInteger(static_cast<std::int64_t>(positions) * 2'000);
    }
    std::mt19937_64 random(7);
    std::uniform_real_distribution<double> unit(0, 1);
    const std::size_t perVenue = symbols / venues.size();
    for (std::size_t i = 0; i < positions; ++i) {
        const std::size_t v = i % venues.size();
        const std::size_t symbolIndex = (i / venues.size()) % perVenue;
        mm::Position position;
        position.symbol = "S" + std::to_string(symbolIndex);
        const std::size_t round = i / (venues.size() * perVenue); // 0, 1, 2 …: the positions on one symbol
        position.side = round % 2 == 0 ? mm::Side::Long : mm::Side::Short;
        if (round < 2) {
            position.positionSide = round == 0 ? mm::PositionSide::Long : mm::PositionSide::Short;
        } else {
            position.marginMode = mm::MarginMode::Isolated;
            position.isolatedMargin = mm::Decimal::fromInteger(2'000);
        }
        position.quantity = mm::Decimal::fromInteger(1 + static_cast<std::int64_t>(unit(random) * 10));
        position.entryPrice = mm::Decimal::fromInteger(1'000 + static_cast<std::int64_t>(symbolIndex));
        position.markPrice = position.entryPrice;
        position.instrument = nullptr;
        accounts[v].positions.push_back(position);
    }
    for (auto& portfolio : accounts) {
        std::map<std::string, std::shared_ptr<const mm::Instrument>> instruments;
        for (auto& position : portfolio.positions) {
            auto& instrument = instruments[position.symbol];
            if (!instrument) {
                auto made = std::make_shared<mm::Instrument>();
                made->venue = portfolio.account.venue;
                made->symbol = position.symbol;
                made->riskTiers = {{0, {}, std::nullopt, mm::Decimal::parse("0.01"), {}, 50}};
                instrument = made;
            }
            position.instrument = instrument;
        }
    }
    return accounts;
}

/// The venue's own frame for a mark price.
std::string frameFor(mm::Venue venue, const std::string& symbol, const std::string& mark)
{
    switch (venue) {
    case mm::Venue::BinanceUsdm:
        return R"({"stream":"x@markPrice@1s","data":{"e":"markPriceUpdate","E":1,"s":")" + symbol + R"(","p":")" + mark +
               R"(","i":")" + mark + R"(","r":"0.0001"}})";
    case mm::Venue::BybitLinear:
        return R"({"topic":"tickers.)" + symbol + R"(","type":"delta","data":{"symbol":")" + symbol + R"(","markPrice":")" +
               mark + R"("},"cs":1,"ts":1})";
    case mm::Venue::OkxSwap:
        return R"({"arg":{"channel":"mark-price","instId":")" + symbol + R"("},"data":[{"instType":"SWAP","instId":")" +
               symbol + R"(","markPx":")" + mark + R"(","ts":"1"}]})";
    default:
        return R"({"channel":"activeAssetCtx","data":{"coin":")" + symbol + R"(","ctx":{"markPx":")" + mark +
               R"(","oraclePx":")" + mark + R"(","funding":"0.0001"}}})";
    }
}

} // namespace

int main(int argc, char** argv)
{
    std::size_t positions = 1'000;
    std::size_t symbols = 200;
    std::size_t tickCount = 400'000;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string option = argv[i];
        const std::size_t value = std::stoul(argv[i + 1]);
        if (option == "--positions") {
            positions = value;
        } else if (option == "--symbols") {
            symbols = value;
        } else if (option == "--ticks") {
            tickCount = value;
        } else {
            std::fprintf(stderr, "bench_monitor: unknown option %s\n", option.c_str());
            return 2;
        }
    }

    mm::SteadyClock clock;
    mm::Monitor monitor(clock);
    const auto accounts = makeAccounts(positions, symbols);
    std::vector<std::unique_ptr<mm::MarkPriceProtocol>> protocols;
    for (const auto& portfolio : accounts) {
        const std::size_t account = monitor.addAccount(portfolio);
        protocols.push_back(mm::MarkPriceProtocol::forVenue(portfolio.account.venue));
        protocols.back()->setSymbols(monitor.symbolsOn(monitor.portfolio(account).account.venue)); // as subscribed
    }
    // Frames prepared beforehand: the benchmark measures parsing and evaluation, not formatting.
    std::vector<std::pair<std::size_t, std::string>> frames;
    std::mt19937_64 random(11);
    std::uniform_real_distribution<double> unit(0, 1);
    const std::size_t perVenue = symbols / accounts.size();
    for (std::size_t i = 0; i < 20'000; ++i) {
        const std::size_t account = i % accounts.size();
        const std::size_t symbol = static_cast<std::size_t>(unit(random) * static_cast<double>(perVenue));
        char mark[32];
        std::snprintf(mark, sizeof mark, "%.2f", (1'000.0 + static_cast<double>(symbol)) * (0.8 + 0.4 * unit(random)));
        frames.emplace_back(account, frameFor(accounts[account].account.venue, "S" + std::to_string(symbol), mark));
    }

    std::vector<double> latencies;
    latencies.reserve(tickCount);
    std::uint64_t snapshots = 0;
    const auto subscription = monitor.onRisk([&](const mm::RiskSnapshot& snapshot) {
        ++snapshots;
        latencies.push_back(std::chrono::duration<double, std::micro>(snapshot.evaluatedAt - snapshot.tickReceivedAt).count());
    });
    std::vector<mm::MarkTick> ticks;
    // Where the time goes: parsing, and evaluating (with publishing), timed apart.
    std::chrono::nanoseconds parsing{0};
    std::chrono::nanoseconds evaluating{0};
    const auto start = Clock::now();
    for (std::size_t i = 0; i < tickCount; ++i) {
        const auto& [account, frame] = frames[i % frames.size()];
        ticks.clear();
        const auto parseStart = Clock::now();
        const auto message = protocols[account]->parse(frame, clock.now(), ticks);
        const auto parsed = Clock::now();
        parsing += parsed - parseStart;
        if (message.kind != mm::FeedMessage::Kind::Ticks) {
            std::fprintf(stderr, "bench_monitor: unexpected frame result: %s\n", message.detail.c_str());
            return 1;
        }
        for (const auto& tick : ticks) {
            if (monitor.applyTick(tick) != mm::Monitor::TickOutcome::Applied) {
                std::fprintf(stderr, "bench_monitor: a tick for %s was not applied\n", tick.symbol.c_str());
                return 1;
            }
        }
        evaluating += Clock::now() - parsed;
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::sort(latencies.begin(), latencies.end());
    const auto percentile = [&](double p) { return latencies[static_cast<std::size_t>(p * static_cast<double>(latencies.size() - 1))]; };
    std::printf("bench_monitor: %zu positions on %zu symbols in %zu accounts, %zu ticks, %llu snapshots\n", positions,
                symbols, accounts.size(), tickCount, static_cast<unsigned long long>(snapshots));
    std::printf("  sustained (parse + evaluate + publish, one thread): %.0f ticks/s\n", static_cast<double>(tickCount) / seconds);
    std::printf("  tick received -> snapshot evaluated: p50 %.1f us, p99 %.1f us, max %.1f us\n", percentile(0.5),
                percentile(0.99), latencies.back());
    const double perTick = 1e-3 / static_cast<double>(tickCount);
    const double total = static_cast<double>((parsing + evaluating).count());
    std::printf("  where the time goes, per tick: parsing the frame %.2f us (%.0f %%), evaluating and publishing %.2f us (%.0f %%)\n",
                static_cast<double>(parsing.count()) * perTick, 100 * static_cast<double>(parsing.count()) / total,
                static_cast<double>(evaluating.count()) * perTick, 100 * static_cast<double>(evaluating.count()) / total);
    return 0;
}
