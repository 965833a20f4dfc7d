#pragma once

#include "domain/account.h"
#include "engine/monitor.h"
#include "margin/risk.h"
#include "money/clock.h"
#include "net/account_feed.h"
#include "net/mark_price_feed.h"
#include "net/private_account_stream.h"
#include "net/ws_session.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mm {

class LiveMonitor;

/// The computed liquidation price and the venue's are flagged as diverging when they are further
/// apart than this fraction of the mark price (1 %: a point of distance to liquidation). Both are
/// taken at the moment of the venue's latest account read (ExchangeFigures::computedAtRead), so a
/// fast market since then does not flag; a divergence means a margin model, a tier table, a fee or a
/// balance differs from the venue's.
inline constexpr double kLiquidationDivergenceOfMark = 0.01;

/// One position as the trader's screen shows it: what is held, and its risk at the latest mark.
struct PositionLine {
    std::size_t account = 0;  ///< the account's index in the monitor
    std::size_t position = 0; ///< the position's index in its account's portfolio
    Venue venue = Venue::Generic;
    std::string accountLabel;
    std::string symbol;
    Side side = Side::Long;
    PositionSide positionSide = PositionSide::Both;
    MarginMode marginMode = MarginMode::Cross;
    Decimal quantity;
    Decimal entryPrice;
    Decimal markPrice;
    /// The instrument's price step, for showing prices with its precision; 0 when unknown.
    Decimal tickSize;
    /// The leverage as set on the exchange, where known; else nullopt.
    std::optional<Decimal> leverage;
    /// Notional over the margin that carries the position: the account's margin balance (cross) or
    /// the position's margin plus its unrealised PnL (isolated); nullopt when that margin is gone.
    std::optional<double> effectiveLeverage;
    PositionRisk risk;
    AccountSource source = AccountSource::File;
    /// The venue's liquidation price (Exchange accounts), nullopt where it reports none — the
    /// computed one then stands in, and says so.
    std::optional<Decimal> exchangeLiquidationPrice;
    std::optional<Decimal> exchangeMarginRatio; ///< the venue's own ratio and direction, where it gives one
    /// Both liquidation prices are known and further apart than kLiquidationDivergenceOfMark × mark.
    bool liquidationDiverges = false;
    FeedState feed = FeedState::Waiting; ///< of the symbol's mark prices
    MonotonicTime lastTickAt{};          ///< the latest mark's arrival; see FeedStatus
    std::uint64_t ticks = 0;             ///< marks received for the symbol
};

/// One account's cross margin, and its most endangered position.
struct AccountLine {
    std::size_t account = 0;
    Venue venue = Venue::Generic;
    std::string label;
    AccountRisk risk;
    AccountSource source = AccountSource::File;
    ExchangeAccountFigures exchange;         ///< Exchange accounts: the venue's own figures
    std::optional<MonotonicTime> reportedAt; ///< Exchange accounts: the latest account read
    std::size_t positions = 0;
    /// The index in RiskBoard::positions of the position nearest its liquidation (the smallest
    /// distance in %), nullopt when none has a liquidation price.
    std::optional<std::size_t> worstPosition;
};

/// One account's REST reads (Exchange accounts).
struct AccountReadLine {
    std::size_t account = 0;
    Venue venue = Venue::Generic;
    std::string label;
    AccountFeedStatus status;
    /// The account's private stream (keyed venues), nullopt where it has none.
    std::optional<PrivateStreamStatus> stream;
};

/// One venue's mark-price connection.
struct ConnectionLine {
    Venue venue = Venue::Generic;
    WsStats connection;
    FeedCounters counters;
};

/// Everything the display shows, taken at one moment on the core thread: every position with every
/// liquidation price re-solved, every account, every connection. A value: copied to the GUI thread.
struct RiskBoard {
    std::vector<PositionLine> positions; ///< accounts in the monitor's order, positions in the file's
    std::vector<AccountLine> accounts;
    std::vector<ConnectionLine> connections;
    std::vector<AccountReadLine> accountReads;
    MonotonicTime takenAt{};
    std::uint64_t sequence = 0; ///< counts boards taken
};

/// The board from a monitor, with its connections (none when `live` is null). Call on the thread
/// that owns the monitor.
RiskBoard takeRiskBoard(const Monitor& monitor, const LiveMonitor* live, MonotonicTime now, std::uint64_t sequence);

} // namespace mm
