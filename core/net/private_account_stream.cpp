#include "net/private_account_stream.h"

#include "net/https_client.h"
#include "venues/binance_usdm/binance_signing.h"
#include "venues/binance_usdm/binance_user_stream.h"
#include "venues/bybit_linear/bybit_private_stream.h"
#include "venues/bybit_linear/bybit_signing.h"
#include "venues/json_fields.h"
#include "venues/okx_swap/okx_private_stream.h"
#include "venues/okx_swap/okx_signing.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <mutex>
#include <stdexcept>

namespace mm {

namespace asio = boost::asio;

namespace {

std::string_view venueTitle(Venue venue)
{
    switch (venue) {
    case Venue::BinanceUsdm:
        return "Binance";
    case Venue::BybitLinear:
        return "Bybit";
    case Venue::OkxSwap:
        return "OKX";
    case Venue::Hyperliquid:
    case Venue::Generic:
        break;
    }
    return "the exchange";
}

std::int64_t localNowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// `text` with every occurrence of `secret` replaced (a listenKey in a URL in an error message).
std::string withoutSecret(std::string text, const std::string& secret, std::string_view replacement)
{
    if (secret.empty()) {
        return text;
    }
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + replacement.size())) {
        text.replace(at, secret.size(), replacement);
    }
    return text;
}

} // namespace

class PrivateAccountStream::Impl : public std::enable_shared_from_this<Impl> {
public:
    Impl(asio::io_context& io, Options options, Callbacks callbacks)
        : m_io(io), m_strand(asio::make_strand(io)), m_keepAliveTimer(m_strand), m_retryTimer(m_strand),
          m_options(std::move(options)), m_callbacks(std::move(callbacks))
    {
        if (m_options.venue != Venue::BinanceUsdm && m_options.venue != Venue::BybitLinear &&
            m_options.venue != Venue::OkxSwap) {
            throw std::invalid_argument("no private account stream for " + std::string(venueName(m_options.venue)));
        }
        if (m_options.credentials.apiKey.empty() ||
            (m_options.venue != Venue::BinanceUsdm && m_options.credentials.secret.empty()) ||
            (m_options.venue == Venue::OkxSwap && m_options.credentials.passphrase.empty())) {
            throw std::invalid_argument(std::string(venueTitle(m_options.venue)) +
                                        "'s private stream needs the API key" +
                                        (m_options.venue == Venue::BinanceUsdm ? "" : ", its secret") +
                                        (m_options.venue == Venue::OkxSwap ? " and its passphrase" : ""));
        }
        if (m_options.idleTimeout.count() <= 0) {
            m_options.idleTimeout = m_options.venue == Venue::BinanceUsdm ? std::chrono::minutes(4) : std::chrono::seconds(60);
        }
        if (m_options.venue == Venue::BinanceUsdm) {
            m_https = makeHttpsClient(); // here, so that an unusable CA file is refused at once
        }
    }

    void start()
    {
        m_stopped = false;
        asio::post(m_strand, [self = shared_from_this()] {
            if (self->m_stopped) {
                return;
            }
            if (self->m_options.venue == Venue::BinanceUsdm) {
                if (!self->m_https) {
                    self->m_https = self->makeHttpsClient(); // stop() closed the last one
                }
                self->requestListenKey();
            } else {
                self->openSession(std::string(self->m_options.venue == Venue::BybitLinear ? bybit_private_stream::kPath
                                                                                          : okx_private_stream::kPath));
            }
        });
    }

    void stop()
    {
        m_stopped = true;
        asio::post(m_strand, [self = shared_from_this()] {
            self->m_keepAliveTimer.cancel();
            self->m_retryTimer.cancel();
            if (self->m_session) {
                self->m_session->stop();
                self->m_session.reset();
            }
            if (self->m_https) {
                self->m_https->close(); // never a DELETE of the listenKey: other clients share it
                self->m_https.reset();
            }
        });
    }

    void reconnectNow()
    {
        asio::post(m_strand, [self = shared_from_this()] {
            if (self->m_session) {
                self->m_session->reconnectNow();
            }
        });
    }

    PrivateStreamStatus status() const
    {
        const std::lock_guard lock(m_statusMutex);
        return m_status;
    }

private:
    // ------------------------------------------------------------------------------------------
    // The connection

