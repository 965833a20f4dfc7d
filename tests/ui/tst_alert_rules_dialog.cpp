// Settings → Alerts: alerts.json (AlertSettingsStore), the rules dialog and its models (AlertRulesModel,
// DeleverageSettingsModel) and delegates, offscreen. Renders the dialog to tst_alert_rules_dialog*.png
// in the working folder for a person to look at.

#include "dialogs/alert_rules_dialog.h"
#include "dialogs/alert_settings_store.h"
#include "models/alert_rules_model.h"
#include "models/deleverage_settings_model.h"
#include "views/theme.h"

#include "config/accounts_config.h"
#include "config/alert_settings.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStyleOptionViewItem>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace mm;
using namespace mm::ui;

using Rules = AlertRulesModel;
using Deleverage = DeleverageSettingsModel;

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

QString cell(const QAbstractItemModel* model, int row, int column, int role = Qt::DisplayRole)
{
    return model->index(row, column).data(role).toString();
}

bool set(QAbstractItemModel* model, int row, int column, const QVariant& value, int role = Qt::EditRole)
{
    return model->setData(model->index(row, column), value, role);
}

void check(QAbstractItemModel* model, int row, int column, bool on)
{
    QVERIFY(model->setData(model->index(row, column), on ? Qt::Checked : Qt::Unchecked, Qt::CheckStateRole));
}

Qt::CheckState checkState(const QAbstractItemModel* model, int row, int column)
{
    return static_cast<Qt::CheckState>(model->index(row, column).data(Qt::CheckStateRole).toInt());
}

bool editable(const QAbstractItemModel* model, int row, int column)
{
    return model->flags(model->index(row, column)) & Qt::ItemIsEditable;
}

/// The view's editor for a cell, made by its delegate as a double click would, with the cell's value in it.
struct Editor {
    Editor(QTableView* table, int row, int column) : view(table), index(table->model()->index(row, column))
    {
        delegate = view->itemDelegateForIndex(index);
        QStyleOptionViewItem option;
        option.rect = view->visualRect(index);
        widget.reset(delegate->createEditor(view->viewport(), option, index));
        delegate->setEditorData(widget.get(), index);
    }
    void commit() { delegate->setModelData(widget.get(), view->model(), index); }
    template <class T>
    T* as() const
    {
        return qobject_cast<T*>(widget.get());
    }
    QTableView* view;
    QModelIndex index;
    QAbstractItemDelegate* delegate = nullptr;
    std::unique_ptr<QWidget> widget;
};

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

/// The signals a model may emit, counted.
struct Spies {
    explicit Spies(QAbstractItemModel* model)
        : inserted(model, &QAbstractItemModel::rowsInserted),
          removed(model, &QAbstractItemModel::rowsRemoved),
          reset(model, &QAbstractItemModel::modelReset),
          changed(model, &QAbstractItemModel::dataChanged)
    {
    }
    void clear()
    {
        inserted.clear();
        removed.clear();
        reset.clear();
        changed.clear();
    }
    [[nodiscard]] int total() const { return int(inserted.count() + removed.count() + reset.count() + changed.count()); }
    QSignalSpy inserted;
    QSignalSpy removed;
    QSignalSpy reset;
    QSignalSpy changed;
};

} // namespace

class TestAlertRulesDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void storeRoundTrip();
    void brokenFileIsKeptAside();
    void showsTheDefaults();
    void rulesModelEditsAndSignals();
    void rulesModelMarksProblemsOnTheirCell();
    void delegatesEditInTheKindsUnit();
    void editingAThresholdAndSavingWritesIt();
    void outOfOrderThresholdIsRefused();
    void otherProblemsNameTheRowAndField();
    void kindAndScopeFollowTheRow();
    void timingsSayWhatTheyDo();
    void restoreDefaults();
    void deleverageModelSignalsAndProblems();
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
    const AlertRulesModel* model = dialog.rulesModel();
    QCOMPARE(dialog.rulesView()->model(), model);
    const AlertPolicy defaults = defaultAlertPolicy();
    QCOMPARE(model->rowCount(), int(defaults.rules.size()));
    QCOMPARE(model->columnCount(), int(Rules::Count));
    QCOMPARE(cell(model, 0, Rules::Kind), QStringLiteral("Distance to liquidation below"));
    QCOMPARE(cell(model, 0, Rules::Unit), QStringLiteral("% of mark"));
    QCOMPARE(cell(model, 0, Rules::Scope), QStringLiteral("All positions"));
    QCOMPARE(checkState(model, 0, Rules::Enabled), Qt::Checked);
    QCOMPARE(cell(model, 0, Rules::Warning), QStringLiteral("10"));
    QCOMPARE(cell(model, 0, Rules::Critical), QStringLiteral("5"));
    QCOMPARE(cell(model, 0, Rules::Emergency), QStringLiteral("2"));
    QCOMPARE(cell(model, 0, Rules::Rearm), QStringLiteral("1"));
    QCOMPARE(cell(model, 1, Rules::Kind), QStringLiteral("Margin ratio above"));
    QCOMPARE(cell(model, 4, Rules::Kind), QStringLiteral("Distance shrinking faster than"));
    QCOMPARE(cell(model, 4, Rules::Unit), QStringLiteral("% of mark per minute"));
    QCOMPARE(cell(model, 4, Rules::Emergency), QStringLiteral("off")); // no emergency level
    QVERIFY(model->index(4, Rules::Emergency).data(Qt::EditRole).isNull());
    QCOMPARE(cell(model, 2, Rules::Rearm), QStringLiteral("0.5"));
    // Account and symbol are not asked for a rule on all positions.
    QVERIFY(!editable(model, 0, Rules::Account));
    QVERIFY(!editable(model, 0, Rules::Symbol));
    QVERIFY(editable(model, 0, Rules::Warning));
    QVERIFY(!editable(model, 0, Rules::Unit));

    // One voice per position: the groups, and the words that say how the rules combine.
    QCOMPARE(cell(model, 0, Rules::Group), QStringLiteral("Your thresholds"));
    QCOMPARE(cell(model, 1, Rules::Group), QStringLiteral("Your thresholds"));
    QCOMPARE(cell(model, 2, Rules::Group), QStringLiteral("Forecasts"));
    QCOMPARE(cell(model, 4, Rules::Group), QStringLiteral("Forecasts"));
    QCOMPARE(cell(model, 5, Rules::Group), QStringLiteral("Data"));
    QVERIFY(cell(model, 2, Rules::Group, Qt::ToolTipRole).contains(QStringLiteral("at most one level above")));
    QCOMPARE(dialog.rulesView()->rowSpan(0, Rules::Group), 2); // one label beside each group
    QCOMPARE(dialog.rulesView()->rowSpan(2, Rules::Group), 3);
    QCOMPARE(dialog.rulesView()->rowSpan(5, Rules::Group), 1);
    const auto* note = dialog.findChild<QLabel*>(QStringLiteral("rulesNote"));
    QVERIFY(note != nullptr);
    for (const QString& words : {QStringLiteral("One alert per position"), QStringLiteral("Your thresholds"),
                                 QStringLiteral("obeyed exactly"), QStringLiteral("Forecasts"),
                                 QStringLiteral("at most one level above its distance/margin-ratio level"),
                                 QStringLiteral("never skip one"), QStringLiteral("Data")}) {
        QVERIFY2(note->text().contains(words), qPrintable(words));
    }

    // What the fields hold is exactly the defaults.
    QString problem;
    const std::optional<AlertSettings> shown = dialog.collect(&problem);
    QVERIFY2(shown, qPrintable(problem));
    QCOMPARE(text(*shown), text(AlertSettings{}));
    QCOMPARE(dialog.problemText(), QString());
}

