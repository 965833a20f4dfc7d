// The main window in demo mode, offscreen: the simulator in process, prices arriving over verified
// TLS, every demo position in the table with its figures and its risk colour, the accounts summary,
// the feed status, the charts; and a rendering a person can look at (tst_main_window.png).
#include "app/about_dialog.h"
#include "app/app_files.h"
#include "app/autostart.h"
#include "bridge/engine_host.h"
#include "models/accounts_model.h"
#include "models/connections_model.h"
#include "models/positions_model.h"
#include "models/risk_level.h"
#include "sim/demo_portfolios.h"
#include "views/main_window.h"
#include "views/theme.h"
#include "version.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QtTest>

using namespace std::chrono_literals;

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void showsTheDemoLive();
    void filtersAndRestoresItsLayout();
    void aboutSaysTheVersionAndTheTradersFolders(); // and Settings → Start at login
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // QSettings and data land in a test folder
    QCoreApplication::setOrganizationName(QStringLiteral("margin-monitor-tests"));
    QSettings().clear();
    mm::ui::applyDarkTheme(*qApp);
}

void TestMainWindow::showsTheDemoLive()
{
    mm::ui::EngineOptions options;
    options.demo = true;
    options.demoTimeScale = 40; // the crash reaches its bottom in under three seconds
    mm::ui::EngineHost engine(options);
    mm::ui::MainWindow window(engine);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    engine.start();

    std::size_t demoPositions = 0;
    for (const auto& portfolio : mm::sim::demoPortfolios()) {
        demoPositions += portfolio.positions.size();
    }
    auto& positions = window.positionsModel();
    QTRY_COMPARE_WITH_TIMEOUT(positions.rowCount(), int(demoPositions), 10'000);
    QCOMPARE(window.accountsModel().rowCount(), int(mm::sim::demoPortfolios().size()));
    QTRY_COMPARE_WITH_TIMEOUT(window.connectionsModel().rowCount(), 4, 10'000);
    auto* banner = window.findChild<QLabel*>(QStringLiteral("demoBanner"));
    QVERIFY(banner && banner->isVisible());
    QVERIFY(banner->text().contains(QStringLiteral("Simulated exchanges — demo mode")));

    // Prices arrive: every row's mark moves off the file's value and its data age is counted.
    QTRY_VERIFY_WITH_TIMEOUT(engine.board() && std::all_of(engine.board()->positions.begin(), engine.board()->positions.end(),
                                                            [](const mm::PositionLine& line) { return line.ticks > 0; }),
                             10'000);
    auto* status = window.findChild<QLabel*>(QStringLiteral("feedStatus"));
    QTRY_VERIFY_WITH_TIMEOUT(status->text().count(QStringLiteral("● ")) == 4 && !status->property("alarming").toBool(), 5000);
    for (int row = 0; row < positions.rowCount(); ++row) {
        const QString symbol = positions.index(row, mm::ui::PositionsModel::Symbol).data().toString();
        QVERIFY(!symbol.isEmpty());
        QVERIFY2(positions.index(row, mm::ui::PositionsModel::Mark).data(mm::ui::PositionsModel::SortRole).toDouble() > 0, qPrintable(symbol));
        QVERIFY(!positions.index(row, mm::ui::PositionsModel::DataAge).data().toString().isEmpty());
        // Numbers right-aligned.
        QVERIFY(positions.index(row, mm::ui::PositionsModel::Mark).data(Qt::TextAlignmentRole).value<Qt::Alignment>() & Qt::AlignRight);
    }

    // The crash at 40×: some demo positions come within reach of liquidation, and their rows turn
    // to the danger colours; the safest stay green.
    const auto levels = [&] {
        QSet<int> seen;
        for (int row = 0; row < positions.rowCount(); ++row) {
            seen.insert(positions.index(row, 0).data(mm::ui::PositionsModel::RiskLevelRole).toInt());
        }
        return seen;
    };
    QTRY_VERIFY_WITH_TIMEOUT(levels().contains(int(mm::ui::RiskLevel::Due)) || levels().contains(int(mm::ui::RiskLevel::Danger)), 15'000);
    QVERIFY(levels().contains(int(mm::ui::RiskLevel::Safe)) || levels().contains(int(mm::ui::RiskLevel::Caution)));
    QVERIFY(mm::ui::riskColour(mm::ui::RiskLevel::Danger) != mm::ui::riskColour(mm::ui::RiskLevel::Safe));

    // The table is sorted by distance: the top row is the nearest to liquidation.
    auto* view = window.findChild<QTableView*>(QStringLiteral("positionsView"));
    QVERIFY(view);
    const double top = view->model()->index(0, mm::ui::PositionsModel::Distance).data(mm::ui::PositionsModel::SortRole).toDouble();
    for (int row = 1; row < view->model()->rowCount(); ++row) {
        QVERIFY(top <= view->model()->index(row, mm::ui::PositionsModel::Distance).data(mm::ui::PositionsModel::SortRole).toDouble());
    }
    // The charts have the history to draw.
    QTRY_VERIFY_WITH_TIMEOUT(window.history().positionCount() == demoPositions && window.history().samples(0).size() >= 4, 5000);

    QTest::qWait(600); // the charts' paced redraw
    const QImage image = window.grab().toImage();
    QVERIFY(!image.isNull());
    QVERIFY(image.save(QStringLiteral("tst_main_window.png")));
    auto* tabs = window.findChild<QTabWidget*>(QStringLiteral("tabs"));
    tabs->setCurrentIndex(1);
    QTest::qWait(600);
    QVERIFY(window.grab().save(QStringLiteral("tst_main_window_distance_map.png")));
    window.close();
}

void TestMainWindow::filtersAndRestoresItsLayout()
{
    mm::ui::EngineOptions options;
    options.demo = true;
    {
        mm::ui::EngineHost engine(options);
        mm::ui::MainWindow window(engine);
        window.show();
        engine.start();
        QTRY_VERIFY_WITH_TIMEOUT(window.positionsModel().rowCount() > 0, 10'000);
        auto* view = window.findChild<QTableView*>(QStringLiteral("positionsView"));
        auto* filter = window.findChild<QLineEdit*>(QStringLiteral("filter"));
        QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
        QTRY_VERIFY(filter->hasFocus());
        QTest::keyClicks(filter, QStringLiteral("okx"));
        QVERIFY(view->model()->rowCount() > 0);
        QVERIFY(view->model()->rowCount() < window.positionsModel().rowCount());
        for (int row = 0; row < view->model()->rowCount(); ++row) {
            QCOMPARE(view->model()->index(row, mm::ui::PositionsModel::Exchange).data().toString(), QStringLiteral("OKX"));
        }
        QTest::keyClick(&window, Qt::Key_2, Qt::ControlModifier);
        QCOMPARE(window.findChild<QTabWidget*>(QStringLiteral("tabs"))->currentIndex(), 1);
        window.resize(1111, 777);
        window.close(); // saves the layout
    }
    mm::ui::EngineHost engine(options);
    mm::ui::MainWindow window(engine);
    QCOMPARE(window.findChild<QTabWidget*>(QStringLiteral("tabs"))->currentIndex(), 1);
    QCOMPARE(window.size(), QSize(1111, 777));
}

void TestMainWindow::aboutSaysTheVersionAndTheTradersFolders()
{
    mm::ui::EngineOptions options;
    options.demo = true;
    mm::ui::EngineHost engine(options);
    mm::ui::MainWindow window(engine);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    auto* about = window.findChild<QAction*>(QStringLiteral("aboutAction"));
    QVERIFY(about != nullptr);
    about->trigger();
    mm::ui::AboutDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = window.findChild<mm::ui::AboutDialog*>()) != nullptr && dialog->isVisible());
    QCOMPARE(dialog->windowModality(), Qt::NonModal); // the positions stay live and usable behind it
    const QString text = dialog->text();
    // The version comes from project() in CMakeLists.txt, through the generated version.h.
    QVERIFY2(text.contains(QStringLiteral("Margin Monitor " MM_VERSION)), qPrintable(text));
    QVERIFY2(QStringLiteral(MM_VERSION).count(QLatin1Char('.')) == 2, MM_VERSION);
    // Where the trader's own files are: the XDG folders (QStandardPaths), not the program's.
    const QString config = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation);
    const QString data = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QVERIFY(!config.isEmpty() && !data.isEmpty());
    QVERIFY2(text.contains(config.toHtmlEscaped()), qPrintable(text));
    QVERIFY2(text.contains(data.toHtmlEscaped()), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("keychain")), qPrintable(text));
    QCOMPARE(mm::ui::AppFiles::configFolder(), config);
    QCOMPARE(mm::ui::AppFiles::dataFolder(), data);
    QVERIFY(!mm::ui::AppFiles::appIcon().isNull());
    dialog->grab().save(QStringLiteral("tst_main_window_about.png"));

    // Settings → Start at login writes the autostart entry naming this executable, and removes it.
    auto* atLogin = window.findChild<QAction*>(QStringLiteral("autostartAction"));
    QVERIFY(atLogin != nullptr && atLogin->isCheckable());
    QFile::remove(mm::ui::Autostart::entryFile());
    atLogin->setChecked(true);
    QVERIFY(mm::ui::Autostart::isEnabled(QCoreApplication::applicationFilePath()));
    QFile entry(mm::ui::Autostart::entryFile());
    QVERIFY(entry.open(QIODevice::ReadOnly));
    QVERIFY(QString::fromUtf8(entry.readAll()).contains(QCoreApplication::applicationFilePath()));
    atLogin->setChecked(false);
    QVERIFY(!QFile::exists(mm::ui::Autostart::entryFile()));
    // The Settings menu as the trader sees it (a PNG to look at).
    for (QMenu* menu : window.findChildren<QMenu*>()) {
        if (menu->actions().contains(atLogin)) {
            menu->popup(window.mapToGlobal(QPoint(0, 0)));
            QTRY_VERIFY(menu->isVisible());
            menu->grab().save(QStringLiteral("tst_main_window_settings_menu.png"));
            menu->hide();
        }
    }
}

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
