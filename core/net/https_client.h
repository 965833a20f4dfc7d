#pragma once

#include "net/tls_trust.h"
#include "net/ws_url.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace mm {

enum class HttpMethod {
    Get,
    Post,
    Put,
    Delete,
};

std::string_view httpMethodName(HttpMethod method);

/// GET, PUT and DELETE may be sent twice with the effect of once (RFC 9110 §9.2.2); POST may not —
/// a POST places an order.
bool isIdempotent(HttpMethod method);

/// What became of a request, as the caller must act on it.
enum class HttpOutcome {
    Ok,           ///< 2xx: the venue answered; the body says what it did (Bybit puts its own errors in a 200)
    RateLimited,  ///< 429: over the venue's request limit; back off for Retry-After
    Banned,       ///< 418: the venue has banned this address for a while (Binance, after ignored 429s)
    Unavailable,  ///< 503: the venue does not know whether it executed the request — check before repeating
    HttpError,    ///< any other status (400 bad request, 401 bad signature, 404, 5xx …); see the body
    Timeout,      ///< no complete answer in time: if `sent`, it may or may not have been executed
    NetworkError, ///< could not connect, the TLS certificate was refused, or the connection was lost
};

std::string_view httpOutcomeName(HttpOutcome outcome);

struct HttpRequest {
    HttpMethod method = HttpMethod::Get;
    std::string target; ///< path and query: "/fapi/v1/time", "/fapi/v1/order?symbol=BTCUSDT&…"
    /// Added to Host and User-Agent (margin-monitor): the venue's API key and signature headers.
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    /// Sent with a non-empty body. Binance's signed POSTs are form-encoded; OKX, Bybit and
    /// Hyperliquid take JSON.
    std::string contentType = "application/json";
    /// From the moment the request leaves the queue until its answer is complete — connecting and
    /// the TLS handshake included.
    std::chrono::milliseconds timeout{std::chrono::seconds(10)};
};

struct HttpResponse {
    HttpOutcome outcome = HttpOutcome::NetworkError;
    int status = 0; ///< the HTTP status; 0 when no answer came (Timeout, NetworkError)
    std::string body;
    /// Every header of the answer as sent; header() finds one by name.
    std::vector<std::pair<std::string, std::string>> headers;
    /// How long the venue asks to be left alone (Retry-After, in seconds or as a date), with 429 and 418.
    std::optional<std::chrono::seconds> retryAfter;
    /// What went wrong, in words; empty for Ok.
    std::string error;
    /// The request was written (in whole or in part) to a connection: without an answer, the venue
    /// may have executed it. False: it certainly was not.
    bool sent = false;
    /// The answer came on a keep-alive connection that had carried an earlier request.
    bool reused = false;
    /// From leaving the queue to the end of the answer (or the failure).
    std::chrono::nanoseconds elapsed{0};
    /// Spent in the queue behind earlier requests, before `elapsed` began.
    std::chrono::nanoseconds queued{0};

    /// The value of the first header called `name` (case-insensitive), nullopt if none.
    [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const;
};

/// Retry-After (RFC 9110 §10.2.3) in seconds: a number of seconds or an HTTP date (a date in the
/// past is 0). nullopt when it is neither.
std::optional<std::chrono::seconds> parseRetryAfter(std::string_view value, std::chrono::system_clock::time_point now);

/// The re-send rule, in one place: a request whose keep-alive connection is found closed by the venue
/// before any byte of the answer came back is sent once more on a fresh connection — only if the
/// connection had carried an earlier request (the venue closing an idle connection, a race no
/// client can avoid), only once, and only for an idempotent method. A POST never is: it may have
/// reached the venue, and a second order is worse than a lost one.
bool resendOnFreshConnection(HttpMethod method, bool connectionReused, bool anyAnswerByteReceived, int attempt);

/// What a client can tell about itself, for the status bar and the logs.
struct HttpsStats {
    std::uint64_t connectionsOpened = 0; ///< connected (and the TLS handshake done)
    std::uint64_t requestsSent = 0;      ///< requests written to a connection, re-sends included
    std::uint64_t resent = 0;            ///< of those, re-sent after a dead keep-alive connection
    std::string lastError;               ///< why the last request that did not end Ok failed, in words
};

struct HttpsOptions {
    HttpUrl url;
    /// The certificate authorities to trust: the system store unless the simulator's throw-away CA
    /// is given. Verification of the peer and its host name is never switched off.
    TlsTrust trust;
    /// An answer whose body is larger fails the request (Binance's exchangeInfo is a few MB).
    std::size_t maxBodyBytes = std::size_t(64) * 1024 * 1024;
};

/// REST requests to one venue over one persistent HTTP/1.1 connection (Boost.Beast over Asio; the
/// Beast example http_client_async_ssl is its skeleton):
///  - TLS 1.2+ with the peer's certificate and host name verified, and SNI, exactly as WsSession
///    does it; `http://` only to loopback;
///  - keep-alive: the connection carries request after request, and is opened again, transparently,
///    when the venue has closed it in between (checked before each use);
///  - requests queued first in, first out, one in flight; each has its own timeout, from leaving
///    the queue to the end of its answer;
///  - after a timeout the connection is discarded, so that a late answer can never be taken for
///    the next request's;
///  - 429, 418 and 503 come back as outcomes of their own, with Retry-After in seconds.
///
/// Sent twice? A keep-alive connection can turn out to be closed by the venue only once the request
/// is on it. When that happens before any byte of the answer, a GET, PUT or DELETE is sent once more
/// on a fresh connection; a POST is not — it ends NetworkError, `sent` true, with words saying it
/// may or may not have reached the venue. See resendOnFreshConnection().
///
/// Every request is answered exactly once (while the io_context runs), on the io_context's thread.
/// request(), close() and stats() may be called from any thread.
class HttpsClient {
public:
    using Callback = std::function<void(HttpResponse response)>;

    virtual ~HttpsClient() = default;

    /// Throws std::invalid_argument when the options cannot work: an unreadable CA file, http:// to
    /// a host that is not loopback.
    static std::shared_ptr<HttpsClient> create(boost::asio::io_context& io, HttpsOptions options);

    /// Queues the request. Throws std::invalid_argument, before anything is queued, for a target that
    /// does not start with "/" or holds spaces or control characters, and for header names or
    /// values with line breaks (what a symbol name must never smuggle into a request).
    virtual void request(HttpRequest request, Callback onResponse) = 0;
    /// Closes the connection. The request in flight and those queued are answered NetworkError
    /// (`sent` says whether the one in flight had gone out); later requests too, at once.
    virtual void close() = 0;
    [[nodiscard]] virtual HttpsStats stats() const = 0;
};

} // namespace mm
