// The Notifier with synthetic alert events, offscreen: the popup shows a raised alert with its
// position, figures, time and the trader's four answers; an escalation updates the same entry; the
// answers go out as requests with the right episode; a cascade of 20 is one grouped window, worst
// first; the popup never blocks or takes the focus; the emergency sound loops until answered.
// The popup is rendered to tst_notifier_single.png and tst_notifier_grouped.png (the working folder,
// or $MM_TEST_OUTPUT_DIR) for a person to look at.
#include "notify/alert_popup.h"
#include "notify/alert_sounds.h"
#include "notify/alert_text.h"
#include "notify/alert_tray.h"
#include "notify/notifier.h"
#include "views/theme.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSignalSpy>
#include <QVBoxLayout>
#include <QtTest>

#include <memory>

using namespace mm;
using namespace mm::ui;

namespace {

AlertEvent alertEvent(std::uint64_t episode, AlertChange change, AlertLevel level, const char* symbol = "BTCUSDT",
                      double distancePct = 4.8, double mark = 61'000, double liquidation = 58'072)
{
    AlertEvent event;
    event.episode = episode;
    event.change = change;
    event.level = level;
    event.rule = AlertRuleKind::Distance;
    event.subject.account = 2;
    event.subject.position = 5;
    event.subject.venue = Venue::BinanceUsdm;
    event.subject.accountLabel = "main";
    event.subject.symbol = symbol;
    event.subject.side = Side::Long;
    event.value = distancePct;
    event.threshold = level == AlertLevel::Warning ? 5.0 : level == AlertLevel::Critical ? 3.0 : 1.5;
    event.markPrice = mark;
    event.liquidationPrice = liquidation;
    event.distancePct = distancePct;
    event.message = QStringLiteral("Distance to liquidation %1 % is below the %2 threshold of %3 %")
                        .arg(QString::number(distancePct, 'f', 2), alertLevelTitle(level).toLower())
                        .arg(event.threshold)
                        .toStdString();
    event.wallTimeMs = QDateTime::currentMSecsSinceEpoch();
    return event;
}

/// A stand-in for the main window: a text field the trader is typing in.
struct MainWindowStub {
    QWidget window;
    QLineEdit* field = nullptr;
    MainWindowStub()
    {
        window.setObjectName(QStringLiteral("mainWindowStub"));
        window.setWindowTitle(QStringLiteral("Margin Monitor"));
        auto* layout = new QVBoxLayout(&window);
        field = new QLineEdit(&window);
        layout->addWidget(field);
        window.resize(780, 580); // inside the offscreen screen (800 × 600)
        window.move(0, 0);
    }
};

int visibleTopLevelsBesides(const QWidget* mainWindow)
{
    int count = 0;
    for (const QWidget* widget : QApplication::topLevelWidgets()) {
        if (widget != mainWindow && widget->isVisible()) {
            ++count;
        }
    }
    return count;
}

QString labelText(const QWidget* entry, const char* name)
{
    const auto* label = entry->findChild<QLabel*>(QString::fromLatin1(name));
    if (!label) {
        return {};
    }
    // An eliding label (the position) keeps its whole text aside.
    return label->property("fullText").isValid() ? label->property("fullText").toString() : label->text();
}

QAbstractButton* button(const QWidget* entry, const char* name)
{
    return entry->findChild<QAbstractButton*>(QString::fromLatin1(name));
}

QString geometries(const QWidget& mainWindow, const QWidget& popup)
{
    const auto text = [](const QRect& r) { return QStringLiteral("%1,%2 %3×%4").arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height()); };
    return QStringLiteral("main window %1, popup %2").arg(text(mainWindow.frameGeometry()), text(popup.frameGeometry()));
}

QString savePng(QWidget& widget, const QString& name)
{
    const QString folder = qEnvironmentVariableIsSet("MM_TEST_OUTPUT_DIR") ? qEnvironmentVariable("MM_TEST_OUTPUT_DIR") : QDir::currentPath();
    const QString path = QDir(folder).filePath(name);
    QTest::qWait(50); // let the layouts settle, as on a screen
    return widget.grab().save(path) ? path : QString();
}

} // namespace

class TestNotifier : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void raisedWarningShowsThePositionAndTheAnswers();
    void escalationUpdatesTheSameEntry();
    void answersGoOutWithTheirEpisode();
    void acknowledgedSnoozedAndClearedLeave();
    void cascadeIsOneGroupedWindowWorstFirst();
    void popupNeitherBlocksNorTakesTheFocus();
    void emergencyLoopsUntilAnswered();
    void escalationBringsAnAnsweredAlertBack();
    void mutedAndVolume();
};

