// The pre-issue-15 alert engine, copied verbatim from git (`git show 2992b24:core/alerts/alert_engine.h`,
// `.cpp`, `price_motion.h`, `.cpp`) and renamed into mm::bench. Kept ONLY so that the alert-quality
// benchmark can compare today's engine with it; nothing else may use it, and it is not maintained.
#include "baseline/baseline_alert_engine.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace mm::bench {
namespace {

constexpr std::array kAllKinds{AlertRuleKind::Distance,          AlertRuleKind::MarginRatio, AlertRuleKind::SigmaDistance,
                               AlertRuleKind::TimeToLiquidation, AlertRuleKind::Velocity,    AlertRuleKind::Stale};
constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr double kSecondsPerHour = 3600.0;
/// The least history the drift and velocity are measured over: less is noise.
constexpr std::chrono::seconds kMinimumDriftSpan{10};
/// How far out of the noise a drift must stand to count (time to liquidation, velocity).
constexpr double kDriftSignificance = 2.0;

std::size_t slot(AlertRuleKind kind) { return static_cast<std::size_t>(kind); }

std::int64_t systemWallClockMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string formatNumber(double value, int decimals)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

std::string formatDuration(double seconds)
{
    if (!std::isfinite(seconds)) {
        return "never";
    }
    if (seconds < 90) {
        return formatNumber(std::max(0.0, seconds), 0) + " s";
    }
    if (seconds < 90 * 60) {
        return formatNumber(seconds / 60, 0) + " min";
    }
    return formatNumber(seconds / 3600, 1) + " h";
}

/// The measure and its threshold in words ("4.80 % to liquidation (critical below 5 %)").
std::string describe(AlertRuleKind kind, double value, AlertLevel level, std::optional<double> threshold)
{
    const std::string limit = threshold ? std::string(alertLevelName(level)) +
                                              (alertDirection(kind) == AlertDirection::Below ? " below " : " at ")
                                        : std::string();
    switch (kind) {
    case AlertRuleKind::Distance:
        return formatNumber(value, 2) + " % to liquidation" + (threshold ? " (" + limit + formatNumber(*threshold, 1) + " %)" : "");
    case AlertRuleKind::MarginRatio:
        return "margin ratio " + formatNumber(value, 1) + " %" + (threshold ? " (" + limit + formatNumber(*threshold, 0) + " %)" : "");
    case AlertRuleKind::SigmaDistance:
        return "liquidation " + formatNumber(value, 1) + " σ of an hour's move away at the recent volatility" +
               (threshold ? " (" + limit + formatNumber(*threshold, 1) + " σ)" : "");
    case AlertRuleKind::TimeToLiquidation:
        if (!std::isfinite(value)) {
            return "no liquidation ahead at the last minute's pace";
        }
        return "liquidation in about " + formatDuration(value) + " at the last minute's pace" +
               (threshold ? " (" + limit + formatDuration(*threshold) + ")" : "");
    case AlertRuleKind::Velocity:
        return "distance to liquidation shrinking " + formatNumber(value, 1) + " points a minute" +
               (threshold ? " (" + limit + formatNumber(*threshold, 1) + ")" : "");
    case AlertRuleKind::Stale:
        return value < 0 ? std::string("mark prices arriving again")
                         : "no mark price for " + formatDuration(value) + ": the figures shown may no longer be true";
    }
    return {};
}

} // namespace

BaselineAlertEngine::BaselineAlertEngine(const Monitor& monitor, const Clock& clock, AlertPolicy policy)
    : m_monitor(monitor), m_clock(clock), m_policy(std::move(policy)), m_wallClockMs(systemWallClockMs),
      // Episode ids count on from the engine's start time in µs: an engine rebuilt later in the run,
      // or in the next run, never reuses one — and so never a client order id made from one.
      m_nextEpisode(static_cast<std::uint64_t>(systemWallClockMs()) * 1000)
{
}

