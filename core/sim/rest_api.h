#pragma once

#include "domain/risk_tier.h"
#include "domain/venue.h"
#include "sim/venue_servers.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mm::sim {

/// One REST answer of the simulator.
struct RestAnswer {
    int status = 200;
    std::string body;
    std::optional<int> retryAfterSeconds; ///< the Retry-After header, when the venue sends one
};

/// The public REST endpoints, in each venue's shape (fields as strings where the venue sends
/// strings): server time (`GET /fapi/v1/time`, `/v5/market/time`, `/api/v5/public/time`), instrument
/// lists with tick and contract size (`GET /fapi/v1/exchangeInfo`, `/v5/market/instruments-info`,
/// `/api/v5/public/instruments`), maintenance-margin tiers (Bybit `GET /v5/market/risk-limit?
/// category=linear[&symbol=…]`, OKX `GET /api/v5/public/position-tiers?instType=SWAP&tdMode=cross&
/// instFamily=…`, from simulatedRiskTiers()) and Hyperliquid's `POST /info` (type meta or
/// metaAndAssetCtxs). nullopt for anything else (the caller answers 404). `target` may carry a query.
/// A request the venue would refuse gets the venue's error body — with HTTP 200 here, since only a
/// body is returned (OKX itself sends its parameter errors with 400).
std::optional<std::string> publicRestBody(std::string_view method, std::string_view target, std::string_view body,
                                          PriceBook& book, std::int64_t nowMs);

/// The symbols the simulator lists (exchangeInfo, instruments-info, instruments, tier tables): those
/// its clients asked about, and BTCUSDT, ETHUSDT, SOLUSDT. Spelled as the book spells them.
std::vector<std::string> listedSymbols(PriceBook& book);

/// The maintenance-margin tiers the simulator publishes for `symbol` on `venue` — Binance and Bybit
/// name it "BTCUSDT", OKX by its family "BTC-USDT": the table of
/// core/margin's built-in instruments where there is one (Binance BTCUSDT and ETHUSDT, Bybit
/// BTCUSDT, as the margin models use them), otherwise the simulator's own table — not any venue's —
/// of three tiers (100×, 50×, 20×; USDT notional, or contracts of ctVal 0.01 for OKX). Every tier
/// has a cap, and the tables are sound (findRiskTierProblem; OKX's have no amounts).
std::vector<RiskTier> simulatedRiskTiers(Venue venue, std::string_view symbol);

/// The leverage a tier allows at most, for answers that must state one: its own maxLeverage, or —
/// for a tier of a rate given by the trader — 1 / (2 × rate), Hyperliquid's rule, within [1, 125].
int tierLeverage(const RiskTier& tier);

/// What the venue that owns `target` answers when it rate-limits (429), bans the address (418) or
/// does not know what became of the request (503), in its own shape. Bybit signals its rate limit
/// as HTTP 200 with retCode 10006, as the real venue does; every other case keeps the status.
RestAnswer restErrorAnswer(int status, std::string_view target, std::int64_t nowMs);

} // namespace mm::sim
