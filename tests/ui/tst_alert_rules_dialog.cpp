// Settings → Alerts: alerts.json (AlertSettingsStore) and the rules dialog, offscreen. Renders the
// dialog to tst_alert_rules_dialog*.png in the working folder for a person to look at.

#include "dialogs/alert_rules_dialog.h"
#include "dialogs/alert_settings_store.h"
#include "views/theme.h"

#include "config/accounts_config.h"
#include "config/alert_settings.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QFile>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace mm;
using namespace mm::ui;

namespace {

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

/// Settings compared as the file writes them (fixed field order): equal text, equal settings.
std::string text(const AlertSettings& settings)
{
    return writeAlertSettings(settings);
}

QString cell(const QTableWidget* table, int row, int column)
{
    return table->item(row, column)->text();
}

QComboBox* comboAt(const QTableWidget* table, int row, int column)
{
    return qobject_cast<QComboBox*>(table->cellWidget(row, column));
}

void check(QTableWidget* table, int row, int column, bool on)
{
    table->item(row, column)->setCheckState(on ? Qt::Checked : Qt::Unchecked);
}

/// Two accounts: one aiming at a distance, one at a margin ratio, with fields the table does not show.
AlertSettings twoAccounts()
{
    AlertSettings settings;
    AccountAutomation binance{"Binance main", {}};
    binance.settings.enabled = true;
    binance.settings.dryRun = false;
    binance.settings.target = DeleverageTarget::distancePct(7.5);
    binance.settings.triggerLevel = AlertLevel::Emergency;
    binance.settings.countdown = std::chrono::seconds(20);
    binance.settings.maxOrdersPerPositionPerHour = 1;
    binance.settings.maxOrdersPerPositionPerDay = 3;
    AccountAutomation bybit{"Bybit hedge", {}};
    bybit.settings.target = DeleverageTarget::marginRatio(0.7);
    bybit.settings.maxFractionPerOrder = 0.25;
    bybit.settings.planningHeadroom = 2.5;
    settings.deleverage = {binance, bybit};
    return settings;
}

} // namespace

class TestAlertRulesDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void storeRoundTrip();
    void brokenFileIsKeptAside();
    void showsTheDefaults();
    void editingAThresholdAndSavingWritesIt();
    void outOfOrderThresholdIsRefused();
    void otherProblemsNameTheRowAndField();
    void kindAndScopeFollowTheRow();
    void restoreDefaults();
    void deleverageRowAddedAndSaved();
    void deleverageLoadedAndSavedBackUnchanged();
    void deleverageProblemsNameTheRowAndField();
    void liveNoteOnlyWhenOnAndNotDryRun();
    void renders();
};

void TestAlertRulesDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // never the trader's own alerts.json
    applyDarkTheme(*qApp);
    QVERIFY(AlertSettingsStore::defaultPath().endsWith(QStringLiteral("/alerts.json")));
}

void TestAlertRulesDialog::storeRoundTrip()
{
    QTemporaryDir dir;
    AlertSettingsStore store(AlertSettingsStore::pathIn(dir.path() + QStringLiteral("/config")));
    // No file: the defaults, no problem.
    AlertSettingsStore::Loaded loaded = store.load();
    QCOMPARE(loaded.problem, QString());
    QCOMPARE(text(loaded.settings), text(AlertSettings{}));
    QVERIFY(!store.holdsBrokenFile());

    AlertSettings changed;
    changed.policy.rules[0].warning = 12.5;
    changed.policy.rules[1].enabled = false;
    changed.policy.cooldown = std::chrono::seconds(90);
    changed.sound = false;
    changed.volume = 0.4;
    changed.webhookUrl = "https://push.example.com/hook/abc";
    QString problem;
    QVERIFY2(store.save(changed, &problem), qPrintable(problem)); // creates the folder too
    QVERIFY(QFile::exists(store.path()));

    AlertSettingsStore again(store.path());
    loaded = again.load();
    QCOMPARE(loaded.problem, QString());
    QCOMPARE(text(loaded.settings), text(changed));
    QCOMPARE(text(again.settings()), text(changed));

    // Settings that would not read back are refused before anything is touched.
    AlertSettings wrong = changed;
    wrong.webhookUrl = "ftp://example.com";
    QVERIFY(!again.save(wrong, &problem));
    QVERIFY2(problem.contains(QStringLiteral("webhookUrl")), qPrintable(problem));
    QCOMPARE(text(readAlertSettings(readAll(store.path()).toStdString())), text(changed));
}

