#pragma once

#include "engine/configured_accounts.h"

#include <QStringList>

#include <functional>
#include <vector>

namespace mm::ui {

class SecretStore;

/// Reads each configured account's read key from the OS keychain (dialogs/account_secrets.h names
/// the entries), one account after another, and hands over the accounts with their keys for
/// EngineHost::setConfiguredAccounts(). An account whose key cannot be read comes with an empty key
/// (the engine then leaves it out and says so) and the keychain's answer in `problems`; Hyperliquid
/// accounts need no key. `done` is called once, on the calling thread. The keys live in memory only
/// for as long as the engine reads the accounts; nothing here logs them.
void loadConfiguredAccounts(SecretStore& store, std::vector<AccountSettings> accounts,
                            std::function<void(std::vector<ConfiguredAccount> accounts, QStringList problems)> done);

} // namespace mm::ui
