#pragma once
// The pre-issue-15 alert engine, copied verbatim from git (`git show 2992b24:core/alerts/alert_engine.h`,
// `.cpp`, `price_motion.h`, `.cpp`) and renamed into mm::bench. Kept ONLY so that the alert-quality
// benchmark can compare today's engine with it; nothing else may use it, and it is not maintained.

#include "alerts/alert_event.h"
#include "alerts/alert_rules.h"
#include "baseline/baseline_price_motion.h"
#include "engine/monitor.h"
#include "engine/subscription.h"

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

namespace mm::bench {

/// Decides alerts on every risk snapshot the Monitor publishes, the moment it is published.
///
/// Subjects are the monitor's positions (distance, σ distance, time to liquidation, velocity,
/// stale marks, and the margin ratio of isolated positions) and its accounts (the cross margin
/// ratio). Per rule and subject an *episode* runs from the first breach until the measure is back
/// beyond the re-arm band: one episode is one AlertEvent id, one journal thread and at most one
/// deleveraging order. Within it:
///  - louder levels publish Escalated at once (never waiting for a repaint);
///  - levels are left only past the re-arm band (hysteresis), and coming back to a level the
///    episode already said is said again only after the cooldown;
///  - a critical nobody acknowledged or snoozed within AlertPolicy::escalateAfter becomes an emergency;
///  - an acknowledged episode stays quiet until it gets louder than what was acknowledged;
///  - a snoozed one until the snooze ends (then it is raised again) or it gets louder.
/// After an episode ends, the same rule on the same subject breaching again within the cooldown
/// resumes that episode silently, and speaks only when it is worse than before or still there when
/// the cooldown is over.
///
/// Single-threaded: call everything on the thread that owns the Monitor.
class BaselineAlertEngine {
public:
    BaselineAlertEngine(const Monitor& monitor, const Clock& clock, AlertPolicy policy = defaultAlertPolicy());
    BaselineAlertEngine(const BaselineAlertEngine&) = delete;
    BaselineAlertEngine& operator=(const BaselineAlertEngine&) = delete;

    /// Replaces the rules; running episodes continue under the new thresholds.
    void setPolicy(AlertPolicy policy);
    [[nodiscard]] const AlertPolicy& policy() const { return m_policy; }
    /// The wall clock for AlertEvent::wallTimeMs (Unix ms); the system clock by default.
    void setWallClock(std::function<std::int64_t()> wallClockMs) { m_wallClockMs = std::move(wallClockMs); }

    /// Subscribes to the monitor's risk and feed events (the usual wiring); keep the handle.
    [[nodiscard]] std::unique_ptr<Subscription> attach(Monitor& monitor);
    void onRisk(const RiskSnapshot& snapshot);
    void onFeed(const FeedStatus& status);
    /// Escalation of unacknowledged criticals, snoozes ending, cooldowns passing, stale marks
    /// ageing: call it periodically (a few times a second).
    void checkTimers();

    /// The trader's answers. Each publishes its own AlertEvent; false for an episode not running.
    bool acknowledge(std::uint64_t episode);
    bool snooze(std::uint64_t episode, std::chrono::seconds duration);
    void acknowledgeAll();

    /// Every running, visible episode at its current level (for a late subscriber, a new window).
    [[nodiscard]] std::vector<AlertEvent> activeAlerts() const;
    [[nodiscard]] std::uint64_t evaluations() const { return m_evaluations; }

    [[nodiscard]] std::unique_ptr<Subscription> onAlert(std::function<void(const AlertEvent&)> callback)
    {
        return m_subscribers.subscribe(std::move(callback));
    }

private:
    static constexpr std::size_t kKinds = 6;
    struct SymbolState;
    struct Episode {
        std::uint64_t id = 0;  ///< 0: this rule never fired on this subject
        bool active = false;   ///< breached, not yet back beyond the re-arm band
        bool visible = false;  ///< published (Raised) and not cleared; false while held by the cooldown
        AlertLevel level = AlertLevel::Warning; ///< the level now, with hysteresis
        AlertLevel peak = AlertLevel::Warning;  ///< the loudest published in this episode
        bool forcedEmergency = false;           ///< escalated for want of an acknowledgement
        std::optional<AlertLevel> acknowledged;
        std::optional<MonotonicTime> snoozedUntil;
        AlertLevel snoozedLevel = AlertLevel::Warning;
        MonotonicTime criticalSince{};
        MonotonicTime clearedAt{};
        MonotonicTime lastSaidAt{}; ///< the last Raised or Escalated
        double value = 0;
    };
    struct Subject {
        AlertSubject who;
        bool isolated = false;
        std::array<const AlertRule*, kKinds> rules{};
        std::array<Episode, kKinds> episodes{};
        SymbolState* symbol = nullptr; ///< null for an account
        RecentSeries distance{std::chrono::seconds(120), std::chrono::seconds(1)};
        std::optional<double> mark;
        std::optional<double> liquidationPrice;
        std::optional<double> distancePct;
        bool seen = false; ///< kept by the latest rebuild
    };
    struct SymbolState {
        MarkMotion motion;
        FeedState state = FeedState::Waiting;
        MonotonicTime lastTickAt{};
        std::vector<Subject*> subjects;
    };
    struct AccountSubjects {
        bool built = false;
        std::uint64_t revision = 0;
        std::size_t positions = 0;
        Subject* account = nullptr;
        std::vector<Subject*> byPosition;
    };
    /// (account, symbol, leg, isolated) for a position; (account, "", Both, false) for the account.
    using SubjectKey = std::tuple<std::size_t, std::string, int, bool>;

    AccountSubjects& subjectsOf(std::size_t account);
    void rebuild(std::size_t account);
    void assignRules(Subject& subject);
    void relinkSymbols();
    void judgePosition(Subject& subject, const PositionRisk& risk, MonotonicTime now, MonotonicTime tickAt);
    void judgeStale(Subject& subject, MonotonicTime now);
    void judge(Subject& subject, AlertRuleKind kind, std::optional<double> value, MonotonicTime now, MonotonicTime tickAt);
    void clear(Subject& subject, AlertRuleKind kind, MonotonicTime now, MonotonicTime tickAt, std::string_view why);
    void publish(Subject& subject, AlertRuleKind kind, AlertChange change, MonotonicTime tickAt,
                 std::string_view prefix = {});
    [[nodiscard]] AlertEvent eventFor(const Subject& subject, AlertRuleKind kind, AlertChange change,
                                      MonotonicTime tickAt, std::string_view prefix) const;

    const Monitor& m_monitor;
    const Clock& m_clock;
    AlertPolicy m_policy;
    std::function<std::int64_t()> m_wallClockMs;
    std::map<SubjectKey, Subject> m_subjects;
    std::map<std::pair<Venue, std::string>, SymbolState, std::less<>> m_symbols;
    std::vector<AccountSubjects> m_accounts;
    std::unordered_map<std::uint64_t, std::pair<Subject*, AlertRuleKind>> m_episodes;
    std::uint64_t m_nextEpisode = 0;
    std::uint64_t m_evaluations = 0;
    SubscriberList<AlertEvent> m_subscribers;
};

} // namespace mm::bench
