#pragma once

#include "replay/replay_result.h"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace mm {

/// When a sounding alert of one level was worth hearing: the subject was within `nearPct` of its
/// liquidation price as it sounded (distance in % of the mark), or within `horizon` after it was
/// liquidated or came within `laterPct`.
struct AlertJustification {
    double nearPct = 0;
    double laterPct = 0;
    std::chrono::minutes horizon{30};
};

/// How alerts are judged (issue 15's alert-quality measures).
struct AlertQualityRules {
    /// A liquidation is warned in time when a critical (or louder) sounded at least this long before.
    std::chrono::seconds timelyCriticalLead{120};
    AlertJustification emergency{3.0, 1.0};
    AlertJustification critical{7.0, 3.0};
};

/// What the alerts of one replay were worth. Counted on the subjects of the replay — each position
/// and each account's cross margin — with nothing after a subject's liquidation (see
/// SubjectSummary). Nobody acknowledges in a replay: escalations for want of acknowledgement count.
struct AlertQuality {
    std::size_t positions = 0;
    std::size_t subjects = 0; ///< positions and cross margins
    /// Positions liquidated (at the first recorded mark at or beyond their liquidation price).
    std::size_t liquidations = 0;
    /// Of those, the ones liquidated sooner than timelyCriticalLead after the recording's first mark
    /// (where the ladder is opened): no alert could have come that long before. They are left out of
    /// the two measures below.
    std::size_t liquidationsTooSoonToWarn = 0;
    /// Of the others, the ones without a critical (or louder) sounding at least timelyCriticalLead before
    /// — on the position itself or, for a cross position, on its account's cross margin (the margin
    /// that position lives on).
    std::size_t liquidationsWithoutTimelyCritical = 0;
    /// How long before each liquidation the first critical (or louder) sounded; liquidations without
    /// one (counted above) and those too soon to warn are left out.
    std::vector<double> criticalLeadsSeconds;
    /// Sounding alerts (Raised + Escalated) per subject.
    double meanSounding = 0;
    std::size_t maxSounding = 0;
    /// Alerts that sounded at exactly this level (Raised or Escalated to it), and how many of them
    /// were justified (AlertQualityRules).
    std::size_t emergencies = 0;
    std::size_t justifiedEmergencies = 0;
    std::size_t criticals = 0;
    std::size_t justifiedCriticals = 0;
    /// The emergencies and criticals that were not justified, as indexes into ReplayResult::alerts
    /// (to see which rule cried wolf, and where).
    std::vector<std::size_t> unjustified;

    /// Shares in 0 … 1; nullopt when none sounded.
    [[nodiscard]] std::optional<double> emergencyPrecision() const;
    [[nodiscard]] std::optional<double> criticalPrecision() const;
    [[nodiscard]] std::optional<double> medianLeadSeconds() const;
    [[nodiscard]] std::optional<double> minimumLeadSeconds() const;
};

/// Measures a replay run with ReplayOptions::keepDistanceTracks (the justifications need each
/// subject's distance over time).
[[nodiscard]] AlertQuality measureAlertQuality(const ReplayResult& result, const AlertQualityRules& rules = {});

/// Issue 15's targets for the alert engine.
struct AlertQualityTargets {
    double maxMeanSounding = 3;
    std::size_t maxSounding = 6;
    double minEmergencyPrecision = 0.95;
    double minCriticalPrecision = 0.90;
};

/// One target, in words, and whether a replay met it.
struct AlertQualityCheck {
    std::string target;
    bool met = false;
};
/// Every liquidation warned in time; the sounding counts; both precisions (met when none sounded).
[[nodiscard]] std::vector<AlertQualityCheck> checkAlertQuality(const AlertQuality& quality,
                                                               const AlertQualityTargets& targets = {},
                                                               const AlertQualityRules& rules = {});

} // namespace mm