void TestAlertRulesDialog::brokenFileIsKeptAside()
{
    QTemporaryDir dir;
    const QString path = AlertSettingsStore::pathIn(dir.path());
    const QByteArray broken = R"({"rules": [{"kind": "distance", "warning": 2, "critical": 5}]})";
    writeFile(path, broken);

    AlertSettingsStore store(path);
    const AlertSettingsStore::Loaded loaded = store.load();
    QCOMPARE(loaded.field, QStringLiteral("rules[0].critical"));
    QVERIFY2(loaded.reason.contains(QStringLiteral("louder level")), qPrintable(loaded.reason));
    QVERIFY2(loaded.problem.contains(QDir::toNativeSeparators(path)) && loaded.problem.contains(QStringLiteral("rules[0].critical")),
             qPrintable(loaded.problem));
    QCOMPARE(text(loaded.settings), text(AlertSettings{})); // the defaults meanwhile
    QVERIFY(store.holdsBrokenFile());
    QCOMPARE(store.loadProblem(), loaded.problem);

    // The dialog says so at the top.
    {
        AlertRulesDialog dialog(store);
        const QList<QLabel*> labels = dialog.findChildren<QLabel*>();
        const bool said = std::any_of(labels.begin(), labels.end(), [](const QLabel* label) {
            return label->text().contains(QStringLiteral("rules[0].critical"));
        });
        QVERIFY(said);
    }

    // The next save keeps the unreadable file beside the new one, byte for byte.
    QString problem;
    QVERIFY2(store.save(AlertSettings{}, &problem), qPrintable(problem));
    const QStringList kept = QDir(dir.path()).entryList({QStringLiteral("alerts.json.broken-*")}, QDir::Files);
    QCOMPARE(kept.size(), 1);
    QCOMPARE(readAll(dir.filePath(kept.front())), broken);
    QCOMPARE(text(readAlertSettings(readAll(path).toStdString())), text(AlertSettings{}));
    QVERIFY(!store.holdsBrokenFile());
    QCOMPARE(store.loadProblem(), QString());
}

void TestAlertRulesDialog::showsTheDefaults()
{
    QTemporaryDir dir;
    AlertSettingsStore store(AlertSettingsStore::pathIn(dir.path()));
    (void)store.load();
    AlertRulesDialog dialog(store);
    const QTableWidget* table = dialog.rulesTable();
    const AlertPolicy defaults = defaultAlertPolicy();
    QCOMPARE(table->rowCount(), int(defaults.rules.size()));
    QCOMPARE(comboAt(table, 0, AlertRulesDialog::KindColumn)->currentText(), QStringLiteral("Distance to liquidation below"));
    QCOMPARE(cell(table, 0, AlertRulesDialog::UnitColumn), QStringLiteral("% of mark"));
    QCOMPARE(comboAt(table, 0, AlertRulesDialog::ScopeColumn)->currentText(), QStringLiteral("All positions"));
    QCOMPARE(table->item(0, AlertRulesDialog::EnabledColumn)->checkState(), Qt::Checked);
    QCOMPARE(cell(table, 0, AlertRulesDialog::WarningColumn), QStringLiteral("10"));
    QCOMPARE(cell(table, 0, AlertRulesDialog::CriticalColumn), QStringLiteral("5"));
    QCOMPARE(cell(table, 0, AlertRulesDialog::EmergencyColumn), QStringLiteral("2"));
    QCOMPARE(cell(table, 0, AlertRulesDialog::RearmColumn), QStringLiteral("1"));
    QCOMPARE(comboAt(table, 1, AlertRulesDialog::KindColumn)->currentText(), QStringLiteral("Margin ratio above"));
    QCOMPARE(comboAt(table, 4, AlertRulesDialog::KindColumn)->currentText(), QStringLiteral("Distance shrinking faster than"));
    QCOMPARE(cell(table, 4, AlertRulesDialog::UnitColumn), QStringLiteral("% of mark per minute"));
    QCOMPARE(cell(table, 4, AlertRulesDialog::EmergencyColumn), QString()); // no emergency level
    QCOMPARE(cell(table, 2, AlertRulesDialog::RearmColumn), QStringLiteral("0.5"));
    // Account and symbol are not asked for a rule on all positions.
    QVERIFY(!(table->item(0, AlertRulesDialog::AccountColumn)->flags() & Qt::ItemIsEditable));

    // What the fields hold is exactly the defaults.
    QString problem;
    const std::optional<AlertSettings> shown = dialog.collect(&problem);
    QVERIFY2(shown, qPrintable(problem));
    QCOMPARE(text(*shown), text(AlertSettings{}));
    QCOMPARE(dialog.problemText(), QString());
}

