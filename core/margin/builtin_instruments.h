#pragma once

#include "domain/instrument.h"

#include <memory>
#include <string_view>

namespace mm {

/// Instruments the app knows without asking an exchange: the tier tables published in
/// shared/reference/margin-math.md (Binance BTCUSDT and ETHUSDT, Bybit BTCUSDT, as of late 2024).
/// They are defaults for demo mode, tests and `marginctl eval`; a live account loads current tables
/// from the venue. nullptr for any other venue or symbol.
std::shared_ptr<const Instrument> publishedInstrument(Venue venue, std::string_view symbol);

/// An instrument whose maintenance margin is one rate and amount given by the trader (tier number 0);
/// the maintenance margin never goes below zero (see the .cpp).
std::shared_ptr<const Instrument> instrumentWithMaintenance(Venue venue, std::string_view symbol,
                                                            const Decimal& maintenanceMarginRate,
                                                            const Decimal& maintenanceAmount);

/// A Hyperliquid asset: maintenance margin rate = 1 / (2 × max leverage), Hyperliquid's rule.
std::shared_ptr<const Instrument> hyperliquidInstrument(std::string_view coin, int maxLeverage);

} // namespace mm
