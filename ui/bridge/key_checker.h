#pragma once

#include "config/accounts_config.h"
#include "net/key_check.h"
#include "net/signed_request.h"
#include "net/tls_trust.h"

#include <QObject>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>

namespace mm::ui {

/// Checks exchange API keys for the settings dialog: checkApiKey (core/net/key_check.h) on a thread
/// of its own running a boost::asio::io_context, one HttpsClient per check made from the account's
/// endpointsFor() (mainnet, testnet or the custom URL), the answer handed back on the GUI thread.
///
/// Trust: mainnet and testnet always use the system's certificate authorities. A custom URL does
/// too, unless setCustomTrust() names others — the exchange simulator's throw-away CA in tests and
/// the demo; `http://` is accepted for loopback only (HttpUrl). Binance reports a key's permissions
/// on its spot host: on mainnet a second client asks https://api.binance.com; elsewhere the same
/// host is asked (the simulator and a proxy serve both; Binance's futures testnet has no such
/// endpoint, so permissions stay unknown there and checkApiKey says so).
///
/// Secrets stay in the ApiCredentials given to check(), which is kept until the check ended and
/// then overwritten; nothing here logs.
class KeyChecker : public QObject {
    Q_OBJECT
public:
    using Done = std::function<void(const KeyCheckResult& result)>;

    explicit KeyChecker(QObject* parent = nullptr);
    ~KeyChecker() override;
    KeyChecker(const KeyChecker&) = delete;
    KeyChecker& operator=(const KeyChecker&) = delete;

    /// The certificate authorities trusted for Custom-environment accounts (default: the system's).
    void setCustomTrust(TlsTrust trust) { m_customTrust = std::move(trust); }
    /// A check without an answer in this time ends with a problem saying so (default 45 s).
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }

    /// Starts checking `credentials` for `account` and `purpose`. `done` is called exactly once, on
    /// the thread that owns this object (the GUI thread), through a queued call — unless `context` is
    /// destroyed first, or this checker is. Problems before the venue is asked (no endpoints, a bad
    /// URL, a venue without keys) come back the same way, as a result that is not usable.
    void check(const AccountSettings& account, ApiCredentials credentials, KeyPurpose purpose, QObject* context, Done done);

    /// Checks started and not yet answered.
    [[nodiscard]] int running() const { return m_running; }

private:
    struct Worker;
    void deliver(std::uint64_t id, KeyCheckResult result);

    std::unique_ptr<Worker> m_worker; ///< the io_context and its thread
    TlsTrust m_customTrust;
    std::chrono::milliseconds m_timeout{std::chrono::seconds(45)};
    struct Pending;
    std::map<std::uint64_t, std::unique_ptr<Pending>> m_pending; ///< GUI thread only
    std::uint64_t m_nextId = 1;
    int m_running = 0;
};

} // namespace mm::ui
