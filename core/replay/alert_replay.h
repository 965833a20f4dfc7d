#pragma once

#include "alerts/alert_rules.h"
#include "domain/account.h"
#include "domain/mark_tick.h"
#include "engine/monitor.h"
#include "money/clock.h"
#include "replay/liquidation_watch.h"
#include "replay/mark_recording.h"
#include "replay/replay_result.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace mm {

struct ReplayOptions {
    /// Between recorded marks the clock moves in steps of this size, the Monitor's freshness and the
    /// engine's timers checked at each (escalation, cooldown, snooze and staleness run on time, not
    /// on ticks) …
    std::chrono::milliseconds timerStep{1000};
    /// … and, once no mark at all has come for `longSilence`, in steps of `longSilenceStep`: a hole of
    /// hours in a journal is not walked second by second (what the timers decide there is on stale
    /// marks anyway).
    std::chrono::milliseconds longSilence{std::chrono::minutes(10)};
    std::chrono::milliseconds longSilenceStep{10'000};
    /// Keep every subject's distance to liquidation at every evaluation (the alert-quality
    /// measures need it; a plain replay does not).
    bool keepDistanceTracks = false;
};

/// The real Monitor and an alert engine on recorded marks, driven by the recording's own time.
///
/// A ManualClock stands for the monotonic clock and the recording's Unix time for the wall clock.
/// Each recorded mark is applied at its recorded time (clock set to it, then the tick; after the
/// marks of one moment, freshness and timers). Between recorded moments the clock moves in steps
/// (ReplayOptions) with freshness and timers checked — never a price invented. Each venue's
/// expected interval is the recording's own regular spacing (MarkRecording::regularSpacing), so a
/// 1-minute recording is not stale between its minutes, while a hole of several of them is.
///
/// Single use: construct, then run() once.
class AlertReplay {
public:
    /// Adds the portfolios to the Monitor (in order: account i is the i-th portfolio) and binds each
    /// recorded series to the venues holding its symbol (a series with a venue, to that venue only).
    /// Throws ReplayInputError for an empty recording, a symbol that no portfolio holds, or a
    /// portfolio the Monitor cannot evaluate. The recording must outlive the replay.
    AlertReplay(std::vector<Portfolio> portfolios, const MarkRecording& recording, ReplayOptions options = {});
    ~AlertReplay();
    AlertReplay(const AlertReplay&) = delete;
    AlertReplay& operator=(const AlertReplay&) = delete;

    /// Replays the whole recording through an `Engine`: mm::AlertEngine, or any engine with its
    /// shape — constructed from (const Monitor&, const Clock&, AlertPolicy), with setWallClock(),
    /// attach(Monitor&) and onAlert(callback) returning subscription handles, and checkTimers().
    template <class Engine> ReplayResult run(AlertPolicy policy)
    {
        Engine engine(m_monitor, m_clock, std::move(policy));
        engine.setWallClock([this] { return m_nowMs; });
        const auto attached = engine.attach(m_monitor);
        const auto heard = engine.onAlert([this](const AlertEvent& event) { hear(event); });
        return drive([&engine] { engine.checkTimers(); });
    }

    [[nodiscard]] const Monitor& monitor() const { return m_monitor; }
    /// The recording's time now (Unix ms).
    [[nodiscard]] std::int64_t nowUnixMs() const { return m_nowMs; }

private:
    void bindSeries();
    void setExpectedIntervals();
    ReplayResult drive(const std::function<void()>& checkTimers);
    /// Moves the clock (monotonic and wall) to a moment of the recording.
    void moveTo(std::int64_t unixMs);
    /// Steps the clock towards `unixMs` (exclusive) with freshness and timers checked at each step.
    void stepTimersUntil(std::int64_t unixMs, std::int64_t lastMarkMs, const std::function<void()>& checkTimers);
    void apply(const RecordedMark& row);
    void hear(const AlertEvent& event);

    const MarkRecording& m_recording;
    ReplayOptions m_options;
    ManualClock m_clock;
    MonotonicTime m_start;
    Monitor m_monitor;
    std::int64_t m_nowMs = 0;
    /// Per series of the recording: one tick per venue holding its symbol, prepared once (no
    /// allocation per mark).
    std::vector<std::vector<MarkTick>> m_ticks;
    std::unique_ptr<LiquidationWatch> m_watch;
    std::unique_ptr<Subscription> m_watching;
    ReplayResult m_result;
    bool m_ran = false;
};

} // namespace mm
