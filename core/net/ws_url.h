#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mm {

/// A WebSocket address: `wss://host[:port]/path?query`, or `ws://` to a loopback host only — traffic
/// to anything else is always encrypted and verified.
struct WsUrl {
    bool tls = true;
    std::string host;
    std::string port;   ///< "443" for wss and "80" for ws when not given
    std::string target; ///< path and query, at least "/"

    /// nullopt (and `problem` in words) for anything else; ws:// to a non-loopback host is refused.
    static std::optional<WsUrl> parse(std::string_view url, std::string& problem);
    /// The same address with another path and query.
    [[nodiscard]] WsUrl withTarget(std::string pathAndQuery) const;
    [[nodiscard]] std::string toString() const;
};

/// A REST venue's base address: `https://host[:port]`, or `http://` to a loopback host only — as for
/// WsUrl, traffic to anything else is always encrypted and verified. The path goes in each request.
struct HttpUrl {
    bool tls = true;
    std::string host;
    std::string port; ///< "443" for https and "80" for http when not given

    /// nullopt (and `problem` in words) for anything else: http:// to a non-loopback host, a path
    /// or query after the host (a trailing "/" alone is fine).
    static std::optional<HttpUrl> parse(std::string_view url, std::string& problem);
    /// The Host header's value: the port only when it is not the scheme's default.
    [[nodiscard]] std::string hostHeader() const;
    [[nodiscard]] std::string toString() const;
};

/// 127.0.0.0/8, ::1 or "localhost".
bool isLoopbackHost(std::string_view host);

} // namespace mm
