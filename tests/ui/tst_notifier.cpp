// The Notifier with synthetic alert events, offscreen: one voice per position — the popup counts
// positions, lists each once (however many episodes the engine runs for it), worst first, and
// updates in place; a sound only when a position's level rises; the answers act on the position; a
// batch of coalesced changes is one row and one sound at its highest level; a storm of 2,000
// positions is bounded work (a list of at most 19 rows, "and N more", few redraws and no relayout
// per alert); no "inf" or "nan" reaches a popup; the popup never blocks or takes the focus; the
// emergency sound loops until answered.
// The popup is rendered to tst_notifier_single.png, tst_notifier_two.png, tst_notifier_grouped.png
// and tst_notifier_crash.png (the working folder, or $MM_TEST_OUTPUT_DIR) for a person to look at.
#include "bridge/alert_queue.h"
#include "notify/alert_list_model.h"
#include "notify/alert_popup.h"
#include "notify/alert_sounds.h"
#include "notify/alert_text.h"
#include "notify/alert_tray.h"
#include "notify/elided_line.h"
#include "notify/notifier.h"
#include "views/theme.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QVBoxLayout>
#include <QtTest>

#include <cmath>
#include <limits>
#include <memory>
#include <set>

using namespace mm;
using namespace mm::ui;
using namespace std::chrono_literals;

