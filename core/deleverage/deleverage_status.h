#pragma once

#include "deleverage/deleverage_plan.h"
#include "money/clock.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

namespace mm {

/// Which deleverage this is: the one for an alert episode, or a manual one the trader started.
struct DeleverageAction {
    enum class Origin { Alert, Manual };
    Origin origin = Origin::Alert;
    std::uint64_t number = 0; ///< the alert episode, or the manual action's number in this run

    static DeleverageAction forEpisode(std::uint64_t episode) { return {Origin::Alert, episode}; }
    static DeleverageAction manual(std::uint64_t number) { return {Origin::Manual, number}; }
    friend bool operator==(const DeleverageAction& a, const DeleverageAction& b) = default;
    friend bool operator<(const DeleverageAction& a, const DeleverageAction& b)
    {
        return std::tie(a.origin, a.number) < std::tie(b.origin, b.number);
    }
};

/// Where a deleverage stands (what the GUI shows beside the alert).
enum class DeleverageState {
    DryRun,        ///< planned and journaled; dry-run, so nothing is sent
    NothingToDo,   ///< the plan has no order (target met, below the minimum, reduction would not help)
    Countdown,     ///< waiting for the countdown; the trader can cancel
    Sending,       ///< an order (or a resend with the same id) is with the gateway
    WaitingLookup, ///< the answer was unknown: looking the order up by its id before anything else
    Done,          ///< filled, partially filled or accepted; `targetReached` after the re-read
    Failed,        ///< the venue rejected it, or its fate stayed unknown after the lookups (check the exchange)
    Refused,       ///< a guard refused it; nothing was sent
    Cancelled,     ///< cancelled during the countdown; nothing was sent
};
std::string_view deleverageStateName(DeleverageState state);
/// Whether nothing more will happen for this action (DryRun, NothingToDo, Done, Failed, Refused, Cancelled).
bool isFinal(DeleverageState state);

struct DeleverageStatus {
    DeleverageAction action;
    std::size_t account = 0;
    std::string accountLabel;
    Venue venue = Venue::Generic;
    std::string symbol;
    DeleverageState state = DeleverageState::Refused;
    std::string clientOrderId;
    Side orderSide = Side::Short;
    Decimal quantity;        ///< the order's quantity (what was, or will be, sent)
    Decimal filledQuantity;
    DeleveragePlan plan;     ///< the plan behind it (the latest one)
    MonotonicTime countdownEndsAt{};
    std::chrono::milliseconds countdownRemaining{0}; ///< when published; the GUI counts down from countdownEndsAt
    int sendAttempts = 0;    ///< place calls, all with the same client order id
    std::optional<bool> targetReached; ///< after the account was read again
    std::string reason;      ///< the latest thing that happened, in words
};

} // namespace mm
