// marginctl watch — the monitor without a screen.
#include "commands.h"

#include "alert_json.h"

#include "engine/live_monitor.h"
#include "portfolio/portfolio_file.h"
#include "engine/demo_mode.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>

namespace marginctl {

namespace {

using namespace std::chrono_literals;
using json = nlohmann::ordered_json;

struct WatchOptions {
    std::vector<std::string> portfolioFiles;
    std::map<mm::Venue, mm::WsUrl> venueUrls;
    std::string caFile;
    bool demo = false;
    bool jsonLines = false;
    double timeScale = 1.0;
    std::optional<double> durationSeconds;
    std::chrono::milliseconds riskThrottle{1000}; ///< per position, in --json
};

std::string_view feedStateName(mm::FeedState state)
{
    switch (state) {
    case mm::FeedState::Waiting:
        return "waiting";
    case mm::FeedState::Fresh:
        return "fresh";
    case mm::FeedState::Stale:
        return "stale";
    }
    return "unknown";
}

/// Parses the options; returns an error message, or nothing when they are good.
std::optional<std::string> parseOptions(const std::vector<std::string>& args, WatchOptions& options)
{
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& option = args[i];
        if (option == "--demo") {
            options.demo = true;
            continue;
        }
        if (option == "--json") {
            options.jsonLines = true;
            continue;
        }
        if (i + 1 >= args.size()) {
            return option + " needs a value";
        }
        const std::string& value = args[++i];
        if (option == "--portfolio") {
            options.portfolioFiles.push_back(value);
        } else if (option == "--ca-file") {
            options.caFile = value;
        } else if (option == "--venue-url") {
            const auto equals = value.find('=');
            const auto venue = mm::venueFromName(value.substr(0, equals));
            std::string problem = "has no '='";
            const auto url = equals == std::string::npos ? std::nullopt : mm::WsUrl::parse(value.substr(equals + 1), problem);
            if (!venue || !url) {
                return "--venue-url " + value + ": " + (venue ? "the URL " + problem : "unknown venue (expected " + std::string(mm::venueNameList()) + ")");
            }
            options.venueUrls[*venue] = *url;
        } else if (option == "--duration" || option == "--time-scale") {
            double number = 0;
            try {
                std::size_t used = 0;
                number = std::stod(value, &used);
                if (used != value.size() || !(number > 0)) {
                    throw std::invalid_argument(value);
                }
            } catch (const std::exception&) {
                return option + " " + value + ": must be a positive number";
            }
            if (option == "--duration") {
                options.durationSeconds = number;
            } else {
                options.timeScale = number;
            }
        } else {
            return "unknown option " + option;
        }
    }
    if (options.demo == !options.portfolioFiles.empty()) {
        return "give --demo or at least one --portfolio FILE";
    }
    return std::nullopt;
}

/// Prints what the monitor publishes, as JSON lines or as a table refreshed every second.
class Printer {
public:
    Printer(mm::LiveMonitor& live, bool jsonLines, std::chrono::milliseconds throttle)
        : m_live(live), m_json(jsonLines), m_throttle(throttle), m_terminal(isatty(STDOUT_FILENO) != 0)
    {
        auto& monitor = live.monitor();
        m_subscriptions.push_back(monitor.onRisk([this](const mm::RiskSnapshot& snapshot) { onRisk(snapshot); }));
        m_subscriptions.push_back(monitor.onFeed([this](const mm::FeedStatus& status) { onFeed(status); }));
        m_subscriptions.push_back(live.onConnection([this](mm::Venue venue, const mm::WsStats& stats) { onConnection(venue, stats); }));
        m_subscriptions.push_back(live.alerts().onAlert([this](const mm::AlertEvent& alert) { onAlert(alert); }));
        m_subscriptions.push_back(live.onProblem([this](mm::Venue venue, const std::string& problem) {
            line({{"type", "problem"}, {"venue", mm::venueName(venue)}, {"detail", problem}});
        }));
    }

    void line(const json& event)
    {
        if (m_json) {
            std::cout << event.dump(-1, ' ', false, json::error_handler_t::replace) << '\n' << std::flush;
        }
    }

    void banner(const std::string& text)
    {
        if (m_json) {
            line({{"type", "banner"}, {"text", text}});
        } else {
            m_banner = text;
        }
    }