namespace {

/// A position index per symbol: each symbol here is a position of its own.
std::size_t positionOf(const std::string& symbol)
{
    const char* known[] = {"BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT", "DOGEUSDT", "ADAUSDT", "AVAXUSDT", "LINKUSDT"};
    for (std::size_t i = 0; i < std::size(known); ++i) {
        if (symbol == known[i]) {
            return i;
        }
    }
    return 99;
}

AlertEvent alertEvent(std::uint64_t episode, AlertChange change, AlertLevel level, const char* symbol = "BTCUSDT",
                      double distancePct = 4.8, double mark = 61'000, double liquidation = 58'072)
{
    AlertEvent event;
    event.episode = episode;
    event.change = change;
    event.level = level;
    event.rule = AlertRuleKind::Distance;
    event.subject.account = 2;
    event.subject.position = positionOf(symbol);
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

AlertKey keyOf(const AlertEvent& event)
{
    return AlertKey::of(event.subject);
}

AlertKey keyOf(const char* symbol)
{
    return AlertKey{2, positionOf(symbol)};
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

QAbstractButton* button(const QWidget* where, const char* name)
{
    return where->findChild<QAbstractButton*>(QString::fromLatin1(name));
}

void clickCell(QTableView* view, int row, int column)
{
    const QRect cell = view->visualRect(view->model()->index(row, column));
    QVERIFY(cell.isValid());
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, cell.center());
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

/// Every text the popup shows: its lines and its list's cells and tooltips.
QString everyText(const AlertPopup& popup)
{
    QStringList texts;
    for (const ElidedLine* line : popup.findChildren<ElidedLine*>()) {
        texts << line->text() << line->toolTip();
    }
    const AlertListModel& model = popup.listModel();
    for (int row = 0; row < model.rowCount(); ++row) {
        for (int column = 0; column < model.columnCount(); ++column) {
            texts << model.index(row, column).data().toString() << model.index(row, column).data(Qt::ToolTipRole).toString();
        }
    }
    return texts.join(QLatin1Char('\n'));
}

/// A notifier that redraws at every change, for tests of what it shows.
std::unique_ptr<Notifier> immediateNotifier(QWidget* mainWindow)
{
    auto notifier = std::make_unique<Notifier>(mainWindow);
    notifier->setRefreshInterval(0ms);
    return notifier;
}

} // namespace

class TestNotifier : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void raisedWarningShowsThePositionAndTheAnswers();
    void escalationUpdatesTheSameEntryInPlace();
    void answersGoOutWithTheirEpisode();
    void acknowledgedSnoozedAndClearedLeave();
    void cascadeIsOneWindowCountingPositionsWorstFirst();
    void oneRowPerPositionWhateverItsEpisodes();
    void aCoalescedBatchIsOneRowAndOneSoundAtItsHighestLevel();
    void aSoundIsNotLostToALaterChange();
    void aRepeatDoesNotSoundARiseDoes();
    void aStormIsBoundedWork();
    void listModelUpdatesInPlace();
    void noInfinityOrNanReachesThePopup();
    void crashScreenshot();
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
    const auto notifier = immediateNotifier(&main.window);
    AlertPopup* popup = notifier->popup();
    QVERIFY(!popup->isVisible());

    const AlertEvent event = alertEvent(7, AlertChange::Raised, AlertLevel::Warning);
    notifier->deliver(event);
    QVERIFY(popup->isVisible());
    QVERIFY(popup->isWindow());
    QCOMPARE(notifier->liveSubjects(), std::vector<AlertKey>{keyOf(event)});
    QCOMPARE(notifier->liveEpisodes(keyOf(event)), std::vector<std::uint64_t>{7});
    QCOMPARE(popup->headerText(), QStringLiteral("1 position in danger"));
    QCOMPARE(popup->summaryText(), QStringLiteral("1 warning"));
    QCOMPARE(popup->cardKey(), std::optional<AlertKey>(keyOf(event)));
    QCOMPARE(popup->listModel().rowCount(), 0);
    QVERIFY(!popup->listView()->isVisible());
    QCOMPARE(popup->cardText("level"), QStringLiteral("WARNING"));
    QCOMPARE(popup->cardText("position"), QStringLiteral("main · Binance · BTCUSDT · Long"));
    QCOMPARE(popup->cardReasons(), QStringList{QStringLiteral("4.80% to liquidation — warning below 5%")});
    QVERIFY(popup->card()->toolTip().contains(QString::fromStdString(event.message))); // the engine's words, whole
    QCOMPARE(popup->cardText("figures"), QStringLiteral("Distance 4.80% · Mark 61,000.00 · Liquidation 58,072.00"));
    QCOMPARE(popup->cardText("time"), QDateTime::fromMSecsSinceEpoch(event.wallTimeMs).toLocalTime().toString(QStringLiteral("HH:mm:ss")));
    for (const char* name : {"acknowledge", "snooze", "show", "deleverage"}) {
        QAbstractButton* answer = button(popup->card(), name);
        QVERIFY2(answer && answer->isVisible() && answer->isEnabled(), name);
        QCOMPARE(answer->focusPolicy(), Qt::NoFocus);
    }
    QCOMPARE(button(popup->card(), "acknowledge")->text(), QStringLiteral("Acknowledge"));
    QCOMPARE(button(popup->card(), "deleverage")->text(), QStringLiteral("Deleverage…"));
    // Every line of the card fits: nothing elided in the fixed-width popup.
    for (const ElidedLine* line : popup->card()->findChildren<ElidedLine*>()) {
        QVERIFY2(line->fits(), qPrintable(line->objectName() + QStringLiteral(": ") + line->text()));
    }
    // In the corner of the main window, inside it.
    QVERIFY2(main.window.frameGeometry().contains(popup->frameGeometry()), qPrintable(geometries(main.window, *popup)));
    QCOMPARE(notifier->sounds().starts(AlertLevel::Warning), 1);
    QVERIFY(!notifier->isPlaying(AlertLevel::Emergency));
    const QString single = savePng(*popup, QStringLiteral("tst_notifier_single.png"));
    QVERIFY(!single.isEmpty());

    // An account-wide alert: no position to reduce; critical, so it takes the card.
    AlertEvent account = alertEvent(8, AlertChange::Raised, AlertLevel::Critical);
    account.subject.position.reset();
    account.subject.symbol.clear();
    account.subject.side.reset();
    account.rule = AlertRuleKind::MarginRatio;
    account.value = 86.2;
    account.threshold = 85;
    account.distancePct.reset();
    account.markPrice.reset();
    account.liquidationPrice.reset();
    account.message = "Cross margin ratio 86.2 % above the critical threshold of 85 %";
    notifier->deliver(account);
    QCOMPARE(popup->headerText(), QStringLiteral("1 position and 1 account in danger"));
    QCOMPARE(popup->summaryText(), QStringLiteral("1 critical · 1 warning — worst first"));
    QCOMPARE(popup->cardKey(), std::optional<AlertKey>(AlertKey{2, std::nullopt}));
    QCOMPARE(popup->cardText("position"), QStringLiteral("main · Binance · account"));
    QCOMPARE(popup->cardReasons(), QStringList{QStringLiteral("margin ratio 86.20% — critical above 85%")});
    QVERIFY(!button(popup->card(), "deleverage")->isEnabled());
    QCOMPARE(popup->listModel().rowCount(), 1);
    QCOMPARE(popup->listModel().row(0).key, keyOf(event));
    QCOMPARE(popup->listModel().index(0, AlertListModel::Position).data().toString(), QStringLiteral("BTCUSDT Long · main · Binance"));
    QCOMPARE(popup->listModel().index(0, AlertListModel::Distance).data().toString(), QStringLiteral("4.80%"));
    QVERIFY(popup->listView()->isVisible());
    QVERIFY2(main.window.frameGeometry().contains(popup->frameGeometry()), qPrintable(geometries(main.window, *popup)));
    const QString two = savePng(*popup, QStringLiteral("tst_notifier_two.png"));
    QVERIFY(!two.isEmpty());

    account.change = AlertChange::Cleared;
    notifier->deliver(account);
    QCOMPARE(popup->headerText(), QStringLiteral("1 position in danger"));
    QCOMPARE(popup->cardKey(), std::optional<AlertKey>(keyOf(event)));
    qInfo("rendered %s and %s", qPrintable(single), qPrintable(two));
}

void TestNotifier::escalationUpdatesTheSameEntryInPlace()
{
    MainWindowStub main;
    main.window.show();
    const auto notifier = immediateNotifier(&main.window);
    QSignalSpy changed(notifier.get(), &Notifier::liveChanged);
    notifier->deliver(alertEvent(11, AlertChange::Raised, AlertLevel::Warning, "ETHUSDT", 4.5, 3'100, 2'960.5));
    notifier->deliver(alertEvent(12, AlertChange::Raised, AlertLevel::Warning, "SOLUSDT", 4.9, 140, 133.1));
    QCOMPARE(visibleTopLevelsBesides(&main.window), 1);
    AlertPopup* popup = notifier->popup();
    QWidget* card = popup->card();
    const int relayouts = popup->relayouts();
    QSignalSpy inserted(&popup->listModel(), &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&popup->listModel(), &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(&popup->listModel(), &QAbstractItemModel::modelReset);
    QSignalSpy dataChanged(&popup->listModel(), &QAbstractItemModel::dataChanged);

    notifier->deliver(alertEvent(11, AlertChange::Escalated, AlertLevel::Critical, "ETHUSDT", 2.5, 3'036, 2'960.5));
    QCOMPARE(changed.count(), 3);
    QCOMPARE(visibleTopLevelsBesides(&main.window), 1);
    QCOMPARE(notifier->liveSubjects(), (std::vector<AlertKey>{keyOf("ETHUSDT"), keyOf("SOLUSDT")}));
    // The same card and the same one row, their texts changed: nothing rebuilt, nothing laid out.
    QCOMPARE(popup->card(), card);
    QCOMPARE(popup->relayouts(), relayouts);
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(removed.count(), 0);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(popup->cardKey(), std::optional<AlertKey>(keyOf("ETHUSDT")));
    QCOMPARE(card->property("level").toInt(), int(AlertLevel::Critical));
    QCOMPARE(popup->cardText("level"), QStringLiteral("CRITICAL"));
    QVERIFY(popup->cardText("figures").startsWith(QStringLiteral("Distance 2.50% · Mark 3,036.00 · ")));
    QCOMPARE(popup->headerText(), QStringLiteral("2 positions in danger"));
    QCOMPARE(popup->listModel().rowCount(), 1);
    QCOMPARE(popup->listModel().row(0).key, keyOf("SOLUSDT"));
    QCOMPARE(dataChanged.count(), 0); // the row already showed SOLUSDT
    QCOMPARE(notifier->sounds().starts(AlertLevel::Warning), 1);
    QCOMPARE(notifier->sounds().starts(AlertLevel::Critical), 1);

    // The list's row changes text when its position's figures change: one dataChanged.
    notifier->deliver(alertEvent(12, AlertChange::Eased, AlertLevel::Warning, "SOLUSDT", 4.7, 139.7, 133.1));
    QCOMPARE(dataChanged.count(), 1);
    QCOMPARE(popup->listModel().index(0, AlertListModel::Distance).data().toString(), QStringLiteral("4.70%"));
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(removed.count(), 0);
    QCOMPARE(popup->relayouts(), relayouts);
}

void TestNotifier::answersGoOutWithTheirEpisode()
{
    MainWindowStub main;
    main.window.show();
    const auto notifier = immediateNotifier(&main.window);
    QSignalSpy acknowledged(notifier.get(), &Notifier::acknowledgeRequested);
    QSignalSpy snoozed(notifier.get(), &Notifier::snoozeRequested);
    QSignalSpy shown(notifier.get(), &Notifier::showRequested);
    QSignalSpy deleverage(notifier.get(), &Notifier::deleverageRequested);
    notifier->deliver(alertEvent(21, AlertChange::Raised, AlertLevel::Critical, "SOLUSDT", 2.9, 140, 135.94));
    notifier->deliver(alertEvent(22, AlertChange::Raised, AlertLevel::Warning, "ETHUSDT"));
    AlertPopup* popup = notifier->popup();
    QCOMPARE(popup->cardKey(), std::optional<AlertKey>(keyOf("SOLUSDT")));

    QTest::mouseClick(button(popup->card(), "show"), Qt::LeftButton);
    QCOMPARE(shown.count(), 1);
    const auto subject = shown.at(0).at(0).value<mm::AlertSubject>();
    QCOMPARE(subject.account, std::size_t(2));
    QCOMPARE(subject.position, std::optional<std::size_t>(positionOf("SOLUSDT")));
    QCOMPARE(subject.symbol, std::string("SOLUSDT"));

    QTest::mouseClick(button(popup->card(), "deleverage"), Qt::LeftButton);
    QCOMPARE(deleverage.count(), 1);
    QCOMPARE(deleverage.at(0).at(0).value<quint64>(), quint64(21));
    QCOMPARE(deleverage.at(0).at(1).value<mm::AlertSubject>().symbol, std::string("SOLUSDT"));

    auto* snooze = qobject_cast<QPushButton*>(button(popup->card(), "snooze"));
    QVERIFY(snooze && snooze->menu());
    const auto choices = snooze->menu()->actions();
    QCOMPARE(choices.size(), 3);
    QCOMPARE(choices.at(0)->text(), QStringLiteral("5 min"));
    QCOMPARE(choices.at(2)->text(), QStringLiteral("1 h"));

    // The list's row: a click shows its position, its Ack acknowledges it.
    QCOMPARE(popup->listModel().row(0).key, keyOf("ETHUSDT"));
    clickCell(popup->listView(), 0, AlertListModel::Position);
    QCOMPARE(shown.count(), 2);
    QCOMPARE(shown.at(1).at(0).value<mm::AlertSubject>().symbol, std::string("ETHUSDT"));
    clickCell(popup->listView(), 0, AlertListModel::Acknowledge);
    QCOMPARE(acknowledged.count(), 1);
    QCOMPARE(acknowledged.at(0).at(0).value<quint64>(), quint64(22));
    // Answered: dimmed (and last) until the engine confirms; a second click does not send it twice.
    QVERIFY(popup->listModel().row(0).answered);
    clickCell(popup->listView(), 0, AlertListModel::Acknowledge);
    QCOMPARE(acknowledged.count(), 1);

    choices.at(1)->trigger(); // the card's position (SOLUSDT), snoozed 15 min
    QCOMPARE(snoozed.count(), 1);
    QCOMPARE(snoozed.at(0).at(0).value<quint64>(), quint64(21));
    QCOMPARE(snoozed.at(0).at(1).toInt(), 15 * 60);
    // Both answered now: the card is dimmed, its buttons off.
    QVERIFY(popup->card()->property("answered").toBool());
    QVERIFY(!button(popup->card(), "acknowledge")->isEnabled());
    QTest::mouseClick(button(popup->card(), "acknowledge"), Qt::LeftButton);
    QCOMPARE(acknowledged.count(), 1);
    QCOMPARE(snoozed.count(), 1);
    QCOMPARE(shown.count(), 2);
    QCOMPARE(deleverage.count(), 1);
}

void TestNotifier::acknowledgedSnoozedAndClearedLeave()
{
    MainWindowStub main;
    main.window.show();
    const auto notifier = immediateNotifier(&main.window);
    notifier->deliver(alertEvent(31, AlertChange::Raised, AlertLevel::Warning, "BTCUSDT"));
    notifier->deliver(alertEvent(32, AlertChange::Raised, AlertLevel::Warning, "ETHUSDT"));
    QCOMPARE(notifier->liveCount(), std::size_t(2));

    notifier->popup()->acknowledgeClicked(keyOf("BTCUSDT"));
    QCOMPARE(notifier->liveCount(), std::size_t(2)); // until the engine confirms
    notifier->deliver(alertEvent(31, AlertChange::Acknowledged, AlertLevel::Warning));
    QCOMPARE(notifier->liveSubjects(), std::vector<AlertKey>{keyOf("ETHUSDT")});
    QCOMPARE(notifier->popup()->cardKey(), std::optional<AlertKey>(keyOf("ETHUSDT")));
    QCOMPARE(notifier->popup()->listModel().rowCount(), 0);
    // A later, quieter change of the acknowledged episode does not bring it back.
    notifier->deliver(alertEvent(31, AlertChange::Eased, AlertLevel::Warning, "BTCUSDT", 7.0));
    QCOMPARE(notifier->liveCount(), std::size_t(1));

    notifier->deliver(alertEvent(33, AlertChange::Raised, AlertLevel::Critical, "SOLUSDT"));
    notifier->deliver(alertEvent(33, AlertChange::Snoozed, AlertLevel::Critical, "SOLUSDT"));
    QCOMPARE(notifier->liveSubjects(), std::vector<AlertKey>{keyOf("ETHUSDT")});
    notifier->deliver(alertEvent(32, AlertChange::Cleared, AlertLevel::Warning, "ETHUSDT"));
    QCOMPARE(notifier->liveCount(), std::size_t(0));
    QVERIFY(!notifier->popup()->isVisible());
    QCOMPARE(visibleTopLevelsBesides(&main.window), 0);
    // An event for an episode never seen (or already gone) changes nothing.
    notifier->deliver(alertEvent(99, AlertChange::Cleared, AlertLevel::Warning));
    QVERIFY(!notifier->popup()->isVisible());
}

void TestNotifier::cascadeIsOneWindowCountingPositionsWorstFirst()
{
    MainWindowStub main;
    main.window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&main.window));
    const auto notifier = immediateNotifier(&main.window);
    QSignalSpy acknowledged(notifier.get(), &Notifier::acknowledgeRequested);
    const char* symbols[] = {"BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT", "DOGEUSDT"};
    const std::int64_t start = QDateTime::currentMSecsSinceEpoch();
    for (int i = 0; i < 24; ++i) {
        const AlertLevel level = i == 13 ? AlertLevel::Emergency : i % 3 == 0 ? AlertLevel::Critical : AlertLevel::Warning;
        const double distance = level == AlertLevel::Emergency ? 0.9 : level == AlertLevel::Critical ? 2.0 + i * 0.05 : 3.0 + i * 0.1;
        AlertEvent event = alertEvent(100 + std::uint64_t(i), AlertChange::Raised, level, symbols[i % 5], distance, 61'000,
                                      61'000 * (1 - distance / 100));
        event.subject.account = std::size_t(i / 5);
        event.subject.position = std::size_t(i % 5);
        event.subject.accountLabel = i == 3 ? "Long-term hedge account on the sub-account 3" : "acct-" + std::to_string(i / 5);
        event.wallTimeMs = start + i * 50; // 24 within a bit more than a second
        notifier->deliver(event);
        QCOMPARE(visibleTopLevelsBesides(&main.window), 1);
    }
    AlertPopup* popup = notifier->popup();
    QCOMPARE(popup->headerText(), QStringLiteral("24 positions in danger"));
    QCOMPARE(popup->summaryText(), QStringLiteral("1 emergency · 8 critical · 15 warning — worst first"));
    // The card and 19 rows: the 20 worst; the rest counted.
    QCOMPARE(popup->listModel().rowCount(), 19);
    QCOMPARE(popup->moreText(), QStringLiteral("and 4 more — every position is in the Positions tab"));
    // Worst first: the emergency, then the criticals nearest to liquidation, then the warnings.
    QCOMPARE(popup->cardKey(), std::optional<AlertKey>(AlertKey{2, 3}));
    QCOMPARE(notifier->liveSubjects().front(), (AlertKey{2, 3}));
    QCOMPARE(popup->listModel().row(0).key, (AlertKey{0, 0})); // critical, 2.00 %
    int previousLevel = int(AlertLevel::Emergency);
    for (const auto& row : popup->listModel().rows()) {
        QVERIFY(int(row.level) <= previousLevel);
        previousLevel = int(row.level);
    }
    // Each position once.
    std::set<AlertKey> listed{*popup->cardKey()};
    for (const auto& row : popup->listModel().rows()) {
        QVERIFY(listed.insert(row.key).second);
    }
    // A long account label is elided in its cell, whole in the tooltip.
    bool longOne = false;
    for (int row = 0; row < popup->listModel().rowCount(); ++row) {
        if (popup->listModel().row(row).key == AlertKey{0, 3}) {
            longOne = popup->listModel().index(row, AlertListModel::Position).data(Qt::ToolTipRole).toString().contains(
                QStringLiteral("Long-term hedge account on the sub-account 3"));
        }
    }
    QVERIFY(longOne);
    // The rows' Ack is within the popup, not pushed out by a long position.
    const QRect ack = popup->listView()->visualRect(popup->listModel().index(0, AlertListModel::Acknowledge));
    const QRect inPopup(popup->listView()->viewport()->mapTo(popup, ack.topLeft()), ack.size());
    QVERIFY(popup->rect().contains(inPopup));
    // One sound start per level, not twenty; the emergency loops and the chimes stay quiet under it.
    QCOMPARE(notifier->sounds().starts(AlertLevel::Warning), 1);
    QCOMPARE(notifier->sounds().starts(AlertLevel::Critical), 1);
    QCOMPARE(notifier->sounds().starts(AlertLevel::Emergency), 1);
    QVERIFY(notifier->isPlaying(AlertLevel::Emergency));
    // One tray message (where a tray exists) and a summary at most, not twenty.
    QVERIFY(notifier->tray().messagesShown() <= 1);
    // The popup stays within the main window and the screen.
    QVERIFY2(main.window.frameGeometry().contains(popup->frameGeometry()), qPrintable(geometries(main.window, *popup)));
    const QString path = savePng(*popup, QStringLiteral("tst_notifier_grouped.png"));
    QVERIFY(!path.isEmpty());
    qInfo("rendered %s", qPrintable(path));

    auto* all = popup->findChild<QPushButton*>(QStringLiteral("acknowledgeAll"));
    QVERIFY(all && all->isVisible());
    QTest::mouseClick(all, Qt::LeftButton);
    QCOMPARE(acknowledged.count(), 24);
    QVERIFY(!notifier->isPlaying(AlertLevel::Emergency));
    for (int i = 0; i < 24; ++i) {
        AlertEvent confirmed = alertEvent(100 + std::uint64_t(i), AlertChange::Acknowledged, AlertLevel::Warning);
        confirmed.subject.account = std::size_t(i / 5);
        confirmed.subject.position = std::size_t(i % 5);
        notifier->deliver(confirmed);
    }
    QVERIFY(!popup->isVisible());
    QCOMPARE(acknowledged.count(), 24);
}

void TestNotifier::oneRowPerPositionWhateverItsEpisodes()
{
    // The per-rule engine runs an episode per rule on one position: still one row, one count, the
    // loudest level, every measure as a reason; the answer goes to every episode of it.
    MainWindowStub main;
    main.window.show();
    const auto notifier = immediateNotifier(&main.window);
    QSignalSpy acknowledged(notifier.get(), &Notifier::acknowledgeRequested);
    notifier->deliver(alertEvent(41, AlertChange::Raised, AlertLevel::Warning, "BTCUSDT", 4.6));
    AlertEvent velocity = alertEvent(42, AlertChange::Raised, AlertLevel::Critical, "BTCUSDT", 4.5);
    velocity.rule = AlertRuleKind::Velocity;
    velocity.value = 5.4;
    velocity.threshold = 5;
    velocity.message = "Distance to liquidation shrinking 5.4 points a minute";
    notifier->deliver(velocity);
    AlertEvent sigma = alertEvent(43, AlertChange::Raised, AlertLevel::Warning, "BTCUSDT", 4.5);
    sigma.rule = AlertRuleKind::SigmaDistance;
    sigma.value = 2.7;
    sigma.threshold = 3;
    notifier->deliver(sigma);
    notifier->deliver(alertEvent(44, AlertChange::Raised, AlertLevel::Warning, "ETHUSDT", 8.0));
    QCOMPARE(notifier->liveCount(), std::size_t(2));
    QCOMPARE(notifier->liveEpisodes(keyOf("BTCUSDT")), (std::vector<std::uint64_t>{41, 42, 43}));
    AlertPopup* popup = notifier->popup();
    QCOMPARE(popup->headerText(), QStringLiteral("2 positions in danger"));
    QCOMPARE(popup->summaryText(), QStringLiteral("1 critical · 1 warning — worst first"));
    QCOMPARE(popup->cardKey(), std::optional<AlertKey>(keyOf("BTCUSDT")));
    QCOMPARE(popup->cardText("level"), QStringLiteral("CRITICAL"));
    QCOMPARE(popup->cardReasons(), (QStringList{QStringLiteral("distance shrinking 5.4 points a minute — critical above 5.0 points a minute"),
                                                QStringLiteral("4.60% to liquidation — warning below 5%"),
                                                QStringLiteral("liquidation 2.7 σ away — warning below 3.0 σ")}));
    QVERIFY(popup->card()->toolTip().contains(QStringLiteral("Distance to liquidation shrinking 5.4 points a minute")));
    QCOMPARE(popup->listModel().rowCount(), 1);
    QCOMPARE(popup->listModel().row(0).key, keyOf("ETHUSDT"));
    // The warning of another rule on the critical position: no second sound, no second row.
    QCOMPARE(notifier->sounds().starts(AlertLevel::Warning), 1);
    QCOMPARE(notifier->sounds().starts(AlertLevel::Critical), 1);
    QCOMPARE(notifier->rises(), std::uint64_t(3)); // BTC from nothing, BTC to critical, ETH from nothing

    QTest::mouseClick(button(popup->card(), "acknowledge"), Qt::LeftButton);
    QCOMPARE(acknowledged.count(), 3);
    std::set<quint64> episodes;
    for (const auto& arguments : acknowledged) {
        episodes.insert(arguments.at(0).value<quint64>());
    }
    QCOMPARE(episodes, (std::set<quint64>{41, 42, 43}));
    for (const std::uint64_t episode : {41, 42, 43}) {
        notifier->deliver(alertEvent(episode, AlertChange::Acknowledged, AlertLevel::Warning, "BTCUSDT"));
    }
    QCOMPARE(notifier->liveSubjects(), std::vector<AlertKey>{keyOf("ETHUSDT")});
}

void TestNotifier::aCoalescedBatchIsOneRowAndOneSoundAtItsHighestLevel()
{
    MainWindowStub main;
    main.window.show();
    const auto notifier = immediateNotifier(&main.window);
    QSignalSpy changed(notifier.get(), &Notifier::liveChanged);
    AlertQueue queue({});
    // 50 changes of one position — warning, critical, back, critical, emergency, eased to critical and
    // 44 new figures at critical — and 5 of another, all pending when the GUI wakes up.
    const std::uint64_t a = 51;
    queue.push(alertEvent(a, AlertChange::Raised, AlertLevel::Warning, "BTCUSDT", 4.8));
    queue.push(alertEvent(a, AlertChange::Escalated, AlertLevel::Critical, "BTCUSDT", 2.9));
    queue.push(alertEvent(a, AlertChange::Eased, AlertLevel::Warning, "BTCUSDT", 3.5));
    queue.push(alertEvent(a, AlertChange::Escalated, AlertLevel::Critical, "BTCUSDT", 2.8));
    queue.push(alertEvent(a, AlertChange::Escalated, AlertLevel::Emergency, "BTCUSDT", 1.4));
    for (int i = 0; i < 45; ++i) {
        queue.push(alertEvent(a, AlertChange::Eased, AlertLevel::Critical, "BTCUSDT", 2.0 + i * 0.01));
    }
    queue.push(alertEvent(52, AlertChange::Raised, AlertLevel::Warning, "ETHUSDT", 4.9));
    for (int i = 0; i < 4; ++i) {
        queue.push(alertEvent(52, AlertChange::Eased, AlertLevel::Warning, "ETHUSDT", 4.9 - i * 0.1));
    }
    QCOMPARE(queue.wakeUps(), std::uint64_t(1));
    const AlertBatch batch = queue.take();
    QCOMPARE(batch.events, std::uint64_t(55));
    QCOMPARE(batch.coalesced, std::uint64_t(53));
    QCOMPARE(batch.subjects.size(), std::size_t(2));
    QCOMPARE(batch.subjects[0].events, std::uint64_t(50));
    QCOMPARE(batch.subjects[0].episodes.size(), std::size_t(1));
    QCOMPARE(batch.subjects[0].sound->level, AlertLevel::Emergency);
    QCOMPARE(batch.subjects[0].episodes[0].latest->level, AlertLevel::Critical);
    QCOMPARE(batch.subjects[0].episodes[0].standing, EpisodeStanding::Live);

    notifier->deliverBatch(batch);
    QCOMPARE(changed.count(), 1);
    AlertPopup* popup = notifier->popup();
    QCOMPARE(popup->headerText(), QStringLiteral("2 positions in danger"));
    QCOMPARE(popup->cardKey(), std::optional<AlertKey>(keyOf("BTCUSDT")));
    QCOMPARE(popup->cardText("level"), QStringLiteral("CRITICAL")); // where it stands now
    QVERIFY(popup->cardText("figures").startsWith(QStringLiteral("Distance 2.44% ·")));
    QCOMPARE(popup->listModel().rowCount(), 1);
    QCOMPARE(popup->listModel().index(0, AlertListModel::Distance).data().toString(), QStringLiteral("4.60%"));
    // One sound for the batch, at its highest level: the emergency, once (it has eased since: no loop).
    QCOMPARE(notifier->sounds().starts(AlertLevel::Emergency), 1);
    QCOMPARE(notifier->sounds().starts(AlertLevel::Critical), 0);
    QCOMPARE(notifier->sounds().starts(AlertLevel::Warning), 0);
    QVERIFY(!notifier->sounds().isLooping());
    QCOMPARE(notifier->rises(), std::uint64_t(2));
    QCOMPARE(notifier->batches(), std::uint64_t(1));
}

void TestNotifier::aSoundIsNotLostToALaterChange()
{
    MainWindowStub main;
    main.window.show();
    const auto notifier = immediateNotifier(&main.window);
    AlertQueue queue({});
    // Raised and cleared before the GUI woke up: the warning is still heard; nothing is listed.
    queue.push(alertEvent(61, AlertChange::Raised, AlertLevel::Critical, "BTCUSDT", 2.9));
    queue.push(alertEvent(61, AlertChange::Cleared, AlertLevel::Critical, "BTCUSDT", 12));
    AlertBatch batch = queue.take();
    QCOMPARE(batch.subjects.size(), std::size_t(1));
    QVERIFY(batch.subjects[0].episodes.empty()); // the GUI never showed it: only its sound is left
    std::vector<AlertChange> seen;
    batch.forEachEvent([&](const AlertEvent& event) { seen.push_back(event.change); });
    QCOMPARE(seen, std::vector<AlertChange>{AlertChange::Raised});
    notifier->deliverBatch(batch);
    QCOMPARE(notifier->sounds().starts(AlertLevel::Critical), 1);
    QCOMPARE(notifier->liveCount(), std::size_t(0));
    QVERIFY(!notifier->popup()->isVisible());

    // Raised, then acknowledged elsewhere, then eased: not live, but heard.
    queue.push(alertEvent(62, AlertChange::Raised, AlertLevel::Warning, "ETHUSDT"));
    queue.push(alertEvent(62, AlertChange::Acknowledged, AlertLevel::Warning, "ETHUSDT"));
    queue.push(alertEvent(62, AlertChange::Eased, AlertLevel::Warning, "ETHUSDT"));
    batch = queue.take();
    QVERIFY(batch.subjects[0].episodes.empty());
    notifier->deliverBatch(batch);
    QCOMPARE(notifier->sounds().starts(AlertLevel::Warning), 1);
    QCOMPARE(notifier->liveCount(), std::size_t(0));
}

void TestNotifier::aRepeatDoesNotSoundARiseDoes()
{
    MainWindowStub main;
    main.window.show();
    const auto notifier = immediateNotifier(&main.window);
    notifier->sounds().setRateWindow(0ms); // every start counted, none held back by the rate limit
    notifier->deliver(alertEvent(71, AlertChange::Raised, AlertLevel::Critical, "BTCUSDT", 2.9));
    QCOMPARE(notifier->sounds().starts(AlertLevel::Critical), 1);
    // A critical of another rule on the same critical position, a quieter change, the same level
    // again: no sound.
    AlertEvent again = alertEvent(72, AlertChange::Raised, AlertLevel::Critical, "BTCUSDT", 2.8);
    again.rule = AlertRuleKind::TimeToLiquidation;
    again.value = 170;
    notifier->deliver(again);
    notifier->deliver(alertEvent(71, AlertChange::Eased, AlertLevel::Warning, "BTCUSDT", 4.0));
    notifier->deliver(alertEvent(72, AlertChange::Eased, AlertLevel::Warning, "BTCUSDT", 4.0));
    QCOMPARE(notifier->sounds().starts(AlertLevel::Critical), 1);
    QCOMPARE(notifier->sounds().starts(AlertLevel::Warning), 0);
    // Up again from warning: a rise, heard.
    notifier->deliver(alertEvent(71, AlertChange::Escalated, AlertLevel::Critical, "BTCUSDT", 2.7));
    QCOMPARE(notifier->sounds().starts(AlertLevel::Critical), 2);
    QCOMPARE(notifier->rises(), std::uint64_t(2));
}

void TestNotifier::aStormIsBoundedWork()
{
    // 2,000 positions going warning → critical → emergency and back, 60 batches of 2,000 changes
    // each as fast as they can be delivered, the popup redrawn at its own pace.
    MainWindowStub main;
    main.window.show();
    Notifier notifier(&main.window);
    AlertPopup* popup = notifier.popup();
    QAbstractItemModelTester tester(&popup->listModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&popup->listModel(), &QAbstractItemModel::modelReset);
    constexpr std::size_t kPositions = 2000;
    AlertQueue queue({});
    QElapsedTimer took;
    took.start();
    for (int round = 0; round < 60; ++round) {
        const int phase = round % 6;
        const AlertLevel level = phase == 0 || phase == 5 ? AlertLevel::Warning : phase == 1 || phase == 4 ? AlertLevel::Critical : AlertLevel::Emergency;
        for (std::size_t i = 0; i < kPositions; ++i) {
            AlertEvent event = alertEvent(1000 + i, round == 0 ? AlertChange::Raised : phase <= 2 ? AlertChange::Escalated : AlertChange::Eased,
                                          level, "BTCUSDT", (level == AlertLevel::Emergency ? 1.0 : level == AlertLevel::Critical ? 2.5 : 4.5) + double(i % 97) * 0.001);
            event.subject.account = i / 500;
            event.subject.position = i % 500;
            event.subject.symbol = "S" + std::to_string(i % 100) + "USDT";
            queue.push(event);
        }
        notifier.deliverBatch(queue.take());
    }
    QCOMPARE(notifier.liveCount(), kPositions);
    QCOMPARE(notifier.batches(), std::uint64_t(60));
    // The list holds 19 rows at most; the rest are counted; never a reset.
    QTRY_COMPARE(popup->headerText(), QStringLiteral("2,000 positions in danger"));
    QCOMPARE(popup->listModel().rowCount(), 19);
    QCOMPARE(popup->moreText(), QStringLiteral("and 1,980 more — every position is in the Positions tab"));
    QCOMPARE(reset.count(), 0);
    const auto elapsed = took.elapsed();
    // Redrawn at most once per 50 ms, plus the first appearance and a raise per raise window.
    const auto bound = std::uint64_t(elapsed / Notifier::kDefaultRefreshInterval.count() + elapsed / Notifier::kRaiseWindow.count()) + 3;
    QVERIFY2(notifier.refreshes() <= bound, qPrintable(QStringLiteral("%1 redraws in %2 ms").arg(notifier.refreshes()).arg(elapsed)));
    // Laid out when the list first filled, not per alert.
    QVERIFY2(popup->relayouts() <= 3, qPrintable(QString::number(popup->relayouts())));
    // Brought forward at most once per raise window and level (a louder level is never held back).
    QVERIFY(popup->raises() <= 3 * (1 + int(elapsed / Notifier::kRaiseWindow.count())));
    qInfo("60 batches of 2,000 changes in %lld ms: %llu redraws, %d relayouts, %d raises", qint64(elapsed),
          qulonglong(notifier.refreshes()), popup->relayouts(), popup->raises());
    // Acknowledge all: 2,000 requests, one redraw.
    QSignalSpy acknowledged(&notifier, &Notifier::acknowledgeRequested);
    const auto redraws = notifier.refreshes();
    QTest::mouseClick(popup->findChild<QPushButton*>(QStringLiteral("acknowledgeAll")), Qt::LeftButton);
    QCOMPARE(acknowledged.count(), int(kPositions));
    QCOMPARE(notifier.refreshes(), redraws + 1);
    QVERIFY(popup->card()->property("answered").toBool());
}

void TestNotifier::listModelUpdatesInPlace()
{
    AlertListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    const auto rowFor = [](std::size_t position, AlertLevel level, const QString& distance) {
        AlertListModel::Row row;
        row.key = AlertKey{0, position};
        row.episode = position;
        row.level = level;
        row.levelText = alertLevelTitle(level);
        row.position = QStringLiteral("main · Binance · S%1USDT · Long").arg(position);
        row.distance = distance;
        return row;
    };
    std::vector<AlertListModel::Row> rows;
    for (std::size_t i = 0; i < 6; ++i) {
        rows.push_back(rowFor(i, AlertLevel::Warning, QStringLiteral("4.%1%").arg(i)));
    }
    model.setRows(rows);
    QCOMPARE(model.rowCount(), 6);
    QCOMPARE(model.columnCount(), int(AlertListModel::Count));
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(changed.count(), 0);
    // The same rows: nothing emitted.
    model.setRows(rows);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(changed.count(), 0);
    // Rows 1 and 2, and 4, changed: two ranges.
    rows[1].distance = QStringLiteral("3.9%");
    rows[2].level = AlertLevel::Critical;
    rows[4].answered = true;
    model.setRows(rows);
    QCOMPARE(changed.count(), 2);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 1);
    QCOMPARE(changed.at(0).at(1).value<QModelIndex>().row(), 2);
    QCOMPARE(changed.at(1).at(0).value<QModelIndex>().row(), 4);
    QCOMPARE(model.index(2, AlertListModel::Level).data(AlertListModel::LevelRole).toInt(), int(AlertLevel::Critical));
    QCOMPARE(model.index(4, AlertListModel::Level).data(AlertListModel::AnsweredRole).toBool(), true);
    // Most rows changed (a new order): one emit for the whole range.
    changed.clear();
    std::reverse(rows.begin(), rows.end());
    model.setRows(rows);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 0);
    QCOMPARE(changed.at(0).at(1).value<QModelIndex>().row(), 5);
    QCOMPARE(model.index(0, AlertListModel::Level).data(AlertListModel::KeyRole).value<AlertKey>(), (AlertKey{0, 5}));
    // Fewer rows: removed at the end, the others unchanged.
    changed.clear();
    rows.resize(4);
    model.setRows(rows);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 4);
    QCOMPARE(removed.at(0).at(2).toInt(), 5);
    QCOMPARE(changed.count(), 0);
    model.setRows({});
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(removed.count(), 2);
    QCOMPARE(reset.count(), 0);
    // Not selectable; Ack is there to click.
    model.setRows(rows);
    QCOMPARE(model.flags(model.index(0, 0)), Qt::ItemFlags(Qt::ItemIsEnabled));
    QCOMPARE(model.index(0, AlertListModel::Acknowledge).data().toString(), QStringLiteral("Ack"));
    QCOMPARE(model.headerData(AlertListModel::Reasons, Qt::Horizontal, Qt::DisplayRole).toString(), QStringLiteral("Why"));
}

