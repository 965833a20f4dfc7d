// The alert engine on a Monitor driven by hand: levels, hysteresis, cooldown, acknowledgement,
// snooze, escalation, stale marks, the account's margin ratio, drift, velocity and σ measures.
#include "alerts/alert_engine.h"
#include "portfolio/portfolio_file.h"

#include <QtTest>

#include <cmath>
#include <random>

using namespace mm;
using namespace std::chrono_literals;

namespace {

// One Binance long, cross, alone in its account: its liquidation price does not move with its mark.
constexpr const char* kLong = R"({"venue":"binance-usdm","label":"main","walletBalance":"1000","positions":[
    {"symbol":"BTCUSDT","side":"long","quantity":"0.2","entryPrice":"60000","markPrice":"60000"}]})";

AlertRule onlyRule(AlertRuleKind kind, std::optional<double> warning, std::optional<double> critical,
                   std::optional<double> emergency, double rearm)
{
    AlertRule rule;
    rule.kind = kind;
    rule.warning = warning;
    rule.critical = critical;
    rule.emergency = emergency;
    rule.rearm = rearm;
    return rule;
}

/// The rules given, with a cooldown of 5 minutes (the timings below are written for it).
AlertPolicy policyOf(std::vector<AlertRule> rules)
{
    AlertPolicy policy;
    policy.rules = std::move(rules);
    policy.cooldown = std::chrono::seconds(300);
    return policy;
}

struct Bench {
    ManualClock clock;
    Monitor monitor{clock};
    std::unique_ptr<AlertEngine> engine;
    std::unique_ptr<Subscription> attached;
    std::unique_ptr<Subscription> listening;
    std::vector<AlertEvent> events;
    double liquidation = 0;

    explicit Bench(AlertPolicy policy, const char* portfolio = kLong)
    {
        monitor.addAccount(readPortfolio(portfolio));
        engine = std::make_unique<AlertEngine>(monitor, clock, std::move(policy));
        engine->setWallClock([] { return std::int64_t{1'700'000'000'000}; });
        attached = engine->attach(monitor);
        listening = engine->onAlert([this](const AlertEvent& event) { events.push_back(event); });
        liquidation = *monitor.evaluate(0).positions.at(0).liquidationPrice;
    }
    void mark(double price, const char* symbol = "BTCUSDT")
    {
        MarkTick tick;
        tick.venue = Venue::BinanceUsdm;
        tick.symbol = symbol;
        char text[64];
        std::snprintf(text, sizeof text, "%.4f", price);
        tick.markPrice = Decimal::parse(text);
        tick.receivedAt = clock.now();
        monitor.applyTick(tick);
    }
    /// The mark at which the long is `pct` % of the mark from its liquidation price.
    [[nodiscard]] double markAtDistance(double pct) const { return liquidation / (1.0 - pct / 100.0); }
    void distance(double pct) { mark(markAtDistance(pct)); }
    void pass(std::chrono::milliseconds span)
    {
        clock.advance(span);
        engine->checkTimers();
    }
    std::vector<AlertEvent> take() { return std::exchange(events, {}); }
};


/// A market on a manual clock for the crash paths: 20 minutes of a seeded random walk at a
/// crash-day noise (σ = 0.025 % per √s, 1.5 % an hour), then the whole market −12 % over 90 s
/// (linear in price, the walk on top), then 10 minutes more of the walk at the bottom. One mark a
/// second. Positions are isolated on BTCUSDT, entered at 60,000 with the leverage given.
struct CrashPath {
    ManualClock clock;
    Monitor monitor{clock};
    std::unique_ptr<AlertEngine> engine;
    std::unique_ptr<Subscription> attached;
    std::unique_ptr<Subscription> listening;
    std::vector<AlertEvent> events;
    std::vector<double> liquidation; ///< per account
    double crashStartedAt = 0;       ///< seconds
    double lastMark = 60000;

