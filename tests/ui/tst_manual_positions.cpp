// Manual positions, offscreen: the dialog adds, edits and removes accounts and positions and refuses
// bad input with the field named; import and export speak the `eval` schema; the store saves
// atomically and never overwrites a file it could not read; and saved positions reach the live
// table — here in demo mode, priced by the simulated exchanges, without any API key.
#include "bridge/engine_host.h"
#include "dialogs/draft_form.h"
#include "dialogs/manual_positions_dialog.h"
#include "dialogs/manual_positions_store.h"
#include "models/positions_model.h"
#include "portfolio/portfolio_file.h"
#include "sim/demo_portfolios.h"
#include "views/main_window.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace mm;
using namespace mm::ui;

namespace {

PortfolioDraft okxAccount()
{
    PortfolioDraft account;
    account.venue = "okx-swap";
    account.label = "Hand";
    account.walletBalance = "5000";
    return account;
}

PositionDraft btcLong(std::string quantity = "0.5")
{
    PositionDraft position;
    position.symbol = "BTC-USDT-SWAP";
    position.side = "long";
    position.quantity = std::move(quantity);
    position.entryPrice = "60000";
    position.maintenanceMarginRate = "0.004";
    return position;
}

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void write(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

} // namespace

class TestManualPositions : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void addsEditsAndRemoves();
    void refusesBadInputNamingTheField_data();
    void refusesBadInputNamingTheField();
    void theFormShowsTheProblemAndStaysOpen();
    void importsAndExportsTheEvalSchema();
    void importRefusesABrokenFileAndKeepsWhatWasThere();
    void storeSavesAndReloads();
    void storeKeepsABrokenFile();
    void savedPositionsAreWatchedLive();
    void withNothingToWatchSaysHowToAddPositions();

private:
    QTemporaryDir m_dir;
};

void TestManualPositions::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void TestManualPositions::addsEditsAndRemoves()
{
    ManualPositionsDialog dialog({});
    QCOMPARE(dialog.currentAccount(), -1);
    QVERIFY(dialog.addPosition(0, btcLong()).contains(QStringLiteral("add an account first")));
    QCOMPARE(dialog.addAccount(okxAccount()), QString());
    QCOMPARE(dialog.currentAccount(), 0);
    QCOMPARE(dialog.addPosition(0, btcLong()), QString());
    PositionDraft eth = btcLong("2");
    eth.symbol = "ETH-USDT-SWAP";
    eth.entryPrice = "3000";
    QCOMPARE(dialog.addPosition(0, eth), QString());
    // The same reader as marginctl eval: a second one-way position on the same symbol is refused.
    QVERIFY(dialog.addPosition(0, btcLong("1")).contains(QStringLiteral("combine them into one")));
    auto* table = dialog.findChild<QTableWidget*>(QStringLiteral("positions"));
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(table->item(1, 2)->text(), QStringLiteral("2"));
    // The mark defaults to the entry price until live prices arrive.
    QCOMPARE(dialog.accounts()[0].positions[0].markPrice, std::string("60000"));

    PositionDraft shorter = btcLong("0.25");
    shorter.side = "short";
    QCOMPARE(dialog.replacePosition(0, 0, shorter), QString());
    QCOMPARE(dialog.accounts()[0].positions[0].side, std::string("short"));
    QCOMPARE(table->item(0, 1)->text(), QStringLiteral("short"));

    PortfolioDraft renamed = okxAccount();
    renamed.label = "Renamed";
    QCOMPARE(dialog.replaceAccount(0, renamed), QString());
    QCOMPARE(dialog.accounts()[0].positions.size(), std::size_t(2)); // editing the account keeps its positions
    auto* list = dialog.findChild<QListWidget*>(QStringLiteral("accounts"));
    QVERIFY(list->item(0)->text().contains(QStringLiteral("Renamed")));
    QVERIFY(list->item(0)->text().contains(QStringLiteral("2 positions")));

    dialog.removePosition(0, 0);
    QCOMPARE(dialog.accounts()[0].positions.size(), std::size_t(1));
    QCOMPARE(dialog.accounts()[0].positions[0].quantity, std::string("2"));
    dialog.removeAccount(0);
    QVERIFY(dialog.accounts().empty());
    QCOMPARE(list->count(), 0);
    QCOMPARE(table->rowCount(), 0);
}

