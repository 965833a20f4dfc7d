#include "net/https_client.h"

#include "money/clock.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <algorithm>
#include <charconv>
#include <deque>
#include <mutex>
#include <stdexcept>

namespace mm {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

std::string_view httpMethodName(HttpMethod method)
{
    switch (method) {
    case HttpMethod::Get:
        return "GET";
    case HttpMethod::Post:
        return "POST";
    case HttpMethod::Put:
        return "PUT";
    case HttpMethod::Delete:
        return "DELETE";
    }
    return "unknown";
}

bool isIdempotent(HttpMethod method)
{
    switch (method) {
    case HttpMethod::Get:
    case HttpMethod::Put:
    case HttpMethod::Delete:
        return true;
    case HttpMethod::Post:
        return false;
    }
    return false;
}

std::string_view httpOutcomeName(HttpOutcome outcome)
{
    switch (outcome) {
    case HttpOutcome::Ok:
        return "ok";
    case HttpOutcome::RateLimited:
        return "rate limited";
    case HttpOutcome::Banned:
        return "banned";
    case HttpOutcome::Unavailable:
        return "unavailable";
    case HttpOutcome::HttpError:
        return "HTTP error";
    case HttpOutcome::Timeout:
        return "timeout";
    case HttpOutcome::NetworkError:
        return "network error";
    }
    return "unknown";
}

std::optional<std::string_view> HttpResponse::header(std::string_view name) const
{
    for (const auto& [field, value] : headers) {
        if (beast::iequals(field, name)) {
            return std::string_view(value);
        }
    }
    return std::nullopt;
}

namespace {

std::string_view trimmed(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

std::optional<int> digits(std::string_view text)
{
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < 0) {
        return std::nullopt;
    }
    return value;
}

/// IMF-fixdate, the HTTP date every sender must use: "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 §5.6.7).
std::optional<std::chrono::system_clock::time_point> parseHttpDate(std::string_view text)
{
    if (text.size() != 29 || text[3] != ',' || text[4] != ' ' || text[7] != ' ' || text[11] != ' ' || text[16] != ' ' ||
        text[19] != ':' || text[22] != ':' || text.substr(25) != " GMT") {
        return std::nullopt;
    }
    constexpr std::string_view kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
    const auto monthAt = kMonths.find(text.substr(8, 3));
    const auto day = digits(text.substr(5, 2));
    const auto year = digits(text.substr(12, 4));
    const auto hour = digits(text.substr(17, 2));
    const auto minute = digits(text.substr(20, 2));
    const auto second = digits(text.substr(23, 2));
    if (monthAt == std::string_view::npos || monthAt % 3 != 0 || !day || !year || !hour || !minute || !second ||
        *hour > 23 || *minute > 59 || *second > 60) {
        return std::nullopt;
    }
    const std::chrono::year_month_day date{std::chrono::year(*year),
                                           std::chrono::month(static_cast<unsigned>(monthAt / 3 + 1)),
                                           std::chrono::day(static_cast<unsigned>(*day))};
    if (!date.ok()) {
        return std::nullopt;
    }
    return std::chrono::sys_days(date) + std::chrono::hours(*hour) + std::chrono::minutes(*minute) +
           std::chrono::seconds(*second);
}

} // namespace

std::optional<std::chrono::seconds> parseRetryAfter(std::string_view value, std::chrono::system_clock::time_point now)
{
    value = trimmed(value);
    if (value.empty()) {
        return std::nullopt;
    }
    if (const auto seconds = digits(value)) {
        return std::chrono::seconds(*seconds);
    }
    const auto date = parseHttpDate(value);
    if (!date) {
        return std::nullopt;
    }
    return std::max(std::chrono::seconds(0), std::chrono::ceil<std::chrono::seconds>(*date - now));
}

bool resendOnFreshConnection(HttpMethod method, bool connectionReused, bool anyAnswerByteReceived, int attempt)
{
    return connectionReused && !anyAnswerByteReceived && attempt == 0 && isIdempotent(method);
}

namespace {

using Strand = asio::strand<asio::io_context::executor_type>;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

constexpr std::string_view kUserAgent = "margin-monitor";

http::verb verbOf(HttpMethod method)
{
    switch (method) {
    case HttpMethod::Get:
        return http::verb::get;
    case HttpMethod::Post:
        return http::verb::post;
    case HttpMethod::Put:
        return http::verb::put;
    case HttpMethod::Delete:
        return http::verb::delete_;
    }
    return http::verb::get;
}

bool hasControlCharacter(std::string_view text, bool spaceToo)
{
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f || (spaceToo && byte == ' ')) {
            return true;
        }
    }
    return false;
}

