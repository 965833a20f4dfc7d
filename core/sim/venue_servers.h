#pragma once

#include "domain/venue.h"

#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace mm::sim {

/// The simulated market: one mark price per symbol, moving by a seeded random walk.
class PriceBook {
public:
    explicit PriceBook(std::uint64_t seed) : m_random(seed) {}

    /// The current mark of a symbol (its first use starts it near a plausible level): its own walk
    /// times the market factor.
    double mark(const std::string& symbol);
    /// Moves every known symbol one step: a normal step of `volatility` (a fraction, e.g. 0.0005),
    /// and with probability `jumpProbability` a jump of ±`jumpSize`.
    void step(double volatility, double jumpProbability = 0.0, double jumpSize = 0.0);
    /// Where a symbol's walk starts (before its first use).
    void setStart(const std::string& symbol, double price) { m_marks[symbol] = price; }
    /// The whole market's level relative to the walks (a scripted scenario sets it over time).
    void setMarketFactor(double factor) { m_marketFactor = factor; }
    [[nodiscard]] std::vector<std::string> symbols() const;

private:
    std::map<std::string, double> m_marks;
    double m_marketFactor = 1.0;
    std::mt19937_64 m_random;
};

/// The server side of one venue's public mark-price protocol, for one client connection: what the
/// real venue answers to subscriptions and pings, and the frames it pushes. The exact wire formats
/// are those of shared/reference/exchanges.md, so that a real client works against the simulator.
class VenueServer {
public:
    virtual ~VenueServer() = default;

    /// The venue whose protocol a WebSocket path belongs to (`/market/stream`, `/v5/public/linear`,
    /// `/ws/v5/public`, `/ws`); nullptr for an unknown path.
    static std::unique_ptr<VenueServer> forPath(std::string_view target);

    [[nodiscard]] virtual Venue venue() const = 0;
    /// Frames the client sends (subscriptions, pings) → the replies, in order.
    virtual std::vector<std::string> onMessage(std::string_view text) = 0;
    /// One push for every subscribed symbol at the book's current marks.
    virtual std::vector<std::string> pushFrames(PriceBook& book, std::int64_t nowMs) = 0;
    [[nodiscard]] const std::set<std::string>& subscribed() const { return m_subscribed; }

protected:
    std::set<std::string> m_subscribed;
};

} // namespace mm::sim
