#pragma once

#include "config/accounts_config.h"
#include "engine/live_monitor.h"
#include "net/signed_request.h"

#include <string>
#include <optional>
#include <vector>

namespace mm {

/// An account the trader configured in Settings → Exchanges, with its read key as the keychain gave
/// it (empty for Hyperliquid, which is read by wallet address).
struct ConfiguredAccount {
    AccountSettings settings;
    ApiCredentials readKey;
    /// The separate trade key (settings.hasTradeKey), for deleveraging orders only; nullopt: none.
    std::optional<ApiCredentials> tradeKey{};
};

/// Adds the configured accounts to the live monitor's options: each account's REST reads in its
/// environment (mainnet, testnet or its custom URL) and the venue's public mark stream in the same
/// environment. An account that cannot be read is left out with the reason in `problems`, in the
/// settings dialog's words — a keyed venue without its key (the keychain had none, or none works
/// here), an environment the venue does not have; two accounts on one venue in different
/// environments share the first one's public stream, which is said too.
void addConfiguredAccounts(LiveMonitorOptions& options, const std::vector<ConfiguredAccount>& accounts,
                           std::vector<std::string>& problems);

} // namespace mm
