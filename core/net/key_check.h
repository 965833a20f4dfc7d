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
    /// without an IP restriction; permissions the venue did not report; a clock that could not be
    /// measured.
    std::vector<std::string> warnings;
    /// The loud one: this key can withdraw funds. Set whenever canWithdraw is true.
    std::string withdrawWarning;
};

/// Checks a key on its venue over `client` (whose base URL is the venue's REST host in the account's
/// environment): measures the venue's clock (requestServerTime; if that fails, this machine's clock
/// is used and a warning says so), makes a signed position read (Binance `GET /fapi/v2/positionRisk`,
/// Bybit `GET /v5/position/list?category=linear&settleCoin=USDT`, OKX `GET /api/v5/account/positions?
/// instType=SWAP`) timed on the venue's clock, then asks the venue what the key may do (Binance
/// `GET /sapi/v1/account/apiRestrictions`, Bybit `GET /v5/user/query-api`, OKX
/// `GET /api/v5/account/config`).
///
/// A refused read is the problem, in words naming what the venue said (its code and message): an
/// unknown key, a wrong secret (bad signature), a wrong OKX passphrase, no read permission, an
/// address not on the key's list, an expired key, a refused timestamp (explainTimestampRefusal),
/// rate limiting (Bybit's retCode 10006 in an HTTP 200 included), the network. A permission
/// endpoint that fails — 404, unreachable, refusing, an answer that cannot be read — leaves those
/// permissions nullopt with a warning that they could not be checked; they are never guessed. A
/// Trade key that the venue says cannot trade is not usable.
///
/// `done` is called once, on the client's io thread. Secrets go into signatures only: nothing here
/// logs or returns them, the venue's own words are cleaned of the whole key before they are shown,
/// and the check's copy of the credentials is cleared before `done` runs.
/// Binance reports permissions on its spot host (api.binance.com), not the futures host: pass a
/// client of that host as `permissionsClient`; null asks `client` (the simulator and custom URLs
/// serve both). Throws std::invalid_argument for Hyperliquid and Generic, which have no keys.
void checkApiKey(HttpsClient& client, Venue venue, const ApiCredentials& credentials, KeyPurpose purpose,
                 std::function<void(KeyCheckResult result)> done, HttpsClient* permissionsClient = nullptr);

} // namespace mm
