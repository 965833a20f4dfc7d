#pragma once

#include "domain/venue.h"
#include "net/https_client.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace mm {

/// What a keyed venue needs to sign a request: the API key, its secret and (OKX only) the
/// passphrase. Held only in memory, as briefly as the caller can manage, and never printed: there is
/// deliberately no way to stream or format it, and describe() shows the key's first characters only.
struct ApiCredentials {
    std::string apiKey;
    std::string secret;
    std::string passphrase; ///< OKX only

    /// "key abcd…" — enough for the trader to tell keys apart in a message; never the secret.
    [[nodiscard]] std::string describe() const;
    [[nodiscard]] bool empty() const { return apiKey.empty() || secret.empty(); }
};

/// The signing window asked for where the venue lets the client choose it (Binance recvWindow,
/// Bybit X-BAPI-RECV-WINDOW); OKX's is fixed at 30 s.
inline constexpr std::int64_t kRecvWindowMs = 5000;

/// A request signed as `venue` requires (core/venues/<venue>/…_signing.h), its timestamp
/// `serverTimeMs` — the venue's clock, see ServerClockOffset, never this machine's raw clock:
///  - Binance: `query` gains recvWindow, timestamp and, last, signature over query + body; the key
///    in X-MBX-APIKEY; a body is form-encoded;
///  - Bybit: X-BAPI-API-KEY, -TIMESTAMP, -RECV-WINDOW, -SIGN over the query (GET) or the JSON body;
///  - OKX: OK-ACCESS-KEY, -PASSPHRASE, -TIMESTAMP (ISO ms), -SIGN over timestamp + method + path
///    with query + body.
/// `path` starts with "/", `query` has no "?". Throws std::invalid_argument for a venue without
/// signed requests (Hyperliquid reads by address; its orders are signed on-chain).
HttpRequest signedRequest(Venue venue, HttpMethod method, std::string_view path, std::string_view query,
                          std::string_view body, const ApiCredentials& credentials, std::int64_t serverTimeMs);

} // namespace mm
