#include "net/signer.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace mm {

Sha256Digest hmacSha256(std::string_view secret, std::string_view message)
{
    Sha256Digest digest{};
    unsigned int length = 0;
    const unsigned char* result =
        HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
             reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest.data(), &length);
    if (result == nullptr || length != digest.size()) {
        throw std::runtime_error("HMAC-SHA256 failed in OpenSSL");
    }
    return digest;
}

std::string toLowerHex(const Sha256Digest& digest)
{
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(digest.size() * 2);
    for (const unsigned char byte : digest) {
        hex.push_back(kDigits[byte >> 4]);
        hex.push_back(kDigits[byte & 0x0f]);
    }
    return hex;
}

std::string toBase64(const Sha256Digest& digest)
{
    std::string text(4 * ((digest.size() + 2) / 3), '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()), digest.data(), static_cast<int>(digest.size()));
    text.resize(static_cast<std::size_t>(written));
    return text;
}

bool sameSignature(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace mm
