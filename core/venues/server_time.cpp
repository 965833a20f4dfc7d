#include "venues/server_time.h"

#include "venues/json_fields.h"

namespace mm {

std::optional<std::string_view> serverTimePath(Venue venue)
{
    switch (venue) {
    case Venue::BinanceUsdm:
        return "/fapi/v1/time";
    case Venue::BybitLinear:
        return "/v5/market/time";
    case Venue::OkxSwap:
        return "/api/v5/public/time";
    case Venue::Hyperliquid:
    case Venue::Generic:
        break;
    }
    return std::nullopt;
}

std::optional<std::int64_t> parseServerTimeMs(Venue venue, std::string_view body, std::string& problem)
{
    namespace vj = venue_json;
    const auto document = vj::parseFrame(body, problem);
    if (!document || !document->is_object()) {
        if (problem.empty()) {
            problem = "the server time is not a JSON object";
        }
        return std::nullopt;
    }
    std::int64_t time = 0;
    switch (venue) {
    case Venue::BinanceUsdm:
        time = vj::timeMs(*document, "serverTime", problem);
        break;
    case Venue::BybitLinear: {
        const nlohmann::json* code = vj::member(*document, "retCode");
        if (code == nullptr || !code->is_number_integer() || code->get<std::int64_t>() != 0) {
            problem = "Bybit answered the server time with an error: " + vj::excerpt(body);
            return std::nullopt;
        }
        time = vj::timeMs(*document, "time", problem);
        break;
    }
    case Venue::OkxSwap: {
        const nlohmann::json* data = vj::member(*document, "data");
        if (data == nullptr || !data->is_array() || data->empty() || !(*data)[0].is_object()) {
            problem = "OKX's server time has no data: " + vj::excerpt(body);
            return std::nullopt;
        }
        time = vj::timeMs((*data)[0], "ts", problem);
        break;
    }
    case Venue::Hyperliquid:
    case Venue::Generic:
        problem = std::string(venueName(venue)) + " has no server-time endpoint";
        return std::nullopt;
    }
    if (!problem.empty()) {
        return std::nullopt;
    }
    if (time <= 0) {
        problem = "the server time is missing or not positive: " + vj::excerpt(body);
        return std::nullopt;
    }
    return time;
}

} // namespace mm
