#include "alerts/alert_engine.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>

namespace mm {
namespace {

constexpr std::array kAllKinds{AlertRuleKind::Distance,          AlertRuleKind::MarginRatio, AlertRuleKind::SigmaDistance,
                               AlertRuleKind::TimeToLiquidation, AlertRuleKind::Velocity,    AlertRuleKind::Stale};
/// The order reasons are listed in among equals: the trader's own thresholds first, then the
/// forecasts from the most concrete, then the data's health.
constexpr std::array kReasonOrder{AlertRuleKind::Distance,      AlertRuleKind::MarginRatio, AlertRuleKind::TimeToLiquidation,
                                  AlertRuleKind::SigmaDistance, AlertRuleKind::Velocity,    AlertRuleKind::Stale};
constexpr double kSecondsPerHour = 3600.0;
/// The least history the pace is measured over: less is noise.
constexpr std::chrono::seconds kMinimumDriftSpan{10};
/// The short window the pace is also measured over (the drift window is the long one).
constexpr std::chrono::seconds kFastDriftWindow{60};
/// How many of its own windows ahead a pace may be extrapolated.
constexpr double kForecastReach = 3.0;
/// How far out of the noise a drift must stand to count (time to liquidation, velocity): the move
/// over the window must exceed this many standard deviations of a driftless walk over it.
constexpr double kDriftSignificance = 2.0;
/// A margin ratio beyond this (%), or one that cannot be computed, is said as "no margin left".
constexpr double kNoMarginLeft = 1000.0;

std::size_t slot(AlertRuleKind kind) { return static_cast<std::size_t>(kind); }
std::size_t levelSlot(AlertLevel level) { return static_cast<std::size_t>(level) - 1; }

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

/// A span in words ("45 s", "6 min", "1.5 h"); only called with finite values.
std::string formatDuration(double seconds)
{
    if (seconds < 90) {
        return formatNumber(std::max(0.0, seconds), 0) + " s";
    }
    if (seconds < 90 * 60) {
        return formatNumber(seconds / 60, 0) + " min";
    }
    return formatNumber(seconds / 3600, 1) + " h";
}

std::string paceWindow(std::chrono::seconds window)
{
    const auto seconds = window.count();
    if (seconds % 60 == 0 && seconds >= 120) {
        return "the last " + std::to_string(seconds / 60) + " minutes' pace";
    }
    if (seconds == 60) {
        return "the last minute's pace";
    }
    return "the last " + std::to_string(seconds) + " s' pace";
}

/// A measure in a few words ("4.10 % to liquidation"); values are finite.
std::string describe(AlertRuleKind kind, double value, std::chrono::seconds driftWindow)
{
    switch (kind) {
    case AlertRuleKind::Distance:
        return value <= 0 ? std::string("at or beyond the liquidation price") : formatNumber(value, 2) + " % to liquidation";
    case AlertRuleKind::MarginRatio:
        return value >= kNoMarginLeft ? std::string("no margin left") : "margin ratio " + formatNumber(value, 1) + " %";
    case AlertRuleKind::SigmaDistance:
        return value <= 0 ? std::string("at or beyond the liquidation price")
                          : formatNumber(value, 1) + " σ of an hour's move from liquidation";
    case AlertRuleKind::TimeToLiquidation:
        return value <= 0 ? std::string("at the liquidation price")
                          : "liquidation in about " + formatDuration(value) + " at " + paceWindow(driftWindow);
    case AlertRuleKind::Velocity:
        return value <= 0 ? std::string("distance not shrinking")
                          : "distance shrinking " + formatNumber(value, 1) + " points a minute";
    case AlertRuleKind::Stale:
        return value < 0 ? std::string("mark prices arriving")
                         : "no mark price for " + formatDuration(value) + ": the figures shown may no longer be true";
    }
    return {};
}

/// An account's market-wide distance in words.
std::string describeMarketMove(double value, bool fall)
{
    return value <= 0 ? std::string("the cross margin at or beyond liquidation")
                      : "every mark " + std::string(fall ? "falling " : "rising ") + formatNumber(value, 2) +
                            " % together liquidates the cross margin";
}

/// A threshold in words ("critical below 5 %").
std::string describeThreshold(AlertRuleKind kind, AlertLevel level, double threshold)
{
    const std::string head = std::string(alertLevelName(level)) + (alertDirection(kind) == AlertDirection::Below ? " below " : " at ");
    switch (kind) {
    case AlertRuleKind::Distance: return head + formatNumber(threshold, 1) + " %";
    case AlertRuleKind::MarginRatio: return head + formatNumber(threshold, 0) + " %";
    case AlertRuleKind::SigmaDistance: return head + formatNumber(threshold, 1) + " σ";
    case AlertRuleKind::TimeToLiquidation: return head + formatDuration(threshold);
    case AlertRuleKind::Velocity: return head + formatNumber(threshold, 1) + " points a minute";
    case AlertRuleKind::Stale: return head + formatDuration(threshold);
    }
    return {};
}

AlertLevel louder(AlertLevel level)
{
    return level == AlertLevel::Warning ? AlertLevel::Critical : AlertLevel::Emergency;
}

} // namespace

AlertEngine::AlertEngine(const Monitor& monitor, const Clock& clock, AlertPolicy policy)
    : m_monitor(monitor), m_clock(clock), m_policy(std::move(policy)), m_wallClockMs(systemWallClockMs),
      // Episode ids count on from the engine's start time in µs: an engine rebuilt later in the run,
      // or in the next run, never reuses one — and so never a client order id made from one.
      m_nextEpisode(static_cast<std::uint64_t>(systemWallClockMs()) * 1000)
{
}

void AlertEngine::setPolicy(AlertPolicy policy)
{
    m_policy = std::move(policy);
    for (auto& [key, subject] : m_subjects) {
        assignRules(subject);
    }
}

std::unique_ptr<Subscription> AlertEngine::attach(Monitor& monitor)
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

AlertEngine::AccountSubjects& AlertEngine::subjectsOf(std::size_t account)
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

void AlertEngine::rebuild(std::size_t account)
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
    std::set<std::string_view> crossSymbols;
    for (const Position& position : portfolio.positions) {
        if (position.marginMode == MarginMode::Cross) {
            crossSymbols.insert(position.symbol);
        }
    }
    subjects.crossSymbols = crossSymbols.size();

