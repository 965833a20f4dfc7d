#pragma once

#include "alerts/alert_event.h"
#include "net/https_client.h"

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>

namespace boost::asio {
class io_context;
}

namespace mm {

/// The JSON an alert is posted as: {"source": "margin-monitor", "change", "level", "rule", "episode",
/// "venue", "account", "symbol", "side", "title", "message", "value", "threshold", "markPrice",
/// "liquidationPrice", "distanceToLiquidationPct", "time" (ISO 8601 UTC)}. "title" is one short line
/// for a phone's notification ("CRITICAL BTCUSDT long · Binance main").
std::string alertWebhookJson(const AlertEvent& alert);

struct WebhookOptions {
    /// https://host[:port]/path?query (http:// only to loopback): any push service's endpoint.
    std::string url;
    TlsTrust trust;
    int maxAttempts = 3;                              ///< per alert, with the delay doubling between them
    std::chrono::milliseconds retryDelay{std::chrono::seconds(2)};
    std::chrono::milliseconds timeout{std::chrono::seconds(10)};
    std::size_t maxQueued = 100;                      ///< beyond it the oldest waiting alert is dropped (and said)
};

/// Posts alerts to a webhook, one at a time, in order: a phone through any push service. Only what
/// should wake someone is posted — Raised, Escalated and Cleared; acknowledgements and snoozes are
/// the trader's own doing. A failed post (no answer, 4xx/5xx) is tried again after a delay, up to
/// maxAttempts; what could not be delivered is said through the problem callback, never silently
/// lost. Runs on the io_context's thread (the core thread); call send() there.
class WebhookSender {
public:
    /// Throws std::invalid_argument naming what is wrong with the URL.
    WebhookSender(boost::asio::io_context& io, WebhookOptions options);
    ~WebhookSender();
    WebhookSender(const WebhookSender&) = delete;
    WebhookSender& operator=(const WebhookSender&) = delete;

    void send(const AlertEvent& alert);
    void onProblem(std::function<void(const std::string&)> callback) { m_onProblem = std::move(callback); }

    [[nodiscard]] std::uint64_t delivered() const { return m_delivered; }
    [[nodiscard]] std::uint64_t failed() const { return m_failed; }
    [[nodiscard]] std::size_t waiting() const { return m_queue.size(); }

private:
    struct Pending {
        std::string body;
        std::string what; ///< "critical BTCUSDT" for messages
        int attempts = 0;
    };
    void next();
    void problem(const std::string& text);

    boost::asio::io_context& m_io;
    WebhookOptions m_options;
    std::string m_target;
    std::shared_ptr<HttpsClient> m_client;
    std::deque<Pending> m_queue;
    bool m_inFlight = false;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
    std::function<void(const std::string&)> m_onProblem;
    std::uint64_t m_delivered = 0;
    std::uint64_t m_failed = 0;
};

} // namespace mm
