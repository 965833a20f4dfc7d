#include "alerts/price_motion.h"

#include <algorithm>
#include <cmath>

namespace mm {

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
    m_samples.push_back(Sample{at, value});
    kept();
    while (m_samples.size() > 3 && at - m_samples.front().at > m_window) {
        leaving();
        m_samples.pop_front();
    }
}

std::optional<RecentSeries::Change> RecentSeries::change(MonotonicTime now, std::chrono::seconds span,
                                                          std::chrono::seconds minimumSpan) const
{
    if (!m_latest) {
        return std::nullopt;
    }
    // The oldest sample no older than `span`: samples are in time order, so a binary search (a
    // tick costs a few comparisons, not a walk over the window).
    const auto found = std::lower_bound(m_samples.begin(), m_samples.end(), now - span,
                                        [](const Sample& sample, MonotonicTime from) { return sample.at < from; });
    if (found == m_samples.end()) {
        return std::nullopt;
    }
    const Sample* from = &*found;
    const double seconds = std::chrono::duration<double>(m_latestAt - from->at).count();
    if (seconds < std::chrono::duration<double>(minimumSpan).count() || seconds <= 0) {
        return std::nullopt;
    }
    return Change{*m_latest - from->value, seconds};
}

std::optional<double> RecentSeries::slopePerSecond(MonotonicTime now, std::chrono::seconds span,
                                                   std::chrono::seconds minimumSpan) const
{
    const auto moved = change(now, span, minimumSpan);
    if (!moved) {
        return std::nullopt;
    }
    return moved->perSecond();
}

MarkMotion::MarkMotion(std::chrono::seconds window, std::chrono::milliseconds spacing) : RecentSeries(window, spacing) {}

std::optional<double> MarkMotion::unitReturn(std::size_t i) const
{
    const auto& kept = samples();
    const Sample& from = kept[i];
    const Sample& to = kept[i + 1];
    const double seconds = std::chrono::duration<double>(to.at - from.at).count();
    if (from.value <= 0 || to.value <= 0 || seconds <= 0) {
        return std::nullopt;
    }
    return std::log(to.value / from.value) / std::sqrt(seconds);
}

void MarkMotion::kept()
{
    // The new sample made one more return, and with the return before it one more difference.
    const std::size_t count = samples().size();
    if (count < 2) {
        return;
    }
    ++m_returns;
    if (count < 3) {
        return;
    }
    const auto newest = unitReturn(count - 2);
    const auto before = unitReturn(count - 3);
    if (newest && before) {
        const double difference = *newest - *before;
        m_sumSquaredDifferences += difference * difference;
        ++m_differences;
    }
}

void MarkMotion::leaving()
{
    // The oldest sample leaves with the oldest return, and so with the oldest difference.
    const std::size_t count = samples().size();
    if (count < 2) {
        return;
    }
    m_returns = m_returns > 0 ? m_returns - 1 : 0;
    if (count < 3) {
        return;
    }
    const auto oldest = unitReturn(0);
    const auto next = unitReturn(1);
    if (oldest && next && m_differences > 0) {
        const double difference = *next - *oldest;
        m_sumSquaredDifferences = std::max(0.0, m_sumSquaredDifferences - difference * difference);
        --m_differences;
    }
}

std::optional<double> MarkMotion::volatilityPerSqrtSecond(std::size_t minimumReturns, std::chrono::seconds minimumSpan) const
{
    const auto& kept = samples();
    if (m_returns < minimumReturns || m_differences == 0 || kept.size() < 2 ||
        kept.back().at - kept.front().at < minimumSpan) {
        return std::nullopt;
    }
    return std::sqrt(m_sumSquaredDifferences / (2.0 * static_cast<double>(m_differences)));
}

std::optional<RecentSeries::Change> MarkMotion::logDrift(MonotonicTime now, std::chrono::seconds span,
                                                         std::chrono::seconds minimumSpan) const
{
    const auto moved = change(now, span, minimumSpan);
    const auto last = latest();
    if (!moved || !last || *last <= 0 || *last - moved->by <= 0) {
        return std::nullopt;
    }
    return Change{std::log(*last / (*last - moved->by)), moved->seconds};
}

} // namespace mm