/// Refuses what would let a caller's text (a symbol name, a client order id) split the request.
void checkRequest(const HttpRequest& request)
{
    if (request.target.empty() || request.target.front() != '/' || hasControlCharacter(request.target, true)) {
        throw std::invalid_argument(
            "HTTP request target \"" + request.target +
            "\" must start with / and hold no spaces or control characters (percent-encode them)");
    }
    for (const auto& [name, value] : request.headers) {
        if (name.empty() || hasControlCharacter(name, true) || name.find(':') != std::string::npos ||
            value.find_first_of("\r\n") != std::string::npos) {
            throw std::invalid_argument("HTTP header \"" + name +
                                        "\" has a name or value that would break the request");
        }
    }
    if (hasControlCharacter(request.contentType, false)) {
        throw std::invalid_argument("HTTP content type \"" + request.contentType + "\" holds control characters");
    }
}

/// One connection: its stream and read buffer. Handlers hold it alive, so a retired connection is
/// freed only once its last operation has completed.
template <typename Stream> struct Connection {
    template <typename... Args> explicit Connection(Args&&... args) : stream(std::forward<Args>(args)...) {}
    Stream stream;
    beast::flat_buffer buffer;
    bool open = false; ///< connected, TLS handshake done
};

struct Queued {
    HttpRequest request;
    HttpsClient::Callback callback;
    MonotonicTime queuedAt;
};

/// The request on the wire. Handlers hold it alive: the message and parser they use outlive them
/// even when a timeout has already answered the request.
struct InFlight {
    HttpRequest request;
    HttpsClient::Callback callback;
    http::request<http::string_body> message;
    std::optional<http::response_parser<http::string_body>> parser;
    MonotonicTime queuedAt;
    MonotonicTime startedAt;
    int attempt = 0;     ///< 1 once re-sent on a fresh connection
    bool sent = false;   ///< written, in whole or in part, to some connection
    bool reused = false; ///< the current attempt runs on a connection that carried an earlier request
};

template <typename Stream>
class BasicHttpsClient final : public HttpsClient, public std::enable_shared_from_this<BasicHttpsClient<Stream>> {
public:
    BasicHttpsClient(asio::io_context& io, HttpsOptions options, std::shared_ptr<ssl::context> tls)
        : m_strand(asio::make_strand(io)), m_resolver(m_strand), m_deadline(m_strand), m_options(std::move(options)),
          m_tls(std::move(tls))
    {
    }

    void request(HttpRequest request, Callback onResponse) override
    {
        checkRequest(request);
        Queued queued{std::move(request), std::move(onResponse), std::chrono::steady_clock::now()};
        asio::post(m_strand, [self = this->shared_from_this(), queued = std::move(queued)]() mutable {
            if (self->m_closed) {
                HttpResponse refused;
                refused.error =
                    "not sent: the connection to " + self->m_options.url.host + " was closed by this program";
                return self->answer(queued.callback, std::move(refused));
            }
            self->m_queue.push_back(std::move(queued));
            self->startNext();
        });
    }

    void close() override
    {
        asio::post(m_strand, [self = this->shared_from_this()] {
            if (self->m_closed) {
                return;
            }
            self->m_closed = true;
            self->m_resolver.cancel();
            self->retire(self->m_connection);
            if (const auto current = self->m_current) {
                HttpResponse closed;
                closed.error = current->sent
                                   ? "closed by this program while waiting for the answer: the request may or "
                                     "may not have been executed"
                                   : "closed by this program before the request was sent";
                self->finish(current, std::move(closed));
            }
            while (!self->m_queue.empty()) {
                Queued queued = std::move(self->m_queue.front());
                self->m_queue.pop_front();
                HttpResponse closed;
                closed.error =
                    "not sent: the connection to " + self->m_options.url.host + " was closed by this program";
                closed.queued = std::chrono::steady_clock::now() - queued.queuedAt;
                self->answer(queued.callback, std::move(closed));
            }
        });
    }

    [[nodiscard]] HttpsStats stats() const override
    {
        const std::lock_guard lock(m_statsMutex);
        return m_stats;
    }

private:
    using ConnectionPtr = std::shared_ptr<Connection<Stream>>;
    using InFlightPtr = std::shared_ptr<InFlight>;
    static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

