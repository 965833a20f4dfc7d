#pragma once

#include <chrono>

namespace mm {

/// A point on the monotonic clock: data ages, staleness and latencies are measured with it, never
/// with the wall clock (which NTP may step).
using MonotonicTime = std::chrono::steady_clock::time_point;

/// The monotonic clock, injectable so that tests can drive time.
class Clock {
public:
    virtual ~Clock() = default;
    [[nodiscard]] virtual MonotonicTime now() const = 0;
    /// How long a timer must wait, in real time, for `span` of this clock to pass.
    [[nodiscard]] virtual std::chrono::nanoseconds realTimeFor(std::chrono::nanoseconds span) const { return span; }
};

class SteadyClock final : public Clock {
public:
    [[nodiscard]] MonotonicTime now() const override { return std::chrono::steady_clock::now(); }
};

/// The monotonic clock sped up: `scale` seconds pass for every real second since its creation. An
/// accelerated simulation runs on it — at 10,000× Binance's 24-hour connection limit comes in 8.6 s.
class ScaledClock final : public Clock {
public:
    explicit ScaledClock(double scale) : m_scale(scale), m_origin(std::chrono::steady_clock::now()) {}
    [[nodiscard]] MonotonicTime now() const override
    {
        const std::chrono::duration<double, std::nano> real = std::chrono::steady_clock::now() - m_origin;
        return m_origin + std::chrono::duration_cast<std::chrono::nanoseconds>(real * m_scale);
    }
    [[nodiscard]] std::chrono::nanoseconds realTimeFor(std::chrono::nanoseconds span) const override
    {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double, std::nano>(span) / m_scale);
    }
    [[nodiscard]] double scale() const { return m_scale; }

private:
    double m_scale;
    MonotonicTime m_origin;
};

/// A clock that moves only when told to (tests, accelerated simulations).
class ManualClock final : public Clock {
public:
    explicit ManualClock(MonotonicTime start = MonotonicTime(std::chrono::hours(1))) : m_now(start) {}
    [[nodiscard]] MonotonicTime now() const override { return m_now; }
    void advance(std::chrono::nanoseconds by) { m_now += by; }
    void set(MonotonicTime to) { m_now = to; }

private:
    MonotonicTime m_now;
};

} // namespace mm
