#include "venues/bybit_linear/bybit_signing.h"

#include "net/signer.h"

#include <nlohmann/json.hpp>

namespace mm::bybit {

std::string signature(std::string_view secret, std::int64_t timestampMs, std::string_view apiKey,
                      std::int64_t recvWindowMs, std::string_view payload)
{
    std::string signedText = std::to_string(timestampMs);
    signedText.append(apiKey).append(std::to_string(recvWindowMs)).append(payload);
    return hmacSha256Hex(secret, signedText);
}

SignedHeaders signedHeaders(std::string_view apiKey, std::string_view secret, std::int64_t timestampMs,
                            std::string_view payload, std::int64_t recvWindowMs)
{
    return {std::string(apiKey), std::to_string(timestampMs), std::to_string(recvWindowMs),
            signature(secret, timestampMs, apiKey, recvWindowMs, payload)};
}

std::string wsAuthSignature(std::string_view secret, std::int64_t expiresMs)
{
    return hmacSha256Hex(secret, "GET/realtime" + std::to_string(expiresMs));
}

std::string wsAuthMessage(std::string_view apiKey, std::string_view secret, std::int64_t expiresMs,
                          std::string_view requestId)
{
    const nlohmann::json message{{"req_id", requestId},
                                 {"op", "auth"},
                                 {"args", {std::string(apiKey), expiresMs, wsAuthSignature(secret, expiresMs)}}};
    return message.dump();
}

} // namespace mm::bybit