void TestManualPositions::refusesBadInputNamingTheField_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("problem");
    QTest::newRow("negative size") << "quantity" << "-1" << "quantity: ";
    QTest::newRow("size not a number") << "quantity" << "lots" << "quantity: ";
    QTest::newRow("no entry price") << "entryPrice" << "" << "entryPrice: ";
    QTest::newRow("no symbol") << "symbol" << "" << "symbol: ";
    QTest::newRow("leverage zero") << "leverage" << "0" << "leverage: ";
    QTest::newRow("unknown side") << "side" << "up" << "side: ";
}

void TestManualPositions::refusesBadInputNamingTheField()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QString, problem);
    ManualPositionsDialog dialog({okxAccount()});
    PositionDraft position = btcLong();
    const std::string text = value.toStdString();
    if (field == "quantity") {
        position.quantity = text;
    } else if (field == "entryPrice") {
        position.entryPrice = text;
    } else if (field == "symbol") {
        position.symbol = text;
    } else if (field == "leverage") {
        position.leverage = text;
    } else if (field == "side") {
        position.side = text;
    }
    const QString said = dialog.addPosition(0, position);
    QVERIFY2(said.startsWith(problem), qPrintable(said));
    QVERIFY(dialog.accounts()[0].positions.empty()); // nothing half-added
}

void TestManualPositions::theFormShowsTheProblemAndStaysOpen()
{
    ManualPositionsDialog dialog({okxAccount()});
    DraftForm* form = dialog.positionForm(0, -1);
    form->setValue(QStringLiteral("symbol"), QStringLiteral("BTC-USDT-SWAP"));
    form->setValue(QStringLiteral("quantity"), QStringLiteral("-3"));
    form->setValue(QStringLiteral("entryPrice"), QStringLiteral("60000"));
    form->setValue(QStringLiteral("maintenanceMarginRate"), QStringLiteral("0.004"));
    form->show();
    form->accept();
    QVERIFY(form->isVisible()); // refused: still open
    auto* problem = form->findChild<QLabel*>(QStringLiteral("problem"));
    QVERIFY2(problem->text().startsWith(QStringLiteral("Size: ")), qPrintable(problem->text())); // in the form's words
    QVERIFY(problem->isVisible());
    form->setValue(QStringLiteral("quantity"), QStringLiteral("3"));
    form->accept();
    QVERIFY(!form->isVisible());
    QCOMPARE(form->result(), int(QDialog::Accepted));
    const std::vector<QString> values = form->values();
    QCOMPARE(values.at(1), QStringLiteral("long")); // the side's choice, as the file spells it
}

