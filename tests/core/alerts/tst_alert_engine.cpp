// The alert engine on a Monitor driven by hand: levels, hysteresis, cooldown, acknowledgement,
// snooze, escalation, stale marks, the account's margin ratio, drift, velocity and σ measures.
#include "alerts/alert_engine.h"
#include "portfolio/portfolio_file.h"

#include <QtTest>

#include <cmath>

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

AlertPolicy policyOf(std::vector<AlertRule> rules)
{
    AlertPolicy policy;
    policy.rules = std::move(rules);
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
        bench.distance(6.5); // left critical past the band: silently back to warning
        bench.distance(4.5); // critical again within the cooldown: said once already
        QCOMPARE(bench.events.size(), std::size_t{2});
        bench.distance(6.5);
        bench.pass(61s);
        bench.distance(4.5); // critical again after the cooldown: said again
        QCOMPARE(bench.events.size(), std::size_t{3});
        QCOMPARE(bench.events.back().change, AlertChange::Escalated);
        bench.distance(11.2); // past the warning's band: the episode ends
        const auto events = bench.take();
        QCOMPARE(events.size(), std::size_t{4});
        QCOMPARE(events.back().change, AlertChange::Cleared);
        QCOMPARE(events.back().episode, events.front().episode);
        QVERIFY(bench.engine->activeAlerts().empty());
    }

    void cooldownResumesTheEpisodeQuietly()
    {
        Bench bench(policyOf({onlyRule(AlertRuleKind::Distance, 10.0, 5.0, 2.0, 1.0)}));
        bench.distance(9);
        bench.distance(12); // cleared
        const auto first = bench.take();
        QCOMPARE(first.size(), std::size_t{2});
        bench.pass(10s);
        bench.distance(9.5); // back within the cooldown: held
        QCOMPARE(bench.events.size(), std::size_t{0});
        bench.distance(4); // worse than anything said: speaks at once, same episode
        auto events = bench.take();
        QCOMPARE(events.size(), std::size_t{1});
        QCOMPARE(events[0].change, AlertChange::Raised);
        QCOMPARE(events[0].level, AlertLevel::Critical);
        QCOMPARE(events[0].episode, first[0].episode);

        bench.distance(12);
        bench.take();
        bench.pass(5s);
        bench.distance(9); // held by the cooldown
        QCOMPARE(bench.events.size(), std::size_t{0});
        bench.pass(56s); // still breached when the cooldown ends: said now
        events = bench.take();
        QCOMPARE(events.size(), std::size_t{1});
        QCOMPARE(events[0].change, AlertChange::Raised);
        QCOMPARE(events[0].episode, first[0].episode);

        bench.distance(12);
        bench.take();
        bench.pass(61s);
        bench.distance(9); // after the cooldown: a new episode
        events = bench.take();
        QCOMPARE(events.size(), std::size_t{1});
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

    void unacknowledgedCriticalBecomesEmergency()
    {
        Bench bench(policyOf({onlyRule(AlertRuleKind::Distance, 10.0, 5.0, 2.0, 1.0)}));
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
        bench.distance(20);
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
        Bench bench(policyOf({onlyRule(AlertRuleKind::TimeToLiquidation, 600.0, 180.0, 60.0, 60.0),
                              onlyRule(AlertRuleKind::Velocity, 2.0, 5.0, std::nullopt, 0.5)}));
        // A steady fall of 40 (price units) a second from 20 % away.
        double mark = bench.markAtDistance(20);
        std::optional<AlertEvent> time;
        std::optional<AlertEvent> velocity;
        for (int second = 0; second < 200 && !(time && velocity); ++second) {
            bench.mark(mark);
            for (const AlertEvent& event : bench.take()) {
                (event.rule == AlertRuleKind::TimeToLiquidation ? time : velocity) = event;
            }
            bench.clock.advance(1s);
            mark -= 40;
        }
        QVERIFY(time);
        QCOMPARE(time->level, AlertLevel::Warning);
        const double expected = (*time->markPrice - bench.liquidation) / 40.0;
        QVERIFY2(std::abs(time->value - expected) < 1.0, qPrintable(QString("%1 s, expected %2 s").arg(time->value).arg(expected)));
        QVERIFY(time->value < 600.0);
        QVERIFY(velocity);
        QVERIFY(velocity->value >= 2.0);
        // Rising instead: no liquidation ahead at this pace — both end (past their bands).
        for (int second = 0; second < 120; ++second) {
            mark += 20;
            bench.mark(mark);
            bench.clock.advance(1s);
        }
        int cleared = 0;
        for (const AlertEvent& event : bench.take()) {
            cleared += event.change == AlertChange::Cleared ? 1 : 0;
        }
        QCOMPARE(cleared, 2);
    }

    void noiseIsNotADrift()
    {
        Bench bench(policyOf({onlyRule(AlertRuleKind::TimeToLiquidation, 600.0, 180.0, 60.0, 60.0),
                              onlyRule(AlertRuleKind::Velocity, 2.0, 5.0, std::nullopt, 0.5)}));
        // ±0.5 % a second around a mark 6 % away, falling 0.01 % a second: a random walk's drift,
        // far inside its noise. Extrapolated it would say "liquidation in 10 min"; it must not.
        double base = bench.markAtDistance(6);
        for (int second = 0; second < 180; ++second) {
            bench.mark(base * (second % 2 == 0 ? 1.005 : 0.995));
            base *= 0.9999;
            bench.clock.advance(1s);
        }
        QCOMPARE(bench.events.size(), std::size_t{0});
    }

    void sigmaDistanceFromRecentVolatility()
    {
        Bench bench(policyOf({onlyRule(AlertRuleKind::SigmaDistance, 3.0, 2.0, 1.0, 0.5)}));
        // Marks alternating ±1 % a second: σ per √s = ln(1.01/0.99)… measured from the samples.
        const double base = bench.markAtDistance(4);
        for (int second = 0; second < 40; ++second) {
            bench.mark(second % 2 == 0 ? base : base * 1.01);
            bench.clock.advance(1s);
        }
        const auto events = bench.take();
        QCOMPARE(events.size(), std::size_t{1});
        QCOMPARE(events[0].rule, AlertRuleKind::SigmaDistance);
        const double sigmaHour = std::abs(std::log(1.01)) * std::sqrt(3600.0);
        const double expected = std::abs(std::log(bench.liquidation / *events[0].markPrice)) / sigmaHour;
        QVERIFY2(std::abs(events[0].value - expected) < 1e-6, qPrintable(QString("%1 vs %2").arg(events[0].value).arg(expected)));
        QCOMPARE(events[0].level, *AlertPolicy(policyOf({onlyRule(AlertRuleKind::SigmaDistance, 3.0, 2.0, 1.0, 0.5)}))
                                       .rules[0].levelAt(expected));
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