void TestNotifier::initTestCase()
{
    // No real sound here (tst_alert_sound plays and records them): no sound server to reach.
    qputenv("PULSE_SERVER", "unix:/nonexistent/mm-tst-notifier");
    applyDarkTheme(*qApp);
}

void TestNotifier::raisedWarningShowsThePositionAndTheAnswers()
{
    MainWindowStub main;
    main.window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&main.window));
    Notifier notifier(&main.window);
    QVERIFY(!notifier.popup()->isVisible());

    const AlertEvent event = alertEvent(7, AlertChange::Raised, AlertLevel::Warning);
    notifier.deliver(event);
    AlertPopup* popup = notifier.popup();
    QVERIFY(popup->isVisible());
    QVERIFY(popup->isWindow());
    QCOMPARE(notifier.liveEpisodes(), std::vector<std::uint64_t>{7});
    QCOMPARE(popup->headerText(), QStringLiteral("Warning alert"));
    QCOMPARE(popup->entryWidgets().size(), 1);
    const QWidget* entry = popup->entryWidgets().front();
    QCOMPARE(entry->property("episode").value<quint64>(), quint64(7));
    QCOMPARE(labelText(entry, "level"), QStringLiteral("WARNING"));
    QCOMPARE(labelText(entry, "position"), QStringLiteral("main · Binance · BTCUSDT · Long"));
    QCOMPARE(labelText(entry, "message"), QString::fromStdString(event.message));
    QCOMPARE(labelText(entry, "figures"), QStringLiteral("Distance 4.80% · Mark 61,000.00 · Liquidation 58,072.00"));
    QCOMPARE(labelText(entry, "time"), QDateTime::fromMSecsSinceEpoch(event.wallTimeMs).toLocalTime().toString(QStringLiteral("HH:mm:ss")));
    for (const char* name : {"acknowledge", "snooze", "show", "deleverage"}) {
        QAbstractButton* answer = button(entry, name);
        QVERIFY2(answer && answer->isVisible() && answer->isEnabled(), name);
        QCOMPARE(answer->focusPolicy(), Qt::NoFocus);
    }
    QCOMPARE(button(entry, "acknowledge")->text(), QStringLiteral("Acknowledge"));
    QCOMPARE(button(entry, "deleverage")->text(), QStringLiteral("Deleverage…"));
    // Every label fits: nothing clipped in the fixed-width popup.
    for (const QLabel* label : entry->findChildren<QLabel*>()) {
        if (!label->wordWrap() && !label->property("fullText").isValid()) {
            QVERIFY2(label->width() >= label->sizeHint().width(), qPrintable(label->text()));
        }
    }
    // In the corner of the main window, inside it.
    QVERIFY2(main.window.frameGeometry().contains(popup->frameGeometry()), qPrintable(geometries(main.window, *popup)));
    QCOMPARE(notifier.sounds().starts(AlertLevel::Warning), 1);
    QVERIFY(!notifier.isPlaying(AlertLevel::Emergency));

    // An account-wide alert: no position to reduce.
    AlertEvent account = alertEvent(8, AlertChange::Raised, AlertLevel::Critical);
    account.subject.position.reset();
    account.subject.symbol.clear();
    account.subject.side.reset();
    account.rule = AlertRuleKind::MarginRatio;
    account.distancePct.reset();
    account.markPrice.reset();
    account.liquidationPrice.reset();
    account.message = "Cross margin ratio 86.2 % above the critical threshold of 85 %";
    notifier.deliver(account);
    QCOMPARE(popup->headerText(), QStringLiteral("2 alerts"));
    const QWidget* accountEntry = popup->entryWidget(8);
    QVERIFY(accountEntry);
    QCOMPARE(popup->entryWidgets().front(), accountEntry); // critical before warning
    QCOMPARE(labelText(accountEntry, "position"), QStringLiteral("main · Binance · account"));
    QVERIFY(!button(accountEntry, "deleverage")->isEnabled());
    const QString two = savePng(*popup, QStringLiteral("tst_notifier_two.png"));
    QVERIFY(!two.isEmpty());

    notifier.deliver(alertEvent(8, AlertChange::Cleared, AlertLevel::Critical));
    const QString single = savePng(*popup, QStringLiteral("tst_notifier_single.png"));
    QVERIFY(!single.isEmpty());
    qInfo("rendered %s and %s", qPrintable(single), qPrintable(two));
}

