#include "bridge/configured_accounts_loader.h"

#include "dialogs/account_secrets.h"
#include "keychain/secret_store.h"

#include <memory>

namespace mm::ui {

namespace {

struct Loading {
    std::vector<AccountSettings> pending;
    std::vector<ConfiguredAccount> loaded;
    QStringList problems;
    std::function<void(std::vector<ConfiguredAccount>, QStringList)> done;
};

void next(SecretStore& store, const std::shared_ptr<Loading>& loading)
{
    if (loading->pending.empty()) {
        auto done = std::move(loading->done);
        done(std::move(loading->loaded), std::move(loading->problems));
        return;
    }
    AccountSettings settings = std::move(loading->pending.front());
    loading->pending.erase(loading->pending.begin());
    if (!venueNeedsKey(settings.venue)) {
        loading->loaded.push_back({std::move(settings), {}, std::nullopt});
        next(store, loading);
        return;
    }
    const QString id = QString::fromStdString(settings.id);
    const Venue venue = settings.venue;
    readCredentials(store, id, venue, KeyPurpose::Read,
                    [&store, loading, settings = std::move(settings)](std::optional<ApiCredentials> credentials,
                                                                      const QString& problem) mutable {
                        if (!credentials) {
                            loading->problems << QStringLiteral("%1 account \"%2\": %3")
                                                     .arg(QString::fromUtf8(venueName(settings.venue).data()),
                                                          QString::fromStdString(settings.label), problem);
                        }
                        const bool wantsTrade = settings.hasTradeKey;
                        loading->loaded.push_back({std::move(settings), credentials.value_or(ApiCredentials{}), std::nullopt});
                        if (!wantsTrade) {
                            next(store, loading);
                            return;
                        }
                        // The trade key, read only when the account has one (deleveraging only).
                        const AccountSettings& loaded = loading->loaded.back().settings;
                        readCredentials(store, QString::fromStdString(loaded.id), loaded.venue, KeyPurpose::Trade,
                                        [&store, loading](std::optional<ApiCredentials> trade, const QString&) {
                                            loading->loaded.back().tradeKey = std::move(trade);
                                            next(store, loading);
                                        });
                    });
}

} // namespace

void loadConfiguredAccounts(SecretStore& store, std::vector<AccountSettings> accounts,
                            std::function<void(std::vector<ConfiguredAccount> accounts, QStringList problems)> done)
{
    auto loading = std::make_shared<Loading>();
    loading->pending = std::move(accounts);
    loading->done = std::move(done);
    next(store, loading);
}

} // namespace mm::ui
