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

namespace {

/// The list of instruments in a venue's answer, or nullptr and `problem`.
const json* instrumentArray(Venue venue, const json& document, std::string& problem)
{
    if (!document.is_object()) {
        problem = "instruments: the answer is not an object";
        return nullptr;
    }
    const json* list = nullptr;
    switch (venue) {
    case Venue::BinanceUsdm: list = vj::member(document, "symbols"); break;
    case Venue::BybitLinear: {
        const json* retCode = vj::member(document, "retCode");
        if (retCode == nullptr || !retCode->is_number_integer() || retCode->get<long long>() != 0) {
            problem = "Bybit instruments: error answer" + (retCode != nullptr ? " " + retCode->dump() : std::string());
            return nullptr;
        }
        const json* result = vj::member(document, "result");
        list = result != nullptr && result->is_object() ? vj::member(*result, "list") : nullptr;
        break;
    }
    case Venue::OkxSwap: {
        const json* code = vj::member(document, "code");
        if (code == nullptr || !code->is_string() || code->get_ref<const std::string&>() != "0") {
            problem = "OKX instruments: error answer" + (code != nullptr ? " " + code->dump() : std::string());
            return nullptr;
        }
        list = vj::member(document, "data");
        break;
    }
    case Venue::Hyperliquid:
    case Venue::Generic: problem = "instruments: no order-size rules for this venue"; return nullptr;
    }
    if (list == nullptr || !list->is_array()) {
        problem = "instruments: no list of instruments in the answer";
        return nullptr;
    }
    return list;
}

std::optional<OrderSizeRules> binanceRules(const json& instrument)
{
    const json* filters = vj::member(instrument, "filters");
    if (filters == nullptr || !filters->is_array()) {
        return std::nullopt;
    }
    std::optional<OrderSizeRules> lot;
    std::optional<OrderSizeRules> market;
    Decimal minNotional;
    for (const json& filter : *filters) {
        if (!filter.is_object()) {
            continue;
        }
        std::string ignored;
        const auto type = vj::text(filter, "filterType", ignored);
        if (!type) {
            continue;
        }
        if (*type == "LOT_SIZE" || *type == "MARKET_LOT_SIZE") {
            const auto step = vj::optionalDecimal(filter, "stepSize", ignored);
            const auto minimum = vj::optionalDecimal(filter, "minQty", ignored);
            if (step && *step > Decimal() && minimum) {
                (*type == "LOT_SIZE" ? lot : market) = OrderSizeRules{*step, *minimum, {}};
            }
        } else if (*type == "MIN_NOTIONAL") {
            minNotional = vj::optionalDecimal(filter, "notional", ignored).value_or(Decimal());
        }
    }
    auto rules = market ? market : lot; // a market order is held to MARKET_LOT_SIZE
    if (rules) {
        rules->minNotional = minNotional;
    }
    return rules;
}

} // namespace

std::optional<std::map<std::string, OrderSizeRules, std::less<>>> parseOrderSizeRules(Venue venue, std::string_view body,
                                                                                     std::string& problem)
{
    const auto document = vj::parseFrame(body, problem);
    if (!document) {
        return std::nullopt;
    }
    const json* list = instrumentArray(venue, *document, problem);
    if (list == nullptr) {
        return std::nullopt;
    }
    std::map<std::string, OrderSizeRules, std::less<>> rules;
    for (const json& instrument : *list) {
        if (!instrument.is_object()) {
            continue;
        }
        std::string ignored;
        switch (venue) {
        case Venue::BinanceUsdm: {
            const auto symbol = vj::symbol(instrument, "symbol", ignored);
            const auto found = binanceRules(instrument);
            if (symbol && found) {
                rules.emplace(*symbol, *found);
            }
            break;
        }
        case Venue::BybitLinear: {
            const auto symbol = vj::symbol(instrument, "symbol", ignored);
            const json* lot = vj::member(instrument, "lotSizeFilter");
            if (!symbol || lot == nullptr || !lot->is_object()) {
                break;
            }
            const auto step = vj::optionalDecimal(*lot, "qtyStep", ignored);
            const auto minimum = vj::optionalDecimal(*lot, "minOrderQty", ignored);
            if (step && *step > Decimal() && minimum) {
                rules.emplace(*symbol, OrderSizeRules{*step, *minimum, vj::optionalDecimal(*lot, "minNotionalValue", ignored).value_or(Decimal())});
            }
            break;
        }
        case Venue::OkxSwap: {
            const auto instId = vj::symbol(instrument, "instId", ignored);
            const auto contractValue = vj::optionalDecimal(instrument, "ctVal", ignored);
            const auto lotSize = vj::optionalDecimal(instrument, "lotSz", ignored);
            const auto minSize = vj::optionalDecimal(instrument, "minSz", ignored);
            if (instId && contractValue && *contractValue > Decimal() && lotSize && *lotSize > Decimal() && minSize) {
                rules.emplace(*instId, OrderSizeRules{*lotSize * *contractValue, *minSize * *contractValue, {}});
            }
            break;
        }
        case Venue::Hyperliquid:
        case Venue::Generic: break;
        }
    }
    return rules;
}

} // namespace mm
