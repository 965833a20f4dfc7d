#include "sim/scenario.h"

#include <cmath>
#include <stdexcept>

namespace mm::sim {

std::string_view scenarioName(Scenario scenario)
{
    switch (scenario) {
    case Scenario::RandomWalk:
        return "random";
    case Scenario::Crash:
        return "crash";
    case Scenario::Replay:
        return "replay";
    }
    return "random";
}

std::optional<Scenario> scenarioFromName(std::string_view name)
{
    for (const Scenario scenario : {Scenario::RandomWalk, Scenario::Crash, Scenario::Replay}) {
        if (name == scenarioName(scenario)) {
            return scenario;
        }
    }
    return std::nullopt;
}

double crashMarketFactor(double seconds)
{
    constexpr double kCalmUntil = 15;
    constexpr double kBottomAt = 105; // −12 % over 90 s
    constexpr double kRecoveredAt = 165;
    if (seconds <= kCalmUntil) {
        return 1.0;
    }
    if (seconds <= kBottomAt) {
        return 1.0 - 0.12 * (seconds - kCalmUntil) / (kBottomAt - kCalmUntil);
    }
    if (seconds <= kRecoveredAt) {
        return 0.88 + 0.06 * (seconds - kBottomAt) / (kRecoveredAt - kBottomAt);
    }
    return 0.94;
}

MarketScenario::MarketScenario(Scenario scenario, WalkOptions walk, std::optional<PriceReplay> replay)
    : m_scenario(scenario), m_walk(walk), m_replay(std::move(replay))
{
    if (m_scenario == Scenario::Replay && !m_replay) {
        throw std::invalid_argument("the replay scenario needs a recording of marks (time,symbol,mark)");
    }
}

void MarketScenario::advanceTo(double seconds, PriceBook& book)
{
    const double step = std::max(0.0, seconds - m_seconds);
    m_seconds = std::max(m_seconds, seconds);
    if (step > 0) {
        book.step(m_walk.volatilityPerSecond * std::sqrt(step), 1.0 - std::exp(-m_walk.jumpsPerSecond * step), m_walk.jumpSize);
    }
    switch (m_scenario) {
    case Scenario::RandomWalk:
        break;
    case Scenario::Crash:
        book.setMarketFactor(crashMarketFactor(m_seconds));
        break;
    case Scenario::Replay:
        m_replay->takeUntil(m_seconds, [&](const ReplayMark& row) { book.pin(row.symbol, row.mark); });
        break;
    }
}

} // namespace mm::sim
