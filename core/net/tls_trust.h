#pragma once

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/system/error_code.hpp>

#include <openssl/ssl.h>

#include <memory>
#include <string>

namespace mm {

/// Which certificate authorities a client trusts. Empty: the system store (a real exchange). The
/// simulator's throw-away CA replaces it, as a file (tests) or as PEM text (the demo). Verification
/// of the peer's certificate and host name is never switched off, whatever is trusted.
struct TlsTrust {
    std::string caFile;
    std::string caPem;
};

/// A client TLS context: TLS 1.2 or newer, the peer verified against `trust`. Throws
/// std::invalid_argument naming what could not be loaded.
std::shared_ptr<boost::asio::ssl::context> makeClientTlsContext(const TlsTrust& trust);

bool isIpAddress(const std::string& host);

/// Before the handshake: names `host` for SNI (never an IP literal, RFC 6066) and has the handshake
/// check that the certificate is for it. False when OpenSSL refuses the name.
template <typename SslStream>
bool expectPeer(SslStream& stream, const std::string& host)
{
    if (!isIpAddress(host) && SSL_set_tlsext_host_name(stream.native_handle(), host.c_str()) != 1) {
        return false;
    }
    stream.set_verify_callback(boost::asio::ssl::host_name_verification(host));
    return true;
}

/// A failed handshake in words; a refused certificate says so plainly.
std::string describeTlsError(const boost::system::error_code& error);

} // namespace mm