    std::shared_ptr<HttpsClient> makeHttpsClient()
    {
        HttpsOptions https;
        https.url = m_options.restBase;
        https.trust = m_options.trust;
        return HttpsClient::create(m_io, https);
    }

    void openSession(std::string target)
    {
        if (m_session) {
            m_session->stop();
        }
        const std::uint64_t generation = ++m_generation;
        WsOptions ws;
        ws.url = m_options.wsBase.withTarget(std::move(target));
        ws.trust = m_options.trust;
        ws.idleTimeout = m_options.idleTimeout;
        ws.backoffInitial = m_options.backoffInitial;
        if (m_options.venue == Venue::BybitLinear) {
            ws.keepAlive = {KeepAlive::Mode::SendEvery, bybit_private_stream::pingMessage(), std::chrono::seconds(20)};
        } else if (m_options.venue == Venue::OkxSwap) {
            ws.keepAlive = {KeepAlive::Mode::SendWhenIdle, std::string(okx_private_stream::kPing), std::chrono::seconds(25)};
        }
        // Nothing in openingMessages: the login is signed afresh on every connect (onOpen).
        std::weak_ptr<Impl> weak = shared_from_this();
        WsCallbacks callbacks;
        callbacks.onFrame = [weak, generation](std::string_view frame, MonotonicTime) {
            if (const auto self = weak.lock()) {
                asio::post(self->m_strand, [self, generation, text = std::string(frame)] { self->onFrame(generation, text); });
            }
        };
        callbacks.onStateChange = [weak, generation](const WsStats& stats) {
            if (const auto self = weak.lock()) {
                asio::post(self->m_strand, [self, generation, stats] { self->onWsState(generation, stats); });
            }
        };
        m_session = WsSession::create(m_io, std::move(ws), std::move(callbacks));
        m_session->start();
    }

    void onWsState(std::uint64_t generation, WsStats stats)
    {
        if (m_stopped || generation != m_generation) {
            return;
        }
        stats.lastError = withoutSecret(std::move(stats.lastError), m_listenKey, "<listenKey>");
        m_authenticated = false;
        m_subscribed = false;
        m_pendingAcks = 0;
        if (stats.state == ConnectionState::Open) {
            onOpen();
        } else if (stats.state == ConnectionState::Reconnecting && m_options.venue == Venue::BinanceUsdm) {
            keepListenKeyAlive(); // a key that died while we were away is replaced before the next attempt
        }
        m_stats = std::move(stats);
        reportState();
    }

    /// A new connection: Binance's is already tied to the key; Bybit and OKX log in, signed now on
    /// the venue's clock.
    void onOpen()
    {
        switch (m_options.venue) {
        case Venue::BinanceUsdm:
            m_authenticated = true;
            subscribed();
            return;
        case Venue::BybitLinear:
            m_session->send(bybit::wsAuthMessage(m_options.credentials.apiKey, m_options.credentials.secret,
                                                 venueNowMs() + m_options.authValidity.count()));
            return;
        case Venue::OkxSwap:
            m_session->send(okx::wsLoginMessage(m_options.credentials.apiKey, m_options.credentials.passphrase,
                                                m_options.credentials.secret, venueNowMs() / 1000));
            return;
        case Venue::Hyperliquid:
        case Venue::Generic:
            break;
        }
    }

