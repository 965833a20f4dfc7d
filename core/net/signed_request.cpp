#include "net/signed_request.h"

#include "venues/binance_usdm/binance_signing.h"
#include "venues/bybit_linear/bybit_signing.h"
#include "venues/okx_swap/okx_signing.h"

#include <stdexcept>

namespace mm {

std::string ApiCredentials::describe() const
{
    constexpr std::size_t kShown = 4;
    if (apiKey.empty()) {
        return "no key";
    }
    return "key " + apiKey.substr(0, std::min(kShown, apiKey.size())) + "…";
}

HttpRequest signedRequest(Venue venue, HttpMethod method, std::string_view path, std::string_view query,
                          std::string_view body, const ApiCredentials& credentials, std::int64_t serverTimeMs)
{
    HttpRequest request;
    request.method = method;
    request.body = std::string(body);
    const std::string pathWithQuery = std::string(path) + (query.empty() ? "" : "?" + std::string(query));
    switch (venue) {
    case Venue::BinanceUsdm: {
        std::string signedPart(query);
        signedPart += (signedPart.empty() ? "" : "&") + std::string("recvWindow=") + std::to_string(kRecvWindowMs) +
                      "&timestamp=" + std::to_string(serverTimeMs);
        request.target = std::string(path) + "?" + binance::signedQuery(signedPart, body, credentials.secret);
        request.headers.emplace_back(std::string(binance::kApiKeyHeader), credentials.apiKey);
        request.contentType = "application/x-www-form-urlencoded";
        return request;
    }
    case Venue::BybitLinear: {
        const std::string_view payload = method == HttpMethod::Get ? query : body;
        const auto headers = bybit::signedHeaders(credentials.apiKey, credentials.secret, serverTimeMs, payload, kRecvWindowMs);
        request.target = pathWithQuery;
        request.headers = {{"X-BAPI-API-KEY", headers.apiKey},
                           {"X-BAPI-TIMESTAMP", headers.timestamp},
                           {"X-BAPI-RECV-WINDOW", headers.recvWindow},
                           {"X-BAPI-SIGN", headers.sign}};
        return request;
    }
    case Venue::OkxSwap: {
        request.target = pathWithQuery;
        const auto headers = okx::signedHeaders(credentials.apiKey, credentials.passphrase, credentials.secret, serverTimeMs,
                                                httpMethodName(method), request.target, body);
        request.headers = {{"OK-ACCESS-KEY", headers.apiKey},
                           {"OK-ACCESS-PASSPHRASE", headers.passphrase},
                           {"OK-ACCESS-TIMESTAMP", headers.timestamp},
                           {"OK-ACCESS-SIGN", headers.sign}};
        return request;
    }
    case Venue::Hyperliquid:
    case Venue::Generic:
        break;
    }
    throw std::invalid_argument(std::string(venueName(venue)) + " has no signed REST requests");
}

} // namespace mm