void TestNotifier::escalationUpdatesTheSameEntry()
{
    MainWindowStub main;
    main.window.show();
    Notifier notifier(&main.window);
    QSignalSpy changed(&notifier, &Notifier::liveEpisodesChanged);
    notifier.deliver(alertEvent(11, AlertChange::Raised, AlertLevel::Warning, "ETHUSDT", 4.5, 3'100, 2'960.5));
    QCOMPARE(visibleTopLevelsBesides(&main.window), 1);
    notifier.deliver(alertEvent(11, AlertChange::Escalated, AlertLevel::Critical, "ETHUSDT", 2.5, 3'036, 2'960.5));
    QCOMPARE(changed.count(), 2);
    QCOMPARE(visibleTopLevelsBesides(&main.window), 1);
    QCOMPARE(notifier.liveEpisodes(), std::vector<std::uint64_t>{11});
    QCOMPARE(notifier.popup()->entryWidgets().size(), 1);
    const QWidget* entry = notifier.popup()->entryWidget(11);
    QVERIFY(entry);
    QCOMPARE(entry->property("level").toInt(), int(AlertLevel::Critical));
    QCOMPARE(labelText(entry, "level"), QStringLiteral("CRITICAL"));
    QVERIFY(labelText(entry, "figures").startsWith(QStringLiteral("Distance 2.50% · Mark 3,036.00 · ")));
    QCOMPARE(notifier.popup()->headerText(), QStringLiteral("Critical alert"));
    QCOMPARE(notifier.sounds().starts(AlertLevel::Warning), 1);
    QCOMPARE(notifier.sounds().starts(AlertLevel::Critical), 1);
}

void TestNotifier::answersGoOutWithTheirEpisode()
{
    MainWindowStub main;
    main.window.show();
    Notifier notifier(&main.window);
    QSignalSpy acknowledged(&notifier, &Notifier::acknowledgeRequested);
    QSignalSpy snoozed(&notifier, &Notifier::snoozeRequested);
    QSignalSpy shown(&notifier, &Notifier::showRequested);
    QSignalSpy deleverage(&notifier, &Notifier::deleverageRequested);
    notifier.deliver(alertEvent(21, AlertChange::Raised, AlertLevel::Critical, "SOLUSDT", 2.9, 140, 135.94));
    notifier.deliver(alertEvent(22, AlertChange::Raised, AlertLevel::Warning, "ETHUSDT"));

    QWidget* entry = notifier.popup()->entryWidget(21);
    QTest::mouseClick(button(entry, "show"), Qt::LeftButton);
    QCOMPARE(shown.count(), 1);
    const auto subject = shown.at(0).at(0).value<mm::AlertSubject>();
    QCOMPARE(subject.account, std::size_t(2));
    QCOMPARE(subject.position, std::optional<std::size_t>(5));
    QCOMPARE(subject.symbol, std::string("SOLUSDT"));

    QTest::mouseClick(button(entry, "deleverage"), Qt::LeftButton);
    QCOMPARE(deleverage.count(), 1);
    QCOMPARE(deleverage.at(0).at(0).value<quint64>(), quint64(21));
    QCOMPARE(deleverage.at(0).at(1).value<mm::AlertSubject>().symbol, std::string("SOLUSDT"));

    auto* snooze = qobject_cast<QPushButton*>(button(notifier.popup()->entryWidget(22), "snooze"));
    QVERIFY(snooze && snooze->menu());
    const auto choices = snooze->menu()->actions();
    QCOMPARE(choices.size(), 3);
    QCOMPARE(choices.at(0)->text(), QStringLiteral("5 min"));
    QCOMPARE(choices.at(2)->text(), QStringLiteral("1 h"));
    choices.at(1)->trigger();
    QCOMPARE(snoozed.count(), 1);
    QCOMPARE(snoozed.at(0).at(0).value<quint64>(), quint64(22));
    QCOMPARE(snoozed.at(0).at(1).toInt(), 15 * 60);

    QTest::mouseClick(button(notifier.popup()->entryWidget(21), "acknowledge"), Qt::LeftButton);
    QCOMPARE(acknowledged.count(), 1);
    QCOMPARE(acknowledged.at(0).at(0).value<quint64>(), quint64(21));
    // Answered: dimmed until the engine confirms; the buttons cannot send it twice.
    QWidget* answered = notifier.popup()->entryWidget(21);
    QVERIFY(answered->property("answered").toBool());
    QVERIFY(!answered->isEnabled());
    QTest::mouseClick(button(answered, "acknowledge"), Qt::LeftButton);
    QCOMPARE(acknowledged.count(), 1);
    QCOMPARE(snoozed.count(), 1);
    QCOMPARE(shown.count(), 1);
    QCOMPARE(deleverage.count(), 1);
}

