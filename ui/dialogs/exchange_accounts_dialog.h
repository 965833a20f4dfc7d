#pragma once

#include "config/accounts_config.h"
#include "dialogs/account_editor.h"
#include "dialogs/accounts_store.h"
#include "keychain/secret_store.h"

#include <QDialog>
#include <QString>

#include <map>
#include <string>
#include <vector>

class QLabel;
class QPushButton;
class QTableWidget;

namespace mm::ui {

class KeyChecker;

/// Settings → Exchanges: the trader's exchange accounts (name, exchange, environment, key status)
/// with Add…, Edit… and Remove. Non-modal: it can stay open beside the main window. Each change is
/// stored at once — the account's keys in the OS keychain (dialogs/account_secrets.h), the account
/// in `accounts.json` (AccountsStore, never a secret) — and announced with accountsChanged().
///
/// Add… and Edit… open an AccountEditor, which checks the key on the exchange before saving.
/// Remove deletes the account from the file and its entries from the keychain. A file that cannot
/// be read is reported with the field and the reason, and kept (see AccountsStore). Where no
/// keychain works, a message says so at the top: keyed exchanges cannot be saved, Hyperliquid
/// accounts and everything without a key keep working.
class ExchangeAccountsDialog : public QDialog {
    Q_OBJECT
public:
    /// `configPath` empty: AccountsStore::defaultPath(). `secrets` and `checker` null: the dialog
    /// makes its own (the "margin-monitor" keychain service; system certificate authorities).
    explicit ExchangeAccountsDialog(const QString& configPath = {}, SecretStore* secrets = nullptr,
                                    KeyChecker* checker = nullptr, QWidget* parent = nullptr);
    ~ExchangeAccountsDialog() override;

    [[nodiscard]] const std::vector<AccountSettings>& accounts() const { return m_store.accounts(); }
    [[nodiscard]] const AccountsStore& store() const { return m_store; }
    /// What is wrong with the file on disk, as shown ("" when it was read).
    [[nodiscard]] const QString& loadProblem() const { return m_loadProblem; }
    [[nodiscard]] KeychainState keychainState() const { return m_keychain; }
    [[nodiscard]] KeyChecker& keyChecker() { return *m_checker; }
    [[nodiscard]] SecretStore& secretStore() { return *m_secrets; }
    /// The key status shown for an account ("" for an unknown row).
    [[nodiscard]] QString keyStatusText(int row) const;
    [[nodiscard]] int currentRow() const;

    /// The form behind Add… (-1) and Edit… (a row), unopened: open() it (the tests fill it in).
    /// Its save updates the list and the file and emits accountsChanged.
    [[nodiscard]] AccountEditor* editor(int row);
    /// Removes the account at `row` from the file, then its keychain entries; the problem in words,
    /// or "". `removed` (optional) gets the keychain's answer.
    QString removeAccount(int row, SecretStore::Callback removed = {});

Q_SIGNALS:
    /// The accounts as now saved, after every save and removal (for the engine).
    void accountsChanged(std::vector<mm::AccountSettings> accounts);
    /// The keychain probe answered (keychainState() is known).
    void keychainChecked();

private:
    QString commit(const AccountSettings& account);
    void showAccounts(int select);
    void updateButtons();
    void updateBanners();
    void readKeyPresence();
    void onAdd();
    void onEdit();
    void onRemove();
    void openEditor(AccountEditor* editor);

    AccountsStore m_store;
    SecretStore* m_secrets = nullptr;
    KeyChecker* m_checker = nullptr;
    KeychainState m_keychain = KeychainState::Unknown;
    QString m_keychainProblem;
    QString m_loadProblem;
    /// Per account id: what is known of its key — present in the keychain, or the last check.
    std::map<std::string, QString> m_keyStatus;

    QLabel* m_loadBanner = nullptr;
    QLabel* m_keychainBanner = nullptr;
    QTableWidget* m_table = nullptr;
    QPushButton* m_edit = nullptr;
    QPushButton* m_remove = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_emptyHint = nullptr; ///< says how to add an account while there is none
};

} // namespace mm::ui