    explicit CrashPath(std::vector<std::pair<const char*, double>> positions) // (side, leverage)
    {
        for (const auto& [side, leverage] : positions) {
            const std::string portfolio = std::string(R"({"venue":"binance-usdm","label":")") + side + "-" + std::to_string(leverage) +
                                          R"(","walletBalance":"0","positions":[{"symbol":"BTCUSDT","side":")" + side +
                                          R"(","quantity":"0.2","entryPrice":"60000","markPrice":"60000","marginMode":"isolated","leverage":)" +
                                          std::to_string(leverage) + "}]}";
            const std::size_t account = monitor.addAccount(readPortfolio(portfolio));
            liquidation.push_back(*monitor.evaluate(account).positions.at(0).liquidationPrice);
        }
        engine = std::make_unique<AlertEngine>(monitor, clock, defaultAlertPolicy());
        engine->setWallClock([this] { return std::chrono::duration_cast<std::chrono::milliseconds>(clock.now().time_since_epoch()).count(); });
        attached = engine->attach(monitor);
        listening = engine->onAlert([this](const AlertEvent& event) { events.push_back(event); });
    }
    void run()
    {
        std::mt19937_64 random(20210519);
        std::normal_distribution<double> step(0.0, 0.00025);
        double walk = 0; // log
        const int calm = 20 * 60;
        const int fall = 90;
        crashStartedAt = calm;
        for (int second = 0; second < calm + fall + 600; ++second) {
            walk += step(random);
            const double into = std::clamp((second - calm) / double(fall), 0.0, 1.0);
            lastMark = 60000.0 * (1.0 - 0.12 * into) * std::exp(walk);
            MarkTick tick;
            tick.venue = Venue::BinanceUsdm;
            tick.symbol = "BTCUSDT";
            char text[64];
            std::snprintf(text, sizeof text, "%.2f", lastMark);
            tick.markPrice = Decimal::parse(text);
            tick.receivedAt = clock.now();
            monitor.applyTick(tick);
            monitor.checkFreshness();
            engine->checkTimers();
            clock.advance(1s);
        }
    }
    [[nodiscard]] std::vector<AlertEvent> of(std::size_t account) const
    {
        std::vector<AlertEvent> found;
        for (const AlertEvent& event : events) {
            if (event.subject.account == account && event.subject.position) {
                found.push_back(event);
            }
        }
        return found;
    }
};

} // namespace