void TestAlertRulesDialog::editingAThresholdAndSavingWritesIt()
{
    QTemporaryDir dir;
    AlertSettingsStore store(AlertSettingsStore::pathIn(dir.path()));
    (void)store.load();
    // What the dialog does not edit — automatic deleveraging — is kept as it was.
    AlertSettings withDeleverage;
    withDeleverage.deleverage.push_back(AccountAutomation{"Binance main", {}});
    withDeleverage.deleverage[0].settings.enabled = true;
    QVERIFY(store.save(withDeleverage));
    AlertRulesDialog dialog(store);
    QSignalSpy saved(&dialog, &AlertRulesDialog::settingsSaved);
    QTableWidget* table = dialog.rulesTable();
    table->item(1, AlertRulesDialog::CriticalColumn)->setText(QStringLiteral("80"));
    table->item(0, AlertRulesDialog::WarningColumn)->setText(QStringLiteral(" 12.5 "));
    table->item(3, AlertRulesDialog::EnabledColumn)->setCheckState(Qt::Unchecked);
    dialog.findChild<QLineEdit*>(QStringLiteral("webhookUrl"))->setText(QStringLiteral("https://push.example.com/hook"));

    QCOMPARE(dialog.save(), QString());
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(saved.count(), 1);
    const AlertSettings written = readAlertSettings(readAll(store.path()).toStdString());
    QCOMPARE(written.policy.rules[1].critical, std::optional<double>(80.0));
    QCOMPARE(written.policy.rules[0].warning, std::optional<double>(12.5));
    QVERIFY(!written.policy.rules[3].enabled);
    QCOMPARE(written.webhookUrl, std::string("https://push.example.com/hook"));
    QCOMPARE(written.deleverage.size(), std::size_t{1});
    QVERIFY(written.deleverage[0].settings.enabled);
    QCOMPARE(text(saved.at(0).at(0).value<AlertSettings>()), text(written));
    QCOMPARE(text(dialog.settings()), text(written));
    QCOMPARE(text(store.settings()), text(written));
}

void TestAlertRulesDialog::outOfOrderThresholdIsRefused()
{
    QTemporaryDir dir;
    AlertSettingsStore store(AlertSettingsStore::pathIn(dir.path()));
    (void)store.load();
    AlertRulesDialog dialog(store);
    QSignalSpy saved(&dialog, &AlertRulesDialog::settingsSaved);
    // A critical distance of 12 % is safer than the warning at 10 %: out of order.
    dialog.rulesTable()->item(0, AlertRulesDialog::CriticalColumn)->setText(QStringLiteral("12"));
    const QString problem = dialog.save();
    QVERIFY2(problem.startsWith(QStringLiteral("Rule 1 (Distance to liquidation below, all positions) — Critical: ")) &&
                 problem.contains(QStringLiteral("louder level")),
             qPrintable(problem));
    QCOMPARE(dialog.problemText(), problem);
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QCOMPARE(saved.count(), 0);
    QVERIFY(!QFile::exists(store.path())); // nothing written
    QCOMPARE(dialog.rulesTable()->currentRow(), 0); // the rule and the level at fault are selected
    QCOMPARE(dialog.rulesTable()->currentColumn(), int(AlertRulesDialog::CriticalColumn));

    // Fixed: saved.
    dialog.rulesTable()->item(0, AlertRulesDialog::CriticalColumn)->setText(QStringLiteral("4"));
    QCOMPARE(dialog.save(), QString());
    QVERIFY(QFile::exists(store.path()));
}

