#pragma once
// The pre-issue-15 alert engine, copied verbatim from git (`git show 2992b24:core/alerts/alert_engine.h`,
// `.cpp`, `price_motion.h`, `.cpp`) and renamed into mm::bench. Kept ONLY so that the alert-quality
// benchmark can compare today's engine with it; nothing else may use it, and it is not maintained.

#include "money/clock.h"

#include <chrono>
#include <deque>
#include <optional>

namespace mm::bench {

/// How one measure moved lately: samples at least `spacing` apart over a window, the latest value
/// always current. Cheap per call (a comparison; a push and pops once per spacing).
class RecentSeries {
public:
    RecentSeries(std::chrono::seconds window, std::chrono::milliseconds spacing);
    virtual ~RecentSeries() = default;
    RecentSeries(const RecentSeries&) = default;
    RecentSeries& operator=(const RecentSeries&) = default;

    void add(MonotonicTime at, double value);
    [[nodiscard]] std::optional<double> latest() const { return m_latest; }
    /// The change per second from the oldest sample within `span` to the latest value; nullopt with
    /// less than `minimumSpan` of history.
    [[nodiscard]] std::optional<double> slopePerSecond(MonotonicTime now, std::chrono::seconds span,
                                                       std::chrono::seconds minimumSpan) const;

protected:
    struct Sample {
        MonotonicTime at;
        double value = 0;
    };
    /// Called with each sample as it is kept and as it leaves the window.
    virtual void kept(const Sample& /*previous*/, const Sample& /*sample*/) {}
    virtual void dropped(const Sample& /*sample*/, const Sample& /*next*/) {}
    [[nodiscard]] const std::deque<Sample>& samples() const { return m_samples; }

private:
    std::chrono::nanoseconds m_window;
    std::chrono::nanoseconds m_spacing;
    std::deque<Sample> m_samples;
    std::optional<double> m_latest;
    MonotonicTime m_latestAt{};
};

/// A symbol's mark price lately: its realised volatility (from the squared log returns between
/// samples, zero-mean, per √second: the variance rate Σr² / Σdt) and its drift.
class MarkMotion final : public RecentSeries {
public:
    MarkMotion(std::chrono::seconds window, std::chrono::milliseconds spacing = std::chrono::seconds(1));

    /// σ of the log price per √second; nullopt with fewer than `minimumReturns` returns measured.
    [[nodiscard]] std::optional<double> volatilityPerSqrtSecond(std::size_t minimumReturns = 30) const;

private:
    void kept(const Sample& previous, const Sample& sample) override;
    void dropped(const Sample& sample, const Sample& next) override;

    double m_sumSquaredReturns = 0;
    double m_sumSeconds = 0;
    std::size_t m_returns = 0;
};

} // namespace mm::bench