    void onFrame(std::uint64_t generation, const std::string& frame)
    {
        if (m_stopped || generation != m_generation) {
            return;
        }
        AccountEvent event;
        switch (m_options.venue) {
        case Venue::BinanceUsdm:
            event = parseBinanceUserStream(frame);
            break;
        case Venue::BybitLinear:
            event = parseBybitPrivateStream(frame);
            break;
        case Venue::OkxSwap:
        case Venue::Hyperliquid:
        case Venue::Generic:
            event = parseOkxPrivateStream(frame, m_options.contractValue);
            break;
        }
        using Kind = AccountEvent::Kind;
        switch (event.kind) {
        case Kind::AuthAck:
            m_authenticated = true;
            m_pendingAcks = m_options.venue == Venue::OkxSwap ? 2 : 1;
            m_session->send(m_options.venue == Venue::OkxSwap ? okx_private_stream::subscribeMessage()
                                                              : bybit_private_stream::subscribeMessage());
            reportState();
            break;
        case Kind::AuthRefused:
            refused(event);
            break;
        case Kind::SubscribeAck:
            if (m_pendingAcks > 0 && --m_pendingAcks == 0) {
                subscribed();
            }
            break;
        case Kind::ListenKeyExpired:
            problem("Binance says the listenKey expired: asking for a new one");
            requestListenKey();
            break;
        case Kind::VenueError:
            problem(std::string(venueTitle(m_options.venue)) + " reported " + (event.code.empty() ? "" : event.code + " ") +
                    event.detail);
            if (m_options.venue == Venue::OkxSwap && event.code == "64008") {
                m_session->reconnectNow(); // "The connection will soon be closed for a service upgrade"
            }
            break;
        case Kind::Malformed:
            problem(std::string(venueTitle(m_options.venue)) + " sent a frame the monitor cannot read (" + event.detail +
                    "): " + venue_json::excerpt(withoutSecret(frame, m_listenKey, "<listenKey>")));
            break;
        case Kind::Pong:
        case Kind::Ignored:
            return;
        case Kind::PositionsSnapshot:
        case Kind::PositionsUpdate:
        case Kind::BalancesUpdate:
        case Kind::MarginCall:
            break;
        }
        if (m_callbacks.onEvent && !m_stopped) {
            m_callbacks.onEvent(event);
        }
    }

    void subscribed()
    {
        m_subscribed = true;
        reportState();
        if (m_everSubscribed && m_callbacks.onResubscribed && !m_stopped) {
            m_callbacks.onResubscribed();
        }
        m_everSubscribed = true;
    }

    /// The venue refused the key: say so in its words, and stop asking.
    void refused(const AccountEvent& event)
    {
        std::string words = std::string(venueTitle(m_options.venue)) + " refused the " +
                            m_options.credentials.describe() + ": " + (event.code.empty() ? "" : event.code + " ") +
                            event.detail;
        if (event.detail.find("expired") != std::string::npos) {
            words += " (the login's time is off from the venue's clock: check the clock offset)";
        }
        problem(words);
        m_authenticated = false;
        if (m_session) {
            m_session->stop();
        }
        reportState();
    }

    // ------------------------------------------------------------------------------------------
    // Binance's listenKey

    HttpRequest listenKeyRequest(HttpMethod method) const
    {
        HttpRequest request;
        request.method = method;
        request.target = std::string(binance_user_stream::kListenKeyPath);
        request.headers.emplace_back(std::string(binance::kApiKeyHeader), m_options.credentials.apiKey);
        return request;
    }

    /// POST: the account's live key (extended), or a new one; the stream is (re)opened on it.
    void requestListenKey()
    {
        if (m_postInFlight || m_stopped || !m_https) {
            return;
        }
        m_postInFlight = true;
        m_https->request(listenKeyRequest(HttpMethod::Post), [weak = weak_from_this()](HttpResponse response) {
            if (const auto self = weak.lock()) {
                asio::post(self->m_strand, [self, response = std::move(response)] { self->onListenKey(response); });
            }
        });
    }

    void onListenKey(const HttpResponse& response)
    {
        m_postInFlight = false;
        if (m_stopped) {
            return;
        }
        std::string why;
        const std::string key =
            response.outcome == HttpOutcome::Ok ? binance_user_stream::listenKeyFromAnswer(response.body, why) : std::string();
        if (key.empty()) {
            const bool refusedKey = response.status == 401 || response.status == 403;
            if (why.empty()) {
                std::string body;
                binance_user_stream::listenKeyFromAnswer(response.body, body);
                why = response.error.empty() ? body : response.error + (body.empty() ? "" : ": " + body);
            }
            if (refusedKey) {
                problem("Binance refused the " + m_options.credentials.describe() + ": " + why);
                return; // a wrong key does not get better by asking again
            }
            problem("Binance gave no listenKey (" + why + "): asking again in " +
                    std::to_string(m_options.listenKeyRetry.count()) + " ms");
            m_retryTimer.expires_after(m_options.listenKeyRetry);
            m_retryTimer.async_wait([weak = weak_from_this()](boost::system::error_code error) {
                if (const auto self = weak.lock(); self && !error) {
                    self->requestListenKey();
                }
            });
            return;
        }
        if (key != m_listenKey || !m_session) {
            m_listenKey = key;
            openSession(binance_user_stream::streamTarget(key));
        }
        scheduleKeepAlive();
    }

