#pragma once

#include <string>

namespace mm::sim {

/// A certificate authority made on the spot, and a server certificate it signed for 127.0.0.1 and
/// localhost, all PEM text held in memory only (valid for a day; EC P-256, SHA-256). The demo's
/// simulator serves TLS with it and the demo's clients trust only this CA, so that the demo runs the
/// same verified TLS path as a real exchange.
struct ThrowawayCertificates {
    std::string authorityPem;         ///< what the clients trust
    std::string serverCertificatePem; ///< what the simulator presents
    std::string serverKeyPem;         ///< the simulator's private key

    /// Throws std::runtime_error naming the OpenSSL step that failed.
    static ThrowawayCertificates make();
};

} // namespace mm::sim