    const auto make = [&](SubjectKey key) -> Subject& {
        auto [it, added] = m_subjects.try_emplace(std::move(key));
        if (added) {
            it->second.distance = RecentSeries(std::max(m_policy.driftWindow, kFastDriftWindow), std::chrono::seconds(1));
            it->second.paceWindow = m_policy.driftWindow;
        }
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
    // A position gone from the account ends its episode: there is nothing left to liquidate.
    for (auto it = m_subjects.begin(); it != m_subjects.end();) {
        if (std::get<0>(it->first) != account || it->second.seen) {
            ++it;
            continue;
        }
        if (it->second.episode.active) {
            end(it->second, now, "position closed");
        }
        m_episodes.erase(it->second.episode.id);
        it = m_subjects.erase(it);
    }
    relinkSymbols();
}

void AlertEngine::relinkSymbols()
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

void AlertEngine::assignRules(Subject& subject)
{
    for (const AlertRuleKind kind : kAllKinds) {
        // The account: its cross margin ratio, and its market-wide distance against the trader's
        // distance thresholds (a crash moves every mark; the forecasts are the positions' business).
        const bool applies = subject.who.position ? (kind != AlertRuleKind::MarginRatio || subject.isolated)
                                                  : kind == AlertRuleKind::MarginRatio || kind == AlertRuleKind::Distance;
        subject.rules[slot(kind)] = applies ? m_policy.ruleFor(kind, subject.who.accountLabel, subject.who.symbol) : nullptr;
        if (!subject.rules[slot(kind)]) {
            subject.measures[slot(kind)] = Measure{};
        }
    }
}

void AlertEngine::onRisk(const RiskSnapshot& snapshot)
{
    AccountSubjects& subjects = subjectsOf(snapshot.account);
    const MonotonicTime now = m_clock.now();
    ++m_evaluations;
    if (subjects.account) {
        // Only an account with cross positions has a cross margin ratio to watch.
        const bool hasCross = snapshot.accountRisk.requirement > Decimal() || snapshot.accountRisk.liquidationDue;
        Subject& account = *subjects.account;
        measure(account, AlertRuleKind::MarginRatio,
                hasCross ? std::optional(snapshot.accountRisk.marginRatio * 100.0) : std::optional(0.0));
        // The market-wide distance says something of its own only across two symbols or more: with
        // one, it is that symbol's position's own distance, which the position already says.
        const auto move = hasCross && subjects.crossSymbols >= 2 ? marketWideMove(snapshot.accountRisk) : std::nullopt;
        account.distancePct = move ? std::optional(move->pct) : std::nullopt;
        account.marketFall = !move || move->fall;
        measure(account, AlertRuleKind::Distance, account.distancePct);
        decide(account, now, snapshot.tickReceivedAt);
    }
    const Portfolio& portfolio = m_monitor.portfolio(snapshot.account);
    for (const auto& [index, risk] : snapshot.positions) {
        if (index >= subjects.byPosition.size() || !subjects.byPosition[index]) {
            continue;
        }
        Subject& subject = *subjects.byPosition[index];
        subject.mark = portfolio.positions[index].markPrice.toDouble();
        measurePosition(subject, risk, now);
        decide(subject, now, snapshot.tickReceivedAt);
    }
}

void AlertEngine::measurePosition(Subject& subject, const PositionRisk& risk, MonotonicTime now)
{
    const double mark = *subject.mark;
    subject.liquidationPrice = risk.liquidationPrice;
    subject.distancePct = risk.distanceToLiquidationPct;
    if (subject.symbol) {
        subject.symbol->motion.add(now, mark);
    }
    const MarkMotion* motion = subject.symbol ? &subject.symbol->motion : nullptr;
    const std::optional<double> noise = motion ? motion->volatilityPerSqrtSecond() : std::nullopt;

    // No liquidation price: no price of this symbol liquidates it — as safe as a position gets, and
    // no measure below can breach (each is left unmeasured rather than infinite).
    const bool liquidable = risk.liquidationPrice && *risk.liquidationPrice > 0 && mark > 0 &&
                            risk.distanceToLiquidationPct && std::isfinite(*risk.distanceToLiquidationPct);
    if (liquidable) {
        subject.distance.add(now, *risk.distanceToLiquidationPct);
    }
    measure(subject, AlertRuleKind::Distance, liquidable ? risk.distanceToLiquidationPct : std::nullopt);
    if (subject.isolated) {
        const double ratio = risk.marginRatio * 100.0;
        measure(subject, AlertRuleKind::MarginRatio, std::isfinite(ratio) ? std::min(ratio, kNoMarginLeft) : kNoMarginLeft);
    }
    if (!liquidable) {
        measure(subject, AlertRuleKind::SigmaDistance, std::nullopt);
        measure(subject, AlertRuleKind::TimeToLiquidation, std::nullopt);
        measure(subject, AlertRuleKind::Velocity, std::nullopt);
        return;
    }
    const double liquidation = *risk.liquidationPrice;
    const bool beyond = *risk.distanceToLiquidationPct <= 0;
    // The log distance to liquidation: how far the price must move, in the units the noise is in.
    const double logDistance = beyond ? 0.0 : std::abs(std::log(liquidation / mark));
    // +1 when liquidation lies above the mark (a short's), −1 below (a long's).
    const double towardsLiquidation = liquidation > mark ? 1.0 : -1.0;

    // σ distance: the log distance over the standard deviation of an hour's move of the noise — the
    // drift kept apart (price_motion.h), so neither a crash's trend nor its direction counts here.
    std::optional<double> sigmas;
    if (beyond) {
        sigmas = 0.0;
    } else if (noise && *noise > 0) {
        sigmas = logDistance / (*noise * std::sqrt(kSecondsPerHour));
    }

    // The pace: the mark's log drift, counted only when it moves toward liquidation and stands out
    // of the noise (more than kDriftSignificance σ of a driftless walk over the same span). A short is
    // not in danger because the market falls; a random walk always has some drift, and extrapolating
    // it would cry wolf all day. Measured over the last minute and over the drift window: the faster
    // of the two that counts — the minute sees a crash start, the window a steady slide.
    struct Pace {
        double perSecond = 0; ///< log distance lost per second toward liquidation; 0: none
        std::chrono::seconds window{};
    };
    std::optional<Pace> pace;
    std::optional<double> shrinking;
    if (noise && motion) {
        // The minute does not count while the drift window slides significantly the other way: a
        // bounce inside a slide away from liquidation is the noise of that slide, not a new danger.
        const auto slide = motion->logDrift(now, m_policy.driftWindow, kMinimumDriftSpan);
        const bool slideTowards = !slide || slide->by * towardsLiquidation > 0 ||
                                  std::abs(slide->by) <= kDriftSignificance * *noise * std::sqrt(slide->seconds);
        for (const std::chrono::seconds window : {kFastDriftWindow, m_policy.driftWindow}) {
            const auto drift = window == m_policy.driftWindow ? slide : motion->logDrift(now, window, kMinimumDriftSpan);
            if (!drift || (window != m_policy.driftWindow && !slideTowards)) {
                continue;
            }
            const double towards = drift->by * towardsLiquidation;
            const bool significant = std::abs(drift->by) > kDriftSignificance * *noise * std::sqrt(drift->seconds);
            const double perSecond = towards > 0 && significant ? towards / drift->seconds : 0.0;
            // A pace is extrapolated at most kForecastReach times its own window ahead: a minute's
            // pace says little about the next ten.
            const double reach = kForecastReach * std::chrono::duration<double>(window).count();
            if (perSecond > 0 && logDistance / perSecond <= reach && (!pace || perSecond > pace->perSecond)) {
                pace = Pace{perSecond, window};
            }
            // Velocity: points of distance lost per minute over the drift window — the distance's own
            // change (it also moves with a cross account's other marks), while the pace runs toward
            // liquidation.
            if (window == m_policy.driftWindow) {
                shrinking = 0.0;
                if (perSecond > 0) {
                    if (const auto slope = subject.distance.slopePerSecond(now, window, kMinimumDriftSpan)) {
                        shrinking = std::max(0.0, -*slope * 60.0);
                    }
                }
            }
        }
    }
    std::optional<double> timeLeft;
    if (beyond) {
        timeLeft = 0.0;
    } else if (pace) {
        timeLeft = logDistance / pace->perSecond;
        subject.paceWindow = pace->window;
    }
    measure(subject, AlertRuleKind::SigmaDistance, sigmas);
    measure(subject, AlertRuleKind::TimeToLiquidation, timeLeft);
    measure(subject, AlertRuleKind::Velocity, shrinking);
}

void AlertEngine::onFeed(const FeedStatus& status)
{
    const auto it = m_symbols.find(std::pair{status.venue, status.symbol});
    if (it == m_symbols.end()) {
        return;
    }
    it->second.state = status.state;
    it->second.lastTickAt = status.lastTickAt;
    const MonotonicTime now = m_clock.now();
    for (Subject* subject : it->second.subjects) {
        measureStale(*subject, now);
        decide(*subject, now, now);
    }
}

void AlertEngine::measureStale(Subject& subject, MonotonicTime now)
{
    if (!subject.symbol) {
        return;
    }
    const SymbolState& symbol = *subject.symbol;
    const double silent = symbol.state == FeedState::Stale ? std::chrono::duration<double>(now - symbol.lastTickAt).count() : -1.0;
    measure(subject, AlertRuleKind::Stale, silent);
}

void AlertEngine::measure(Subject& subject, AlertRuleKind kind, std::optional<double> value)
{
    const AlertRule* rule = subject.rules[slot(kind)];
    Measure& measured = subject.measures[slot(kind)];
    if (!rule) {
        measured = Measure{};
        return;
    }
    if (!value || !std::isfinite(*value)) {
        // Not measurable now: the measure keeps no level of its own (the others decide).
        measured = Measure{};
        return;
    }
    measured.measured = true;
    measured.value = *value;
    const std::optional<AlertLevel> breached = rule->levelAt(*value);
    // Louder at once; milder only past the re-arm band.
    if (!measured.level || (breached && *breached > *measured.level)) {
        measured.level = breached;
        return;
    }
    AlertLevel held = *measured.level;
    while (rule->recoveredFrom(held, *value) && (!breached || *breached < held)) {
        if (held == AlertLevel::Warning) {
            measured.level.reset();
            return;
        }
        held = static_cast<AlertLevel>(static_cast<int>(held) - 1);
    }
    measured.level = held;
}

std::optional<AlertLevel> AlertEngine::levelNow(const Subject& subject) const
{
    const auto worst = [](std::optional<AlertLevel> a, std::optional<AlertLevel> b) {
        if (!a) {
            return b;
        }
        return b && *b > *a ? b : a;
    };
    std::optional<AlertLevel> own;      // the trader's own thresholds
    std::optional<AlertLevel> forecast; // σ, time, velocity
    std::optional<AlertLevel> data;     // stale marks
    for (const AlertRuleKind kind : kAllKinds) {
        const Measure& measured = subject.measures[slot(kind)];
        if (!measured.measured || !measured.level) {
            continue;
        }
        if (isForecast(kind)) {
            forecast = worst(forecast, measured.level);
        } else if (kind == AlertRuleKind::Stale) {
            data = worst(data, measured.level);
        } else {
            own = worst(own, measured.level);
        }
    }
    // A forecast brings the next level forward; it never skips one.
    if (forecast) {
        const AlertLevel cap = own ? louder(*own) : AlertLevel::Warning;
        forecast = std::min(*forecast, cap);
    }
    return worst(worst(own, forecast), data);
}

void AlertEngine::decide(Subject& subject, MonotonicTime now, MonotonicTime tickAt)
{
    Episode& episode = subject.episode;
    const std::optional<AlertLevel> level = levelNow(subject);
    if (level) {
        for (int l = 1; l <= static_cast<int>(*level); ++l) {
            episode.lastAt[levelSlot(static_cast<AlertLevel>(l))] = now;
        }
    }
    if (!episode.active) {
        if (!level) {
            return;
        }
        m_episodes.erase(episode.id);
        const auto lastAt = episode.lastAt;
        episode = Episode{};
        episode.id = ++m_nextEpisode;
        m_episodes[episode.id] = &subject;
        episode.active = true;
        episode.level = *level;
        episode.lastAt = lastAt;
        episode.criticalSince = now;
        publish(subject, AlertChange::Raised, tickAt);
        return;
    }
    const AlertLevel before = episode.forcedEmergency ? AlertLevel::Emergency : episode.level;
    if (level && *level > episode.level) {
        if (episode.level < AlertLevel::Critical && *level >= AlertLevel::Critical) {
            episode.criticalSince = now;
        }
        episode.level = *level;
        const AlertLevel loudness = episode.forcedEmergency ? AlertLevel::Emergency : episode.level;
        if (loudness <= before) {
            return; // already as loud, for want of an answer
        }
        const bool answered = (episode.acknowledged && loudness <= *episode.acknowledged) ||
                              (episode.snoozedUntil && loudness <= episode.snoozedLevel);
        if (!answered) {
            publish(subject, AlertChange::Escalated, tickAt);
        }
        return;
    }
    // Quieter only once the danger stayed below a level for the cooldown: the level shown is the
    // worst of the last cooldown, and none left of it ends the episode.
    std::optional<AlertLevel> recent;
    for (int l = static_cast<int>(episode.level); l >= 1; --l) {
        const auto candidate = static_cast<AlertLevel>(l);
        if (now - episode.lastAt[levelSlot(candidate)] < m_policy.cooldown) {
            recent = candidate;
            break;
        }
    }
    if (!recent) {
        end(subject, tickAt, {});
        return;
    }
    if (*recent < episode.level) {
        episode.level = *recent;
        if (episode.level < AlertLevel::Critical) {
            episode.forcedEmergency = false;
        }
        publish(subject, AlertChange::Eased, tickAt);
    }
}

void AlertEngine::end(Subject& subject, MonotonicTime tickAt, std::string_view why)
{
    Episode& episode = subject.episode;
    episode.active = false;
    episode.forcedEmergency = false;
    episode.snoozedUntil.reset();
    publish(subject, AlertChange::Cleared, tickAt, why);
    episode.acknowledged.reset();
}

void AlertEngine::checkTimers()
{
    const MonotonicTime now = m_clock.now();
    for (auto& [key, subject] : m_subjects) {
        if (subject.symbol && subject.symbol->state == FeedState::Stale) {
            measureStale(subject, now);
        }
        Episode& episode = subject.episode;
        if (!episode.active && !(subject.symbol && subject.symbol->state == FeedState::Stale)) {
            continue;
        }
        decide(subject, now, now);
        if (!episode.active) {
            continue;
        }
        if (episode.snoozedUntil && now >= *episode.snoozedUntil) {
            episode.snoozedUntil.reset();
            if (!episode.acknowledged) {
                publish(subject, AlertChange::Raised, now, "snooze over");
            }
        }
        if (m_policy.escalateAfter.count() > 0 && !episode.forcedEmergency && episode.level == AlertLevel::Critical &&
            !episode.acknowledged && !episode.snoozedUntil && now - episode.criticalSince >= m_policy.escalateAfter) {
            episode.forcedEmergency = true;
            const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(m_policy.escalateAfter).count();
            publish(subject, AlertChange::Escalated, now,
                    "critical for " + std::to_string(seconds) + " s without acknowledgement");
        }
    }
}

bool AlertEngine::acknowledge(std::uint64_t episodeId)
{
    const auto it = m_episodes.find(episodeId);
    if (it == m_episodes.end()) {
        return false;
    }
    Subject& subject = *it->second;
    Episode& episode = subject.episode;
    if (!episode.active || episode.id != episodeId) {
        return false;
    }
    episode.acknowledged = episode.forcedEmergency ? AlertLevel::Emergency : episode.level;
    episode.snoozedUntil.reset();
    publish(subject, AlertChange::Acknowledged, m_clock.now());
    return true;
}

bool AlertEngine::snooze(std::uint64_t episodeId, std::chrono::seconds duration)
{
    const auto it = m_episodes.find(episodeId);
    if (it == m_episodes.end()) {
        return false;
    }
    Subject& subject = *it->second;
    Episode& episode = subject.episode;
    if (!episode.active || episode.id != episodeId) {
        return false;
    }
    const MonotonicTime now = m_clock.now();
    episode.snoozedUntil = now + duration;
    // Quiet at the level snoozed, as for an acknowledgement, until the snooze ends.
    episode.snoozedLevel = episode.forcedEmergency ? AlertLevel::Emergency : episode.level;
    publish(subject, AlertChange::Snoozed, now, "snoozed for " + formatDuration(static_cast<double>(duration.count())));
    return true;
}

void AlertEngine::acknowledgeAll()
{
    std::vector<std::uint64_t> running;
    for (const auto& [id, subject] : m_episodes) {
        const Episode& episode = subject->episode;
        if (episode.active && episode.id == id && !episode.acknowledged) {
            running.push_back(id);
        }
    }
    std::sort(running.begin(), running.end());
    for (const std::uint64_t id : running) {
        acknowledge(id);
    }
}

std::vector<AlertEvent> AlertEngine::activeAlerts() const
{
    std::vector<AlertEvent> alerts;
    const MonotonicTime now = m_clock.now();
    for (const auto& [key, subject] : m_subjects) {
        if (subject.episode.active) {
            alerts.push_back(eventFor(subject, AlertChange::Raised, now, {}));
        }
    }
    std::sort(alerts.begin(), alerts.end(), [](const AlertEvent& a, const AlertEvent& b) { return a.episode < b.episode; });
    return alerts;
}

std::vector<AlertReason> AlertEngine::reasonsOf(const Subject& subject) const
{
    std::vector<AlertReason> reasons;
    for (const AlertRuleKind kind : kReasonOrder) {
        const Measure& measured = subject.measures[slot(kind)];
        const AlertRule* rule = subject.rules[slot(kind)];
        if (!rule || !measured.measured || !measured.level) {
            continue;
        }
        AlertReason reason;
        reason.rule = kind;
        reason.level = *measured.level;
        reason.value = measured.value;
        reason.threshold = rule->threshold(*measured.level);
        reason.text = !subject.who.position && kind == AlertRuleKind::Distance
                          ? describeMarketMove(measured.value, subject.marketFall)
                          : describe(kind, measured.value, subject.paceWindow);
        reasons.push_back(std::move(reason));
    }
    std::stable_sort(reasons.begin(), reasons.end(), [](const AlertReason& a, const AlertReason& b) { return a.level > b.level; });
    return reasons;
}

AlertEvent AlertEngine::eventFor(const Subject& subject, AlertChange change, MonotonicTime tickAt, std::string_view prefix) const
{
    const Episode& episode = subject.episode;
    AlertEvent event;
    event.episode = episode.id;
    event.change = change;
    event.level = episode.forcedEmergency ? AlertLevel::Emergency : episode.level;
    event.subject = subject.who;
    if (change != AlertChange::Cleared) {
        event.reasons = reasonsOf(subject);
    }
    // The lead: the first reason; once cleared (or easing with nothing breached), the subject's
    // first measure there is — the distance (for an account: the market-wide one), else the margin ratio.
    std::string words;
    if (!event.reasons.empty()) {
        const AlertReason& lead = event.reasons.front();
        event.rule = lead.rule;
        event.value = lead.value;
        event.threshold = lead.threshold.value_or(0.0);
        for (std::size_t i = 0; i < event.reasons.size(); ++i) {
            const AlertReason& reason = event.reasons[i];
            words += (i == 0 ? "" : " · ") + reason.text;
            if (i == 0 && reason.threshold) {
                words += " (" + describeThreshold(reason.rule, reason.level, *reason.threshold) + ")";
            }
        }
    } else {
        for (const AlertRuleKind kind : kReasonOrder) {
            const Measure& measured = subject.measures[slot(kind)];
            if (measured.measured && kind != AlertRuleKind::Stale) {
                event.rule = kind;
                event.value = measured.value;
                words = !subject.who.position && kind == AlertRuleKind::Distance
                            ? describeMarketMove(measured.value, subject.marketFall)
                            : describe(kind, measured.value, subject.paceWindow);
                break;
            }
        }
        if (change == AlertChange::Cleared) {
            words = words.empty() ? std::string("back to safety") : "back to safety: " + words;
        } else if (change == AlertChange::Eased) {
            words = words.empty() ? std::string("no measure at warning now") : "no measure at warning now: " + words;
        }
    }
    event.message = prefix.empty() ? words : std::string(prefix) + (words.empty() ? "" : " — " + words);
    event.markPrice = subject.mark;
    event.liquidationPrice = subject.liquidationPrice;
    event.distancePct = subject.distancePct;
    if (event.distancePct && !std::isfinite(*event.distancePct)) {
        event.distancePct.reset();
    }
    event.wallTimeMs = m_wallClockMs();
    event.tickReceivedAt = tickAt;
    event.decidedAt = m_clock.now();
    return event;
}

void AlertEngine::publish(Subject& subject, AlertChange change, MonotonicTime tickAt, std::string_view prefix)
{
    m_subscribers.publish(eventFor(subject, change, tickAt, prefix));
}

} // namespace mm
