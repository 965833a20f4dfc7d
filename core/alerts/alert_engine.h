#pragma once

#include "alerts/alert_event.h"
#include "alerts/alert_rules.h"
#include "alerts/price_motion.h"
#include "engine/monitor.h"
#include "engine/subscription.h"

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

namespace mm {

/// Decides alerts on every risk snapshot the Monitor publishes, the moment it is published.
///
/// One voice per subject. A subject is a position (distance, σ distance, time to liquidation,
/// velocity, stale marks, and the margin ratio of an isolated position) or an account (its cross
/// margin ratio). Each measure has its own level, with hysteresis (a level is left only past the
/// rule's re-arm band). The subject's level is the worst of them, the forecasts (σ, time, velocity)
/// counted at most one level above the trader's own thresholds (distance, margin ratio). The subject
/// has one *episode* at a time — one AlertEvent id, one journal thread, at most one deleveraging
/// order — from its first breach until it has been safe for the cooldown. Within it:
///  - a rise is published at once (Escalated, with a sound), never waiting for a repaint;
///  - the level shown is the worst of the last cooldown: it eases (silently) only once the danger
///    stayed below it that long, so a rise is always new and always worth a sound;
///  - an acknowledged episode stays quiet until it rises above what was acknowledged; a snoozed one
///    until the snooze ends (then it is raised again) or it rises above what was snoozed;
///  - where the trader asked for it (AlertPolicy::escalateAfter), a critical nobody answered becomes
///    an emergency.
/// Every change carries the measures at warning or worse as its reasons, worst first.
///
/// Single-threaded: call everything on the thread that owns the Monitor.
class AlertEngine {
public:
    AlertEngine(const Monitor& monitor, const Clock& clock, AlertPolicy policy = defaultAlertPolicy());
    AlertEngine(const AlertEngine&) = delete;
    AlertEngine& operator=(const AlertEngine&) = delete;

    /// Replaces the rules; running episodes continue under the new thresholds.
    void setPolicy(AlertPolicy policy);
    [[nodiscard]] const AlertPolicy& policy() const { return m_policy; }
    /// The wall clock for AlertEvent::wallTimeMs (Unix ms); the system clock by default.
    void setWallClock(std::function<std::int64_t()> wallClockMs) { m_wallClockMs = std::move(wallClockMs); }

    /// Subscribes to the monitor's risk and feed events (the usual wiring); keep the handle.
    [[nodiscard]] std::unique_ptr<Subscription> attach(Monitor& monitor);
    void onRisk(const RiskSnapshot& snapshot);
    void onFeed(const FeedStatus& status);
    /// Easing and ending after the cooldown, snoozes ending, stale marks ageing, the opt-in
    /// escalation: call it periodically (a few times a second).
    void checkTimers();

    /// The trader's answers, per subject's episode. Each publishes its own AlertEvent; false for an
    /// episode not running.
    bool acknowledge(std::uint64_t episode);
    bool snooze(std::uint64_t episode, std::chrono::seconds duration);
    void acknowledgeAll();

    /// Every running episode at its current level (for a late subscriber, a new window).
    [[nodiscard]] std::vector<AlertEvent> activeAlerts() const;
    [[nodiscard]] std::uint64_t evaluations() const { return m_evaluations; }

    [[nodiscard]] std::unique_ptr<Subscription> onAlert(std::function<void(const AlertEvent&)> callback)
    {
        return m_subscribers.subscribe(std::move(callback));
    }

private:
    static constexpr std::size_t kKinds = 6;
    static constexpr std::size_t kLevels = 3;
    struct SymbolState;
    /// One measure of a subject: its value now and its own level (with the rule's hysteresis).
    struct Measure {
        bool measured = false;              ///< a value now (false: not measurable yet, or no rule)
        double value = 0;                   ///< finite when measured
        std::optional<AlertLevel> level;    ///< the level it alone gives, held within the re-arm band
    };
    struct Episode {
        std::uint64_t id = 0;
        bool active = false;
        AlertLevel level = AlertLevel::Warning; ///< shown: the worst of the last cooldown
        bool forcedEmergency = false;           ///< escalated for want of an answer (opt-in)
        std::optional<AlertLevel> acknowledged;
        std::optional<MonotonicTime> snoozedUntil;
        AlertLevel snoozedLevel = AlertLevel::Warning;
        MonotonicTime criticalSince{};
        /// When the subject's level was last at or above each level (index level − 1).
        std::array<MonotonicTime, kLevels> lastAt{};
    };
    struct Subject {
        AlertSubject who;
        bool isolated = false;
        std::array<const AlertRule*, kKinds> rules{};
        std::array<Measure, kKinds> measures{};
        Episode episode;
        SymbolState* symbol = nullptr; ///< null for an account
        RecentSeries distance{std::chrono::seconds(300), std::chrono::seconds(1)}; ///< over the drift window
        std::chrono::seconds paceWindow{300}; ///< the window the time to liquidation was last measured over
        std::optional<double> mark;
        std::optional<double> liquidationPrice;
        std::optional<double> distancePct; ///< an account's: the market-wide distance (marketWideMove)
        bool marketFall = true;            ///< an account's: the common move that liquidates is a fall
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
        std::size_t crossSymbols = 0; ///< symbols the account holds cross positions on
        Subject* account = nullptr;
        std::vector<Subject*> byPosition;
    };
    /// (account, symbol, leg, isolated) for a position; (account, "", Both, false) for the account.
    using SubjectKey = std::tuple<std::size_t, std::string, int, bool>;

    AccountSubjects& subjectsOf(std::size_t account);
    void rebuild(std::size_t account);
    void assignRules(Subject& subject);
    void relinkSymbols();
    void measurePosition(Subject& subject, const PositionRisk& risk, MonotonicTime now);
    void measureStale(Subject& subject, MonotonicTime now);
    void measure(Subject& subject, AlertRuleKind kind, std::optional<double> value);
    /// The subject's level from its measures now (forecasts capped), or nullopt when none breaches.
    [[nodiscard]] std::optional<AlertLevel> levelNow(const Subject& subject) const;
    /// Moves the subject's episode to its level now: raise, rise, ease, end; publishes what changed.
    void decide(Subject& subject, MonotonicTime now, MonotonicTime tickAt);
    void end(Subject& subject, MonotonicTime tickAt, std::string_view why);
    void publish(Subject& subject, AlertChange change, MonotonicTime tickAt, std::string_view prefix = {});
    [[nodiscard]] AlertEvent eventFor(const Subject& subject, AlertChange change, MonotonicTime tickAt,
                                      std::string_view prefix) const;
    [[nodiscard]] std::vector<AlertReason> reasonsOf(const Subject& subject) const;

    const Monitor& m_monitor;
    const Clock& m_clock;
    AlertPolicy m_policy;
    std::function<std::int64_t()> m_wallClockMs;
    std::map<SubjectKey, Subject> m_subjects;
    std::map<std::pair<Venue, std::string>, SymbolState, std::less<>> m_symbols;
    std::vector<AccountSubjects> m_accounts;
    std::unordered_map<std::uint64_t, Subject*> m_episodes;
    std::uint64_t m_nextEpisode = 0;
    std::uint64_t m_evaluations = 0;
    SubscriberList<AlertEvent> m_subscribers;
};

} // namespace mm
