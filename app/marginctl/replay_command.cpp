// marginctl replay — the alert engine on recorded marks, on the recording's own time: the trader's
// post-mortem and rule-tuning tool.
#include "commands.h"

#include "alert_json.h"

#include "alerts/alert_engine.h"
#include "config/alert_settings.h"
#include "portfolio/portfolio_file.h"
#include "replay/alert_replay.h"
#include "replay/portfolio_list.h"
#include "replay/replay_error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <iostream>
#include <iterator>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace marginctl {

namespace {

using json = nlohmann::ordered_json;

struct ReplayCommandOptions {
    std::vector<std::string> portfolioFiles;
    std::string marksFile;
    std::string journalFile;
    std::string rulesFile;
    bool json = false;
};

/// Parses the options; returns what is wrong, or nothing when they are good.
std::optional<std::string> parseOptions(const std::vector<std::string>& args, ReplayCommandOptions& options)
{
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& option = args[i];
        if (option == "--json") {
            options.json = true;
            continue;
        }
        const bool takesFile =
            option == "--portfolio" || option == "--marks" || option == "--journal" || option == "--rules";
        if (!takesFile) {
            return "unknown option " + option;
        }
        if (i + 1 >= args.size()) {
            return option + " needs a FILE";
        }
        const std::string& value = args[++i];
        if (option == "--portfolio") {
            options.portfolioFiles.push_back(value);
            continue;
        }
        std::string& file = option == "--marks"     ? options.marksFile
                            : option == "--journal" ? options.journalFile
                                                    : options.rulesFile;
        if (!file.empty()) {
            return option + " given twice";
        }
        file = value;
    }
    if (options.portfolioFiles.empty()) {
        return "give at least one --portfolio FILE";
    }
    if (options.marksFile.empty() == options.journalFile.empty()) {
        return "give the marks to replay: either --marks CSV or --journal FILE";
    }
    return std::nullopt;
}

/// A file's text, or ReplayInputError saying why it cannot be read ("cannot open …: No such file …").
std::string readFile(const std::string& file)
{
    try {
        return readInput(file);
    } catch (const std::runtime_error& error) {
        throw mm::ReplayInputError(error.what());
    }
}

std::vector<mm::Portfolio> readPortfolios(const std::vector<std::string>& files)
{
    std::vector<mm::Portfolio> portfolios;
    for (const std::string& file : files) {
        const std::string text = readFile(file);
        std::vector<mm::Portfolio> accounts;
        try {
            accounts = mm::readPortfolioList(text);
        } catch (const std::exception& error) { // not a portfolio, a number out of range
            throw mm::ReplayInputError(file + ": " + error.what());
        }
        if (accounts.empty()) {
            throw mm::ReplayInputError(file + ": holds no account");
        }
        std::move(accounts.begin(), accounts.end(), std::back_inserter(portfolios));
    }
    return portfolios;
}

mm::AlertPolicy readRules(const std::string& file)
{
    if (file.empty()) {
        return mm::defaultAlertPolicy();
    }
    const std::string text = readFile(file);
    try {
        return mm::readAlertSettings(text).policy;
    } catch (const std::exception& error) { // ConfigError naming the field
        throw mm::ReplayInputError(file + ": " + error.what());
    }
}

mm::MarkRecording readMarks(const ReplayCommandOptions& options, const std::vector<mm::Portfolio>& portfolios)
{
    if (!options.marksFile.empty()) {
        return mm::MarkRecording::readCsvFile(options.marksFile);
    }
    std::set<std::pair<mm::Venue, std::string>> held;
    for (const mm::Portfolio& portfolio : portfolios) {
        for (const mm::Position& position : portfolio.positions) {
            held.emplace(portfolio.account.venue, position.symbol);
        }
    }
    return mm::MarkRecording::readJournal(options.journalFile, {held.begin(), held.end()});
}

/// The recording's time as Unix seconds: whole where it is whole.
json unixSecondsJson(std::int64_t unixMs)
{
    if (unixMs % 1000 == 0) {
        return unixMs / 1000;
    }
    return static_cast<double>(unixMs) / 1000.0;
}

json optionalTime(const std::optional<std::int64_t>& unixMs)
{
    return unixMs ? unixSecondsJson(*unixMs) : json();
}

/// "2021-05-19 09:31:00" (UTC), with milliseconds where there are any.
std::string utcText(std::int64_t unixMs)
{
    const std::time_t seconds = static_cast<std::time_t>(unixMs >= 0 ? unixMs / 1000 : (unixMs - 999) / 1000);
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    char text[48];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &parts);
    std::string result = text;
    if (const auto millis = ((unixMs % 1000) + 1000) % 1000; millis != 0) {
        std::snprintf(text, sizeof text, ".%03d", static_cast<int>(millis));
        result += text;
    }
    return result;
}

std::string optionalUtcText(const std::optional<std::int64_t>& unixMs)
{
    return unixMs ? utcText(*unixMs) : std::string("-");
}

std::string durationText(std::int64_t ms)
{
    const std::int64_t minutes = ms / 60'000;
    if (minutes < 1) {
        return std::to_string(ms / 1000) + " s";
    }
    if (minutes < 90) {
        return std::to_string(minutes) + " min";
    }
    return std::to_string(minutes / 60) + " h " + std::to_string(minutes % 60) + " min";
}

std::string sideName(const std::optional<mm::Side>& side)
{
    return side ? (*side == mm::Side::Long ? "long" : "short") : "";
}