void TestAlertRulesDialog::otherProblemsNameTheRowAndField()
{
    QTemporaryDir dir;
    AlertSettingsStore store(AlertSettingsStore::pathIn(dir.path()));
    (void)store.load();
    AlertRulesDialog dialog(store);
    QTableWidget* table = dialog.rulesTable();

    table->item(2, AlertRulesDialog::EmergencyColumn)->setText(QStringLiteral("one"));
    QString problem = dialog.save();
    QVERIFY2(problem.startsWith(QStringLiteral("Rule 3 (Distance in σ below, all positions) — Emergency: “one” is not a number")),
             qPrintable(problem));
    table->item(2, AlertRulesDialog::EmergencyColumn)->setText(QStringLiteral("1"));

    table->item(5, AlertRulesDialog::RearmColumn)->setText(QStringLiteral("-1"));
    problem = dialog.save();
    QVERIFY2(problem.startsWith(QStringLiteral("Rule 6 (Prices stale for more than, all positions)")) && problem.contains(QStringLiteral("re-arm")),
             qPrintable(problem));
    table->item(5, AlertRulesDialog::RearmColumn)->setText(QString()); // empty: 0

    // A rule for one account needs the account's name.
    dialog.addRule(AlertRuleKind::MarginRatio);
    QCOMPARE(table->rowCount(), 7);
    comboAt(table, 6, AlertRulesDialog::ScopeColumn)->setCurrentIndex(1); // One account
    QVERIFY(table->item(6, AlertRulesDialog::AccountColumn)->flags() & Qt::ItemIsEditable);
    problem = dialog.save();
    QVERIFY2(problem.startsWith(QStringLiteral("Rule 7 (Margin ratio above, one account)")) && problem.contains(QStringLiteral("label")),
             qPrintable(problem));

    dialog.findChild<QLineEdit*>(QStringLiteral("webhookUrl"))->setText(QStringLiteral("http://example.com/hook"));
    table->item(6, AlertRulesDialog::AccountColumn)->setText(QStringLiteral("Main"));
    problem = dialog.save();
    QVERIFY2(problem.startsWith(QStringLiteral("Webhook URL: ")), qPrintable(problem));
    QVERIFY(!QFile::exists(store.path()));

    dialog.findChild<QLineEdit*>(QStringLiteral("webhookUrl"))->clear();
    QCOMPARE(dialog.save(), QString());
    const AlertSettings written = readAlertSettings(readAll(store.path()).toStdString());
    QCOMPARE(written.policy.rules.size(), std::size_t(7));
    QCOMPARE(written.policy.rules[6].scope, AlertScope::Account);
    QCOMPARE(written.policy.rules[6].account, std::string("Main"));
    QCOMPARE(written.policy.rules[6].critical, std::optional<double>(85.0));
    QCOMPARE(written.policy.rules[5].rearm, 0.0);
}

void TestAlertRulesDialog::kindAndScopeFollowTheRow()
{
    QTemporaryDir dir;
    AlertSettingsStore store(AlertSettingsStore::pathIn(dir.path()));
    (void)store.load();
    AlertRulesDialog dialog(store);
    QTableWidget* table = dialog.rulesTable();
    dialog.removeRule(0);
    QCOMPARE(table->rowCount(), 5);
    // The first row is now the margin ratio; made a time rule, it takes that kind's unit and defaults.
    QComboBox* kind = comboAt(table, 0, AlertRulesDialog::KindColumn);
    kind->setCurrentIndex(kind->findData(int(AlertRuleKind::TimeToLiquidation)));
    QCOMPARE(cell(table, 0, AlertRulesDialog::UnitColumn), QStringLiteral("seconds"));
    QCOMPARE(cell(table, 0, AlertRulesDialog::WarningColumn), QStringLiteral("600"));
    QCOMPARE(cell(table, 0, AlertRulesDialog::EmergencyColumn), QStringLiteral("60"));
    // A position rule asks for the account and the symbol.
    comboAt(table, 0, AlertRulesDialog::ScopeColumn)->setCurrentIndex(2);
    QVERIFY(table->item(0, AlertRulesDialog::SymbolColumn)->flags() & Qt::ItemIsEditable);
    table->item(0, AlertRulesDialog::AccountColumn)->setText(QStringLiteral("Main"));
    table->item(0, AlertRulesDialog::SymbolColumn)->setText(QStringLiteral("BTCUSDT"));
    const std::optional<AlertSettings> settings = dialog.collect();
    QVERIFY(settings);
    QCOMPARE(settings->policy.rules[0].kind, AlertRuleKind::TimeToLiquidation);
    QCOMPARE(settings->policy.rules[0].scope, AlertScope::Position);
    QCOMPARE(settings->policy.rules[0].symbol, std::string("BTCUSDT"));
}

