// marginctl — Margin Monitor on the command line.
//
//   marginctl eval FILE|-     evaluate a portfolio (JSON) and print its risk as JSON
//
// Exit codes: 0 success, 2 bad input or usage (one line on stderr naming the problem), 1 an
// unexpected internal error. Nothing is printed on stdout unless the whole evaluation succeeded.
#include "version.h"

#include "margin/margin_model.h"
#include "portfolio/portfolio_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr int kExitBadInput = 2;
constexpr int kExitInternal = 1;

constexpr std::string_view kUsage = R"(Usage: marginctl COMMAND [ARGS]

Commands:
  eval FILE|-   Evaluate a portfolio file (JSON; '-' reads stdin) and print each position's
                liquidation price, maintenance margin, margin ratio and distance to
                liquidation, and the account's margin balance and ratio, as JSON.

Options:
  --help        Show this help.
  --version     Show the version.

The portfolio format is described in the README ("Portfolio files").
)";

struct InputProblem {
    std::string message;
};

std::string readInput(const std::string& path)
{
    if (path == "-") {
        return {std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
    }
    if (std::error_code error; std::filesystem::is_directory(path, error)) {
        throw InputProblem{"cannot read " + path + ": it is a directory"};
    }
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        throw InputProblem{"cannot open " + path + ": " + std::strerror(errno)};
    }
    std::ostringstream content;
    content << file.rdbuf();
    if (file.bad()) {
        throw InputProblem{"cannot read " + path + ": " + std::strerror(errno)};
    }
    return std::move(content).str();
}

int evalCommand(const std::vector<std::string>& args)
{
    if (args.size() != 1) {
        std::cerr << "marginctl eval: expects exactly one FILE (or - for stdin); see marginctl --help\n";
        return kExitBadInput;
    }
    const std::string& path = args[0];
    const std::string name = path == "-" ? "stdin" : path;
    try {
        const mm::Portfolio portfolio = mm::readPortfolio(readInput(path));
        const mm::PortfolioRisk risk = mm::MarginModel::forVenue(portfolio.account.venue)->evaluate(portfolio);
        const std::string output = mm::portfolioRiskToJson(portfolio, risk);
        std::cout << output << std::flush;
        if (!std::cout) {
            std::cerr << "marginctl eval: cannot write the report to standard output: " << std::strerror(errno) << "\n";
            return kExitInternal;
        }
        return 0;
    } catch (const InputProblem& problem) {
        std::cerr << "marginctl eval: " << problem.message << "\n";
    } catch (const mm::PortfolioFileError& error) {
        std::cerr << "marginctl eval: " << name << ": " << error.what() << "\n";
    } catch (const mm::DecimalError& error) {
        std::cerr << "marginctl eval: " << name << ": " << error.what() << "\n";
    } catch (const std::invalid_argument& error) {
        std::cerr << "marginctl eval: " << name << ": " << error.what() << "\n";
    } catch (const std::exception& error) {
        std::cerr << "marginctl eval: internal error: " << error.what() << "\n";
        return kExitInternal;
    }
    return kExitBadInput;
}

} // namespace

int main(int argc, char** argv)
{
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::cerr << kUsage;
        return kExitBadInput;
    }
    const std::string& command = args[0];
    if (command == "--help" || command == "-h" || command == "help") {
        std::cout << kUsage;
        return 0;
    }
    if (command == "--version") {
        std::cout << "marginctl " << MM_VERSION << "\n";
        return 0;
    }
    if (command == "eval") {
        return evalCommand({args.begin() + 1, args.end()});
    }
    std::cerr << "marginctl: unknown command '" << command << "'; see marginctl --help\n";
    return kExitBadInput;
}
