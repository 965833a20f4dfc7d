#pragma once

#include "deleverage/deleverage_plan.h"
#include "domain/account.h"
#include "engine/monitor.h"

#include <chrono>
#include <cstddef>
#include <optional>

namespace mm {

/// How fresh the figures behind one position are at this moment.
struct DataFreshness {
    FeedState markFeed = FeedState::Waiting;
    std::chrono::milliseconds markAge{0}; ///< since its last mark price arrived
    /// Since the venue last reported the account's positions; nullopt when it never did (a file
    /// or hand-entered portfolio: no order is ever sent on positions the venue has not confirmed).
    std::optional<std::chrono::milliseconds> accountReadAge;
};

/// What the executor reads about an account — when an alert triggers it, and again right before
/// each order is sent (the position may have shrunk, flipped or gone stale meanwhile). The engine's
/// MonitorMarketView implements it over the Monitor; tests script it.
class DeleverageMarketView {
public:
    virtual ~DeleverageMarketView() = default;
    /// The account's positions at their latest marks; nullptr for an unknown account.
    [[nodiscard]] virtual const Portfolio* portfolio(std::size_t account) const = 0;
    [[nodiscard]] virtual DataFreshness freshness(std::size_t account, const Position& position) const = 0;
    /// The venue's order-size rules for the position's symbol; nullopt when unknown (then nothing is sent).
    [[nodiscard]] virtual std::optional<LotRules> lotRules(std::size_t account, const Position& position) const = 0;
};

} // namespace mm