void TestAlertRulesDialog::rulesModelEditsAndSignals()
{
    AlertRulesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Spies spies(&model);
    model.setRules(defaultAlertPolicy().rules);
    QCOMPARE(spies.reset.count(), 1);
    QCOMPARE(model.rowCount(), 6);
    spies.clear();

    // A threshold: one dataChanged over the row, the value as typed.
    QVERIFY(set(&model, 0, Rules::Warning, 12.5));
    QCOMPARE(spies.changed.count(), 1);
    QCOMPARE(spies.changed.at(0).at(0).value<QModelIndex>(), model.index(0, 0));
    QCOMPARE(spies.changed.at(0).at(1).value<QModelIndex>(), model.index(0, Rules::Count - 1));
    QCOMPARE(cell(&model, 0, Rules::Warning), QStringLiteral("12.5"));
    QCOMPARE(model.ruleAt(0).warning, std::optional<double>(12.5));
    // Text the trader typed, with a decimal comma or "off".
    QVERIFY(set(&model, 0, Rules::Warning, QStringLiteral(" 11 ")));
    QCOMPARE(model.ruleAt(0).warning, std::optional<double>(11.0));
    QVERIFY(set(&model, 1, Rules::Warning, QStringLiteral("off")));
    QVERIFY(!model.ruleAt(1).warning);
    QCOMPARE(cell(&model, 1, Rules::Warning), QStringLiteral("off"));
    QVERIFY(set(&model, 1, Rules::Warning, QVariant()));
    QCOMPARE(spies.changed.count(), 4);
    // What is not a number changes nothing and says nothing.
    spies.clear();
    QVERIFY(!set(&model, 2, Rules::Emergency, QStringLiteral("one")));
    QVERIFY(!set(&model, 2, Rules::Emergency, std::numeric_limits<double>::infinity()));
    QVERIFY(!set(&model, 0, Rules::Unit, QStringLiteral("bananas"))); // read-only
    QVERIFY(!set(&model, 0, Rules::Account, QStringLiteral("Main"))); // not used on all positions
    QVERIFY(!set(&model, 0, Rules::Kind, 42));
    QCOMPARE(model.ruleAt(2).emergency, std::optional<double>(1.0));
    QCOMPARE(spies.total(), 0);

    // The check box.
    QVERIFY(set(&model, 3, Rules::Enabled, Qt::Unchecked, Qt::CheckStateRole));
    QVERIFY(!model.ruleAt(3).enabled);
    QCOMPARE(spies.changed.count(), 1);

    // A new rule goes at the end of its group: a margin ratio rule after the thresholds, a stale one at the bottom.
    spies.clear();
    QCOMPARE(model.addRule(Rules::defaultRule(AlertRuleKind::MarginRatio)), 2);
    QCOMPARE(spies.inserted.count(), 1);
    QCOMPARE(spies.inserted.at(0).at(1).toInt(), 2);
    QCOMPARE(spies.inserted.at(0).at(2).toInt(), 2);
    QCOMPARE(cell(&model, 2, Rules::Group), QStringLiteral("Your thresholds"));
    QCOMPARE(model.addRule(Rules::defaultRule(AlertRuleKind::Stale)), 7);
    QCOMPARE(model.addRule(Rules::defaultRule(AlertRuleKind::Velocity)), 6);
    QCOMPARE(model.rowCount(), 9);
    QCOMPARE(spies.inserted.count(), 3);
    QCOMPARE(spies.removed.count() + spies.reset.count(), 0);
    // Of one kind, the later rule wins: a new rule is after every rule of its kind.
    const std::vector<AlertRule> rules = model.rules();
    QCOMPARE(rules[2].kind, AlertRuleKind::MarginRatio);
    QCOMPARE(rules[1].kind, AlertRuleKind::MarginRatio);

    // Removed: one signal; the rules below are numbered again.
    spies.clear();
    QSignalSpy headers(&model, &QAbstractItemModel::headerDataChanged);
    QVERIFY(model.removeRows(2, 1));
    QCOMPARE(spies.removed.count(), 1);
    QCOMPARE(spies.removed.at(0).at(1).toInt(), 2);
    QCOMPARE(headers.count(), 1);
    QCOMPARE(model.headerData(2, Qt::Vertical).toInt(), 3);
    QVERIFY(!model.removeRows(8, 1));
    QCOMPARE(spies.total(), 1);
    QCOMPARE(model.rowCount(), 8);

    // Another kind: that kind's unit and default thresholds, one dataChanged.
    spies.clear();
    QVERIFY(set(&model, 0, Rules::Kind, int(AlertRuleKind::SigmaDistance)));
    QCOMPARE(spies.changed.count(), 1);
    QCOMPARE(cell(&model, 0, Rules::Unit), QStringLiteral("σ of an hour's move"));
    QCOMPARE(cell(&model, 0, Rules::Warning), QStringLiteral("3"));
    QCOMPARE(cell(&model, 0, Rules::Group), QStringLiteral("Forecasts"));
    QCOMPARE(model.index(0, 0).data(Rules::UnitSuffixRole).toString(), QStringLiteral("σ"));
    // A scope that needs an account: the account becomes editable; the symbol only for a position.
    QVERIFY(set(&model, 0, Rules::Scope, int(AlertScope::Account)));
    QVERIFY(editable(&model, 0, Rules::Account));
    QVERIFY(!editable(&model, 0, Rules::Symbol));
    QVERIFY(set(&model, 0, Rules::Account, QStringLiteral("  Main ")));
    QCOMPARE(model.ruleAt(0).account, std::string("Main"));
    QCOMPARE(model.ruleTitle(0), QStringLiteral("Rule 1 (Distance in σ below, account Main)"));
    // Back to all positions: the label is kept while the dialog is open, but not saved.
    QVERIFY(set(&model, 0, Rules::Scope, int(AlertScope::All)));
    QCOMPARE(cell(&model, 0, Rules::Account), QString());
    QCOMPARE(cell(&model, 0, Rules::Account, Qt::EditRole), QStringLiteral("Main"));
    QVERIFY(model.rules()[0].account.empty());
}