    /// Handlers for a request already answered, or a connection no longer current, do nothing.
    [[nodiscard]] bool live(const ConnectionPtr& connection, const InFlightPtr& current) const
    {
        return !m_closed && current && current == m_current && connection && connection == m_connection;
    }

    ConnectionPtr makeConnection()
    {
        if constexpr (kTls) {
            return std::make_shared<Connection<Stream>>(m_strand, *m_tls);
        } else {
            return std::make_shared<Connection<Stream>>(m_strand);
        }
    }

    /// The next request in the queue goes on the wire, if none is in flight.
    void startNext()
    {
        if (m_closed || m_current || m_queue.empty()) {
            return;
        }
        Queued next = std::move(m_queue.front());
        m_queue.pop_front();
        auto current = std::make_shared<InFlight>();
        current->request = std::move(next.request);
        current->callback = std::move(next.callback);
        current->queuedAt = next.queuedAt;
        current->startedAt = std::chrono::steady_clock::now();
        current->message = buildMessage(current->request);
        m_current = current;
        m_deadline.expires_after(current->request.timeout);
        m_deadline.async_wait([self = this->shared_from_this(), current](beast::error_code error) {
            if (!error && !self->m_closed && current == self->m_current) {
                self->timedOut(current);
            }
        });
        dispatch(current);
    }

    http::request<http::string_body> buildMessage(const HttpRequest& request) const
    {
        http::request<http::string_body> message{verbOf(request.method), request.target, 11};
        message.set(http::field::host, m_options.url.hostHeader());
        message.set(http::field::user_agent, kUserAgent);
        for (const auto& [name, value] : request.headers) {
            message.set(name, value);
        }
        if (!request.body.empty()) {
            message.set(http::field::content_type, request.contentType);
            message.body() = request.body;
        }
        message.prepare_payload();
        return message;
    }

    /// On the kept-alive connection if the venue has not closed it while it was idle, else on a new one.
    void dispatch(const InFlightPtr& current)
    {
        if (m_connection && m_connection->open && idleAndOpen(*m_connection)) {
            current->reused = true;
            return write(m_connection, current);
        }
        retire(m_connection);
        current->reused = false;
        connect(current);
    }

    /// An idle connection has nothing to read: no bytes nobody asked for, no end of stream, no reset.
    /// Looked at without reading, so that a venue (or its load balancer) closing an idle connection
    /// costs a reconnect, not a failed or doubled request.
    static bool idleAndOpen(Connection<Stream>& connection)
    {
        if (connection.buffer.size() != 0) {
            return false;
        }
        auto& socket = beast::get_lowest_layer(connection.stream).socket();
        beast::error_code error;
        socket.non_blocking(true, error);
        if (error) {
            return false;
        }
        char byte = 0;
        (void)socket.receive(asio::buffer(&byte, 1), tcp::socket::message_peek, error);
        beast::error_code ignored;
        socket.non_blocking(false, ignored);
        return error == asio::error::would_block;
    }

    void connect(const InFlightPtr& current)
    {
        auto connection = makeConnection();
        m_connection = connection;
        m_resolver.async_resolve(
            m_options.url.host, m_options.url.port,
            [self = this->shared_from_this(), connection, current](beast::error_code error,
                                                                   tcp::resolver::results_type results) {
                if (!self->live(connection, current)) {
                    return;
                }
                if (error) {
                    return self->failed(connection, current,
                                        "cannot resolve " + self->m_options.url.host + ": " + error.message());
                }
                beast::get_lowest_layer(connection->stream)
                    .async_connect(
                        results, [self, connection, current](beast::error_code connectError, const tcp::endpoint&) {
                            if (!self->live(connection, current)) {
                                return;
                            }
                            if (connectError) {
                                return self->failed(connection, current,
                                                    "cannot connect to " + self->m_options.url.host + ":" +
                                                        self->m_options.url.port + ": " + connectError.message());
                            }
                            self->secure(connection, current);
                        });
            });
    }

