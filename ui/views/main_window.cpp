#include "views/main_window.h"

#include "notify/notifier.h"

#include "app/about_dialog.h"
#include "app/autostart.h"

#include "bridge/engine_host.h"
#include "dialogs/manual_positions_dialog.h"
#include "dialogs/manual_positions_store.h"
#include "dialogs/exchange_accounts_dialog.h"
#include "dialogs/alert_rules_dialog.h"
#include "dialogs/deleverage_dialog.h"
#include "dialogs/deleverage_text.h"
#include "dialogs/alert_settings_store.h"
#include "models/alerts_model.h"
#include "store/journal.h"
#include "models/accounts_model.h"
#include "models/connections_model.h"
#include "models/display_text.h"
#include "models/positions_model.h"
#include "models/positions_sort_proxy.h"
#include "views/distance_bar_delegate.h"
#include "views/distance_map.h"
#include "views/position_chart.h"
#include "views/static_text_delegate.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QFileDialog>
#include <QAudioDevice>
#include <QMediaDevices>
#include <QTimer>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QShortcut>
#include <QSignalBlocker>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>
#include <map>

namespace mm::ui {

namespace {

QString ageText(std::chrono::nanoseconds age)
{
    const double seconds = std::chrono::duration<double>(age).count();
    if (seconds < 60) {
        return QString::number(seconds, 'f', 1) + QStringLiteral(" s");
    }
    return QString::number(seconds / 60, 'f', 0) + QStringLiteral(" min");
}

} // namespace

MainWindow::MainWindow(EngineHost& engine, ManualPositionsStore* manualPositions, QWidget* parent,
                       AlertSettingsStore* alertSettings)
    : QMainWindow(parent), m_engine(engine), m_manualPositions(manualPositions), m_alertSettings(alertSettings)
{
    setWindowTitle(engine.demo() ? tr("Margin Monitor — demo") : tr("Margin Monitor"));
    setObjectName(QStringLiteral("mainWindow"));

    m_positions = new PositionsModel(this);
    m_accounts = new AccountsModel(this);
    m_connections = new ConnectionsModel(this);

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 0);
    if (engine.demo()) {
        auto* banner = new QLabel(tr("Simulated exchanges — demo mode. The prices are made up: a crash plays over the "
                                     "first three minutes."),
                                  central);
        banner->setObjectName(QStringLiteral("demoBanner"));
        banner->setStyleSheet(QStringLiteral("QLabel { background: #6b4e00; color: #fff3c4; padding: 6px; font-weight: bold; }"));
        layout->addWidget(banner);
    }
    m_emptyHint = new QLabel(tr("No positions to watch yet. Enter them by hand with Positions → Manual positions… "
                                "(Ctrl+M), or start with --portfolio FILE, or --demo for simulated exchanges."),
                             central);
    m_emptyHint->setObjectName(QStringLiteral("emptyHint"));
    m_emptyHint->setWordWrap(true);
    m_emptyHint->setStyleSheet(QStringLiteral("QLabel { background: #1f3a5a; color: #dcecff; padding: 6px; }"));
    m_emptyHint->hide();
    layout->addWidget(m_emptyHint);
    m_filter = new QLineEdit(central);
    m_filter->setObjectName(QStringLiteral("filter"));
    m_filter->setPlaceholderText(tr("Filter positions by exchange, account or symbol (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    layout->addWidget(m_filter);

    m_accountsView = makeTable(QStringLiteral("accountsView"));
    m_accountsView->setModel(m_accounts);
    m_accountsView->setSortingEnabled(false);

    m_positionsProxy = new PositionsSortProxy(this);
    m_positionsProxy->setSourceModel(m_positions);
    m_positionsProxy->setSortRole(PositionsModel::SortRole);
    m_positionsProxy->setFilterKeyColumn(-1);
    m_positionsProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_positionsView = makeTable(QStringLiteral("positionsView"));
    m_positionsView->setModel(m_positionsProxy);
    m_positionsView->setItemDelegateForColumn(
        static_cast<int>(PositionsModel::Column::Distance),
        new DistanceBarDelegate(PositionsModel::DistanceFractionRole, PositionsModel::RiskLevelRole, m_positionsView));
    m_positionsView->sortByColumn(static_cast<int>(PositionsModel::Column::Distance), Qt::AscendingOrder);
    connect(m_filter, &QLineEdit::textChanged, m_positionsProxy, &QSortFilterProxyModel::setFilterFixedString);

    m_connectionsView = makeTable(QStringLiteral("connectionsView"));
    m_connectionsView->setModel(m_connections);

    m_chart = new PositionChart(central);
    m_distanceMap = new DistanceMap(central);
    m_tabs = new QTabWidget(central);
    m_tabs->setObjectName(QStringLiteral("tabs"));
    m_tabs->addTab(m_chart, tr("Selected position"));
    m_tabs->addTab(m_distanceMap, tr("Distance map"));
    m_tabs->addTab(m_connectionsView, tr("Connections"));
    m_alertsModel = new AlertsModel(this);
    // One row per alert episode (a position's one voice), its changes beneath; newest first, as the
    // model keeps them.
    m_alertsView = new QTreeView(this);
    m_alertsView->setObjectName(QStringLiteral("alertsView"));
    m_alertsView->setModel(m_alertsModel);
    m_alertsView->setSortingEnabled(false);
    m_alertsView->setAlternatingRowColors(true);
    m_alertsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_alertsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_alertsView->setUniformRowHeights(true);
    m_alertsView->setWordWrap(false);
    m_alertsView->setItemDelegate(new StaticTextDelegate(m_alertsView));
    m_alertsView->header()->setStretchLastSection(true);
    m_alertsView->header()->setSectionsMovable(true);
    m_alertsView->setColumnWidth(AlertsModel::Subject, 280);
    m_alertsView->setColumnWidth(AlertsModel::Level, 170);
    m_alertsView->setColumnWidth(AlertsModel::Time, 150);
    m_alertsView->setColumnWidth(AlertsModel::LastChange, 170);
    m_alertsView->setColumnWidth(AlertsModel::Measure, 170);
    m_alertsView->setColumnWidth(AlertsModel::Value, 110);
    m_tabs->addTab(m_alertsView, tr("Alerts"));
    if (engine.journalFile()) {
        m_alertsModel->setJournalFile(QString::fromStdString(engine.journalFile()->string()));
        // The charts start with the journal's past hours of each position (marks and risk are
        // journaled once a second, downsampled with age), so a restart does not blank them.
        m_history.setPastProvider([file = *engine.journalFile()](const std::vector<TrackedPosition>& positions) {
            std::vector<std::vector<RiskHistory::PastPoint>> pasts(positions.size());
            try {
                Journal journal = Journal::openReadOnly(file); // once for all the new positions
                const auto since = std::chrono::duration_cast<std::chrono::milliseconds>(
                                       (std::chrono::system_clock::now() - std::chrono::hours(2)).time_since_epoch())
                                       .count();
                for (std::size_t index = 0; index < positions.size(); ++index) {
                    for (const HistoryPoint& point : journal.history(positions[index].venue, positions[index].symbol, since)) {
                        pasts[index].push_back({point.wallTimeMs, point.mark, point.liquidationPrice, point.distancePct});
                    }
                }
            } catch (const std::exception&) {
                // No journal yet, or one that cannot be read (said in the Alerts tab): no past to show.
            }
            return pasts;
        });
    }
    connect(m_alertsModel, &AlertsModel::problemChanged, this, [this](const QString& problem) {
        if (!problem.isEmpty()) {
            statusBar()->showMessage(problem, 10'000);
        }
    });

    m_splitter = new QSplitter(Qt::Vertical, central);
    m_splitter->setObjectName(QStringLiteral("splitter"));
    m_splitter->addWidget(m_accountsView);
    m_splitter->addWidget(m_positionsView);
    m_splitter->addWidget(m_tabs);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 4);
    m_splitter->setStretchFactor(2, 3);
    layout->addWidget(m_splitter, 1);
    setCentralWidget(central);

    m_feedStatus = new QLabel(tr("Connecting…"), this);
    m_feedStatus->setObjectName(QStringLiteral("feedStatus"));
    statusBar()->addPermanentWidget(m_feedStatus, 1);

    // Keyboard: the filter, the four lower tabs, quitting.
    auto* findShortcut = new QShortcut(QKeySequence::Find, this);
    connect(findShortcut, &QShortcut::activated, this, [this] {
        m_filter->setFocus();
        m_filter->selectAll();
    });
    for (int tab = 0; tab < 4; ++tab) {
        auto* shortcut = new QShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + tab)), this);
        connect(shortcut, &QShortcut::activated, this, [this, tab] { m_tabs->setCurrentIndex(tab); });
    }
    auto* positionsShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_P), this);
    connect(positionsShortcut, &QShortcut::activated, m_positionsView, qOverload<>(&QWidget::setFocus));

    connect(m_positionsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &MainWindow::selectionChanged);
    connect(&engine, &EngineHost::boardArrived, this, &MainWindow::showBoard);
    connect(&engine, &EngineHost::accountsReplaced, this, &MainWindow::accountsReplaced);
    connect(&engine, &EngineHost::venueProblem, this, [this](const QString& venue, const QString& detail) {
        // The Connections tab keeps the count and the latest; the status bar says it as it happens.
        statusBar()->showMessage(tr("%1: %2").arg(venue, detail), 10'000);
    });
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::refreshVisibleChart);

    // Alerts: delivered the moment the core decides them; the trader's answers go straight back.
    m_notifier = new Notifier(this, this);
    m_notifier->setMuted(!engine.alertSettings().sound);
    m_notifier->setVolume(engine.alertSettings().volume);
    if (QMediaDevices::audioOutputs().isEmpty()) {
        // Said once, where the trader looks: an alert that cannot be heard must not be a surprise.
        QTimer::singleShot(0, this, [this] {
            statusBar()->showMessage(tr("No audio output found: alert sounds cannot play (the popup, tray and webhook still work)"),
                                     30'000);
        });
    }
    // One batch per wake-up, at most one update per position (EngineHost, AlertQueue).
    connect(&engine, &EngineHost::alertsArrived, m_notifier, &Notifier::deliverBatch);
    // The history is read only while it is shown (as the charts are drawn only while shown): in a
    // storm nothing hidden takes the GUI thread's time. Shown again, it catches up.
    connect(&engine, &EngineHost::alertsArrived, m_alertsModel, [this] {
        if (m_tabs->currentWidget() == m_alertsView) {
            m_alertsModel->scheduleReload();
        }
    });
    connect(m_tabs, &QTabWidget::currentChanged, m_alertsModel, [this] {
        if (m_tabs->currentWidget() == m_alertsView) {
            m_alertsModel->scheduleReload();
        }
    });
    // A rebuilt engine (other accounts, a restarted core) has none of the old episodes.
    connect(&engine, &EngineHost::accountsReplaced, m_notifier, &Notifier::clear);
    connect(m_notifier, &Notifier::acknowledgeRequested, this, [this](quint64 episode) { m_engine.acknowledgeAlert(episode); });
    connect(m_notifier, &Notifier::snoozeRequested, this,
            [this](quint64 episode, int seconds) { m_engine.snoozeAlert(episode, std::chrono::seconds(seconds)); });
    connect(m_notifier, &Notifier::deleverageRequested, this, [this](quint64, const mm::AlertSubject& subject) {
        if (subject.position) {
            openDeleverage(subject.account, *subject.position);
        }
    });
    connect(&engine, &EngineHost::deleverageStatus, this, &MainWindow::deleverageStatus);
    connect(m_notifier, &Notifier::showRequested, this, [this](const mm::AlertSubject& subject) {
        if (subject.position) {
            showPosition(subject.account, *subject.position);
        }
        raise();
        activateWindow();
    });

    buildMenus();
    resize(1280, 820);
    restoreLayout();
}

