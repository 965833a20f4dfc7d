#pragma once

#include <array>
#include <string>
#include <string_view>

namespace mm {

/// HMAC-SHA256 through OpenSSL — what Binance, Bybit and OKX sign requests with. The venues' rules
/// (what is signed, and where the signature goes) live in core/venues/<venue>/…_signing.h.
///
/// Keys and secrets pass through here and nowhere else is logged: nothing in this file writes,
/// stores or formats them.
using Sha256Digest = std::array<unsigned char, 32>;

Sha256Digest hmacSha256(std::string_view secret, std::string_view message);

/// Lowercase hex (Binance, Bybit).
std::string toLowerHex(const Sha256Digest& digest);
/// Standard base64 with padding (OKX).
std::string toBase64(const Sha256Digest& digest);

inline std::string hmacSha256Hex(std::string_view secret, std::string_view message)
{
    return toLowerHex(hmacSha256(secret, message));
}
inline std::string hmacSha256Base64(std::string_view secret, std::string_view message)
{
    return toBase64(hmacSha256(secret, message));
}

/// Compares two signatures in time independent of where they differ (the simulator's checks).
bool sameSignature(std::string_view a, std::string_view b);

} // namespace mm
