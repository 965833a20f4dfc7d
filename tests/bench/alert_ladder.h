#pragma once
// The alert-quality benchmark's ladder of positions (issue 15, item 4), on Binance USDⓈ-M, each opened
// at the recording's first mark of its symbol:
//  - on every symbol, isolated longs at 5×, 10×, 20×, 25×, 33× and 50× and isolated shorts at 10×, 20×
//    and 50×, each of 12,000 USDT notional with isolated margin = notional / leverage, each in its own
//    account (wallet 0: nothing but the isolated margin is at stake);
//  - one cross account holding a 12,000 USDT long on every symbol over a wallet of 1,200 USDT per symbol.
// Tiers: Binance's published tables where core/margin has them (BTCUSDT, ETHUSDT); any other symbol
// gets a single 1 % maintenance rate (what the demo portfolio uses for SOLUSDT; Binance's smallest
// altcoin brackets are 0.5–1 %) — the higher rate liquidates a little earlier, never later.
#include "domain/account.h"
#include "margin/builtin_instruments.h"
#include "replay/mark_recording.h"

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace mm::bench {

inline constexpr int kLadderNotional = 12'000;
inline constexpr int kLadderCrossWalletPerSymbol = 1'200;
inline constexpr std::array kLadderLongLeverages{5, 10, 20, 25, 33, 50};
inline constexpr std::array kLadderShortLeverages{10, 20, 50};

inline std::shared_ptr<const Instrument> ladderInstrument(const std::string& symbol)
{
    if (auto published = publishedInstrument(Venue::BinanceUsdm, symbol)) {
        return published;
    }
    return instrumentWithMaintenance(Venue::BinanceUsdm, symbol, Decimal::parse("0.01"), Decimal());
}

inline Position ladderPosition(const std::string& symbol, Side side, const Decimal& entry)
{
    Position position;
    position.symbol = symbol;
    position.side = side;
    position.quantity = Decimal::fromInteger(kLadderNotional) / entry;
    position.entryPrice = entry;
    position.markPrice = entry;
    position.instrument = ladderInstrument(symbol);
    return position;
}

/// The ladder on every symbol of the recording, in the recording's order of symbols.
inline std::vector<Portfolio> makeAlertLadder(const MarkRecording& recording)
{
    std::map<std::uint32_t, Decimal> firstMark;
    for (const RecordedMark& row : recording.marks()) {
        firstMark.try_emplace(row.series, row.mark);
    }
    std::vector<Portfolio> accounts;
    Portfolio cross;
    cross.account.venue = Venue::BinanceUsdm;
    cross.account.label = "cross, a long on every symbol";
    cross.account.marginMode = MarginMode::Cross;
    for (const auto& [series, entry] : firstMark) {
        const std::string& symbol = recording.series()[series].symbol;
        const auto isolated = [&](Side side, int leverage) {
            Portfolio account;
            account.account.venue = Venue::BinanceUsdm;
            account.account.label =
                symbol + (side == Side::Long ? " long " : " short ") + std::to_string(leverage) + "x";
            account.account.marginMode = MarginMode::Isolated;
            Position position = ladderPosition(symbol, side, entry);
            position.marginMode = MarginMode::Isolated;
            position.leverage = Decimal::fromInteger(leverage);
            position.isolatedMargin = Decimal::fromInteger(kLadderNotional) / Decimal::fromInteger(leverage);
            account.positions.push_back(position);
            accounts.push_back(account);
        };
        for (const int leverage : kLadderLongLeverages) {
            isolated(Side::Long, leverage);
        }
        for (const int leverage : kLadderShortLeverages) {
            isolated(Side::Short, leverage);
        }
        cross.positions.push_back(ladderPosition(symbol, Side::Long, entry));
        cross.account.walletBalance += Decimal::fromInteger(kLadderCrossWalletPerSymbol);
    }
    accounts.push_back(cross);
    return accounts;
}

} // namespace mm::bench