void TestNotifier::noInfinityOrNanReachesThePopup()
{
    constexpr double inf = std::numeric_limits<double>::infinity();
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    // Every measure, with every value that is not a finite number, says what it means in words.
    for (const AlertRuleKind rule : {AlertRuleKind::Distance, AlertRuleKind::MarginRatio, AlertRuleKind::SigmaDistance,
                                     AlertRuleKind::TimeToLiquidation, AlertRuleKind::Velocity, AlertRuleKind::Stale}) {
        for (const double value : {inf, -inf, nan, 0.0, -3.0, 2.5}) {
            const QString text = alertMeasureText(rule, value);
            QVERIFY2(!text.isEmpty() && !hasNonFiniteFigure(text) && !text.contains(QStringLiteral("∞")), qPrintable(text));
        }
    }
    QCOMPARE(alertMeasureText(AlertRuleKind::MarginRatio, inf), QStringLiteral("no margin left"));
    QCOMPARE(alertMeasureText(AlertRuleKind::Velocity, -inf), QStringLiteral("distance not shrinking"));
    QCOMPARE(alertMeasureText(AlertRuleKind::TimeToLiquidation, inf), QStringLiteral("distance not shrinking"));
    QCOMPARE(alertMeasureText(AlertRuleKind::TimeToLiquidation, 372), QStringLiteral("about 6 min to liquidation at the recent pace"));
    QVERIFY(hasNonFiniteFigure(QStringLiteral("margin ratio inf %")));
    QVERIFY(hasNonFiniteFigure(QStringLiteral("shrinking -inf points a minute")));
    QVERIFY(hasNonFiniteFigure(QStringLiteral("NaN σ")));
    QVERIFY(!hasNonFiniteFigure(QStringLiteral("information: financing rate, Nano")));

    // The messages the per-rule engine wrote in a crash, as the popup and the tray show them.
    MainWindowStub main;
    main.window.show();
    const auto notifier = immediateNotifier(&main.window);
    AlertEvent cleared = alertEvent(81, AlertChange::Raised, AlertLevel::Warning, "BTCUSDT", 4.0);
    cleared.rule = AlertRuleKind::Velocity;
    cleared.value = -inf;
    cleared.message = "back to safety: distance to liquidation shrinking -inf points a minute";
    notifier->deliver(cleared);
    QCOMPARE(alertMessageText(cleared), QStringLiteral("Warning — distance not shrinking"));
    cleared.change = AlertChange::Cleared;
    QCOMPARE(alertMessageText(cleared), QStringLiteral("Back to safety: distance not shrinking"));
    AlertEvent ratio = alertEvent(82, AlertChange::Raised, AlertLevel::Emergency, "ETHUSDT", 0.4);
    ratio.rule = AlertRuleKind::MarginRatio;
    ratio.value = inf;
    ratio.message = "margin ratio inf % is above the emergency threshold of 95 %";
    ratio.distancePct = nan;
    ratio.liquidationPrice = inf;
    AlertReason sigma;
    sigma.rule = AlertRuleKind::SigmaDistance;
    sigma.level = AlertLevel::Critical;
    sigma.value = 0;
    sigma.text = "nan σ";
    ratio.reasons = {AlertReason{AlertRuleKind::MarginRatio, AlertLevel::Emergency, inf, std::nullopt, "margin ratio inf %"}, sigma};
    notifier->deliver(ratio);
    const QString shown = everyText(*notifier->popup());
    QVERIFY2(!hasNonFiniteFigure(shown), qPrintable(shown));
    QVERIFY2(shown.contains(QStringLiteral("no margin left")), qPrintable(shown));
    QVERIFY2(shown.contains(QStringLiteral("distance not shrinking")), qPrintable(shown));
    QVERIFY(!alertFiguresText(ratio).contains(QStringLiteral("∞")));
    QVERIFY(!hasNonFiniteFigure(alertFiguresText(ratio)));
}

