#include "venues/instrument_lists.h"

#include "venues/json_fields.h"

namespace mm {

namespace vj = venue_json;
using json = nlohmann::json;

std::optional<std::map<std::string, Decimal, std::less<>>> parseOkxContractValues(std::string_view body,
                                                                                std::string& problem)
{
    const auto document = vj::parseFrame(body, problem);
    if (!document) {
        return std::nullopt;
    }
    if (!document->is_object()) {
        problem = "OKX instruments: the answer is not an object";
        return std::nullopt;
    }
    const json* code = vj::member(*document, "code");
    if (code == nullptr || !code->is_string() || code->get_ref<const std::string&>() != "0") {
        const json* msg = vj::member(*document, "msg");
        problem = "OKX instruments: error answer" +
                  (code != nullptr ? " " + code->dump() : std::string()) +
                  (msg != nullptr && msg->is_string() ? ": " + msg->get<std::string>() : std::string());
        return std::nullopt;
    }
    const json* data = vj::member(*document, "data");
    if (data == nullptr || !data->is_array()) {
        problem = "OKX instruments: no \"data\" array";
        return std::nullopt;
    }
    std::map<std::string, Decimal, std::less<>> values;
    for (const json& instrument : *data) {
        if (!instrument.is_object()) {
            continue;
        }
        std::string ignored;
        const auto instId = vj::symbol(instrument, "instId", ignored);
        const auto ctVal = vj::optionalDecimal(instrument, "ctVal", ignored);
        if (instId && ctVal && *ctVal > Decimal()) {
            values.emplace(*instId, *ctVal);
        }
    }
    return values;
}

std::optional<Decimal> parseOkxTakerFeeRate(std::string_view body, std::string& problem)
{
    const auto document = vj::parseFrame(body, problem);
    if (!document) {
        return std::nullopt;
    }
    const json* code = document->is_object() ? vj::member(*document, "code") : nullptr;
    if (code == nullptr || !code->is_string() || code->get_ref<const std::string&>() != "0") {
        problem = "OKX trade fee: not a success answer" + (code != nullptr ? " (code " + code->dump() + ")" : std::string());
        return std::nullopt;
    }
    const json* data = vj::member(*document, "data");
    if (data == nullptr || !data->is_array() || data->empty() || !data->front().is_object()) {
        problem = "OKX trade fee: no \"data\" entry";
        return std::nullopt;
    }
    const json& rates = data->front();
    auto taker = vj::optionalDecimal(rates, "takerU", problem);
    if (!taker) {
        taker = vj::optionalDecimal(rates, "taker", problem);
    }
    if (!taker) {
        if (problem.empty()) {
            problem = "OKX trade fee: neither \"takerU\" nor \"taker\" is given";
        }
        return std::nullopt;
    }
    return taker->isNegative() ? -*taker : Decimal();
}

std::optional<std::map<std::string, int, std::less<>>> parseHyperliquidMaxLeverage(std::string_view body,
                                                                                 std::string& problem)
{
    const auto document = vj::parseFrame(body, problem);
    if (!document) {
        return std::nullopt;
    }
    const json* universe = document->is_object() ? vj::member(*document, "universe") : nullptr;
    if (universe == nullptr || !universe->is_array()) {
        problem = "Hyperliquid meta: no \"universe\" array";
        return std::nullopt;
    }
    std::map<std::string, int, std::less<>> leverage;
    for (const json& asset : *universe) {
        if (!asset.is_object()) {
            continue;
        }
        std::string ignored;
        const auto name = vj::symbol(asset, "name", ignored);
        const json* maxLeverage = vj::member(asset, "maxLeverage");
        if (name && maxLeverage != nullptr && maxLeverage->is_number_integer()) {
            const auto value = maxLeverage->get<std::int64_t>();
            if (value > 0 && value <= 1000) {
                leverage.emplace(*name, static_cast<int>(value));
            }
        }
    }
    return leverage;
}

} // namespace mm
