// The alerts configuration: defaults, round trips, and every refusal naming its field.
#include "config/accounts_config.h"
#include "config/alert_settings.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <limits>

using namespace mm;

class TestAlertSettings : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void emptyFileKeepsTheDefaults()
    {
        const AlertSettings settings = readAlertSettings("{}");
        QCOMPARE(settings.policy.rules.size(), defaultAlertPolicy().rules.size());
        QVERIFY(settings.sound);
        QVERIFY(settings.webhookUrl.empty());
        QCOMPARE(settings.policy.cooldown, defaultAlertPolicy().cooldown);
        QCOMPARE(settings.policy.escalateAfter, defaultAlertPolicy().escalateAfter);
    }

    void roundTrip()
    {
        AlertSettings settings;
        AlertRule position;
        position.kind = AlertRuleKind::Distance;
        position.scope = AlertScope::Position;
        position.account = "Binance main";
        position.symbol = "BTCUSDT";
        position.warning = 25.0;
        position.critical = 12.5;
        position.rearm = 2;
        settings.policy.rules.push_back(position);
        settings.policy.rules[1].enabled = false;
        settings.policy.cooldown = std::chrono::seconds(30);
        settings.policy.escalateAfter = std::chrono::seconds(45);
        settings.sound = false;
        settings.volume = 0.5;
        settings.webhookUrl = "http://127.0.0.1:9000/hooks/margin?topic=x";
        AccountAutomation automation;
        automation.accountLabel = "Binance main";
        automation.settings.enabled = true;
        automation.settings.dryRun = false;
        automation.settings.target = DeleverageTarget::marginRatio(0.6);
        automation.settings.triggerLevel = AlertLevel::Emergency;
        automation.settings.countdown = std::chrono::seconds(15);
        automation.settings.maxFractionPerOrder = 0.5;
        settings.deleverage.push_back(automation);
        settings.deleverage.push_back(AccountAutomation{"OKX", {}});
        const std::string text = writeAlertSettings(settings);
        const AlertSettings back = readAlertSettings(text);
        QCOMPARE(writeAlertSettings(back), text);
        QCOMPARE(back.policy.rules.size(), settings.policy.rules.size());
        QCOMPARE(back.policy.rules.back().symbol, std::string("BTCUSDT"));
        QVERIFY(!back.policy.rules.back().emergency);
        QVERIFY(!back.policy.rules[1].enabled);
        QCOMPARE(back.policy.escalateAfter.count(), 45);
        QCOMPARE(back.webhookUrl, settings.webhookUrl);
        QCOMPARE(back.volume, 0.5);
        QCOMPARE(back.deleverage.size(), std::size_t{2});
        QVERIFY(back.deleverage[0].settings.enabled && !back.deleverage[0].settings.dryRun);
        QCOMPARE(back.deleverage[0].settings.target.kind, DeleverageTarget::Kind::MarginRatio);
        QCOMPARE(back.deleverage[0].settings.triggerLevel, AlertLevel::Emergency);
        QCOMPARE(back.deleverage[0].settings.countdown.count(), 15);
        QCOMPARE(*back.deleverage[0].settings.maxFractionPerOrder, 0.5);
        QVERIFY(!back.deleverage[1].settings.enabled && back.deleverage[1].settings.dryRun); // the safe defaults
    }

    void deleverageOffByDefault()
    {
        const AlertSettings settings = readAlertSettings(R"({"deleverage": [{"account": "main"}]})");
        QCOMPARE(settings.deleverage.size(), std::size_t{1});
        QVERIFY(!settings.deleverage[0].settings.enabled);
        QVERIFY(settings.deleverage[0].settings.dryRun);
    }

    void commentsAllowed()
    {
        const AlertSettings settings = readAlertSettings(R"({
            // only one rule: distance
            "rules": [{"kind": "distance", "warning": 15, "critical": 8}]
        })");
        QCOMPARE(settings.policy.rules.size(), std::size_t{1});
        QCOMPARE(*settings.policy.rules[0].warning, 15.0);
    }

    void refusals_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("reason");
        QTest::newRow("not JSON") << "{\"rules\": [" << "" << "parse error";
        QTest::newRow("not an object") << "[1]" << "" << "not an object";
        QTest::newRow("number beyond a double") << "1111110e0011100000982610639" << "" << "number overflow"; // found by fuzz_alert_settings
        QTest::newRow("unknown setting") << R"({"colour": "red"})" << "colour" << "not a known setting";
        // The other readers stop at 128 levels; 10 MB of '[' used to be parsed to its end (4 s, ~1 GB).
        QTest::newRow("nested 10 MB deep") << QString(10'000'000, QLatin1Char('[')) << "" << "nested deeper than 128 levels";
        QTest::newRow("nested 129 deep in a rule")
            << QStringLiteral("{\"rules\": [") + QString(127, QLatin1Char('[')) + QString(128, QLatin1Char(']')) + QStringLiteral("}")
            << "" << "nested deeper than 128 levels";
        QTest::newRow("nested 128 deep is only a wrong type")
            << QStringLiteral("{\"rules\": ") + QString(127, QLatin1Char('[')) + QString(127, QLatin1Char(']')) + QStringLiteral("}")
            << "rules[0]" << "not an object";
        QTest::newRow("rules not an array") << R"({"rules": {}})" << "rules" << "not an array";
        QTest::newRow("rule not an object") << R"({"rules": [3]})" << "rules[0]" << "not an object";
        QTest::newRow("rule without kind") << R"({"rules": [{"warning": 3}]})" << "rules[0].kind" << "is required";
        QTest::newRow("unknown kind") << R"({"rules": [{"kind": "funding", "warning": 3}]})" << "rules[0].kind" << "is not distance";
        QTest::newRow("unknown rule field") << R"({"rules": [{"kind": "distance", "warning": 3, "colour": 1}]})" << "rules[0].colour"
                                            << "not a known setting";
        QTest::newRow("threshold as text") << R"({"rules": [{"kind": "distance", "warning": "ten"}]})" << "rules[0].warning"
                                           << "is text, not a number";
        QTest::newRow("no threshold") << R"({"rules": [{"kind": "distance"}]})" << "rules[0]" << "no threshold";
        QTest::newRow("out of order") << R"({"rules": [{"kind": "distance", "warning": 5, "critical": 10}]})" << "rules[0].critical"
                                      << "must not be above";
        QTest::newRow("negative band") << R"({"rules": [{"kind": "sigma", "warning": 3, "rearm": -1}]})" << "rules[0].rearm"
                                       << "re-arm band";
        QTest::newRow("unknown scope") << R"({"rules": [{"kind": "distance", "warning": 3, "scope": "venue"}]})" << "rules[0].scope"
                                       << "not all, account or position";
        QTest::newRow("position without symbol")
            << R"({"rules": [{"kind": "distance", "warning": 3, "scope": "position", "account": "a"}]})" << "rules[0].symbol"
            << "needs the symbol";
        QTest::newRow("enabled as number") << R"({"rules": [{"kind": "distance", "warning": 3, "enabled": 1}]})" << "rules[0].enabled"
                                           << "not true or false";
        QTest::newRow("negative cooldown") << R"({"cooldownSeconds": -5})" << "cooldownSeconds" << "between 0 and";
        QTest::newRow("volume too loud") << R"({"volume": 3})" << "volume" << "between 0 and 1";
        QTest::newRow("webhook plain http to the internet") << R"({"webhookUrl": "http://example.com/hook"})" << "webhookUrl"
                                                            << "";
        QTest::newRow("webhook not a URL") << R"({"webhookUrl": "phone"})" << "webhookUrl" << "";
        QTest::newRow("deleverage not an array") << R"({"deleverage": {}})" << "deleverage" << "not an array";
        QTest::newRow("deleverage without account") << R"({"deleverage": [{"enabled": true}]})" << "deleverage[0].account"
                                                    << "is required";
        QTest::newRow("deleverage unknown field") << R"({"deleverage": [{"account": "a", "apiSecret": "x"}]})"
                                                  << "deleverage[0].apiSecret" << "not a known setting";
        QTest::newRow("deleverage bad level") << R"({"deleverage": [{"account": "a", "triggerLevel": "info"}]})"
                                              << "deleverage[0].triggerLevel" << "is not warning";
        QTest::newRow("deleverage zero countdown") << R"({"deleverage": [{"account": "a", "countdownSeconds": 0}]})"
                                                   << "deleverage[0].countdownSeconds" << "countdown";
        QTest::newRow("deleverage empty label") << R"({"deleverage": [{"account": ""}]})" << "deleverage[0].account"
                                                << "label";
        QTest::newRow("deleverage ratio at liquidation") << R"({"deleverage": [{"account": "a", "targetMarginRatioPct": 100}]})"
                                                         << "deleverage[0].targetMarginRatioPct" << "below 100";
        QTest::newRow("deleverage headroom") << R"({"deleverage": [{"account": "a", "planningHeadroom": 80}]})"
                                             << "deleverage[0].planningHeadroom" << "headroom";
        QTest::newRow("negative threshold") << R"({"rules": [{"kind": "velocity", "warning": -1}]})" << "rules[0].warning"
                                            << "zero or more";
        QTest::newRow("margin ratio past liquidation") << R"({"rules": [{"kind": "margin-ratio", "warning": 70, "critical": 120}]})"
                                                       << "rules[0].critical" << "past liquidation";
        QTest::newRow("account rule without label") << R"({"rules": [{"kind": "distance", "warning": 3, "scope": "account"}]})"
                                                    << "rules[0].account" << "label";
        QTest::newRow("deleverage two targets")
            << R"({"deleverage": [{"account": "a", "targetDistancePct": 10, "targetMarginRatioPct": 50}]})"
            << "deleverage[0].targetMarginRatioPct" << "not both";
        QTest::newRow("deleverage twice") << R"({"deleverage": [{"account": "a"}, {"account": "a"}]})" << "deleverage[1].account"
                                          << "earlier entry";
        QTest::newRow("deleverage fractional cap") << R"({"deleverage": [{"account": "a", "maxOrdersPerHour": 1.5}]})"
                                                   << "deleverage[0].maxOrdersPerHour" << "whole number";
    }
    void escalationZeroIsOff()
    {
        const AlertSettings settings = readAlertSettings(R"({"escalateAfterSeconds": 0, "cooldownSeconds": 300})");
        QCOMPARE(settings.policy.escalateAfter.count(), 0);
        QCOMPARE(settings.policy.cooldown.count(), 300);
        QCOMPARE(readAlertSettings(writeAlertSettings(settings)).policy.escalateAfter.count(), 0);
    }

    /// checkAlertRule: every problem of a rule, each on its field, in the fields' order.
    void ruleChecks_data()
    {
        QTest::addColumn<QString>("rule");     // the rule as the file writes it
        QTest::addColumn<QStringList>("fields"); // the fields at fault, in order ("" = the rule as a whole)
        QTest::addColumn<QStringList>("reasons"); // a part of each reason
        QTest::newRow("default distance") << R"({"kind": "distance", "warning": 10, "critical": 5, "emergency": 2, "rearm": 1})"
                                          << QStringList{} << QStringList{};
        QTest::newRow("stale at once") << R"({"kind": "stale", "warning": 0, "critical": 30})" << QStringList{} << QStringList{};
        QTest::newRow("only an emergency") << R"({"kind": "time", "emergency": 60})" << QStringList{} << QStringList{};
        QTest::newRow("no threshold") << R"({"kind": "sigma"})" << QStringList{""} << QStringList{"no threshold"};
        QTest::newRow("critical safer than warning (below)")
            << R"({"kind": "distance", "warning": 5, "critical": 10})" << QStringList{"critical"} << QStringList{"must not be above"};
        QTest::newRow("emergency safer than critical (above)")
            << R"({"kind": "margin-ratio", "warning": 70, "critical": 85, "emergency": 80})" << QStringList{"emergency"}
            << QStringList{"must not be below"};
        QTest::newRow("order skips a missing level")
            << R"({"kind": "distance", "warning": 5, "emergency": 6})" << QStringList{"emergency"} << QStringList{"must not be above"};
        QTest::newRow("equal levels are in order") << R"({"kind": "velocity", "warning": 2, "critical": 2})" << QStringList{}
                                                   << QStringList{};
        QTest::newRow("negative warning and band")
            << R"({"kind": "velocity", "warning": -2, "critical": 5, "rearm": -0.5})" << QStringList{"warning", "rearm"}
            << QStringList{"zero or more", "re-arm band"};
        QTest::newRow("ratio above 100") << R"({"kind": "margin-ratio", "warning": 101})" << QStringList{"warning"}
                                         << QStringList{"100"};
        QTest::newRow("ratio at 100") << R"({"kind": "margin-ratio", "emergency": 100})" << QStringList{} << QStringList{};
        QTest::newRow("position without names")
            << R"({"kind": "distance", "warning": 3, "scope": "position"})" << QStringList{"account", "symbol"}
            << QStringList{"account's label", "symbol"};
        QTest::newRow("account rule needs no symbol")
            << R"({"kind": "distance", "warning": 3, "scope": "account", "account": "a"})" << QStringList{} << QStringList{};
        QTest::newRow("several at once")
            << R"({"kind": "sigma", "warning": 1, "critical": 2, "emergency": -1, "scope": "account", "rearm": -1})"
            << QStringList{"account", "critical", "emergency", "rearm"}
            << QStringList{"label", "must not be above", "zero or more", "re-arm"};
    }
    void ruleChecks()
    {
        QFETCH(QString, rule);
        QFETCH(QStringList, fields);
        QFETCH(QStringList, reasons);
        // Read without the reader's own refusal: the fields straight into an AlertRule.
        const nlohmann::json entry = nlohmann::json::parse(rule.toStdString());
        AlertRule made;
        made.kind = *alertRuleKindFromName(entry.at("kind").get<std::string>());
        made.scope = alertScopeFromName(entry.value("scope", std::string("all"))).value();
        made.account = entry.value("account", std::string());
        made.symbol = entry.value("symbol", std::string());
        for (const auto& [name, level] : {std::pair{"warning", &made.warning}, std::pair{"critical", &made.critical},
                                          std::pair{"emergency", &made.emergency}}) {
            if (entry.contains(name)) {
                *level = entry.at(name).get<double>();
            }
        }
        made.rearm = entry.value("rearm", 0.0);

        const std::vector<AlertRuleProblem> problems = checkAlertRule(made);
        QStringList gotFields;
        for (const AlertRuleProblem& problem : problems) {
            gotFields << (problem.field ? QString::fromUtf8(alertRuleFieldName(*problem.field).data()) : QString());
            QVERIFY(!problem.reason.empty());
            QVERIFY2(problem.reason.find("inf") == std::string::npos && problem.reason.find("nan") == std::string::npos,
                     problem.reason.c_str());
        }
        QCOMPARE(gotFields, fields);
        for (int i = 0; i < reasons.size(); ++i) {
            QVERIFY2(QString::fromStdString(problems[std::size_t(i)].reason).contains(reasons[i]), problems[std::size_t(i)].reason.c_str());
        }
        // The engine's own check agrees on whether the rule is usable, where it checks at all.
        if (problems.empty()) {
            QCOMPARE(made.problem(), std::string());
        }
        // And the file refuses it with the first of them, naming that field.
        AlertSettings settings;
        settings.policy.rules = {made};
        try {
            (void)readAlertSettings(writeAlertSettings(settings));
            QVERIFY2(problems.empty(), "the file accepted a rule with a problem");
        } catch (const ConfigError& error) {
            QVERIFY(!problems.empty());
            QCOMPARE(QString::fromStdString(error.field()),
                     fields.front().isEmpty() ? QStringLiteral("rules[0]") : QStringLiteral("rules[0].") + fields.front());
            QCOMPARE(error.reason(), problems.front().reason);
        }
    }

    void ruleNonFiniteThreshold()
    {
        AlertRule rule;
        rule.warning = std::numeric_limits<double>::infinity();
        rule.critical = std::numeric_limits<double>::quiet_NaN();
        const std::vector<AlertRuleProblem> problems = checkAlertRule(rule);
        QCOMPARE(problems.size(), std::size_t{2});
        QCOMPARE(problems[0].field, std::optional(AlertRuleField::Warning));
        QCOMPARE(problems[1].field, std::optional(AlertRuleField::Critical));
        QCOMPARE(problems[0].reason, std::string("is not a finite number"));
    }

    void ruleGroups()
    {
        QCOMPARE(alertRuleGroup(AlertRuleKind::Distance), AlertRuleGroup::Thresholds);
        QCOMPARE(alertRuleGroup(AlertRuleKind::MarginRatio), AlertRuleGroup::Thresholds);
        QCOMPARE(alertRuleGroup(AlertRuleKind::SigmaDistance), AlertRuleGroup::Forecasts);
        QCOMPARE(alertRuleGroup(AlertRuleKind::TimeToLiquidation), AlertRuleGroup::Forecasts);
        QCOMPARE(alertRuleGroup(AlertRuleKind::Velocity), AlertRuleGroup::Forecasts);
        QCOMPARE(alertRuleGroup(AlertRuleKind::Stale), AlertRuleGroup::Data);
        // The defaults are usable, and grouped in the dialog's order.
        int group = 0;
        for (const AlertRule& rule : defaultAlertPolicy().rules) {
            QVERIFY(checkAlertRule(rule).empty());
            QVERIFY(static_cast<int>(alertRuleGroup(rule.kind)) >= group);
            group = static_cast<int>(alertRuleGroup(rule.kind));
        }
    }

    /// checkDeleverageList: every problem of every entry, on its field.
    void deleverageChecks_data()
    {
        QTest::addColumn<QString>("change");      // what is changed from the safe defaults, on entry 1 of "a", "b"
        QTest::addColumn<QStringList>("fields");  // entry 1's fields at fault
        QTest::addColumn<QStringList>("reasons");
        QTest::newRow("defaults") << "" << QStringList{} << QStringList{};
        QTest::newRow("zero countdown") << "countdown=0" << QStringList{"countdownSeconds"} << QStringList{"zero"};
        QTest::newRow("long countdown") << "countdown=900" << QStringList{"countdownSeconds"} << QStringList{"600"};
        QTest::newRow("negative cap") << "hour=-1" << QStringList{"maxOrdersPerHour"} << QStringList{"cannot be negative"};
        QTest::newRow("huge cap") << "day=5000" << QStringList{"maxOrdersPerDay"} << QStringList{"1000"};
        QTest::newRow("distance target 0") << "distance=0" << QStringList{"targetDistancePct"} << QStringList{"positive"};
        QTest::newRow("ratio target 1") << "ratio=1" << QStringList{"targetMarginRatioPct"} << QStringList{"below 100"};
        QTest::newRow("fraction 2") << "fraction=2" << QStringList{"maxFractionPerOrder"} << QStringList{"at most 1"};
        QTest::newRow("no label") << "label=" << QStringList{"account"} << QStringList{"label"};
        QTest::newRow("repeated label") << "label=a" << QStringList{"account"} << QStringList{"earlier entry (1)"};
        QTest::newRow("label and countdown") << "label=a;countdown=0" << QStringList{"account", "countdownSeconds"}
                                             << QStringList{"earlier", "cancel"};
    }
    void deleverageChecks()
    {
        QFETCH(QString, change);
        QFETCH(QStringList, fields);
        QFETCH(QStringList, reasons);
        std::vector<AccountAutomation> list{AccountAutomation{"a", {}}, AccountAutomation{"b", {}}};
        AccountAutomation& second = list[1];
        for (const QString& part : change.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
            const QString name = part.section(QLatin1Char('='), 0, 0);
            const QString value = part.section(QLatin1Char('='), 1);
            if (name == QLatin1String("countdown")) {
                second.settings.countdown = std::chrono::seconds(value.toInt());
            } else if (name == QLatin1String("hour")) {
                second.settings.maxOrdersPerPositionPerHour = value.toInt();
            } else if (name == QLatin1String("day")) {
                second.settings.maxOrdersPerPositionPerDay = value.toInt();
            } else if (name == QLatin1String("distance")) {
                second.settings.target = DeleverageTarget::distancePct(value.toDouble());
            } else if (name == QLatin1String("ratio")) {
                second.settings.target = DeleverageTarget::marginRatio(value.toDouble());
            } else if (name == QLatin1String("fraction")) {
                second.settings.maxFractionPerOrder = value.toDouble();
            } else if (name == QLatin1String("label")) {
                second.accountLabel = value.toStdString();
            }
        }
        const std::vector<std::vector<DeleverageProblem>> problems = checkDeleverageList(list);
        QCOMPARE(problems.size(), std::size_t{2});
        QVERIFY(problems[0].empty()); // the first entry is never at fault for the second's label
        QStringList gotFields;
        for (const DeleverageProblem& problem : problems[1]) {
            gotFields << (problem.field ? QString::fromUtf8(deleverageFieldName(*problem.field).data()) : QString());
        }
        QCOMPARE(gotFields, fields);
        for (int i = 0; i < reasons.size(); ++i) {
            QVERIFY2(QString::fromStdString(problems[1][std::size_t(i)].reason).contains(reasons[i]),
                     problems[1][std::size_t(i)].reason.c_str());
        }
    }

    void refusals()
    {
        QFETCH(QString, text);
        QFETCH(QString, field);
        QFETCH(QString, reason);
        try {
            (void)readAlertSettings(text.toStdString());
            QFAIL("accepted");
        } catch (const ConfigError& error) {
            QCOMPARE(QString::fromStdString(error.field()), field);
            QVERIFY2(QString::fromStdString(error.reason()).contains(reason), error.what());
            QVERIFY(!error.reason().empty());
        }
    }
};

QTEST_GUILESS_MAIN(TestAlertSettings)
#include "tst_alert_settings.moc"