void TestNotifier::crashScreenshot()
{
    // The desktop popup in the middle of a crash, as the one-voice engine reports it: positions at
    // every level, some with several reasons, one account's cross margin, one answered.
    MainWindowStub main;
    main.window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&main.window));
    const auto notifier = immediateNotifier(&main.window);
    const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
    struct Held {
        const char* account;
        Venue venue;
        const char* symbol;
        Side side;
        AlertLevel level;
        double distance;
        double mark;
        std::vector<AlertReason> reasons;
    };
    const auto reason = [](AlertRuleKind rule, AlertLevel level, double value, const char* text, double threshold) {
        return AlertReason{rule, level, value, threshold, text};
    };
    const std::vector<Held> held = {
        {"main", Venue::BinanceUsdm, "BTCUSDT", Side::Long, AlertLevel::Emergency, 1.38, 58'912.4,
         {reason(AlertRuleKind::Distance, AlertLevel::Emergency, 1.38, "1.38% to liquidation", 2),
          reason(AlertRuleKind::TimeToLiquidation, AlertLevel::Emergency, 52, "liquidation in about 52 s at the last 5 minutes' pace", 60),
          reason(AlertRuleKind::SigmaDistance, AlertLevel::Critical, 1.6, "1.6 σ of an hour's move from liquidation", 2)}},
        {"main", Venue::BinanceUsdm, "ETHUSDT", Side::Long, AlertLevel::Critical, 3.21, 2'811.35,
         {reason(AlertRuleKind::Distance, AlertLevel::Critical, 3.21, "3.21% to liquidation", 5),
          reason(AlertRuleKind::TimeToLiquidation, AlertLevel::Critical, 170, "liquidation in about 3 min at the last 5 minutes' pace", 180)}},
        {"swing", Venue::BybitLinear, "SOLUSDT", Side::Long, AlertLevel::Critical, 4.02, 131.218,
         {reason(AlertRuleKind::Distance, AlertLevel::Critical, 4.02, "4.02% to liquidation", 5)}},
        {"hedge", Venue::OkxSwap, "DOGE-USDT-SWAP", Side::Long, AlertLevel::Warning, 7.85, 0.14215,
         {reason(AlertRuleKind::Distance, AlertLevel::Warning, 7.85, "7.85% to liquidation", 10),
          reason(AlertRuleKind::SigmaDistance, AlertLevel::Warning, 2.6, "2.6 σ of an hour's move from liquidation", 3)}},
        {"vault", Venue::Hyperliquid, "AVAX", Side::Long, AlertLevel::Warning, 8.9, 24.113,
         {reason(AlertRuleKind::Distance, AlertLevel::Warning, 8.9, "8.90% to liquidation", 10)}},
        {"swing", Venue::BybitLinear, "XRPUSDT", Side::Long, AlertLevel::Warning, 9.4, 0.5012,
         {reason(AlertRuleKind::Distance, AlertLevel::Warning, 9.4, "9.40% to liquidation", 10)}},
    };
    std::uint64_t episode = 900;
    std::size_t position = 0;
    for (const Held& one : held) {
        AlertEvent event;
        event.episode = ++episode;
        event.change = AlertChange::Raised;
        event.level = one.level;
        event.rule = one.reasons.front().rule;
        event.value = one.reasons.front().value;
        event.reasons = one.reasons;
        event.subject.account = std::size_t(one.venue);
        event.subject.position = position++;
        event.subject.venue = one.venue;
        event.subject.accountLabel = one.account;
        event.subject.symbol = one.symbol;
        event.subject.side = one.side;
        event.markPrice = one.mark;
        event.distancePct = one.distance;
        event.liquidationPrice = one.mark * (1 - one.distance / 100);
        event.message = alertLevelTitle(one.level).toStdString() + " — " + one.reasons.front().text;
        event.wallTimeMs = now - std::int64_t(position) * 7'000;
        notifier->deliver(event);
    }
    AlertEvent account;
    account.episode = ++episode;
    account.change = AlertChange::Raised;
    account.level = AlertLevel::Critical;
    account.rule = AlertRuleKind::MarginRatio;
    account.value = 88.4;
    account.reasons = {reason(AlertRuleKind::MarginRatio, AlertLevel::Critical, 88.4, "margin ratio 88.4%", 85)};
    account.subject.account = 7;
    account.subject.venue = Venue::BinanceUsdm;
    account.subject.accountLabel = "portfolio";
    account.message = "Critical — cross margin ratio 88.4% (critical above 85%)";
    account.wallTimeMs = now - 3'000;
    notifier->deliver(account);
    notifier->popup()->acknowledgeClicked(AlertKey{std::size_t(Venue::Hyperliquid), 4}); // AVAX: answered, awaiting the engine

    AlertPopup* popup = notifier->popup();
    QCOMPARE(popup->headerText(), QStringLiteral("6 positions and 1 account in danger"));
    QCOMPARE(popup->summaryText(), QStringLiteral("1 emergency · 3 critical · 3 warning — worst first"));
    QCOMPARE(popup->cardReasons(), (QStringList{QStringLiteral("1.38% to liquidation — emergency below 2%"),
                                                QStringLiteral("liquidation in about 52 s at the last 5 minutes' pace — emergency under 60 s"),
                                                QStringLiteral("1.6 σ of an hour's move from liquidation — critical below 2.0 σ")}));
    QCOMPARE(popup->listModel().rowCount(), 6);
    QCOMPARE(popup->listModel().rows().back().position, QStringLiteral("AVAX Long · vault · Hyperliquid")); // answered: last
    QVERIFY(main.window.frameGeometry().contains(popup->frameGeometry()));
    const QString path = savePng(*popup, QStringLiteral("tst_notifier_crash.png"));
    QVERIFY(!path.isEmpty());
    qInfo("rendered %s", qPrintable(path));
}

