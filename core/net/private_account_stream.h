#pragma once

#include "net/signed_request.h"
#include "net/tls_trust.h"
#include "net/ws_session.h"
#include "net/ws_url.h"
#include "venues/account_event.h"
#include "venues/okx_swap/okx_account.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace boost::asio {
class io_context;
}

namespace mm {

/// What a private account stream can tell about itself, for the status bar.
struct PrivateStreamStatus {
    WsStats ws; ///< the connection (a listenKey never appears in lastError)
    /// The venue accepted the key on the current connection (Bybit `auth`, OKX `login`; Binance: the
    /// stream opened on a live listenKey).
    bool authenticated = false;
    bool subscribed = false; ///< every subscription of the current connection was confirmed
};

/// One account's private stream on a keyed venue: position, balance and margin-call events as the
/// venue pushes them, kept connected and authenticated for as long as it runs.
///  - Binance USDⓈ-M: `POST /fapi/v1/listenKey` (API-key header only), the stream at
///    `/private/ws?listenKey=<key>&events=ACCOUNT_UPDATE/MARGIN_CALL`, `PUT` every 30 minutes.
///    Never `DELETE`: the key is shared with every other client of the account (the trader's bots),
///    and deleting it would end their streams too. On -1125 or a listenKeyExpired event the key is
///    POSTed again and the stream reopened on the new one; a lost connection has its key checked
///    (PUT) before the next attempt, so a key that died offline is replaced.
///  - Bybit `/v5/private`: on every (re)connect `auth` with expires = the venue's time + a few
///    seconds (Options::serverNowMs, so that the measured clock offset applies), and only after its
///    success reply `position` and `wallet` are subscribed; `ping` every 20 s.
///  - OKX `/ws/v5/private`: `login`, then after the login event `positions` (SWAP) and
///    `liquidation-warning`; the text `ping` when idle.
/// A refused key stops the stream (problem in words naming the venue's answer, never the secret):
/// retrying a wrong key gets nothing but a locked key; the owner restarts it once the trader fixed
/// the key or the clock. After every re-authentication that follows a lost connection (Binance: a
/// reopened stream), onResubscribed is called once the subscriptions are confirmed: events may have
/// been missed, so the owner reads the REST snapshot again.
///
/// Venue margin calls arrive as AccountEvent::Kind::MarginCall: a confirmation to show and journal,
/// never a trigger (the monitor's own evaluation of the mark stream is).
///
/// Callbacks run on the io_context's thread, one at a time. start(), stop() and reconnectNow() may
/// be called from any thread; after stop() (called on the io thread, or once the io_context has
/// stopped) no callback runs.
class PrivateAccountStream {
public:
    struct Options {
        Venue venue = Venue::Generic; ///< BinanceUsdm, BybitLinear or OkxSwap
        WsUrl wsBase;                 ///< the venue's private WebSocket host; the path is the venue's
        HttpUrl restBase;             ///< Binance: the REST host for the listenKey
        TlsTrust trust;               ///< see WsOptions::trust
        ApiCredentials credentials;
        /// The venue's clock in Unix ms (this machine's plus the measured offset, ServerClockOffset);
        /// null: this machine's clock. Bybit's `expires` and OKX's login timestamp are taken on it.
        std::function<std::int64_t()> serverNowMs;
        std::chrono::milliseconds authValidity{std::chrono::seconds(5)}; ///< Bybit: expires = now + this
        std::chrono::milliseconds listenKeyKeepAlive{std::chrono::minutes(30)};
        /// Binance: how long to wait before asking for a listenKey again after a failed request.
        std::chrono::milliseconds listenKeyRetry{std::chrono::seconds(5)};
        /// 0: the venue's default (Binance 4 minutes — it pings every 3 —, Bybit and OKX 60 s).
        std::chrono::milliseconds idleTimeout{0};
        std::chrono::milliseconds backoffInitial{std::chrono::milliseconds(250)};
        /// OKX: contracts → base units (ctVal from the instrument list).
        OkxContractValue contractValue;
    };
    struct Callbacks {
        std::function<void(const AccountEvent& event)> onEvent; ///< positions, balances, margin calls, acks
        std::function<void(const PrivateStreamStatus& status)> onState;
        std::function<void(const std::string& problem)> onProblem; ///< in words; never a secret
        std::function<void()> onResubscribed; ///< re-authenticated after a reconnect: re-read REST
    };

    /// Throws std::invalid_argument for a venue without a private stream, missing credentials or an
    /// unusable CA file.
    PrivateAccountStream(boost::asio::io_context& io, Options options, Callbacks callbacks);
    ~PrivateAccountStream();
    PrivateAccountStream(const PrivateAccountStream&) = delete;
    PrivateAccountStream& operator=(const PrivateAccountStream&) = delete;

    void start();
    void stop();
    /// Drops the connection as if the network had (tests).
    void reconnectNow();
    [[nodiscard]] PrivateStreamStatus status() const;

private:
    class Impl;
    std::shared_ptr<Impl> m_impl;
};

} // namespace mm
