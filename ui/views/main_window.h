#pragma once

#include "models/risk_history.h"
#include "portfolio/portfolio_draft.h"
#include "config/accounts_config.h"

#include <QMainWindow>
#include <QPointer>

#include "deleverage/deleverage_status.h"

#include <map>
#include <string>

#include <memory>
#include <vector>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QSplitter;
class QTabWidget;
class QTableView;
class QTreeView;

namespace mm {
struct RiskBoard;
}

namespace mm::ui {

class AccountsModel;
class DeleverageDialog;
class AlertRulesDialog;
class AlertSettingsStore;
class AlertsModel;
class ConnectionsModel;
class DistanceMap;
class EngineHost;
class ManualPositionsStore;
class ExchangeAccountsDialog;
class Notifier;
class PositionChart;
class PositionsModel;

/// The main window: the accounts summary, every position with its distance to liquidation (a bar in
/// the risk level's colour), and below them the selected position's chart, the distance map and the
/// connections; a status bar with each feed's age that turns red when a feed is stale or down. In
/// demo mode a banner says the exchanges are simulated. Layout and column widths are restored on
/// the next start.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    /// With a store, the Positions menu edits the manual positions kept in it (Ctrl+M); the engine
    /// then watches what was saved.
    /// With an alert settings store, Settings → Alert rules… edits alerts.json in it.
    explicit MainWindow(EngineHost& engine, ManualPositionsStore* manualPositions = nullptr, QWidget* parent = nullptr,
                        AlertSettingsStore* alertSettings = nullptr);
    ~MainWindow() override;

    [[nodiscard]] PositionsModel& positionsModel() { return *m_positions; }
    [[nodiscard]] AccountsModel& accountsModel() { return *m_accounts; }
    [[nodiscard]] ConnectionsModel& connectionsModel() { return *m_connections; }
    [[nodiscard]] const RiskHistory& history() const { return m_history; }
    /// The alerts' popup, sounds and tray (every alert the engine decides reaches it at once).
    [[nodiscard]] Notifier& notifier() { return *m_notifier; }
    /// The alert history (the journal), newest first, in the Alerts tab.
    [[nodiscard]] AlertsModel& alertsModel() { return *m_alertsModel; }
    /// The confirmation dialog with a preview for reducing a position by hand (an alert's
    /// Deleverage…, or Positions → Deleverage selected position…); non-modal.
    DeleverageDialog* openDeleverage(std::size_t account, std::size_t position);
    /// Settings → Alert rules… (non-modal); a save applies at once.
    void editAlertRules();
    /// Writes the alert history, or the deleverage audit trail, to a CSV file; the problem, or "".
    QString exportAlerts(const QString& path);
    QString exportActions(const QString& path);
    /// Selects a position's row in the positions table (an alert's Show).
    void showPosition(std::size_t account, std::size_t position);

    /// Opens the manual positions dialog; on Save stores them and has the engine watch them.
    void editManualPositions();
    /// Stores these manual accounts and has the engine watch them; the problem in words, or "".
    QString applyManualPositions(const std::vector<PortfolioDraft>& accounts);
    /// Opens Settings → Exchanges… (non-modal; one at a time); its saves come out as accountsChanged().
    void editExchangeAccounts();

Q_SIGNALS:
    /// The exchange accounts as saved in Settings → Exchanges (secrets are in the keychain, not here).
    void accountsChanged(std::vector<mm::AccountSettings> accounts);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void showBoard(const std::shared_ptr<const RiskBoard>& board);
    void accountsReplaced();
    void buildMenus();
    void updateStatusBar(const RiskBoard& board);
    void refreshVisibleChart();
    void selectionChanged();
    void restoreLayout();
    void saveLayout() const;
    QTableView* makeTable(const QString& name);

    EngineHost& m_engine;
    ManualPositionsStore* m_manualPositions = nullptr;
    ExchangeAccountsDialog* m_exchangeAccounts = nullptr; ///< Settings → Exchanges, made when first opened
    PositionsModel* m_positions = nullptr;
    AccountsModel* m_accounts = nullptr;
    ConnectionsModel* m_connections = nullptr;
    QSortFilterProxyModel* m_positionsProxy = nullptr;
    QTableView* m_positionsView = nullptr;
    QTableView* m_accountsView = nullptr;
    QTableView* m_connectionsView = nullptr;
    QLineEdit* m_filter = nullptr;
    QSplitter* m_splitter = nullptr;
    QTabWidget* m_tabs = nullptr;
    PositionChart* m_chart = nullptr;
    DistanceMap* m_distanceMap = nullptr;
    QLabel* m_feedStatus = nullptr;
    QLabel* m_emptyHint = nullptr; ///< says how to add positions while there are none
    Notifier* m_notifier = nullptr;
    AlertsModel* m_alertsModel = nullptr;
    QTreeView* m_alertsView = nullptr;
    AlertSettingsStore* m_alertSettings = nullptr;
    AlertRulesDialog* m_alertRules = nullptr; ///< made when first opened
    /// The deleverage dialogs following an action (an automatic countdown, or a manual order once
    /// confirmed), by action; a manual dialog waits in m_pendingManual until its first status.
    std::map<DeleverageAction, QPointer<DeleverageDialog>> m_deleverageDialogs;
    std::vector<std::pair<QPointer<DeleverageDialog>, std::pair<std::size_t, std::string>>> m_pendingManual;
    void deleverageStatus(const DeleverageStatus& status);
    RiskHistory m_history;
    bool m_layoutRestored = false; ///< a saved layout was found: keep its proportions
};

} // namespace mm::ui
