// marginctl eval — the portfolio liquidation calculator.
#include "commands.h"

#include "margin/margin_model.h"
#include "portfolio/portfolio_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <stdexcept>

namespace marginctl {

std::string readInput(const std::string& path)
{
    if (path == "-") {
        return {std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
    }
    if (std::error_code error; std::filesystem::is_directory(path, error)) {
        throw std::runtime_error("cannot read " + path + ": it is a directory");
    }
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
    }
    std::ostringstream content;
    content << file.rdbuf();
    if (file.bad()) {
        throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
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
    std::string text;
    try {
        text = readInput(path);
    } catch (const std::runtime_error& error) {
        std::cerr << "marginctl eval: " << error.what() << "\n";
        return kExitBadInput;
    }
    try {
        const mm::Portfolio portfolio = mm::readPortfolio(text);
        const mm::PortfolioRisk risk = mm::MarginModel::forVenue(portfolio.account.venue)->evaluate(portfolio);
        const std::string output = mm::portfolioRiskToJson(portfolio, risk);
        std::cout << output << std::flush;
        if (!std::cout) {
            std::cerr << "marginctl eval: cannot write the report to standard output: " << std::strerror(errno) << "\n";
            return kExitInternal;
        }
        return 0;
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

} // namespace marginctl
