#pragma once

#include "config/accounts_config.h"
#include "keychain/secret_store.h"
#include "net/key_check.h"
#include "net/signed_request.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace mm::ui {

/// The keychain entries of one exchange account — the only place their names are written down.
/// Each is stored under secretKey(account id, name) in the SecretStore's service ("margin-monitor"):
///
/// | name              | holds                                                    | venues          |
/// |-------------------|----------------------------------------------------------|-----------------|
/// | `read-key`        | the API key used to read positions and balances          | Binance, Bybit, OKX |
/// | `read-secret`     | its secret                                               | Binance, Bybit, OKX |
/// | `read-passphrase` | its passphrase                                           | OKX             |
/// | `trade-key`       | the separate key used only for deleveraging (optional; AccountSettings::hasTradeKey) | Binance, Bybit, OKX |
/// | `trade-secret`    | its secret                                               | Binance, Bybit, OKX |
/// | `trade-passphrase`| its passphrase                                           | OKX             |
///
/// Hyperliquid accounts have none: they are read by their public wallet address, which is in the
/// configuration file. The names hold no secret and may be logged; the values never are.
namespace account_secret {
inline const QString kReadKey = QStringLiteral("read-key");
inline const QString kReadSecret = QStringLiteral("read-secret");
inline const QString kReadPassphrase = QStringLiteral("read-passphrase");
inline const QString kTradeKey = QStringLiteral("trade-key");
inline const QString kTradeSecret = QStringLiteral("trade-secret");
inline const QString kTradePassphrase = QStringLiteral("trade-passphrase");
} // namespace account_secret

/// The names of one key's three entries (key, secret, passphrase).
struct KeyEntryNames {
    QString key;
    QString secret;
    QString passphrase;
};
[[nodiscard]] KeyEntryNames keyEntryNames(KeyPurpose purpose);

/// Every entry an account may have, as keychain keys ("<id>/read-key", …): what removing the account
/// removes.
[[nodiscard]] QStringList allSecretKeys(const QString& accountId);

/// Whether the venue needs an API key (Binance, Bybit, OKX) rather than a wallet address.
[[nodiscard]] bool venueNeedsKey(Venue venue);
/// Whether the venue's keys have a passphrase (OKX).
[[nodiscard]] bool venueHasPassphrase(Venue venue);

/// One after another, stopping at the first failure, which `done` gets; Ok when all were written.
void writeSecrets(SecretStore& store, std::vector<std::pair<QString, QString>> entries, SecretStore::Callback done);
/// One after another; removing what is not there is Ok. `done` gets the first failure, or Ok.
void removeSecrets(SecretStore& store, QStringList keys, SecretStore::Callback done);

/// Reads one key of an account from the keychain (its passphrase too on OKX). `done` gets the
/// credentials, or nullopt and the problem in words.
void readCredentials(SecretStore& store, const QString& accountId, Venue venue, KeyPurpose purpose,
                     std::function<void(std::optional<ApiCredentials> credentials, QString problem)> done);

} // namespace mm::ui