void TestManualPositions::importsAndExportsTheEvalSchema()
{
    ManualPositionsDialog dialog({});
    QCOMPARE(dialog.importFile(QStringLiteral(EXAMPLES_DIR "/bybit-linear.json")), QString());
    QCOMPARE(dialog.accounts().size(), std::size_t(1));
    QCOMPARE(dialog.accounts()[0].positions.size(), std::size_t(3));
    const QString exported = m_dir.filePath(QStringLiteral("exported.json"));
    QCOMPARE(dialog.exportAccount(0, exported), QString());
    // What was exported is a portfolio file marginctl eval reads, with the same numbers.
    const Portfolio original = readPortfolio(readAll(QStringLiteral(EXAMPLES_DIR "/bybit-linear.json")).toStdString());
    const Portfolio back = readPortfolio(readAll(exported).toStdString());
    QCOMPARE(back.positions.size(), original.positions.size());
    for (std::size_t i = 0; i < back.positions.size(); ++i) {
        QCOMPARE(back.positions[i].quantity, original.positions[i].quantity);
        QCOMPARE(back.positions[i].entryPrice, original.positions[i].entryPrice);
        QCOMPARE(back.positions[i].marginMode, original.positions[i].marginMode);
    }
    QVERIFY(dialog.exportAccount(0, QStringLiteral("/proc/no-such-folder/x.json")).contains(QStringLiteral("cannot be written")));

    // A rendering to look at: the imported account and its positions, and the position form.
    dialog.show();
    QVERIFY(dialog.grab().save(QStringLiteral("tst_manual_positions.png")));
    DraftForm* form = dialog.positionForm(0, 2);
    form->show();
    form->setValue(QStringLiteral("quantity"), QStringLiteral("-3"));
    form->accept();
    QVERIFY(form->grab().save(QStringLiteral("tst_manual_positions_form.png")));
}

void TestManualPositions::importRefusesABrokenFileAndKeepsWhatWasThere()
{
    ManualPositionsDialog dialog({okxAccount()});
    const QString broken = m_dir.filePath(QStringLiteral("broken.json"));
    write(broken, R"({"venue":"binance-usdm","walletBalance":"1000","positions":[{"symbol":"BTCUSDT","side":"long","quantity":"0.1","entryPrice":"50000","markPrice":"-5"}]})");
    const QString problem = dialog.importFile(broken);
    QVERIFY2(problem.contains(QStringLiteral("broken.json: positions[0].markPrice")), qPrintable(problem));
    const QString truncated = m_dir.filePath(QStringLiteral("truncated.json"));
    write(truncated, R"({"venue":"binance-usdm","walletBal)");
    QVERIFY(dialog.importFile(truncated).contains(QStringLiteral("truncated.json")));
    QVERIFY(dialog.importFile(m_dir.filePath(QStringLiteral("missing.json"))).contains(QStringLiteral("cannot be read")));
    QCOMPARE(dialog.accounts().size(), std::size_t(1));
}

void TestManualPositions::storeSavesAndReloads()
{
    const QString path = m_dir.filePath(QStringLiteral("store/manual-positions.json")); // the folder is made
    ManualPositionsStore store(path);
    QVERIFY(store.load().accounts.empty());
    QVERIFY(store.load().problem.isEmpty()); // no file yet is not a problem
    PortfolioDraft account = okxAccount();
    account.positions.push_back(btcLong("0.123456789012345678"));
    account.positions.back().markPrice = "61000";
    QString problem;
    QVERIFY2(store.save({account}, &problem), qPrintable(problem));
    ManualPositionsStore again(path);
    const auto loaded = again.load();
    QCOMPARE(loaded.problem, QString());
    QCOMPARE(loaded.accounts.size(), std::size_t(1));
    QVERIFY(loaded.accounts[0] == account); // every digit as typed
    QVERIFY(QDir(m_dir.filePath(QStringLiteral("store"))).entryList(QDir::Files).size() == 1); // no temporary left
    QVERIFY(ManualPositionsStore::defaultPath().endsWith(QStringLiteral("/manual-positions.json")));
}

void TestManualPositions::storeKeepsABrokenFile()
{
    const QString path = m_dir.filePath(QStringLiteral("broken-store/manual-positions.json"));
    QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
    const QByteArray broken = R"({"accounts":[{"venue":"okx-swap","walletBalance":"100","positions":[{"symbol":"X","qty":"1"}]}]})";
    write(path, broken);
    ManualPositionsStore store(path);
    const auto loaded = store.load();
    QVERIFY(loaded.accounts.empty());
    QVERIFY2(loaded.problem.contains(QStringLiteral("manual-positions.json: accounts[0].positions[0].qty: is not a field")),
             qPrintable(loaded.problem));
    QCOMPARE(readAll(path), broken); // reading changed nothing
    QVERIFY(store.save({okxAccount()}));
    // The unreadable file was kept aside before the new one took its place.
    const QStringList kept = QDir(QFileInfo(path).absolutePath()).entryList({QStringLiteral("manual-positions.json.broken-*")});
    QCOMPARE(kept.size(), 1);
    QCOMPARE(readAll(QFileInfo(path).absolutePath() + QStringLiteral("/") + kept.front()), broken);
    QCOMPARE(ManualPositionsStore(path).load().accounts.size(), std::size_t(1));
}

