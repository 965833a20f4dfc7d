#pragma once

#include "config/accounts_config.h"
#include "net/key_check.h"
#include "net/signed_request.h"

#include <QDialog>
#include <QString>

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace mm::ui {

class KeyChecker;
class SecretStore;

/// Whether the OS keychain works on this machine (SecretStore::checkAvailable), as the settings
/// dialogs show it.
enum class KeychainState { Unknown, Available, Unavailable };

/// The form for one exchange account: name, exchange, environment (mainnet, testnet, a custom base
/// URL), the read key (API key, secret, and OKX's passphrase), optionally a separate trade key used
/// only for deleveraging — or, for Hyperliquid, only the wallet address.
///
/// Save: the fields are checked (checkAccountSettings, problems named in the form's words), the key
/// is checked on the exchange (KeyChecker: "Checking…", then usable or not with the venue's reason,
/// its warnings, and a loud warning if it can withdraw), the secrets are written to the keychain
/// (dialogs/account_secrets.h), then `commit` stores the account in the configuration file. A key
/// that is not usable is not saved: the problem stays on screen and "Save anyway" appears. It is
/// the trader's explicit choice, offered whatever the reason, because the dialog cannot always tell
/// an exchange that is unreachable right now, or an IP allow-list that does not include this
/// machine yet, from a key that will never work; the account's status then says it was saved
/// without a passing check, and the monitor reports the venue's refusal if it persists. Editing
/// any field withdraws "Save anyway" until the next check.
///
/// Editing: secret fields left empty keep what the keychain holds. The key is checked again when a
/// key is typed or the environment changes; a new exchange needs new keys. Where no keychain works,
/// keyed exchanges cannot be saved (a visible message says so — never a plaintext fallback);
/// Hyperliquid accounts still can. Secret fields are masked and emptied when the form closes.
class AccountEditor : public QDialog {
    Q_OBJECT
public:
    /// Stores the account in the configuration; "" or the problem in words.
    using Commit = std::function<QString(const AccountSettings& account)>;

    /// `existing` nullopt: a new account, whose id is made up here, different from `takenIds`.
    AccountEditor(std::optional<AccountSettings> existing, const std::vector<std::string>& takenIds, SecretStore& secrets,
                  KeyChecker& checker, Commit commit, QWidget* parent = nullptr);
    ~AccountEditor() override;

    void setKeychainState(KeychainState state, const QString& problem);

    /// The account as the fields say it (the id kept or made up).
    [[nodiscard]] AccountSettings settings() const;
    /// The field problem or the failure shown under the fields; "" when none.
    [[nodiscard]] QString problem() const;
    /// The key check as shown: status, warnings and the withdraw warning, one per line; "" before any.
    [[nodiscard]] QString keyCheckText() const;
    /// The withdraw warning shown, "" when none.
    [[nodiscard]] QString withdrawWarning() const;
    /// A check or a save is under way.
    [[nodiscard]] bool busy() const { return m_busy; }
    /// The account's key status after saving, for the accounts list ("checked: usable", …).
    [[nodiscard]] const QString& keyStatus() const { return m_keyStatus; }

public Q_SLOTS:
    /// "Check key": checks the key(s) typed (or, when editing, those in the keychain) and shows the result.
    void checkKey();
    /// "Save": checks the fields and the key, then stores.
    void save();
    /// "Save anyway": stores after a check that did not pass. Does nothing unless one did not.
    void saveAnyway();

Q_SIGNALS:
    /// The account was stored (keychain and configuration); the form then closes.
    void saved(const mm::AccountSettings& account);
    /// A key check ended and its result is shown.
    void keyCheckShown();

protected:
    void done(int result) override;
    void hideEvent(QHideEvent* event) override;

private:
    struct Credentials {
        std::optional<ApiCredentials> read;  ///< typed; nullopt: the keychain's (editing) or none
        std::optional<ApiCredentials> trade; ///< typed; nullopt: the keychain's, or no trade key
    };
    void venueChanged();
    void updateVisibility();
    void inputChanged();
    /// The problem with the fields in the form's words; fills `credentials` with what was typed.
    QString checkFields(const AccountSettings& account, Credentials& credentials) const;
    [[nodiscard]] bool keysNeedCheck(const AccountSettings& account, const Credentials& credentials) const;
    void runChecks(const AccountSettings& account, Credentials credentials, std::function<void(bool usable)> then);
    void checkOne(const AccountSettings& account, KeyPurpose purpose, std::optional<ApiCredentials> typed,
                  std::function<void(KeyCheckResult)> then);
    void showChecks();
    /// Writes `entries` (keychain key, secret) to the keychain, then commits the account.
    void store(const AccountSettings& account, std::vector<std::pair<QString, QString>> entries);
    void showProblem(const QString& problem);
    void fitHeight();
    void fitHeightNow();
    void setBusy(bool busy, const QString& status = {});
    void clearSecrets();

    std::optional<AccountSettings> m_existing;
    std::string m_id;
    SecretStore& m_secrets;
    KeyChecker& m_checker;
    Commit m_commit;
    KeychainState m_keychain = KeychainState::Unknown;
    QString m_keychainProblem;

    QLineEdit* m_label = nullptr;
    QComboBox* m_venue = nullptr;
    QComboBox* m_environment = nullptr;
    QLineEdit* m_customUrl = nullptr;
    QLineEdit* m_walletAddress = nullptr;
    QFormLayout* m_connectionForm = nullptr;
    QGroupBox* m_readGroup = nullptr;
    QFormLayout* m_readForm = nullptr;
    QLineEdit* m_readKey = nullptr;
    QLineEdit* m_readSecret = nullptr;
    QLineEdit* m_readPassphrase = nullptr;
    QCheckBox* m_tradeEnabled = nullptr; ///< a separate trade key is wanted
    QGroupBox* m_tradeGroup = nullptr;
    QFormLayout* m_tradeForm = nullptr;
    QLineEdit* m_tradeKey = nullptr;
    QLineEdit* m_tradeSecret = nullptr;
    QLineEdit* m_tradePassphrase = nullptr;
    QLabel* m_keychainMessage = nullptr;
    QWidget* m_checkPanel = nullptr;
    QLabel* m_checkIcon = nullptr;
    QLabel* m_checkStatus = nullptr;
    QLabel* m_checkWarnings = nullptr;
    QWidget* m_withdrawPanel = nullptr;
    QLabel* m_withdrawText = nullptr;
    QLabel* m_problem = nullptr;
    QPushButton* m_checkButton = nullptr;
    QPushButton* m_saveAnywayButton = nullptr;
    QPushButton* m_saveButton = nullptr;

    std::optional<KeyCheckResult> m_readResult;
    std::optional<KeyCheckResult> m_tradeResult;
    bool m_busy = false;
    bool m_checkFailed = false; ///< the last check did not pass and nothing changed since: "Save anyway" is offered
    bool m_clearing = false;
    int m_generation = 0; ///< bumped when the form closes: answers to what was under way are dropped
    QString m_keyStatus;
};

/// The exchange's name in the settings: "Binance USDⓈ-M", "Bybit linear", "OKX swaps", "Hyperliquid".
QString settingsVenueName(Venue venue);
/// "Mainnet", "Testnet", "Custom — URL".
QString settingsEnvironmentText(const AccountSettings& account);

} // namespace mm::ui
