// The pre-issue-15 alert engine, copied verbatim from git (`git show 2992b24:core/alerts/alert_engine.h`,
// `.cpp`, `price_motion.h`, `.cpp`) and renamed into mm::bench. Kept ONLY so that the alert-quality
// benchmark can compare today's engine with it; nothing else may use it, and it is not maintained.
#include "baseline/baseline_price_motion.h"

#include <cmath>

namespace mm::bench {

RecentSeries::RecentSeries(std::chrono::seconds window, std::chrono::milliseconds spacing)
    : m_window(window), m_spacing(spacing)
{
}

void RecentSeries::add(MonotonicTime at, double value)
{
    m_latest = value;
    m_latestAt = at;
    if (!m_samples.empty() && at - m_samples.back().at < m_spacing) {
        return;
    }
    const Sample sample{at, value};
    if (!m_samples.empty()) {
        kept(m_samples.back(), sample);
    }
    m_samples.push_back(sample);
    while (m_samples.size() > 2 && at - m_samples.front().at > m_window) {
        dropped(m_samples[0], m_samples[1]);
        m_samples.pop_front();
    }
}

std::optional<double> RecentSeries::slopePerSecond(MonotonicTime now, std::chrono::seconds span,
                                                   std::chrono::seconds minimumSpan) const
{
    if (!m_latest) {
        return std::nullopt;
    }
    // The oldest sample no older than `span`: samples are in time order, and there are few enough
    // within a drift window (one per spacing) that a scan from the back is cheap.
    const Sample* from = nullptr;
    for (auto it = m_samples.rbegin(); it != m_samples.rend(); ++it) {
        if (now - it->at > span) {
            break;
        }
        from = &*it;
    }
    if (!from) {
        return std::nullopt;
    }
    const double seconds = std::chrono::duration<double>(m_latestAt - from->at).count();
    if (seconds < std::chrono::duration<double>(minimumSpan).count() || seconds <= 0) {
        return std::nullopt;
    }
    return (*m_latest - from->value) / seconds;
}

MarkMotion::MarkMotion(std::chrono::seconds window, std::chrono::milliseconds spacing) : RecentSeries(window, spacing) {}

void MarkMotion::kept(const Sample& previous, const Sample& sample)
{
    if (previous.value <= 0 || sample.value <= 0) {
        return;
    }
    const double logReturn = std::log(sample.value / previous.value);
    m_sumSquaredReturns += logReturn * logReturn;
    m_sumSeconds += std::chrono::duration<double>(sample.at - previous.at).count();
    ++m_returns;
}

void MarkMotion::dropped(const Sample& sample, const Sample& next)
{
    if (sample.value <= 0 || next.value <= 0 || m_returns == 0) {
        return;
    }
    const double logReturn = std::log(next.value / sample.value);
    m_sumSquaredReturns = std::max(0.0, m_sumSquaredReturns - logReturn * logReturn);
    m_sumSeconds = std::max(0.0, m_sumSeconds - std::chrono::duration<double>(next.at - sample.at).count());
    --m_returns;
}

std::optional<double> MarkMotion::volatilityPerSqrtSecond(std::size_t minimumReturns) const
{
    if (m_returns < minimumReturns || m_sumSeconds <= 0) {
        return std::nullopt;
    }
    return std::sqrt(m_sumSquaredReturns / m_sumSeconds);
}

} // namespace mm::bench
