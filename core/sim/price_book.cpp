#include "sim/price_book.h"

#include <cctype>
#include <cmath>
#include <functional>

namespace mm::sim {

double PriceBook::mark(const std::string& symbol)
{
    auto [it, added] = m_marks.try_emplace(symbol, 0.0);
    if (added) {
        // A plausible level for well-known names, else something between 1 and 200.
        std::string name = symbol;
        for (char& c : name) {
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
        it->second = name.rfind("BTC", 0) == 0 ? 64'000.0
                     : name.rfind("ETH", 0) == 0 ? 3'100.0
                     : name.rfind("SOL", 0) == 0 ? 145.0
                                                 : 1.0 + static_cast<double>(std::hash<std::string>{}(name) % 20'000) / 100.0;
    }
    return m_pinned.contains(symbol) ? it->second : it->second * m_marketFactor;
}

void PriceBook::step(double volatility, double jumpProbability, double jumpSize)
{
    std::normal_distribution<double> normal(0.0, volatility);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (auto& [symbol, mark] : m_marks) {
        if (m_pinned.contains(symbol)) {
            continue;
        }
        mark *= std::exp(normal(m_random));
        if (jumpProbability > 0 && unit(m_random) < jumpProbability) {
            mark *= unit(m_random) < 0.5 ? 1.0 - jumpSize : 1.0 + jumpSize;
        }
    }
}

void PriceBook::pin(const std::string& symbol, double price)
{
    m_marks[symbol] = price;
    m_pinned.insert(symbol);
}

std::vector<std::string> PriceBook::symbols() const
{
    std::vector<std::string> names;
    names.reserve(m_marks.size());
    for (const auto& [symbol, mark] : m_marks) {
        names.push_back(symbol);
    }
    return names;
}

} // namespace mm::sim
