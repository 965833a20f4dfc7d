#include "net/mark_price_feed.h"

#include "venues/json_fields.h"

#include <algorithm>
#include <stdexcept>

namespace mm {

MarkPriceFeed::MarkPriceFeed(boost::asio::io_context& io, Options options, Callbacks callbacks)
    : m_venue(options.venue), m_protocol(MarkPriceProtocol::forVenue(options.venue)), m_callbacks(std::move(callbacks))
{
    if (!m_protocol) {
        throw std::invalid_argument(std::string(venueName(options.venue)) + " has no mark-price stream");
    }
    m_protocol->setSymbols(streamable(std::move(options.symbols)));
    WsOptions ws;
    ws.url = options.baseUrl.withTarget(m_protocol->streamPath());
    ws.trust = std::move(options.trust);
    ws.idleTimeout = options.idleTimeout;
    ws.backoffInitial = options.backoffInitial;
    ws.keepAlive = m_protocol->keepAlive();
    ws.maxConnectionAge = options.maxConnectionAge.value_or(m_protocol->maxConnectionAge());
    ws.clock = options.clock;
    ws.openingMessages = m_protocol->subscribeMessages();
    WsCallbacks wsCallbacks;
    wsCallbacks.onFrame = [this](std::string_view frame, MonotonicTime receivedAt) { onFrame(frame, receivedAt); };
    wsCallbacks.onStateChange = [this](const WsStats& stats) {
        if (m_callbacks.onState) {
            m_callbacks.onState(stats);
        }
    };
    m_session = WsSession::create(io, std::move(ws), std::move(wsCallbacks));
}

MarkPriceFeed::~MarkPriceFeed()
{
    m_session->stop();
}

std::vector<std::string> MarkPriceFeed::streamable(std::vector<std::string> symbols)
{
    std::erase_if(symbols, [this](const std::string& symbol) {
        if (MarkPriceProtocol::isSymbolName(symbol)) {
            return false;
        }
        if (m_refusedNames.insert(symbol).second) { // said once, however often an account read brings it back
            m_unstreamable.push_back(std::string(venueName(m_venue)) + ": no mark prices for \"" + venue_json::excerpt(symbol) +
                                     "\": not a symbol name the exchange could list (letters, digits, - _ . :)");
        }
        return true;
    });
    return symbols;
}

void MarkPriceFeed::reportUnstreamable()
{
    for (std::string& problem : m_unstreamable) {
        {
            const std::lock_guard lock(m_countersMutex);
            ++m_counters.unstreamable;
            m_counters.lastProblem = problem;
        }
        if (m_callbacks.onProblem) {
            m_callbacks.onProblem(problem);
        }
    }
    m_unstreamable.clear();
}

void MarkPriceFeed::start()
{
    reportUnstreamable(); // said now, once there is someone to hear it
    m_session->start();
}

void MarkPriceFeed::stop()
{
    m_session->stop();
}

void MarkPriceFeed::watch(const std::vector<std::string>& symbols)
{
    std::vector<std::string> all = m_protocol->symbols();
    std::vector<std::string> added;
    for (const std::string& symbol : streamable(symbols)) {
        if (std::find(all.begin(), all.end(), symbol) == all.end()) {
            all.push_back(symbol);
            added.push_back(symbol);
        }
    }
    reportUnstreamable();
    if (added.empty()) {
        return;
    }
    m_protocol->setSymbols(std::move(all));
    m_session->changeSubscriptions(m_protocol->streamPath(), m_protocol->subscribeMessages(),
                                   m_protocol->runtimeSubscribeMessages(added));
}

WsStats MarkPriceFeed::connection() const
{
    return m_session->stats();
}

FeedCounters MarkPriceFeed::counters() const
{
    const std::lock_guard lock(m_countersMutex);
    return m_counters;
}

void MarkPriceFeed::onFrame(std::string_view frame, MonotonicTime receivedAt)
{
    m_ticks.clear();
    const FeedMessage message = m_protocol->parse(frame, receivedAt, m_ticks);
    std::string problem;
    {
        const std::lock_guard lock(m_countersMutex);
        ++m_counters.frames;
        m_counters.ticks += m_ticks.size();
        switch (message.kind) {
        case FeedMessage::Kind::Malformed:
            ++m_counters.malformed;
            problem = "malformed frame from " + std::string(venueName(m_venue)) + ": " + message.detail;
            if (std::string excerpt = venue_json::excerpt(frame); message.detail.find(excerpt) == std::string::npos) {
                problem += " [" + excerpt + "]"; // the frame itself, unless the detail quotes it already
            }
            break;
        case FeedMessage::Kind::VenueError:
            ++m_counters.venueErrors;
            problem = std::string(venueName(m_venue)) + " reported an error: " + message.detail;
            break;
        case FeedMessage::Kind::Notice:
            ++m_counters.notices;
            problem = std::string(venueName(m_venue)) + " notice: " + message.detail;
            break;
        case FeedMessage::Kind::Ticks:
        case FeedMessage::Kind::SubscribeAck:
        case FeedMessage::Kind::Pong:
        case FeedMessage::Kind::Ignored:
            break;
        }
        if (!problem.empty()) {
            m_counters.lastProblem = problem;
        }
    }
    if (!problem.empty() && m_callbacks.onProblem) {
        m_callbacks.onProblem(problem);
    }
    if (message.kind == FeedMessage::Kind::Notice) {
        m_session->rollOverNow(); // OKX 64008: the connection closes soon; move before it does, without a gap
    }
    if (m_callbacks.onTick) {
        for (const MarkTick& tick : m_ticks) {
            m_callbacks.onTick(tick);
        }
    }
}

} // namespace mm
