#pragma once

#include "domain/account.h"
#include "domain/venue.h"
#include "sim/rest_api.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mm::sim {

class PriceBook;

/// What a simulated API key may do (the venues' read / trade / withdraw switches), and whether it is
/// bound to listed addresses. The permission endpoints report them in each venue's words.
struct ApiPermissions {
    bool read = true;
    bool trade = false;
    bool withdraw = false;
    bool ipRestricted = false; ///< reported bound to 127.0.0.1 (the simulator checks no address)
};

/// One API key the simulator knows: which venue it belongs to, its secret (and OKX's passphrase),
/// what it may do and the account it opens. The secret never leaves the simulator: it is neither
/// printed nor put in an answer. A Hyperliquid account has no key: `apiKey` is its wallet address
/// ("0x" and 40 hex digits, matched in any case) and the secret is unused.
struct SimulatedApiKey {
    Venue venue = Venue::Generic;
    std::string apiKey;
    std::string secret;
    std::string passphrase; ///< OKX only
    ApiPermissions permissions;
    Portfolio account; ///< positions valued at the simulator's current marks, not at their own
    /// A second key on another key's account (a trade key beside a read key): its orders move that
    /// key's positions; its own `account` is unused. Empty: the key opens its own account.
    std::string sharesAccountOf{};
};

/// One request as the private endpoints see it; header names compared case-insensitively.
struct PrivateRequest {
    std::string_view method;
    std::string_view target; ///< path and query
    std::string_view body;
    std::vector<std::pair<std::string, std::string>> headers;

    [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const;
};

/// The three keyed venues' private reads, their signatures checked as the venue checks them
/// (core/venues/<venue>/…_signing.h, compared with sameSignature()), against the simulated
/// exchange's clock `serverNowMs`:
///  - Binance `GET /fapi/v2/positionRisk`, `GET /fapi/v2/account`, `GET /fapi/v1/leverageBracket`
///    (the tiers the margin model uses for the key's positions, simulatedRiskTiers() for the rest;
///    JSON numbers; one object when `symbol` is given) and `GET /sapi/v1/account/apiRestrictions`
///    (which Binance serves on its spot host; the simulator serves every path on one port);
///  - Bybit `GET /v5/position/list`, `GET /v5/account/wallet-balance`, `GET /v5/user/query-api`;
///  - OKX `GET /api/v5/account/positions`, `GET /api/v5/account/balance`, `GET /api/v5/account/config`.
/// The permission endpoints report the key's ApiPermissions; Binance's and Bybit's answer a key
/// without read permission too, as the venues do ("any permission can access this endpoint").
/// A refused request gets the venue's own error code, message and HTTP status (Bybit: 200 with a
/// retCode).
///
/// Also Hyperliquid's `POST /info {"type":"clearinghouseState","user":"0x…"}` — public by address, no
/// signature: the account of the Hyperliquid key whose apiKey is that address, at the simulator's
/// marks; for an address the simulator does not know, what Hyperliquid answers for an address with
/// nothing (an empty state, every figure "0.0"); 422 for a user that is not an address. (Handled
/// here because the simulator asks this function before the public endpoints.)
///
/// nullopt when `target` is none of these (the public endpoints or 404 answer it).
std::optional<RestAnswer> privateRestAnswer(const PrivateRequest& request, const std::vector<SimulatedApiKey>& keys,
                                            PriceBook& book, std::int64_t serverNowMs);

/// The checks every signed request to `venue` passes first, as the venue makes them: the key, the
/// signature (Binance over query + body, Bybit over the query of a GET or the body of a POST, OKX
/// over timestamp + method + path + body) and the timestamp's window — not a permission, which is
/// the endpoint's to check. nullopt, with `key` set, when the request passes; the venue's own
/// refusal otherwise. For the order endpoints (sim/order_api.h).
std::optional<RestAnswer> authenticationRefusal(Venue venue, const PrivateRequest& request,
                                                const std::vector<SimulatedApiKey>& keys, std::int64_t serverNowMs,
                                                const SimulatedApiKey*& key);

} // namespace mm::sim