void TestAlertRulesDialog::rulesModelMarksProblemsOnTheirCell()
{
    AlertRulesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRules(defaultAlertPolicy().rules);
    QVERIFY(!model.firstProblem());
    QVERIFY(model.index(0, Rules::Critical).data(Qt::DecorationRole).isNull());

    // A critical distance safer than the warning: on the critical cell, with the reason as its tooltip.
    QVERIFY(set(&model, 0, Rules::Critical, 12));
    const QModelIndex critical = model.index(0, Rules::Critical);
    QVERIFY(critical.data(Rules::CellProblemRole).toString().contains(QStringLiteral("louder level")));
    QCOMPARE(critical.data(Qt::ToolTipRole).toString(), critical.data(Rules::CellProblemRole).toString());
    QVERIFY(!critical.data(Qt::DecorationRole).isNull());
    QVERIFY(critical.data(Qt::BackgroundRole).value<QColor>().isValid());
    QVERIFY(model.index(0, Rules::Warning).data(Qt::DecorationRole).isNull()); // only the cell at fault
    QVERIFY(model.index(0, Rules::Kind).data(Rules::RowProblemRole).toString().startsWith(QStringLiteral("Critical: ")));
    QVERIFY(!model.headerData(0, Qt::Vertical, Qt::DecorationRole).isNull());
    std::optional<AlertRulesModel::Problem> problem = model.firstProblem();
    QVERIFY(problem);
    QCOMPARE(problem->row, 0);
    QCOMPARE(problem->column, Rules::Critical);
    QVERIFY2(problem->text.startsWith(QStringLiteral("Rule 1 (Distance to liquidation below, all positions) — Critical: ")) &&
                 problem->text.endsWith(QLatin1Char('.')),
             qPrintable(problem->text));

    // Every level off: the rule as a whole, shown on what it measures.
    QVERIFY(set(&model, 0, Rules::Critical, 4));
    for (const int column : {Rules::Warning, Rules::Critical, Rules::Emergency}) {
        QVERIFY(set(&model, 3, column, QVariant()));
    }
    problem = model.firstProblem();
    QVERIFY(problem);
    QCOMPARE(problem->row, 3);
    QCOMPARE(problem->column, Rules::Kind);
    QVERIFY2(problem->text.startsWith(QStringLiteral("Rule 4 (Time to liquidation below, all positions): no threshold")),
             qPrintable(problem->text));
    QVERIFY(!model.index(3, Rules::Kind).data(Qt::DecorationRole).isNull());

    // A margin ratio past liquidation, and a negative band.
    QVERIFY(set(&model, 3, Rules::Warning, 600));
    QVERIFY(set(&model, 1, Rules::Emergency, 120));
    QVERIFY(set(&model, 1, Rules::Rearm, -1));
    QVERIFY(model.index(1, Rules::Emergency).data(Rules::CellProblemRole).toString().contains(QStringLiteral("100")));
    QVERIFY(model.index(1, Rules::Rearm).data(Rules::CellProblemRole).toString().contains(QStringLiteral("re-arm")));
    QCOMPARE(model.firstProblem()->column, Rules::Emergency); // the first in the row's order
}