void TestAlertRulesDialog::restoreDefaults()
{
    QTemporaryDir dir;
    const QString path = AlertSettingsStore::pathIn(dir.path());
    AlertSettings mine;
    mine.policy.rules.resize(2);
    mine.policy.cooldown = std::chrono::seconds(5);
    mine.webhookUrl = "https://push.example.com/x";
    mine.volume = 0.3;
    writeFile(path, QByteArray::fromStdString(writeAlertSettings(mine)));
    AlertSettingsStore store(path);
    QCOMPARE(store.load().problem, QString());
    AlertRulesDialog dialog(store);
    QCOMPARE(dialog.rulesTable()->rowCount(), 2);
    dialog.rulesTable()->item(0, AlertRulesDialog::WarningColumn)->setText(QStringLiteral("33"));

    dialog.restoreDefaults();
    const std::optional<AlertSettings> shown = dialog.collect();
    QVERIFY(shown);
    AlertSettings expected; // the default rules and timings; the delivery settings stay the trader's
    expected.webhookUrl = mine.webhookUrl;
    expected.volume = mine.volume;
    QCOMPARE(text(*shown), text(expected));
    QCOMPARE(readAll(path), QByteArray::fromStdString(writeAlertSettings(mine))); // saved only on Save
}

void TestAlertRulesDialog::deleverageRowAddedAndSaved()
{
    QTemporaryDir dir;
    AlertSettingsStore store(AlertSettingsStore::pathIn(dir.path()));
    (void)store.load();
    AlertRulesDialog dialog(store);
    dialog.setKnownAccounts({QStringLiteral("Binance main"), QStringLiteral("Bybit hedge")});
    QTableWidget* table = dialog.deleverageTable();
    QCOMPARE(table->rowCount(), 0);

    // A new row: the first known account, off, dry run, the default target, trigger and caps.
    dialog.addDeleverageRow();
    QCOMPARE(table->rowCount(), 1);
    QComboBox* label = comboAt(table, 0, AlertRulesDialog::AccountLabelColumn);
    QVERIFY(label->isEditable());
    QCOMPARE(label->count(), 2);
    QCOMPARE(label->currentText(), QStringLiteral("Binance main"));
    QCOMPARE(table->item(0, AlertRulesDialog::OnColumn)->checkState(), Qt::Unchecked);
    QCOMPARE(table->item(0, AlertRulesDialog::DryRunColumn)->checkState(), Qt::Checked);
    QCOMPARE(cell(table, 0, AlertRulesDialog::TargetDistanceColumn), QStringLiteral("10"));
    QCOMPARE(cell(table, 0, AlertRulesDialog::TargetRatioColumn), QString());
    QCOMPARE(comboAt(table, 0, AlertRulesDialog::TriggerColumn)->currentText(), QStringLiteral("critical"));
    QCOMPARE(cell(table, 0, AlertRulesDialog::CountdownColumn), QStringLiteral("10"));
    QCOMPARE(cell(table, 0, AlertRulesDialog::MaxPerHourColumn), QStringLiteral("2"));
    QCOMPARE(cell(table, 0, AlertRulesDialog::MaxPerDayColumn), QStringLiteral("6"));
    QCOMPARE(dialog.liveNoteText(), QString());
    // The next one offers the account not yet listed; a typed label not in the list is accepted too.
    dialog.addDeleverageRow();
    QCOMPARE(comboAt(table, 1, AlertRulesDialog::AccountLabelColumn)->currentText(), QStringLiteral("Bybit hedge"));
    comboAt(table, 1, AlertRulesDialog::AccountLabelColumn)->setEditText(QStringLiteral(" OKX swing "));

    // Fill the first.
    check(table, 0, AlertRulesDialog::OnColumn, true);
    table->item(0, AlertRulesDialog::TargetDistanceColumn)->setText(QStringLiteral("12.5"));
    QComboBox* trigger = comboAt(table, 0, AlertRulesDialog::TriggerColumn);
    trigger->setCurrentIndex(trigger->findData(int(AlertLevel::Emergency)));
    table->item(0, AlertRulesDialog::CountdownColumn)->setText(QStringLiteral("15"));
    table->item(0, AlertRulesDialog::MaxPerHourColumn)->setText(QStringLiteral("3"));
    table->item(0, AlertRulesDialog::MaxPerDayColumn)->setText(QStringLiteral("8"));
    // The second aims at a margin ratio instead.
    table->item(1, AlertRulesDialog::TargetDistanceColumn)->setText(QString());
    table->item(1, AlertRulesDialog::TargetRatioColumn)->setText(QStringLiteral("75"));

    QCOMPARE(dialog.save(), QString());
    const AlertSettings written = readAlertSettings(readAll(store.path()).toStdString());
    QCOMPARE(written.deleverage.size(), std::size_t{2});
    const AccountAutomation& first = written.deleverage[0];
    QCOMPARE(first.accountLabel, std::string("Binance main"));
    QVERIFY(first.settings.enabled);
    QVERIFY(first.settings.dryRun); // on, still in dry run
    QCOMPARE(first.settings.target.kind, DeleverageTarget::Kind::Distance);
    QCOMPARE(first.settings.target.value, 12.5);
    QCOMPARE(first.settings.triggerLevel, AlertLevel::Emergency);
    QCOMPARE(first.settings.countdown, std::chrono::seconds(15));
    QCOMPARE(first.settings.maxOrdersPerPositionPerHour, 3);
    QCOMPARE(first.settings.maxOrdersPerPositionPerDay, 8);
    const AccountAutomation& second = written.deleverage[1];
    QCOMPARE(second.accountLabel, std::string("OKX swing"));
    QVERIFY(!second.settings.enabled);
    QVERIFY(second.settings.dryRun);
    QCOMPARE(second.settings.target.kind, DeleverageTarget::Kind::MarginRatio);
    QCOMPARE(second.settings.target.value, 0.75);
    QCOMPARE(second.settings.triggerLevel, AlertLevel::Critical);
    QCOMPARE(text(dialog.settings()), text(written));
}