void BaselineAlertEngine::setPolicy(AlertPolicy policy)
{
    m_policy = std::move(policy);
    for (auto& [key, subject] : m_subjects) {
        assignRules(subject);
    }
}

std::unique_ptr<Subscription> BaselineAlertEngine::attach(Monitor& monitor)
{
    struct Both final : Subscription {
        std::unique_ptr<Subscription> risk;
        std::unique_ptr<Subscription> feed;
    };
    auto both = std::make_unique<Both>();
    both->risk = monitor.onRisk([this](const RiskSnapshot& snapshot) { onRisk(snapshot); });
    both->feed = monitor.onFeed([this](const FeedStatus& status) { onFeed(status); });
    return both;
}

BaselineAlertEngine::AccountSubjects& BaselineAlertEngine::subjectsOf(std::size_t account)
{
    if (account >= m_accounts.size()) {
        m_accounts.resize(account + 1);
    }
    AccountSubjects& subjects = m_accounts[account];
    if (!subjects.built || subjects.revision != m_monitor.revision(account) ||
        subjects.positions != m_monitor.portfolio(account).positions.size()) {
        rebuild(account);
    }
    return subjects;
}

void BaselineAlertEngine::rebuild(std::size_t account)
{
    const Portfolio& portfolio = m_monitor.portfolio(account);
    const MonotonicTime now = m_clock.now();
    for (auto& [key, subject] : m_subjects) {
        if (std::get<0>(key) == account) {
            subject.seen = false;
        }
    }
    AccountSubjects& subjects = m_accounts[account];
    subjects.built = true;
    subjects.revision = m_monitor.revision(account);
    subjects.positions = portfolio.positions.size();
    subjects.byPosition.assign(portfolio.positions.size(), nullptr);

    const auto make = [&](SubjectKey key) -> Subject& {
        auto [it, added] = m_subjects.try_emplace(std::move(key));
        it->second.seen = true;
        return it->second;
    };
    Subject& whole = make(SubjectKey{account, std::string(), 0, false});
    whole.who = AlertSubject{account, std::nullopt, portfolio.account.venue, portfolio.account.label, {}, std::nullopt};
    assignRules(whole);
    subjects.account = &whole;
    for (std::size_t i = 0; i < portfolio.positions.size(); ++i) {
        const Position& position = portfolio.positions[i];
        const bool isolated = position.marginMode == MarginMode::Isolated;
        Subject& subject = make(SubjectKey{account, position.symbol, static_cast<int>(position.positionSide), isolated});
        subject.who = AlertSubject{account, i, portfolio.account.venue, portfolio.account.label, position.symbol, position.side};
        subject.isolated = isolated;
        auto [symbol, added] = m_symbols.try_emplace(std::pair{portfolio.account.venue, position.symbol},
                                                     SymbolState{MarkMotion(m_policy.volatilityWindow), FeedState::Waiting, {}, {}});
        subject.symbol = &symbol->second;
        assignRules(subject);
        subjects.byPosition[i] = &subject;
    }
    // A position gone from the account ends its episodes: there is nothing left to liquidate.
    for (auto it = m_subjects.begin(); it != m_subjects.end();) {
        if (std::get<0>(it->first) != account || it->second.seen) {
            ++it;
            continue;
        }
        for (const AlertRuleKind kind : kAllKinds) {
            if (it->second.episodes[slot(kind)].active) {
                clear(it->second, kind, now, now, "position closed");
            }
            m_episodes.erase(it->second.episodes[slot(kind)].id);
        }
        it = m_subjects.erase(it);
    }
    relinkSymbols();
}

void BaselineAlertEngine::relinkSymbols()
{
    for (auto& [key, symbol] : m_symbols) {
        symbol.subjects.clear();
    }
    for (auto& [key, subject] : m_subjects) {
        if (subject.symbol) {
            subject.symbol->subjects.push_back(&subject);
        }
    }
}

