#pragma once

#include <memory>
#include <string>

namespace boost::asio::ssl {
class context;
}

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

} // namespace mm
