#include "portfolio/portfolio_file.h"

#include "margin/builtin_instruments.h"
#include "money/exact_json.h"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <unordered_map>

// The reader streams the file through nlohmann's SAX interface and keeps each field as its raw
// text until it is checked: no JSON DOM is built. On a 100,000-position portfolio the DOM (a
// std::map per object) cost more than reading, checking and evaluating everything else together.

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

/// OKX counts the taker fee of closing in the requirement; without a rate from the trader, its
/// regular-tier USDT swap taker fee (0.05 %) is assumed — 0 would understate the requirement.
const Decimal& okxDefaultTakerFee()
{
    static const Decimal fee = Decimal::parse("0.0005");
    return fee;
}

enum class Sign { Positive, NonNegative };

std::string quote(std::string_view text)
{
    return json(std::string(text)).dump(-1, ' ', false, json::error_handler_t::replace);
}

/// A name from the file as it may appear in a one-line message: control characters escaped.
std::string printable(std::string_view text)
{
    const bool plain = std::none_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == '"'; });
    return plain ? std::string(text) : quote(text);
}

/// A JSON value as the reader holds it until it is checked.
struct RawValue {
    enum class Kind { Missing, Null, Boolean, Number, String, Object, Array };
    Kind kind = Kind::Missing;
    std::string text; ///< a number's source text, or a string's content
    bool boolean = false;
};

std::string describe(const RawValue& value)
{
    switch (value.kind) {
    case RawValue::Kind::Missing:
        return "nothing";
    case RawValue::Kind::Null:
        return "null";
    case RawValue::Kind::Boolean:
        return value.boolean ? "true" : "false";
    case RawValue::Kind::Number:
        return "a number";
    case RawValue::Kind::String:
        return "a string";
    case RawValue::Kind::Object:
        return "an object";
    case RawValue::Kind::Array:
        return "an array";
    }
    return "an unknown value";
}

// The fields of the format, in the order they are documented.
enum TopField : std::size_t { kVenue, kLabel, kAccountMarginMode, kWalletBalance, kPositions, kTopFieldCount };
constexpr std::array<std::string_view, kTopFieldCount> kTopFieldNames{"venue", "label", "marginMode", "walletBalance",
                                                                      "positions"};
enum PositionField : std::size_t {
    kSymbol,
    kSide,
    kQuantity,
    kEntryPrice,
    kMarkPrice,
    kMarginMode,
    kIsolatedMargin,
    kMaintenanceMarginRate,
    kMaintenanceAmount,
    kLeverage,
    kTakerFeeRate,
    kMaxLeverage,
    kPositionSide,
    kPositionFieldCount
};
constexpr std::array<std::string_view, kPositionFieldCount> kPositionFieldNames{
    "symbol",   "side",         "quantity",    "entryPrice",  "markPrice", "marginMode", "isolatedMargin",
    "maintenanceMarginRate", "maintenanceAmount", "leverage", "takerFeeRate", "maxLeverage", "positionSide"};

template <std::size_t N>
std::optional<std::size_t> fieldIndex(const std::array<std::string_view, N>& names, std::string_view name)
{
    for (std::size_t i = 0; i < N; ++i) {
        if (names[i] == name) {
            return i;
        }
    }
    return std::nullopt;
}

template <std::size_t N>
std::string fieldList(const std::array<std::string_view, N>& names)
{
    std::string list;
    for (std::string_view name : names) {
        list += list.empty() ? "" : ", ";
        list += name;
    }
    return list;
}

/// Names a field in error messages: "walletBalance", "positions[3].quantity", "positions[3]".
struct FieldName {
    std::optional<std::size_t> position; ///< index in positions; none at the top level
    std::string_view name;               ///< empty for the position itself

    [[nodiscard]] std::string path() const
    {
        if (!position) {
            return printable(name);
        }
        std::string path = "positions[" + std::to_string(*position) + "]";
        if (!name.empty()) {
            path += ".";
            path += printable(name);
        }
        return path;
    }
};

[[noreturn]] void fail(const FieldName& field, const std::string& reason)
{
    throw PortfolioFileError(field.path(), reason);
}

