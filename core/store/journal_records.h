#pragma once

#include "alerts/alert_event.h"
#include "domain/position.h"
#include "domain/venue.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mm {

/// The steps of the deleverage audit trail, in the order they usually happen. `ActionRecord::step`
/// is free text so that later steps need no schema change; these are the names in use.
namespace action_steps {
inline constexpr std::string_view kPlan = "plan";           ///< what would be sent, and why
inline constexpr std::string_view kDryRun = "dry-run";      ///< the plan shown, nothing sent
inline constexpr std::string_view kCountdown = "countdown"; ///< the trader's chance to cancel began
inline constexpr std::string_view kCancelled = "cancelled"; ///< the trader (or a guard) stopped it
inline constexpr std::string_view kRefused = "refused";     ///< a safety rule refused it (stale data, cap …)
inline constexpr std::string_view kIntent = "intent";       ///< written, durably, before the order is sent
inline constexpr std::string_view kSent = "sent";           ///< the request left
inline constexpr std::string_view kResult = "result";       ///< the venue's answer
inline constexpr std::string_view kLookup = "lookup";       ///< after a timeout / unknown answer: looked up by client order id
inline constexpr std::string_view kVerified = "verified";   ///< the margin re-read after execution
} // namespace action_steps

/// One step of a deleverage (or manual reduce) action, as the audit trail keeps it.
struct ActionRecord {
    std::int64_t wallTimeMs = 0; ///< Unix time in ms
    std::string accountLabel;
    Venue venue = Venue::Generic;
    std::string symbol;
    std::optional<std::uint64_t> episode; ///< the alert episode (of this run) that caused it, if any
    std::string clientOrderId;            ///< the idempotency key that ties the steps of one order together
    std::string step;                     ///< see `action_steps`
    std::optional<Side> side;             ///< the order's side (Short = sell), never the position's
    std::string quantity;                 ///< base units as exact decimal text ("0.015"); empty if none
    std::string status;                   ///< e.g. `orderStatusName()`, "ok", "refused"
    std::string detail;                   ///< free text or JSON: the venue's message, the plan's numbers

    bool operator==(const ActionRecord&) const = default;
};

/// An action as stored: the record plus its row id and the run that wrote it.
struct ActionRow {
    std::int64_t id = 0;
    std::int64_t runId = 0;
    ActionRecord action;

    bool operator==(const ActionRow&) const = default;
};

/// An alert as stored: what a trader needs to understand it later, without the monotonic times
/// (meaningless after the process is gone).
struct AlertRow {
    std::int64_t id = 0;
    std::int64_t runId = 0;       ///< the journal's run (one per process start): episodes restart each run
    std::uint64_t episode = 0;
    std::int64_t wallTimeMs = 0;
    AlertChange change = AlertChange::Raised;
    AlertLevel level = AlertLevel::Warning;
    AlertRuleKind rule = AlertRuleKind::Distance;
    std::string accountLabel;
    Venue venue = Venue::Generic;
    std::string symbol;           ///< empty for an account's cross margin
    std::optional<Side> side;
    double value = 0;             ///< NaN when the event carried no finite number
    double threshold = 0;         ///< NaN likewise
    std::optional<double> markPrice;
    std::optional<double> liquidationPrice;
    std::optional<double> distancePct;
    std::string message;
};

/// One point of a position's mark/risk history, for the charts.
struct HistoryPoint {
    std::int64_t wallTimeMs = 0;
    double mark = 0;
    std::optional<double> liquidationPrice;
    std::optional<double> distancePct;

    bool operator==(const HistoryPoint&) const = default;
};

/// A (venue, symbol) the history holds points for.
struct HistorySubject {
    Venue venue = Venue::Generic;
    std::string symbol;

    bool operator==(const HistorySubject&) const = default;
};

} // namespace mm
