#include "replay/replay_result.h"

namespace mm {

bool countsFor(const ReplaySubject& subject, std::int64_t unixMs)
{
    return !subject.liquidatedAtMs || unixMs <= *subject.liquidatedAtMs;
}

SubjectSummary summarise(const ReplayResult& result, const ReplaySubject& subject)
{
    SubjectSummary summary;
    summary.liquidatedAtMs = subject.liquidatedAtMs;
    const auto firstAt = [](std::optional<std::int64_t>& first, std::int64_t unixMs) {
        if (!first) {
            first = unixMs;
        }
    };
    for (const std::size_t index : subject.alerts) {
        const ReplayedAlert& alert = result.alerts[index];
        if (!alert.event.sounds() || !countsFor(subject, alert.unixMs)) {
            continue;
        }
        ++summary.sounding;
        firstAt(summary.firstWarningMs, alert.unixMs); // every level is warning or louder
        if (alert.event.level >= AlertLevel::Critical) {
            firstAt(summary.firstCriticalMs, alert.unixMs);
        }
        if (alert.event.level >= AlertLevel::Emergency) {
            firstAt(summary.firstEmergencyMs, alert.unixMs);
        }
    }
    return summary;
}

} // namespace mm