    void secure(const ConnectionPtr& connection, const InFlightPtr& current)
    {
        if constexpr (kTls) {
            const std::string& host = m_options.url.host;
            if (!expectPeer(connection->stream, host)) {
                return failed(connection, current, "cannot set the TLS server name for " + host);
            }
            connection->stream.async_handshake(ssl::stream_base::client, [self = this->shared_from_this(), connection,
                                                                          current](beast::error_code error) {
                if (!self->live(connection, current)) {
                    return;
                }
                if (error) {
                    return self->failed(connection, current,
                                        "TLS handshake with " + self->m_options.url.host +
                                            " failed: " + describeTlsError(error));
                }
                self->opened(connection, current);
            });
        } else {
            opened(connection, current);
        }
    }

    void opened(const ConnectionPtr& connection, const InFlightPtr& current)
    {
        connection->open = true;
        {
            const std::lock_guard lock(m_statsMutex);
            ++m_stats.connectionsOpened;
        }
        write(connection, current);
    }

    void write(const ConnectionPtr& connection, const InFlightPtr& current)
    {
        current->sent = true;
        current->parser.emplace();
        current->parser->body_limit(m_options.maxBodyBytes);
        {
            const std::lock_guard lock(m_statsMutex);
            ++m_stats.requestsSent;
        }
        http::async_write(connection->stream, current->message,
                          [self = this->shared_from_this(), connection, current](beast::error_code error, std::size_t) {
                              if (!self->live(connection, current)) {
                                  return;
                              }
                              if (error) {
                                  return self->lost(connection, current, error);
                              }
                              self->read(connection, current);
                          });
    }

    void read(const ConnectionPtr& connection, const InFlightPtr& current)
    {
        http::async_read(connection->stream, connection->buffer, *current->parser,
                         [self = this->shared_from_this(), connection, current](beast::error_code error, std::size_t) {
                             if (!self->live(connection, current)) {
                                 return;
                             }
                             if (error) {
                                 return self->lost(connection, current, error);
                             }
                             self->answered(connection, current);
                         });
    }

    void answered(const ConnectionPtr& connection, const InFlightPtr& current)
    {
        http::response<http::string_body> message = current->parser->release();
        if (!message.keep_alive()) {
            retire(connection); // the venue said Connection: close (or spoke HTTP/1.0)
        }
        HttpResponse response;
        response.status = static_cast<int>(message.result_int());
        response.body = std::move(message.body());
        for (const auto& field : message) {
            response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
        }
        if (const auto retryAfter = response.header("Retry-After")) {
            response.retryAfter = parseRetryAfter(*retryAfter, std::chrono::system_clock::now());
        }
        const std::string& host = m_options.url.host;
        // The reason phrase only when it says something: a Beast server sends "<unknown-status>" for
        // statuses it has no phrase for, 418 among them.
        const std::string_view reason = message.reason();
        const std::string status =
            std::to_string(response.status) +
            (reason.empty() || reason.front() == '<' ? std::string() : " " + std::string(reason));
        const std::string retry = response.retryAfter
                                      ? ", retry after " + std::to_string(response.retryAfter->count()) + " s"
                                      : std::string();
        if (response.status >= 200 && response.status < 300) {
            response.outcome = HttpOutcome::Ok;
        } else if (response.status == 429) {
            response.outcome = HttpOutcome::RateLimited;
            response.error = host + " is rate-limiting this address (HTTP " + status + ")" + retry;
        } else if (response.status == 418) {
            response.outcome = HttpOutcome::Banned;
            response.error =
                host + " has banned this address for ignoring its rate limit (HTTP " + status + ")" + retry;
        } else if (response.status == 503) {
            response.outcome = HttpOutcome::Unavailable;
            response.error = host + " is unavailable (HTTP " + status +
                             "): it does not know whether it executed the request; check before sending it again";
        } else {
            response.outcome = HttpOutcome::HttpError;
            response.error = host + " answered HTTP " + status;
        }
        finish(current, std::move(response));
    }

    /// The connection failed after the request was written to it, or while writing.
    void lost(const ConnectionPtr& connection, const InFlightPtr& current, const beast::error_code& error)
    {
        const bool answerStarted = (current->parser && current->parser->got_some()) || connection->buffer.size() != 0;
        retire(connection);
        const HttpMethod method = current->request.method;
        if (resendOnFreshConnection(method, current->reused, answerStarted, current->attempt)) {
            ++current->attempt;
            current->reused = false;
            {
                const std::lock_guard lock(m_statsMutex);
                ++m_stats.resent;
            }
            return connect(current);
        }
        const std::string& host = m_options.url.host;
        HttpResponse response;
        if (current->reused && !answerStarted && !isIdempotent(method)) {
            response.error = "the kept-alive connection to " + host + " was " + describeLoss(error) +
                             " before any answer: the " + std::string(httpMethodName(method)) +
                             " may or may not have reached the venue, and is not sent again";
        } else if (error == http::error::body_limit) {
            response.error = "the answer from " + host + " is larger than " + std::to_string(m_options.maxBodyBytes) +
                             " bytes; the request may or may not have been executed";
        } else {
            response.error = "connection to " + host + " " + describeLoss(error) +
                             " while waiting for the answer: the request may or may not have been executed";
        }
        finish(current, std::move(response));
    }