void require(const RawValue& value, const FieldName& field, std::string_view hint = {})
{
    if (value.kind == RawValue::Kind::Missing) {
        fail(field, hint.empty() ? std::string("is required") : "is required (" + std::string(hint) + ")");
    }
}

std::optional<std::string_view> readString(const RawValue& value, const FieldName& field)
{
    if (value.kind == RawValue::Kind::Missing) {
        return std::nullopt;
    }
    if (value.kind != RawValue::Kind::String) {
        fail(field, "must be a string, got " + describe(value));
    }
    return value.text;
}

/// One of `choices`, compared without regard to case; returns its index.
std::optional<std::size_t> readChoice(const RawValue& value, const FieldName& field,
                                      std::initializer_list<std::string_view> choices)
{
    const auto text = readString(value, field);
    if (!text) {
        return std::nullopt;
    }
    std::size_t index = 0;
    std::string expected;
    for (std::string_view choice : choices) {
        const bool same = std::equal(text->begin(), text->end(), choice.begin(), choice.end(),
                                     [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
        if (same) {
            return index;
        }
        expected += index == 0 ? "" : (index + 1 == choices.size() ? " or " : ", ");
        expected += "\"" + std::string(choice) + "\"";
        ++index;
    }
    fail(field, "must be " + expected + ", got " + quote(*text));
}

std::optional<Decimal> readDecimal(const RawValue& value, const FieldName& field, Sign sign)
{
    if (value.kind == RawValue::Kind::Missing) {
        return std::nullopt;
    }
    if (value.kind != RawValue::Kind::Number && value.kind != RawValue::Kind::String) {
        fail(field, "must be a number or a decimal string, got " + describe(value));
    }
    Decimal number;
    try {
        number = Decimal::parse(value.text);
    } catch (const DecimalError& error) {
        fail(field, error.what());
    }
    if (sign == Sign::Positive && !number.isPositive()) {
        fail(field, "must be greater than 0, got " + number.toString());
    }
    if (sign == Sign::NonNegative && number.isNegative()) {
        fail(field, "must not be negative, got " + number.toString());
    }
    return number;
}

std::optional<int> readWholeNumber(const RawValue& value, const FieldName& field, int lowest, int highest)
{
    const auto number = readDecimal(value, field, Sign::Positive);
    if (!number) {
        return std::nullopt;
    }
    if (*number != number->roundToStep(Decimal::fromInteger(1), Decimal::Rounding::Down) ||
        *number < Decimal::fromInteger(lowest) || *number > Decimal::fromInteger(highest)) {
        fail(field, "must be a whole number from " + std::to_string(lowest) + " to " + std::to_string(highest) +
                        ", got " + number->toString());
    }
    return static_cast<int>(number->toDouble());
}

std::optional<MarginMode> readMarginMode(const RawValue& value, const FieldName& field)
{
    // Binance spells cross "cross" in one endpoint and "CROSSED" in another: accept both.
    const auto choice = readChoice(value, field, {"cross", "crossed", "isolated"});
    if (!choice) {
        return std::nullopt;
    }
    return *choice == 2 ? MarginMode::Isolated : MarginMode::Cross;
}

/// One position as read, before the account's defaults and the venue's instruments apply.
struct PositionDraft {
    Position position;
    std::optional<MarginMode> marginMode;
    std::optional<Decimal> maintenanceMarginRate;
    std::optional<Decimal> maintenanceAmount;
    std::optional<int> maxLeverage;
    std::optional<Decimal> takerFeeRate;
};

PositionDraft readPositionFields(const std::array<RawValue, kPositionFieldCount>& fields, std::size_t index)
{
    const auto at = [index](PositionField field) { return FieldName{index, kPositionFieldNames[field]}; };
    PositionDraft draft;
    Position& position = draft.position;

    require(fields[kSymbol], at(kSymbol));
    position.symbol = std::string(*readString(fields[kSymbol], at(kSymbol)));
    if (position.symbol.empty() || position.symbol.size() > kMaxSymbolLength) {
        fail(at(kSymbol), "must be 1 to 64 characters long");
    }
    if (std::any_of(position.symbol.begin(), position.symbol.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
        fail(at(kSymbol), "must not contain control characters, got " + quote(position.symbol));
    }
    require(fields[kSide], at(kSide), "\"long\" or \"short\"");
    position.side = *readChoice(fields[kSide], at(kSide), {"long", "short"}) == 0 ? Side::Long : Side::Short;
    require(fields[kQuantity], at(kQuantity));
    position.quantity = *readDecimal(fields[kQuantity], at(kQuantity), Sign::Positive);
    require(fields[kEntryPrice], at(kEntryPrice));
    position.entryPrice = *readDecimal(fields[kEntryPrice], at(kEntryPrice), Sign::Positive);
    position.markPrice = readDecimal(fields[kMarkPrice], at(kMarkPrice), Sign::Positive).value_or(position.entryPrice);
    draft.marginMode = readMarginMode(fields[kMarginMode], at(kMarginMode));
    position.isolatedMargin = readDecimal(fields[kIsolatedMargin], at(kIsolatedMargin), Sign::NonNegative);
    position.leverage = readDecimal(fields[kLeverage], at(kLeverage), Sign::Positive);
    draft.takerFeeRate = readDecimal(fields[kTakerFeeRate], at(kTakerFeeRate), Sign::NonNegative);
    position.takerFeeRate = draft.takerFeeRate.value_or(Decimal());
    draft.maintenanceMarginRate = readDecimal(fields[kMaintenanceMarginRate], at(kMaintenanceMarginRate), Sign::NonNegative);
    draft.maintenanceAmount = readDecimal(fields[kMaintenanceAmount], at(kMaintenanceAmount), Sign::NonNegative);
    draft.maxLeverage = readWholeNumber(fields[kMaxLeverage], at(kMaxLeverage), 1, kMaxLeverageLimit);

    for (const Decimal* price : {&position.entryPrice, &position.markPrice}) {
        bool tooLarge = true;
        try {
            tooLarge = position.quantity * *price > largestNotional();
        } catch (const DecimalError&) { // the product itself leaves Decimal's range
        }
        if (tooLarge) {
            fail({index, {}}, "quantity × price is beyond 1e15: check the units");
        }
    }
    if (position.leverage &&
        (*position.leverage < Decimal::fromInteger(1) || *position.leverage > Decimal::fromInteger(kMaxLeverageLimit))) {
        fail(at(kLeverage), "must be from 1 to 1000, got " + position.leverage->toString());
    }
    if (position.isolatedMargin && *position.isolatedMargin > largestNotional()) {
        fail(at(kIsolatedMargin), "is beyond 1e15: check the units");
    }
    if (draft.maintenanceAmount && *draft.maintenanceAmount > largestNotional()) {
        fail(at(kMaintenanceAmount), "is beyond 1e15: check the units");
    }
    if (position.takerFeeRate >= Decimal::parse("0.1")) {
        fail(at(kTakerFeeRate), "must be a fraction below 0.1 (0.0005 is 0.05 %), got " + position.takerFeeRate.toString());
    }
    if (draft.maintenanceMarginRate && *draft.maintenanceMarginRate >= Decimal::fromInteger(1)) {
        fail(at(kMaintenanceMarginRate),
             "must be below 1 (a fraction: 0.004 is 0.4 %), got " + draft.maintenanceMarginRate->toString());
    }
    if (draft.maintenanceAmount && !draft.maintenanceMarginRate) {
        fail(at(kMaintenanceAmount), "needs maintenanceMarginRate beside it");
    }
    if (draft.maintenanceAmount && draft.maintenanceAmount->isPositive()) {
        // Binance's cum and Bybit's deduction belong to the tier of the position's notional; an amount
        // beyond notional × rate would make the maintenance margin negative.
        const Decimal atMark = position.notionalAt(position.markPrice) * *draft.maintenanceMarginRate;
        if (*draft.maintenanceAmount > atMark) {
            fail(at(kMaintenanceAmount), draft.maintenanceAmount->toString() + " is more than notional × rate at the mark (" +
                                             atMark.toString() + "): take the rate and amount from the tier of this "
                                             "position's notional");
        }
    }
    if (const auto legSide = readChoice(fields[kPositionSide], at(kPositionSide), {"both", "long", "short"})) {
        position.positionSide = *legSide == 0 ? PositionSide::Both : (*legSide == 1 ? PositionSide::Long : PositionSide::Short);
        if (position.positionSide != PositionSide::Both &&
            (position.positionSide == PositionSide::Long) != (position.side == Side::Long)) {
            fail(at(kPositionSide), "a hedge-mode leg must match the position's side");
        }
    }
    return draft;
}

/// Collects the top-level fields and the position drafts from nlohmann's SAX events.
class PortfolioSax {
public:
    std::array<RawValue, kTopFieldCount> top;
    std::vector<PositionDraft> drafts;

    bool null() { return scalar(RawValue::Kind::Null, {}); }
    bool boolean(bool value) { return scalar(RawValue::Kind::Boolean, {}, value); }
    bool number_integer(json::number_integer_t value) { return scalar(RawValue::Kind::Number, std::to_string(value)); }
    bool number_unsigned(json::number_unsigned_t value) { return scalar(RawValue::Kind::Number, std::to_string(value)); }
    bool number_float(json::number_float_t /*lossy*/, const json::string_t& text)
    {
        return scalar(RawValue::Kind::Number, text);
    }
    bool string(json::string_t& value) { return scalar(RawValue::Kind::String, value); }
    bool binary(json::binary_t& /*value*/) { return true; } // never produced by JSON text

    bool key(json::string_t& name)
    {
        if (m_skipDepth > 0) {
            return true;
        }
        if (m_depth == kTopLevel) {
            const auto index = fieldIndex(kTopFieldNames, name);
            if (!index) {
                fail({std::nullopt, name}, "unknown field (known fields here: " + fieldList(kTopFieldNames) + ")");
            }
            m_slot = &top[*index];
        } else if (m_depth == kPositionLevel) {
            const auto index = fieldIndex(kPositionFieldNames, name);
            if (!index) {
                fail({m_positionIndex, name}, "unknown field (known fields here: " + fieldList(kPositionFieldNames) + ")");
            }
            m_slot = &m_fields[*index];
        }
        if (m_slot->kind != RawValue::Kind::Missing) {
            fail(m_depth == kTopLevel ? FieldName{std::nullopt, name} : FieldName{m_positionIndex, name},
                 "appears twice in the same object");
        }
        return true;
    }

    bool start_object(std::size_t /*elements*/)
    {
        if (m_skipDepth > 0 || m_depth == kTopLevel || m_depth == kPositionLevel) {
            return nested(RawValue::Kind::Object);
        }
        if (m_depth == kDocument) {
            m_depth = kTopLevel;
        } else { // an element of positions
            for (RawValue& field : m_fields) {
                field.kind = RawValue::Kind::Missing;
            }
            m_depth = kPositionLevel;
        }
        return true;
    }

    bool end_object()
    {
        if (m_skipDepth > 0) {
            --m_skipDepth;
        } else if (m_depth == kPositionLevel) {
            drafts.push_back(readPositionFields(m_fields, m_positionIndex++));
            m_depth = kPositionsArray;
        } else {
            m_depth = kDocument;
        }
        return true;
    }

    bool start_array(std::size_t /*elements*/)
    {
        if (m_depth == kDocument) {
            fail({}, "must be an object, got an array");
        }
        if (m_depth == kPositionsArray && m_skipDepth == 0) {
            fail({m_positionIndex, {}}, "must be an object, got an array");
        }
        if (m_depth == kTopLevel && m_skipDepth == 0 && m_slot == &top[kPositions]) {
            m_slot->kind = RawValue::Kind::Array;
            m_depth = kPositionsArray;
            return true;
        }
        return nested(RawValue::Kind::Array);
    }

    bool end_array()
    {
        if (m_skipDepth > 0) {
            --m_skipDepth;
        } else {
            m_depth = kTopLevel;
        }
        return true;
    }

    bool parse_error(std::size_t /*position*/, const std::string& /*lastToken*/, const json::exception& error)
    {
        throw PortfolioFileError("", "not valid JSON: " + jsonSyntaxMessage(error));
    }

private:
    enum Depth { kDocument, kTopLevel, kPositionsArray, kPositionLevel };

    bool scalar(RawValue::Kind kind, std::string_view text, bool flag = false)
    {
        if (m_skipDepth > 0) {
            return true;
        }
        RawValue value{kind, std::string(), flag};
        if (m_depth == kDocument) {
            fail({}, "must be an object, got " + describe(value));
        }
        if (m_depth == kPositionsArray) {
            fail({m_positionIndex, {}}, "must be an object, got " + describe(value));
        }
        m_slot->kind = kind;
        m_slot->text.assign(text);
        m_slot->boolean = flag;
        return true;
    }

    /// An object or array where the format has a plain value: remember its kind, skip its content.
    bool nested(RawValue::Kind kind)
    {
        if (m_skipDepth == 0) {
            m_slot->kind = kind;
        }
        ++m_skipDepth;
        return true;
    }

    Depth m_depth = kDocument;
    int m_skipDepth = 0;
    RawValue* m_slot = nullptr;
    std::array<RawValue, kPositionFieldCount> m_fields;
    std::size_t m_positionIndex = 0;
};

/// Gives every position its instrument, sharing one among positions of a symbol with the same terms.
class InstrumentResolver {
public:
    InstrumentResolver(Venue venue, std::size_t positions) : m_venue(venue) { m_shared.reserve(positions); }

    /// `symbol` keys the cache: it must stay in place while the resolver lives.
    std::shared_ptr<const Instrument> resolve(const PositionDraft& draft, const std::string& symbol, std::size_t index)
    {
        if (draft.maintenanceMarginRate) {
            const Decimal amount = draft.maintenanceAmount.value_or(Decimal());
            return shared(symbol, [&](const Instrument& candidate) {
                const RiskTier& tier = candidate.riskTiers.back();
                return tier.number == 0 && tier.maintenanceMarginRate == *draft.maintenanceMarginRate &&
                       tier.maintenanceAmount == amount && candidate.maxLeverage == 0;
            }, [&] { return instrumentWithMaintenance(m_venue, symbol, *draft.maintenanceMarginRate, amount); });
        }
        if (m_venue == Venue::Hyperliquid) {
            if (!draft.maxLeverage) {
                fail({index, "maxLeverage"}, "is required for hyperliquid positions (maintenance rate = 1 / (2 × max "
                                             "leverage)), or give maintenanceMarginRate");
            }
            return shared(symbol, [&](const Instrument& candidate) { return candidate.maxLeverage == *draft.maxLeverage; },
                          [&] { return hyperliquidInstrument(symbol, *draft.maxLeverage); });
        }
        if (auto published = publishedInstrument(m_venue, symbol)) {
            return published;
        }
        fail({index, "maintenanceMarginRate"}, "is required: there is no built-in tier table for " + quote(symbol) +
                                                   " on " + std::string(venueName(m_venue)));
    }

private:
    template <typename Matches, typename Make>
    std::shared_ptr<const Instrument> shared(std::string_view symbol, Matches matches, Make make)
    {
        const auto [first, last] = m_shared.equal_range(symbol);
        for (auto it = first; it != last; ++it) {
            if (matches(*it->second)) {
                return it->second;
            }
        }
        auto instrument = make();
        m_shared.emplace(symbol, instrument);
        return instrument;
    }

    Venue m_venue;
    std::unordered_multimap<std::string_view, std::shared_ptr<const Instrument>> m_shared;
};

/// One-way mode allows one position per symbol and margin mode; hedge mode one long and one short leg.
void checkLegs(const std::vector<Position>& positions)
{
    constexpr std::size_t kNone = ~std::size_t{0};
    struct Legs {
        std::array<std::array<std::size_t, 3>, 2> byModeAndSide{{{kNone, kNone, kNone}, {kNone, kNone, kNone}}};
        std::size_t first = kNone; ///< the first position on the symbol, whose mark the others must share
    };
    std::unordered_map<std::string_view, Legs> seen;
    seen.reserve(positions.size());
    for (std::size_t i = 0; i < positions.size(); ++i) {
        const Position& position = positions[i];
        Legs& symbolLegs = seen[position.symbol];
        auto& legs = symbolLegs.byModeAndSide[position.marginMode == MarginMode::Cross ? 0 : 1];
        auto& slot = legs[static_cast<std::size_t>(position.positionSide)];
        if (slot != kNone) {
            fail({i, {}}, std::string("a second ") + (position.marginMode == MarginMode::Cross ? "cross" : "isolated") +
                              " position on " + quote(position.symbol) + " with the same positionSide as positions[" +
                              std::to_string(slot) + "]; combine them into one");
        }
        slot = i;
        const bool oneWay = position.positionSide == PositionSide::Both;
        const std::size_t both = static_cast<std::size_t>(PositionSide::Both);
        const bool otherKind = oneWay ? (legs[1] != kNone || legs[2] != kNone) : legs[both] != kNone;
        if (otherKind) {
            fail({i, "positionSide"}, "mixes one-way (\"both\") and hedge legs on " + quote(position.symbol));
        }
        const std::size_t first = symbolLegs.first;
        if (first == kNone) {
            symbolLegs.first = i;
        } else if (positions[first].markPrice != position.markPrice) {
            fail({i, "markPrice"}, position.markPrice.toString() + " differs from positions[" + std::to_string(first) +
                                       "] on the same symbol (" + positions[first].markPrice.toString() +
                                       "): one symbol has one mark price");
        }
    }
}

} // namespace

PortfolioFileError::PortfolioFileError(std::string field, std::string reason)
    : std::runtime_error(field.empty() ? reason : field + ": " + reason), m_field(std::move(field)), m_reason(std::move(reason))
{
}

Portfolio readPortfolio(std::string_view jsonText)
{
    PortfolioSax sax;
    json::sax_parse(jsonText.begin(), jsonText.end(), &sax, json::input_format_t::json, /*strict=*/true,
                    /*ignore_comments=*/true);
    const auto& top = sax.top;
    const auto at = [](TopField field) { return FieldName{std::nullopt, kTopFieldNames[field]}; };

    Portfolio portfolio;
    Account& account = portfolio.account;
    require(top[kVenue], at(kVenue));
    const std::string_view venue = *readString(top[kVenue], at(kVenue));
    const auto parsedVenue = venueFromName(venue);
    if (!parsedVenue) {
        fail(at(kVenue), "unknown venue " + quote(venue) + " (expected " + std::string(venueNameList()) + ")");
    }
    account.venue = *parsedVenue;
    account.label = std::string(readString(top[kLabel], at(kLabel)).value_or(venueName(account.venue)));
    account.marginMode = readMarginMode(top[kAccountMarginMode], at(kAccountMarginMode)).value_or(MarginMode::Cross);
    require(top[kWalletBalance], at(kWalletBalance));
    account.walletBalance = *readDecimal(top[kWalletBalance], at(kWalletBalance), Sign::NonNegative);
    if (account.walletBalance > largestNotional()) {
        fail(at(kWalletBalance), "is beyond 1e15: check the units");
    }
    require(top[kPositions], at(kPositions));
    if (top[kPositions].kind != RawValue::Kind::Array) {
        fail(at(kPositions), "must be an array, got " + describe(top[kPositions]));
    }

    InstrumentResolver instruments(account.venue, sax.drafts.size());
    portfolio.positions.reserve(sax.drafts.size());
    for (std::size_t i = 0; i < sax.drafts.size(); ++i) {
        PositionDraft& draft = sax.drafts[i];
        Position& position = draft.position;
        position.marginMode = draft.marginMode.value_or(account.marginMode);
        if (account.venue == Venue::OkxSwap && !draft.takerFeeRate) {
            position.takerFeeRate = okxDefaultTakerFee();
        }
        if (position.marginMode == MarginMode::Isolated && !position.isolatedMargin && !position.leverage) {
            fail({i, "isolatedMargin"}, "is required for an isolated position (or give leverage)");
        }
        Position& placed = portfolio.positions.emplace_back(std::move(position)); // reserved: never moves again
        placed.instrument = instruments.resolve(draft, placed.symbol, i);
    }
    checkLegs(portfolio.positions);
    return portfolio;
}

} // namespace mm
