#include "venues/binance_usdm/binance_mark_prices.h"

#include "money/exact_json.h"
#include "venues/json_fields.h"

#include <algorithm>
#include <cctype>

namespace mm {

using json = nlohmann::json;
namespace vj = venue_json;

namespace {

constexpr std::string_view kAllMarketStream = "!markPrice@arr@1s";

/// One markPriceUpdate object → a tick; false (and `problem`) when it is not one.
bool readUpdate(const json& update, ReceiveTime receivedAt, MarkTick& tick, std::string& problem)
{
    if (!update.is_object()) {
        problem = "an update is " + describeJsonType(update) + ", not an object";
        return false;
    }
    auto symbol = vj::symbol(update, "s", problem);
    const auto mark = vj::price(update, "p", problem);
    tick.indexPrice = vj::optionalDecimal(update, "i", problem);
    tick.fundingRate = vj::optionalDecimal(update, "r", problem);
    tick.exchangeTimeMs = vj::timeMs(update, "E", problem);
    if (!symbol || !mark || !problem.empty()) {
        return false;
    }
    tick.venue = Venue::BinanceUsdm;
    tick.symbol = std::move(*symbol);
    tick.markPrice = *mark;
    tick.receivedAt = receivedAt;
    return true;
}

} // namespace

std::string BinanceMarkPrices::streamName(std::string_view symbol)
{
    std::string name(symbol);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    return name + "@markPrice@1s";
}

std::string BinanceMarkPrices::streamPath() const
{
    const auto& symbols = this->symbols();
    if (symbols.size() > kAllMarketThreshold) {
        return "/market/stream?streams=" + std::string(kAllMarketStream);
    }
    std::string path = "/market/stream?streams=";
    for (std::size_t i = 0; i < symbols.size(); ++i) {
        path += (i == 0 ? "" : "/") + streamName(symbols[i]);
    }
    return path;
}

std::vector<std::string> BinanceMarkPrices::runtimeSubscribeMessages(const std::vector<std::string>& added) const
{
    json params = json::array();
    if (symbols().size() > kAllMarketThreshold) {
        params.push_back(kAllMarketStream);
    } else {
        for (const std::string& symbol : added) {
            params.push_back(streamName(symbol));
        }
    }
    if (params.empty()) {
        return {};
    }
    return {json{{"method", "SUBSCRIBE"}, {"params", params}, {"id", ++m_requestId}}.dump()};
}

std::vector<std::string> BinanceMarkPrices::subscribeMessages() const
{
    // The streams are named in the URL: nothing to send. (At run time one would send
    // {"method":"SUBSCRIBE","params":["btcusdt@markPrice@1s"],"id":1}.)
    return {};
}

KeepAlive BinanceMarkPrices::keepAlive() const
{
    return {KeepAlive::Mode::AnswerServerPings, {}, std::chrono::minutes(3)};
}

FeedMessage BinanceMarkPrices::parse(std::string_view frame, ReceiveTime receivedAt, std::vector<MarkTick>& ticks)
{
    std::string problem;
    const auto document = vj::parseFrame(frame, problem);
    if (!document) {
        return {FeedMessage::Kind::Malformed, problem};
    }
    const json* payload = &*document;
    if (const json* data = vj::member(*document, "data"); data != nullptr && vj::member(*document, "stream") != nullptr) {
        payload = data; // combined stream: {"stream":"btcusdt@markPrice@1s","data":{…}}
    } else if (vj::member(*document, "id") != nullptr && vj::member(*document, "result") != nullptr) {
        return {FeedMessage::Kind::SubscribeAck, {}};
    } else if (const json* error = vj::member(*document, "error"); error != nullptr) {
        return {FeedMessage::Kind::VenueError, error->dump()};
    } else if (vj::member(*document, "code") != nullptr && vj::member(*document, "msg") != nullptr) {
        return {FeedMessage::Kind::VenueError, document->dump()};
    }

    if (payload->is_array()) {
        // The all-market stream: every symbol in one frame. A broken element is reported, the
        // others still count.
        std::size_t kept = 0;
        for (const json& update : *payload) {
            MarkTick tick;
            std::string elementProblem;
            if (!readUpdate(update, receivedAt, tick, elementProblem)) {
                if (problem.empty()) {
                    problem = elementProblem;
                }
                continue;
            }
            if (streams(tick.symbol)) { // the all-market array carries every symbol: keep ours
                ticks.push_back(std::move(tick));
                ++kept;
            }
        }
        if (!problem.empty()) {
            return {FeedMessage::Kind::Malformed, "markPriceUpdate array: " + problem};
        }
        return {kept > 0 ? FeedMessage::Kind::Ticks : FeedMessage::Kind::Ignored, {}};
    }
    const json* event = vj::member(*payload, "e");
    if (event == nullptr || !event->is_string()) {
        return {FeedMessage::Kind::Malformed, "no event type (\"e\") in " + vj::excerpt(frame)};
    }
    if (event->get_ref<const std::string&>() != "markPriceUpdate") {
        return {FeedMessage::Kind::Malformed, "event \"" + event->get<std::string>() + "\" was not subscribed to"};
    }
    MarkTick tick;
    if (!readUpdate(*payload, receivedAt, tick, problem)) {
        return {FeedMessage::Kind::Malformed, "markPriceUpdate: " + problem};
    }
    if (!streams(tick.symbol)) {
        return {FeedMessage::Kind::Malformed, "markPriceUpdate for " + tick.symbol + ", which was not subscribed to"};
    }
    ticks.push_back(std::move(tick));
    return {FeedMessage::Kind::Ticks, {}};
}

} // namespace mm