    /// The table, in table mode.
    void printTable()
    {
        if (m_json) {
            return;
        }
        auto& monitor = m_live.monitor();
        std::string out = m_terminal ? "\x1b[H\x1b[2J" : "\n";
        if (!m_banner.empty()) {
            out += m_banner + "\n";
        }
        char row[256];
        std::snprintf(row, sizeof row, "%-13s %-15s %-5s %12s %14s %14s %9s %8s %7s\n", "exchange", "symbol", "side", "size",
                      "mark", "liquidation", "distance", "ratio", "feed");
        out += row;
        const auto now = std::chrono::steady_clock::now();
        std::map<std::pair<mm::Venue, std::string>, mm::FeedStatus> feeds;
        for (const auto& status : monitor.feeds()) {
            feeds[{status.venue, status.symbol}] = status;
        }
        for (std::size_t account = 0; account < monitor.accountCount(); ++account) {
            const mm::Portfolio& portfolio = monitor.portfolio(account);
            const mm::PortfolioRisk risk = monitor.evaluate(account);
            for (std::size_t i = 0; i < portfolio.positions.size(); ++i) {
                const mm::Position& position = portfolio.positions[i];
                const mm::PositionRisk& positionRisk = risk.positions[i];
                const auto feed = feeds.find({portfolio.account.venue, position.symbol});
                std::string age = "-";
                if (feed != feeds.end() && feed->second.ticks > 0) {
                    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - feed->second.lastTickAt).count();
                    age = feed->second.state == mm::FeedState::Stale ? "STALE" : std::to_string(ms) + "ms";
                }
                const std::string liquidation = positionRisk.liquidationPrice ? std::to_string(*positionRisk.liquidationPrice).substr(0, 12) : "none";
                const std::string distance = positionRisk.distanceToLiquidationPct
                                                 ? std::to_string(*positionRisk.distanceToLiquidationPct).substr(0, 6) + "%"
                                                 : "-";
                char ratio[16];
                if (std::isfinite(positionRisk.marginRatio)) {
                    std::snprintf(ratio, sizeof ratio, "%.2f%%", positionRisk.marginRatio * 100);
                } else {
                    std::snprintf(ratio, sizeof ratio, "beyond"); // margin balance ≤ 0
                }
                std::snprintf(row, sizeof row, "%-13s %-15s %-5s %12s %14s %14s %9s %8s %7s%s\n",
                              std::string(mm::venueName(portfolio.account.venue)).c_str(), position.symbol.c_str(),
                              position.side == mm::Side::Long ? "long" : "short", position.quantity.toString().c_str(),
                              position.markPrice.toString().c_str(), liquidation.c_str(), distance.c_str(),
                              ratio, age.c_str(),
                              positionRisk.liquidationDue ? "  LIQUIDATION DUE" : "");
                out += row;
            }
        }
        if (!m_recentAlerts.empty()) {
            out += "alerts (newest last):\n";
            for (const std::string& alert : m_recentAlerts) {
                out += "  " + alert + "\n";
            }
        }
        std::map<mm::Venue, mm::FeedCounters> counters;
        for (auto& [venue, count] : m_live.counters()) {
            counters[venue] = std::move(count);
        }
        for (const auto& [venue, stats] : m_live.connections()) {
            out += std::string(mm::venueName(venue)) + ": " + std::string(mm::connectionStateName(stats.state)) +
                   ", reconnects " + std::to_string(stats.reconnects) +
                   (stats.lastError.empty() || stats.state == mm::ConnectionState::Open ? "" : " (" + stats.lastError + ")");
            // What the stream carried that it should not have: counted, the latest said in words.
            const mm::FeedCounters& count = counters[venue];
            if (count.malformed + count.venueErrors + count.notices + count.unstreamable > 0) {
                out += ", malformed frames " + std::to_string(count.malformed) + ", exchange errors " +
                       std::to_string(count.venueErrors) + ", notices " + std::to_string(count.notices) +
                       (count.unstreamable > 0 ? ", symbols that cannot be streamed " + std::to_string(count.unstreamable) : "") +
                       "\n  last problem: " + count.lastProblem;
            }
            out += "\n";
        }
        std::cout << out << std::flush;
    }

private:
    void onRisk(const mm::RiskSnapshot& snapshot)
    {
        if (!m_json) {
            return;
        }
        const auto now = std::chrono::steady_clock::now();
        const mm::Portfolio& portfolio = m_live.monitor().portfolio(snapshot.account);
        for (const auto& [index, risk] : snapshot.positions) {
            auto& last = m_lastPrinted[{snapshot.account, index}];
            if (now - last < m_throttle && !risk.liquidationDue) {
                continue;
            }
            last = now;
            const mm::Position& position = portfolio.positions[index];
            line({{"type", "risk"},
                  {"venue", mm::venueName(portfolio.account.venue)},
                  {"account", portfolio.account.label},
                  {"symbol", position.symbol},
                  {"side", position.side == mm::Side::Long ? "long" : "short"},
                  {"markPrice", position.markPrice.toDouble()},
                  {"liquidationPrice", roundedJson(risk.liquidationPrice, 6)},
                  {"distanceToLiquidationPct", roundedJson(risk.distanceToLiquidationPct, 4)},
                  {"marginRatio", roundedJson(risk.marginRatio, 6)},
                  {"accountMarginRatio", roundedJson(snapshot.accountRisk.marginRatio, 6)},
                  {"liquidationDue", risk.liquidationDue},
                  {"evaluationMicros",
                   std::chrono::duration<double, std::micro>(snapshot.evaluatedAt - snapshot.tickReceivedAt).count()}});
        }
    }

