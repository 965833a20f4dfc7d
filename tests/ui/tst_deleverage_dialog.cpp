// The deleverage confirmation dialog on real plans (DeleveragePlanner on the Binance FAQ's worked
// example): the order and the figures in words, the buttons for a reduce / a met target / an
// unreachable target / dry run, confirmed() and cancelRequested() exactly once, the countdown counted
// down locally, the states in words, and that the dialog never blocks. Saves PNGs to look at.
#include "deleverage/deleverage_planner.h"
#include "dialogs/deleverage_dialog.h"
#include "dialogs/deleverage_text.h"
#include "margin/builtin_instruments.h"
#include "models/display_text.h"
#include "views/theme.h"

#include <QApplication>
#include <QDoubleSpinBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>

#include <chrono>

using namespace mm;
using namespace mm::ui;
using namespace std::chrono_literals;

namespace {

Decimal dec(const char* text)
{
    return Decimal::parse(text);
}

Position position(std::shared_ptr<const Instrument> instrument, Side side, const char* quantity, const char* entry,
                  const char* mark)
{
    Position p;
    p.symbol = instrument->symbol;
    p.instrument = std::move(instrument);
    p.side = side;
    p.quantity = dec(quantity);
    p.entryPrice = dec(entry);
    p.markPrice = dec(mark);
    p.marginMode = MarginMode::Cross;
    return p;
}

Portfolio account(const char* wallet, std::vector<Position> positions)
{
    Portfolio portfolio;
    portfolio.account.venue = Venue::BinanceUsdm;
    portfolio.account.label = "Main";
    portfolio.account.walletBalance = dec(wallet);
    portfolio.positions = std::move(positions);
    return portfolio;
}

/// Binance FAQ's second example (wallet 500, long 0.02 BTCUSDT @ 50,000, LP 25,100.40) at mark 27,000:
/// distance 7.04 %; to ≥ 20 % takes 0.013 (tst_deleverage_planner works it out by hand).
Portfolio binanceFaq()
{
    return account(
        "500", {position(publishedInstrument(Venue::BinanceUsdm, "BTCUSDT"), Side::Long, "0.02", "50000", "27000")});
}

/// Two cross longs where ETH carries the account: even closing all BTC leaves the ratio above 50 %.
Portfolio ethCarriesTheAccount()
{
    return account("4500",
                   {position(publishedInstrument(Venue::BinanceUsdm, "BTCUSDT"), Side::Long, "0.02", "50000", "49000"),
                    position(instrumentWithMaintenance(Venue::BinanceUsdm, "ETHUSDT", dec("0.05"), Decimal()),
                             Side::Long, "10", "3000", "2750")});
}

DeleveragePlan planFor(const Portfolio& portfolio, DeleverageTarget target)
{
    DeleverageRequest request;
    request.position = 0;
    request.target = target;
    request.lotRules = {dec("0.001"), Decimal(), Decimal()};
    const auto model = MarginModel::forVenue(portfolio.account.venue);
    return DeleveragePlanner(*model).plan(portfolio, request);
}

DeleveragePositionInfo infoFor(const DeleveragePlan& plan)
{
    DeleveragePositionInfo info = DeleveragePositionInfo::fromPlan(QStringLiteral("Main"), plan);
    info.tickSize = dec("0.1");
    return info;
}

DeleverageStatus statusFor(const DeleveragePlan& plan, DeleverageState state)
{
    DeleverageStatus status;
    status.action = DeleverageAction::forEpisode(42);
    status.accountLabel = "Main";
    status.venue = plan.venue;
    status.symbol = plan.symbol;
    status.state = state;
    status.orderSide = plan.orderSide;
    status.quantity = plan.quantity;
    status.plan = plan;
    status.clientOrderId = "mmrun7e42a1";
    return status;
}

/// A clock the test moves by hand, for the dialog's local countdown.
struct FakeTime {
    std::chrono::steady_clock::time_point now{std::chrono::hours(5)};
    DeleverageDialog::TimeSource source()
    {
        return [this] { return now; };
    }
};

void savePicture(QWidget& widget, const QString& name)
{
    widget.adjustSize();
    QVERIFY(widget.grab().save(name));
    qInfo("saved %s", qPrintable(name));
}

} // namespace

