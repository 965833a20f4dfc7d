#pragma once

#include "domain/venue.h"
#include "net/signed_request.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mm {

class HttpsClient;

/// What a key is meant for: reading positions (every account has one), or trading — the separate
/// key used only to deleverage.
enum class KeyPurpose { Read, Trade };

/// What the venue says a key may do. A switch the venue does not report is nullopt, never a guess.
struct KeyPermissions {
    bool canRead = false;              ///< a signed position read succeeded
    std::optional<bool> canTrade;      ///< futures / derivatives trading
    std::optional<bool> canWithdraw;   ///< moving funds off the exchange
    std::optional<bool> ipRestricted;  ///< usable only from listed addresses
};

/// The outcome of checking a key against its venue, in the settings dialog's words.
struct KeyCheckResult {
    /// The key works for its purpose: it can read positions (Read), or read and trade (Trade).
    bool usable = false;
    KeyPermissions permissions;
    /// Why the key cannot be used, naming what the venue said (a wrong key, a wrong secret or
    /// passphrase, no read permission, the clock, the network); empty when usable.
    std::string problem;
    /// Things the trader should act on though the key works: a read key that can also trade; a key
    /// without an IP restriction.
    std::vector<std::string> warnings;
    /// The loud one: this key can withdraw funds. Set whenever canWithdraw is true.
    std::string withdrawWarning;
};

/// Checks a key on its venue over `client` (whose base URL is the venue's REST host in the account's
/// environment): measures the venue's clock (requestServerTime), makes a signed position read, then
/// asks the venue what the key may do (Binance `GET /sapi/v1/account/apiRestrictions`, Bybit
/// `GET /v5/user/query-api`, OKX `GET /api/v5/account/config`). `done` is called once, on the
/// client's io thread. Secrets go into signatures only: nothing here logs or returns them.
/// Binance reports permissions on its spot host (api.binance.com), not the futures host: pass a
/// client of that host as `permissionsClient`; null asks `client` (the simulator and custom URLs
/// serve both). Throws std::invalid_argument for Hyperliquid and Generic, which have no keys.
void checkApiKey(HttpsClient& client, Venue venue, const ApiCredentials& credentials, KeyPurpose purpose,
                 std::function<void(KeyCheckResult result)> done, HttpsClient* permissionsClient = nullptr);

} // namespace mm
