#include "venues/okx_swap/okx_mark_prices.h"

#include "venues/json_fields.h"

namespace mm {

using json = nlohmann::json;
namespace vj = venue_json;

std::vector<std::string> OkxMarkPrices::subscribeMessages() const
{
    json args = json::array();
    for (const std::string& symbol : symbols()) {
        args.push_back({{"channel", "mark-price"}, {"instId", symbol}});
    }
    if (args.empty()) {
        return {};
    }
    return {json{{"op", "subscribe"}, {"args", args}}.dump()};
}

KeepAlive OkxMarkPrices::keepAlive() const
{
    return {KeepAlive::Mode::SendWhenIdle, "ping", std::chrono::seconds(20)};
}

FeedMessage OkxMarkPrices::parse(std::string_view frame, ReceiveTime receivedAt, std::vector<MarkTick>& ticks)
{
    if (frame == "pong") {
        return {FeedMessage::Kind::Pong, {}};
    }
    std::string problem;
    const auto document = vj::parseFrame(frame, problem);
    if (!document) {
        return {FeedMessage::Kind::Malformed, problem};
    }
    if (const json* event = vj::member(*document, "event"); event != nullptr && event->is_string()) {
        const std::string& name = event->get_ref<const std::string&>();
        if (name == "subscribe") {
            return {FeedMessage::Kind::SubscribeAck, {}};
        }
        if (name == "error") {
            return {FeedMessage::Kind::VenueError, document->dump()};
        }
        if (name == "notice") {
            return {FeedMessage::Kind::Notice, document->dump()};
        }
        return {FeedMessage::Kind::Malformed, "event \"" + name + "\" answers nothing that was sent"};
    }
    const json* arg = vj::member(*document, "arg");
    const json* data = vj::member(*document, "data");
    if (arg == nullptr || data == nullptr || !data->is_array()) {
        return {FeedMessage::Kind::Malformed, "neither an event nor {\"arg\",\"data\":[…]}: " + vj::excerpt(frame)};
    }
    const auto channel = vj::text(*arg, "channel", problem);
    if (!channel) {
        return {FeedMessage::Kind::Malformed, "arg: " + problem};
    }
    if (*channel != "mark-price") {
        return {FeedMessage::Kind::Malformed, "channel \"" + *channel + "\" was not subscribed to"};
    }
    std::size_t kept = 0;
    for (const json& entry : *data) {
        std::string entryProblem;
        auto instrument = vj::symbol(entry, "instId", entryProblem);
        const auto mark = vj::price(entry, "markPx", entryProblem);
        const std::int64_t time = vj::timeMs(entry, "ts", entryProblem);
        if (instrument && entryProblem.empty() && !streams(*instrument)) {
            entryProblem = "instId " + *instrument + " was not subscribed to";
        }
        if (!instrument || !mark || !entryProblem.empty()) {
            problem = problem.empty() ? entryProblem : problem;
            continue;
        }
        MarkTick tick;
        tick.venue = Venue::OkxSwap;
        tick.symbol = std::move(*instrument);
        tick.markPrice = *mark;
        tick.exchangeTimeMs = time;
        tick.receivedAt = receivedAt;
        ticks.push_back(std::move(tick));
        ++kept;
    }
    if (!problem.empty()) {
        return {FeedMessage::Kind::Malformed, "mark-price: " + problem};
    }
    return {kept > 0 ? FeedMessage::Kind::Ticks : FeedMessage::Kind::Ignored, {}};
}

} // namespace mm