void TestAlertRulesDialog::delegatesEditInTheKindsUnit()
{
    QTemporaryDir dir;
    AlertSettingsStore store(AlertSettingsStore::pathIn(dir.path()));
    (void)store.load();
    AlertRulesDialog dialog(store);
    dialog.setKnownAccounts({QStringLiteral("Binance main"), QStringLiteral("Bybit hedge")});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTableView* view = dialog.rulesView();
    AlertRulesModel* model = dialog.rulesModel();

    // The kind from a list, committed as picked.
    {
        Editor kind(view, 4, Rules::Kind);
        auto* box = kind.as<QComboBox>();
        QVERIFY(box != nullptr);
        QCOMPARE(box->count(), 6);
        QCOMPARE(box->currentText(), QStringLiteral("Distance shrinking faster than"));
        box->setCurrentIndex(box->findData(int(AlertRuleKind::TimeToLiquidation)));
        kind.commit();
        QCOMPARE(model->ruleAt(4).kind, AlertRuleKind::TimeToLiquidation);
        QCOMPARE(cell(model, 4, Rules::Warning), QStringLiteral("600"));
    }
    // A threshold: a number with the kind's unit after it; "off" one step below the range, or typed.
    {
        Editor warning(view, 0, Rules::Warning);
        auto* box = warning.as<QDoubleSpinBox>();
        QVERIFY(box != nullptr);
        QCOMPARE(box->suffix(), QStringLiteral(" %"));
        QCOMPARE(box->specialValueText(), QStringLiteral("off"));
        QCOMPARE(box->value(), 10.0);
        QCOMPARE(box->text(), QStringLiteral("10 %"));
        box->stepDown();
        QCOMPARE(box->value(), 9.5);
        // A decimal comma, where the trader's locale writes one; a point always.
        const QLocale before;
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        box->findChild<QLineEdit*>()->setText(QStringLiteral("7,5 %"));
        warning.commit();
        QLocale::setDefault(before);
        QCOMPARE(model->ruleAt(0).warning.value_or(-1), 7.5);
        box->findChild<QLineEdit*>()->setText(QStringLiteral("7.25"));
        warning.commit();
        QCOMPARE(model->ruleAt(0).warning.value_or(-1), 7.25);
        box->findChild<QLineEdit*>()->setText(QStringLiteral("7,5")); // not a decimal comma here, and never 75
        warning.commit();
        QCOMPARE(model->ruleAt(0).warning.value_or(-1), 7.25);
    }
    {
        Editor emergency(view, 0, Rules::Emergency);
        auto* box = emergency.as<QDoubleSpinBox>();
        box->findChild<QLineEdit*>()->setText(QStringLiteral("off"));
        emergency.commit();
        QVERIFY(!model->ruleAt(0).emergency);
        QCOMPARE(cell(model, 0, Rules::Emergency), QStringLiteral("off"));
    }
    {
        Editor emergency(view, 0, Rules::Emergency); // and back, from off, one step up
        auto* box = emergency.as<QDoubleSpinBox>();
        QCOMPARE(box->text(), QStringLiteral("off"));
        box->stepUp();
        emergency.commit();
        QCOMPARE(model->ruleAt(0).emergency, std::optional<double>(0.0));
    }
    {
        Editor sigma(view, 2, Rules::Critical);
        QCOMPARE(sigma.as<QDoubleSpinBox>()->suffix(), QStringLiteral(" σ"));
        Editor time(view, 4, Rules::Warning);
        QCOMPARE(time.as<QDoubleSpinBox>()->suffix(), QStringLiteral(" s"));
        Editor band(view, 1, Rules::Rearm);
        QCOMPARE(band.as<QDoubleSpinBox>()->specialValueText(), QString()); // a band is never off
        QCOMPARE(band.as<QDoubleSpinBox>()->minimum(), 0.0);
    }
    // The scope from a list; the account typed or picked from the known ones.
    {
        Editor scope(view, 1, Rules::Scope);
        auto* box = scope.as<QComboBox>();
        QCOMPARE(box->count(), 3);
        box->setCurrentIndex(box->findData(int(AlertScope::Account)));
        scope.commit();
        QCOMPARE(model->ruleAt(1).scope, AlertScope::Account);
        Editor account(view, 1, Rules::Account);
        auto* accounts = account.as<QComboBox>();
        QVERIFY(accounts->isEditable());
        QCOMPARE(accounts->count(), 2);
        accounts->setEditText(QStringLiteral("OKX swing"));
        account.commit();
        QCOMPARE(model->ruleAt(1).account, std::string("OKX swing"));
    }
    QVERIFY2(dialog.collect(), qPrintable(model->firstProblem() ? model->firstProblem()->text : QString()));
}

void TestAlertRulesDialog::editingAThresholdAndSavingWritesIt()
{
    QTemporaryDir dir;
    AlertSettingsStore store(AlertSettingsStore::pathIn(dir.path()));
    (void)store.load();
    // What the rules tab does not edit — automatic deleveraging — is kept as it was.
    AlertSettings withDeleverage;
    withDeleverage.deleverage.push_back(AccountAutomation{"Binance main", {}});
    withDeleverage.deleverage[0].settings.enabled = true;
    QVERIFY(store.save(withDeleverage));
    AlertRulesDialog dialog(store);
    QSignalSpy saved(&dialog, &AlertRulesDialog::settingsSaved);
    AlertRulesModel* model = dialog.rulesModel();
    QVERIFY(set(model, 1, Rules::Critical, 80));
    QVERIFY(set(model, 0, Rules::Warning, QStringLiteral(" 12.5 ")));
    check(model, 3, Rules::Enabled, false);
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
    QVERIFY(set(dialog.rulesModel(), 0, Rules::Critical, 12));
    const QString problem = dialog.save();
    QVERIFY2(problem.startsWith(QStringLiteral("Rule 1 (Distance to liquidation below, all positions) — Critical: ")) &&
                 problem.contains(QStringLiteral("louder level")),
             qPrintable(problem));
    QCOMPARE(dialog.problemText(), problem);
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QCOMPARE(saved.count(), 0);
    QVERIFY(!QFile::exists(store.path())); // nothing written
    QCOMPARE(dialog.rulesView()->currentIndex().row(), 0); // the rule and the level at fault are current
    QCOMPARE(dialog.rulesView()->currentIndex().column(), int(Rules::Critical));

    // Fixed: saved.
    QVERIFY(set(dialog.rulesModel(), 0, Rules::Critical, 4));
    QCOMPARE(dialog.save(), QString());
    QVERIFY(QFile::exists(store.path()));
}

