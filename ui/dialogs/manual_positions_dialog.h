#pragma once

#include "portfolio/portfolio_draft.h"

#include <QDialog>
#include <QString>

#include <vector>

class QListWidget;
class QPushButton;
class QTableWidget;

namespace mm::ui {

class DraftForm;

/// Manual positions: accounts (exchange, label, wallet balance) with the positions held in them,
/// entered by hand — no API key needed. Accounts on the left, the chosen account's positions on the
/// right; Add…, Edit… and Remove for both; Import… reads a portfolio file (one account in the `eval`
/// schema, or a list), Export… writes the chosen account as one. Every change is checked with the
/// same reader `marginctl eval` uses before it is taken, and refused with the field named.
///
/// The dialog edits a copy: accounts() is the result once accepted (Save).
class ManualPositionsDialog : public QDialog {
    Q_OBJECT
public:
    explicit ManualPositionsDialog(std::vector<PortfolioDraft> accounts, QWidget* parent = nullptr);

    [[nodiscard]] const std::vector<PortfolioDraft>& accounts() const { return m_accounts; }
    /// The account shown on the right, -1 when none.
    [[nodiscard]] int currentAccount() const;

    // What the buttons do once their form or file dialog has answered. Each returns "" when done,
    // else the problem in words (and changes nothing).
    QString addAccount(const PortfolioDraft& account);
    QString replaceAccount(int account, const PortfolioDraft& replacement); ///< keeps its positions
    void removeAccount(int account);
    QString addPosition(int account, const PositionDraft& position);
    QString replacePosition(int account, int position, const PositionDraft& replacement);
    void removePosition(int account, int position);
    QString importFile(const QString& path);
    [[nodiscard]] QString exportAccount(int account, const QString& path) const;

    /// The forms behind Add…/Edit…, unopened (exec() them; the tests fill them in).
    [[nodiscard]] DraftForm* accountForm(int account); ///< -1: a new account
    [[nodiscard]] DraftForm* positionForm(int account, int position); ///< position -1: a new one

private:
    void showAccounts(int select);
    void showPositions();
    void updateButtons();
    void onAddAccount();
    void onEditAccount();
    void onAddPosition();
    void onEditPosition();
    void onImport();
    void onExport();
    [[nodiscard]] int currentPosition() const;

    std::vector<PortfolioDraft> m_accounts;
    QListWidget* m_accountList = nullptr;
    QTableWidget* m_positionTable = nullptr;
    QPushButton* m_editAccount = nullptr;
    QPushButton* m_removeAccount = nullptr;
    QPushButton* m_addPosition = nullptr;
    QPushButton* m_editPosition = nullptr;
    QPushButton* m_removePosition = nullptr;
    QPushButton* m_export = nullptr;
};

} // namespace mm::ui
