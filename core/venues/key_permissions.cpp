#include "venues/key_permissions.h"

#include "money/exact_json.h"
#include "venues/account_snapshot.h"
#include "venues/json_fields.h"

#include <algorithm>
#include <array>
#include <vector>

namespace mm {

using json = nlohmann::json;

namespace {

void note(std::string& problem, std::string message)
{
    if (problem.empty()) {
        problem = std::move(message);
    }
}

std::string quoted(std::string_view key)
{
    return "\"" + std::string(key) + "\"";
}

/// A switch sent as a JSON boolean: absent gives nullopt without a problem (not reported), anything
/// but a boolean is a problem.
std::optional<bool> optionalSwitch(const json& object, std::string_view key, std::string& problem)
{
    const json* value = venue_json::member(object, key);
    if (value == nullptr) {
        return std::nullopt;
    }
    if (!value->is_boolean()) {
        note(problem, quoted(key) + " is " + describeJsonType(*value) + ", not true or false");
        return std::nullopt;
    }
    return value->get<bool>();
}

/// A JSON array of strings, absent allowed (nullopt, no problem).
std::optional<std::vector<std::string>> optionalStrings(const json& object, std::string_view key, std::string& problem)
{
    const json* value = venue_json::member(object, key);
    if (value == nullptr) {
        return std::nullopt;
    }
    if (!value->is_array()) {
        note(problem, quoted(key) + " is " + describeJsonType(*value) + ", not an array");
        return std::nullopt;
    }
    std::vector<std::string> strings;
    for (std::size_t i = 0; i < value->size(); ++i) {
        const json& item = (*value)[i];
        if (!item.is_string()) {
            note(problem, quoted(key) + "[" + std::to_string(i) + "] is " + describeJsonType(item) + ", not a string");
            return std::nullopt;
        }
        strings.push_back(item.get<std::string>());
    }
    return strings;
}

bool contains(const std::optional<std::vector<std::string>>& list, std::string_view item)
{
    return list && std::find(list->begin(), list->end(), item) != list->end();
}

/// The venue's message, if it sent one as a string.
std::string messageOf(const json& answer, std::string_view key)
{
    const json* message = venue_json::member(answer, key);
    return message != nullptr && message->is_string() ? message->get<std::string>() : std::string("(no message)");
}

// ---------------------------------------------------------------------------------------------

std::optional<ReportedKeyPermissions> readBinance(const json& answer, std::string& problem)
{
    if (!answer.is_object()) {
        problem = "apiRestrictions is " + describeJsonType(answer) + ", not an object";
        return std::nullopt;
    }
    if (const json* code = venue_json::member(answer, "code")) {
        problem = "Binance error " + code->dump() + ": " + messageOf(answer, "msg");
        return std::nullopt;
    }
    ReportedKeyPermissions permissions;
    permissions.canRead = optionalSwitch(answer, "enableReading", problem);
    permissions.canTrade = optionalSwitch(answer, "enableFutures", problem);
    permissions.canWithdraw = optionalSwitch(answer, "enableWithdrawals", problem);
    permissions.ipRestricted = optionalSwitch(answer, "ipRestrict", problem);
    if (!problem.empty()) {
        problem = "apiRestrictions: " + problem;
        return std::nullopt;
    }
    if (permissions == ReportedKeyPermissions{}) {
        problem =
            "apiRestrictions: none of \"enableReading\", \"enableFutures\", \"enableWithdrawals\", \"ipRestrict\" "
            "is present";
        return std::nullopt;
    }
    return permissions;
}

/// Bybit's readOnly: the integer 0 (read and write) or 1 (read only).
std::optional<bool> bybitReadOnly(const json& result, std::string& problem)
{
    const json* value = venue_json::member(result, "readOnly");
    if (value == nullptr) {
        note(problem, "\"readOnly\" is missing");
        return std::nullopt;
    }
    if (!value->is_number_integer() || (value->get<std::int64_t>() != 0 && value->get<std::int64_t>() != 1)) {
        note(problem, "\"readOnly\" is " + (value->is_number_integer() ? value->dump() : describeJsonType(*value)) +
                          ", not 0 or 1");
        return std::nullopt;
    }
    return value->get<std::int64_t>() == 1;
}

std::optional<ReportedKeyPermissions> readBybitResult(const json& result, std::string& problem)
{
    if (!result.is_object()) {
        problem = "\"result\" is " + describeJsonType(result) + ", not an object";
        return std::nullopt;
    }
    const auto readOnly = bybitReadOnly(result, problem);
    if (!readOnly) {
        return std::nullopt;
    }
    ReportedKeyPermissions permissions;
    if (const json* groups = venue_json::member(result, "permissions")) {
        if (!groups->is_object()) {
            problem = "\"permissions\" is " + describeJsonType(*groups) + ", not an object";
            return std::nullopt;
        }
        const auto contract = optionalStrings(*groups, "ContractTrade", problem);
        const auto derivatives = optionalStrings(*groups, "Derivatives", problem);
        const auto wallet = optionalStrings(*groups, "Wallet", problem);
        if (!problem.empty()) {
            problem = "permissions: " + problem;
            return std::nullopt;
        }
        // USDT perpetuals are traded with ContractTrade "Order" (classic accounts) or Derivatives
        // "DerivativesTrade" (unified accounts); a read-only key has neither in effect.
        permissions.canTrade = !*readOnly && (contains(contract, "Order") || contains(derivatives, "DerivativesTrade"));
        permissions.canWithdraw = contains(wallet, "Withdraw");
    } else if (*readOnly) {
        permissions.canTrade = false; // whatever its groups, a read-only key places no order
    }
    const auto ips = optionalStrings(result, "ips", problem);
    if (!problem.empty()) {
        return std::nullopt;
    }
    if (!ips && permissions == ReportedKeyPermissions{}) {
        problem = "neither \"permissions\" nor \"ips\" is present";
        return std::nullopt;
    }
    if (ips) {
        // Bybit lists "*" for a key bound to no address.
        const bool anywhere = ips->empty() || std::find(ips->begin(), ips->end(), "*") != ips->end();
        permissions.ipRestricted = !anywhere;
    }
    return permissions;
}

std::optional<ReportedKeyPermissions> readBybit(const json& answer, std::string& problem)
{
    if (!answer.is_object()) {
        problem = "query-api is " + describeJsonType(answer) + ", not an object";
        return std::nullopt;
    }
    const json* retCode = venue_json::member(answer, "retCode");
    if (retCode == nullptr || !retCode->is_number_integer()) {
        problem = std::string("query-api: \"retCode\" ") +
                  (retCode == nullptr ? "is missing" : "is " + describeJsonType(*retCode) + ", not an integer");
        return std::nullopt;
    }
    if (retCode->get<std::int64_t>() != 0) {
        problem = "Bybit error " + retCode->dump() + ": " + messageOf(answer, "retMsg");
        return std::nullopt;
    }
    const json* result = venue_json::member(answer, "result");
    if (result == nullptr) {
        problem = "query-api: \"result\" is missing";
        return std::nullopt;
    }
    auto permissions = readBybitResult(*result, problem);
    if (!permissions) {
        account_json::locate(problem, "query-api result");
    }
    return permissions;
}

std::optional<ReportedKeyPermissions> readOkxRow(const json& row, std::string& problem)
{
    const auto perm = venue_json::text(row, "perm", problem);
    if (!perm) {
        return std::nullopt;
    }
    std::vector<std::string> granted;
    for (std::size_t start = 0; start <= perm->size();) {
        const auto comma = std::min(perm->find(',', start), perm->size());
        std::string item = perm->substr(start, comma - start);
        std::erase(item, ' ');
        if (!item.empty()) {
            granted.push_back(std::move(item));
        }
        start = comma + 1;
    }
    constexpr std::array kKnown{std::string_view("read_only"), std::string_view("trade"), std::string_view("withdraw")};
    for (const std::string& item : granted) {
        if (std::find(kKnown.begin(), kKnown.end(), item) == kKnown.end()) {
            problem = "\"perm\" holds \"" + item + "\", not read_only, trade or withdraw";
            return std::nullopt;
        }
    }
    if (granted.empty()) {
        problem = "\"perm\" is empty";
        return std::nullopt;
    }
    const auto has = [&](std::string_view name) {
        return std::find(granted.begin(), granted.end(), name) != granted.end();
    };
    ReportedKeyPermissions permissions;
    permissions.canRead = has("read_only");
    permissions.canTrade = has("trade");
    permissions.canWithdraw = has("withdraw");
    if (venue_json::member(row, "ip") != nullptr) {
        const auto ip = venue_json::text(row, "ip", problem);
        if (!ip) {
            return std::nullopt;
        }
        permissions.ipRestricted = ip->find_first_not_of(' ') != std::string::npos;
    }
    return permissions;
}

std::optional<ReportedKeyPermissions> readOkx(const json& answer, std::string& problem)
{
    if (!answer.is_object()) {
        problem = "account config is " + describeJsonType(answer) + ", not an object";
        return std::nullopt;
    }
    const auto code = venue_json::text(answer, "code", problem);
    if (!code) {
        account_json::locate(problem, "account config");
        return std::nullopt;
    }
    if (*code != "0") {
        problem = "OKX error " + *code + ": " + messageOf(answer, "msg");
        return std::nullopt;
    }
    const json* data = account_json::array(answer, "data", problem);
    if (data == nullptr) {
        account_json::locate(problem, "account config");
        return std::nullopt;
    }
    if (data->empty() || !(*data)[0].is_object()) {
        problem = data->empty() ? "account config: \"data\" is empty"
                                : "account config: data[0] is " + describeJsonType((*data)[0]) + ", not an object";
        return std::nullopt;
    }
    auto permissions = readOkxRow((*data)[0], problem);
    if (!permissions) {
        account_json::locate(problem, "account config data[0]");
    }
    return permissions;
}

template <typename Reader>
std::optional<ReportedKeyPermissions> parseWith(std::string_view body, std::string& problem, Reader reader)
{
    try {
        const auto answer = venue_json::parseFrame(body, problem);
        if (!answer) {
            return std::nullopt;
        }
        return reader(*answer, problem);
    } catch (const std::exception& error) { // nlohmann's own limits; nothing here should throw
        problem = std::string("unreadable: ") + error.what();
        return std::nullopt;
    }
}

} // namespace

std::optional<ReportedKeyPermissions> parseBinanceApiRestrictions(std::string_view body, std::string& problem)
{
    return parseWith(body, problem, readBinance);
}

std::optional<ReportedKeyPermissions> parseBybitApiKeyInfo(std::string_view body, std::string& problem)
{
    return parseWith(body, problem, readBybit);
}

std::optional<ReportedKeyPermissions> parseOkxAccountConfig(std::string_view body, std::string& problem)
{
    return parseWith(body, problem, readOkx);
}

std::optional<ReportedKeyPermissions> parseKeyPermissions(Venue venue, std::string_view body, std::string& problem)
{
    switch (venue) {
    case Venue::BinanceUsdm:
        return parseBinanceApiRestrictions(body, problem);
    case Venue::BybitLinear:
        return parseBybitApiKeyInfo(body, problem);
    case Venue::OkxSwap:
        return parseOkxAccountConfig(body, problem);
    case Venue::Hyperliquid:
    case Venue::Generic:
        break;
    }
    problem = std::string(venueName(venue)) + " has no API keys";
    return std::nullopt;
}

} // namespace mm
