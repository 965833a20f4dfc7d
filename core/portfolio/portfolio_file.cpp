#include "portfolio/portfolio_file.h"

#include "margin/builtin_instruments.h"
#include "money/exact_json.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <map>
#include <optional>
#include <tuple>

namespace mm {
namespace {

using json = nlohmann::json;

constexpr int kMaxLeverageLimit = 1000;
constexpr std::size_t kMaxSymbolLength = 64;

/// Values far beyond any real account; they keep every sum well inside Decimal's range.
const Decimal& largestNotional()
{
    static const Decimal limit = Decimal::parse("1e15");
    return limit;
}

enum class Sign { Positive, NonNegative };

std::string quote(const std::string& text)
{
    return json(text).dump(-1, ' ', false, json::error_handler_t::replace);
}

/// Reads the fields of one JSON object, naming each by its path in errors.
class ObjectReader {
public:
    ObjectReader(const json& value, std::string path, std::initializer_list<std::string_view> knownFields)
        : m_object(value), m_path(std::move(path))
    {
        if (!value.is_object()) {
            fail(m_path, "must be an object, got " + describeJsonType(value));
        }
        for (const auto& [name, item] : value.items()) {
            if (std::find(knownFields.begin(), knownFields.end(), name) == knownFields.end()) {
                std::string known;
                for (std::string_view field : knownFields) {
                    known += known.empty() ? "" : ", ";
                    known += field;
                }
                fail(fieldPath(name), "unknown field (known fields here: " + known + ")");
            }
        }
    }

    [[noreturn]] static void fail(const std::string& field, const std::string& reason)
    {
        throw PortfolioFileError(field, reason);
    }

    [[nodiscard]] std::string fieldPath(std::string_view name) const
    {
        return m_path.empty() ? std::string(name) : m_path + "." + std::string(name);
    }

    [[nodiscard]] const json* find(std::string_view name) const
    {
        const auto it = m_object.find(name);
        return it == m_object.end() ? nullptr : &*it;
    }

    [[nodiscard]] const json& required(std::string_view name) const
    {
        const json* value = find(name);
        if (value == nullptr) {
            fail(fieldPath(name), "is required");
        }
        return *value;
    }

    [[nodiscard]] std::optional<std::string> optionalString(std::string_view name) const
    {
        const json* value = find(name);
        if (value == nullptr) {
            return std::nullopt;
        }
        if (!value->is_string()) {
            fail(fieldPath(name), "must be a string, got " + describeJsonType(*value));
        }
        return value->get<std::string>();
    }

    [[nodiscard]] std::string requiredString(std::string_view name) const
    {
        (void)required(name);
        return *optionalString(name);
    }

    /// One of `choices` (compared without regard to case); returns its index.
    [[nodiscard]] std::optional<std::size_t> optionalChoice(std::string_view name,
                                                            std::initializer_list<std::string_view> choices) const
    {
        const auto text = optionalString(name);
        if (!text) {
            return std::nullopt;
        }
        std::string lower = *text;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
        std::string expected;
        std::size_t index = 0;
        for (std::string_view choice : choices) {
            if (lower == choice) {
                return index;
            }
            expected += index == 0 ? "" : (index + 1 == choices.size() ? " or " : ", ");
            expected += "\"" + std::string(choice) + "\"";
            ++index;
        }
        fail(fieldPath(name), "must be " + expected + ", got " + quote(*text));
    }

    [[nodiscard]] std::optional<Decimal> optionalDecimal(std::string_view name, Sign sign) const
    {
        const json* value = find(name);
        if (value == nullptr) {
            return std::nullopt;
        }
        if (!holdsDecimal(*value)) {
            fail(fieldPath(name), "must be a number or a decimal string, got " + describeJsonType(*value));
        }
        Decimal number;
        try {
            number = decimalFromJson(*value);
        } catch (const DecimalError& error) {
            fail(fieldPath(name), error.what());
        }
        if (sign == Sign::Positive && !number.isPositive()) {
            fail(fieldPath(name), "must be greater than 0, got " + number.toString());
        }
        if (sign == Sign::NonNegative && number.isNegative()) {
            fail(fieldPath(name), "must not be negative, got " + number.toString());
        }
        return number;
    }

