#pragma once

#include "money/clock.h"

#include <chrono>
#include <deque>
#include <optional>

namespace mm {

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
    /// The change from the oldest sample within `span` of `now` to the latest value, and the time it
    /// took; nullopt with less than `minimumSpan` of history.
    struct Change {
        double by = 0;
        double seconds = 0;
        [[nodiscard]] double perSecond() const { return by / seconds; }
    };
    [[nodiscard]] std::optional<Change> change(MonotonicTime now, std::chrono::seconds span,
                                               std::chrono::seconds minimumSpan) const;
    /// change()'s rate per second.
    [[nodiscard]] std::optional<double> slopePerSecond(MonotonicTime now, std::chrono::seconds span,
                                                       std::chrono::seconds minimumSpan) const;

protected:
    struct Sample {
        MonotonicTime at;
        double value = 0;
    };
    /// Called with each sample as it is kept (after it joined the window) and as it leaves the window
    /// (before it leaves).
    virtual void kept() {}
    virtual void leaving() {}
    [[nodiscard]] const std::deque<Sample>& samples() const { return m_samples; }

private:
    std::chrono::nanoseconds m_window;
    std::chrono::nanoseconds m_spacing;
    std::deque<Sample> m_samples;
    std::optional<double> m_latest;
    MonotonicTime m_latestAt{};
};

/// A symbol's mark price lately: its noise — the realised volatility with the drift kept apart — and
/// its drift.
///
/// The noise is measured from the *differences of consecutive returns*, each return scaled to one
/// second (u = r / √dt): a drift that holds over neighbouring samples cancels in the difference, so a
/// crash's steady fall is not mistaken for noise, while a jump still counts in full. For returns
/// u ~ N(μ√dt, σ²) with a slowly changing μ, E[(u₂ − u₁)²] = 2σ², so σ² = Σ(Δu)² / (2·count). The
/// plain realised variance Σr²/Σdt would add μ²·dt per second: during the demo's crash (−12 % in 90 s,
/// sampled every second) it overstates σ² by about 70 %, and far more on a 1-minute recording.
class MarkMotion final : public RecentSeries {
public:
    MarkMotion(std::chrono::seconds window, std::chrono::milliseconds spacing = std::chrono::seconds(1));

    /// σ of the log price per √second (the noise, drift apart); nullopt with fewer than
    /// `minimumReturns` returns, or less than `minimumSpan` of history.
    [[nodiscard]] std::optional<double> volatilityPerSqrtSecond(std::size_t minimumReturns = 10,
                                                                std::chrono::seconds minimumSpan = std::chrono::seconds(60)) const;
    /// The drift of the log price over `span`, per second; nullopt with less than `minimumSpan`.
    [[nodiscard]] std::optional<RecentSeries::Change> logDrift(MonotonicTime now, std::chrono::seconds span,
                                                                std::chrono::seconds minimumSpan) const;

private:
    void kept() override;
    void leaving() override;
    /// The per-√second return between samples i and i + 1; nullopt where a price is not positive.
    [[nodiscard]] std::optional<double> unitReturn(std::size_t i) const;

    double m_sumSquaredDifferences = 0;
    std::size_t m_differences = 0;
    std::size_t m_returns = 0;
};

} // namespace mm
