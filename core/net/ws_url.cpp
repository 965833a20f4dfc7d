#include "net/ws_url.h"

#include <algorithm>
#include <charconv>

namespace mm {

bool isLoopbackHost(std::string_view host)
{
    if (host == "localhost" || host == "::1" || host == "[::1]") {
        return true;
    }
    // 127.x.y.z, digits only.
    if (host.rfind("127.", 0) != 0) {
        return false;
    }
    int dots = 0;
    for (char c : host) {
        if (c == '.') {
            ++dots;
        } else if (c < '0' || c > '9') {
            return false;
        }
    }
    return dots == 3;
}

namespace {

/// What WsUrl and HttpUrl share: `secure://host[:port]/target`, or `plain://` to a loopback host.
struct ParsedUrl {
    bool tls = true;
    std::string host;
    std::string port;
    std::string target;
};

std::optional<ParsedUrl> parseUrl(std::string_view url, std::string_view secureScheme, std::string_view plainScheme,
                                  std::string& problem)
{
    const std::string secure = std::string(secureScheme) + "://";
    const std::string plain = std::string(plainScheme) + "://";
    ParsedUrl result;
    std::string_view rest;
    if (url.rfind(secure, 0) == 0) {
        rest = url.substr(secure.size());
    } else if (url.rfind(plain, 0) == 0) {
        result.tls = false;
        rest = url.substr(plain.size());
    } else {
        problem = "must start with " + secure + " (or " + plain + " for a loopback address)";
        return std::nullopt;
    }
    const auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    result.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
    if (authority.empty()) {
        problem = "has no host";
        return std::nullopt;
    }
    std::string_view port;
    if (authority.front() == '[') { // [::1]:8443
        const auto close = authority.find(']');
        if (close == std::string_view::npos) {
            problem = "has an unclosed [ in its host";
            return std::nullopt;
        }
        result.host = std::string(authority.substr(1, close - 1));
        if (close + 1 < authority.size() && authority[close + 1] == ':') {
            port = authority.substr(close + 2);
        }
    } else {
        const auto colon = authority.rfind(':');
        result.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) {
            port = authority.substr(colon + 1);
        }
    }
    if (result.host.empty()) {
        problem = "has no host";
        return std::nullopt;
    }
    if (!port.empty()) {
        unsigned value = 0;
        const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (error != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
            problem = "has an invalid port \"" + std::string(port) + "\"";
            return std::nullopt;
        }
        result.port = std::string(port);
    } else {
        result.port = result.tls ? "443" : "80";
    }
    if (!result.tls && !isLoopbackHost(result.host)) {
        problem = "uses unencrypted " + plain + " to " + result.host + ": only loopback addresses may; use " + secure;
        return std::nullopt;
    }
    return result;
}

std::string hostForUrl(const std::string& host)
{
    const bool ipv6 = host.find(':') != std::string::npos;
    return ipv6 ? "[" + host + "]" : host;
}

} // namespace

std::optional<WsUrl> WsUrl::parse(std::string_view url, std::string& problem)
{
    auto parsed = parseUrl(url, "wss", "ws", problem);
    if (!parsed) {
        return std::nullopt;
    }
    return WsUrl{parsed->tls, std::move(parsed->host), std::move(parsed->port), std::move(parsed->target)};
}

WsUrl WsUrl::withTarget(std::string pathAndQuery) const
{
    WsUrl copy = *this;
    copy.target = pathAndQuery.empty() || pathAndQuery.front() != '/' ? "/" + pathAndQuery : std::move(pathAndQuery);
    return copy;
}

std::string WsUrl::toString() const
{
    return (tls ? "wss://" : "ws://") + hostForUrl(host) + ":" + port + target;
}

std::optional<HttpUrl> HttpUrl::parse(std::string_view url, std::string& problem)
{
    auto parsed = parseUrl(url, "https", "http", problem);
    if (!parsed) {
        return std::nullopt;
    }
    // The path belongs to each request: a base with one would be silently dropped or doubled.
    if (parsed->target != "/") {
        problem = "has a path or query \"" + parsed->target +
                  "\": give only the host and port; the path goes in each request";
        return std::nullopt;
    }
    return HttpUrl{parsed->tls, std::move(parsed->host), std::move(parsed->port)};
}

std::string HttpUrl::hostHeader() const
{
    const bool defaultPort = port == (tls ? "443" : "80");
    return defaultPort ? hostForUrl(host) : hostForUrl(host) + ":" + port;
}

std::string HttpUrl::toString() const
{
    return (tls ? "https://" : "http://") + hostForUrl(host) + ":" + port;
}

} // namespace mm
