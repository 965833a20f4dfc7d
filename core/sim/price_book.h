#pragma once

#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace mm::sim {

/// The simulated market: one mark price per symbol (as the venue spells it), moved by a scenario.
class PriceBook {
public:
    explicit PriceBook(std::uint64_t seed) : m_random(seed) {}

    /// The current mark of a symbol (its first use starts it near a plausible level): its own walk
    /// times the market factor — except a pinned symbol, which is exactly its set mark.
    double mark(const std::string& symbol);
    /// Moves every symbol that is not pinned one step: a normal step of `volatility` (a fraction,
    /// e.g. 0.0005), and with probability `jumpProbability` a jump of ±`jumpSize`.
    void step(double volatility, double jumpProbability = 0.0, double jumpSize = 0.0);
    /// Where a symbol's walk starts (before its first use).
    void setStart(const std::string& symbol, double price) { m_marks[symbol] = price; }
    /// Pins a symbol to a mark (a replayed recording): no walk, no market factor.
    void pin(const std::string& symbol, double price);
    /// The whole market's level relative to the walks (a scripted scenario sets it over time).
    void setMarketFactor(double factor) { m_marketFactor = factor; }
    [[nodiscard]] std::vector<std::string> symbols() const;

private:
    std::map<std::string, double> m_marks;
    std::set<std::string> m_pinned;
    double m_marketFactor = 1.0;
    std::mt19937_64 m_random;
};

} // namespace mm::sim