    void scheduleKeepAlive()
    {
        m_keepAliveTimer.expires_after(m_options.listenKeyKeepAlive);
        m_keepAliveTimer.async_wait([weak = weak_from_this()](boost::system::error_code error) {
            if (const auto self = weak.lock(); self && !error) {
                self->keepListenKeyAlive();
            }
        });
    }

    /// PUT: extends the key by 60 minutes. -1125: it is gone — POST for a new one. Never DELETE.
    void keepListenKeyAlive()
    {
        if (m_putInFlight || m_postInFlight || m_stopped || m_listenKey.empty() || !m_https) {
            return;
        }
        m_putInFlight = true;
        m_https->request(listenKeyRequest(HttpMethod::Put), [weak = weak_from_this()](HttpResponse response) {
            if (const auto self = weak.lock()) {
                asio::post(self->m_strand, [self, response = std::move(response)] { self->onKeptAlive(response); });
            }
        });
    }

    void onKeptAlive(const HttpResponse& response)
    {
        m_putInFlight = false;
        if (m_stopped) {
            return;
        }
        if (response.outcome == HttpOutcome::Ok) {
            std::string ignored;
            const std::string key = binance_user_stream::listenKeyFromAnswer(response.body, ignored);
            if (!key.empty() && key != m_listenKey) { // Binance answered with another key: follow it
                m_listenKey = key;
                openSession(binance_user_stream::streamTarget(key));
            }
            scheduleKeepAlive();
            return;
        }
        if (binance_user_stream::errorCode(response.body) == binance_user_stream::kListenKeyMissing) {
            problem("Binance no longer knows the listenKey (-1125): asking for a new one");
            requestListenKey();
            return;
        }
        problem("Binance did not extend the listenKey (" + (response.error.empty() ? response.body : response.error) +
                "): trying again later");
        m_keepAliveTimer.expires_after(m_options.listenKeyRetry);
        m_keepAliveTimer.async_wait([weak = weak_from_this()](boost::system::error_code error) {
            if (const auto self = weak.lock(); self && !error) {
                self->keepListenKeyAlive();
            }
        });
    }

    // ------------------------------------------------------------------------------------------

    [[nodiscard]] std::int64_t venueNowMs() const
    {
        return m_options.serverNowMs ? m_options.serverNowMs() : localNowMs();
    }

    void problem(const std::string& words)
    {
        if (m_callbacks.onProblem && !m_stopped) {
            m_callbacks.onProblem(withoutSecret(words, m_listenKey, "<listenKey>"));
        }
    }

    void reportState()
    {
        PrivateStreamStatus status{m_stats, m_authenticated, m_subscribed};
        {
            const std::lock_guard lock(m_statusMutex);
            m_status = status;
        }
        if (m_callbacks.onState && !m_stopped) {
            m_callbacks.onState(status);
        }
    }

    asio::io_context& m_io;
    asio::strand<asio::io_context::executor_type> m_strand;
    asio::steady_timer m_keepAliveTimer;
    asio::steady_timer m_retryTimer;
    Options m_options;
    Callbacks m_callbacks;
    std::shared_ptr<WsSession> m_session;
    std::shared_ptr<HttpsClient> m_https;
    std::uint64_t m_generation = 0; ///< callbacks of a replaced session are ignored
    std::string m_listenKey;
    WsStats m_stats;
    bool m_authenticated = false;
    bool m_subscribed = false;
    bool m_everSubscribed = false;
    int m_pendingAcks = 0;
    bool m_postInFlight = false;
    bool m_putInFlight = false;
    std::atomic<bool> m_stopped{true};
    mutable std::mutex m_statusMutex;
    PrivateStreamStatus m_status;
};

PrivateAccountStream::PrivateAccountStream(asio::io_context& io, Options options, Callbacks callbacks)
    : m_impl(std::make_shared<Impl>(io, std::move(options), std::move(callbacks)))
{
}

PrivateAccountStream::~PrivateAccountStream()
{
    m_impl->stop();
}

void PrivateAccountStream::start()
{
    m_impl->start();
}

void PrivateAccountStream::stop()
{
    m_impl->stop();
}

void PrivateAccountStream::reconnectNow()
{
    m_impl->reconnectNow();
}

PrivateStreamStatus PrivateAccountStream::status() const
{
    return m_impl->status();
}

} // namespace mm