void BaselineAlertEngine::assignRules(Subject& subject)
{
    for (const AlertRuleKind kind : kAllKinds) {
        const bool applies = subject.who.position
                                 ? (kind != AlertRuleKind::MarginRatio || subject.isolated)
                                 : kind == AlertRuleKind::MarginRatio; // the account: its cross margin ratio only
        subject.rules[slot(kind)] = applies ? m_policy.ruleFor(kind, subject.who.accountLabel, subject.who.symbol) : nullptr;
    }
}

void BaselineAlertEngine::onRisk(const RiskSnapshot& snapshot)
{
    const MonotonicTime now = m_clock.now();
    AccountSubjects& subjects = subjectsOf(snapshot.account);
    ++m_evaluations;
    if (subjects.account) {
        // Only an account with cross positions has a cross margin ratio to watch.
        const bool hasCross = snapshot.accountRisk.requirement > Decimal() || snapshot.accountRisk.liquidationDue;
        judge(*subjects.account, AlertRuleKind::MarginRatio,
              hasCross ? std::optional(snapshot.accountRisk.marginRatio * 100.0) : std::optional(-kInfinity), now,
              snapshot.tickReceivedAt);
    }
    const Portfolio& portfolio = m_monitor.portfolio(snapshot.account);
    for (const auto& [index, risk] : snapshot.positions) {
        if (index >= subjects.byPosition.size() || !subjects.byPosition[index]) {
            continue;
        }
        Subject& subject = *subjects.byPosition[index];
        subject.mark = portfolio.positions[index].markPrice.toDouble();
        judgePosition(subject, risk, now, snapshot.tickReceivedAt);
    }
}

void BaselineAlertEngine::judgePosition(Subject& subject, const PositionRisk& risk, MonotonicTime now, MonotonicTime tickAt)
{
    const double mark = *subject.mark;
    subject.liquidationPrice = risk.liquidationPrice;
    subject.distancePct = risk.distanceToLiquidationPct;
    if (subject.symbol) {
        subject.symbol->motion.add(now, mark);
    }
    // No liquidation price: no price of this symbol liquidates it — as safe as a position gets.
    const double distance = risk.distanceToLiquidationPct.value_or(kInfinity);
    if (std::isfinite(distance)) {
        subject.distance.add(now, distance);
    }
    judge(subject, AlertRuleKind::Distance, distance, now, tickAt);
    if (subject.isolated) {
        judge(subject, AlertRuleKind::MarginRatio, risk.marginRatio * 100.0, now, tickAt);
    }

    std::optional<double> sigmas = kInfinity;
    std::optional<double> timeLeft = kInfinity;
    std::optional<double> shrinking = -kInfinity;
    if (risk.liquidationPrice && *risk.liquidationPrice > 0 && mark > 0) {
        const double liquidation = *risk.liquidationPrice;
        const bool beyond = risk.distanceToLiquidation && *risk.distanceToLiquidation <= 0;
        // σ distance: the log distance over one hour's standard deviation at the recent volatility.
        sigmas = std::nullopt;
        if (const auto sigma = subject.symbol ? subject.symbol->motion.volatilityPerSqrtSecond() : std::nullopt; sigma && *sigma > 0) {
            const double logDistance = std::abs(std::log(liquidation / mark));
            sigmas = (beyond ? -logDistance : logDistance) / (*sigma * std::sqrt(kSecondsPerHour));
        }
        // Time to liquidation: the distance over the mark's recent drift towards the liquidation
        // price — a drift only once it stands out of the noise: over the window, more than
        // kDriftSignificance standard deviations of a random walk at the recent volatility.
        // (A random walk always has some drift; extrapolating it would cry wolf all day.)
        const auto volatility = subject.symbol ? subject.symbol->motion.volatilityPerSqrtSecond() : std::nullopt;
        const auto significant = [&](double changePerSecond, double scale) {
            const double window = std::chrono::duration<double>(m_policy.driftWindow).count();
            return std::abs(changePerSecond) * window > kDriftSignificance * *volatility * std::sqrt(window) * scale;
        };
        timeLeft = std::nullopt;
        if (beyond) {
            timeLeft = 0.0;
        } else if (!volatility) {
            // Too little history to tell a drift from noise: not measurable yet.
        } else if (const auto drift = subject.symbol ? subject.symbol->motion.slopePerSecond(now, m_policy.driftWindow, kMinimumDriftSpan)
                                                     : std::nullopt) {
            const double towards = *drift * (liquidation > mark ? 1.0 : -1.0);
            timeLeft = towards > 0 && significant(*drift, mark) ? std::abs(liquidation - mark) / towards : kInfinity;
        }
        // Velocity: points of distance lost per minute (positive while shrinking), once the mark's
        // move behind it stands out of the noise as above.
        shrinking = std::nullopt;
        if (!volatility) {
            // not measurable yet, as above
        } else if (const auto slope = subject.distance.slopePerSecond(now, m_policy.driftWindow, kMinimumDriftSpan)) {
            const auto drift = subject.symbol ? subject.symbol->motion.slopePerSecond(now, m_policy.driftWindow, kMinimumDriftSpan)
                                              : std::nullopt;
            shrinking = !drift || significant(*drift, mark) ? -*slope * 60.0 : -kInfinity;
        }
    }
    judge(subject, AlertRuleKind::SigmaDistance, sigmas, now, tickAt);
    judge(subject, AlertRuleKind::TimeToLiquidation, timeLeft, now, tickAt);
    judge(subject, AlertRuleKind::Velocity, shrinking, now, tickAt);
}

