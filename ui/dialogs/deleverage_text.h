#pragma once
// The deleverage dialog's words, prepared here so that tests (and the alert popup, the journal view)
// can call them without a widget. Deterministic: no locale, numbers through models/display_text.h.

#include "deleverage/deleverage_plan.h"
#include "deleverage/deleverage_status.h"
#include "domain/position.h"
#include "domain/venue.h"
#include "money/decimal.h"

#include <QString>

#include <chrono>
#include <optional>

namespace mm::ui {

/// The position a deleverage is about, as the dialog's header shows it.
struct DeleveragePositionInfo {
    QString accountLabel;
    Venue venue = Venue::Generic;
    QString symbol;
    Side side = Side::Long;
    Decimal quantity; ///< base units
    Decimal markPrice;
    std::optional<double> liquidationPrice; ///< nullopt: none at any positive price
    std::optional<double> distancePct;      ///< distance to liquidation, % of the mark
    Decimal tickSize;                       ///< for the prices' decimals; 0 when unknown

    /// The same figures from a plan (its position side, size, mark and "before" measure), for a
    /// countdown that arrives with a status and no preview.
    static DeleveragePositionInfo fromPlan(const QString& accountLabel, const DeleveragePlan& plan);
};

/// The rows of the before → after table.
struct DeleverageFigures {
    QString distanceBefore, distanceAfter;       ///< "7.04 %" / "none" / "closed"
    QString marginRatioBefore, marginRatioAfter; ///< "74.1 %"
    QString liquidationBefore, liquidationAfter; ///< "25,100.40" / "none" / "closed"
};

/// "Main · Binance · BTCUSDT long 0.02".
QString describePositionTitle(const DeleveragePositionInfo& position);
/// "Mark 27,000.00 · liquidation 25,100.40 · distance 7.04 %".
QString describePositionFigures(const DeleveragePositionInfo& position);

/// The order in the trader's words: "Sell 0.013 BTCUSDT reduce-only at market"; "No order" when the
/// plan has none.
QString describeOrder(const DeleveragePlan& plan);
/// The whole plan in one paragraph (order, target reached or not, the planner's explanation), for
/// logs, the clipboard and tests.
QString describePlan(const DeleveragePlan& plan);
/// Before → after, each figure formatted ("closed" after the whole position is closed).
DeleverageFigures describeFigures(const DeleveragePlan& plan, int priceDecimals);
/// "Target distance to liquidation ≥ 10.00 %: reached after the order" / "…: not reached — …".
QString describeTargetResult(const DeleveragePlan& plan);
/// Why nothing would be sent (target already met, below the venue's minimum, reduction would not
/// help, cannot plan), or why the order is not the whole answer (unreachable → close all, capped);
/// "" for a plain Reduce.
QString describePlanCaveat(const DeleveragePlan& plan);

/// "Sending in 7 s" (whole seconds, rounded up, never below 0).
QString describeCountdown(std::chrono::milliseconds remaining);
/// The state in a few words: "Sending the order…", "Filled 0.013 of 0.013 BTCUSDT", "Refused —
/// nothing was sent"… For a countdown: describeCountdown(status.countdownRemaining).
QString describeStatusHeadline(const DeleverageStatus& status);
/// The line under the headline: the executor's reason, and for Done whether the target was reached
/// after the account was read again.
QString describeStatusDetail(const DeleverageStatus& status);
/// "Client order id mm-run-e1-…" ("" when there is none yet).
QString describeClientOrderId(const DeleverageStatus& status);

} // namespace mm::ui
