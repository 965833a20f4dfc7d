#pragma once

#include "domain/venue.h"
#include "sim/price_book.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace mm::sim {

/// The server side of one venue's public mark-price protocol, for one client connection: what the
/// real venue answers to subscriptions and pings, and the frames it pushes. The exact wire formats
/// are those of shared/reference/exchanges.md, so that a real client works against the simulator.
class VenueServer {
public:
    virtual ~VenueServer() = default;

    /// The venue whose protocol a WebSocket path belongs to (`/market/stream`, `/v5/public/linear`,
    /// `/ws/v5/public`, `/ws`); nullptr for an unknown path. `unlisted`: symbols this venue does not
    /// list (SimulatorOptions::unlistedSymbols).
    static std::unique_ptr<VenueServer> forPath(std::string_view target, const std::set<std::string>& unlisted = {});

    [[nodiscard]] virtual Venue venue() const = 0;
    /// Frames the client sends (subscriptions, pings) → the replies, in order.
    virtual std::vector<std::string> onMessage(std::string_view text) = 0;
    /// One push for every subscribed symbol at the book's current marks.
    virtual std::vector<std::string> pushFrames(PriceBook& book, std::int64_t nowMs) = 0;
    /// How often the server pings the client with WebSocket ping frames (0: never). Binance's user
    /// data stream pings every 3 minutes and is otherwise silent between account events.
    [[nodiscard]] virtual std::chrono::milliseconds serverPingInterval() const { return std::chrono::milliseconds(0); }
    [[nodiscard]] const std::set<std::string>& subscribed() const { return m_subscribed; }

protected:
    [[nodiscard]] bool listed(const std::string& symbol) const { return !m_unlisted.contains(symbol); }

    std::set<std::string> m_subscribed;
    std::set<std::string> m_unlisted;
};

} // namespace mm::sim