void TestNotifier::acknowledgedSnoozedAndClearedLeave()
{
    MainWindowStub main;
    main.window.show();
    Notifier notifier(&main.window);
    notifier.deliver(alertEvent(31, AlertChange::Raised, AlertLevel::Warning, "BTCUSDT"));
    notifier.deliver(alertEvent(32, AlertChange::Raised, AlertLevel::Warning, "ETHUSDT"));
    QCOMPARE(notifier.liveEpisodes().size(), std::size_t(2));

    QTest::mouseClick(button(notifier.popup()->entryWidget(31), "acknowledge"), Qt::LeftButton);
    QCOMPARE(notifier.liveEpisodes().size(), std::size_t(2)); // until the engine confirms
    notifier.deliver(alertEvent(31, AlertChange::Acknowledged, AlertLevel::Warning));
    QCOMPARE(notifier.liveEpisodes(), std::vector<std::uint64_t>{32});
    QVERIFY(!notifier.popup()->entryWidget(31));
    QCOMPARE(notifier.popup()->entryWidgets().size(), 1);

    notifier.deliver(alertEvent(33, AlertChange::Raised, AlertLevel::Critical, "SOLUSDT"));
    notifier.deliver(alertEvent(33, AlertChange::Snoozed, AlertLevel::Critical, "SOLUSDT"));
    QCOMPARE(notifier.liveEpisodes(), std::vector<std::uint64_t>{32});
    notifier.deliver(alertEvent(32, AlertChange::Cleared, AlertLevel::Warning));
    QVERIFY(notifier.liveEpisodes().empty());
    QVERIFY(notifier.popup()->entryWidgets().isEmpty());
    QVERIFY(!notifier.popup()->isVisible());
    QCOMPARE(visibleTopLevelsBesides(&main.window), 0);
    // An event for an episode never seen (or already gone) changes nothing.
    notifier.deliver(alertEvent(99, AlertChange::Cleared, AlertLevel::Warning));
    QVERIFY(!notifier.popup()->isVisible());
}

