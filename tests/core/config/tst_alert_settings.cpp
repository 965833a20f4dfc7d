// The alerts configuration: defaults, round trips, and every refusal naming its field.
#include "config/accounts_config.h"
#include "config/alert_settings.h"

#include <QtTest>

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
        QCOMPARE(settings.policy.cooldown.count(), 60);
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
                                                   << "deleverage[0]" << "countdown";
        QTest::newRow("deleverage two targets")
            << R"({"deleverage": [{"account": "a", "targetDistancePct": 10, "targetMarginRatioPct": 50}]})"
            << "deleverage[0].targetMarginRatioPct" << "not both";
        QTest::newRow("deleverage twice") << R"({"deleverage": [{"account": "a"}, {"account": "a"}]})" << "deleverage[1].account"
                                          << "earlier entry";
        QTest::newRow("deleverage fractional cap") << R"({"deleverage": [{"account": "a", "maxOrdersPerHour": 1.5}]})"
                                                   << "deleverage[0].maxOrdersPerHour" << "whole number";
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