void TestAlertRulesDialog::deleverageLoadedAndSavedBackUnchanged()
{
    QTemporaryDir dir;
    const QString path = AlertSettingsStore::pathIn(dir.path());
    const AlertSettings mine = twoAccounts();
    const QByteArray file = QByteArray::fromStdString(writeAlertSettings(mine));
    writeFile(path, file);
    AlertSettingsStore store(path);
    QCOMPARE(store.load().problem, QString());
    AlertRulesDialog dialog(store);
    const QTableWidget* table = dialog.deleverageTable();
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(comboAt(table, 0, AlertRulesDialog::AccountLabelColumn)->currentText(), QStringLiteral("Binance main"));
    QCOMPARE(table->item(0, AlertRulesDialog::OnColumn)->checkState(), Qt::Checked);
    QCOMPARE(table->item(0, AlertRulesDialog::DryRunColumn)->checkState(), Qt::Unchecked);
    QCOMPARE(cell(table, 0, AlertRulesDialog::TargetDistanceColumn), QStringLiteral("7.5"));
    QCOMPARE(cell(table, 0, AlertRulesDialog::TargetRatioColumn), QString());
    QCOMPARE(comboAt(table, 0, AlertRulesDialog::TriggerColumn)->currentText(), QStringLiteral("emergency"));
    QCOMPARE(cell(table, 0, AlertRulesDialog::CountdownColumn), QStringLiteral("20"));
    QCOMPARE(cell(table, 0, AlertRulesDialog::MaxPerHourColumn), QStringLiteral("1"));
    QCOMPARE(cell(table, 0, AlertRulesDialog::MaxPerDayColumn), QStringLiteral("3"));
    QCOMPARE(comboAt(table, 1, AlertRulesDialog::AccountLabelColumn)->currentText(), QStringLiteral("Bybit hedge"));
    QCOMPARE(cell(table, 1, AlertRulesDialog::TargetDistanceColumn), QString()); // the margin ratio target, not lost
    QCOMPARE(cell(table, 1, AlertRulesDialog::TargetRatioColumn), QStringLiteral("70"));
    QCOMPARE(table->item(1, AlertRulesDialog::DryRunColumn)->checkState(), Qt::Checked);
    // The live account is spelled out.
    QVERIFY2(dialog.liveNoteText().contains(
                 QStringLiteral("Live: reduce-only orders will be sent for Binance main after a 20 s countdown")),
             qPrintable(dialog.liveNoteText()));
    QVERIFY(!dialog.liveNoteText().contains(QStringLiteral("Bybit")));

    // Nothing edited: the same text back, fraction per order and headroom included.
    QString problem;
    const std::optional<AlertSettings> shown = dialog.collect(&problem);
    QVERIFY2(shown, qPrintable(problem));
    QCOMPARE(text(*shown), text(mine));
    QCOMPARE(dialog.save(), QString());
    QCOMPARE(readAll(path), file);
}

