// Benchmark: evaluating a large portfolio. Prints figures; asserts nothing (targets live in the
// issue tracker and the README, measured here).
//
//   bench_eval [--positions N] [--runs R] [--write FILE] [--marginctl PATH]
//
// 1. the margin model alone on an in-memory portfolio (positions per second);
// 2. the whole `marginctl eval` pipeline in-process: parse JSON → read → evaluate → write JSON;
// 3. with --marginctl, the real binary on the generated file (wall time, as a trader sees it).
#include "margin/margin_model.h"
#include "portfolio/portfolio_file.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

std::string fixed(double value, int places)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", places, value);
    return text;
}

/// A Binance account with `count` positions in blocks of six: two one-way cross positions, a hedged
/// pair (long and short leg of one symbol, cross), two isolated positions. BTCUSDT and ETHUSDT use the
/// published tiers, every other symbol its own rate.
std::string generatePortfolio(std::size_t count)
{
    std::mt19937_64 random(42);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::ostringstream json;
    json << R"({"venue":"binance-usdm","walletBalance":")" << fixed(static_cast<double>(count) * 400.0, 2)
         << R"(","positions":[)";
    double hedgeMark = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t role = i % 6;
        double entry = 0.05 + unit(random) * 60'000;
        double mark = entry * (0.9 + unit(random) * 0.2);
        if (role == 1) {
            hedgeMark = mark;
        } else if (role == 2) {
            mark = hedgeMark; // both legs of a symbol share its mark
            entry = mark * (0.9 + unit(random) * 0.2);
        }
        const double quantity = (200 + unit(random) * 20'000) / entry;
        const bool hedgeLeg = role == 1 || role == 2;
        const bool isolated = role >= 4;
        const bool longSide = hedgeLeg ? role == 1 : unit(random) < 0.5;
        std::string symbol = (hedgeLeg ? "HEDGE" + std::to_string(i / 6) : "SYM" + std::to_string(i));
        if (i == 0) {
            symbol = "BTCUSDT";
        } else if (i == 3) {
            symbol = "ETHUSDT";
        }
        json << (i == 0 ? "" : ",") << R"({"symbol":")" << symbol << R"(","side":")" << (longSide ? "long" : "short")
             << R"(","quantity":")" << fixed(quantity, 6) << R"(","entryPrice":")" << fixed(entry, 4)
             << R"(","markPrice":")" << fixed(mark, 4) << '"';
        if (i != 0 && i != 3) {
            json << R"(,"maintenanceMarginRate":")" << fixed(0.004 + 0.001 * static_cast<double>(i % 10), 4) << '"';
        }
        if (isolated) {
            json << R"(,"marginMode":"isolated","isolatedMargin":")" << fixed(quantity * entry / 10, 2) << '"';
        }
        if (hedgeLeg) {
            json << R"(,"positionSide":")" << (longSide ? "long" : "short") << '"';
        }
        json << '}';
    }
    json << "]}";
    return json.str();
}

struct Timing {
    double best = 0;
    double median = 0;
};

Timing measure(int runs, const std::function<void()>& work)
{
    std::vector<double> seconds;
    for (int run = 0; run < runs; ++run) {
        const auto start = Clock::now();
        work();
        seconds.push_back(std::chrono::duration<double>(Clock::now() - start).count());
    }
    std::sort(seconds.begin(), seconds.end());
    return {seconds.front(), seconds[seconds.size() / 2]};
}

} // namespace

int main(int argc, char** argv)
{
    std::size_t count = 100'000;
    int runs = 5;
    std::string writePath;
    std::string marginctl;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string option = argv[i];
        if (option == "--positions") {
            count = std::stoul(argv[i + 1]);
        } else if (option == "--runs") {
            runs = std::max(1, std::stoi(argv[i + 1]));
        } else if (option == "--write") {
            writePath = argv[i + 1];
        } else if (option == "--marginctl") {
            marginctl = argv[i + 1];
        } else {
            std::fprintf(stderr, "bench_eval: unknown option %s\n", option.c_str());
            return 2;
        }
    }

    const std::string text = generatePortfolio(count);
    const mm::Portfolio portfolio = mm::readPortfolio(text);
    const auto model = mm::MarginModel::forVenue(portfolio.account.venue);
    std::size_t withPrice = 0;
    for (const auto& risk : model->evaluate(portfolio).positions) {
        withPrice += risk.liquidationPrice ? 1 : 0;
    }
    std::printf("bench_eval: %zu positions (%zu with a liquidation price), %.1f MB of JSON, %d runs each\n",
                portfolio.positions.size(), withPrice, static_cast<double>(text.size()) / 1e6, runs);

    const Timing evaluate = measure(runs, [&] { (void)model->evaluate(portfolio); });
    std::printf("  margin model only      : median %7.1f ms, best %7.1f ms  -> %10.0f positions/s\n",
                evaluate.median * 1e3, evaluate.best * 1e3, static_cast<double>(count) / evaluate.median);

    std::size_t outputBytes = 0;
    const Timing pipeline = measure(runs, [&] {
        const mm::Portfolio read = mm::readPortfolio(text);
        const mm::PortfolioRisk risk = model->evaluate(read);
        outputBytes = mm::portfolioRiskToJson(read, risk).size();
    });
    std::printf("  eval pipeline in-process: median %7.1f ms, best %7.1f ms  -> %10.0f positions/s (%.1f MB out)\n",
                pipeline.median * 1e3, pipeline.best * 1e3, static_cast<double>(count) / pipeline.median,
                static_cast<double>(outputBytes) / 1e6);

    // Where the pipeline's time goes.
    const Timing lexing = measure(runs, [&] { (void)nlohmann::json::accept(text); });
    const Timing read = measure(runs, [&] { (void)mm::readPortfolio(text); });
    const mm::PortfolioRisk risk = model->evaluate(portfolio);
    const Timing write = measure(runs, [&] { (void)mm::portfolioRiskToJson(portfolio, risk); });
    std::printf("    of which: reading %.1f ms (nlohmann's lexer alone %.1f ms), evaluation %.1f ms, report %.1f ms (medians)\n",
                read.median * 1e3, lexing.median * 1e3, evaluate.median * 1e3, write.median * 1e3);

    if (!writePath.empty() || !marginctl.empty()) {
        if (writePath.empty()) {
            writePath = "bench-portfolio.json";
        }
        std::ofstream(writePath, std::ios::binary) << text;
        std::printf("  portfolio written to %s\n", writePath.c_str());
    }
    if (!marginctl.empty()) {
        const std::string command = "'" + marginctl + "' eval '" + writePath + "' > /dev/null";
        int status = 0;
        const Timing binary = measure(runs, [&] { status = std::system(command.c_str()); });
        std::printf("  marginctl eval (binary) : median %7.1f ms, best %7.1f ms, wall time, exit status %d\n",
                    binary.median * 1e3, binary.best * 1e3, status);
        if (status != 0) {
            return 1;
        }
    }
    return 0;
}
