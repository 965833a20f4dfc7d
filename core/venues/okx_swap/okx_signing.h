#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mm::okx {

/// OKX v5's signed requests: headers OK-ACCESS-KEY, OK-ACCESS-PASSPHRASE, OK-ACCESS-TIMESTAMP (ISO
/// 8601 UTC with milliseconds) and OK-ACCESS-SIGN = base64 HMAC-SHA256(secret, timestamp + METHOD +
/// requestPath with its query + body).
struct SignedHeaders {
    std::string apiKey;
    std::string passphrase;
    std::string timestamp;
    std::string sign;
};

/// "2020-12-08T09:08:57.715Z" for a Unix time in ms.
std::string isoTimestamp(std::int64_t unixMs);

std::string signature(std::string_view secret, std::string_view timestamp, std::string_view method,
                      std::string_view requestPath, std::string_view body);

SignedHeaders signedHeaders(std::string_view apiKey, std::string_view passphrase, std::string_view secret,
                            std::int64_t unixMs, std::string_view method, std::string_view requestPath,
                            std::string_view body);

/// The private WebSocket's login: {"op":"login","args":[{"apiKey","passphrase","timestamp" (Unix
/// seconds),"sign": base64 HMAC(secret, timestamp + "GET" + "/users/self/verify")}]}.
std::string wsLoginMessage(std::string_view apiKey, std::string_view passphrase, std::string_view secret,
                           std::int64_t unixSeconds);

/// The signature wsLoginMessage() carries (the simulator recomputes it to check a login).
std::string wsLoginSignature(std::string_view secret, std::int64_t unixSeconds);

} // namespace mm::okx
