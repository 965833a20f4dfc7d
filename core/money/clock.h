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
};

class SteadyClock final : public Clock {
public:
    [[nodiscard]] MonotonicTime now() const override { return std::chrono::steady_clock::now(); }
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
