#pragma once

#include "domain/venue.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace mm {

/// The steps of a deleverage, in the order they can happen. Every one is journaled (DESIGN.md,
/// safety rules: "every step in the audit trail"; the intent before the order is sent, the result after).
enum class DeleverageStepKind {
    Plan,            ///< the plan: quantity, figures before and after, in words
    DryRun,          ///< dry-run: the plan was journaled and nothing is sent
    Countdown,       ///< the cancellable countdown started
    Cancelled,       ///< the trader (or the alert clearing) stopped the countdown: nothing sent
    Refused,         ///< a guard refused (no trade key, stale data, cap reached, …): nothing sent
    Intent,          ///< about to send: written before the gateway is called
    Sent,            ///< one attempt handed to the gateway (a resend carries the same client order id)
    Unknown,         ///< the answer was a timeout, 5xx, duplicate or unreadable: look up before anything else
    Lookup,          ///< a lookup by client order id, asked (status empty) or answered "not found"
    Result,          ///< the final answer: filled, partially filled, accepted, rejected, or given up
    VerifyRequested, ///< the account's margin is being read again
    Verified,        ///< after the read, the target holds
    TargetMissed,    ///< after the read, the target does not hold
};
/// "plan", "dry-run", "countdown", "cancelled", "refused", "intent", "sent", "unknown", "lookup",
/// "result", "verify-requested", "verified", "target-missed".
std::string_view deleverageStepName(DeleverageStepKind kind);

/// One line of the deleverage audit trail: plain values, ready for a journal row.
struct DeleverageStep {
    std::int64_t wallTimeMs = 0; ///< Unix time in ms
    std::string accountLabel;
    Venue venue = Venue::Generic;
    std::string symbol;
    std::uint64_t episode = 0;      ///< the alert episode; 0 for a manual action
    std::uint64_t manualAction = 0; ///< the manual action's number in this run; 0 for an alert episode
    std::string clientOrderId;
    DeleverageStepKind step = DeleverageStepKind::Plan;
    std::string side;     ///< the order's side: "sell" / "buy" (empty where no order is involved)
    std::string quantity; ///< exact decimal text, base units (filled quantity for a result)
    std::string status;   ///< the venue's answer (orderStatusName) where there is one
    std::string detail;   ///< in the trader's words
};

/// Where the steps go: the SQLite journal implements it (core/store); tests record in memory.
/// Called on the executor's thread, synchronously, before the executor goes on — so an intent is
/// on disk before the order leaves.
class DeleverageAudit {
public:
    virtual ~DeleverageAudit() = default;
    virtual void record(const DeleverageStep& step) = 0;
};

} // namespace mm
