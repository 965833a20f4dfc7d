#include "venues/account_snapshot.h"

#include "money/exact_json.h"
#include "venues/json_fields.h"

namespace mm {

using json = nlohmann::json;

namespace account_json {

namespace {

void note(std::string& problem, std::string message)
{
    if (problem.empty()) {
        problem = std::move(message);
    }
}

} // namespace

std::optional<Decimal> requiredDecimal(const json& object, std::string_view key, std::string& problem)
{
    const json* value = venue_json::member(object, key);
    if (value == nullptr) {
        note(problem, "\"" + std::string(key) + "\" is missing");
        return std::nullopt;
    }
    try {
        return decimalFromJson(*value);
    } catch (const DecimalError& error) {
        note(problem, "\"" + std::string(key) + "\": " + error.what());
        return std::nullopt;
    }
}

std::optional<Decimal> leverage(const json& object, std::string_view key, std::string& problem)
{
    auto value = venue_json::optionalDecimal(object, key, problem);
    if (value && !value->isPositive()) {
        if (problem.empty()) {
            problem = "\"" + std::string(key) + "\" is not positive: " + value->toString();
        }
        return std::nullopt;
    }
    return value;
}

std::optional<Decimal> liquidationPrice(const json& object, std::string_view key, std::string& problem)
{
    auto value = venue_json::optionalDecimal(object, key, problem);
    if (value && !value->isPositive()) {
        return std::nullopt;
    }
    return value;
}

const json* array(const json& object, std::string_view key, std::string& problem)
{
    const json* value = venue_json::member(object, key);
    if (value == nullptr || !value->is_array()) {
        note(problem, "\"" + std::string(key) + "\" " +
                          (value == nullptr ? "is missing" : "is " + describeJsonType(*value) + ", not an array"));
        return nullptr;
    }
    return value;
}

void locate(std::string& problem, std::string_view where)
{
    if (!problem.empty()) {
        problem = std::string(where) + ": " + problem;
    }
}

} // namespace account_json

} // namespace mm
