#include "venues/binance_usdm/binance_signing.h"

#include "net/signer.h"

namespace mm::binance {

std::string signature(std::string_view query, std::string_view body, std::string_view secret)
{
    std::string signedText;
    signedText.reserve(query.size() + body.size());
    signedText.append(query).append(body);
    return hmacSha256Hex(secret, signedText);
}

std::string signedQuery(std::string_view query, std::string_view body, std::string_view secret)
{
    std::string result(query);
    result.append(result.empty() ? "signature=" : "&signature=").append(signature(query, body, secret));
    return result;
}

} // namespace mm::binance
