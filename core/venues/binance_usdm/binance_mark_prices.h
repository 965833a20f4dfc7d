#pragma once

#include "venues/mark_price_protocol.h"

#include <cstdint>

namespace mm {

/// Binance USDⓈ-M futures mark prices (`<symbol>@markPrice@1s`, 1 s), on the 2026 `/market` host paths.
///
/// Up to kAllMarketThreshold symbols: one combined stream per symbol,
/// `/market/stream?streams=btcusdt@markPrice@1s/…`, each payload wrapped as {"stream","data"}.
/// Beyond it: the all-market array stream `!markPrice@arr@1s` (one frame, every symbol), filtered
/// to the symbols asked for. The server pings; WebSocket pongs answer it (Beast does so itself).
class BinanceMarkPrices : public MarkPriceProtocol {
public:
    static constexpr std::size_t kAllMarketThreshold = 200;

    [[nodiscard]] Venue venue() const override { return Venue::BinanceUsdm; }
    /// {"method":"SUBSCRIBE","params":[…],"id":…}: the added symbols' streams, or the all-market
    /// stream once the symbols are more than kAllMarketThreshold.
    [[nodiscard]] std::vector<std::string> runtimeSubscribeMessages(const std::vector<std::string>& added) const override;
    [[nodiscard]] std::string streamPath() const override;
    [[nodiscard]] std::vector<std::string> subscribeMessages() const override;
    [[nodiscard]] KeepAlive keepAlive() const override;
    [[nodiscard]] std::chrono::milliseconds expectedInterval() const override { return std::chrono::seconds(1); }
    /// Binance ends every connection at 24 hours: roll over ten minutes before.
    [[nodiscard]] std::chrono::milliseconds maxConnectionAge() const override
    {
        return std::chrono::hours(24) - std::chrono::minutes(10);
    }
    FeedMessage parse(std::string_view frame, ReceiveTime receivedAt, std::vector<MarkTick>& ticks) override;

    /// "btcusdt@markPrice@1s"
    static std::string streamName(std::string_view symbol);

private:
    mutable std::uint64_t m_requestId = 0; ///< the id of the latest runtime SUBSCRIBE
};

} // namespace mm
