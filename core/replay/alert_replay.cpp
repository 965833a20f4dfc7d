#include "replay/alert_replay.h"

#include "replay/replay_error.h"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

namespace mm {

AlertReplay::AlertReplay(std::vector<Portfolio> portfolios, const MarkRecording& recording, ReplayOptions options)
    : m_recording(recording), m_options(options), m_start(m_clock.now()), m_monitor(m_clock)
{
    if (recording.empty()) {
        throw ReplayInputError(recording.sourceName() + ": no marks to replay");
    }
    if (m_options.timerStep <= std::chrono::milliseconds(0) ||
        m_options.longSilenceStep <= std::chrono::milliseconds(0)) {
        throw std::invalid_argument("the replay's timer steps must be positive");
    }
    m_nowMs = recording.startMs();
    for (Portfolio& portfolio : portfolios) {
        const std::string label = portfolio.account.label;
        try {
            m_monitor.addAccount(std::move(portfolio));
        } catch (const std::exception& problem) {
            throw ReplayInputError("the account " + label + " cannot be evaluated: " + problem.what());
        }
    }
    bindSeries();
    setExpectedIntervals();
    m_watch = std::make_unique<LiquidationWatch>(m_monitor, m_options.keepDistanceTracks);
    // Before the engine attaches: a tick's liquidation is known before its alerts are heard.
    m_watching = m_monitor.onRisk([this](const RiskSnapshot& snapshot) { m_watch->onRisk(snapshot, m_nowMs); });
    m_result.startMs = recording.startMs();
    m_result.endMs = recording.endMs();
    m_result.symbols = recording.series().size();
}

AlertReplay::~AlertReplay() = default;

void AlertReplay::bindSeries()
{
    // Which venues hold each symbol, over every account.
    std::map<std::string, std::set<Venue>, std::less<>> holders;
    for (std::size_t a = 0; a < m_monitor.accountCount(); ++a) {
        const Portfolio& portfolio = m_monitor.portfolio(a);
        for (const Position& position : portfolio.positions) {
            holders[position.symbol].insert(portfolio.account.venue);
        }
    }
    m_ticks.resize(m_recording.series().size());
    for (std::size_t s = 0; s < m_recording.series().size(); ++s) {
        const MarkSeries& series = m_recording.series()[s];
        const auto held = holders.find(series.symbol);
        std::vector<Venue> venues;
        if (held != holders.end()) {
            for (const Venue venue : held->second) {
                if (!series.venue || *series.venue == venue) {
                    venues.push_back(venue);
                }
            }
        }
        if (venues.empty()) {
            throw ReplayInputError(m_recording.sourceName() + ": no portfolio holds " + series.symbol +
                                   (series.venue ? " on " + std::string(venueName(*series.venue)) : std::string()) +
                                   ", which the marks move");
        }
        for (const Venue venue : venues) {
            MarkTick tick;
            tick.venue = venue;
            tick.symbol = series.symbol;
            m_ticks[s].push_back(std::move(tick));
        }
    }
}

void AlertReplay::setExpectedIntervals()
{
    // A venue is as slow as its slowest regular series: its staleness must not flag that one's cadence.
    const std::vector<std::chrono::milliseconds> spacing = m_recording.regularSpacing();
    std::map<Venue, std::chrono::milliseconds> intervals;
    for (std::size_t s = 0; s < m_ticks.size(); ++s) {
        for (const MarkTick& tick : m_ticks[s]) {
            auto& interval = intervals[tick.venue];
            interval = std::max(interval, spacing[s]);
        }
    }
    for (const auto& [venue, interval] : intervals) {
        if (interval > std::chrono::milliseconds(0)) { // a single mark has no cadence: the venue's default stands
            m_monitor.setExpectedInterval(venue, interval);
            m_result.expectedIntervals.emplace_back(venue, interval);
        }
    }
}

void AlertReplay::moveTo(std::int64_t unixMs)
{
    m_nowMs = unixMs;
    m_clock.set(m_start + std::chrono::milliseconds(unixMs - m_recording.startMs()));
}

void AlertReplay::stepTimersUntil(std::int64_t unixMs, std::int64_t lastMarkMs,
                                  const std::function<void()>& checkTimers)
{
    const auto stepAt = [&](std::int64_t at) {
        return (at - lastMarkMs >= m_options.longSilence.count() ? m_options.longSilenceStep : m_options.timerStep)
            .count();
    };
    for (std::int64_t next = m_nowMs + stepAt(m_nowMs); next < unixMs; next += stepAt(next)) {
        moveTo(next);
        m_monitor.checkFreshness();
        checkTimers();
    }
}

void AlertReplay::apply(const RecordedMark& row)
{
    for (MarkTick& tick : m_ticks[row.series]) {
        tick.markPrice = row.mark;
        tick.exchangeTimeMs = row.unixMs;
        tick.receivedAt = m_clock.now();
        if (m_monitor.applyTick(tick) == Monitor::TickOutcome::Refused) {
            ++m_result.marksRefused;
        }
    }
    ++m_result.marksApplied;
}

ReplayResult AlertReplay::drive(const std::function<void()>& checkTimers)
{
    if (m_ran) {
        throw std::logic_error("an AlertReplay runs once");
    }
    m_ran = true;
    const std::vector<RecordedMark>& marks = m_recording.marks();
    std::int64_t lastMarkMs = marks.front().unixMs;
    for (std::size_t i = 0; i < marks.size();) {
        const std::int64_t at = marks[i].unixMs;
        stepTimersUntil(at, lastMarkMs, checkTimers);
        moveTo(at);
        for (; i < marks.size() && marks[i].unixMs == at; ++i) {
            apply(marks[i]);
        }
        lastMarkMs = at;
        m_monitor.checkFreshness();
        checkTimers();
    }
    m_result.subjects = std::move(m_watch->subjects());
    return std::move(m_result);
}

void AlertReplay::hear(const AlertEvent& event)
{
    const std::size_t subject = m_watch->subjectOf(event.subject);
    m_watch->subjects()[subject].alerts.push_back(m_result.alerts.size());
    m_result.alerts.push_back({m_nowMs, event});
}

} // namespace mm
