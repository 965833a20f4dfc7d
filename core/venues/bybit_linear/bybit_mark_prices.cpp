#include "venues/bybit_linear/bybit_mark_prices.h"

#include "venues/json_fields.h"

namespace mm {

using json = nlohmann::json;
namespace vj = venue_json;

std::vector<std::string> BybitMarkPrices::subscribeMessages() const
{
    std::vector<std::string> messages;
    const auto& symbols = this->symbols();
    for (std::size_t first = 0; first < symbols.size(); first += kTopicsPerRequest) {
        json args = json::array();
        for (std::size_t i = first; i < std::min(symbols.size(), first + kTopicsPerRequest); ++i) {
            args.push_back("tickers." + symbols[i]);
        }
        messages.push_back(json{{"req_id", std::to_string(messages.size() + 1)}, {"op", "subscribe"}, {"args", args}}.dump());
    }
    return messages;
}

KeepAlive BybitMarkPrices::keepAlive() const
{
    return {KeepAlive::Mode::SendEvery, R"({"req_id":"ping","op":"ping"})", std::chrono::seconds(20)};
}

FeedMessage BybitMarkPrices::parse(std::string_view frame, ReceiveTime receivedAt, std::vector<MarkTick>& ticks)
{
    std::string problem;
    const auto document = vj::parseFrame(frame, problem);
    if (!document) {
        return {FeedMessage::Kind::Malformed, problem};
    }
    if (!document->is_object()) {
        return {FeedMessage::Kind::Malformed, "not an object: " + vj::excerpt(frame)};
    }
    if (const json* op = vj::member(*document, "op"); op != nullptr && op->is_string()) {
        const json* success = vj::member(*document, "success");
        const std::string& name = op->get_ref<const std::string&>();
        if (success != nullptr && success->is_boolean() && !success->get<bool>()) {
            const json* message = vj::member(*document, "ret_msg");
            return {FeedMessage::Kind::VenueError, name + ": " + (message != nullptr ? message->dump() : std::string("failed"))};
        }
        if (name == "ping" || name == "pong") {
            return {FeedMessage::Kind::Pong, {}};
        }
        if (name == "subscribe") {
            return {FeedMessage::Kind::SubscribeAck, {}};
        }
        return {FeedMessage::Kind::Malformed, "a reply to op \"" + name + "\", which was never sent"};
    }
    const auto topic = vj::text(*document, "topic", problem);
    if (!topic) {
        return {FeedMessage::Kind::Malformed, problem + " in " + vj::excerpt(frame)};
    }
    if (topic->rfind("tickers.", 0) != 0) {
        return {FeedMessage::Kind::Malformed, "topic \"" + *topic + "\" was not subscribed to"};
    }
    const auto type = vj::text(*document, "type", problem);
    const json* data = vj::member(*document, "data");
    if (!type || data == nullptr || !data->is_object()) {
        return {FeedMessage::Kind::Malformed, (problem.empty() ? std::string("\"data\" is not an object") : problem) +
                                                  " in " + vj::excerpt(frame)};
    }
    auto symbol = vj::symbol(*data, "symbol", problem);
    if (!symbol) {
        return {FeedMessage::Kind::Malformed, "ticker: " + problem};
    }
    if (topic->compare(8, std::string::npos, *symbol) != 0) {
        return {FeedMessage::Kind::Malformed, "topic \"" + *topic + "\" carries the ticker of " + *symbol};
    }
    if (!streams(*symbol)) { // nor is a ticker kept for it: what is stored stays bounded
        return {FeedMessage::Kind::Malformed, "topic \"" + *topic + "\" was not subscribed to"};
    }
    // Read every field the frame carries before touching the stored ticker: a broken delta must
    // not leave half of itself behind.
    const bool hasMark = vj::member(*data, "markPrice") != nullptr;
    const std::optional<Decimal> mark = hasMark ? vj::price(*data, "markPrice", problem) : std::nullopt;
    const std::optional<Decimal> index = vj::optionalDecimal(*data, "indexPrice", problem);
    const std::optional<Decimal> funding = vj::optionalDecimal(*data, "fundingRate", problem);
    const std::int64_t time = vj::timeMs(*document, "ts", problem);
    if (!problem.empty()) {
        return {FeedMessage::Kind::Malformed, "ticker " + *symbol + ": " + problem};
    }
    LastTicker& last = m_last[*symbol];
    if (*type == "snapshot") {
        last = LastTicker{mark, index, funding};
    } else if (*type == "delta") {
        last.markPrice = mark ? mark : last.markPrice;
        last.indexPrice = index ? index : last.indexPrice;
        last.fundingRate = funding ? funding : last.fundingRate;
    } else {
        return {FeedMessage::Kind::Malformed, "ticker " + *symbol + ": unknown type \"" + *type + "\""};
    }
    if (!last.markPrice) {
        return {FeedMessage::Kind::Ignored, "ticker " + *symbol + " has no mark price yet (delta before snapshot)"};
    }
    MarkTick tick;
    tick.venue = Venue::BybitLinear;
    tick.symbol = std::move(*symbol);
    tick.markPrice = *last.markPrice;
    tick.indexPrice = last.indexPrice;
    tick.fundingRate = last.fundingRate;
    tick.exchangeTimeMs = time;
    tick.receivedAt = receivedAt;
    ticks.push_back(std::move(tick));
    return {FeedMessage::Kind::Ticks, {}};
}

} // namespace mm
