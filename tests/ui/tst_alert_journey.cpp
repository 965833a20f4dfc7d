// The whole journey of an alert in the desktop app, on the demo: the embedded simulator crashes the
// market (time ×10) under the demo accounts; the main window's popup shows the warning, then the
// critical, counting positions and listing each once; the alert sound really plays (recorded from a
// PulseAudio null sink: run under tests/support/with_null_sink.sh); the journal holds the rows; and with automatic deleveraging
// switched on for the demo Binance account in this test's configuration (no dry run, a 2 s
// countdown), exactly one reduce-only order per episode reaches the simulator although the first
// order's answer never comes (the simulator fills it and holds the answer) — then the account is
// read again and the position's distance is above the target.
#include "bridge/engine_host.h"
#include "dialogs/deleverage_dialog.h"
#include "models/alerts_model.h"
#include "notify/alert_list_model.h"
#include "notify/alert_popup.h"
#include "notify/alert_text.h"
#include "notify/elided_line.h"
#include "notify/notifier.h"
#include "sound_recording.h"
#include "store/journal.h"
#include "views/main_window.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTabWidget>
#include <QtTest>

#include <set>

using namespace mm;
using namespace mm::ui;
using namespace std::chrono_literals;

class TestAlertJourney : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void crashWarnsThenGoesCriticalAndDeleveragesOnce()
    {
        QTemporaryDir dir;
        EngineOptions options;
        options.demo = true;
        options.demoTimeScale = 10; // the crash within about 10 s
        options.journalFile = dir.filePath("journal.db").toStdString();
        AccountAutomation automation;
        automation.accountLabel = "demo binance";
        automation.settings.enabled = true;
        automation.settings.dryRun = false;
        automation.settings.countdown = 2s;
        automation.settings.target = DeleverageTarget::distancePct(10);
        automation.settings.triggerLevel = AlertLevel::Critical;
        options.alerts.deleverage.push_back(automation);
        EngineHost engine(options);
        QVERIFY(engine.demoSimulator() != nullptr);
        engine.demoSimulator()->failNextOrders(Venue::BinanceUsdm, sim::OrderFault::Timeout, 1);

        MainWindow window(engine);
        window.notifier().setVolume(0.8);
        std::vector<AlertEvent> alerts;
        connect(&engine, &EngineHost::alertsArrived, this,
                [&](const AlertBatch& batch) { batch.forEachEvent([&](const AlertEvent& alert) { alerts.push_back(alert); }); });
        std::vector<DeleverageStatus> statuses;
        connect(&engine, &EngineHost::deleverageStatus, this, [&](const DeleverageStatus& status) { statuses.push_back(status); });
        std::vector<QString> problems;
        connect(&engine, &EngineHost::venueProblem, this, [&](const QString& venue, const QString& text) {
            problems.push_back(venue + ": " + text);
        });

        test::Recording recording(dir.filePath("alerts.wav"));
        QVERIFY2(recording.started(), "parecord did not start: run under tests/support/with_null_sink.sh");
        window.show();
        engine.start();

        // The warning, then the critical, each shown in the popup as it comes.
        const auto seen = [&](AlertLevel level) {
            return std::find_if(alerts.begin(), alerts.end(), [&](const AlertEvent& alert) {
                return alert.level == level && (alert.change == AlertChange::Raised || alert.change == AlertChange::Escalated);
            });
        };
        QTRY_VERIFY_WITH_TIMEOUT(seen(AlertLevel::Warning) != alerts.end(), 30'000);
        QTRY_VERIFY_WITH_TIMEOUT(window.notifier().popup() != nullptr && window.notifier().popup()->isVisible(), 5'000);
        QTRY_VERIFY_WITH_TIMEOUT(seen(AlertLevel::Critical) != alerts.end(), 30'000);
        const AlertEvent critical = *seen(AlertLevel::Critical);
        const AlertKey criticalKey = AlertKey::of(critical.subject);
        AlertPopup* popup = window.notifier().popup();
        const auto listed = [&](const AlertKey& key) {
            if (popup->cardKey() == key) {
                return true;
            }
            const auto& rows = popup->listModel().rows();
            return std::any_of(rows.begin(), rows.end(), [&](const AlertListModel::Row& row) { return row.key == key; });
        };
        // Shown — unless answered or over by now (the engine decides; the crash goes on).
        QTRY_VERIFY_WITH_TIMEOUT(listed(criticalKey) || !window.notifier().liveEvent(criticalKey).has_value(), 5'000);
        QTRY_VERIFY_WITH_TIMEOUT(popup->isVisible(), 5'000);
        QVERIFY(!popup->isModal());
        QVERIFY(QApplication::activeModalWidget() == nullptr);
        // One voice per position: the popup counts positions, never more than the demo holds, and
        // lists each one once.
        const std::size_t demoPositions = engine.board()->positions.size();
        const std::size_t live = window.notifier().liveCount();
        QVERIFY(live >= 1 && live <= demoPositions + engine.board()->accounts.size());
        QVERIFY2(popup->headerText().endsWith(QStringLiteral("in danger")), qPrintable(popup->headerText()));
        std::set<AlertKey> keys;
        if (popup->cardKey()) {
            keys.insert(*popup->cardKey());
        }
        for (const auto& row : popup->listModel().rows()) {
            QVERIFY2(keys.insert(row.key).second, qPrintable(row.position));
        }
        QCOMPARE(keys.size(), std::min(live, AlertPopup::kListedAtMost));
        QStringList shown;
        for (const ElidedLine* line : popup->findChildren<ElidedLine*>()) {
            shown << line->text();
        }
        for (const auto& row : popup->listModel().rows()) {
            shown << row.levelText << row.position << row.reasons;
        }
        const QString popupText = shown.join(QLatin1Char('\n'));
        qInfo().noquote() << "popup during the crash:\n" << popupText;
        QVERIFY2(popupText.contains(QStringLiteral("critical"), Qt::CaseInsensitive), qPrintable(popupText));
        QVERIFY2(!hasNonFiniteFigure(popupText), qPrintable(popupText));
        const QString folder = qEnvironmentVariableIsSet("MM_TEST_OUTPUT_DIR") ? qEnvironmentVariable("MM_TEST_OUTPUT_DIR") : QDir::currentPath();
        popup->grab().save(QDir(folder).filePath(QStringLiteral("tst_alert_journey_popup.png")));
        window.grab().save(QDir(folder).filePath(QStringLiteral("tst_alert_journey_window.png")));
        // The critical's position, where listed, at its level or above.
        if (popup->cardKey() == criticalKey) {
            QVERIFY(popup->card()->property("level").toInt() >= static_cast<int>(AlertLevel::Critical) ||
                    window.notifier().liveEvent(criticalKey)->level < AlertLevel::Critical);
            QVERIFY(popup->cardText("position").contains(QString::fromStdString(critical.subject.symbol)));
        }

        // The automatic deleverage's countdown is on screen, cancellable.
        const auto countdownDialog = [] {
            for (QWidget* widget : QApplication::topLevelWidgets()) {
                if (auto* dialog = qobject_cast<DeleverageDialog*>(widget); dialog != nullptr && dialog->isVisible()) {
                    return dialog;
                }
            }
            return static_cast<DeleverageDialog*>(nullptr);
        };
        QTRY_VERIFY_WITH_TIMEOUT(countdownDialog() != nullptr, 20'000);
        QVERIFY(!countdownDialog()->isModal());
        countdownDialog()->grab().save(QStringLiteral("tst_alert_journey_countdown.png"));

        // The deleverage: the order, its answer held, the lookup, the fill, the re-read.
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(statuses.begin(), statuses.end(),
                                             [](const DeleverageStatus& status) { return status.targetReached.has_value(); }),
                                 60'000);
        const auto sound = recording.stop();
        for (const QString& problem : problems) {
            qInfo() << "problem:" << problem;
        }
        for (const DeleverageStatus& status : statuses) {
            qInfo() << "deleverage:" << QString::fromStdString(status.symbol) << static_cast<int>(status.state)
                    << QString::fromStdString(status.reason);
        }

        // Sound really played while the alerts sounded.
        QVERIFY2(sound.has_value(), "the recording could not be read");
        qInfo() << "recorded" << sound->seconds << "s, peak" << sound->peak << ", heard for" << sound->heardSeconds << "s";
        QVERIFY(sound->peak > test::kHeardPeak);
        QVERIFY(sound->heardSeconds > 0.2);

        // Exactly one reduce-only order per episode reached the simulator, the first one's answer held.
        const auto orders = engine.demoSimulator()->orders();
        QVERIFY(!orders.empty());
        std::set<std::string> ids;
        for (const auto& order : orders) {
            QVERIFY(order.reduceOnly);
            QVERIFY2(ids.insert(order.clientOrderId).second, ("sent twice: " + order.clientOrderId).c_str());
        }
        QVERIFY(orders.front().fault.has_value());
        const auto verified = std::find_if(statuses.begin(), statuses.end(),
                                           [](const DeleverageStatus& status) { return status.targetReached.has_value(); });
        QVERIFY2(*verified->targetReached, verified->reason.c_str());

        // A manual Deleverage… on a cross position: a preview with a plan, nothing sent until confirmed.
        const auto board = engine.board();
        QVERIFY(board != nullptr);
        std::optional<std::pair<std::size_t, std::size_t>> cross;
        for (const auto& line : board->positions) {
            if (line.accountLabel == "demo binance" && line.symbol == "BTCUSDT") {
                cross = std::pair{line.account, line.position};
            }
        }
        QVERIFY(cross.has_value());
        const std::size_t ordersBefore = engine.demoSimulator()->orders().size();
        DeleverageDialog* preview = window.openDeleverage(cross->first, cross->second);
        QVERIFY(preview != nullptr && preview->isVisible() && !preview->isModal());
        QCOMPARE(QString::fromStdString(preview->plan().symbol), QStringLiteral("BTCUSDT"));
        preview->grab().save(QStringLiteral("tst_alert_journey_preview.png"));
        preview->close();
        QCOMPARE(engine.demoSimulator()->orders().size(), ordersBefore);
        engine.stop();

        // The journal: the warning and the critical, and every step of the order.
        Journal journal = Journal::openReadOnly(dir.filePath("journal.db").toStdString());
        const auto rows = journal.alerts(10'000);
        QVERIFY(std::any_of(rows.begin(), rows.end(), [](const AlertRow& row) { return row.level == AlertLevel::Warning; }));
        QVERIFY(std::any_of(rows.begin(), rows.end(), [&](const AlertRow& row) { return row.episode == critical.episode; }));
        QStringList steps;
        for (const auto& action : journal.actionsForClientOrderId(orders.front().clientOrderId)) {
            steps << QString::fromStdString(action.action.step);
        }
        qInfo() << "steps:" << steps;
        QVERIFY(steps.indexOf("intent") >= 0 && steps.indexOf("intent") < steps.indexOf("sent"));
        QVERIFY(steps.indexOf("lookup") > steps.indexOf("sent"));
        QVERIFY(steps.contains("result") && steps.contains("verified"));
        QCOMPARE(steps.count("sent"), 1);
        // And the Alerts tab, once shown, shows the journal's rows (hidden, it reads nothing).
        auto* tabs = window.findChild<QTabWidget*>(QStringLiteral("tabs"));
        QVERIFY(tabs);
        for (int i = 0; i < tabs->count(); ++i) {
            if (tabs->tabText(i) == QStringLiteral("Alerts")) {
                tabs->setCurrentIndex(i);
            }
        }
        QTRY_VERIFY_WITH_TIMEOUT(window.alertsModel().rowCount() > 0, 5'000);
    }
};

QTEST_MAIN(TestAlertJourney)
#include "tst_alert_journey.moc"
