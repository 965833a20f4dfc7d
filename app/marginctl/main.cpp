// marginctl — Margin Monitor on the command line.
//
// Exit codes: 0 success, 2 bad input or usage (one line on stderr naming the problem), 1 an
// unexpected internal error.
#include "version.h"

#include "commands.h"

#include <iostream>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::string_view kUsage = R"(Usage: marginctl COMMAND [ARGS]

Commands:
  eval FILE|-     Evaluate a portfolio file (JSON; '-' reads stdin) and print each position's
                  liquidation price, maintenance margin, margin ratio and distance to
                  liquidation, and the account's margin balance and ratio, as JSON.
  watch ...       The monitor without a screen: live mark prices from the exchanges, risk on
                  every tick, a table in the terminal or JSON lines (--json).
                    marginctl watch --portfolio FILE [--portfolio FILE ...]
                        [--venue-url VENUE=URL ...] [--ca-file PEM] [--json] [--duration SECONDS]
                    marginctl watch --demo [--time-scale X] [--json] [--duration SECONDS]
  replay ...      Replay recorded marks through the monitor and its alert rules, on the
                  recording's own time, and report every alert and, per position, when it
                  was liquidated and when its first warning, critical and emergency sounded.
                    marginctl replay --portfolio FILE [--portfolio FILE ...]
                        (--marks CSV | --journal FILE) [--rules ALERTS-JSON] [--json]
                  --marks reads rows time,symbol,mark (time in Unix seconds); --journal the
                  marks the desktop app recorded in its journal; --rules the alert rules
                  (alerts.json; default: the built-in rules).
  sim ...         Run the exchange simulator on loopback; prints its endpoints as one JSON line
                  and serves until SIGINT or SIGTERM.
                    marginctl sim [--venues V1,V2,...] [--port N] [--tls-cert PEM --tls-key PEM]
                        [--scenario random|crash] [--replay CSV] [--time-scale X]
                        [--push-ms N] [--seed N]
                        [--drop-every S] [--stall-every S --stall-for S]
                        [--malformed-every N] [--delay-ms N] [--rest-fault STATUS:N]   (faults)
                  --replay CSV plays recorded marks (rows time,symbol,mark; time in seconds,
                  symbols as the venue spells them). --time-scale runs simulated time X times
                  faster. --rest-fault answers every Nth REST request with 429, 418 or 503.

Options:
  --help          Show this help (after a command: that command's usage).
  --version       Show the version.

The portfolio format is described in the README ("Portfolio files").
)";

/// The usage of one command: its block of kUsage, from its line to the next command's (empty when
/// there is no such command).
std::string_view commandUsage(std::string_view command)
{
    const std::string head = "\n  " + std::string(command) + " ";
    const auto begin = kUsage.find(head);
    if (begin == std::string_view::npos) {
        return {};
    }
    std::size_t end = kUsage.find("\n\nOptions:", begin);
    for (std::size_t line = kUsage.find('\n', begin + 1); line != std::string_view::npos && line < end;
         line = kUsage.find('\n', line + 1)) {
        // The next command: a line indented by exactly two spaces, then a name.
        if (line + 3 < kUsage.size() && kUsage.substr(line + 1, 2) == "  " && kUsage[line + 3] != ' ') {
            end = line;
            break;
        }
    }
    return kUsage.substr(begin + 1, end - begin);
}

bool asksForHelp(const std::vector<std::string>& args)
{
    for (const std::string& arg : args) {
        if (arg == "--help" || arg == "-h") {
            return true;
        }
    }
    return false;
}

} // namespace

int main(int argc, char** argv)
{
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::cerr << kUsage;
        return marginctl::kExitBadInput;
    }
    const std::string& command = args[0];
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (command == "--help" || command == "-h" || command == "help") {
        std::cout << kUsage;
        return 0;
    }
    if (command == "--version") {
        std::cout << "marginctl " << MM_VERSION << "\n";
        return 0;
    }
    if (asksForHelp(rest)) {
        // `marginctl watch --help`: that command's usage, whatever else is on the line.
        const std::string_view usage = commandUsage(command);
        if (usage.empty()) {
            std::cerr << "marginctl: unknown command '" << command << "'; see marginctl --help\n";
            return marginctl::kExitBadInput;
        }
        std::cout << "Usage (see marginctl --help for every command):\n" << usage;
        return 0;
    }
    if (command == "eval") {
        return marginctl::evalCommand(rest);
    }
    if (command == "sim") {
        return marginctl::simCommand(rest);
    }
    if (command == "watch") {
        return marginctl::watchCommand(rest);
    }
    if (command == "replay") {
        return marginctl::replayCommand(rest);
    }
    std::cerr << "marginctl: unknown command '" << command << "'; see marginctl --help\n";
    return marginctl::kExitBadInput;
}