void TestNotifier::popupNeitherBlocksNorTakesTheFocus()
{
    MainWindowStub main;
    main.window.show();
    main.window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&main.window));
    main.field->setFocus();
    QTest::keyClicks(main.field, QStringLiteral("61"));
    const auto notifier = immediateNotifier(&main.window);
    notifier->deliver(alertEvent(41, AlertChange::Raised, AlertLevel::Critical));
    notifier->deliver(alertEvent(42, AlertChange::Raised, AlertLevel::Emergency, "ETHUSDT", 0.8, 3'100, 3'075.2));
    QTest::qWait(100);
    AlertPopup* popup = notifier->popup();
    QVERIFY(popup->isVisible());
    QVERIFY(!popup->isModal());
    QCOMPARE(popup->windowModality(), Qt::NonModal);
    QVERIFY(popup->testAttribute(Qt::WA_ShowWithoutActivating));
    QVERIFY(popup->windowFlags().testFlag(Qt::WindowDoesNotAcceptFocus));
    QCOMPARE(QApplication::activeModalWidget(), nullptr);
    QCOMPARE(QApplication::activeWindow(), &main.window);
    QCOMPARE(QApplication::focusWidget(), main.field);
    // The trader keeps typing, and clicking an answer or a row does not take the field's focus either.
    QTest::keyClicks(main.field, QStringLiteral("500"));
    QCOMPARE(main.field->text(), QStringLiteral("61500"));
    QTest::mouseClick(button(popup->card(), "show"), Qt::LeftButton);
    clickCell(popup->listView(), 0, AlertListModel::Acknowledge);
    QCOMPARE(QApplication::focusWidget(), main.field);
    QCOMPARE(QApplication::activeWindow(), &main.window);
}

