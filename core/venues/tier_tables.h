#pragma once

#include "domain/risk_tier.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mm {

/// Maintenance-margin tier tables as a venue publishes them, keyed by the venue's own name for what
/// they apply to (Binance and Bybit: the symbol, "BTCUSDT"; OKX: the instrument family, "BTC-USDT",
/// shared by every swap of the family). Each table is in tier order, tier numbers as the venue gives
/// them, each tier's floor the previous tier's cap.
using TierTables = std::map<std::string, std::vector<RiskTier>>;

/// Binance USDⓈ-M `GET /fapi/v1/leverageBracket`: an array of {symbol, brackets[]} — or one such
/// object when the request named a symbol — each bracket {bracket, initialLeverage, notionalCap,
/// notionalFloor, maintMarginRatio, cum} with JSON numbers (read exactly, never through a double);
/// strings are accepted too. Floors and caps are USDT notional. The table must be sound as
/// findRiskTierProblem() checks it (contiguous, rates rising, cum following Binance's recursion):
/// the margin math relies on it, so a table that is not is refused with the tier named. An error
/// answer {"code":…,"msg":…} gives nullopt with both in `problem`. Never throws.
std::optional<TierTables> parseBinanceLeverageBrackets(std::string_view body, std::string& problem);

/// Bybit v5 `GET /v5/market/risk-limit?category=linear`: result.list[] of {id, symbol,
/// riskLimitValue (the tier's cap in USDT position value), maintenanceMargin (a fraction: 0.005 for
/// 0.5 %), maxLeverage, mmDeduction}, tiers in id order per symbol. mmDeduction "" or absent (Bybit
/// sends "" on the first tier) is derived with Bybit's recursion, deduction(n) = deduction(n−1) +
/// cap(n−1) × (rate(n) − rate(n−1)); one given must agree with it (findRiskTierProblem). A
/// maintenance rate not below the initial rate 1 / maxLeverage is refused (a percentage sent where a
/// fraction belongs). result.category, when present, must be "linear". One page: a non-empty
/// nextPageCursor means more symbols follow, asked for with `cursor`. retCode other than 0 gives
/// nullopt with retCode and retMsg. Never throws.
std::optional<TierTables> parseBybitRiskLimits(std::string_view body, std::string& problem);

/// OKX v5 `GET /api/v5/public/position-tiers?instType=SWAP&tdMode=cross&instFamily=…`: data[] of
/// {instFamily (instId where instFamily is "": margin rows), tier, minSz, maxSz (in contracts), mmr,
/// maxLever}, strings. OKX has no maintenance amount (it is 0 here), so Binance's recursion does not
/// apply; tiers must still be contiguous — floor of tier 1 is its minSz, each later floor the
/// previous maxSz (OKX lists minSz as that or one contract above) — with caps above floors and rates
/// in [0, 1), never falling. An instrument using these tiers counts contracts
/// (Instrument::TierBasis::Quantity). code other than "0" gives nullopt with code and msg. Never
/// throws.
std::optional<TierTables> parseOkxPositionTiers(std::string_view body, std::string& problem);

} // namespace mm
