#include "venues/venue_refusal.h"

#include "venues/json_fields.h"

#include <nlohmann/json.hpp>

#include <array>
#include <string_view>

namespace mm {

namespace {

using json = nlohmann::json;

struct KnownCode {
    Venue venue;
    std::string_view code;
    RefusalKind kind;
};

// The codes each venue documents for these cases (exchanges' error tables).
constexpr std::array kKnownCodes{
    KnownCode{Venue::BinanceUsdm, "-1021", RefusalKind::Timestamp}, // timestamp outside recvWindow
    KnownCode{Venue::BinanceUsdm, "-1022", RefusalKind::Key},       // signature not valid
    KnownCode{Venue::BinanceUsdm, "-2014", RefusalKind::Key},       // API-key format invalid
    KnownCode{Venue::BinanceUsdm, "-2015", RefusalKind::Key},       // invalid API-key, IP, or permissions
    KnownCode{Venue::BinanceUsdm, "-1003", RefusalKind::RateLimit}, // too many requests
    KnownCode{Venue::BybitLinear, "10002", RefusalKind::Timestamp}, // server timestamp or recv_window
    KnownCode{Venue::BybitLinear, "10003", RefusalKind::Key},       // API key is invalid
    KnownCode{Venue::BybitLinear, "10004", RefusalKind::Key},       // signature error
    KnownCode{Venue::BybitLinear, "33004", RefusalKind::Key},       // API key expired
    KnownCode{Venue::BybitLinear, "10005", RefusalKind::Permission},
    KnownCode{Venue::BybitLinear, "10006", RefusalKind::RateLimit},
    KnownCode{Venue::OkxSwap, "50102", RefusalKind::Timestamp}, // timestamp request expired
    KnownCode{Venue::OkxSwap, "50112", RefusalKind::Timestamp}, // invalid OK-ACCESS-TIMESTAMP
    KnownCode{Venue::OkxSwap, "50105", RefusalKind::Key},       // OK-ACCESS-PASSPHRASE incorrect
    KnownCode{Venue::OkxSwap, "50111", RefusalKind::Key},       // invalid OK-ACCESS-KEY
    KnownCode{Venue::OkxSwap, "50113", RefusalKind::Key},       // invalid sign
    KnownCode{Venue::OkxSwap, "50119", RefusalKind::Key},       // API key doesn't exist
    KnownCode{Venue::OkxSwap, "50120", RefusalKind::Permission},
    KnownCode{Venue::OkxSwap, "50011", RefusalKind::RateLimit},
};

RefusalKind kindOf(Venue venue, std::string_view code)
{
    for (const KnownCode& known : kKnownCodes) {
        if (known.venue == venue && known.code == code) {
            return known.kind;
        }
    }
    return RefusalKind::Other;
}

/// A code sent as a number or a string, as text; "" when it is neither.
std::string codeText(const json& value)
{
    if (value.is_number_integer()) {
        return std::to_string(value.get<std::int64_t>());
    }
    if (value.is_string()) {
        return value.get<std::string>();
    }
    return {};
}

std::string messageText(const json& object, std::string_view key)
{
    const json* message = venue_json::member(object, key);
    return message != nullptr && message->is_string() ? message->get<std::string>() : std::string();
}

} // namespace

std::optional<VenueRefusal> readVenueRefusal(Venue venue, std::string_view body)
{
    const json document = json::parse(body, nullptr, false);
    if (!document.is_object()) {
        return std::nullopt;
    }
    std::string codeKey = "code";
    std::string messageKey = "msg";
    if (venue == Venue::BybitLinear) {
        codeKey = "retCode";
        messageKey = "retMsg";
    }
    const json* codeValue = venue_json::member(document, codeKey);
    if (codeValue == nullptr) {
        return std::nullopt;
    }
    const std::string code = codeText(*codeValue);
    const bool success = venue == Venue::BinanceUsdm ? !code.starts_with('-') : (code == "0");
    if (code.empty() || success) {
        return std::nullopt;
    }
    return VenueRefusal{kindOf(venue, code), code, messageText(document, messageKey)};
}

std::string describeRefusal(Venue venue, const VenueRefusal& refusal)
{
    const std::string name(venueName(venue));
    const std::string said = " (" + refusal.code + (refusal.message.empty() ? "" : ": " + refusal.message) + ")";
    switch (refusal.kind) {
    case RefusalKind::Timestamp:
        return name + " refused the request's timestamp" + said;
    case RefusalKind::Key:
        return name + " refused the API key" + said +
               ": check the key, its secret" + (venue == Venue::OkxSwap ? " and passphrase" : "") +
               " in Settings → Exchanges";
    case RefusalKind::Permission:
        return name + " says the API key may not read positions" + said +
               ": enable reading for it on the exchange";
    case RefusalKind::RateLimit:
        return name + " is limiting requests" + said + ": slowing down";
    case RefusalKind::Other:
        break;
    }
    return name + " refused the request" + said;
}

} // namespace mm