void BaselineAlertEngine::onFeed(const FeedStatus& status)
{
    const auto it = m_symbols.find(std::pair{status.venue, status.symbol});
    if (it == m_symbols.end()) {
        return;
    }
    it->second.state = status.state;
    it->second.lastTickAt = status.lastTickAt;
    const MonotonicTime now = m_clock.now();
    for (Subject* subject : it->second.subjects) {
        judgeStale(*subject, now);
    }
}

void BaselineAlertEngine::judgeStale(Subject& subject, MonotonicTime now)
{
    if (!subject.symbol) {
        return;
    }
    const SymbolState& symbol = *subject.symbol;
    const double silent = symbol.state == FeedState::Stale ? std::chrono::duration<double>(now - symbol.lastTickAt).count() : -1.0;
    judge(subject, AlertRuleKind::Stale, silent, now, now);
}

void BaselineAlertEngine::judge(Subject& subject, AlertRuleKind kind, std::optional<double> value, MonotonicTime now, MonotonicTime tickAt)
{
    const AlertRule* rule = subject.rules[slot(kind)];
    Episode& episode = subject.episodes[slot(kind)];
    if (!rule) {
        if (episode.active) {
            clear(subject, kind, now, tickAt, "rule removed");
        }
        return;
    }
    if (!value) {
        return; // not measurable now (too little history): neither raise nor end anything
    }
    episode.value = *value;
    const std::optional<AlertLevel> breached = rule->levelAt(*value);

    if (!episode.active) {
        if (!breached) {
            return;
        }
        const bool resumes = episode.id != 0 && now - episode.clearedAt < m_policy.cooldown;
        if (!resumes) {
            const std::uint64_t previous = episode.id;
            episode = Episode{};
            episode.id = ++m_nextEpisode;
            m_episodes.erase(previous);
            m_episodes[episode.id] = {&subject, kind};
        }
        episode.value = *value;
        episode.active = true;
        episode.level = *breached;
        episode.criticalSince = now;
        if (!resumes || *breached > episode.peak) {
            episode.visible = true;
            episode.peak = std::max(episode.peak, *breached);
            if (!resumes) {
                episode.peak = *breached;
            }
            publish(subject, kind, AlertChange::Raised, tickAt);
        }
        return;
    }

    // Running: louder at once; milder only past the re-arm band.
    AlertLevel held = episode.level;
    if (breached && *breached > held) {
        held = *breached;
    } else {
        while (held > AlertLevel::Warning && rule->recoveredFrom(held, *value) && (!breached || *breached < held)) {
            held = static_cast<AlertLevel>(static_cast<int>(held) - 1);
        }
        if (held == AlertLevel::Warning && !breached && rule->recoveredFrom(AlertLevel::Warning, *value)) {
            clear(subject, kind, now, tickAt, {});
            return;
        }
    }
    if (held < AlertLevel::Critical) {
        episode.forcedEmergency = false;
    }
    if (held >= AlertLevel::Critical && episode.level < AlertLevel::Critical) {
        episode.criticalSince = now;
    }
    const AlertLevel before = episode.forcedEmergency ? AlertLevel::Emergency : episode.level;
    episode.level = held;
    const AlertLevel loudness = episode.forcedEmergency ? AlertLevel::Emergency : held;
    if (loudness <= before) {
        return;
    }
    if (!episode.visible) {
        if (loudness > episode.peak) { // held by the cooldown, but worse than anything said before
            episode.visible = true;
            episode.peak = loudness;
            publish(subject, kind, AlertChange::Raised, tickAt);
        }
        return;
    }
    if ((episode.acknowledged && loudness <= *episode.acknowledged) || (episode.snoozedUntil && loudness <= episode.snoozedLevel)) {
        return; // acknowledged or snoozed at this level or louder: quiet
    }
    if (loudness <= episode.peak && now - episode.lastSaidAt < m_policy.cooldown) {
        return; // back at a level this episode said within the cooldown: once is enough
    }
    episode.peak = std::max(episode.peak, loudness);
    publish(subject, kind, AlertChange::Escalated, tickAt);
}