void TestNotifier::cascadeIsOneGroupedWindowWorstFirst()
{
    MainWindowStub main;
    main.window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&main.window));
    Notifier notifier(&main.window);
    QSignalSpy acknowledged(&notifier, &Notifier::acknowledgeRequested);
    const char* symbols[] = {"BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT", "DOGEUSDT"};
    const std::int64_t start = QDateTime::currentMSecsSinceEpoch();
    for (int i = 0; i < 20; ++i) {
        const AlertLevel level = i == 13 ? AlertLevel::Emergency : i % 3 == 0 ? AlertLevel::Critical : AlertLevel::Warning;
        const double distance = level == AlertLevel::Emergency ? 0.9 : level == AlertLevel::Critical ? 2.0 + i * 0.05 : 3.0 + i * 0.1;
        AlertEvent event = alertEvent(100 + std::uint64_t(i), AlertChange::Raised, level, symbols[i % 5], distance,
                                      61'000, 61'000 * (1 - distance / 100));
        event.subject.account = std::size_t(i / 5);
        event.subject.position = std::size_t(i % 5);
        event.subject.accountLabel = i == 3 ? "Long-term hedge account on the sub-account 3" : "acct-" + std::to_string(i / 5);
        event.wallTimeMs = start + i * 50; // 20 within one second
        notifier.deliver(event);
        QCOMPARE(visibleTopLevelsBesides(&main.window), 1);
    }
    AlertPopup* popup = notifier.popup();
    QCOMPARE(visibleTopLevelsBesides(&main.window), 1);
    QVERIFY(popup->isGrouped());
    QCOMPARE(popup->headerText(), QStringLiteral("20 positions in danger"));
    QCOMPARE(popup->entryWidgets().size(), 20);
    // Worst first: the emergency, then the criticals nearest to liquidation, then the warnings.
    QCOMPARE(popup->entryWidgets().front()->property("episode").value<quint64>(), quint64(113));
    QCOMPARE(notifier.liveEpisodes().front(), std::uint64_t(113));
    int previousLevel = 4;
    for (const QWidget* entry : popup->entryWidgets()) {
        QVERIFY(entry->property("level").toInt() <= previousLevel);
        previousLevel = entry->property("level").toInt();
    }
    QCOMPARE(popup->entryWidgets().at(1)->property("episode").value<quint64>(), quint64(100)); // critical, 2.00 %
    QWidget* row = popup->entryWidgets().at(1);
    QVERIFY(row->property("compact").toBool());
    // The compact rows' answers are within the popup, not pushed out by a long position.
    for (const char* name : {"show", "acknowledge"}) {
        QAbstractButton* answer = button(row, name);
        QVERIFY2(answer && answer->isVisible(), name);
        const QRect inPopup(answer->mapTo(popup, QPoint(0, 0)), answer->size());
        QVERIFY2(popup->rect().contains(inPopup), name);
    }
    QCOMPARE(labelText(row, "position"), QStringLiteral("acct-0 · Binance · BTCUSDT · Long"));
    // One sound start per level, not twenty; the emergency loops and the chimes stay quiet under it.
    QCOMPARE(notifier.sounds().starts(AlertLevel::Warning), 1);
    QCOMPARE(notifier.sounds().starts(AlertLevel::Critical), 1);
    QCOMPARE(notifier.sounds().starts(AlertLevel::Emergency), 1);
    QVERIFY(notifier.isPlaying(AlertLevel::Emergency));
    // One tray message (where a tray exists) and a summary at most, not twenty.
    QVERIFY(notifier.tray().messagesShown() <= 1);
    // The popup stays within the main window and the screen.
    QVERIFY2(main.window.frameGeometry().contains(popup->frameGeometry()), qPrintable(geometries(main.window, *popup)));
    const QString path = savePng(*popup, QStringLiteral("tst_notifier_grouped.png"));
    QVERIFY(!path.isEmpty());
    qInfo("rendered %s", qPrintable(path));

    auto* all = popup->findChild<QPushButton*>(QStringLiteral("acknowledgeAll"));
    QVERIFY(all && all->isVisible());
    QTest::mouseClick(all, Qt::LeftButton);
    QCOMPARE(acknowledged.count(), 20);
    QVERIFY(!notifier.isPlaying(AlertLevel::Emergency));
    for (int i = 0; i < 20; ++i) {
        notifier.deliver(alertEvent(100 + std::uint64_t(i), AlertChange::Acknowledged, AlertLevel::Warning));
    }
    QVERIFY(!popup->isVisible());
    QCOMPARE(acknowledged.count(), 20);
}

void TestNotifier::popupNeitherBlocksNorTakesTheFocus()
{
    MainWindowStub main;
    main.window.show();
    main.window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&main.window));
    main.field->setFocus();
    QTest::keyClicks(main.field, QStringLiteral("61"));
    Notifier notifier(&main.window);
    notifier.deliver(alertEvent(41, AlertChange::Raised, AlertLevel::Critical));
    notifier.deliver(alertEvent(42, AlertChange::Raised, AlertLevel::Emergency, "ETHUSDT", 0.8, 3'100, 3'075.2));
    QTest::qWait(100);
    QVERIFY(notifier.popup()->isVisible());
    QVERIFY(!notifier.popup()->isModal());
    QCOMPARE(notifier.popup()->windowModality(), Qt::NonModal);
    QVERIFY(notifier.popup()->testAttribute(Qt::WA_ShowWithoutActivating));
    QVERIFY(notifier.popup()->windowFlags().testFlag(Qt::WindowDoesNotAcceptFocus));
    QCOMPARE(QApplication::activeModalWidget(), nullptr);
    QCOMPARE(QApplication::activeWindow(), &main.window);
    QCOMPARE(QApplication::focusWidget(), main.field);
    // The trader keeps typing, and clicking an answer does not take the field's focus either.
    QTest::keyClicks(main.field, QStringLiteral("500"));
    QCOMPARE(main.field->text(), QStringLiteral("61500"));
    QTest::mouseClick(button(notifier.popup()->entryWidget(41), "show"), Qt::LeftButton);
    QCOMPARE(QApplication::focusWidget(), main.field);
    QCOMPARE(QApplication::activeWindow(), &main.window);
}

