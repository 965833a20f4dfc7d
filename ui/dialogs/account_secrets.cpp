#include "dialogs/account_secrets.h"

#include <memory>

namespace mm::ui {

KeyEntryNames keyEntryNames(KeyPurpose purpose)
{
    switch (purpose) {
    case KeyPurpose::Read:
        return {account_secret::kReadKey, account_secret::kReadSecret, account_secret::kReadPassphrase};
    case KeyPurpose::Trade:
        return {account_secret::kTradeKey, account_secret::kTradeSecret, account_secret::kTradePassphrase};
    }
    return {account_secret::kReadKey, account_secret::kReadSecret, account_secret::kReadPassphrase};
}

QStringList allSecretKeys(const QString& accountId)
{
    QStringList keys;
    for (const QString& name : {account_secret::kReadKey, account_secret::kReadSecret, account_secret::kReadPassphrase,
                                account_secret::kTradeKey, account_secret::kTradeSecret, account_secret::kTradePassphrase}) {
        keys << secretKey(accountId, name);
    }
    return keys;
}

bool venueNeedsKey(Venue venue)
{
    switch (venue) {
    case Venue::BinanceUsdm:
    case Venue::BybitLinear:
    case Venue::OkxSwap:
        return true;
    case Venue::Hyperliquid:
    case Venue::Generic:
        break;
    }
    return false;
}

bool venueHasPassphrase(Venue venue)
{
    return venue == Venue::OkxSwap;
}

void writeSecrets(SecretStore& store, std::vector<std::pair<QString, QString>> entries, SecretStore::Callback done)
{
    if (entries.empty()) {
        done({SecretStore::Status::Ok, {}, {}});
        return;
    }
    auto first = std::move(entries.front());
    entries.erase(entries.begin());
    store.write(first.first, first.second,
                [&store, rest = std::move(entries), done = std::move(done)](const SecretStore::Result& written) mutable {
                    if (written.status != SecretStore::Status::Ok) {
                        done(written);
                        return;
                    }
                    writeSecrets(store, std::move(rest), std::move(done));
                });
}

void removeSecrets(SecretStore& store, QStringList keys, SecretStore::Callback done)
{
    if (keys.isEmpty()) {
        done({SecretStore::Status::Ok, {}, {}});
        return;
    }
    const QString first = keys.takeFirst();
    store.remove(first, [&store, rest = std::move(keys), done = std::move(done)](const SecretStore::Result& removed) mutable {
        if (removed.status != SecretStore::Status::Ok) {
            done(removed);
            return;
        }
        removeSecrets(store, std::move(rest), std::move(done));
    });
}

void readCredentials(SecretStore& store, const QString& accountId, Venue venue, KeyPurpose purpose,
                     std::function<void(std::optional<ApiCredentials> credentials, QString problem)> done)
{
    const KeyEntryNames names = keyEntryNames(purpose);
    auto credentials = std::make_shared<ApiCredentials>();
    const bool passphrase = venueHasPassphrase(venue);
    const auto failed = [done](const SecretStore::Result& result) {
        done(std::nullopt, result.status == SecretStore::Status::NotFound
                               ? QObject::tr("no key is stored in the keychain for this account: enter it again")
                               : result.problem);
    };
    store.read(secretKey(accountId, names.key), [=, &store](const SecretStore::Result& key) {
        if (key.status != SecretStore::Status::Ok) {
            failed(key);
            return;
        }
        credentials->apiKey = key.secret.toStdString();
        store.read(secretKey(accountId, names.secret), [=, &store](const SecretStore::Result& secret) {
            if (secret.status != SecretStore::Status::Ok) {
                failed(secret);
                return;
            }
            credentials->secret = secret.secret.toStdString();
            if (!passphrase) {
                done(std::move(*credentials), {});
                return;
            }
            store.read(secretKey(accountId, names.passphrase), [=](const SecretStore::Result& phrase) {
                if (phrase.status != SecretStore::Status::Ok) {
                    failed(phrase);
                    return;
                }
                credentials->passphrase = phrase.secret.toStdString();
                done(std::move(*credentials), {});
            });
        });
    });
}

} // namespace mm::ui
