// marginctl sim — the exchange simulator on its own.
#include "commands.h"

#include "sim/exchange_simulator.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <nlohmann/json.hpp>

#include <csignal>
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

} // namespace

int simCommand(const std::vector<std::string>& args)
{
    mm::sim::SimulatorOptions options;
    std::string scenarioName = "random";
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
        } else if (option == "--scenario" && (value == "random" || value == "crash")) {
            scenarioName = value;
            options.scenario = value == "crash" ? mm::sim::Scenario::Crash : mm::sim::Scenario::RandomWalk;
        } else if (option == "--time-scale" && parseNumber(value, number) && number > 0 && number <= 10'000) {
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

    // Signals are waited for on an io_context of our own; block them before any thread starts.
    boost::asio::io_context io;
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    mm::sim::ExchangeSimulator simulator(options);
    try {
        simulator.start();
    } catch (const std::runtime_error& error) {
        std::cerr << "marginctl sim: " << error.what() << "\n";
        return kExitBadInput;
    }
    const std::string base = simulator.baseUrl();
    const std::string rest = std::string(simulator.tls() ? "https" : "http") + "://127.0.0.1:" + std::to_string(simulator.port());
    const nlohmann::ordered_json endpoints{
        {"simulator", "margin-monitor"},
        {"port", simulator.port()},
        {"tls", simulator.tls()},
        {"scenario", scenarioName},
        {"faults",
         {{"dropEverySeconds", options.faults.dropEvery.count() / 1000.0},
          {"stallEverySeconds", options.faults.stallEvery.count() / 1000.0},
          {"stallForSeconds", options.faults.stallFor.count() / 1000.0},
          {"malformedEvery", options.faults.malformedEvery},
          {"delayMs", options.faults.frameDelay.count()}}},
        {"venues",
         {{"binance-usdm", {{"websocket", base + "/market/stream?streams=btcusdt@markPrice@1s"}, {"time", rest + "/fapi/v1/time"}}},
          {"bybit-linear", {{"websocket", base + "/v5/public/linear"}, {"time", rest + "/v5/market/time"}}},
          {"okx-swap", {{"websocket", base + "/ws/v5/public"}, {"time", rest + "/api/v5/public/time"}}},
          {"hyperliquid", {{"websocket", base + "/ws"}}}}},
    };
    std::cout << endpoints.dump() << std::endl;
    signals.async_wait([&](const boost::system::error_code&, int) { io.stop(); });
    io.run();
    simulator.stop();
    return 0;
}

} // namespace marginctl
