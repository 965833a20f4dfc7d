#pragma once

#include "venues/mark_price_protocol.h"

namespace mm {

/// OKX v5 `mark-price` channel on `/ws/v5/public`: every 200 ms while the price changes, every 10 s
/// otherwise. Keep-alive: the text `ping` after 20 s without a frame (OKX closes a connection that is
/// silent for 30 s), answered by the text `pong`. Service notices (64008) say to reconnect soon.
class OkxMarkPrices : public MarkPriceProtocol {
public:
    [[nodiscard]] Venue venue() const override { return Venue::OkxSwap; }
    [[nodiscard]] std::string streamPath() const override { return "/ws/v5/public"; }
    [[nodiscard]] std::vector<std::string> subscribeMessages() const override;
    [[nodiscard]] KeepAlive keepAlive() const override;
    [[nodiscard]] std::chrono::milliseconds expectedInterval() const override { return std::chrono::seconds(10); }
    FeedMessage parse(std::string_view frame, ReceiveTime receivedAt, std::vector<MarkTick>& ticks) override;
};

} // namespace mm
