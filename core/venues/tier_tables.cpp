#include "venues/tier_tables.h"

#include "money/exact_json.h"
#include "venues/account_snapshot.h"
#include "venues/json_fields.h"

#include <algorithm>
#include <limits>

namespace mm {

using json = nlohmann::json;
using account_json::locate;

namespace {

/// One row as read, before the rows of its symbol are put in order.
struct TierRow {
    std::int64_t number = 0;
    RiskTier tier;
    std::optional<Decimal> floor;  ///< as sent (Binance notionalFloor, OKX minSz)
    std::optional<Decimal> amount; ///< as sent (Binance cum, Bybit mmDeduction); nullopt: derive it
};

using RowsBySymbol = std::map<std::string, std::vector<TierRow>>;

std::string quoted(std::string_view key)
{
    return "\"" + std::string(key) + "\"";
}

/// A whole number ≥ `least`, sent as a JSON integer or as text ("1", "100.00"); fractions are cut
/// ("12.5" → 12) when `truncate`, refused otherwise.
std::optional<std::int64_t> wholeNumber(const json& object, std::string_view key, std::int64_t least, bool truncate,
                                        std::string& problem)
{
    const auto value = account_json::requiredDecimal(object, key, problem);
    if (!value) {
        return std::nullopt;
    }
    const Decimal whole = value->roundToStep(Decimal::fromInteger(1), Decimal::Rounding::Down);
    if ((!truncate && whole != *value) || whole < Decimal::fromInteger(least) ||
        whole > Decimal::fromInteger(std::numeric_limits<int>::max())) {
        problem =
            quoted(key) + " is " + value->toString() + ", not a whole number of at least " + std::to_string(least);
        return std::nullopt;
    }
    return static_cast<std::int64_t>(whole.toDouble());
}

/// A decimal that must be present and not negative.
std::optional<Decimal> nonNegative(const json& object, std::string_view key, std::string& problem)
{
    auto value = account_json::requiredDecimal(object, key, problem);
    if (value && value->isNegative()) {
        problem = quoted(key) + " is negative: " + value->toString();
        return std::nullopt;
    }
    return value;
}

/// A maintenance margin rate: a fraction in [0, 1).
std::optional<Decimal> rate(const json& object, std::string_view key, std::string& problem)
{
    auto value = nonNegative(object, key, problem);
    if (value && *value >= Decimal::fromInteger(1)) {
        problem = quoted(key) + " is " + value->toString() + ", not a fraction below 1";
        return std::nullopt;
    }
    return value;
}

/// Puts each symbol's rows in tier order; two rows with one number are a problem.
bool sortRows(RowsBySymbol& rows, std::string& problem)
{
    for (auto& [symbol, list] : rows) {
        std::stable_sort(list.begin(), list.end(),
                         [](const TierRow& a, const TierRow& b) { return a.number < b.number; });
        const auto twice = std::adjacent_find(list.begin(), list.end(),
                                              [](const TierRow& a, const TierRow& b) { return a.number == b.number; });
        if (twice != list.end()) {
            problem = symbol + ": tier " + std::to_string(twice->number) + " is listed twice";
            return false;
        }
    }
    return true;
}

/// Floors as sent (`floorsAsSent`) or from the previous tier's cap (the first tier's as sent, or 0);
/// amounts as sent or, where none was sent, derived with the Binance/Bybit recursion (0 for the first
/// tier: Bybit sends "" there); then the table checked as the margin math needs it.
std::optional<TierTables> assemble(RowsBySymbol rows, bool floorsAsSent, bool checkRecursion, std::string& problem)
{
    if (!sortRows(rows, problem)) {
        return std::nullopt;
    }
    TierTables tables;
    for (auto& [symbol, list] : rows) {
        std::vector<RiskTier> tiers;
        for (std::size_t i = 0; i < list.size(); ++i) {
            RiskTier tier = list[i].tier;
            const RiskTier* previous = tiers.empty() ? nullptr : &tiers.back();
            if (list[i].floor && (previous == nullptr || floorsAsSent)) {
                tier.floor = *list[i].floor;
            } else if (previous != nullptr) {
                tier.floor = *previous->cap;
            }
            if (list[i].amount) {
                tier.maintenanceAmount = *list[i].amount;
            } else if (previous != nullptr) {
                tier.maintenanceAmount =
                    previous->maintenanceAmount +
                    *previous->cap * (tier.maintenanceMarginRate - previous->maintenanceMarginRate);
            }
            if (tier.cap && *tier.cap <= tier.floor) {
                problem = symbol + ": tier " + std::to_string(tier.number) + ": cap " + tier.cap->toString() +
                          " is not above its floor " + tier.floor.toString();
                return std::nullopt;
            }
            if (!tiers.empty() && tier.maintenanceMarginRate < tiers.back().maintenanceMarginRate) {
                problem = symbol + ": tier " + std::to_string(tier.number) + ": maintenance margin rate falls from " +
                          tiers.back().maintenanceMarginRate.toString() + " to " +
                          tier.maintenanceMarginRate.toString();
                return std::nullopt;
            }
            tiers.push_back(tier);
        }
        if (checkRecursion) {
            if (const auto unsound = findRiskTierProblem(tiers)) {
                problem = symbol + ": " + *unsound;
                return std::nullopt;
            }
        }
        tables.emplace(symbol, std::move(tiers));
    }
    return tables;
}

// ---------------------------------------------------------------------------------------------
// Binance USDⓈ-M

std::optional<TierRow> readBinanceBracket(const json& bracket, std::string& problem)
{
    if (!bracket.is_object()) {
        problem = "is " + describeJsonType(bracket) + ", not an object";
        return std::nullopt;
    }
    TierRow row;
    const auto number = wholeNumber(bracket, "bracket", 1, false, problem);
    const auto leverage = number ? wholeNumber(bracket, "initialLeverage", 1, true, problem) : std::nullopt;
    row.floor = leverage ? nonNegative(bracket, "notionalFloor", problem) : std::nullopt;
    const auto cap = row.floor ? nonNegative(bracket, "notionalCap", problem) : std::nullopt;
    const auto ratio = cap ? rate(bracket, "maintMarginRatio", problem) : std::nullopt;
    row.amount = ratio ? nonNegative(bracket, "cum", problem) : std::nullopt;
    if (!row.amount) {
        return std::nullopt;
    }
    row.number = *number;
    row.tier.number = static_cast<int>(*number);
    row.tier.maxLeverage = static_cast<int>(*leverage);
    row.tier.cap = *cap;
    row.tier.maintenanceMarginRate = *ratio;
    return row;
}

bool readBinanceSymbol(const json& entry, RowsBySymbol& rows, std::string& problem)
{
    if (!entry.is_object()) {
        problem = "is " + describeJsonType(entry) + ", not an object";
        return false;
    }
    const auto symbol = venue_json::symbol(entry, "symbol", problem);
    const json* brackets = symbol ? account_json::array(entry, "brackets", problem) : nullptr;
    if (brackets == nullptr) {
        return false;
    }
    if (brackets->empty()) {
        problem = *symbol + ": \"brackets\" is empty";
        return false;
    }
    if (rows.count(*symbol) != 0) {
        problem = *symbol + " is listed twice";
        return false;
    }
    auto& list = rows[*symbol];
    for (std::size_t i = 0; i < brackets->size(); ++i) {
        auto row = readBinanceBracket((*brackets)[i], problem);
        if (!row) {
            locate(problem, *symbol + " brackets[" + std::to_string(i) + "]");
            return false;
        }
        list.push_back(*row);
    }
    return true;
}

std::optional<TierTables> readBinance(const json& answer, std::string& problem)
{
    if (answer.is_object() && venue_json::member(answer, "code") != nullptr) {
        const json* message = venue_json::member(answer, "msg");
        problem = "Binance error " + answer["code"].dump() + ": " +
                  (message != nullptr && message->is_string() ? message->get<std::string>() : "(no msg)");
        return std::nullopt;
    }
    RowsBySymbol rows;
    if (answer.is_object()) { // asked for one symbol
        if (!readBinanceSymbol(answer, rows, problem)) {
            locate(problem, "leverageBracket");
            return std::nullopt;
        }
    } else if (answer.is_array()) {
        for (std::size_t i = 0; i < answer.size(); ++i) {
            if (!readBinanceSymbol(answer[i], rows, problem)) {
                locate(problem, "leverageBracket[" + std::to_string(i) + "]");
                return std::nullopt;
            }
        }
    } else {
        problem = "leverageBracket is " + describeJsonType(answer) + ", not an array or an object";
        return std::nullopt;
    }
    auto tables = assemble(std::move(rows), true, true, problem);
    if (!tables) {
        locate(problem, "leverageBracket");
    }
    return tables;
}

// ---------------------------------------------------------------------------------------------
// Bybit v5

std::optional<std::pair<std::string, TierRow>> readBybitRow(const json& item, std::string& problem)
{
    if (!item.is_object()) {
        problem = "is " + describeJsonType(item) + ", not an object";
        return std::nullopt;
    }
    const auto symbol = venue_json::symbol(item, "symbol", problem);
    const auto id = symbol ? wholeNumber(item, "id", 1, false, problem) : std::nullopt;
    const auto cap = id ? nonNegative(item, "riskLimitValue", problem) : std::nullopt;
    const auto ratio = cap ? rate(item, "maintenanceMargin", problem) : std::nullopt;
    const auto leverage = ratio ? wholeNumber(item, "maxLeverage", 1, true, problem) : std::nullopt;
    if (!id || !cap || !ratio || !leverage) { // each implies the ones before; said for GCC's -O3 flow analysis
        return std::nullopt;
    }
    if (*ratio * account_json::requiredDecimal(item, "maxLeverage", problem).value_or(Decimal()) >=
        Decimal::fromInteger(1)) {
        problem = "\"maintenanceMargin\" " + ratio->toString() +
                  " is not below the initial margin rate 1 / maxLeverage "
                  "(a percentage where Bybit sends a fraction?)";
        return std::nullopt;
    }
    TierRow row;
    row.number = *id;
    row.tier.number = static_cast<int>(*id);
    row.tier.cap = *cap;
    row.tier.maintenanceMarginRate = *ratio;
    row.tier.maxLeverage = static_cast<int>(*leverage);
    row.amount = venue_json::optionalDecimal(item, "mmDeduction", problem);
    if (!problem.empty()) {
        return std::nullopt;
    }
    if (row.amount && row.amount->isNegative()) {
        problem = "\"mmDeduction\" is negative: " + row.amount->toString();
        return std::nullopt;
    }
    return std::pair{*symbol, row};
}

std::optional<TierTables> readBybit(const json& answer, std::string& problem)
{
    if (!answer.is_object()) {
        problem = "risk-limit is " + describeJsonType(answer) + ", not an object";
        return std::nullopt;
    }
    const json* retCode = venue_json::member(answer, "retCode");
    if (retCode == nullptr || !retCode->is_number_integer()) {
        problem = std::string("risk-limit: \"retCode\" ") +
                  (retCode == nullptr ? "is missing" : "is " + describeJsonType(*retCode) + ", not an integer");
        return std::nullopt;
    }
    if (retCode->get<std::int64_t>() != 0) {
        const json* message = venue_json::member(answer, "retMsg");
        problem = "Bybit error " + retCode->dump() + ": " +
                  (message != nullptr && message->is_string() ? message->get<std::string>() : "(no retMsg)");
        return std::nullopt;
    }
    const json* result = venue_json::member(answer, "result");
    if (result == nullptr || !result->is_object()) {
        problem = std::string("risk-limit: \"result\" ") +
                  (result == nullptr ? "is missing" : "is " + describeJsonType(*result) + ", not an object");
        return std::nullopt;
    }
    if (const json* category = venue_json::member(*result, "category");
        category != nullptr && (!category->is_string() || category->get<std::string>() != "linear")) {
        problem = "risk-limit: \"category\" is " + category->dump() + ", not \"linear\"";
        return std::nullopt;
    }
    const json* list = account_json::array(*result, "list", problem);
    if (list == nullptr) {
        locate(problem, "risk-limit result");
        return std::nullopt;
    }
    RowsBySymbol rows;
    for (std::size_t i = 0; i < list->size(); ++i) {
        auto row = readBybitRow((*list)[i], problem);
        if (!row) {
            locate(problem, "risk-limit list[" + std::to_string(i) + "]");
            return std::nullopt;
        }
        rows[row->first].push_back(row->second);
    }
    auto tables = assemble(std::move(rows), false, true, problem);
    if (!tables) {
        locate(problem, "risk-limit");
    }
    return tables;
}

// ---------------------------------------------------------------------------------------------
// OKX v5

std::optional<std::pair<std::string, TierRow>> readOkxRow(const json& item, std::string& problem)
{
    if (!item.is_object()) {
        problem = "is " + describeJsonType(item) + ", not an object";
        return std::nullopt;
    }
    // Swap and futures rows name their family; margin rows (the documented example) only instId.
    std::string key;
    if (const json* family = venue_json::member(item, "instFamily"); family != nullptr && family->is_string()) {
        key = family->get<std::string>();
    }
    if (key.empty()) {
        const auto instId = venue_json::symbol(item, "instId", problem);
        if (!instId) {
            problem = "neither \"instFamily\" nor \"instId\" names the instrument";
            return std::nullopt;
        }
        key = *instId;
    }
    const auto number = wholeNumber(item, "tier", 1, false, problem);
    const auto minimum = number ? nonNegative(item, "minSz", problem) : std::nullopt;
    const auto maximum = minimum ? nonNegative(item, "maxSz", problem) : std::nullopt;
    const auto ratio = maximum ? rate(item, "mmr", problem) : std::nullopt;
    const auto leverage = ratio ? wholeNumber(item, "maxLever", 1, true, problem) : std::nullopt;
    if (!leverage) {
        return std::nullopt;
    }
    TierRow row;
    row.number = *number;
    row.tier.number = static_cast<int>(*number);
    row.tier.cap = *maximum;
    row.tier.maintenanceMarginRate = *ratio;
    row.tier.maxLeverage = static_cast<int>(*leverage);
    row.floor = *minimum;
    row.amount = Decimal(); // OKX's requirement is size × mark × mmr: no deduction
    return std::pair{key, row};
}

std::optional<TierTables> readOkx(const json& answer, std::string& problem)
{
    if (!answer.is_object()) {
        problem = "position-tiers is " + describeJsonType(answer) + ", not an object";
        return std::nullopt;
    }
    const auto code = venue_json::text(answer, "code", problem);
    if (!code) {
        locate(problem, "position-tiers");
        return std::nullopt;
    }
    if (*code != "0") {
        const json* message = venue_json::member(answer, "msg");
        problem = "OKX error " + *code + ": " +
                  (message != nullptr && message->is_string() ? message->get<std::string>() : "(no msg)");
        return std::nullopt;
    }
    const json* data = account_json::array(answer, "data", problem);
    if (data == nullptr) {
        locate(problem, "position-tiers");
        return std::nullopt;
    }
    RowsBySymbol rows;
    for (std::size_t i = 0; i < data->size(); ++i) {
        auto row = readOkxRow((*data)[i], problem);
        if (!row) {
            locate(problem, "position-tiers data[" + std::to_string(i) + "]");
            return std::nullopt;
        }
        rows[row->first].push_back(row->second);
    }
    auto tables = assemble(std::move(rows), false, false, problem);
    if (!tables) {
        locate(problem, "position-tiers");
    }
    return tables;
}

template <typename Reader>
std::optional<TierTables> parseWith(std::string_view body, std::string& problem, Reader reader)
{
    try {
        const auto answer = venue_json::parseFrame(body, problem);
        if (!answer) {
            return std::nullopt;
        }
        return reader(*answer, problem);
    } catch (const std::exception& error) { // a value out of Decimal's range in the arithmetic
        problem = std::string("unreadable tier table: ") + error.what();
        return std::nullopt;
    }
}

} // namespace

std::optional<TierTables> parseBinanceLeverageBrackets(std::string_view body, std::string& problem)
{
    return parseWith(body, problem, readBinance);
}

std::optional<TierTables> parseBybitRiskLimits(std::string_view body, std::string& problem)
{
    return parseWith(body, problem, readBybit);
}

std::optional<TierTables> parseOkxPositionTiers(std::string_view body, std::string& problem)
{
    return parseWith(body, problem, readOkx);
}

} // namespace mm