void TestAlertRulesDialog::otherProblemsNameTheRowAndField()
{
    QTemporaryDir dir;
    AlertSettingsStore store(AlertSettingsStore::pathIn(dir.path()));
    (void)store.load();
    AlertRulesDialog dialog(store);
    AlertRulesModel* model = dialog.rulesModel();

    // Not a number never reaches the rule.
    QVERIFY(!set(model, 2, Rules::Emergency, QStringLiteral("one")));
    QCOMPARE(model->ruleAt(2).emergency, std::optional<double>(1.0));

    QVERIFY(set(model, 5, Rules::Rearm, -1));
    QString problem = dialog.save();
    QVERIFY2(problem.startsWith(QStringLiteral("Rule 6 (Prices stale for more than, all positions) — Re-arm band: ")) &&
                 problem.contains(QStringLiteral("re-arm")),
             qPrintable(problem));
    QCOMPARE(dialog.rulesView()->currentIndex().column(), int(Rules::Rearm));
    QVERIFY(set(model, 5, Rules::Rearm, QString())); // empty: 0
    QCOMPARE(model->ruleAt(5).rearm, 0.0);

    // A negative threshold.
    QVERIFY(set(model, 4, Rules::Warning, -2));
    problem = dialog.save();
    QVERIFY2(problem.startsWith(QStringLiteral("Rule 5 (Distance shrinking faster than, all positions) — Warning: ")) &&
                 problem.contains(QStringLiteral("zero or more")),
             qPrintable(problem));
    QVERIFY(set(model, 4, Rules::Warning, 2));

    // A rule for one account needs the account's name; a new margin ratio rule goes after the thresholds.
    dialog.addRule(AlertRuleKind::MarginRatio);
    QCOMPARE(model->rowCount(), 7);
    QCOMPARE(dialog.rulesView()->currentIndex().row(), 2);
    QCOMPARE(dialog.rulesView()->currentIndex().column(), int(Rules::Warning));
    QVERIFY(set(model, 2, Rules::Scope, int(AlertScope::Account)));
    QVERIFY(editable(model, 2, Rules::Account));
    problem = dialog.save();
    QVERIFY2(problem.startsWith(QStringLiteral("Rule 3 (Margin ratio above, one account) — Account: ")) &&
                 problem.contains(QStringLiteral("label")),
             qPrintable(problem));
    QCOMPARE(dialog.rulesView()->currentIndex().row(), 2);
    QCOMPARE(dialog.rulesView()->currentIndex().column(), int(Rules::Account));

    dialog.findChild<QLineEdit*>(QStringLiteral("webhookUrl"))->setText(QStringLiteral("http://example.com/hook"));
    QVERIFY(set(model, 2, Rules::Account, QStringLiteral("Main")));
    problem = dialog.save();
    QVERIFY2(problem.startsWith(QStringLiteral("Webhook URL: ")), qPrintable(problem));
    QVERIFY(!QFile::exists(store.path()));

    dialog.findChild<QLineEdit*>(QStringLiteral("webhookUrl"))->clear();
    QCOMPARE(dialog.save(), QString());
    const AlertSettings written = readAlertSettings(readAll(store.path()).toStdString());
    QCOMPARE(written.policy.rules.size(), std::size_t(7));
    QCOMPARE(written.policy.rules[2].scope, AlertScope::Account);
    QCOMPARE(written.policy.rules[2].account, std::string("Main"));
    QCOMPARE(written.policy.rules[2].critical, std::optional<double>(85.0));
    QCOMPARE(written.policy.rules[6].rearm, 0.0);
}

void TestAlertRulesDialog::kindAndScopeFollowTheRow()
{
    QTemporaryDir dir;
    AlertSettingsStore store(AlertSettingsStore::pathIn(dir.path()));
    (void)store.load();
    AlertRulesDialog dialog(store);
    AlertRulesModel* model = dialog.rulesModel();
    dialog.removeRule(0);
    QCOMPARE(model->rowCount(), 5);
    // The first row is now the margin ratio; made a time rule, it takes that kind's unit and defaults.
    QVERIFY(set(model, 0, Rules::Kind, int(AlertRuleKind::TimeToLiquidation)));
    QCOMPARE(cell(model, 0, Rules::Unit), QStringLiteral("seconds"));
    QCOMPARE(cell(model, 0, Rules::Warning), QStringLiteral("600"));
    QCOMPARE(cell(model, 0, Rules::Emergency), QStringLiteral("60"));
    QCOMPARE(cell(model, 0, Rules::Group), QStringLiteral("Forecasts"));
    QCOMPARE(dialog.rulesView()->rowSpan(0, Rules::Group), 4); // it joined the forecasts below it
    // A position rule asks for the account and the symbol.
    QVERIFY(set(model, 0, Rules::Scope, int(AlertScope::Position)));
    QVERIFY(editable(model, 0, Rules::Symbol));
    QVERIFY(set(model, 0, Rules::Account, QStringLiteral("Main")));
    QVERIFY(set(model, 0, Rules::Symbol, QStringLiteral("BTCUSDT")));
    const std::optional<AlertSettings> settings = dialog.collect();
    QVERIFY(settings);
    QCOMPARE(settings->policy.rules[0].kind, AlertRuleKind::TimeToLiquidation);
    QCOMPARE(settings->policy.rules[0].scope, AlertScope::Position);
    QCOMPARE(settings->policy.rules[0].symbol, std::string("BTCUSDT"));
}