void TestAlertRulesDialog::deleverageProblemsNameTheRowAndField()
{
    QTemporaryDir dir;
    const QString path = AlertSettingsStore::pathIn(dir.path());
    AlertSettingsStore store(path);
    (void)store.load();
    AlertRulesDialog dialog(store);
    QSignalSpy saved(&dialog, &AlertRulesDialog::settingsSaved);
    dialog.showSettings(twoAccounts());
    QTableWidget* table = dialog.deleverageTable();
    QCOMPARE(dialog.tabs()->currentIndex(), int(AlertRulesDialog::RulesTab));

    // A zero countdown: nobody could cancel.
    table->item(1, AlertRulesDialog::CountdownColumn)->setText(QStringLiteral("0"));
    QString problem = dialog.save();
    QVERIFY2(problem.startsWith(QStringLiteral("Deleverage row 2 (Bybit hedge) — Countdown: ")) &&
                 problem.contains(QStringLiteral("zero")),
             qPrintable(problem));
    QCOMPARE(dialog.problemText(), problem);
    QCOMPARE(dialog.tabs()->currentIndex(), int(AlertRulesDialog::DeleverageTab)); // shown where it is
    QCOMPARE(table->currentRow(), 1);
    QCOMPARE(table->currentColumn(), int(AlertRulesDialog::CountdownColumn));
    table->item(1, AlertRulesDialog::CountdownColumn)->setText(QStringLiteral("5"));

    // Not a number.
    table->item(0, AlertRulesDialog::MaxPerDayColumn)->setText(QStringLiteral("six"));
    problem = dialog.save();
    QVERIFY2(problem.startsWith(QStringLiteral("Deleverage row 1 (Binance main) — Max per day: “six” is not a whole number")),
             qPrintable(problem));
    table->item(0, AlertRulesDialog::MaxPerDayColumn)->setText(QStringLiteral("6"));
    table->item(0, AlertRulesDialog::TargetDistanceColumn)->setText(QStringLiteral("ten"));
    problem = dialog.save();
    QVERIFY2(problem.startsWith(QStringLiteral("Deleverage row 1 (Binance main) — Target distance: “ten” is not a number")),
             qPrintable(problem));
    table->item(0, AlertRulesDialog::TargetDistanceColumn)->setText(QStringLiteral("10"));

    // Two targets, and a ratio at liquidation.
    table->item(1, AlertRulesDialog::TargetDistanceColumn)->setText(QStringLiteral("8"));
    problem = dialog.save();
    QVERIFY2(problem.startsWith(QStringLiteral("Deleverage row 2 (Bybit hedge) — Target margin ratio: give one target")),
             qPrintable(problem));
    table->item(1, AlertRulesDialog::TargetDistanceColumn)->setText(QString());
    table->item(1, AlertRulesDialog::TargetRatioColumn)->setText(QStringLiteral("100"));
    problem = dialog.save();
    QVERIFY2(problem.startsWith(QStringLiteral("Deleverage row 2 (Bybit hedge) — Target margin ratio: ")), qPrintable(problem));
    table->item(1, AlertRulesDialog::TargetRatioColumn)->setText(QStringLiteral("70"));

    // An empty label, then a repeated one.
    comboAt(table, 0, AlertRulesDialog::AccountLabelColumn)->setEditText(QStringLiteral("  "));
    problem = dialog.save();
    QVERIFY2(problem.startsWith(QStringLiteral("Deleverage row 1 — Account: ")), qPrintable(problem));
    QCOMPARE(table->currentRow(), 0);
    QCOMPARE(table->currentColumn(), int(AlertRulesDialog::AccountLabelColumn));
    comboAt(table, 0, AlertRulesDialog::AccountLabelColumn)->setEditText(QStringLiteral("Bybit hedge"));
    problem = dialog.save();
    QVERIFY2(problem.startsWith(QStringLiteral("Deleverage row 2 (Bybit hedge) — Account: “Bybit hedge” is already set in row 1")),
             qPrintable(problem));

    QCOMPARE(saved.count(), 0);
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QVERIFY(!QFile::exists(path)); // nothing written

    // Fixed, and a row removed: saved.
    comboAt(table, 0, AlertRulesDialog::AccountLabelColumn)->setEditText(QStringLiteral("Binance main"));
    dialog.removeDeleverageRow(0);
    QCOMPARE(table->rowCount(), 1);
    QCOMPARE(dialog.save(), QString());
    const AlertSettings written = readAlertSettings(readAll(path).toStdString());
    QCOMPARE(written.deleverage.size(), std::size_t{1});
    QCOMPARE(written.deleverage[0].accountLabel, std::string("Bybit hedge"));
    QCOMPARE(written.deleverage[0].settings.countdown, std::chrono::seconds(5));
    QCOMPARE(written.deleverage[0].settings.maxFractionPerOrder, std::optional<double>(0.25)); // kept
}

