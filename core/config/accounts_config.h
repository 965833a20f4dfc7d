#pragma once

#include "domain/venue.h"
#include "net/ws_url.h"

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mm {

/// Where an account's venue is reached.
enum class VenueEnvironment {
    Mainnet,
    Testnet,
    Custom, ///< one base URL serving the venue's REST and WebSocket paths (the simulator, a proxy)
};

std::string_view environmentName(VenueEnvironment environment);

/// One exchange account the trader connected, as the configuration file keeps it: never a secret.
/// The API key, its secret and the OKX passphrase (and those of the separate trade key) live in the
/// OS keychain under keys made from `id` (ui/keychain); a Hyperliquid account needs only its
/// public wallet address.
struct AccountSettings {
    std::string id;    ///< stable, unique, [a-z0-9-]{1,32}: names the keychain entries
    std::string label; ///< the trader's name for it, shown everywhere
    Venue venue = Venue::BinanceUsdm;
    VenueEnvironment environment = VenueEnvironment::Mainnet;
    std::string customUrl;     ///< Custom only: https://host[:port] (http:// to loopback only)
    bool hasTradeKey = false;  ///< a second key, used only for deleveraging, is in the keychain
    std::string walletAddress; ///< Hyperliquid only: 0x and 40 hex digits

    bool operator==(const AccountSettings&) const = default;
};

/// A configuration file that cannot be used: the field at fault ("accounts[1].venue"; empty for the
/// whole file) and the reason in words.
class ConfigError : public std::runtime_error {
public:
    ConfigError(std::string field, std::string reason);
    [[nodiscard]] const std::string& field() const { return m_field; }
    [[nodiscard]] const std::string& reason() const { return m_reason; }

private:
    std::string m_field;
    std::string m_reason;
};

/// Reads {"accounts": [ … ]} (`//` comments allowed). Every field is checked — type, known venue
/// and environment, unique ids, the custom URL, the wallet address — and unknown names are refused;
/// a field that looks like a secret (apiKey, secret, passphrase …) is refused with words saying
/// secrets belong in the keychain. The first problem is thrown as a ConfigError.
std::vector<AccountSettings> readAccountsConfig(std::string_view jsonText);

/// The accounts as the configuration file's text (indented JSON, fields in a fixed order).
std::string writeAccountsConfig(const std::vector<AccountSettings>& accounts);

/// Checks one account as readAccountsConfig() would; the problem in words naming the field, or "".
std::string checkAccountSettings(const AccountSettings& account);

/// The addresses of a venue in an environment.
struct VenueEndpoints {
    HttpUrl rest;
    WsUrl publicStream;  ///< host only; the protocol adds the path
    WsUrl privateStream; ///< host only
};

/// Mainnet and testnet addresses from the venues' documentation (reference/exchanges.md); Custom:
/// the account's URL for all three. nullopt (and `problem`) for a venue without that environment.
std::optional<VenueEndpoints> endpointsFor(const AccountSettings& account, std::string& problem);

} // namespace mm