void MainWindow::showPosition(std::size_t account, std::size_t position)
{
    const int row = m_positions->rowOf(account, position);
    if (row < 0) {
        return;
    }
    const QModelIndex index = m_positionsProxy->mapFromSource(m_positions->index(row, 0));
    if (index.isValid()) {
        m_positionsView->setCurrentIndex(index);
        m_positionsView->scrollTo(index);
    }
}

void MainWindow::buildMenus()
{
    QMenu* positions = menuBar()->addMenu(tr("&Positions"));
    QAction* manual = positions->addAction(tr("&Manual positions…"), this, &MainWindow::editManualPositions);
    manual->setObjectName(QStringLiteral("manualPositionsAction"));
    manual->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    manual->setEnabled(m_manualPositions != nullptr);
    manual->setToolTip(tr("Enter positions by hand, import or export portfolio files — no API key needed"));
    positions->addSeparator();
    const auto exportTo = [this](const QString& title, const QString& name, QString (MainWindow::*write)(const QString&)) {
        const QString path = QFileDialog::getSaveFileName(this, title, name, tr("CSV files (*.csv)"));
        if (path.isEmpty()) {
            return;
        }
        const QString problem = (this->*write)(path);
        if (!problem.isEmpty()) {
            QMessageBox::warning(this, title, problem);
        } else {
            statusBar()->showMessage(tr("Written to %1").arg(path), 10'000);
        }
    };
    QAction* exportAlertsAction = positions->addAction(tr("Export alert &history (CSV)…"), this, [this, exportTo] {
        exportTo(tr("Export alert history"), QStringLiteral("margin-monitor-alerts.csv"), &MainWindow::exportAlerts);
    });
    exportAlertsAction->setObjectName(QStringLiteral("exportAlertsAction"));
    exportAlertsAction->setEnabled(m_engine.journalFile().has_value());
    QAction* exportActionsAction = positions->addAction(tr("Export &deleverage audit trail (CSV)…"), this, [this, exportTo] {
        exportTo(tr("Export deleverage audit trail"), QStringLiteral("margin-monitor-deleverage.csv"), &MainWindow::exportActions);
    });
    exportActionsAction->setEnabled(m_engine.journalFile().has_value());
    positions->addSeparator();
    QAction* deleverage = positions->addAction(tr("&Deleverage selected position…"), this, [this] {
        const QModelIndex current = m_positionsView->currentIndex();
        if (!current.isValid()) {
            statusBar()->showMessage(tr("Select a position first"), 5'000);
            return;
        }
        const auto key = m_positionsProxy->mapToSource(current).data(PositionsModel::PositionKeyRole).value<PositionKey>();
        openDeleverage(key.account, key.position);
    });
    deleverage->setObjectName(QStringLiteral("deleverageAction"));
    deleverage->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    deleverage->setToolTip(tr("Reduce the selected position with a reduce-only market order, after a preview"));
    positions->addSeparator();
    positions->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    QMenu* settings = menuBar()->addMenu(tr("&Settings"));
    QAction* exchanges = settings->addAction(tr("&Exchanges…"), this, &MainWindow::editExchangeAccounts);
    exchanges->setObjectName(QStringLiteral("exchangeAccountsAction"));
    exchanges->setToolTip(tr("Exchange accounts and their API keys (kept in the system keychain)"));
    QAction* rules = settings->addAction(tr("&Alert rules…"), this, &MainWindow::editAlertRules);
    rules->setObjectName(QStringLiteral("alertRulesAction"));
    rules->setEnabled(m_alertSettings != nullptr);
    rules->setToolTip(tr("When alerts sound, how loud, the webhook, and automatic deleveraging per account"));
    QAction* mute = settings->addAction(tr("&Mute alert sounds"));
    mute->setObjectName(QStringLiteral("muteAction"));
    mute->setCheckable(true);
    mute->setChecked(m_notifier->isMuted());
    connect(mute, &QAction::toggled, m_notifier, &Notifier::setMuted);
    settings->addSeparator();
    QAction* atLogin = settings->addAction(tr("Start at &login"));
    atLogin->setObjectName(QStringLiteral("autostartAction"));
    atLogin->setCheckable(true);
    atLogin->setChecked(Autostart::isEnabled(QCoreApplication::applicationFilePath()));
    atLogin->setToolTip(tr("Start Margin Monitor when you log in: it only alerts while it runs"));
    connect(atLogin, &QAction::toggled, this, [this, atLogin](bool on) {
        const QString problem = Autostart::setEnabled(on, QCoreApplication::applicationFilePath());
        if (!problem.isEmpty()) {
            const QSignalBlocker quiet(atLogin);
            atLogin->setChecked(Autostart::isEnabled(QCoreApplication::applicationFilePath()));
            QMessageBox::warning(this, tr("Start at login"), problem);
            return;
        }
        statusBar()->showMessage(on ? tr("Margin Monitor will start when you log in (%1)").arg(Autostart::entryFile())
                                    : tr("Margin Monitor will no longer start when you log in"),
                                 10'000);
    });
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* about = help->addAction(tr("&About Margin Monitor"), this, [this] {
        auto* dialog = new AboutDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show(); // not modal: the positions stay usable behind it
    });
    about->setObjectName(QStringLiteral("aboutAction"));
    about->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt)->setMenuRole(QAction::AboutQtRole);
}

DeleverageDialog* MainWindow::openDeleverage(std::size_t account, std::size_t position)
{
    const DeleveragePlan plan = m_engine.previewDeleverage(account, position);
    const auto board = m_engine.board();
    std::string label;
    if (board) {
        for (const auto& line : board->accounts) {
            if (line.account == account) {
                label = line.label;
            }
        }
    }
    const auto settings = m_engine.deleverageSettings(label);
    auto* dialog = new DeleverageDialog(DeleveragePositionInfo::fromPlan(QString::fromStdString(label), plan), plan,
                                        settings ? std::optional(settings->target) : std::nullopt, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const bool canSend = settings && settings->enabled && !settings->dryRun;
    dialog->setDryRun(!canSend, tr("switch deleveraging on for \"%1\" in Settings → Alert rules (alerts.json, "
                                   "\"deleverage\"), dry run off, with a separate trade key in Settings → Exchanges")
                                    .arg(QString::fromStdString(label)));
    connect(dialog, &DeleverageDialog::targetChanged, this, [this, dialog, account, position](double) {
        dialog->setPlan(m_engine.previewDeleverage(account, position, dialog->target()));
    });
    connect(dialog, &DeleverageDialog::confirmed, this, [this, dialog, account, position] {
        m_pendingManual.push_back({dialog, {account, dialog->plan().symbol}});
        m_engine.executeDeleverage(account, position, dialog->target());
    });
    connect(dialog, &DeleverageDialog::cancelRequested, this, [this, dialog] {
        if (const auto action = dialog->action()) {
            m_engine.cancelDeleverage(*action);
        }
    });
    dialog->show();
    return dialog;
}

void MainWindow::deleverageStatus(const DeleverageStatus& status)
{
    auto found = m_deleverageDialogs.find(status.action);
    if (found == m_deleverageDialogs.end() && status.action.origin == DeleverageAction::Origin::Manual) {
        // A manual order's first status: the dialog that confirmed it, by account and symbol.
        for (auto it = m_pendingManual.begin(); it != m_pendingManual.end(); ++it) {
            if (it->first && it->second.first == status.account && it->second.second == status.symbol) {
                found = m_deleverageDialogs.emplace(status.action, it->first).first;
                m_pendingManual.erase(it);
                break;
            }
        }
    }
    if (found == m_deleverageDialogs.end() && status.action.origin == DeleverageAction::Origin::Alert &&
        status.state == DeleverageState::Countdown) {
        // An automatic deleverage about to send: the trader sees it, and can cancel it.
        auto* dialog = new DeleverageDialog(status, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        const DeleverageAction action = status.action;
        connect(dialog, &DeleverageDialog::cancelRequested, this, [this, action] { m_engine.cancelDeleverage(action); });
        dialog->show();
        found = m_deleverageDialogs.emplace(status.action, dialog).first;
    }
    if (found != m_deleverageDialogs.end() && found->second) {
        found->second->setStatus(status);
    }
}

void MainWindow::editAlertRules()
{
    if (m_alertSettings == nullptr) {
        return;
    }
    if (m_alertRules == nullptr) {
        m_alertRules = new AlertRulesDialog(*m_alertSettings, this);
        connect(m_alertRules, &AlertRulesDialog::settingsSaved, this, [this](const mm::AlertSettings& saved) {
            m_notifier->setMuted(!saved.sound);
            m_notifier->setVolume(saved.volume);
            const QString problem = m_engine.setAlertSettings(saved);
            statusBar()->showMessage(problem.isEmpty() ? tr("Alert rules saved and applied") : problem, 10'000);
        });
    }
    QStringList accounts; // the deleveraging tab offers the accounts being watched
    if (const auto board = m_engine.board()) {
        for (const auto& line : board->accounts) {
            accounts << QString::fromStdString(line.label);
        }
    }
    m_alertRules->setKnownAccounts(accounts);
    m_alertRules->showSettings(m_alertSettings->settings());
    m_alertRules->show(); // non-modal: the positions stay in view
    m_alertRules->raise();
    m_alertRules->activateWindow();
}

namespace {

/// Opens the journal read-only and writes one of its CSV exports; the problem in words, or "".
QString exportJournal(const std::optional<std::filesystem::path>& file, const QString& path,
                      QString (*write)(Journal&, const QString&))
{
    if (!file) {
        return QObject::tr("There is no journal to export.");
    }
    try {
        Journal journal = Journal::openReadOnly(*file);
        return write(journal, path);
    } catch (const std::exception& error) {
        return QObject::tr("The journal cannot be read: %1").arg(QString::fromUtf8(error.what()));
    }
}

} // namespace

QString MainWindow::exportAlerts(const QString& path)
{
    return exportJournal(m_engine.journalFile(), path, &exportAlertsCsv);
}

QString MainWindow::exportActions(const QString& path)
{
    return exportJournal(m_engine.journalFile(), path, &exportActionsCsv);
}

void MainWindow::editExchangeAccounts()
{
    if (m_exchangeAccounts == nullptr) {
        m_exchangeAccounts = new ExchangeAccountsDialog(AccountsStore::defaultPath(), nullptr, nullptr, this);
        connect(m_exchangeAccounts, &ExchangeAccountsDialog::accountsChanged, this, &MainWindow::accountsChanged);
    }
    m_exchangeAccounts->show(); // non-modal: the positions stay in view
    m_exchangeAccounts->raise();
    m_exchangeAccounts->activateWindow();
}

void MainWindow::editManualPositions()
{
    if (m_manualPositions == nullptr) {
        return;
    }
    ManualPositionsDialog dialog(m_manualPositions->accounts(), this);
    while (dialog.exec() == QDialog::Accepted) {
        const QString problem = applyManualPositions(dialog.accounts());
        if (problem.isEmpty()) {
            return;
        }
        QMessageBox::warning(this, tr("Manual positions"), problem); // back to the dialog: nothing typed is lost
    }
}

QString MainWindow::applyManualPositions(const std::vector<PortfolioDraft>& accounts)
{
    if (m_manualPositions == nullptr) {
        return tr("manual positions are not available here");
    }
    std::vector<Portfolio> portfolios;
    try {
        portfolios = portfoliosFrom(accounts);
    } catch (const std::exception& error) {
        return QString::fromUtf8(error.what());
    }
    QString problem;
    if (!m_manualPositions->save(accounts, &problem)) {
        return problem;
    }
    try {
        m_engine.setManualAccounts(std::move(portfolios));
    } catch (const std::exception& error) {
        return tr("saved, but the monitor cannot watch them: %1").arg(QString::fromUtf8(error.what()));
    }
    statusBar()->showMessage(tr("Manual positions saved to %1").arg(m_manualPositions->path()), 10'000);
    return {};
}

void MainWindow::accountsReplaced()
{
    // Rows now mean other positions: the charts start afresh, the selection goes back to the top.
    m_history.clear();
    m_chart->setPosition({});
    refreshVisibleChart();
}

MainWindow::~MainWindow() = default;

QTableView* MainWindow::makeTable(const QString& name)
{
    auto* view = new QTableView(this);
    view->setObjectName(name);
    view->setSortingEnabled(true);
    view->setAlternatingRowColors(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setWordWrap(false);
    view->setItemDelegate(new StaticTextDelegate(view)); // text laid out once per distinct string, not per paint
    view->verticalHeader()->setVisible(false);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 8);
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setSectionsMovable(true);
    return view;
}

void MainWindow::showBoard(const std::shared_ptr<const RiskBoard>& board)
{
    m_emptyHint->setVisible(board->positions.empty());
    const bool first = m_positions->rowCount() == 0;
    m_positions->setBoard(*board);
    m_accounts->setBoard(*board);
    m_connections->setBoard(*board);
    if (m_history.record(*board)) {
        refreshVisibleChart();
    }
    updateStatusBar(*board);
    if (first && m_positions->rowCount() > 0) {
        if (!m_layoutRestored) {
            // The accounts summary shows every account without scrolling; the positions get the most room.
            const int accountsHeight = m_accountsView->horizontalHeader()->sizeHint().height() +
                                       m_accounts->rowCount() * m_accountsView->verticalHeader()->defaultSectionSize() +
                                       2 * m_accountsView->frameWidth() + 2;
            const int rest = std::max(0, m_splitter->height() - accountsHeight);
            m_splitter->setSizes({accountsHeight, rest * 5 / 9, rest * 4 / 9});
        }
        m_positionsView->resizeColumnsToContents();
        m_accountsView->resizeColumnsToContents();
        m_connectionsView->resizeColumnsToContents();
        m_positionsView->selectRow(0); // the nearest to liquidation: the view sorts by distance
    }
}

void MainWindow::refreshVisibleChart()
{
    // Only the chart on screen is redrawn (each paces itself to at most four redraws a second); the
    // other catches up when its tab is chosen.
    if (m_tabs->currentWidget() == m_chart) {
        m_chart->refresh(m_history);
    } else if (m_tabs->currentWidget() == m_distanceMap) {
        m_distanceMap->refresh(m_history);
    }
}

void MainWindow::selectionChanged()
{
    const QModelIndex current = m_positionsView->currentIndex();
    if (!current.isValid()) {
        return;
    }
    const QVariant key = current.data(PositionsModel::PositionKeyRole);
    if (key.isValid()) {
        m_chart->setPosition(key.value<PositionKey>());
        m_chart->refresh(m_history);
    }
}

void MainWindow::updateStatusBar(const RiskBoard& board)
{
    // Per venue: the connection's state and the age of its last message; red when it is not open
    // or any of its symbols has gone stale.
    std::map<Venue, bool> stale;
    for (const PositionLine& line : board.positions) {
        stale[line.venue] = stale[line.venue] || line.feed == FeedState::Stale;
    }
    QStringList parts;
    bool alarming = false;
    for (const ConnectionLine& line : board.connections) {
        const bool open = line.connection.state == ConnectionState::Open;
        const bool bad = !open || stale[line.venue];
        alarming = alarming || bad;
        QString text = venueDisplayName(line.venue) + QStringLiteral(" ");
        if (!open) {
            text += QString::fromUtf8(connectionStateName(line.connection.state).data());
        } else if (line.connection.lastFrameAt == MonotonicTime{}) {
            text += tr("waiting");
        } else {
            text += ageText(board.takenAt - line.connection.lastFrameAt);
        }
        if (stale[line.venue]) {
            text += tr(" STALE");
        }
        parts << QStringLiteral("<span style=\"color:%1\">● %2</span>")
                     .arg(bad ? QStringLiteral("#ff6b6b") : QStringLiteral("#5fd38d"), text.toHtmlEscaped());
    }
    m_feedStatus->setText(parts.isEmpty() ? tr("No exchange feeds (marks from the files)") : parts.join(QStringLiteral("&nbsp;&nbsp;&nbsp;")));
    // The style only when it changes: a new style sheet re-polishes the label and asks the window
    // for a new layout, on every board (10 a second) for nothing.
    if (m_feedStatus->property("alarming") != QVariant(alarming) || m_feedStatus->styleSheet().isEmpty()) {
        m_feedStatus->setProperty("alarming", alarming);
        m_feedStatus->setStyleSheet(alarming ? QStringLiteral("QLabel { background: #5a1212; padding: 2px 6px; }")
                                             : QStringLiteral("QLabel { padding: 2px 6px; }"));
    }
}

void MainWindow::restoreLayout()
{
    const QSettings settings;
    m_layoutRestored = settings.contains(QStringLiteral("window/splitter"));
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_splitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
    m_positionsView->horizontalHeader()->restoreState(settings.value(QStringLiteral("positions/header")).toByteArray());
    m_tabs->setCurrentIndex(settings.value(QStringLiteral("window/tab"), 0).toInt());
}

void MainWindow::saveLayout() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
    settings.setValue(QStringLiteral("positions/header"), m_positionsView->horizontalHeader()->saveState());
    settings.setValue(QStringLiteral("window/tab"), m_tabs->currentIndex());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    saveLayout();
    QMainWindow::closeEvent(event);
}

} // namespace mm::ui
