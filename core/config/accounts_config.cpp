#include "config/accounts_config.h"

#include "money/exact_json.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

namespace mm {
namespace {

using json = nlohmann::json;

constexpr std::array<std::string_view, 7> kAccountFields{"id",          "label",         "venue",        "environment",
                                                         "customUrl",   "hasTradeKey",   "walletAddress"};

/// Names that would hold a secret: refused with a message of their own.
bool looksLikeSecret(std::string_view name)
{
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    for (const std::string_view word : {"secret", "apikey", "api_key", "passphrase", "password", "privatekey", "token"}) {
        if (lower.find(word) != std::string::npos) {
            return true;
        }
    }
    return false;
}

std::string text(const json& object, const std::string& key, const std::string& field, bool required)
{
    const auto found = object.find(key);
    if (found == object.end() || found->is_null()) {
        if (required) {
            throw ConfigError(field, "is required");
        }
        return {};
    }
    if (!found->is_string()) {
        throw ConfigError(field, "is " + describeJsonType(*found) + ", not text");
    }
    return found->get<std::string>();
}

std::optional<VenueEnvironment> environmentFromName(std::string_view name)
{
    for (const VenueEnvironment environment : {VenueEnvironment::Mainnet, VenueEnvironment::Testnet, VenueEnvironment::Custom}) {
        if (environmentName(environment) == name) {
            return environment;
        }
    }
    return std::nullopt;
}

bool validId(std::string_view id)
{
    return !id.empty() && id.size() <= 32 && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
}

bool validWalletAddress(std::string_view address)
{
    return address.size() == 42 && address.substr(0, 2) == "0x" &&
           std::all_of(address.begin() + 2, address.end(), [](unsigned char c) { return std::isxdigit(c) != 0; });
}

/// "wss://host:port" for "https://host:port" (and ws:// for http://).
std::string streamUrlOf(const HttpUrl& rest)
{
    return std::string(rest.tls ? "wss://" : "ws://") + rest.host + ":" + rest.port;
}

struct KnownEndpoints {
    std::string_view rest;
    std::string_view publicStream;
    std::string_view privateStream;
};

std::optional<KnownEndpoints> knownEndpoints(Venue venue, VenueEnvironment environment)
{
    const bool testnet = environment == VenueEnvironment::Testnet;
    switch (venue) {
    case Venue::BinanceUsdm:
        return testnet ? KnownEndpoints{"https://testnet.binancefuture.com", "wss://stream.binancefuture.com", "wss://stream.binancefuture.com"}
                       : KnownEndpoints{"https://fapi.binance.com", "wss://fstream.binance.com", "wss://fstream.binance.com"};
    case Venue::BybitLinear:
        return testnet ? KnownEndpoints{"https://api-testnet.bybit.com", "wss://stream-testnet.bybit.com", "wss://stream-testnet.bybit.com"}
                       : KnownEndpoints{"https://api.bybit.com", "wss://stream.bybit.com", "wss://stream.bybit.com"};
    case Venue::OkxSwap:
        // OKX's demo trading: its own WebSocket host; REST on the same host with x-simulated-trading: 1.
        return testnet ? KnownEndpoints{"https://www.okx.com", "wss://wspap.okx.com:8443", "wss://wspap.okx.com:8443"}
                       : KnownEndpoints{"https://www.okx.com", "wss://ws.okx.com:8443", "wss://ws.okx.com:8443"};
    case Venue::Hyperliquid:
        return testnet ? KnownEndpoints{"https://api.hyperliquid-testnet.xyz", "wss://api.hyperliquid-testnet.xyz", "wss://api.hyperliquid-testnet.xyz"}
                       : KnownEndpoints{"https://api.hyperliquid.xyz", "wss://api.hyperliquid.xyz", "wss://api.hyperliquid.xyz"};
    case Venue::Generic:
        break;
    }
    return std::nullopt;
}

} // namespace

std::string_view environmentName(VenueEnvironment environment)
{
    switch (environment) {
    case VenueEnvironment::Mainnet:
        return "mainnet";
    case VenueEnvironment::Testnet:
        return "testnet";
    case VenueEnvironment::Custom:
        return "custom";
    }
    return "mainnet";
}

ConfigError::ConfigError(std::string field, std::string reason)
    : std::runtime_error(field.empty() ? reason : field + ": " + reason), m_field(std::move(field)), m_reason(std::move(reason))
{
}

std::string checkAccountSettings(const AccountSettings& account)
{
    if (!validId(account.id)) {
        return "id: must be 1 to 32 of a-z, 0-9 and -";
    }
    if (account.label.empty()) {
        return "label: is required";
    }
    if (account.venue == Venue::Generic) {
        return "venue: generic has no exchange to connect to";
    }
    if (account.environment == VenueEnvironment::Custom) {
        std::string problem;
        if (!HttpUrl::parse(account.customUrl, problem)) {
            return "customUrl: " + (account.customUrl.empty() ? std::string("is required for a custom environment") : problem);
        }
    } else if (!account.customUrl.empty()) {
        return "customUrl: only for the custom environment";
    }
    if (account.venue == Venue::Hyperliquid) {
        if (!validWalletAddress(account.walletAddress)) {
            return "walletAddress: must be 0x and 40 hex digits (Hyperliquid accounts are read by address)";
        }
        if (account.hasTradeKey) {
            return "hasTradeKey: Hyperliquid orders are signed with a wallet key, which is not supported";
        }
    } else if (!account.walletAddress.empty()) {
        return "walletAddress: only for Hyperliquid";
    }
    return {};
}

std::vector<AccountSettings> readAccountsConfig(std::string_view jsonText)
{
    json document;
    try {
        document = parseExactJson(jsonText);
    } catch (const JsonSyntaxError& error) {
        throw ConfigError("", error.what());
    }
    if (!document.is_object()) {
        throw ConfigError("", "the configuration is " + describeJsonType(document) + ", not an object");
    }
    for (const auto& [key, value] : document.items()) {
        if (key != "accounts") {
            throw ConfigError(key, looksLikeSecret(key) ? "secrets are never kept in the configuration file; they belong in the keychain"
                                                        : "is not a field of the configuration");
        }
    }
    const auto accounts = document.find("accounts");
    if (accounts == document.end()) {
        return {};
    }
    if (!accounts->is_array()) {
        throw ConfigError("accounts", "is " + describeJsonType(*accounts) + ", not an array");
    }
    std::vector<AccountSettings> result;
    std::set<std::string> ids;
    for (std::size_t i = 0; i < accounts->size(); ++i) {
        const std::string where = "accounts[" + std::to_string(i) + "]";
        const json& entry = (*accounts)[i];
        if (!entry.is_object()) {
            throw ConfigError(where, "is " + describeJsonType(entry) + ", not an object");
        }
        for (const auto& [key, value] : entry.items()) {
            if (std::find(kAccountFields.begin(), kAccountFields.end(), key) == kAccountFields.end()) {
                throw ConfigError(where + "." + key, looksLikeSecret(key)
                                                         ? "secrets are never kept in the configuration file; they belong in the keychain"
                                                         : "is not a field of an account");
            }
        }
        AccountSettings account;
        account.id = text(entry, "id", where + ".id", true);
        account.label = text(entry, "label", where + ".label", true);
        const std::string venue = text(entry, "venue", where + ".venue", true);
        const auto parsedVenue = venueFromName(venue);
        if (!parsedVenue) {
            throw ConfigError(where + ".venue", "\"" + venue + "\" is not one of " + std::string(venueNameList()));
        }
        account.venue = *parsedVenue;
        const std::string environment = text(entry, "environment", where + ".environment", false);
        if (!environment.empty()) {
            const auto parsed = environmentFromName(environment);
            if (!parsed) {
                throw ConfigError(where + ".environment", "\"" + environment + "\" is not mainnet, testnet or custom");
            }
            account.environment = *parsed;
        }
        account.customUrl = text(entry, "customUrl", where + ".customUrl", false);
        account.walletAddress = text(entry, "walletAddress", where + ".walletAddress", false);
        if (const auto trade = entry.find("hasTradeKey"); trade != entry.end()) {
            if (!trade->is_boolean()) {
                throw ConfigError(where + ".hasTradeKey", "is " + describeJsonType(*trade) + ", not true or false");
            }
            account.hasTradeKey = trade->get<bool>();
        }
        if (const std::string problem = checkAccountSettings(account); !problem.empty()) {
            const auto colon = problem.find(": ");
            throw ConfigError(where + "." + problem.substr(0, colon), problem.substr(colon + 2));
        }
        if (!ids.insert(account.id).second) {
            throw ConfigError(where + ".id", "\"" + account.id + "\" is used by an earlier account");
        }
        result.push_back(std::move(account));
    }
    return result;
}

std::string writeAccountsConfig(const std::vector<AccountSettings>& accounts)
{
    json list = json::array();
    for (const AccountSettings& account : accounts) {
        json entry = json::object();
        entry["id"] = account.id;
        entry["label"] = account.label;
        entry["venue"] = std::string(venueName(account.venue));
        entry["environment"] = std::string(environmentName(account.environment));
        if (!account.customUrl.empty()) {
            entry["customUrl"] = account.customUrl;
        }
        if (account.hasTradeKey) {
            entry["hasTradeKey"] = true;
        }
        if (!account.walletAddress.empty()) {
            entry["walletAddress"] = account.walletAddress;
        }
        list.push_back(std::move(entry));
    }
    return json{{"accounts", std::move(list)}}.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::optional<VenueEndpoints> endpointsFor(const AccountSettings& account, std::string& problem)
{
    std::string restText;
    std::string publicText;
    std::string privateText;
    if (account.environment == VenueEnvironment::Custom) {
        const auto rest = HttpUrl::parse(account.customUrl, problem);
        if (!rest) {
            return std::nullopt;
        }
        restText = account.customUrl;
        publicText = privateText = streamUrlOf(*rest);
    } else {
        const auto known = knownEndpoints(account.venue, account.environment);
        if (!known) {
            problem = std::string(venueName(account.venue)) + " has no " + std::string(environmentName(account.environment));
            return std::nullopt;
        }
        restText = known->rest;
        publicText = known->publicStream;
        privateText = known->privateStream;
    }
    auto rest = HttpUrl::parse(restText, problem);
    auto publicStream = WsUrl::parse(publicText, problem);
    auto privateStream = WsUrl::parse(privateText, problem);
    if (!rest || !publicStream || !privateStream) {
        return std::nullopt;
    }
    return VenueEndpoints{std::move(*rest), std::move(*publicStream), std::move(*privateStream)};
}

} // namespace mm
