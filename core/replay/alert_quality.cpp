#include "replay/alert_quality.h"

#include <algorithm>
#include <cstdio>
#include <iterator>

namespace mm {
namespace {

/// The subject's distance as last evaluated at or before `unixMs`.
std::optional<double> distanceAt(const ReplaySubject& subject, std::int64_t unixMs)
{
    const auto after = std::upper_bound(subject.distances.begin(), subject.distances.end(), unixMs,
                                        [](std::int64_t at, const DistancePoint& point) { return at < point.unixMs; });
    if (after == subject.distances.begin()) {
        return std::nullopt;
    }
    return std::prev(after)->distancePct;
}

bool justified(const ReplaySubject& subject, std::int64_t unixMs, const AlertJustification& rule)
{
    if (const auto now = distanceAt(subject, unixMs); now && *now <= rule.nearPct) {
        return true;
    }
    const std::int64_t until = unixMs + std::chrono::duration_cast<std::chrono::milliseconds>(rule.horizon).count();
    if (subject.liquidatedAtMs && *subject.liquidatedAtMs >= unixMs && *subject.liquidatedAtMs <= until) {
        return true;
    }
    const auto from = std::upper_bound(subject.distances.begin(), subject.distances.end(), unixMs,
                                       [](std::int64_t at, const DistancePoint& point) { return at < point.unixMs; });
    return std::any_of(from, subject.distances.end(), [&](const DistancePoint& point) {
        return point.unixMs <= until && point.distancePct <= rule.laterPct;
    });
}

std::optional<double> median(std::vector<double> values)
{
    if (values.empty()) {
        return std::nullopt;
    }
    std::sort(values.begin(), values.end());
    const std::size_t middle = values.size() / 2;
    return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

std::optional<double> share(std::size_t part, std::size_t whole)
{
    return whole == 0 ? std::nullopt : std::optional(static_cast<double>(part) / static_cast<double>(whole));
}

} // namespace

std::optional<double> AlertQuality::emergencyPrecision() const
{
    return share(justifiedEmergencies, emergencies);
}
std::optional<double> AlertQuality::criticalPrecision() const
{
    return share(justifiedCriticals, criticals);
}
std::optional<double> AlertQuality::medianLeadSeconds() const
{
    return median(criticalLeadsSeconds);
}

std::optional<double> AlertQuality::minimumLeadSeconds() const
{
    if (criticalLeadsSeconds.empty()) {
        return std::nullopt;
    }
    return *std::min_element(criticalLeadsSeconds.begin(), criticalLeadsSeconds.end());
}

AlertQuality measureAlertQuality(const ReplayResult& result, const AlertQualityRules& rules)
{
    AlertQuality quality;
    std::vector<SubjectSummary> summaries;
    summaries.reserve(result.subjects.size());
    std::size_t soundingTotal = 0;
    for (const ReplaySubject& subject : result.subjects) {
        summaries.push_back(summarise(result, subject));
        soundingTotal += summaries.back().sounding;
        quality.maxSounding = std::max(quality.maxSounding, summaries.back().sounding);
        quality.positions += subject.position ? 1 : 0;
        for (const std::size_t index : subject.alerts) {
            const ReplayedAlert& alert = result.alerts[index];
            if (!alert.event.sounds() || !countsFor(subject, alert.unixMs)) {
                continue;
            }
            const bool emergency = alert.event.level == AlertLevel::Emergency;
            if (!emergency && alert.event.level != AlertLevel::Critical) {
                continue;
            }
            const bool worthIt = justified(subject, alert.unixMs, emergency ? rules.emergency : rules.critical);
            (emergency ? quality.emergencies : quality.criticals) += 1;
            (emergency ? quality.justifiedEmergencies : quality.justifiedCriticals) += worthIt ? 1 : 0;
            if (!worthIt) {
                quality.unjustified.push_back(index);
            }
        }
    }
    quality.subjects = result.subjects.size();
    quality.meanSounding =
        quality.subjects == 0 ? 0.0 : static_cast<double>(soundingTotal) / static_cast<double>(quality.subjects);

    // The cross margin of each account, for the cross positions it warns about.
    std::vector<const SubjectSummary*> crossMarginOf;
    for (std::size_t i = 0; i < result.subjects.size(); ++i) {
        const ReplaySubject& subject = result.subjects[i];
        if (!subject.position) {
            crossMarginOf.resize(std::max(crossMarginOf.size(), subject.account + 1), nullptr);
            crossMarginOf[subject.account] = &summaries[i];
        }
    }
    for (std::size_t i = 0; i < result.subjects.size(); ++i) {
        const ReplaySubject& subject = result.subjects[i];
        if (!subject.position || !subject.liquidatedAtMs) {
            continue;
        }
        ++quality.liquidations;
        const std::int64_t lead =
            std::chrono::duration_cast<std::chrono::milliseconds>(rules.timelyCriticalLead).count();
        if (*subject.liquidatedAtMs - result.startMs < lead) {
            ++quality.liquidationsTooSoonToWarn;
            continue;
        }
        std::optional<std::int64_t> firstCritical = summaries[i].firstCriticalMs;
        if (subject.cross && subject.account < crossMarginOf.size() && crossMarginOf[subject.account]) {
            if (const auto& margin = crossMarginOf[subject.account]->firstCriticalMs;
                margin && (!firstCritical || *margin < *firstCritical)) {
                firstCritical = margin;
            }
        }
        if (!firstCritical) {
            ++quality.liquidationsWithoutTimelyCritical;
            continue;
        }
        const std::int64_t warnedFor = *subject.liquidatedAtMs - *firstCritical;
        quality.criticalLeadsSeconds.push_back(static_cast<double>(warnedFor) / 1000.0);
        if (warnedFor < lead) {
            ++quality.liquidationsWithoutTimelyCritical;
        }
    }
    return quality;
}

std::vector<AlertQualityCheck> checkAlertQuality(const AlertQuality& quality, const AlertQualityTargets& targets,
                                                 const AlertQualityRules& rules)
{
    const auto percent = [](double share) {
        char text[32];
        std::snprintf(text, sizeof text, "%.0f %%", share * 100);
        return std::string(text);
    };
    const auto number = [](double value) {
        char text[32];
        std::snprintf(text, sizeof text, "%g", value);
        return std::string(text);
    };
    const auto leadMinutes = number(static_cast<double>(rules.timelyCriticalLead.count()) / 60.0);
    return {
        {"every liquidation with a critical at least " + leadMinutes + " min before",
         quality.liquidationsWithoutTimelyCritical == 0},
        {"at most " + number(targets.maxMeanSounding) + " sounding alerts per subject on average",
         quality.meanSounding <= targets.maxMeanSounding},
        {"at most " + std::to_string(targets.maxSounding) + " sounding alerts on any subject",
         quality.maxSounding <= targets.maxSounding},
        {"emergency precision at least " + percent(targets.minEmergencyPrecision),
         quality.emergencyPrecision().value_or(1.0) >= targets.minEmergencyPrecision},
        {"critical precision at least " + percent(targets.minCriticalPrecision),
         quality.criticalPrecision().value_or(1.0) >= targets.minCriticalPrecision},
    };
}

} // namespace mm
