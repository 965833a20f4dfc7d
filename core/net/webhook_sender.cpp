#include "net/webhook_sender.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <nlohmann/json.hpp>

#include <cctype>
#include <ctime>
#include <stdexcept>

namespace mm {
namespace {

std::string isoTime(std::int64_t wallTimeMs)
{
    const std::time_t seconds = static_cast<std::time_t>(wallTimeMs / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[96];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                  utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(wallTimeMs % 1000));
    return text;
}

nlohmann::ordered_json optionalNumber(const std::optional<double>& value)
{
    return value && std::isfinite(*value) ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

std::string upper(std::string_view text)
{
    std::string out(text);
    for (char& c : out) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

std::string subjectWords(const AlertEvent& alert)
{
    const std::string who = alert.subject.symbol.empty() ? std::string("account") : alert.subject.symbol;
    const std::string side = alert.subject.side ? (*alert.subject.side == Side::Long ? " long" : " short") : "";
    return who + side + " · " + alert.subject.accountLabel;
}

} // namespace

std::string alertWebhookJson(const AlertEvent& alert)
{
    const std::string title = (alert.change == AlertChange::Cleared ? std::string("CLEARED") : upper(alertLevelName(alert.level))) +
                              " " + subjectWords(alert);
    const nlohmann::ordered_json body{
        {"source", "margin-monitor"},
        {"change", alertChangeName(alert.change)},
        {"level", alertLevelName(alert.level)},
        {"rule", alertRuleKindName(alert.rule)},
        {"episode", alert.episode},
        {"venue", venueName(alert.subject.venue)},
        {"account", alert.subject.accountLabel},
        {"symbol", alert.subject.symbol},
        {"side", alert.subject.side ? nlohmann::ordered_json(*alert.subject.side == Side::Long ? "long" : "short")
                                    : nlohmann::ordered_json(nullptr)},
        {"title", title},
        {"message", alert.message},
        {"value", optionalNumber(alert.value)},
        {"threshold", alert.threshold},
        {"markPrice", optionalNumber(alert.markPrice)},
        {"liquidationPrice", optionalNumber(alert.liquidationPrice)},
        {"distanceToLiquidationPct", optionalNumber(alert.distancePct)},
        {"time", isoTime(alert.wallTimeMs)},
    };
    return body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

WebhookSender::WebhookSender(boost::asio::io_context& io, WebhookOptions options) : m_io(io), m_options(std::move(options))
{
    const auto scheme = m_options.url.find("://");
    if (scheme == std::string::npos) {
        throw std::invalid_argument("webhook \"" + m_options.url + "\": not a URL (https://host/path)");
    }
    const auto pathStart = m_options.url.find('/', scheme + 3);
    std::string problemText;
    const auto base = HttpUrl::parse(m_options.url.substr(0, pathStart), problemText);
    if (!base) {
        throw std::invalid_argument("webhook \"" + m_options.url + "\": " + problemText);
    }
    m_target = pathStart == std::string::npos ? std::string("/") : m_options.url.substr(pathStart);
    HttpsOptions client;
    client.url = *base;
    client.trust = m_options.trust;
    client.maxBodyBytes = 1024 * 1024;
    m_client = HttpsClient::create(io, std::move(client));
}

WebhookSender::~WebhookSender()
{
    *m_alive = false;
    m_client->close();
}

void WebhookSender::send(const AlertEvent& alert)
{
    if (alert.change == AlertChange::Acknowledged || alert.change == AlertChange::Snoozed) {
        return;
    }
    if (m_queue.size() >= m_options.maxQueued) {
        ++m_failed;
        problem("webhook: too many alerts waiting; dropped the oldest (" + m_queue.front().what + ")");
        m_queue.pop_front();
    }
    m_queue.push_back(Pending{alertWebhookJson(alert), std::string(alertLevelName(alert.level)) + " " + subjectWords(alert), 0});
    next();
}

void WebhookSender::next()
{
    if (m_inFlight || m_queue.empty()) {
        return;
    }
    m_inFlight = true;
    HttpRequest request;
    request.method = HttpMethod::Post;
    request.target = m_target;
    request.body = m_queue.front().body;
    request.timeout = m_options.timeout;
    ++m_queue.front().attempts;
    m_client->request(std::move(request), [this, alive = m_alive](HttpResponse response) {
        if (!*alive) {
            return;
        }
        m_inFlight = false;
        Pending& pending = m_queue.front();
        if (response.outcome == HttpOutcome::Ok) {
            ++m_delivered;
            m_queue.pop_front();
            next();
            return;
        }
        const std::string why = response.status != 0 ? "HTTP " + std::to_string(response.status) : response.error;
        if (pending.attempts >= m_options.maxAttempts) {
            ++m_failed;
            problem("webhook: could not deliver " + pending.what + " after " + std::to_string(pending.attempts) +
                    " attempts (" + why + ")");
            m_queue.pop_front();
            next();
            return;
        }
        // Tried again after a delay that doubles; the queue waits behind it, keeping the order.
        m_inFlight = true;
        auto timer = std::make_shared<boost::asio::steady_timer>(m_io);
        timer->expires_after(m_options.retryDelay * (1 << (pending.attempts - 1)));
        timer->async_wait([this, timer, alive = m_alive](boost::system::error_code) {
            if (!*alive) {
                return;
            }
            m_inFlight = false;
            next();
        });
    });
}

void WebhookSender::problem(const std::string& text)
{
    if (m_onProblem) {
        m_onProblem(text);
    }
}

} // namespace mm
