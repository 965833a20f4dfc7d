#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mm::bybit {

/// Bybit v5's signed requests: four headers — X-BAPI-API-KEY, X-BAPI-TIMESTAMP (ms),
/// X-BAPI-RECV-WINDOW and X-BAPI-SIGN = lowercase hex HMAC-SHA256(secret, timestamp + apiKey +
/// recvWindow + payload), the payload being the query string of a GET or the JSON body of a POST.
struct SignedHeaders {
    std::string apiKey;
    std::string timestamp;
    std::string recvWindow;
    std::string sign;
};

inline constexpr std::int64_t kDefaultRecvWindowMs = 5000;

std::string signature(std::string_view secret, std::int64_t timestampMs, std::string_view apiKey,
                      std::int64_t recvWindowMs, std::string_view payload);

SignedHeaders signedHeaders(std::string_view apiKey, std::string_view secret, std::int64_t timestampMs,
                            std::string_view payload, std::int64_t recvWindowMs = kDefaultRecvWindowMs);

/// The private WebSocket's first message: {"req_id":…,"op":"auth","args":[apiKey, expires,
/// hex HMAC(secret, "GET/realtime" + expires)]}, `expiresMs` a Unix time in ms a few seconds ahead.
std::string wsAuthMessage(std::string_view apiKey, std::string_view secret, std::int64_t expiresMs,
                          std::string_view requestId = "auth");

/// The signature wsAuthMessage() carries (the simulator recomputes it to check a login).
std::string wsAuthSignature(std::string_view secret, std::int64_t expiresMs);

} // namespace mm::bybit
