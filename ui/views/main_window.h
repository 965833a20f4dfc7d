#pragma once

#include "models/risk_history.h"
#include "portfolio/portfolio_draft.h"
#include "config/accounts_config.h"

#include <QMainWindow>

#include <memory>
#include <vector>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QSplitter;
class QTabWidget;
class QTableView;

namespace mm {
struct RiskBoard;
}

namespace mm::ui {

class AccountsModel;
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
    explicit MainWindow(EngineHost& engine, ManualPositionsStore* manualPositions = nullptr, QWidget* parent = nullptr);
    ~MainWindow() override;

    [[nodiscard]] PositionsModel& positionsModel() { return *m_positions; }
    [[nodiscard]] AccountsModel& accountsModel() { return *m_accounts; }
    [[nodiscard]] ConnectionsModel& connectionsModel() { return *m_connections; }
    [[nodiscard]] const RiskHistory& history() const { return m_history; }
    /// The alerts' popup, sounds and tray (every alert the engine decides reaches it at once).
    [[nodiscard]] Notifier& notifier() { return *m_notifier; }
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
    RiskHistory m_history;
    bool m_layoutRestored = false; ///< a saved layout was found: keep its proportions
};

} // namespace mm::ui