void TestNotifier::emergencyLoopsUntilAnswered()
{
    MainWindowStub main;
    main.window.show();
    Notifier notifier(&main.window);
    notifier.sounds().setRateWindow(std::chrono::milliseconds(0));
    notifier.deliver(alertEvent(51, AlertChange::Raised, AlertLevel::Emergency));
    QVERIFY(notifier.sounds().isLooping());
    QVERIFY(notifier.isPlaying(AlertLevel::Emergency));
    // Another alert does not end the loop, nor restart it.
    notifier.deliver(alertEvent(52, AlertChange::Raised, AlertLevel::Warning, "ETHUSDT"));
    QVERIFY(notifier.isPlaying(AlertLevel::Emergency));
    QCOMPARE(notifier.sounds().starts(AlertLevel::Emergency), 1);
    QCOMPARE(notifier.sounds().starts(AlertLevel::Warning), 0); // not over the alarm
    // The trader clicks Acknowledge: quiet at once, before the engine confirms.
    QTest::mouseClick(button(notifier.popup()->entryWidget(51), "acknowledge"), Qt::LeftButton);
    QVERIFY(!notifier.isPlaying(AlertLevel::Emergency));
    QVERIFY(!notifier.sounds().isLooping());
    notifier.deliver(alertEvent(51, AlertChange::Acknowledged, AlertLevel::Emergency));
    QVERIFY(!notifier.isPlaying(AlertLevel::Emergency));

    // Two emergencies: the loop runs until both are answered (here one snoozed, one cleared).
    notifier.deliver(alertEvent(53, AlertChange::Raised, AlertLevel::Emergency, "SOLUSDT"));
    notifier.deliver(alertEvent(54, AlertChange::Escalated, AlertLevel::Emergency, "XRPUSDT"));
    QVERIFY(notifier.isPlaying(AlertLevel::Emergency));
    notifier.deliver(alertEvent(53, AlertChange::Snoozed, AlertLevel::Emergency, "SOLUSDT"));
    QVERIFY(notifier.isPlaying(AlertLevel::Emergency));
    notifier.deliver(alertEvent(54, AlertChange::Cleared, AlertLevel::Emergency, "XRPUSDT"));
    QVERIFY(!notifier.isPlaying(AlertLevel::Emergency));
    QCOMPARE(notifier.sounds().starts(AlertLevel::Emergency), 2);
}

void TestNotifier::escalationBringsAnAnsweredAlertBack()
{
    MainWindowStub main;
    main.window.show();
    Notifier notifier(&main.window);
    notifier.deliver(alertEvent(61, AlertChange::Raised, AlertLevel::Critical));
    notifier.deliver(alertEvent(61, AlertChange::Acknowledged, AlertLevel::Critical));
    QVERIFY(!notifier.popup()->isVisible());
    notifier.deliver(alertEvent(61, AlertChange::Escalated, AlertLevel::Emergency, "BTCUSDT", 0.7, 58'480, 58'072));
    QVERIFY(notifier.popup()->isVisible());
    QCOMPARE(notifier.popup()->entryWidget(61)->property("level").toInt(), int(AlertLevel::Emergency));
    QVERIFY(notifier.isPlaying(AlertLevel::Emergency));
}

void TestNotifier::mutedAndVolume()
{
    MainWindowStub main;
    Notifier notifier(&main.window);
    notifier.setVolume(1.7);
    QCOMPARE(notifier.volume(), 1.0);
    notifier.setVolume(0.25);
    QCOMPARE(notifier.volume(), 0.25);
    notifier.setMuted(true);
    QVERIFY(notifier.isMuted());
    notifier.deliver(alertEvent(71, AlertChange::Raised, AlertLevel::Emergency));
    notifier.deliver(alertEvent(72, AlertChange::Raised, AlertLevel::Warning, "ETHUSDT"));
    QVERIFY(!notifier.isPlaying(AlertLevel::Emergency));
    QCOMPARE(notifier.sounds().starts(AlertLevel::Warning), 0);
    QCOMPARE(notifier.sounds().starts(AlertLevel::Emergency), 0);
    QVERIFY(notifier.popup()->isVisible()); // muted is not blind
    // Unmuted with the emergency still unanswered: the alarm comes back.
    notifier.setMuted(false);
    QVERIFY(notifier.isPlaying(AlertLevel::Emergency));
    QCOMPARE(notifier.sounds().starts(AlertLevel::Emergency), 1);
}

QTEST_MAIN(TestNotifier)
#include "tst_notifier.moc"