class TestDeleverageDialog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { applyDarkTheme(*qobject_cast<QApplication*>(QCoreApplication::instance())); }

    void reducePlanInWords()
    {
        const DeleveragePlan plan = planFor(binanceFaq(), DeleverageTarget::distancePct(20));
        QCOMPARE(deleverageOutcomeName(plan.outcome), deleverageOutcomeName(DeleverageOutcome::Reduce));
        DeleverageDialog dialog(infoFor(plan), plan, DeleverageTarget::distancePct(19));
        QCOMPARE(dialog.orderText(), QStringLiteral("Sell 0.013 BTCUSDT reduce-only at market"));
        QCOMPARE(dialog.titleText(), QStringLiteral("Main · Binance · BTCUSDT long 0.02"));
        const DeleverageFigures figures = dialog.figures();
        QCOMPARE(figures.distanceBefore, QStringLiteral("7.04%"));
        QCOMPARE(figures.distanceAfter, QStringLiteral("20.85%"));
        QCOMPARE(figures.liquidationBefore, QStringLiteral("25,100.4"));
        QCOMPARE(figures.liquidationAfter, formatPrice(*plan.after.liquidationPrice, 1));
        QCOMPARE(figures.marginRatioBefore, formatRatio(plan.before.marginRatio));
        QVERIFY(figures.marginRatioAfter != figures.marginRatioBefore);
        QVERIFY2(dialog.targetResultText().endsWith(QStringLiteral("reached after the order")),
                 qPrintable(dialog.targetResultText()));
        QCOMPARE(dialog.caveatText(), QString());
        QCOMPARE(dialog.explanationText(), QString::fromStdString(plan.explanation));
        QVERIFY(dialog.sendButton()->isEnabled());
        QCOMPARE(dialog.sendButton()->text(), QStringLiteral("Send reduce-only order"));
        QVERIFY(!dialog.sendButton()->isDefault() && !dialog.sendButton()->autoDefault()); // Enter never sends
        QCOMPARE(dialog.statusHeadlineText(), QString());
        QCOMPARE(dialog.targetEditor()->value(), 19.0); // the trader's target, not the plan's headroom
        QVERIFY(describePlan(plan).startsWith(QStringLiteral("Sell 0.013 BTCUSDT reduce-only at market. "
                                                             "Distance to liquidation 7.04% → 20.85%")));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(!dialog.cancelButton()->isVisible());
        savePicture(dialog, QStringLiteral("deleverage_preview.png"));
    }

    void targetAlreadyMet()
    {
        const DeleveragePlan plan = planFor(binanceFaq(), DeleverageTarget::distancePct(5));
        QCOMPARE(deleverageOutcomeName(plan.outcome), deleverageOutcomeName(DeleverageOutcome::TargetAlreadyMet));
        DeleverageDialog dialog(infoFor(plan), plan);
        QCOMPARE(dialog.orderText(), QStringLiteral("No order"));
        QCOMPARE(dialog.caveatText(), QStringLiteral("Nothing would be sent: the target is already met."));
        QVERIFY(dialog.targetResultText().endsWith(QStringLiteral("already met")));
        QVERIFY(!dialog.sendButton()->isEnabled());
        QSignalSpy confirmed(&dialog, &DeleverageDialog::confirmed);
        QTest::mouseClick(dialog.sendButton(), Qt::LeftButton);
        QCOMPARE(confirmed.count(), 0);
    }

    void unreachableClosesAll()
    {
        const DeleveragePlan plan = planFor(ethCarriesTheAccount(), DeleverageTarget::marginRatio(0.5));
        QCOMPARE(deleverageOutcomeName(plan.outcome), deleverageOutcomeName(DeleverageOutcome::CloseAllUnreachable));
        DeleverageDialog dialog(infoFor(plan), plan);
        QCOMPARE(dialog.orderText(),
                 QStringLiteral("Sell 0.02 BTCUSDT reduce-only at market — closes the whole position"));
        QVERIFY(
            dialog.caveatText().startsWith(QStringLiteral("The target cannot be reached even by closing everything")));
        QCOMPARE(dialog.figures().distanceAfter, QStringLiteral("closed"));
        QCOMPARE(dialog.figures().liquidationAfter, QStringLiteral("closed"));
        QVERIFY(dialog.targetResultText().endsWith(QStringLiteral("not reached by this order")));
        QVERIFY(dialog.sendButton()->isEnabled());
        // A margin-ratio target is edited in %.
        QCOMPARE(dialog.targetEditor()->value(), 50.0);
        QVERIFY(dialog.target().kind == DeleverageTarget::Kind::MarginRatio);
        QCOMPARE(dialog.target().value, 0.5);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        savePicture(dialog, QStringLiteral("deleverage_unreachable.png"));
    }

    void dryRunSendsNothing()
    {
        const DeleveragePlan plan = planFor(binanceFaq(), DeleverageTarget::distancePct(20));
        DeleverageDialog dialog(infoFor(plan), plan);
        QSignalSpy confirmed(&dialog, &DeleverageDialog::confirmed);
        dialog.setDryRun(true);
        QVERIFY(!dialog.sendButton()->isEnabled());
        QCOMPARE(dialog.sendButton()->text(), QStringLiteral("Dry run: nothing will be sent"));
        QVERIFY2(dialog.dryRunNoteText().contains(QStringLiteral("Settings → Exchanges")),
                 qPrintable(dialog.dryRunNoteText()));
        QTest::mouseClick(dialog.sendButton(), Qt::LeftButton);
        QCOMPARE(confirmed.count(), 0);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        savePicture(dialog, QStringLiteral("deleverage_dry_run.png"));

        dialog.setDryRun(false);
        QVERIFY(dialog.sendButton()->isEnabled());
        QCOMPARE(dialog.dryRunNoteText(), QString());
    }

    void confirmedExactlyOnce()
    {
        const DeleveragePlan plan = planFor(binanceFaq(), DeleverageTarget::distancePct(20));
        DeleverageDialog dialog(infoFor(plan), plan);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QSignalSpy confirmed(&dialog, &DeleverageDialog::confirmed);
        QSignalSpy cancelled(&dialog, &DeleverageDialog::cancelRequested);
        QTest::mouseClick(dialog.sendButton(), Qt::LeftButton);
        QTest::mouseClick(dialog.sendButton(), Qt::LeftButton);
        QTest::keyClick(&dialog, Qt::Key_Return); // the default button is Close, never Send
        QCOMPARE(confirmed.count(), 1);
        QCOMPARE(cancelled.count(), 0);
        QVERIFY(!dialog.sendButton()->isEnabled());
        QVERIFY(!dialog.targetEditor()->isEnabled());
    }

    void targetEditorAsksForANewPlan()
    {
        const DeleveragePlan plan = planFor(binanceFaq(), DeleverageTarget::distancePct(20));
        DeleverageDialog dialog(infoFor(plan), plan);
        QSignalSpy changed(&dialog, &DeleverageDialog::targetChanged);
        dialog.targetEditor()->setValue(30.0);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).toDouble(), 30.0);
        QVERIFY(dialog.target().kind == DeleverageTarget::Kind::Distance);
        QCOMPARE(dialog.target().value, 30.0);

        const DeleveragePlan wider = planFor(binanceFaq(), dialog.target());
        dialog.setPlan(wider);
        dialog.setTarget(DeleverageTarget::distancePct(30.0));
        QCOMPARE(changed.count(), 1); // setPlan / setTarget never echo a change back
        QVERIFY(wider.quantity > plan.quantity);
        QCOMPARE(dialog.orderText(), describeOrder(wider));
        QVERIFY(dialog.orderText() != QStringLiteral("Sell 0.013 BTCUSDT reduce-only at market"));
    }

    void countdownCountsDownAndCancelsOnce()
    {
        const DeleveragePlan plan = planFor(binanceFaq(), DeleverageTarget::distancePct(20));
        DeleverageStatus status = statusFor(plan, DeleverageState::Countdown);
        status.countdownRemaining = 7000ms;
        status.reason = "Sending in 7 s unless cancelled: " + plan.explanation;
        FakeTime time;
        DeleverageDialog dialog(status);
        dialog.setTimeSource(time.source());
        dialog.setStatus(status); // again, on the fake clock
        QSignalSpy cancelled(&dialog, &DeleverageDialog::cancelRequested);
        QSignalSpy confirmed(&dialog, &DeleverageDialog::confirmed);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));

        QCOMPARE(dialog.statusHeadlineText(), QStringLiteral("Sending in 7 s"));
        QCOMPARE(dialog.orderText(), QStringLiteral("Sell 0.013 BTCUSDT reduce-only at market"));
        QCOMPARE(dialog.titleText(), QStringLiteral("Main · Binance · BTCUSDT long 0.02"));
        QCOMPARE(dialog.clientOrderIdText(), QStringLiteral("Client order id mmrun7e42a1"));
        QVERIFY(dialog.cancelButton()->isVisible());
        QVERIFY(dialog.cancelButton()->isEnabled());
        QVERIFY(!dialog.sendButton()->isVisible());
        QVERIFY(!dialog.targetEditor()->isVisible());
        QVERIFY(dialog.action() == DeleverageAction::forEpisode(42));
        savePicture(dialog, QStringLiteral("deleverage_countdown.png"));

        // Counted down locally between status updates.
        time.now += 2100ms;
        QTRY_COMPARE(dialog.statusHeadlineText(), QStringLiteral("Sending in 5 s"));
        QCOMPARE(dialog.countdownRemaining().count(), 4900);

        QTest::mouseClick(dialog.cancelButton(), Qt::LeftButton);
        QTest::mouseClick(dialog.cancelButton(), Qt::LeftButton);
        QCOMPARE(cancelled.count(), 1);
        QCOMPARE(confirmed.count(), 0);
        QVERIFY(!dialog.cancelButton()->isEnabled());

        status.state = DeleverageState::Cancelled;
        status.reason = "Cancelled: cancelled by the trader. Nothing was sent.";
        dialog.setStatus(status);
        QCOMPARE(dialog.statusHeadlineText(), QStringLiteral("Cancelled: nothing was sent"));
        QCOMPARE(dialog.statusDetailText(), QString::fromStdString(status.reason));
        QVERIFY(!dialog.cancelButton()->isVisible());
        QCOMPARE(cancelled.count(), 1);
    }

    void countdownEndsAtZero()
    {
        const DeleveragePlan plan = planFor(binanceFaq(), DeleverageTarget::distancePct(20));
        DeleverageStatus status = statusFor(plan, DeleverageState::Countdown);
        status.countdownRemaining = 1500ms;
        FakeTime time;
        DeleverageDialog dialog(infoFor(plan), plan);
        dialog.setTimeSource(time.source());
        dialog.setStatus(status);
        QCOMPARE(dialog.statusHeadlineText(), QStringLiteral("Sending in 2 s"));
        time.now += 10s;
        QTRY_COMPARE(dialog.statusHeadlineText(), QStringLiteral("Sending now"));
        QCOMPARE(dialog.countdownRemaining().count(), 0);
    }

    void statesInWords_data()
    {
        QTest::addColumn<int>("state");
        QTest::addColumn<QString>("filled");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("headline");
        QTest::addColumn<bool>("cancelVisible");
        QTest::newRow("sending") << int(DeleverageState::Sending) << "0"
                                 << "Sending sell 0.013 BTCUSDT"
                                 << "Sending the order…" << false;
        QTest::newRow("waiting lookup")
            << int(DeleverageState::WaitingLookup) << "0"
            << "The venue's answer was unclear: looking up order mmrun7e42a1"
            << "Waiting for the exchange's answer: looking the order up by its client order id" << false;
        QTest::newRow("done, filled") << int(DeleverageState::Done) << "0.013"
                                      << "sell 0.013 BTCUSDT: filled, 0.013 filled at 26950"
                                      << "Filled 0.013 BTCUSDT" << false;
        QTest::newRow("done, partly") << int(DeleverageState::Done) << "0.005"
                                      << "sell 0.013 BTCUSDT: partially filled, 0.005 filled at 26950"
                                      << "Filled 0.005 of 0.013 BTCUSDT" << false;
        QTest::newRow("failed") << int(DeleverageState::Failed) << "0"
                                << "sell 0.013 BTCUSDT: rejected (-2022 ReduceOnly Order is rejected)"
                                << "Failed: check the position on the exchange" << false;
        QTest::newRow("refused") << int(DeleverageState::Refused) << "0"
                                 << "Refused: the mark of BTCUSDT is 5.2 s old. Nothing sent."
                                 << "Refused: nothing was sent" << false;
        QTest::newRow("dry run") << int(DeleverageState::DryRun) << "0"
                                 << "Dry run: nothing sent."
                                 << "Dry run: nothing was sent" << false;
    }

    void statesInWords()
    {
        QFETCH(int, state);
        QFETCH(QString, filled);
        QFETCH(QString, reason);
        QFETCH(QString, headline);
        QFETCH(bool, cancelVisible);
        const DeleveragePlan plan = planFor(binanceFaq(), DeleverageTarget::distancePct(20));
        DeleverageStatus status = statusFor(plan, static_cast<DeleverageState>(state));
        status.filledQuantity = dec(filled.toLatin1().constData());
        status.reason = reason.toStdString();
        status.sendAttempts = 1;
        DeleverageDialog dialog(status);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QCOMPARE(dialog.statusHeadlineText(), headline);
        QCOMPARE(describeStatusHeadline(status), headline);
        QVERIFY2(dialog.statusDetailText().contains(reason), qPrintable(dialog.statusDetailText()));
        QCOMPARE(dialog.cancelButton()->isVisible(), cancelVisible);
        QVERIFY(!dialog.sendButton()->isVisible());
        QCOMPARE(dialog.clientOrderIdText(), QStringLiteral("Client order id mmrun7e42a1"));
    }

    void doneThenVerified()
    {
        const DeleveragePlan plan = planFor(binanceFaq(), DeleverageTarget::distancePct(20));
        DeleverageStatus status = statusFor(plan, DeleverageState::Done);
        status.filledQuantity = plan.quantity;
        status.reason = "sell 0.013 BTCUSDT: filled, 0.013 filled at 26950";
        DeleverageDialog dialog(status);
        QVERIFY(dialog.statusDetailText().contains(QStringLiteral("Reading the account again")));

        status.targetReached = true;
        status.reason =
            "After the order: distance to liquidation 20.79 % meets the target (distance to liquidation ≥ 20.00 %).";
        dialog.setStatus(status);
        const QString detail = dialog.statusDetailText();
        QVERIFY2(detail.contains(QStringLiteral("0.013 filled at 26950")), qPrintable(detail)); // the fill is kept
        QVERIFY2(detail.contains(QStringLiteral("Target reached.")), qPrintable(detail));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        savePicture(dialog, QStringLiteral("deleverage_done.png"));

        status.targetReached = false;
        status.reason =
            "After the order: distance to liquidation 18.10 % misses the target (distance to liquidation ≥ 20.00 %).";
        dialog.setStatus(status);
        QVERIFY(dialog.statusDetailText().contains(QStringLiteral("Target missed.")));
    }

    void neverModalNeverBlocks()
    {
        QWidget mainWindow;
        auto* button = new QPushButton(QStringLiteral("Board"), &mainWindow);
        mainWindow.show();
        QVERIFY(QTest::qWaitForWindowExposed(&mainWindow));

        const DeleveragePlan plan = planFor(binanceFaq(), DeleverageTarget::distancePct(20));
        auto* dialog = new DeleverageDialog(infoFor(plan), plan, std::nullopt, &mainWindow);
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QVERIFY(!dialog->isModal());
        QCOMPARE(dialog->windowModality(), Qt::NonModal);
        QVERIFY(QApplication::activeModalWidget() == nullptr);

        DeleverageStatus status = statusFor(plan, DeleverageState::Countdown);
        status.countdownRemaining = 9000ms;
        dialog->setStatus(status);
        QVERIFY(QApplication::activeModalWidget() == nullptr);

        QSignalSpy clicked(button, &QPushButton::clicked);
        QTest::mouseClick(button, Qt::LeftButton); // the board still answers while the dialog is up
        QCOMPARE(clicked.count(), 1);
        QVERIFY(dialog->isVisible());
    }
};

QTEST_MAIN(TestDeleverageDialog)
#include "tst_deleverage_dialog.moc"
