#pragma once

#include "domain/venue.h"

#include <optional>
#include <string>
#include <string_view>

namespace mm {

/// Why a keyed venue refused a signed request, as the caller must act on it.
enum class RefusalKind {
    Timestamp,  ///< the request's timestamp is outside the venue's window: re-measure the clock
    Key,        ///< unknown key, wrong secret (bad signature), wrong passphrase, expired key
    Permission, ///< the key is valid but may not do this (reading positions, trading)
    RateLimit,  ///< too many requests: wait
    Other,
};

/// A venue's error answer: its own code and message, and what it means.
struct VenueRefusal {
    RefusalKind kind = RefusalKind::Other;
    std::string code;    ///< as the venue sent it: "-1021", "10003", "50113"
    std::string message; ///< the venue's own words
};

/// The error in an answer body, if it is one: Binance {"code":-1021,"msg":…} (a negative code),
/// Bybit {"retCode":10003,"retMsg":…} (non-zero), OKX {"code":"50113","msg":…} (non-"0").
/// nullopt for a success answer and for a body that is neither (it is then the parser's to reject).
/// Never throws.
std::optional<VenueRefusal> readVenueRefusal(Venue venue, std::string_view body);

/// The refusal in the trader's words: "Binance refused the API key (-2015: Invalid API-key, IP, or
/// permissions for action.) — check the key and its secret in Settings → Exchanges".
std::string describeRefusal(Venue venue, const VenueRefusal& refusal);

} // namespace mm
