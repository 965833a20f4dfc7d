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

/// What a simulated API key may do (the venues' read / trade / withdraw switches).
struct ApiPermissions {
    bool read = true;
    bool trade = false;
    bool withdraw = false;
};

/// One API key the simulator knows: which venue it belongs to, its secret (and OKX's passphrase),
/// what it may do and the account it opens. The secret never leaves the simulator: it is neither
/// printed nor put in an answer.
struct SimulatedApiKey {
    Venue venue = Venue::Generic;
    std::string apiKey;
    std::string secret;
    std::string passphrase; ///< OKX only
    ApiPermissions permissions;
    Portfolio account; ///< positions valued at the simulator's current marks, not at their own
};

/// One request as the private endpoints see it; header names compared case-insensitively.
struct PrivateRequest {
    std::string_view method;
    std::string_view target; ///< path and query
    std::string_view body;
    std::vector<std::pair<std::string, std::string>> headers;

    [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const;
};

/// The three keyed venues' private account reads, their signatures checked as the venue checks
/// them (core/venues/<venue>/…_signing.h, compared with sameSignature()), against the simulated
/// exchange's clock `serverNowMs`:
///  - Binance `GET /fapi/v2/positionRisk`, `GET /fapi/v2/account`;
///  - Bybit `GET /v5/position/list`, `GET /v5/account/wallet-balance`;
///  - OKX `GET /api/v5/account/positions`, `GET /api/v5/account/balance`.
/// A refused request gets the venue's own error code, message and HTTP status (Bybit: 200 with a
/// retCode). nullopt when `target` is none of these (the public endpoints or 404 answer it).
std::optional<RestAnswer> privateRestAnswer(const PrivateRequest& request, const std::vector<SimulatedApiKey>& keys,
                                            PriceBook& book, std::int64_t serverNowMs);

} // namespace mm::sim