    [[nodiscard]] Decimal requiredDecimal(std::string_view name, Sign sign) const
    {
        (void)required(name);
        return *optionalDecimal(name, sign);
    }

    [[nodiscard]] std::optional<int> optionalInteger(std::string_view name, int lowest, int highest) const
    {
        const auto number = optionalDecimal(name, Sign::Positive);
        if (!number) {
            return std::nullopt;
        }
        if (*number != number->roundToStep(Decimal::fromInteger(1), Decimal::Rounding::Down) ||
            *number < Decimal::fromInteger(lowest) || *number > Decimal::fromInteger(highest)) {
            fail(fieldPath(name), "must be a whole number from " + std::to_string(lowest) + " to " +
                                      std::to_string(highest) + ", got " + number->toString());
        }
        return static_cast<int>(std::lround(number->toDouble()));
    }

private:
    const json& m_object;
    std::string m_path;
};

MarginMode readMarginMode(const ObjectReader& reader, MarginMode fallback)
{
    // Binance spells cross "cross" in one endpoint and "CROSSED" in another: accept both.
    const auto choice = reader.optionalChoice("marginMode", {"cross", "crossed", "isolated"});
    if (!choice) {
        return fallback;
    }
    return *choice == 2 ? MarginMode::Isolated : MarginMode::Cross;
}

/// Shares one Instrument among all positions with the same maintenance terms.
class InstrumentResolver {
public:
    explicit InstrumentResolver(Venue venue) : m_venue(venue) {}

