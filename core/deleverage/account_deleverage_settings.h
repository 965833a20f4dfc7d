#pragma once

#include "alerts/alert_event.h"
#include "deleverage/deleverage_plan.h"

#include <chrono>
#include <optional>
#include <string>

namespace mm {

/// One account's automatic deleveraging, as the trader set it. The defaults are the safe ones
/// (DESIGN.md, safety rules): off, and dry-run when switched on.
struct AccountDeleverageSettings {
    bool enabled = false; ///< off by default, per account
    bool dryRun = true;   ///< plans are journaled, nothing is sent, until the trader turns this off
    DeleverageTarget target = DeleverageTarget::distancePct(10.0);
    AlertLevel triggerLevel = AlertLevel::Critical; ///< alert episodes at this level or louder trigger it
    /// The cancellable countdown before sending. Zero only in a headless run (marginctl watch), where
    /// nobody could press cancel anyway.
    std::chrono::seconds countdown{10};
    int maxOrdersPerPositionPerHour = 2; ///< caps, counted per position (symbol and leg) over a sliding hour / day
    int maxOrdersPerPositionPerDay = 6;
    std::optional<double> maxFractionPerOrder; ///< e.g. 0.25: no order takes more than a quarter of the position
    /// Plans aim this many percentage points beyond the target (of distance, or of margin ratio), so that slippage, fees and the market moving while the order is under way do
    /// not leave the position just short of it. The target itself is what verification judges.
    double planningHeadroom = 1.0;
    /// "Never on stale data": the position's mark must be this fresh when deciding and when sending…
    std::chrono::milliseconds maxMarkAge{3000};
    /// …and its quantity read from the venue this recently (positions the venue never reported are refused).
    std::chrono::milliseconds maxAccountReadAge{120000};

    /// What is wrong with these settings, in words; nullopt when usable. `headless`: no screen.
    [[nodiscard]] std::optional<std::string> problem(bool headless) const;
};

/// One account's deleveraging settings, by the account's label (the alerts configuration).
struct AccountAutomation {
    std::string accountLabel;
    AccountDeleverageSettings settings;
};

} // namespace mm
