#include "venues/okx_swap/okx_signing.h"

#include "net/signer.h"

#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace mm::okx {

std::string isoTimestamp(std::int64_t unixMs)
{
    const std::int64_t seconds = unixMs >= 0 ? unixMs / 1000 : (unixMs - 999) / 1000;
    const auto milliseconds = static_cast<int>(unixMs - seconds * 1000);
    const auto time = static_cast<std::time_t>(seconds);
    std::tm utc{};
    gmtime_r(&time, &utc);
    std::array<char, 40> text{};
    std::snprintf(text.data(), text.size(), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                  utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, milliseconds);
    return text.data();
}

std::string signature(std::string_view secret, std::string_view timestamp, std::string_view method,
                      std::string_view requestPath, std::string_view body)
{
    std::string signedText;
    signedText.reserve(timestamp.size() + method.size() + requestPath.size() + body.size());
    signedText.append(timestamp).append(method).append(requestPath).append(body);
    return hmacSha256Base64(secret, signedText);
}

SignedHeaders signedHeaders(std::string_view apiKey, std::string_view passphrase, std::string_view secret,
                            std::int64_t unixMs, std::string_view method, std::string_view requestPath,
                            std::string_view body)
{
    std::string timestamp = isoTimestamp(unixMs);
    std::string sign = signature(secret, timestamp, method, requestPath, body);
    return {std::string(apiKey), std::string(passphrase), std::move(timestamp), std::move(sign)};
}

std::string wsLoginSignature(std::string_view secret, std::int64_t unixSeconds)
{
    return signature(secret, std::to_string(unixSeconds), "GET", "/users/self/verify", "");
}

std::string wsLoginMessage(std::string_view apiKey, std::string_view passphrase, std::string_view secret,
                           std::int64_t unixSeconds)
{
    const nlohmann::json message{{"op", "login"},
                                 {"args",
                                  {{{"apiKey", apiKey},
                                    {"passphrase", passphrase},
                                    {"timestamp", std::to_string(unixSeconds)},
                                    {"sign", wsLoginSignature(secret, unixSeconds)}}}}};
    return message.dump();
}

} // namespace mm::okx
