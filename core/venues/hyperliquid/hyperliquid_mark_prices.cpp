#include "venues/hyperliquid/hyperliquid_mark_prices.h"

#include "venues/json_fields.h"

namespace mm {

using json = nlohmann::json;
namespace vj = venue_json;

std::vector<std::string> HyperliquidMarkPrices::subscribeMessages() const
{
    std::vector<std::string> messages;
    for (const std::string& coin : symbols()) {
        messages.push_back(
            json{{"method", "subscribe"}, {"subscription", {{"type", "activeAssetCtx"}, {"coin", coin}}}}.dump());
    }
    return messages;
}

KeepAlive HyperliquidMarkPrices::keepAlive() const
{
    return {KeepAlive::Mode::SendEvery, R"({"method":"ping"})", std::chrono::seconds(30)};
}

FeedMessage HyperliquidMarkPrices::parse(std::string_view frame, ReceiveTime receivedAt, std::vector<MarkTick>& ticks)
{
    std::string problem;
    const auto document = vj::parseFrame(frame, problem);
    if (!document) {
        return {FeedMessage::Kind::Malformed, problem};
    }
    const auto channel = vj::text(*document, "channel", problem);
    if (!channel) {
        return {FeedMessage::Kind::Malformed, problem + " in " + vj::excerpt(frame)};
    }
    if (*channel == "pong") {
        return {FeedMessage::Kind::Pong, {}};
    }
    if (*channel == "subscriptionResponse") {
        return {FeedMessage::Kind::SubscribeAck, {}};
    }
    const json* data = vj::member(*document, "data");
    if (*channel == "error") {
        return {FeedMessage::Kind::VenueError, data != nullptr ? data->dump() : std::string("error")};
    }
    if (*channel != "activeAssetCtx") {
        return {FeedMessage::Kind::Malformed, "channel \"" + *channel + "\" was not subscribed to"};
    }
    const json* context = data != nullptr ? vj::member(*data, "ctx") : nullptr;
    auto coin = data != nullptr ? vj::symbol(*data, "coin", problem) : std::nullopt;
    if (!coin) {
        return {FeedMessage::Kind::Malformed,
                "activeAssetCtx: " + (problem.empty() ? std::string("no data") : problem) + " in " + vj::excerpt(frame)};
    }
    if (context == nullptr) {
        return {FeedMessage::Kind::Malformed, "activeAssetCtx without ctx: " + vj::excerpt(frame)};
    }
    if (!streams(*coin)) {
        return {FeedMessage::Kind::Malformed, "activeAssetCtx for " + *coin + ", which was not subscribed to"};
    }
    MarkTick tick;
    const auto mark = vj::price(*context, "markPx", problem);
    tick.indexPrice = vj::optionalDecimal(*context, "oraclePx", problem);
    tick.fundingRate = vj::optionalDecimal(*context, "funding", problem);
    if (!mark || !problem.empty()) {
        return {FeedMessage::Kind::Malformed, "activeAssetCtx " + *coin + ": " + problem};
    }
    tick.venue = Venue::Hyperliquid;
    tick.symbol = std::move(*coin);
    tick.markPrice = *mark;
    tick.receivedAt = receivedAt;
    ticks.push_back(std::move(tick));
    return {FeedMessage::Kind::Ticks, {}};
}

} // namespace mm
