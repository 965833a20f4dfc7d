#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace mm::ui {

/// The secrets of the exchange accounts — API secrets, OKX passphrases — in the OS keychain through
/// QtKeychain (the Secret Service on Linux: GNOME Keyring, KWallet; Keychain on macOS; Credential
/// Manager on Windows). Nowhere else: QtKeychain's plaintext fallback is switched off, nothing here
/// logs a secret, and where no keychain answers the caller is told so — it must then go on without
/// keys (manual, public and Hyperliquid monitoring), never store them elsewhere.
///
/// Every operation is asynchronous (the keychain may ask the user to unlock it) and answers once,
/// on the thread that called, through the callback.
class SecretStore : public QObject {
    Q_OBJECT
public:
    enum class Status {
        Ok,
        NotFound,     ///< nothing stored under the key
        NoKeychain,   ///< no keychain service answers (none installed, none running, locked and no one to unlock it)
        AccessDenied, ///< the keychain refused (the user said no, or the keyring stays locked)
        Failed,       ///< anything else: `problem` says what
    };
    struct Result {
        Status status = Status::Failed;
        QString secret;  ///< read(): the secret; otherwise empty
        QString problem; ///< in words, for the settings dialog; empty when Ok
    };
    using Callback = std::function<void(const Result& result)>;

    /// `service` names the application's entries in the keychain.
    explicit SecretStore(QString service = QStringLiteral("margin-monitor"), QObject* parent = nullptr);

    void write(const QString& key, const QString& secret, Callback done);
    void read(const QString& key, Callback done);
    /// Removing what is not there is Ok.
    void remove(const QString& key, Callback done);
    /// Whether a keychain works here: a probe entry written, read back and removed.
    void checkAvailable(Callback done);

    [[nodiscard]] const QString& service() const { return m_service; }

private:
    QString m_service;
};

/// The keychain key of one secret of an account: "<account id>/<what>", e.g. "a1b2c3/secret".
/// Keys hold no secret, so they may appear in the configuration and the logs.
QString secretKey(const QString& accountId, const QString& what);

} // namespace mm::ui
