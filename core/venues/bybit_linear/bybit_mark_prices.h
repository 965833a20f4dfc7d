#pragma once

#include "venues/mark_price_protocol.h"

#include <unordered_map>

namespace mm {

/// Bybit v5 linear `tickers.<symbol>` on `/v5/public/linear`: a snapshot, then deltas every 100 ms
/// that omit unchanged fields — markPrice included. Deltas are merged into the last snapshot; a
/// missing field is never read as zero. Keep-alive: {"op":"ping"} every 20 s.
class BybitMarkPrices : public MarkPriceProtocol {
public:
    /// Bybit accepts at most this many topics in one subscribe request.
    static constexpr std::size_t kTopicsPerRequest = 10;

    [[nodiscard]] Venue venue() const override { return Venue::BybitLinear; }
    [[nodiscard]] std::string streamPath() const override { return "/v5/public/linear"; }
    [[nodiscard]] std::vector<std::string> subscribeMessages() const override;
    [[nodiscard]] KeepAlive keepAlive() const override;
    [[nodiscard]] std::chrono::milliseconds expectedInterval() const override { return std::chrono::seconds(1); }
    FeedMessage parse(std::string_view frame, ReceiveTime receivedAt, std::vector<MarkTick>& ticks) override;

private:
    struct LastTicker {
        std::optional<Decimal> markPrice;
        std::optional<Decimal> indexPrice;
        std::optional<Decimal> fundingRate;
    };
    std::unordered_map<std::string, LastTicker> m_last;
};

} // namespace mm
