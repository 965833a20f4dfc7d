#pragma once

#include "sim/price_book.h"
#include "sim/price_replay.h"

#include <optional>
#include <string_view>

namespace mm::sim {

/// How prices move.
enum class Scenario {
    RandomWalk, ///< a seeded random walk with occasional jumps
    Crash,      ///< the walk, plus the whole market −12 % over 90 s from t = 15 s, then back to −6 % by t = 165 s
    Replay,     ///< a recording's marks for its symbols (held after its end), the walk for the others
};

std::string_view scenarioName(Scenario scenario);
std::optional<Scenario> scenarioFromName(std::string_view name);

/// The random walk every scenario runs underneath, in simulated time (so that an accelerated clock
/// moves prices as far as the same stretch of real time would).
struct WalkOptions {
    double volatilityPerSecond = 0.0016; ///< standard deviation of the log-price per √second
    double jumpsPerSecond = 0.005;       ///< per symbol
    double jumpSize = 0.02;              ///< a jump moves the mark ±2 %
};

/// The crash scenario's market level at `seconds` into it (1 = unchanged).
double crashMarketFactor(double seconds);

/// Moves a PriceBook through simulated time according to a scenario.
class MarketScenario {
public:
    /// Throws std::invalid_argument for the Replay scenario without a recording.
    MarketScenario(Scenario scenario, WalkOptions walk, std::optional<PriceReplay> replay);

    /// Moves the book to `seconds` of simulated time since the start (calls must not go back).
    void advanceTo(double seconds, PriceBook& book);

private:
    Scenario m_scenario;
    WalkOptions m_walk;
    std::optional<PriceReplay> m_replay;
    double m_seconds = 0;
};

} // namespace mm::sim
