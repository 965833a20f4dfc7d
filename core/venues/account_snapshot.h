#pragma once

#include "domain/position.h"
#include "domain/venue.h"
#include "money/decimal.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mm {

/// One open position as the exchange's account REST answer reports it: the domain `Position` plus
/// the exchange's own risk figures where it gives them. The venue's figures confirm the locally
/// computed ones; they never replace the mark-price stream.
struct SnapshotPosition {
    Position position;
    /// nullopt when the venue says "none" (Binance "0", Bybit/OKX "", Hyperliquid null): the
    /// computed liquidation price then stands in.
    std::optional<Decimal> exchangeLiquidationPrice;
    std::optional<Decimal> exchangeMaintenanceMargin; ///< Binance maintMargin (v3), Bybit positionMM, OKX mmr
    std::optional<Decimal> exchangeMarginRatio;       ///< OKX mgnRatio
    std::optional<Decimal> unrealizedPnl;             ///< as the venue computed it
};

/// The account-wide figures of a balance answer.
struct AccountBalances {
    /// What the cross positions share: the wallet without the isolated positions' margin.
    Decimal walletBalance;
    std::optional<Decimal> marginBalance;     ///< wallet plus unrealised PnL, the venue's figure
    std::optional<Decimal> maintenanceMargin; ///< the venue's total
    std::optional<Decimal> marginRatio;       ///< the venue's own ratio (Bybit accountMMRate, OKX mgnRatio)
    /// Binance without totalCrossWalletBalance: walletBalance still holds the isolated margins,
    /// which the snapshot takes off once the positions are read.
    bool walletIncludesIsolated = false;
};

/// One venue account as its REST reads report it: balances and the open positions (zero-size
/// entries, which Binance lists for every symbol, are left out).
struct AccountSnapshot {
    Venue venue = Venue::Generic;
    AccountBalances balances;
    std::vector<SnapshotPosition> positions;
};

/// Field readers shared by the venues' account parsers. Like venue_json's, they never throw and set
/// `problem` once, naming the field.
namespace account_json {

/// A decimal that must be present (string or number), of any sign.
std::optional<Decimal> requiredDecimal(const nlohmann::json& object, std::string_view key, std::string& problem);
/// A liquidation price: absent, null, "" or a non-positive value ("0") mean none.
std::optional<Decimal> liquidationPrice(const nlohmann::json& object, std::string_view key, std::string& problem);
/// An optional leverage: absent, null or "" give nullopt; present, it must be positive (`problem`
/// names the field otherwise).
std::optional<Decimal> leverage(const nlohmann::json& object, std::string_view key, std::string& problem);
/// The member `key`, required to be an array.
const nlohmann::json* array(const nlohmann::json& object, std::string_view key, std::string& problem);
/// Prefixes `problem` with where it happened ("positionRisk[3]: …"), if there is one.
void locate(std::string& problem, std::string_view where);

} // namespace account_json

} // namespace mm