void TestAlertRulesDialog::timingsSayWhatTheyDo()
{
    QTemporaryDir dir;
    AlertSettingsStore store(AlertSettingsStore::pathIn(dir.path()));
    (void)store.load();
    AlertRulesDialog dialog(store);
    auto* cooldown = dialog.findChild<QSpinBox*>(QStringLiteral("cooldown"));
    auto* escalate = dialog.findChild<QSpinBox*>(QStringLiteral("escalateAfter"));
    QVERIFY(cooldown != nullptr && escalate != nullptr);
    QVERIFY(cooldown->toolTip().contains(QStringLiteral("rise always sounds")));
    // Escalation is opt-in: 0 says "off" and is saved as 0.
    escalate->setValue(0);
    QCOMPARE(escalate->text(), QStringLiteral("off"));
    QVERIFY(escalate->toolTip().startsWith(QStringLiteral("Off (0)")));
    cooldown->setValue(300);
    QCOMPARE(dialog.save(), QString());
    const AlertSettings written = readAlertSettings(readAll(store.path()).toStdString());
    QCOMPARE(written.policy.escalateAfter.count(), 0);
    QCOMPARE(written.policy.cooldown.count(), 300);
    // Shown again as saved.
    AlertRulesDialog again(store);
    QCOMPARE(again.findChild<QSpinBox*>(QStringLiteral("escalateAfter"))->text(), QStringLiteral("off"));
    QCOMPARE(again.findChild<QSpinBox*>(QStringLiteral("cooldown"))->value(), 300);
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
    QCOMPARE(dialog.rulesModel()->rowCount(), 2);
    QVERIFY(set(dialog.rulesModel(), 0, Rules::Warning, 33));

    dialog.restoreDefaults();
    const std::optional<AlertSettings> shown = dialog.collect();
    QVERIFY(shown);
    AlertSettings expected; // the default rules and timings; the delivery settings stay the trader's
    expected.webhookUrl = mine.webhookUrl;
    expected.volume = mine.volume;
    QCOMPARE(text(*shown), text(expected));
    QCOMPARE(readAll(path), QByteArray::fromStdString(writeAlertSettings(mine))); // saved only on Save
}

void TestAlertRulesDialog::deleverageModelSignalsAndProblems()
{
    DeleverageSettingsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Spies spies(&model);
    model.setAutomations(twoAccounts().deleverage);
    QCOMPARE(spies.reset.count(), 1);
    QVERIFY(!model.firstProblem());
    QVERIFY(model.index(0, 0).data(Deleverage::LiveRole).toBool());
    QVERIFY(model.index(0, Deleverage::On).data(Qt::BackgroundRole).value<QColor>().isValid()); // live: tinted
    QVERIFY(!model.index(1, 0).data(Deleverage::LiveRole).toBool());
    spies.clear();

    // One edit, one dataChanged.
    QVERIFY(set(&model, 1, Deleverage::Countdown, 30));
    QCOMPARE(spies.changed.count(), 1);
    QCOMPARE(spies.changed.at(0).at(0).value<QModelIndex>().row(), 1);
    QCOMPARE(spies.changed.at(0).at(1).value<QModelIndex>().row(), 1);
    // Out of range or not whole: refused, nothing said.
    spies.clear();
    QVERIFY(!set(&model, 1, Deleverage::Countdown, 900));
    QVERIFY(!set(&model, 1, Deleverage::MaxPerDay, QStringLiteral("six")));
    QVERIFY(!set(&model, 1, Deleverage::MaxPerDay, 1.5));
    QVERIFY(!set(&model, 1, Deleverage::Trigger, 0));
    QCOMPARE(spies.total(), 0);

    // A label set twice: marked on the later row.
    QVERIFY(set(&model, 1, Deleverage::Account, QStringLiteral("Binance main")));
    QCOMPARE(spies.changed.count(), 1);
    QVERIFY(model.index(1, Deleverage::Account).data(Deleverage::CellProblemRole).toString().contains(QStringLiteral("earlier")));
    QVERIFY(!model.index(1, Deleverage::Account).data(Qt::DecorationRole).isNull());
    QVERIFY(model.index(0, Deleverage::Account).data(Deleverage::CellProblemRole).toString().isEmpty());
    // Renaming the first fixes the second too: both rows change, in one range.
    spies.clear();
    QVERIFY(set(&model, 0, Deleverage::Account, QStringLiteral("Binance alt")));
    QCOMPARE(spies.changed.count(), 1);
    QCOMPARE(spies.changed.at(0).at(0).value<QModelIndex>().row(), 0);
    QCOMPARE(spies.changed.at(0).at(1).value<QModelIndex>().row(), 1);
    QVERIFY(!model.firstProblem());

    // One target at a time: typing a distance on the ratio row makes it a distance target.
    QCOMPARE(cell(&model, 1, Deleverage::TargetRatio), QStringLiteral("70"));
    QCOMPARE(cell(&model, 1, Deleverage::TargetDistance), QStringLiteral("not used"));
    QVERIFY(!set(&model, 1, Deleverage::TargetRatio, QVariant())); // the target in use cannot be emptied
    QVERIFY(set(&model, 1, Deleverage::TargetDistance, 8));
    QCOMPARE(model.automations()[1].settings.target.kind, DeleverageTarget::Kind::Distance);
    QCOMPARE(cell(&model, 1, Deleverage::TargetRatio), QStringLiteral("not used"));
    QVERIFY(model.index(1, Deleverage::TargetRatio).data(Qt::EditRole).isNull());
    QCOMPARE(model.automations()[1].settings.maxFractionPerOrder, std::optional<double>(0.25)); // kept

    // Added and removed: one signal each.
    spies.clear();
    QCOMPARE(model.addAutomation(AccountAutomation{"OKX", {}}), 2);
    QCOMPARE(spies.inserted.count(), 1);
    QVERIFY(model.removeRows(0, 1));
    QCOMPARE(spies.removed.count(), 1);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.rowTitle(1), QStringLiteral("Deleverage row 2 (OKX)"));
}