std::string report(const mm::ReplayResult& result, bool jsonLines)
{
    std::string out;
    if (jsonLines) {
        for (const mm::ReplayedAlert& alert : result.alerts) {
            json line = alertJson(alert.event);
            line["time"] = unixSecondsJson(alert.unixMs);
            out += line.dump(-1, ' ', false, json::error_handler_t::replace);
            out += '\n';
        }
        for (const mm::ReplaySubject& subject : result.subjects) {
            const mm::SubjectSummary summary = mm::summarise(result, subject);
            const json line = {{"type", "summary"},
                               {"subject", subject.position ? "position" : "cross-margin"},
                               {"venue", mm::venueName(subject.venue)},
                               {"account", subject.accountLabel},
                               {"symbol", subject.position ? json(subject.symbol) : json()},
                               {"side", subject.side ? json(sideName(subject.side)) : json()},
                               {"liquidated", optionalTime(summary.liquidatedAtMs)},
                               {"firstWarning", optionalTime(summary.firstWarningMs)},
                               {"firstCritical", optionalTime(summary.firstCriticalMs)},
                               {"firstEmergency", optionalTime(summary.firstEmergencyMs)},
                               {"sounding", summary.sounding}};
            out += line.dump(-1, ' ', false, json::error_handler_t::replace);
            out += '\n';
        }
        return out;
    }

    out += "Replayed " + std::to_string(result.marksApplied) + " marks of " + std::to_string(result.symbols) +
           (result.symbols == 1 ? " symbol" : " symbols") + ", " + utcText(result.startMs) + " to " +
           utcText(result.endMs) + " UTC (" + durationText(result.endMs - result.startMs) + ").\n";
    for (const auto& [venue, interval] : result.expectedIntervals) {
        out += "  " + std::string(mm::venueName(venue)) + ": a mark expected every " + durationText(interval.count()) +
               " (the recording's cadence); stale after three.\n";
    }
    if (result.marksRefused > 0) {
        out += "  " + std::to_string(result.marksRefused) + " marks refused by the monitor (figures out of range).\n";
    }
    out += "\nAlerts (" + std::to_string(result.alerts.size()) + " changes; * sounded):\n";
    if (result.alerts.empty()) {
        out += "  none\n";
    }
    for (const mm::ReplayedAlert& alert : result.alerts) {
        const mm::AlertEvent& event = alert.event;
        out += "  " + utcText(alert.unixMs) + (event.sounds() ? " * " : "   ") +
               std::string(mm::alertLevelName(event.level)) + " " + std::string(mm::alertChangeName(event.change)) +
               ": " + std::string(mm::venueName(event.subject.venue)) + " " + event.subject.accountLabel +
               (event.subject.symbol.empty() ? std::string(" (cross margin)")
                                             : " " + event.subject.symbol + " " + sideName(event.subject.side)) +
               " — " + event.message + "\n";
    }

    // The table: one row per position (and cross margin), columns as wide as their widest cell.
    std::vector<std::vector<std::string>> rows{{"exchange", "account", "symbol", "side", "liquidated", "first warning",
                                                "first critical", "first emergency", "sounding"}};
    for (const mm::ReplaySubject& subject : result.subjects) {
        const mm::SubjectSummary summary = mm::summarise(result, subject);
        rows.push_back({std::string(mm::venueName(subject.venue)), subject.accountLabel,
                        subject.position ? subject.symbol : "(cross margin)", sideName(subject.side),
                        optionalUtcText(summary.liquidatedAtMs), optionalUtcText(summary.firstWarningMs),
                        optionalUtcText(summary.firstCriticalMs), optionalUtcText(summary.firstEmergencyMs),
                        std::to_string(summary.sounding)});
    }
    std::vector<std::size_t> widths(rows.front().size(), 0);
    for (const auto& row : rows) {
        for (std::size_t c = 0; c < row.size(); ++c) {
            widths[c] = std::max(widths[c], row[c].size());
        }
    }
    out += "\nPositions (UTC; alerts after a position's liquidation are not counted):\n";
    for (const auto& row : rows) {
        std::string line = " ";
        for (std::size_t c = 0; c < row.size(); ++c) {
            line += ' ' + row[c] + std::string(widths[c] - row[c].size(), ' ');
        }
        while (!line.empty() && line.back() == ' ') {
            line.pop_back();
        }
        out += line + "\n";
    }
    return out;
}

} // namespace

int replayCommand(const std::vector<std::string>& args)
{
    ReplayCommandOptions options;
    if (const auto problem = parseOptions(args, options)) {
        std::cerr << "marginctl replay: " << *problem << "; see marginctl --help\n";
        return kExitBadInput;
    }
    // Everything is read, replayed and written out in memory first: bad input prints no partial report.
    std::string output;
    try {
        std::vector<mm::Portfolio> portfolios = readPortfolios(options.portfolioFiles);
        mm::AlertPolicy policy = readRules(options.rulesFile);
        const mm::MarkRecording recording = readMarks(options, portfolios);
        mm::AlertReplay replay(std::move(portfolios), recording);
        output = report(replay.run<mm::AlertEngine>(std::move(policy)), options.json);
    } catch (const mm::ReplayInputError& error) {
        std::cerr << "marginctl replay: " << error.what() << "\n";
        return kExitBadInput;
    } catch (const std::exception& error) {
        std::cerr << "marginctl replay: internal error: " << error.what() << "\n";
        return kExitInternal;
    }
    std::cout << output << std::flush;
    if (!std::cout) {
        std::cerr << "marginctl replay: cannot write the report to standard output: " << std::strerror(errno) << "\n";
        return kExitInternal;
    }
    return 0;
}

} // namespace marginctl
