#include "portfolio/portfolio_file.h"

#include "margin/builtin_instruments.h"
#include "money/exact_json.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
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

/// Writes the report as indented JSON straight into a string: building a DOM first would cost more
/// than the evaluation itself on a large portfolio (see tests/bench).
class ReportWriter {
public:
    explicit ReportWriter(std::size_t positions) { m_text.reserve(400 * positions + 512); }

    void open(char bracket)
    {
        m_text += bracket;
        ++m_depth;
        m_first = true;
    }
    void close(char bracket)
    {
        --m_depth;
        newline();
        m_text += bracket;
        m_first = false;
    }
    void key(std::string_view name)
    {
        item();
        string(name);
        m_text += ": ";
    }
    void item()
    {
        if (!m_first) {
            m_text += ',';
        }
        m_first = false;
        newline();
    }
    void string(std::string_view text)
    {
        m_text += '"';
        for (const char c : text) {
            if (c == '"' || c == '\\') {
                m_text += '\\';
                m_text += c;
            } else if (static_cast<unsigned char>(c) < 0x20) {
                char escaped[8];
                std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
                m_text += escaped;
            } else {
                m_text += c;
            }
        }
        m_text += '"';
    }
    /// Shortest text that reads back as the same double; null for NaN and infinities.
    void number(double value)
    {
        if (!std::isfinite(value)) {
            m_text += "null";
            return;
        }
        char buffer[32];
        const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
        m_text.append(buffer, result.ptr);
    }
    void number(const std::optional<double>& value) { value ? number(*value) : null(); }
    void integer(int value) { m_text += std::to_string(value); }
    void null() { m_text += "null"; }

    template <typename Write>
    void field(std::string_view name, Write&& write)
    {
        key(name);
        write();
    }

    std::string take()
    {
        m_text += '\n';
        return std::move(m_text);
    }

private:
    void newline()
    {
        m_text += '\n';
        m_text.append(static_cast<std::size_t>(2 * m_depth), ' ');
    }

    std::string m_text;
    int m_depth = 0;
    bool m_first = true;
};

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

std::string portfolioRiskToJson(const Portfolio& portfolio, const PortfolioRisk& risk)
{
    ReportWriter out(portfolio.positions.size());
    out.open('{');
    out.field("venue", [&] { out.string(venueName(portfolio.account.venue)); });
    out.field("label", [&] { out.string(portfolio.account.label); });
    out.key("positions");
    out.open('[');
    for (std::size_t i = 0; i < portfolio.positions.size(); ++i) {
        const Position& position = portfolio.positions[i];
        const PositionRisk& row = risk.positions[i];
        out.item();
        out.open('{');
        out.field("symbol", [&] { out.string(position.symbol); });
        out.field("side", [&] { out.string(position.side == Side::Long ? "long" : "short"); });
        out.field("marginMode", [&] { out.string(position.marginMode == MarginMode::Cross ? "cross" : "isolated"); });
        out.field("markPrice", [&] { out.number(position.markPrice.toDouble()); });
        out.field("liquidationPrice", [&] { out.number(row.liquidationPrice); });
        out.field("distanceToLiquidation", [&] { out.number(row.distanceToLiquidation); });
        out.field("distanceToLiquidationPct", [&] { out.number(row.distanceToLiquidationPct); });
        out.field("notional", [&] { out.number(row.notional.toDouble()); });
        out.field("maintenanceMargin", [&] { out.number(row.maintenanceMargin.toDouble()); });
        out.field("marginRatio", [&] { out.number(row.marginRatio); });
        out.field("unrealizedPnl", [&] { out.number(row.unrealizedPnl.toDouble()); });
        out.field("tier", [&] { row.tier == 0 ? out.null() : out.integer(row.tier); });
        out.close('}');
    }
    out.close(']');
    const AccountRisk& account = risk.account;
    out.key("account");
    out.open('{');
    out.field("walletBalance", [&] { out.number(account.walletBalance.toDouble()); });
    out.field("unrealizedPnl", [&] { out.number(account.unrealizedPnl.toDouble()); });
    out.field("marginBalance", [&] { out.number(account.marginBalance.toDouble()); });
    out.field("maintenanceMargin", [&] { out.number(account.maintenanceMargin.toDouble()); });
    out.field("marginRatio", [&] { out.number(account.marginRatio); });
    out.field("nativeMarginRatio", [&] { out.number(account.nativeMarginRatio); });
    out.close('}');
    out.close('}');
    return out.take();
}

} // namespace mm