void TestNotifier::emergencyLoopsUntilAnswered()
{
    MainWindowStub main;
    main.window.show();
    const auto notifier = immediateNotifier(&main.window);
    notifier->sounds().setRateWindow(0ms);
    notifier->deliver(alertEvent(51, AlertChange::Raised, AlertLevel::Emergency));
    QVERIFY(notifier->sounds().isLooping());
    QVERIFY(notifier->isPlaying(AlertLevel::Emergency));
    // Another alert does not end the loop, nor restart it.
    notifier->deliver(alertEvent(52, AlertChange::Raised, AlertLevel::Warning, "ETHUSDT"));
    QVERIFY(notifier->isPlaying(AlertLevel::Emergency));
    QCOMPARE(notifier->sounds().starts(AlertLevel::Emergency), 1);
    QCOMPARE(notifier->sounds().starts(AlertLevel::Warning), 0); // not over the alarm
    // The trader clicks Acknowledge: quiet at once, before the engine confirms.
    QCOMPARE(notifier->popup()->cardKey(), std::optional<AlertKey>(keyOf("BTCUSDT")));
    QTest::mouseClick(button(notifier->popup()->card(), "acknowledge"), Qt::LeftButton);
    QVERIFY(!notifier->isPlaying(AlertLevel::Emergency));
    QVERIFY(!notifier->sounds().isLooping());
    notifier->deliver(alertEvent(51, AlertChange::Acknowledged, AlertLevel::Emergency));
    QVERIFY(!notifier->isPlaying(AlertLevel::Emergency));

    // Two emergencies: the loop runs until both are answered (here one snoozed, one cleared).
    notifier->deliver(alertEvent(53, AlertChange::Raised, AlertLevel::Emergency, "SOLUSDT"));
    notifier->deliver(alertEvent(54, AlertChange::Escalated, AlertLevel::Emergency, "XRPUSDT"));
    QVERIFY(notifier->isPlaying(AlertLevel::Emergency));
    notifier->deliver(alertEvent(53, AlertChange::Snoozed, AlertLevel::Emergency, "SOLUSDT"));
    QVERIFY(notifier->isPlaying(AlertLevel::Emergency));
    notifier->deliver(alertEvent(54, AlertChange::Cleared, AlertLevel::Emergency, "XRPUSDT"));
    QVERIFY(!notifier->isPlaying(AlertLevel::Emergency));
    QCOMPARE(notifier->sounds().starts(AlertLevel::Emergency), 2);
}