void BaselineAlertEngine::clear(Subject& subject, AlertRuleKind kind, MonotonicTime now, MonotonicTime tickAt, std::string_view why)
{
    Episode& episode = subject.episodes[slot(kind)];
    episode.active = false;
    episode.clearedAt = now;
    episode.forcedEmergency = false;
    episode.snoozedUntil.reset();
    if (episode.visible) {
        episode.visible = false;
        publish(subject, kind, AlertChange::Cleared, tickAt, why);
    }
    episode.acknowledged.reset();
}

void BaselineAlertEngine::checkTimers()
{
    const MonotonicTime now = m_clock.now();
    for (auto& [key, subject] : m_subjects) {
        if (subject.symbol && subject.symbol->state == FeedState::Stale) {
            judgeStale(subject, now);
        }
        for (const AlertRuleKind kind : kAllKinds) {
            Episode& episode = subject.episodes[slot(kind)];
            if (!episode.active) {
                continue;
            }
            if (!episode.visible && now - episode.clearedAt >= m_policy.cooldown) {
                episode.visible = true; // breached all through the cooldown: say so now
                episode.peak = episode.level;
                publish(subject, kind, AlertChange::Raised, now);
                continue;
            }
            if (episode.snoozedUntil && now >= *episode.snoozedUntil) {
                episode.snoozedUntil.reset();
                if (episode.visible && !episode.acknowledged) {
                    publish(subject, kind, AlertChange::Raised, now, "snooze over");
                }
            }
            if (episode.visible && !episode.forcedEmergency && episode.level == AlertLevel::Critical &&
                !episode.acknowledged && !episode.snoozedUntil && now - episode.criticalSince >= m_policy.escalateAfter) {
                episode.forcedEmergency = true;
                episode.peak = AlertLevel::Emergency;
                const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(m_policy.escalateAfter).count();
                publish(subject, kind, AlertChange::Escalated, now,
                        "critical for " + std::to_string(seconds) + " s without acknowledgement");
            }
        }
    }
}

bool BaselineAlertEngine::acknowledge(std::uint64_t episodeId)
{
    const auto it = m_episodes.find(episodeId);
    if (it == m_episodes.end()) {
        return false;
    }
    auto& [subject, kind] = it->second;
    Episode& episode = subject->episodes[slot(kind)];
    if (!episode.active || !episode.visible || episode.id != episodeId) {
        return false;
    }
    episode.acknowledged = episode.forcedEmergency ? AlertLevel::Emergency : episode.level;
    episode.snoozedUntil.reset();
    publish(*subject, kind, AlertChange::Acknowledged, m_clock.now());
    return true;
}

