#pragma once

#include <string>
#include <string_view>

namespace mm::binance {

/// Binance's signed requests (USDⓈ-M futures): the API key travels in this header; the query gets
/// `timestamp` and `recvWindow`, and last of all `signature` = lowercase hex HMAC-SHA256(secret,
/// query string + request body).
inline constexpr std::string_view kApiKeyHeader = "X-MBX-APIKEY";

/// `query&signature=…` (the signature appended last, as Binance requires). `query` already holds
/// timestamp and recvWindow; `body` is the form body of a POST or PUT ("" for a GET).
std::string signedQuery(std::string_view query, std::string_view body, std::string_view secret);

/// The signature alone (the simulator recomputes it to check a request).
std::string signature(std::string_view query, std::string_view body, std::string_view secret);

} // namespace mm::binance