    static std::string describeLoss(const beast::error_code& error)
    {
        if (error == http::error::end_of_stream || error == asio::error::eof || error == ssl::error::stream_truncated) {
            return "closed by the server";
        }
        if (error == asio::error::connection_reset || error == asio::error::broken_pipe) {
            return "reset by the server";
        }
        return "lost (" + error.message() + ")";
    }

    /// Could not connect or secure the connection: nothing was sent on it.
    void failed(const ConnectionPtr& connection, const InFlightPtr& current, std::string why)
    {
        retire(connection);
        HttpResponse response;
        response.error = current->sent ? why + "; the first attempt may or may not have been executed" : std::move(why);
        finish(current, std::move(response));
    }

    void timedOut(const InFlightPtr& current)
    {
        m_resolver.cancel();
        retire(m_connection); // a late answer must never be taken for the next request's
        const std::string within = std::to_string(current->request.timeout.count()) + " ms";
        HttpResponse response;
        response.outcome = HttpOutcome::Timeout;
        response.error = current->sent ? "no complete answer from " + m_options.url.host + " within " + within +
                                             ": the request may or may not have been executed"
                                       : "could not connect to " + m_options.url.host + " within " + within +
                                             ": the request was not sent";
        finish(current, std::move(response));
    }

    /// Answers the request in flight and starts the next one.
    void finish(const InFlightPtr& current, HttpResponse response)
    {
        m_deadline.cancel();
        m_current = nullptr;
        response.sent = current->sent;
        response.reused = current->reused;
        response.elapsed = std::chrono::steady_clock::now() - current->startedAt;
        response.queued = current->startedAt - current->queuedAt;
        // Taken out of the request, so that what it holds goes with the answer, not with the last
        // handler of a retired connection.
        const Callback callback = std::move(current->callback);
        answer(callback, std::move(response));
        startNext();
    }

    void answer(const Callback& callback, HttpResponse response)
    {
        if (response.outcome != HttpOutcome::Ok) {
            const std::lock_guard lock(m_statsMutex);
            m_stats.lastError = response.error;
        }
        if (callback) {
            callback(std::move(response));
        }
    }

    /// Closes a connection for good; its pending handlers find it no longer live.
    void retire(const ConnectionPtr& connection)
    {
        if (connection) {
            beast::error_code ignored;
            beast::get_lowest_layer(connection->stream).socket().close(ignored);
            connection->open = false;
        }
        if (connection == m_connection) {
            m_connection = nullptr;
        }
    }

    Strand m_strand;
    tcp::resolver m_resolver;
    asio::steady_timer m_deadline; ///< the request in flight's timeout
    HttpsOptions m_options;
    std::shared_ptr<ssl::context> m_tls;
    ConnectionPtr m_connection; ///< kept alive between requests
    std::deque<Queued> m_queue;
    InFlightPtr m_current; ///< the one request on the wire
    bool m_closed = false;
    mutable std::mutex m_statsMutex;
    HttpsStats m_stats;
};

} // namespace

std::shared_ptr<HttpsClient> HttpsClient::create(asio::io_context& io, HttpsOptions options)
{
    if (options.url.host.empty()) {
        throw std::invalid_argument("the REST address has no host");
    }
    // HttpUrl::parse refuses this already; an HttpUrl put together by hand must not slip past.
    if (!options.url.tls && !isLoopbackHost(options.url.host)) {
        throw std::invalid_argument("unencrypted http:// to " + options.url.host +
                                    " is refused: only loopback addresses may; use https://");
    }
    if (options.url.tls) {
        auto tls = makeClientTlsContext(options.trust);
        return std::make_shared<BasicHttpsClient<TlsStream>>(io, std::move(options), std::move(tls));
    }
    return std::make_shared<BasicHttpsClient<PlainStream>>(io, std::move(options), nullptr);
}

} // namespace mm