bool BaselineAlertEngine::snooze(std::uint64_t episodeId, std::chrono::seconds duration)
{
    const auto it = m_episodes.find(episodeId);
    if (it == m_episodes.end()) {
        return false;
    }
    auto& [subject, kind] = it->second;
    Episode& episode = subject->episodes[slot(kind)];
    if (!episode.active || !episode.visible || episode.id != episodeId) {
        return false;
    }
    const MonotonicTime now = m_clock.now();
    episode.snoozedUntil = now + duration;
    // Quiet at the level snoozed, as for an acknowledgement, until the snooze ends.
    episode.snoozedLevel = episode.forcedEmergency ? AlertLevel::Emergency : episode.level;
    publish(*subject, kind, AlertChange::Snoozed, now, "snoozed for " + formatDuration(static_cast<double>(duration.count())));
    return true;
}

void BaselineAlertEngine::acknowledgeAll()
{
    std::vector<std::uint64_t> running;
    for (const auto& [id, where] : m_episodes) {
        const Episode& episode = where.first->episodes[slot(where.second)];
        if (episode.active && episode.visible && episode.id == id && !episode.acknowledged) {
            running.push_back(id);
        }
    }
    std::sort(running.begin(), running.end());
    for (const std::uint64_t id : running) {
        acknowledge(id);
    }
}

std::vector<AlertEvent> BaselineAlertEngine::activeAlerts() const
{
    std::vector<AlertEvent> alerts;
    const MonotonicTime now = m_clock.now();
    for (const auto& [key, subject] : m_subjects) {
        for (const AlertRuleKind kind : kAllKinds) {
            const Episode& episode = subject.episodes[slot(kind)];
            if (episode.active && episode.visible) {
                alerts.push_back(eventFor(subject, kind, AlertChange::Raised, now, {}));
            }
        }
    }
    std::sort(alerts.begin(), alerts.end(), [](const AlertEvent& a, const AlertEvent& b) { return a.episode < b.episode; });
    return alerts;
}

AlertEvent BaselineAlertEngine::eventFor(const Subject& subject, AlertRuleKind kind, AlertChange change, MonotonicTime tickAt,
                                 std::string_view prefix) const
{
    const Episode& episode = subject.episodes[slot(kind)];
    const AlertRule* rule = subject.rules[slot(kind)];
    AlertEvent event;
    event.episode = episode.id;
    event.change = change;
    event.level = episode.forcedEmergency ? AlertLevel::Emergency : episode.level;
    event.rule = kind;
    event.subject = subject.who;
    event.value = episode.value;
    if (rule) {
        const auto threshold = rule->threshold(episode.level);
        event.threshold = threshold.value_or(0.0);
        std::string words = describe(kind, episode.value, episode.level, threshold);
        if (change == AlertChange::Cleared) {
            words = "back to safety: " + describe(kind, episode.value, episode.level, std::nullopt);
        }
        event.message = prefix.empty() ? words : std::string(prefix) + " — " + words;
    } else {
        event.message = std::string(prefix);
    }
    event.markPrice = subject.mark;
    event.liquidationPrice = subject.liquidationPrice;
    event.distancePct = subject.distancePct;
    event.wallTimeMs = m_wallClockMs();
    event.tickReceivedAt = tickAt;
    event.decidedAt = m_clock.now();
    return event;
}

void BaselineAlertEngine::publish(Subject& subject, AlertRuleKind kind, AlertChange change, MonotonicTime tickAt,
                          std::string_view prefix)
{
    if (change == AlertChange::Raised || change == AlertChange::Escalated) {
        subject.episodes[slot(kind)].lastSaidAt = m_clock.now();
    }
    m_subscribers.publish(eventFor(subject, kind, change, tickAt, prefix));
}

} // namespace mm::bench
