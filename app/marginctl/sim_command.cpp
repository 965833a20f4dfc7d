// marginctl sim — the exchange simulator on its own.
#include "commands.h"

#include "sim/exchange_simulator.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <csignal>
#include <memory>
#include <optional>
#include <set>
#include <iostream>

namespace marginctl {

namespace {

bool parseNumber(const std::string& text, double& value)
{
    try {
        std::size_t used = 0;
        value = std::stod(text, &used);
        return used == text.size();
    } catch (const std::exception&) {
        return false;
    }
}

/// "binance-usdm,okx-swap" → the venues; an error in words for anything else.
std::optional<std::string> parseVenues(const std::string& list, std::set<mm::Venue>& venues)
{
    std::size_t start = 0;
    while (start <= list.size()) {
        const auto comma = list.find(',', start);
        const std::string name = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        const auto venue = mm::venueFromName(name);
        if (!venue || *venue == mm::Venue::Generic) {
            return "unknown venue \"" + name + "\" (expected a comma-separated list of binance-usdm, bybit-linear, okx-swap, hyperliquid)";
        }
        venues.insert(*venue);
        if (comma == std::string::npos) {
            break;
        }
        start = comma + 1;
    }
    return std::nullopt;
}

/// "429:10" → every 10th REST request answered 429.
bool parseRestFault(const std::string& value, mm::sim::Faults& faults)
{
    const auto colon = value.find(':');
    double status = 0;
    double every = 0;
    if (colon == std::string::npos || !parseNumber(value.substr(0, colon), status) || !parseNumber(value.substr(colon + 1), every)) {
        return false;
    }
    if ((status != 429 && status != 418 && status != 503) || every < 1 || every > 1e9 || every != std::floor(every)) {
        return false;
    }
    faults.restErrorStatus = static_cast<int>(status);
    faults.restErrorEvery = static_cast<int>(every);
    return true;
}

} // namespace

int simCommand(const std::vector<std::string>& args)
{
    mm::sim::SimulatorOptions options;
    std::string replayFile;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& option = args[i];
        if (i + 1 >= args.size()) {
            std::cerr << "marginctl sim: " << option << " needs a value; see marginctl --help\n";
            return kExitBadInput;
        }
        const std::string& value = args[++i];
        double number = 0;
        if (option == "--port" && parseNumber(value, number) && number >= 0 && number <= 65535) {
            options.port = static_cast<std::uint16_t>(number);
        } else if (option == "--tls-cert") {
            options.certificateFile = value;
        } else if (option == "--tls-key") {
            options.privateKeyFile = value;
        } else if (option == "--scenario" && mm::sim::scenarioFromName(value)) {
            options.scenario = *mm::sim::scenarioFromName(value);
        } else if (option == "--replay") {
            replayFile = value;
            options.scenario = mm::sim::Scenario::Replay;
        } else if (option == "--venues") {
            if (const auto problem = parseVenues(value, options.venues)) {
                std::cerr << "marginctl sim: --venues " << value << ": " << *problem << "\n";
                return kExitBadInput;
            }
        } else if (option == "--rest-fault" && parseRestFault(value, options.faults)) {
        } else if (option == "--time-scale" && parseNumber(value, number) && number > 0 && number <= 100'000) {
            options.timeScale = number;
        } else if (option == "--push-ms" && parseNumber(value, number) && number >= 1 && number <= 60'000) {
            options.pushInterval = std::chrono::milliseconds(static_cast<long>(number));
        } else if ((option == "--drop-every" || option == "--stall-every" || option == "--stall-for") &&
                   parseNumber(value, number) && number > 0 && number <= 86'400) {
            const auto period = std::chrono::milliseconds(static_cast<long>(number * 1000));
            (option == "--drop-every" ? options.faults.dropEvery
                                      : (option == "--stall-every" ? options.faults.stallEvery : options.faults.stallFor)) = period;
        } else if (option == "--malformed-every" && parseNumber(value, number) && number >= 1 && number <= 1e9) {
            options.faults.malformedEvery = static_cast<int>(number);
        } else if (option == "--delay-ms" && parseNumber(value, number) && number >= 0 && number <= 60'000) {
            options.faults.frameDelay = std::chrono::milliseconds(static_cast<long>(number));
        } else if (option == "--seed" && parseNumber(value, number) && number >= 0) {
            options.seed = static_cast<std::uint64_t>(number);
        } else {
            std::cerr << "marginctl sim: " << option << " " << value << ": unknown option or invalid value; see marginctl --help\n";
            return kExitBadInput;
        }
    }
    if ((options.faults.stallEvery.count() > 0) != (options.faults.stallFor.count() > 0)) {
        std::cerr << "marginctl sim: --stall-every and --stall-for go together\n";
        return kExitBadInput;
    }
    if (options.certificateFile.empty() != options.privateKeyFile.empty()) {
        std::cerr << "marginctl sim: --tls-cert and --tls-key go together\n";
        return kExitBadInput;
    }
    if (options.scenario == mm::sim::Scenario::Replay && replayFile.empty()) {
        std::cerr << "marginctl sim: --scenario replay needs --replay FILE (CSV rows time,symbol,mark)\n";
        return kExitBadInput;
    }
    if (!replayFile.empty()) {
        try {
            options.replay = mm::sim::PriceReplay::readFile(replayFile);
        } catch (const std::runtime_error& error) {
            std::cerr << "marginctl sim: " << error.what() << "\n";
            return kExitBadInput;
        }
    }

