#pragma once

#include "domain/venue.h"

#include <optional>
#include <string>
#include <string_view>

namespace mm {

/// What a venue's key-information endpoint says an API key may do. A switch the answer does not
/// report is nullopt — never a guess.
struct ReportedKeyPermissions {
    std::optional<bool> canRead;      ///< reading account data
    std::optional<bool> canTrade;     ///< futures / derivatives trading
    std::optional<bool> canWithdraw;  ///< moving funds off the exchange
    std::optional<bool> ipRestricted; ///< usable only from listed addresses

    friend bool operator==(const ReportedKeyPermissions&, const ReportedKeyPermissions&) = default;
};

/// Binance `GET /sapi/v1/account/apiRestrictions` (Wallet API "Get API Key Permission"): the booleans
/// enableReading, enableFutures (futures trading), enableWithdrawals and ipRestrict. A switch that is
/// absent stays nullopt; one that is not a boolean is a problem naming it; an answer holding none of
/// the four is not this endpoint's. An error answer {"code":…,"msg":…} gives nullopt with both in
/// `problem`. Never throws.
std::optional<ReportedKeyPermissions> parseBinanceApiRestrictions(std::string_view body, std::string& problem);

/// Bybit v5 `GET /v5/user/query-api` ("Get API Key Information"): result.readOnly (0 read and write,
/// 1 read only), result.permissions — trading derivatives is ContractTrade "Order" or Derivatives
/// "DerivativesTrade" on a key that is not read only; withdrawing is Wallet "Withdraw" — and
/// result.ips (["*"] or empty: no restriction); an answer with neither permissions nor ips reports
/// nothing and is refused. Bybit has no read switch: any key may read.
/// retCode other than 0 gives nullopt with retCode and retMsg. Never throws.
std::optional<ReportedKeyPermissions> parseBybitApiKeyInfo(std::string_view body, std::string& problem);

/// OKX v5 `GET /api/v5/account/config`: data[0].perm, a comma-separated list of read_only, trade and
/// withdraw (every one the key has is listed, so one missing is a "no"), and data[0].ip, the bound
/// addresses ("" when none). code other than "0" gives nullopt with code and msg. Never throws.
std::optional<ReportedKeyPermissions> parseOkxAccountConfig(std::string_view body, std::string& problem);

/// The parser of `venue`'s permission endpoint; nullopt with a problem for a venue without API keys.
std::optional<ReportedKeyPermissions> parseKeyPermissions(Venue venue, std::string_view body, std::string& problem);

} // namespace mm