    std::shared_ptr<const Instrument> resolve(const ObjectReader& reader, const std::string& symbol)
    {
        const auto rate = reader.optionalDecimal("maintenanceMarginRate", Sign::NonNegative);
        const auto amount = reader.optionalDecimal("maintenanceAmount", Sign::NonNegative);
        const auto maxLeverage = reader.optionalInteger("maxLeverage", 1, kMaxLeverageLimit);
        if (rate) {
            if (*rate >= Decimal::fromInteger(1)) {
                ObjectReader::fail(reader.fieldPath("maintenanceMarginRate"),
                                   "must be below 1 (a fraction: 0.004 is 0.4 %), got " + rate->toString());
            }
            const Decimal maintenanceAmount = amount.value_or(Decimal());
            auto& cached = m_given[std::make_tuple(symbol, *rate, maintenanceAmount)];
            if (!cached) {
                cached = instrumentWithMaintenance(m_venue, symbol, *rate, maintenanceAmount);
            }
            return cached;
        }
        if (amount) {
            ObjectReader::fail(reader.fieldPath("maintenanceAmount"), "needs maintenanceMarginRate beside it");
        }
        if (m_venue == Venue::Hyperliquid) {
            if (!maxLeverage) {
                ObjectReader::fail(reader.fieldPath("maxLeverage"),
                                   "is required for hyperliquid positions (maintenance rate = 1 / (2 × max leverage)), "
                                   "or give maintenanceMarginRate");
            }
            auto& cached = m_hyperliquid[std::make_pair(symbol, *maxLeverage)];
            if (!cached) {
                cached = hyperliquidInstrument(symbol, *maxLeverage);
            }
            return cached;
        }
        if (auto published = publishedInstrument(m_venue, symbol)) {
            return published;
        }
        ObjectReader::fail(reader.fieldPath("maintenanceMarginRate"),
                           "is required: there is no built-in tier table for " + quote(symbol) + " on " +
                               std::string(venueName(m_venue)));
    }

private:
    Venue m_venue;
    std::map<std::tuple<std::string, Decimal, Decimal>, std::shared_ptr<const Instrument>> m_given;
    std::map<std::pair<std::string, int>, std::shared_ptr<const Instrument>> m_hyperliquid;
};

Position readPosition(const json& value, const std::string& path, const Account& account, InstrumentResolver& instruments)
{
    const ObjectReader reader(value, path,
                              {"symbol", "side", "quantity", "entryPrice", "markPrice", "marginMode", "isolatedMargin",
                               "maintenanceMarginRate", "maintenanceAmount", "leverage", "takerFeeRate", "maxLeverage",
                               "positionSide"});
    Position position;
    position.symbol = reader.requiredString("symbol");
    if (position.symbol.empty() || position.symbol.size() > kMaxSymbolLength) {
        ObjectReader::fail(reader.fieldPath("symbol"), "must be 1 to 64 characters long");
    }
    const auto side = reader.optionalChoice("side", {"long", "short"});
    if (!side) {
        ObjectReader::fail(reader.fieldPath("side"), "is required (\"long\" or \"short\")");
    }
    position.side = *side == 0 ? Side::Long : Side::Short;
    position.quantity = reader.requiredDecimal("quantity", Sign::Positive);
    position.entryPrice = reader.requiredDecimal("entryPrice", Sign::Positive);
    position.markPrice = reader.optionalDecimal("markPrice", Sign::Positive).value_or(position.entryPrice);
    position.marginMode = readMarginMode(reader, account.marginMode);
    position.isolatedMargin = reader.optionalDecimal("isolatedMargin", Sign::NonNegative);
    position.leverage = reader.optionalDecimal("leverage", Sign::Positive);
    position.takerFeeRate = reader.optionalDecimal("takerFeeRate", Sign::NonNegative).value_or(Decimal());

    for (const Decimal* price : {&position.entryPrice, &position.markPrice}) {
        bool tooLarge = true;
        try {
            tooLarge = position.quantity * *price > largestNotional();
        } catch (const DecimalError&) { // the product itself leaves Decimal's range
        }
        if (tooLarge) {
            ObjectReader::fail(path, "quantity × price is beyond 1e15: check the units");
        }
    }
    if (position.leverage && *position.leverage > Decimal::fromInteger(kMaxLeverageLimit)) {
        ObjectReader::fail(reader.fieldPath("leverage"), "must be at most 1000, got " + position.leverage->toString());
    }
    if (position.takerFeeRate >= Decimal::parse("0.1")) {
        ObjectReader::fail(reader.fieldPath("takerFeeRate"),
                           "must be a fraction below 0.1 (0.0005 is 0.05 %), got " + position.takerFeeRate.toString());
    }
    if (position.marginMode == MarginMode::Isolated && !position.isolatedMargin && !position.leverage) {
        ObjectReader::fail(reader.fieldPath("isolatedMargin"), "is required for an isolated position (or give leverage)");
    }
    if (const auto legSide = reader.optionalChoice("positionSide", {"both", "long", "short"})) {
        position.positionSide = *legSide == 0 ? PositionSide::Both : (*legSide == 1 ? PositionSide::Long : PositionSide::Short);
        if (position.positionSide != PositionSide::Both &&
            (position.positionSide == PositionSide::Long) != (position.side == Side::Long)) {
            ObjectReader::fail(reader.fieldPath("positionSide"), "a hedge-mode leg must match the position's side");
        }
    }
    position.instrument = instruments.resolve(reader, position.symbol);
    return position;
}

/// One-way mode allows one position per symbol and margin mode; hedge mode one long and one short leg.
void checkLegs(const std::vector<Position>& positions)
{
    std::map<std::tuple<std::string_view, MarginMode, PositionSide>, std::size_t> seen;
    std::map<std::pair<std::string_view, MarginMode>, bool> oneWay;
    for (std::size_t i = 0; i < positions.size(); ++i) {
        const Position& position = positions[i];
        const auto key = std::make_tuple(std::string_view(position.symbol), position.marginMode, position.positionSide);
        const std::string here = "positions[" + std::to_string(i) + "]";
        if (const auto [it, inserted] = seen.emplace(key, i); !inserted) {
            ObjectReader::fail(here, "a second " + std::string(position.marginMode == MarginMode::Cross ? "cross" : "isolated") +
                                         " position on " + position.symbol + " with the same positionSide as positions[" +
                                         std::to_string(it->second) + "]; combine them into one");
        }
        const auto modeKey = std::make_pair(std::string_view(position.symbol), position.marginMode);
        const bool isOneWay = position.positionSide == PositionSide::Both;
        if (const auto [it, inserted] = oneWay.emplace(modeKey, isOneWay); !inserted && it->second != isOneWay) {
            ObjectReader::fail(here + ".positionSide", "mixes one-way (\"both\") and hedge legs on " + position.symbol);
        }
    }
}

using ordered_json = nlohmann::ordered_json;

ordered_json ratioToJson(double ratio)
{
    return std::isfinite(ratio) ? ordered_json(ratio) : ordered_json(nullptr);
}

ordered_json optionalToJson(const std::optional<double>& value)
{
    return value && std::isfinite(*value) ? ordered_json(*value) : ordered_json(nullptr);
}

} // namespace

PortfolioFileError::PortfolioFileError(std::string field, std::string reason)
    : std::runtime_error(field.empty() ? reason : field + ": " + reason), m_field(std::move(field)), m_reason(std::move(reason))
{
}

Portfolio readPortfolio(std::string_view jsonText)
{
    json document;
    try {
        document = parseExactJson(jsonText);
    } catch (const JsonSyntaxError& error) {
        throw PortfolioFileError("", std::string("not valid JSON: ") + error.what());
    }
    const ObjectReader reader(document, "", {"venue", "label", "marginMode", "walletBalance", "positions"});
    Portfolio portfolio;
    Account& account = portfolio.account;
    const std::string venue = reader.requiredString("venue");
    const auto parsedVenue = venueFromName(venue);
    if (!parsedVenue) {
        ObjectReader::fail("venue", "unknown venue " + quote(venue) + " (expected " + std::string(venueNameList()) + ")");
    }
    account.venue = *parsedVenue;
    account.label = reader.optionalString("label").value_or(std::string(venueName(account.venue)));
    account.marginMode = readMarginMode(reader, MarginMode::Cross);
    account.walletBalance = reader.requiredDecimal("walletBalance", Sign::NonNegative);
    if (account.walletBalance > largestNotional()) {
        ObjectReader::fail("walletBalance", "is beyond 1e15: check the units");
    }

    const json& positions = reader.required("positions");
    if (!positions.is_array()) {
        ObjectReader::fail("positions", "must be an array, got " + describeJsonType(positions));
    }
    InstrumentResolver instruments(account.venue);
    portfolio.positions.reserve(positions.size());
    for (std::size_t i = 0; i < positions.size(); ++i) {
        portfolio.positions.push_back(readPosition(positions[i], "positions[" + std::to_string(i) + "]", account, instruments));
    }
    checkLegs(portfolio.positions);
    return portfolio;
}

nlohmann::ordered_json portfolioRiskToJson(const Portfolio& portfolio, const PortfolioRisk& risk)
{
    ordered_json positions = ordered_json::array();
    for (std::size_t i = 0; i < portfolio.positions.size(); ++i) {
        const Position& position = portfolio.positions[i];
        const PositionRisk& positionRisk = risk.positions[i];
        ordered_json row = ordered_json::object();
        row["symbol"] = position.symbol;
        row["side"] = position.side == Side::Long ? "long" : "short";
        row["marginMode"] = position.marginMode == MarginMode::Cross ? "cross" : "isolated";
        row["markPrice"] = position.markPrice.toDouble();
        row["liquidationPrice"] = optionalToJson(positionRisk.liquidationPrice);
        row["distanceToLiquidation"] = optionalToJson(positionRisk.distanceToLiquidation);
        row["distanceToLiquidationPct"] = optionalToJson(positionRisk.distanceToLiquidationPct);
        row["notional"] = positionRisk.notional.toDouble();
        row["maintenanceMargin"] = positionRisk.maintenanceMargin.toDouble();
        row["marginRatio"] = ratioToJson(positionRisk.marginRatio);
        row["unrealizedPnl"] = positionRisk.unrealizedPnl.toDouble();
        row["tier"] = positionRisk.tier == 0 ? ordered_json(nullptr) : ordered_json(positionRisk.tier);
        positions.push_back(std::move(row));
    }
    const AccountRisk& account = risk.account;
    ordered_json accountJson = ordered_json::object();
    accountJson["walletBalance"] = account.walletBalance.toDouble();
    accountJson["unrealizedPnl"] = account.unrealizedPnl.toDouble();
    accountJson["marginBalance"] = account.marginBalance.toDouble();
    accountJson["maintenanceMargin"] = account.maintenanceMargin.toDouble();
    accountJson["marginRatio"] = ratioToJson(account.marginRatio);
    accountJson["nativeMarginRatio"] = ratioToJson(account.nativeMarginRatio);
    ordered_json document = ordered_json::object();
    document["venue"] = venueName(portfolio.account.venue);
    document["label"] = portfolio.account.label;
    document["positions"] = std::move(positions);
    document["account"] = std::move(accountJson);
    return document;
}

} // namespace mm