void TestNotifier::escalationBringsAnAnsweredAlertBack()
{
    MainWindowStub main;
    main.window.show();
    const auto notifier = immediateNotifier(&main.window);
    notifier->deliver(alertEvent(61, AlertChange::Raised, AlertLevel::Critical));
    notifier->deliver(alertEvent(61, AlertChange::Acknowledged, AlertLevel::Critical));
    QVERIFY(!notifier->popup()->isVisible());
    notifier->deliver(alertEvent(61, AlertChange::Escalated, AlertLevel::Emergency, "BTCUSDT", 0.7, 58'480, 58'072));
    QVERIFY(notifier->popup()->isVisible());
    QCOMPARE(notifier->popup()->card()->property("level").toInt(), int(AlertLevel::Emergency));
    QVERIFY(notifier->isPlaying(AlertLevel::Emergency));
    QCOMPARE(notifier->popup()->raises(), 2); // shown for the critical, and again for the emergency
}

void TestNotifier::mutedAndVolume()
{
    MainWindowStub main;
    const auto notifier = immediateNotifier(&main.window);
    notifier->setVolume(1.7);
    QCOMPARE(notifier->volume(), 1.0);
    notifier->setVolume(0.25);
    QCOMPARE(notifier->volume(), 0.25);
    notifier->setMuted(true);
    QVERIFY(notifier->isMuted());
    notifier->deliver(alertEvent(71, AlertChange::Raised, AlertLevel::Emergency));
    notifier->deliver(alertEvent(72, AlertChange::Raised, AlertLevel::Warning, "ETHUSDT"));
    QVERIFY(!notifier->isPlaying(AlertLevel::Emergency));
    QCOMPARE(notifier->sounds().starts(AlertLevel::Warning), 0);
    QCOMPARE(notifier->sounds().starts(AlertLevel::Emergency), 0);
    QVERIFY(notifier->popup()->isVisible()); // muted is not blind
    // Unmuted with the emergency still unanswered: the alarm comes back.
    notifier->setMuted(false);
    QVERIFY(notifier->isPlaying(AlertLevel::Emergency));
    QCOMPARE(notifier->sounds().starts(AlertLevel::Emergency), 1);
}

QTEST_MAIN(TestNotifier)
#include "tst_notifier.moc"
