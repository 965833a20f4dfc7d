#pragma once

#include "domain/instrument.h"
#include "money/decimal.h"

#include <memory>
#include <optional>
#include <string>

namespace mm {

enum class Side { Long, Short };
/// +1 for a long, −1 for a short: the sign of the position's PnL per unit of price rise.
constexpr int direction(Side side) { return side == Side::Long ? 1 : -1; }

enum class MarginMode { Isolated, Cross };

/// One-way mode holds one net position per symbol (Binance "BOTH"); hedge mode holds a long and a
/// short leg side by side.
enum class PositionSide { Both, Long, Short };

/// A position as the trader holds it, with the latest mark price of its instrument.
struct Position {
    std::string symbol;
    Side side = Side::Long;
    Decimal quantity;   ///< base units, always positive
    Decimal entryPrice;
    Decimal markPrice;  ///< the exchange's mark price: all risk is measured here, never at last trade
    MarginMode marginMode = MarginMode::Cross;
    PositionSide positionSide = PositionSide::Both;
    /// Isolated positions: the margin set aside for this position, excluding unrealised PnL
    /// (Binance isolatedWallet, Bybit position margin, OKX margin). Unset: derived from leverage.
    std::optional<Decimal> isolatedMargin;
    std::optional<Decimal> leverage;
    Decimal takerFeeRate; ///< counted in the requirement where the venue does (OKX)
    std::shared_ptr<const Instrument> instrument;

    [[nodiscard]] Decimal notionalAt(const Decimal& price) const { return quantity * price; }
    [[nodiscard]] Decimal unrealizedPnl() const
    {
        const Decimal pnl = quantity * (markPrice - entryPrice);
        return side == Side::Long ? pnl : -pnl;
    }
};

} // namespace mm