    // Signals are waited for on an io_context of our own; block them before any thread starts.
    boost::asio::io_context io;
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    std::unique_ptr<mm::sim::ExchangeSimulator> running;
    try {
        running = std::make_unique<mm::sim::ExchangeSimulator>(options);
        running->start();
    } catch (const std::exception& error) {
        std::cerr << "marginctl sim: " << error.what() << "\n";
        return kExitBadInput;
    }
    mm::sim::ExchangeSimulator& simulator = *running;
    const std::string base = simulator.baseUrl();
    const std::string rest = std::string(simulator.tls() ? "https" : "http") + "://127.0.0.1:" + std::to_string(simulator.port());
    nlohmann::ordered_json venues = nlohmann::ordered_json::object();
    const auto served = [&](mm::Venue venue) { return options.venues.empty() || options.venues.contains(venue); };
    if (served(mm::Venue::BinanceUsdm)) {
        venues["binance-usdm"] = {{"websocket", base + "/market/stream?streams=btcusdt@markPrice@1s"},
                                  {"rest", rest},
                                  {"time", rest + "/fapi/v1/time"},
                                  {"instruments", rest + "/fapi/v1/exchangeInfo"}};
    }
    if (served(mm::Venue::BybitLinear)) {
        venues["bybit-linear"] = {{"websocket", base + "/v5/public/linear"},
                                  {"rest", rest},
                                  {"time", rest + "/v5/market/time"},
                                  {"instruments", rest + "/v5/market/instruments-info?category=linear"}};
    }
    if (served(mm::Venue::OkxSwap)) {
        venues["okx-swap"] = {{"websocket", base + "/ws/v5/public"},
                              {"rest", rest},
                              {"time", rest + "/api/v5/public/time"},
                              {"instruments", rest + "/api/v5/public/instruments?instType=SWAP"}};
    }
    if (served(mm::Venue::Hyperliquid)) {
        venues["hyperliquid"] = {{"websocket", base + "/ws"}, {"rest", rest}, {"info", rest + "/info"}};
    }
    nlohmann::ordered_json scenario{{"name", mm::sim::scenarioName(options.scenario)}, {"timeScale", options.timeScale}};
    if (options.replay) {
        scenario["replay"] = replayFile;
        scenario["rows"] = options.replay->marks().size();
        scenario["durationSeconds"] = options.replay->duration();
    }
    const nlohmann::ordered_json endpoints{
        {"simulator", "margin-monitor"},
        {"port", simulator.port()},
        {"tls", simulator.tls()},
        {"scenario", scenario},
        {"faults",
         {{"dropEverySeconds", options.faults.dropEvery.count() / 1000.0},
          {"stallEverySeconds", options.faults.stallEvery.count() / 1000.0},
          {"stallForSeconds", options.faults.stallFor.count() / 1000.0},
          {"malformedEvery", options.faults.malformedEvery},
          {"delayMs", options.faults.frameDelay.count()},
          {"restErrorStatus", options.faults.restErrorStatus},
          {"restErrorEvery", options.faults.restErrorEvery}}},
        {"venues", venues},
    };
    std::cout << endpoints.dump() << std::endl;
    signals.async_wait([&](const boost::system::error_code&, int) { io.stop(); });
    io.run();
    simulator.stop();
    return 0;
}

} // namespace marginctl