void TestManualPositions::savedPositionsAreWatchedLive()
{
    // Demo mode (nothing configured); the trader adds an account by hand and saves.
    EngineOptions options;
    options.demo = true;
    EngineHost engine(options);
    ManualPositionsStore store(m_dir.filePath(QStringLiteral("live/manual-positions.json")));
    MainWindow window(engine, &store);
    window.show();
    engine.start();
    std::size_t demoPositions = 0;
    for (const auto& portfolio : sim::demoPortfolios()) {
        demoPositions += portfolio.positions.size();
    }
    auto& positions = window.positionsModel();
    QTRY_COMPARE_WITH_TIMEOUT(positions.rowCount(), int(demoPositions), 10'000);

    PortfolioDraft account = okxAccount();
    PositionDraft position = btcLong();
    position.symbol = "SOL-USDT-SWAP";
    position.entryPrice = "150";
    position.markPrice = "150";
    account.positions.push_back(position);
    QSignalSpy replaced(&engine, &EngineHost::accountsReplaced);
    QCOMPARE(window.applyManualPositions({account}), QString());
    QCOMPARE(replaced.count(), 1);
    QCOMPARE(store.accounts().size(), std::size_t(1));
    QTRY_COMPARE_WITH_TIMEOUT(positions.rowCount(), int(demoPositions) + 1, 10'000);
    const int row = positions.rowOf(sim::demoPortfolios().size(), 0);
    QVERIFY(row >= 0);
    QCOMPARE(positions.index(row, PositionsModel::Symbol).data().toString(), QStringLiteral("SOL-USDT-SWAP"));
    QCOMPARE(positions.index(row, PositionsModel::Account).data().toString(), QStringLiteral("Hand"));
    // Priced live by the simulated OKX: ticks arrive for it, near the mark it was entered at.
    QTRY_VERIFY_WITH_TIMEOUT(engine.board() && engine.board()->positions.size() == demoPositions + 1 &&
                                 engine.board()->positions.back().ticks > 0,
                             10'000);
    const double mark = engine.board()->positions.back().markPrice.toDouble();
    QVERIFY2(mark > 100 && mark < 200, qPrintable(QString::number(mark)));

    QVERIFY(!window.findChild<QLabel*>(QStringLiteral("emptyHint"))->isVisible());

    // Removing them all: back to the demo's positions alone.
    QCOMPARE(window.applyManualPositions({}), QString());
    QTRY_COMPARE_WITH_TIMEOUT(positions.rowCount(), int(demoPositions), 10'000);
    QVERIFY(store.accounts().empty());
    engine.stop();
}

void TestManualPositions::withNothingToWatchSaysHowToAddPositions()
{
    EngineHost engine(EngineOptions{}); // not the demo, no files, no manual positions
    ManualPositionsStore store(m_dir.filePath(QStringLiteral("empty/manual-positions.json")));
    MainWindow window(engine, &store);
    window.show();
    engine.start();
    auto* hint = window.findChild<QLabel*>(QStringLiteral("emptyHint"));
    QTRY_VERIFY_WITH_TIMEOUT(hint->isVisible(), 5000);
    QVERIFY(hint->text().contains(QStringLiteral("Manual positions")));
    QCOMPARE(window.positionsModel().rowCount(), 0);
    engine.stop();
}

QTEST_MAIN(TestManualPositions)
#include "tst_manual_positions.moc"
