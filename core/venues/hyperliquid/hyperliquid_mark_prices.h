#pragma once

#include "venues/mark_price_protocol.h"

namespace mm {

/// Hyperliquid `activeAssetCtx` on `/ws` (one subscription per coin; `allMids` carries mid prices,
/// not mark prices). The oracle price stands for the index. Keep-alive: {"method":"ping"}, answered
/// by {"channel":"pong"}; Hyperliquid closes connections silent for a minute.
class HyperliquidMarkPrices : public MarkPriceProtocol {
public:
    [[nodiscard]] Venue venue() const override { return Venue::Hyperliquid; }
    [[nodiscard]] std::string streamPath() const override { return "/ws"; }
    [[nodiscard]] std::vector<std::string> subscribeMessages() const override;
    [[nodiscard]] KeepAlive keepAlive() const override;
    [[nodiscard]] std::chrono::milliseconds expectedInterval() const override { return std::chrono::seconds(5); }
    FeedMessage parse(std::string_view frame, ReceiveTime receivedAt, std::vector<MarkTick>& ticks) override;
};

} // namespace mm
