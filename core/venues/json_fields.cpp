#include "venues/json_fields.h"

#include "money/exact_json.h"

#include <charconv>

namespace mm::venue_json {

using json = nlohmann::json;

namespace {

void note(std::string& problem, std::string message)
{
    if (problem.empty()) {
        problem = std::move(message);
    }
}

} // namespace

std::optional<json> parseFrame(std::string_view frame, std::string& problem)
{
    try {
        return parseExactJson(frame);
    } catch (const JsonSyntaxError& error) {
        note(problem, std::string("not JSON: ") + error.what());
    } catch (const std::exception& error) { // nlohmann's depth or size limits
        note(problem, std::string("unreadable: ") + error.what());
    }
    return std::nullopt;
}

const json* member(const json& object, std::string_view key)
{
    if (!object.is_object()) {
        return nullptr;
    }
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

std::optional<std::string> text(const json& object, std::string_view key, std::string& problem)
{
    const json* value = member(object, key);
    if (value == nullptr || !value->is_string()) {
        note(problem, "\"" + std::string(key) + "\" " + (value == nullptr ? "is missing" : "is " + describeJsonType(*value) + ", not a string"));
        return std::nullopt;
    }
    return value->get<std::string>();
}

std::optional<std::string> symbol(const json& object, std::string_view key, std::string& problem)
{
    auto name = text(object, key, problem);
    if (name && name->empty()) {
        note(problem, "\"" + std::string(key) + "\" is an empty symbol");
        return std::nullopt;
    }
    return name;
}

std::optional<Decimal> price(const json& object, std::string_view key, std::string& problem)
{
    const json* value = member(object, key);
    if (value == nullptr) {
        note(problem, "\"" + std::string(key) + "\" is missing");
        return std::nullopt;
    }
    try {
        const Decimal result = decimalFromJson(*value);
        if (!result.isPositive()) {
            note(problem, "\"" + std::string(key) + "\" is not a positive price: " + result.toString());
            return std::nullopt;
        }
        return result;
    } catch (const DecimalError& error) {
        note(problem, "\"" + std::string(key) + "\": " + error.what());
        return std::nullopt;
    }
}

std::optional<Decimal> optionalDecimal(const json& object, std::string_view key, std::string& problem)
{
    const json* value = member(object, key);
    if (value == nullptr || value->is_null() || (value->is_string() && value->get_ref<const std::string&>().empty())) {
        return std::nullopt;
    }
    try {
        return decimalFromJson(*value);
    } catch (const DecimalError& error) {
        note(problem, "\"" + std::string(key) + "\": " + error.what());
        return std::nullopt;
    }
}

std::int64_t timeMs(const json& object, std::string_view key, std::string& problem)
{
    const json* value = member(object, key);
    if (value == nullptr) {
        return 0;
    }
    if (value->is_number_integer()) {
        return value->get<std::int64_t>();
    }
    if (value->is_string()) {
        const auto& digits = value->get_ref<const std::string&>();
        std::int64_t result = 0;
        const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), result);
        if (error == std::errc() && end == digits.data() + digits.size()) {
            return result;
        }
    }
    note(problem, "\"" + std::string(key) + "\" is not a time in ms");
    return 0;
}

std::string excerpt(std::string_view frame)
{
    constexpr std::size_t kShown = 160;
    std::string shown(frame.substr(0, kShown));
    for (char& c : shown) {
        if (static_cast<unsigned char>(c) < 0x20) {
            c = ' ';
        }
    }
    if (frame.size() > kShown) {
        shown += "…";
    }
    return shown;
}

} // namespace mm::venue_json