    /// Every alert at once: a JSON line, or a line under the table; the bell for each new or louder one.
    void onAlert(const mm::AlertEvent& alert)
    {
        const bool louder = alert.change == mm::AlertChange::Raised || alert.change == mm::AlertChange::Escalated;
        if (m_json) {
            line(alertJson(alert));
            if (louder && isatty(STDERR_FILENO) != 0) {
                std::cerr << '\a' << std::flush; // the bell, kept out of the JSON
            }
            return;
        }
        std::string text = std::string(mm::alertLevelName(alert.level)) + " " + std::string(mm::alertChangeName(alert.change)) +
                           ": " + std::string(mm::venueName(alert.subject.venue)) + " " + alert.subject.accountLabel +
                           (alert.subject.symbol.empty() ? std::string(" (account)") : " " + alert.subject.symbol) + " — " +
                           alert.message;
        m_recentAlerts.push_back(std::move(text));
        if (m_recentAlerts.size() > kRecentAlerts) {
            m_recentAlerts.erase(m_recentAlerts.begin());
        }
        if (louder) {
            std::cout << '\a' << (m_terminal ? "" : m_recentAlerts.back() + "\n") << std::flush;
        }
    }

    void onFeed(const mm::FeedStatus& status)
    {
        line({{"type", "feed"}, {"venue", mm::venueName(status.venue)}, {"symbol", status.symbol}, {"state", feedStateName(status.state)}});
    }

    void onConnection(mm::Venue venue, const mm::WsStats& stats)
    {
        line({{"type", "connection"},
              {"venue", mm::venueName(venue)},
              {"state", mm::connectionStateName(stats.state)},
              {"connects", stats.connects},
              {"reconnects", stats.reconnects},
              {"error", stats.lastError}});
    }

    mm::LiveMonitor& m_live;
    bool m_json;
    std::chrono::milliseconds m_throttle;
    bool m_terminal;
    std::string m_banner;
    static constexpr std::size_t kRecentAlerts = 8;
    std::vector<std::string> m_recentAlerts;
    std::map<std::pair<std::size_t, std::size_t>, std::chrono::steady_clock::time_point> m_lastPrinted;
    std::vector<std::unique_ptr<mm::Subscription>> m_subscriptions;
};

} // namespace

int watchCommand(const std::vector<std::string>& args)
{
    WatchOptions options;
    if (const auto problem = parseOptions(args, options)) {
        std::cerr << "marginctl watch: " << *problem << "; see marginctl --help\n";
        return kExitBadInput;
    }

    mm::LiveMonitorOptions liveOptions;
    liveOptions.trust.caFile = options.caFile;
    liveOptions.venueUrls = options.venueUrls;
    mm::DemoMode demo; // the embedded default: the simulator in this process
    try {
        for (const std::string& file : options.portfolioFiles) {
            try {
                liveOptions.accounts.push_back(mm::readPortfolio(readInput(file)));
            } catch (const mm::PortfolioFileError& error) {
                throw std::runtime_error(file + ": " + error.what());
            }
        }
        if (options.demo) {
            demo = mm::DemoMode::start(options.timeScale);
            liveOptions = demo.monitorOptions;
        }
    } catch (const std::exception& error) {
        std::cerr << "marginctl watch: " << error.what() << "\n";
        return kExitBadInput;
    }

    boost::asio::io_context io;
    mm::SteadyClock clock;
    std::unique_ptr<mm::LiveMonitor> live;
    try {
        live = std::make_unique<mm::LiveMonitor>(io, clock, std::move(liveOptions));
    } catch (const std::exception& error) {
        std::cerr << "marginctl watch: " << error.what() << "\n";
        return kExitBadInput;
    }
    Printer printer(*live, options.jsonLines, options.riskThrottle);
    if (options.demo) {
        printer.banner("Simulated exchanges — demo mode (a crash scenario plays over the next three minutes)");
    }

    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    boost::asio::steady_timer tableTimer(io);
    boost::asio::steady_timer deadline(io);
    const auto finish = [&] {
        live->stop();
        signals.cancel();
        tableTimer.cancel();
        deadline.cancel();
        // Let the feeds close, then end the loop.
        boost::asio::post(io, [&] { io.stop(); });
    };
    signals.async_wait([&](const boost::system::error_code& error, int) {
        if (!error) {
            finish();
        }
    });
    if (options.durationSeconds) {
        deadline.expires_after(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::duration<double>(*options.durationSeconds)));
        deadline.async_wait([&](const boost::system::error_code& error) {
            if (!error) {
                finish();
            }
        });
    }
    std::function<void()> refresh = [&] {
        tableTimer.expires_after(1s);
        tableTimer.async_wait([&](const boost::system::error_code& error) {
            if (!error) {
                printer.printTable();
                refresh();
            }
        });
    };
    refresh();
    live->start();
    io.run();
    printer.printTable();
    live.reset();
    if (demo.simulator) {
        demo.simulator->stop();
    }
    return 0;
}

} // namespace marginctl