void TestAlertRulesDialog::deleverageRowAddedAndSaved()
{
    QTemporaryDir dir;
    AlertSettingsStore store(AlertSettingsStore::pathIn(dir.path()));
    (void)store.load();
    AlertRulesDialog dialog(store);
    dialog.setKnownAccounts({QStringLiteral("Binance main"), QStringLiteral("Bybit hedge")});
    DeleverageSettingsModel* model = dialog.deleverageModel();
    QCOMPARE(model->rowCount(), 0);

    // A new row: the first known account, off, dry run, the default target, trigger and caps.
    dialog.addDeleverageRow();
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(cell(model, 0, Deleverage::Account), QStringLiteral("Binance main"));
    {
        Editor label(dialog.deleverageView(), 0, Deleverage::Account);
        QVERIFY(label.as<QComboBox>()->isEditable());
        QCOMPARE(label.as<QComboBox>()->count(), 2);
        QCOMPARE(label.as<QComboBox>()->currentText(), QStringLiteral("Binance main"));
        Editor countdown(dialog.deleverageView(), 0, Deleverage::Countdown);
        QCOMPARE(countdown.as<QDoubleSpinBox>()->minimum(), 1.0); // nobody can cancel a zero countdown
        QCOMPARE(countdown.as<QDoubleSpinBox>()->suffix(), QStringLiteral(" s"));
    }
    QCOMPARE(checkState(model, 0, Deleverage::On), Qt::Unchecked);
    QCOMPARE(checkState(model, 0, Deleverage::DryRun), Qt::Checked);
    QCOMPARE(cell(model, 0, Deleverage::TargetDistance), QStringLiteral("10"));
    QCOMPARE(cell(model, 0, Deleverage::TargetRatio), QStringLiteral("not used"));
    QCOMPARE(cell(model, 0, Deleverage::Trigger), QStringLiteral("critical"));
    QCOMPARE(cell(model, 0, Deleverage::Countdown), QStringLiteral("10"));
    QCOMPARE(cell(model, 0, Deleverage::MaxPerHour), QStringLiteral("2"));
    QCOMPARE(cell(model, 0, Deleverage::MaxPerDay), QStringLiteral("6"));
    QCOMPARE(dialog.liveNoteText(), QString());
    // The next one offers the account not yet listed; a typed label not in the list is accepted too.
    dialog.addDeleverageRow();
    QCOMPARE(cell(model, 1, Deleverage::Account), QStringLiteral("Bybit hedge"));
    QVERIFY(set(model, 1, Deleverage::Account, QStringLiteral(" OKX swing ")));

    // Fill the first.
    check(model, 0, Deleverage::On, true);
    QVERIFY(set(model, 0, Deleverage::TargetDistance, 12.5));
    QVERIFY(set(model, 0, Deleverage::Trigger, int(AlertLevel::Emergency)));
    QVERIFY(set(model, 0, Deleverage::Countdown, 15));
    QVERIFY(set(model, 0, Deleverage::MaxPerHour, QStringLiteral("3")));
    QVERIFY(set(model, 0, Deleverage::MaxPerDay, 8));
    // The second aims at a margin ratio instead.
    QVERIFY(set(model, 1, Deleverage::TargetRatio, 75));

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
    const DeleverageSettingsModel* model = dialog.deleverageModel();
    QCOMPARE(model->rowCount(), 2);
    QCOMPARE(cell(model, 0, Deleverage::Account), QStringLiteral("Binance main"));
    QCOMPARE(checkState(model, 0, Deleverage::On), Qt::Checked);
    QCOMPARE(checkState(model, 0, Deleverage::DryRun), Qt::Unchecked);
    QCOMPARE(cell(model, 0, Deleverage::TargetDistance), QStringLiteral("7.5"));
    QCOMPARE(cell(model, 0, Deleverage::TargetRatio), QStringLiteral("not used"));
    QCOMPARE(cell(model, 0, Deleverage::Trigger), QStringLiteral("emergency"));
    QCOMPARE(cell(model, 0, Deleverage::Countdown), QStringLiteral("20"));
    QCOMPARE(cell(model, 0, Deleverage::MaxPerHour), QStringLiteral("1"));
    QCOMPARE(cell(model, 0, Deleverage::MaxPerDay), QStringLiteral("3"));
    QCOMPARE(cell(model, 1, Deleverage::Account), QStringLiteral("Bybit hedge"));
    QCOMPARE(cell(model, 1, Deleverage::TargetDistance), QStringLiteral("not used")); // the margin ratio target, not lost
    QCOMPARE(cell(model, 1, Deleverage::TargetRatio), QStringLiteral("70"));
    QCOMPARE(checkState(model, 1, Deleverage::DryRun), Qt::Checked);
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
    // Editors opened and closed unchanged write nothing: the ratio keeps its exact value, and the
    // distance target not in use stays unused.
    {
        QSignalSpy changed(dialog.deleverageModel(), &QAbstractItemModel::dataChanged);
        Editor ratio(dialog.deleverageView(), 1, Deleverage::TargetRatio);
        QCOMPARE(ratio.as<QDoubleSpinBox>()->suffix(), QStringLiteral(" %"));
        ratio.commit();
        Editor unused(dialog.deleverageView(), 1, Deleverage::TargetDistance);
        QCOMPARE(unused.as<QDoubleSpinBox>()->value(), 10.0); // where typing a distance target would start
        unused.commit();
        QCOMPARE(changed.count(), 0);
        QCOMPARE(cell(model, 1, Deleverage::TargetDistance), QStringLiteral("not used"));
    }
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
    DeleverageSettingsModel* model = dialog.deleverageModel();
    QCOMPARE(dialog.tabs()->currentIndex(), int(AlertRulesDialog::RulesTab));

    // A zero countdown: nobody could cancel.
    QVERIFY(set(model, 1, Deleverage::Countdown, 0));
    QString problem = dialog.save();
    QVERIFY2(problem.startsWith(QStringLiteral("Deleverage row 2 (Bybit hedge) — Countdown: ")) &&
                 problem.contains(QStringLiteral("zero")),
             qPrintable(problem));
    QCOMPARE(dialog.problemText(), problem);
    QCOMPARE(dialog.tabs()->currentIndex(), int(AlertRulesDialog::DeleverageTab)); // shown where it is
    QCOMPARE(dialog.deleverageView()->currentIndex().row(), 1);
    QCOMPARE(dialog.deleverageView()->currentIndex().column(), int(Deleverage::Countdown));
    QVERIFY(!model->index(1, Deleverage::Countdown).data(Qt::DecorationRole).isNull());
    QVERIFY(set(model, 1, Deleverage::Countdown, 5));

    // A ratio at liquidation.
    QVERIFY(set(model, 1, Deleverage::TargetRatio, 100));
    problem = dialog.save();
    QVERIFY2(problem.startsWith(QStringLiteral("Deleverage row 2 (Bybit hedge) — Target margin ratio: ")) &&
                 problem.contains(QStringLiteral("100")),
             qPrintable(problem));
    QVERIFY(set(model, 1, Deleverage::TargetRatio, 70));

    // An empty label, then a repeated one.
    QVERIFY(set(model, 0, Deleverage::Account, QStringLiteral("  ")));
    problem = dialog.save();
    QVERIFY2(problem.startsWith(QStringLiteral("Deleverage row 1 — Account: ")) && problem.contains(QStringLiteral("label")),
             qPrintable(problem));
    QCOMPARE(dialog.deleverageView()->currentIndex().row(), 0);
    QCOMPARE(dialog.deleverageView()->currentIndex().column(), int(Deleverage::Account));
    QVERIFY(set(model, 0, Deleverage::Account, QStringLiteral("Bybit hedge")));
    problem = dialog.save();
    QVERIFY2(problem.startsWith(QStringLiteral("Deleverage row 2 (Bybit hedge) — Account: \"Bybit hedge\" is set by an earlier "
                                               "entry (1)")),
             qPrintable(problem));

    QCOMPARE(saved.count(), 0);
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QVERIFY(!QFile::exists(path)); // nothing written

    // Fixed, and a row removed: saved.
    QVERIFY(set(model, 0, Deleverage::Account, QStringLiteral("Binance main")));
    dialog.removeDeleverageRow(0);
    QCOMPARE(model->rowCount(), 1);
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
    DeleverageSettingsModel* model = dialog.deleverageModel();
    dialog.addDeleverageRow();
    QVERIFY(set(model, 0, Deleverage::Account, QStringLiteral("Binance main")));

    // Off + dry run, off + live, on + dry run: no note.
    QCOMPARE(dialog.liveNoteText(), QString());
    check(model, 0, Deleverage::DryRun, false);
    QCOMPARE(dialog.liveNoteText(), QString());
    check(model, 0, Deleverage::DryRun, true);
    check(model, 0, Deleverage::On, true);
    QCOMPARE(dialog.liveNoteText(), QString());
    // On and not dry run: said in words, with the account, the countdown and the trigger.
    check(model, 0, Deleverage::DryRun, false);
    QCOMPARE(dialog.liveNoteText(),
             QStringLiteral("Live: reduce-only orders will be sent for Binance main after a 10 s countdown, when the "
                            "alert of one of its positions reaches critical."));
    // It follows the row's fields.
    QVERIFY(set(model, 0, Deleverage::Countdown, 30));
    QVERIFY(set(model, 0, Deleverage::Account, QStringLiteral("Binance alt")));
    QVERIFY2(dialog.liveNoteText().contains(QStringLiteral("for Binance alt after a 30 s countdown")),
             qPrintable(dialog.liveNoteText()));
    check(model, 0, Deleverage::On, false);
    QCOMPARE(dialog.liveNoteText(), QString());
    check(model, 0, Deleverage::On, true);
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
    AlertRulesModel* model = dialog.rulesModel();
    dialog.addRule(AlertRuleKind::Distance); // row 2: after the other thresholds
    QVERIFY(set(model, 2, Rules::Scope, int(AlertScope::Position)));
    QVERIFY(set(model, 2, Rules::Account, QStringLiteral("Main")));
    QVERIFY(set(model, 2, Rules::Symbol, QStringLiteral("BTCUSDT")));
    QVERIFY(set(model, 2, Rules::Warning, 15));
    dialog.findChild<QSpinBox*>(QStringLiteral("escalateAfter"))->setValue(0);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(dialog.grab().save(QStringLiteral("tst_alert_rules_dialog.png")));

    QVERIFY(set(model, 1, Rules::Emergency, 80)); // below the critical 85: out of order
    QVERIFY(!dialog.save().isEmpty());
    QVERIFY(dialog.isVisible());
    QVERIFY(dialog.grab().save(QStringLiteral("tst_alert_rules_dialog_problem.png")));
    QVERIFY(set(model, 1, Rules::Emergency, 95));

    // Automatic deleveraging: one account live, one in dry run, one new row.
    dialog.setKnownAccounts({QStringLiteral("Binance main"), QStringLiteral("Bybit hedge"), QStringLiteral("OKX swing")});
    dialog.showSettings(twoAccounts());
    dialog.addDeleverageRow();
    dialog.tabs()->setCurrentIndex(AlertRulesDialog::DeleverageTab);
    QVERIFY(!dialog.liveNoteText().isEmpty());
    QVERIFY(dialog.grab().save(QStringLiteral("tst_alert_rules_dialog_deleverage.png")));

    QVERIFY(set(dialog.deleverageModel(), 2, Deleverage::Countdown, 0));
    QVERIFY(!dialog.save().isEmpty());
    QVERIFY(dialog.grab().save(QStringLiteral("tst_alert_rules_dialog_deleverage_problem.png")));
}

QTEST_MAIN(TestAlertRulesDialog)
#include "tst_alert_rules_dialog.moc"