void TestAlertRulesDialog::liveNoteOnlyWhenOnAndNotDryRun()
{
    QTemporaryDir dir;
    AlertSettingsStore store(AlertSettingsStore::pathIn(dir.path()));
    (void)store.load();
    AlertRulesDialog dialog(store);
    QTableWidget* table = dialog.deleverageTable();
    dialog.addDeleverageRow();
    comboAt(table, 0, AlertRulesDialog::AccountLabelColumn)->setEditText(QStringLiteral("Binance main"));

    // Off + dry run, off + live, on + dry run: no note.
    QCOMPARE(dialog.liveNoteText(), QString());
    check(table, 0, AlertRulesDialog::DryRunColumn, false);
    QCOMPARE(dialog.liveNoteText(), QString());
    check(table, 0, AlertRulesDialog::DryRunColumn, true);
    check(table, 0, AlertRulesDialog::OnColumn, true);
    QCOMPARE(dialog.liveNoteText(), QString());
    // On and not dry run: said in words, with the account, the countdown and the trigger.
    check(table, 0, AlertRulesDialog::DryRunColumn, false);
    QCOMPARE(dialog.liveNoteText(),
             QStringLiteral("Live: reduce-only orders will be sent for Binance main after a 10 s countdown, when one of "
                            "its alerts reaches critical."));
    // It follows the row's fields.
    table->item(0, AlertRulesDialog::CountdownColumn)->setText(QStringLiteral("30"));
    comboAt(table, 0, AlertRulesDialog::AccountLabelColumn)->setEditText(QStringLiteral("Binance alt"));
    QVERIFY2(dialog.liveNoteText().contains(QStringLiteral("for Binance alt after a 30 s countdown")),
             qPrintable(dialog.liveNoteText()));
    check(table, 0, AlertRulesDialog::OnColumn, false);
    QCOMPARE(dialog.liveNoteText(), QString());
    check(table, 0, AlertRulesDialog::OnColumn, true);
    QVERIFY(!dialog.liveNoteText().isEmpty());
    dialog.removeDeleverageRow(0);
    QCOMPARE(dialog.liveNoteText(), QString());
}

void TestAlertRulesDialog::renders()
{
    QTemporaryDir dir;
    AlertSettingsStore store(AlertSettingsStore::pathIn(dir.path()));
    (void)store.load();
    AlertRulesDialog dialog(store);
    dialog.addRule(AlertRuleKind::Distance);
    QTableWidget* table = dialog.rulesTable();
    comboAt(table, 6, AlertRulesDialog::ScopeColumn)->setCurrentIndex(2);
    table->item(6, AlertRulesDialog::AccountColumn)->setText(QStringLiteral("Main"));
    table->item(6, AlertRulesDialog::SymbolColumn)->setText(QStringLiteral("BTCUSDT"));
    table->item(6, AlertRulesDialog::WarningColumn)->setText(QStringLiteral("15"));
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(dialog.grab().save(QStringLiteral("tst_alert_rules_dialog.png")));

    table->item(1, AlertRulesDialog::EmergencyColumn)->setText(QStringLiteral("80")); // below the critical 85: out of order
    QVERIFY(!dialog.save().isEmpty());
    QVERIFY(dialog.isVisible());
    QVERIFY(dialog.grab().save(QStringLiteral("tst_alert_rules_dialog_problem.png")));
    table->item(1, AlertRulesDialog::EmergencyColumn)->setText(QStringLiteral("95"));

    // Automatic deleveraging: one account live, one in dry run, one new row.
    dialog.setKnownAccounts({QStringLiteral("Binance main"), QStringLiteral("Bybit hedge"), QStringLiteral("OKX swing")});
    dialog.showSettings(twoAccounts());
    dialog.addDeleverageRow();
    dialog.tabs()->setCurrentIndex(AlertRulesDialog::DeleverageTab);
    QVERIFY(!dialog.liveNoteText().isEmpty());
    QVERIFY(dialog.grab().save(QStringLiteral("tst_alert_rules_dialog_deleverage.png")));

    dialog.deleverageTable()->item(2, AlertRulesDialog::CountdownColumn)->setText(QStringLiteral("0"));
    QVERIFY(!dialog.save().isEmpty());
    QVERIFY(dialog.grab().save(QStringLiteral("tst_alert_rules_dialog_deleverage_problem.png")));
}

QTEST_MAIN(TestAlertRulesDialog)
#include "tst_alert_rules_dialog.moc"
