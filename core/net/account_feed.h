#pragma once

#include "domain/instrument.h"
#include "net/https_client.h"
#include "net/server_clock.h"
#include "net/signed_request.h"
#include "venues/account_snapshot.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace boost::asio {
class io_context;
}

namespace mm {

/// How an account's REST reads are going, for the status bar and the Accounts tab.
struct AccountFeedStatus {
    enum class State {
        Starting,   ///< nothing read yet
        Ok,         ///< the latest read succeeded
        Retrying,   ///< the latest read failed (network, 503, a malformed answer); trying again
        RateLimited,///< the venue asked us to slow down (429, 418, Bybit 10006, OKX 50011)
        KeyRefused, ///< the venue refused the key or its permission: the trader must act
    };
    State state = State::Starting;
    std::uint64_t snapshots = 0;          ///< successful reads
    std::uint64_t failures = 0;
    std::optional<std::int64_t> clockOffsetMs; ///< the venue's clock minus this machine's
    std::string lastProblem;              ///< in words; never a secret
};

std::string_view accountFeedStateName(AccountFeedStatus::State state);

/// One account's REST reads, on the venue's clock: positions and balances at start, every
/// `refreshInterval` (30–60 s), and at once after refreshNow() — which the owner calls after every
/// reconnect of a stream, when what happened in between is unknown.
///
/// Keyed venues (Binance, Bybit, OKX): the venue's clock offset is measured first (and again every
/// `clockInterval`, and after a refused timestamp) and every request is signed on that clock
/// (signedRequest). Hyperliquid: `clearinghouseState` by wallet address, no key.
///
/// The venue's answers are read by the venue parsers (core/venues) into one AccountSnapshot, with
/// what the positions' instruments need: OKX contract values (instruments list, read once) and
/// Hyperliquid maximum leverages (meta, read once). A refused request is explained in words
/// (describeRefusal, explainTimestampRefusal); 429/418 wait out Retry-After. Nothing here ever
/// logs, returns or throws a secret.
///
/// Everything runs on the io_context's thread (one thread), callbacks included.
class AccountFeed {
public:
    struct Options {
        Venue venue = Venue::Generic;
        std::string label; ///< the trader's name for the account, for messages
        HttpsOptions rest; ///< the venue's REST base URL in the account's environment, and TLS trust
        ApiCredentials credentials; ///< keyed venues
        std::string walletAddress;  ///< Hyperliquid
        std::chrono::milliseconds refreshInterval{std::chrono::seconds(45)};
        std::chrono::milliseconds clockInterval{std::chrono::minutes(10)};
        /// After a failure that is not a rate limit, the next try comes this soon (then doubling up
        /// to refreshInterval).
        std::chrono::milliseconds retryInitial{std::chrono::seconds(2)};
    };
    struct Callbacks {
        /// A complete read: the account's positions (each with the venue's figures) and balances.
        std::function<void(const AccountSnapshot& snapshot)> onSnapshot;
        std::function<void(const AccountFeedStatus& status)> onStatus;
        std::function<void(const std::string& problem)> onProblem;
    };

    /// Throws std::invalid_argument for a venue without account reads (Generic), a keyed venue
    /// without a key, Hyperliquid without an address, or REST options HttpsClient refuses.
    AccountFeed(boost::asio::io_context& io, Options options, Callbacks callbacks);
    ~AccountFeed();
    AccountFeed(const AccountFeed&) = delete;
    AccountFeed& operator=(const AccountFeed&) = delete;

    void start();
    void stop();
    /// Reads again now (after a reconnect); a read under way is not doubled.
    void refreshNow();

    [[nodiscard]] Venue venue() const;
    [[nodiscard]] AccountFeedStatus status() const;
    /// The venue's time now in Unix ms, on the measured offset (for signing private-stream logins).
    [[nodiscard]] std::int64_t serverNowMs() const;
    /// OKX: an instrument's contract value as read from the instruments list (nullopt before the
    /// first read, or for an unknown instId). Call on the io thread.
    [[nodiscard]] std::optional<Decimal> contractValue(std::string_view instId) const;

private:
    struct State;
    std::shared_ptr<State> m_state;
};

} // namespace mm