class TestAlertEngine : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void levelAtThresholds_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<double>("value");
        QTest::addColumn<int>("level"); // 0 = none

        const int distance = static_cast<int>(AlertRuleKind::Distance);
        const int ratio = static_cast<int>(AlertRuleKind::MarginRatio);
        QTest::newRow("distance safe") << distance << 10.0 << 0;
        QTest::newRow("distance just inside warning") << distance << 9.99 << 1;
        QTest::newRow("distance at critical is not yet critical") << distance << 5.0 << 1;
        QTest::newRow("distance critical") << distance << 4.9 << 2;
        QTest::newRow("distance emergency") << distance << 1.0 << 3;
        QTest::newRow("distance beyond liquidation") << distance << -3.0 << 3;
        QTest::newRow("distance unknown (NaN)") << distance << std::nan("") << 0;
        QTest::newRow("ratio safe") << ratio << 69.9 << 0;
        QTest::newRow("ratio at warning") << ratio << 70.0 << 1;
        QTest::newRow("ratio critical") << ratio << 90.0 << 2;
        QTest::newRow("ratio infinite (no margin left)") << ratio << std::numeric_limits<double>::infinity() << 3;
    }
    void levelAtThresholds()
    {
        QFETCH(int, kind);
        QFETCH(double, value);
        QFETCH(int, level);
        const AlertPolicy defaults = defaultAlertPolicy();
        const AlertRule* rule = defaults.ruleFor(static_cast<AlertRuleKind>(kind), "any", "ANY");
        QVERIFY(rule);
        const auto found = rule->levelAt(value);
        QCOMPARE(found ? static_cast<int>(*found) : 0, level);
    }

    void crossAccountSaysTheMarketWideDistance()
    {
        // A cross account holding longs on two symbols at 10×: each position alone is about 19 %
        // from liquidation (the other mark holding), but every mark falling together about 9.5 %
        // liquidates the account. The account says so in its own voice; the positions stay quiet.
        constexpr const char* kTwoLongs = R"({"venue":"binance-usdm","label":"cross","walletBalance":"1200","positions":[
            {"symbol":"BTCUSDT","side":"long","quantity":"0.1","entryPrice":"60000","markPrice":"60000"},
            {"symbol":"ETHUSDT","side":"long","quantity":"2","entryPrice":"3000","markPrice":"3000"}]})";
        Bench bench(defaultAlertPolicy(), kTwoLongs);
        const auto evaluated = bench.monitor.evaluate(0);
        const auto move = marketWideMove(evaluated.account);
        QVERIFY(move);
        QVERIFY(move->fall);
        QVERIFY(move->pct > 9.0 && move->pct < 10.0);
        QVERIFY(*evaluated.positions[0].distanceToLiquidationPct > 15.0);
        bench.mark(60000);
        std::vector<AlertEvent> events = bench.take();
        QCOMPARE(events.size(), std::size_t{1});
        QVERIFY(!events[0].subject.position);
        QCOMPARE(events[0].change, AlertChange::Raised);
        QCOMPARE(events[0].level, AlertLevel::Warning);
        QCOMPARE(events[0].rule, AlertRuleKind::Distance);
        QVERIFY2(events[0].message.find("every mark falling 9.") == 0, events[0].message.c_str());
        QVERIFY2(events[0].message.find("% together liquidates the cross margin (warning below 10.0 %)") != std::string::npos,
                 events[0].message.c_str());
        QVERIFY(events[0].distancePct && std::abs(*events[0].distancePct - move->pct) < 1e-9);
        // Both marks 5 % lower: about 4.8 % left in a common fall — the account critical; each
        // position, with the other's loss taken, now under 10 % on its own: a warning at most.
        bench.pass(std::chrono::seconds(1));
        bench.mark(57000);
        bench.mark(2850, "ETHUSDT");
        events = bench.take();
        const auto account = std::find_if(events.begin(), events.end(), [](const AlertEvent& event) {
            return !event.subject.position && event.level == AlertLevel::Critical;
        });
        QVERIFY(account != events.end());
        QCOMPARE(account->change, AlertChange::Escalated);
        QVERIFY(account->sounds());
        for (const AlertEvent& event : events) {
            QVERIFY2(!event.subject.position || event.level == AlertLevel::Warning, event.message.c_str());
        }
    }

    void defaultsAreValid()
    {
        const AlertPolicy defaults = defaultAlertPolicy();
        QVERIFY2(defaults.problems().empty(), defaults.problems().empty() ? "" : defaults.problems().front().c_str());
        QCOMPARE(defaults.rules.size(), std::size_t{6});
    }

    void problemsNamed_data()
    {
        QTest::addColumn<QString>("expected");
        QTest::addColumn<int>("variant");
        QTest::newRow("no threshold") << "no threshold" << 0;
        QTest::newRow("critical safer than warning") << "must not be above" << 1;
        QTest::newRow("negative band") << "re-arm band" << 2;
        QTest::newRow("account rule without account") << "account's label" << 3;
        QTest::newRow("position rule without symbol") << "needs the symbol" << 4;
        QTest::newRow("ratio critical below warning") << "must not be below" << 5;
    }
    void problemsNamed()
    {
        QFETCH(QString, expected);
        QFETCH(int, variant);
        AlertRule rule = onlyRule(AlertRuleKind::Distance, 10.0, 5.0, 2.0, 1.0);
        switch (variant) {
        case 0: rule.warning = rule.critical = rule.emergency = std::nullopt; break;
        case 1: rule.critical = 12.0; break;
        case 2: rule.rearm = -1; break;
        case 3: rule.scope = AlertScope::Account; break;
        case 4: rule.scope = AlertScope::Position; rule.account = "main"; break;
        case 5: rule = onlyRule(AlertRuleKind::MarginRatio, 70.0, 60.0, std::nullopt, 0); break;
        }
        const AlertPolicy policy = policyOf({rule});
        QCOMPARE(policy.problems().size(), std::size_t{1});
        QVERIFY2(QString::fromStdString(policy.problems().front()).contains(expected), policy.problems().front().c_str());
        QVERIFY(QString::fromStdString(policy.problems().front()).startsWith("rule 1 (distance") || variant == 5);
        QCOMPARE(policy.ruleFor(rule.kind, "main", "BTCUSDT"), nullptr); // a broken rule never applies
    }

    void mostSpecificRuleWins()
    {
        AlertRule all = onlyRule(AlertRuleKind::Distance, 10.0, 5.0, 2.0, 1.0);
        AlertRule account = onlyRule(AlertRuleKind::Distance, 20.0, 10.0, 5.0, 1.0);
        account.scope = AlertScope::Account;
        account.account = "main";
        AlertRule position = onlyRule(AlertRuleKind::Distance, 30.0, 20.0, 10.0, 1.0);
        position.scope = AlertScope::Position;
        position.account = "main";
        position.symbol = "BTCUSDT";
        const AlertPolicy policy = policyOf({position, account, all});
        QCOMPARE(*policy.ruleFor(AlertRuleKind::Distance, "main", "BTCUSDT")->warning, 30.0);
        QCOMPARE(*policy.ruleFor(AlertRuleKind::Distance, "main", "ETHUSDT")->warning, 20.0);
        QCOMPARE(*policy.ruleFor(AlertRuleKind::Distance, "other", "BTCUSDT")->warning, 10.0);
        QCOMPARE(policy.ruleFor(AlertRuleKind::Velocity, "main", "BTCUSDT"), nullptr);
    }

    void raisedThenEscalatedInOneEpisode()
    {
        Bench bench(policyOf({onlyRule(AlertRuleKind::Distance, 10.0, 5.0, 2.0, 1.0)}));
        bench.distance(15);
        QCOMPARE(bench.events.size(), std::size_t{0});
        bench.distance(9);
        bench.distance(8);
        bench.distance(4);
        bench.distance(1.5);
        const auto events = bench.take();
        QCOMPARE(events.size(), std::size_t{3});
        QCOMPARE(events[0].change, AlertChange::Raised);
        QCOMPARE(events[0].level, AlertLevel::Warning);
        QCOMPARE(events[1].change, AlertChange::Escalated);
        QCOMPARE(events[1].level, AlertLevel::Critical);
        QCOMPARE(events[2].level, AlertLevel::Emergency);
        QCOMPARE(events[0].episode, events[2].episode);
        QCOMPARE(events[0].subject.symbol, std::string("BTCUSDT"));
        QCOMPARE(events[0].subject.accountLabel, std::string("main"));
        QCOMPARE(*events[0].subject.position, std::size_t{0});
        QCOMPARE(events[0].subject.side, std::optional(Side::Long));
        QCOMPARE(events[0].wallTimeMs, std::int64_t{1'700'000'000'000});
        QVERIFY(std::abs(*events[0].distancePct - 9.0) < 0.01);
        QVERIFY(std::abs(*events[0].liquidationPrice - bench.liquidation) < 1e-6);
        QVERIFY(std::abs(events[2].value - 1.5) < 0.01);
        QCOMPARE(events[2].threshold, 2.0);
        QVERIFY2(QString::fromStdString(events[1].message).contains("% to liquidation (critical below 5.0 %)"),
                 events[1].message.c_str());
        QCOMPARE(bench.engine->activeAlerts().size(), std::size_t{1});
    }

    void hysteresisHoldsOneEpisode()
    {
        Bench bench(policyOf({onlyRule(AlertRuleKind::Distance, 10.0, 5.0, 2.0, 1.0)}));
        for (const double pct : {9.9, 10.2, 9.8, 10.9, 9.95, 10.5}) {
            bench.distance(pct);
        }
        QCOMPARE(bench.events.size(), std::size_t{1});
        bench.distance(4.9); // critical
        bench.distance(5.5); // inside the band: still critical, no event
        bench.distance(4.8);
        QCOMPARE(bench.events.size(), std::size_t{2});
        bench.distance(6.5); // past the band, but not yet for the cooldown: still critical
        bench.distance(4.5); // so critical again is no rise, and no sound
        QCOMPARE(bench.events.size(), std::size_t{2});
        bench.distance(6.5);
        bench.pass(299s);
        QCOMPARE(bench.events.size(), std::size_t{2});
        bench.pass(1s); // below critical for the whole cooldown: eased, silently
        QCOMPARE(bench.events.size(), std::size_t{3});
        QCOMPARE(bench.events.back().change, AlertChange::Eased);
        QCOMPARE(bench.events.back().level, AlertLevel::Warning);
        QVERIFY(!bench.events.back().sounds());
        bench.distance(4.5); // a rise after easing is a rise: it sounds
        QCOMPARE(bench.events.size(), std::size_t{4});
        QCOMPARE(bench.events.back().change, AlertChange::Escalated);
        QVERIFY(bench.events.back().sounds());
        bench.distance(11.2); // past the warning's band: the episode ends after the cooldown
        bench.pass(299s);
        QCOMPARE(bench.events.size(), std::size_t{4});
        bench.pass(1s);
        const auto events = bench.take();
        QCOMPARE(events.size(), std::size_t{5});
        QCOMPARE(events.back().change, AlertChange::Cleared);
        QCOMPARE(events.back().episode, events.front().episode);
        QVERIFY2(QString::fromStdString(events.back().message).startsWith("back to safety: 11.20 % to liquidation"),
                 events.back().message.c_str());
        QVERIFY(bench.engine->activeAlerts().empty());
    }

    void episodeEndsOnlyAfterTheCooldown()
    {
        Bench bench(policyOf({onlyRule(AlertRuleKind::Distance, 10.0, 5.0, 2.0, 1.0)}));
        bench.distance(9);
        bench.distance(12); // safe, but not for long enough: the same episode
        const auto first = bench.take();
        QCOMPARE(first.size(), std::size_t{1});
        bench.pass(100s);
        bench.distance(9.5); // back: nothing new to say
        QCOMPARE(bench.events.size(), std::size_t{0});
        bench.distance(4); // worse: a rise within the episode
        auto events = bench.take();
        QCOMPARE(events.size(), std::size_t{1});
        QCOMPARE(events[0].change, AlertChange::Escalated);
        QCOMPARE(events[0].level, AlertLevel::Critical);
        QCOMPARE(events[0].episode, first[0].episode);

        bench.distance(12);
        bench.pass(301s);
        events = bench.take();
        QCOMPARE(events.size(), std::size_t{1});
        QCOMPARE(events[0].change, AlertChange::Cleared); // straight from critical: nothing was left of warning either
        bench.distance(9); // comes back after clearing: a new episode, with a sound
        events = bench.take();
        QCOMPARE(events.size(), std::size_t{1});
        QCOMPARE(events[0].change, AlertChange::Raised);
        QVERIFY(events[0].episode != first[0].episode);
    }

    void acknowledgedStaysQuietUntilLouder()
    {
        Bench bench(policyOf({onlyRule(AlertRuleKind::Distance, 10.0, 5.0, 2.0, 1.0)}));
        bench.distance(4);
        const std::uint64_t episode = bench.take().at(0).episode;
        QVERIFY(bench.engine->acknowledge(episode));
        QVERIFY(!bench.engine->acknowledge(episode + 100));
        auto events = bench.take();
        QCOMPARE(events.size(), std::size_t{1});
        QCOMPARE(events[0].change, AlertChange::Acknowledged);
        bench.distance(6.5);
        bench.distance(4.5); // critical again, as acknowledged: quiet
        bench.pass(120s);    // and no escalation for want of an acknowledgement
        QCOMPARE(bench.events.size(), std::size_t{0});
        bench.distance(1.9);
        events = bench.take();
        QCOMPARE(events.size(), std::size_t{1});
        QCOMPARE(events[0].change, AlertChange::Escalated);
        QCOMPARE(events[0].level, AlertLevel::Emergency);
    }

    void unacknowledgedCriticalStaysCriticalByDefault()
    {
        Bench bench(policyOf({onlyRule(AlertRuleKind::Distance, 10.0, 5.0, 2.0, 1.0)}));
        QCOMPARE(bench.engine->policy().escalateAfter.count(), 0);
        bench.distance(4);
        bench.pass(3600s); // an emergency means danger, not silence
        bench.distance(4);
        QCOMPARE(bench.events.size(), std::size_t{1});
        QCOMPARE(bench.events[0].level, AlertLevel::Critical);
    }

    void unacknowledgedCriticalBecomesEmergencyWhenAskedFor()
    {
        AlertPolicy policy = policyOf({onlyRule(AlertRuleKind::Distance, 10.0, 5.0, 2.0, 1.0)});
        policy.escalateAfter = 60s;
        Bench bench(policy);
        bench.distance(4);
        bench.pass(59s);
        QCOMPARE(bench.events.size(), std::size_t{1});
        bench.pass(1s);
        auto events = bench.take();
        QCOMPARE(events.size(), std::size_t{2});
        QCOMPARE(events[1].change, AlertChange::Escalated);
        QCOMPARE(events[1].level, AlertLevel::Emergency);
        QVERIFY2(QString::fromStdString(events[1].message).startsWith("critical for 60 s without acknowledgement"),
                 events[1].message.c_str());
        bench.distance(1.5); // the measure reaching emergency adds nothing: already one
        bench.pass(60s);
        QCOMPARE(bench.events.size(), std::size_t{0});
        QVERIFY(bench.engine->acknowledge(events[1].episode));
        QCOMPARE(bench.take().at(0).level, AlertLevel::Emergency);
    }

    void snoozeEndsWithTheAlertAgain()
    {
        Bench bench(policyOf({onlyRule(AlertRuleKind::Distance, 10.0, 5.0, 2.0, 1.0)}));
        bench.distance(8);
        const std::uint64_t episode = bench.take().at(0).episode;
        QVERIFY(bench.engine->snooze(episode, 300s));
        QCOMPARE(bench.take().at(0).change, AlertChange::Snoozed);
        bench.distance(8.5);
        bench.pass(299s);
        QCOMPARE(bench.events.size(), std::size_t{0});
        bench.pass(1s);
        auto events = bench.take();
        QCOMPARE(events.size(), std::size_t{1});
        QCOMPARE(events[0].change, AlertChange::Raised);
        QVERIFY(QString::fromStdString(events[0].message).startsWith("snooze over"));
        QVERIFY(bench.engine->snooze(episode, 300s));
        bench.take();
        bench.distance(4); // louder than snoozed: through at once
        events = bench.take();
        QCOMPARE(events.size(), std::size_t{1});
        QCOMPARE(events[0].level, AlertLevel::Critical);
    }

    void staleMarksAreAnAlert()
    {
        Bench bench(policyOf({onlyRule(AlertRuleKind::Stale, 0.0, 30.0, std::nullopt, 0.0)}));
        bench.distance(20);
        bench.clock.advance(5s);
        bench.monitor.checkFreshness();
        auto events = bench.take();
        QCOMPARE(events.size(), std::size_t{1});
        QCOMPARE(events[0].rule, AlertRuleKind::Stale);
        QCOMPARE(events[0].level, AlertLevel::Warning);
        QVERIFY2(QString::fromStdString(events[0].message).contains("no mark price for 5 s"), events[0].message.c_str());
        bench.pass(24s);
        QCOMPARE(bench.events.size(), std::size_t{0});
        bench.pass(1s); // 30 s without a mark
        events = bench.take();
        QCOMPARE(events.size(), std::size_t{1});
        QCOMPARE(events[0].level, AlertLevel::Critical);
        bench.distance(20); // marks again: the episode ends once that has held for the cooldown
        QCOMPARE(bench.events.size(), std::size_t{0});
        bench.pass(300s);
        events = bench.take();
        QCOMPARE(events.size(), std::size_t{1});
        QCOMPARE(events[0].change, AlertChange::Cleared);
    }

    void accountMarginRatio()
    {
        Bench bench(policyOf({onlyRule(AlertRuleKind::MarginRatio, 70.0, 85.0, 95.0, 5.0)}));
        bench.distance(20);
        const double ratioNow = bench.monitor.evaluate(0).account.marginRatio;
        QVERIFY(ratioNow < 0.7);
        // Walk the mark down until the account's ratio passes 70 %.
        double mark = bench.markAtDistance(20);
        while (bench.events.empty() && mark > bench.liquidation) {
            mark -= 1;
            bench.mark(mark);
        }
        QCOMPARE(bench.events.size(), std::size_t{1});
        const AlertEvent event = bench.take().at(0);
        QCOMPARE(event.rule, AlertRuleKind::MarginRatio);
        QVERIFY(!event.subject.position); // the account, not a position
        QCOMPARE(event.subject.accountLabel, std::string("main"));
        QVERIFY2(event.value >= 70.0 && event.value < 71.0, qPrintable(QString("%1 at mark %2, %3 %4").arg(event.value).arg(mark).arg(QString::fromStdString(event.message)).arg(bench.liquidation)));
        QVERIFY(std::abs(event.value - bench.monitor.evaluate(0).account.marginRatio * 100.0) < 1e-9);
    }

    void driftGivesTimeToLiquidationAndVelocity()
    {
        Bench bench(policyOf({onlyRule(AlertRuleKind::Distance, 30.0, 5.0, 2.0, 1.0),
                              onlyRule(AlertRuleKind::TimeToLiquidation, 600.0, 180.0, 60.0, 60.0),
                              onlyRule(AlertRuleKind::Velocity, 2.0, 5.0, std::nullopt, 0.5)}));
        // A steady fall of 40 (price units) a second from 20 % away.
        double mark = bench.markAtDistance(20);
        std::optional<AlertReason> time;
        std::optional<AlertReason> velocity;
        double markThen = 0;
        int secondThen = 0;
        const double start = mark;
        for (int second = 0; second < 400 && !(time && velocity); ++second) {
            bench.mark(mark);
            for (const AlertEvent& event : bench.take()) {
                QCOMPARE(event.subject.position, std::optional<std::size_t>(0)); // one voice: the position
                for (const AlertReason& reason : event.reasons) {
                    if (reason.rule == AlertRuleKind::TimeToLiquidation && !time) {
                        time = reason;
                        markThen = *event.markPrice;
                        secondThen = second;
                    }
                    if (reason.rule == AlertRuleKind::Velocity && !velocity) {
                        velocity = reason;
                    }
                }
            }
            bench.clock.advance(1s);
            mark -= 40;
        }
        QVERIFY(time);
        QVERIFY(time->value < 600.0);
        // The pace is the log drift over the drift window (from the first mark, here within it).
        QVERIFY(secondThen < 300);
        const double logPace = std::log(start / markThen) / secondThen;
        const double expected = std::log(markThen / bench.liquidation) / logPace;
        QVERIFY2(std::abs(time->value - expected) < 0.05 * expected, qPrintable(QString("%1 s, expected %2 s").arg(time->value).arg(expected)));
        QVERIFY2(QString::fromStdString(time->text).contains("at the last minute's pace") ||
                     QString::fromStdString(time->text).contains("at the last 5 minutes' pace"),
                 time->text.c_str());
        QVERIFY(velocity);
        QVERIFY(velocity->value >= 2.0);
        // Rising instead: no liquidation ahead at this pace — the episode ends after the cooldown.
        for (int second = 0; second < 700; ++second) {
            mark = std::min(mark + 200, bench.markAtDistance(40));
            bench.mark(mark);
            bench.clock.advance(1s);
        }
        const auto events = bench.take();
        QVERIFY(!events.empty());
        QCOMPARE(events.back().change, AlertChange::Cleared);
    }

    void noiseIsNotADrift()
    {
        Bench bench(policyOf({onlyRule(AlertRuleKind::TimeToLiquidation, 600.0, 180.0, 60.0, 60.0),
                              onlyRule(AlertRuleKind::Velocity, 2.0, 5.0, std::nullopt, 0.5)}));
        // ±0.5 % a second around a mark 6 % away, falling 0.01 % a second: a random walk's drift,
        // far inside its noise. Extrapolated it would say "liquidation in 10 min"; it must not.
        double base = bench.markAtDistance(6);
        for (int second = 0; second < 400; ++second) {
            bench.mark(base * (second % 2 == 0 ? 1.005 : 0.995));
            base *= 0.9999;
            bench.clock.advance(1s);
        }
        QCOMPARE(bench.events.size(), std::size_t{0});
    }

    void sigmaDistanceFromTheNoise()
    {
        Bench bench(policyOf({onlyRule(AlertRuleKind::Distance, 10.0, 5.0, 2.0, 1.0),
                              onlyRule(AlertRuleKind::SigmaDistance, 3.0, 2.0, 1.0, 0.5)}));
        // Marks alternating +1 % / −1 % a second: returns of ±ln 1.01, whose differences are
        // 2 ln 1.01, so the noise is σ = √2 · ln 1.01 per √s (the estimator of price_motion.h).
        const double base = bench.markAtDistance(4);
        for (int second = 0; second < 90; ++second) {
            bench.mark(second % 2 == 0 ? base : base * 1.01);
            bench.clock.advance(1s);
        }
        const auto events = bench.take();
        QVERIFY(!events.empty());
        const AlertEvent& last = events.back();
        std::optional<AlertReason> sigma;
        for (const AlertReason& reason : last.reasons) {
            if (reason.rule == AlertRuleKind::SigmaDistance) {
                sigma = reason;
            }
        }
        QVERIFY(sigma);
        const double sigmaHour = std::sqrt(2.0) * std::log(1.01) * std::sqrt(3600.0);
        const double expected = std::abs(std::log(bench.liquidation / *last.markPrice)) / sigmaHour;
        QVERIFY2(std::abs(sigma->value - expected) < 1e-6, qPrintable(QString("%1 vs %2").arg(sigma->value).arg(expected)));
        QCOMPARE(sigma->level, AlertLevel::Emergency);
        // The distance says critical: the forecast brings emergency forward, one level above it.
        QCOMPARE(last.level, AlertLevel::Emergency);
    }

    void aForecastNeverSkipsALevel()
    {
        Bench bench(policyOf({onlyRule(AlertRuleKind::Distance, 10.0, 5.0, 2.0, 1.0),
                              onlyRule(AlertRuleKind::SigmaDistance, 3.0, 2.0, 1.0, 0.5)}));
        // The same wild noise, 20 % away: σ says emergency, the distance nothing: at most a warning.
        const double base = bench.markAtDistance(20);
        for (int second = 0; second < 120; ++second) {
            bench.mark(second % 2 == 0 ? base : base * 1.01);
            bench.clock.advance(1s);
        }
        const auto events = bench.take();
        QCOMPARE(events.size(), std::size_t{1});
        QCOMPARE(events[0].level, AlertLevel::Warning);
        QCOMPARE(events[0].rule, AlertRuleKind::SigmaDistance);
        QCOMPARE(events[0].reasons.at(0).level, AlertLevel::Emergency); // what the measure alone says
    }

    void aShortInAFastFallStaysQuiet()
    {
        CrashPath crash({{"short", 5.0}, {"short", 10.0}});
        crash.run();
        QVERIFY(crash.lastMark < 0.9 * 60000);
        QCOMPARE(crash.of(0).size(), std::size_t{0}); // 5×: about 20 % away, moving further
        // 10×: within the trader's warning distance from the start (a warning), and never louder as
        // the fall carries it away from its liquidation price; once safe for the cooldown, it ends.
        const auto events = crash.of(1);
        QVERIFY(!events.empty());
        for (const AlertEvent& event : events) {
            QCOMPARE(event.level, AlertLevel::Warning);
        }
        QCOMPARE(events.back().change, AlertChange::Cleared);
    }

    void aLongFarAwayInACrashGetsAtMostAWarning()
    {
        CrashPath crash({{"long", 3.0}});
        crash.run();
        const double distanceAtStart = (60000 - crash.liquidation[0]) / 60000 * 100;
        QVERIFY2(distanceAtStart > 30 && distanceAtStart < 35, qPrintable(QString::number(distanceAtStart)));
        int sounding = 0;
        for (const AlertEvent& event : crash.of(0)) {
            QCOMPARE(event.level, AlertLevel::Warning);
            sounding += event.sounds() ? 1 : 0;
        }
        QVERIFY(sounding <= 1);
    }

    void aLongCloseInACrashGetsCriticalThenEmergency()
    {
        CrashPath crash({{"long", 28.0}});
        crash.run();
        const auto events = crash.of(0);
        QVERIFY(events.size() >= 2);
        QCOMPARE(events[0].change, AlertChange::Raised);
        QCOMPARE(events[0].level, AlertLevel::Critical);
        QVERIFY2(*events[0].distancePct > 2.9 && *events[0].distancePct < 5, qPrintable(QString::number(*events[0].distancePct)));
        std::optional<AlertEvent> emergency;
        int sounding = 0;
        for (const AlertEvent& event : events) {
            QCOMPARE(event.episode, events[0].episode); // one voice: one episode all through
            sounding += event.sounds() ? 1 : 0;
            if (!emergency && event.level == AlertLevel::Emergency) {
                emergency = event;
            }
        }
        QVERIFY(emergency);
        QVERIFY(emergency->sounds());
        QVERIFY2(*emergency->distancePct > 0, "the emergency came before the liquidation price, not after");
        QCOMPARE(sounding, 2);
        // Its reasons: the distance first (the trader's own threshold), and the pace with it.
        QCOMPARE(emergency->reasons.at(0).rule, AlertRuleKind::Distance);
        for (const AlertEvent& event : events) {
            QVERIFY(!QString::fromStdString(event.message).contains("inf"));
            QVERIFY(!QString::fromStdString(event.message).contains("nan"));
        }
    }

    void oneAlertPerPositionWithItsReasons()
    {
        CrashPath crash({{"long", 12.0}});
        crash.run();
        const auto events = crash.of(0);
        QVERIFY(!events.empty());
        bool paceAmongReasons = false;
        for (const AlertEvent& event : events) {
            QCOMPARE(event.episode, events[0].episode);
            for (const AlertReason& reason : event.reasons) {
                paceAmongReasons = paceAmongReasons || reason.rule == AlertRuleKind::TimeToLiquidation;
                QVERIFY(std::isfinite(reason.value));
                QVERIFY(!reason.text.empty());
            }
            if (event.reasons.size() > 1) {
                QVERIFY2(QString::fromStdString(event.message).contains(" · "), event.message.c_str());
            }
        }
        QVERIFY(paceAmongReasons);
        // The level only rose while the market fell: each sound a louder level than the last.
        std::optional<AlertLevel> said;
        for (const AlertEvent& event : events) {
            if (event.sounds()) {
                QVERIFY(!said || event.level > *said);
                said = event.level;
            }
        }
    }

    void closedPositionEndsItsEpisode()
    {
        Bench bench(policyOf({onlyRule(AlertRuleKind::Distance, 10.0, 5.0, 2.0, 1.0)}));
        bench.distance(4);
        bench.take();
        bench.monitor.replaceAccount(0, readPortfolio(R"({"venue":"binance-usdm","label":"main","walletBalance":"1000","positions":[]})"),
                                     {}, {});
        const auto events = bench.take();
        QCOMPARE(events.size(), std::size_t{1});
        QCOMPARE(events[0].change, AlertChange::Cleared);
        QVERIFY2(QString::fromStdString(events[0].message).startsWith("position closed"), events[0].message.c_str());
        QVERIFY(bench.engine->activeAlerts().empty());
    }

    void eventCarriesTheTickTime()
    {
        Bench bench(policyOf({onlyRule(AlertRuleKind::Distance, 10.0, 5.0, 2.0, 1.0)}));
        bench.clock.advance(3s);
        const MonotonicTime at = bench.clock.now();
        bench.distance(4);
        QCOMPARE(bench.events.size(), std::size_t{1});
        QVERIFY(bench.events[0].tickReceivedAt == at);
        QVERIFY(bench.events[0].decidedAt >= at);
    }

    void acknowledgeAllAcknowledgesEach()
    {
        Bench bench(policyOf({onlyRule(AlertRuleKind::Distance, 10.0, 5.0, 2.0, 1.0),
                              onlyRule(AlertRuleKind::MarginRatio, 5.0, 50.0, 60.0, 1.0)}));
        bench.distance(4);
        QCOMPARE(bench.take().size(), std::size_t{2});
        bench.engine->acknowledgeAll();
        const auto events = bench.take();
        QCOMPARE(events.size(), std::size_t{2});
        for (const AlertEvent& event : events) {
            QCOMPARE(event.change, AlertChange::Acknowledged);
        }
        bench.engine->acknowledgeAll();
        QCOMPARE(bench.events.size(), std::size_t{0});
    }
};

QTEST_GUILESS_MAIN(TestAlertEngine)
#include "tst_alert_engine.moc"
