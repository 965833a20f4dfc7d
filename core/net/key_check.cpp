#include "net/key_check.h"

#include "net/https_client.h"
#include "net/server_clock.h"
#include "venues/binance_usdm/binance_account.h"
#include "venues/bybit_linear/bybit_account.h"
#include "venues/key_permissions.h"
#include "venues/okx_swap/okx_account.h"

#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <memory>
#include <stdexcept>

namespace mm {

namespace {

using json = nlohmann::json;

struct Endpoint {
    std::string_view path;
    std::string_view query;
};

/// The exchange as the trader calls it (venueName() is the configuration's spelling).
std::string exchangeName(Venue venue)
{
    switch (venue) {
    case Venue::BinanceUsdm:
        return "Binance";
    case Venue::BybitLinear:
        return "Bybit";
    case Venue::OkxSwap:
        return "OKX";
    case Venue::Hyperliquid:
    case Venue::Generic:
        break;
    }
    return std::string(venueName(venue));
}

/// The signed read that proves the key works: the venue's open positions.
Endpoint positionsEndpoint(Venue venue)
{
    switch (venue) {
    case Venue::BinanceUsdm:
        return {"/fapi/v2/positionRisk", ""};
    case Venue::BybitLinear:
        return {"/v5/position/list", "category=linear&settleCoin=USDT"};
    case Venue::OkxSwap:
    case Venue::Hyperliquid:
    case Venue::Generic:
        break;
    }
    return {"/api/v5/account/positions", "instType=SWAP"};
}

/// Where the venue says what a key may do.
Endpoint permissionsEndpoint(Venue venue)
{
    switch (venue) {
    case Venue::BinanceUsdm:
        return {"/sapi/v1/account/apiRestrictions", ""};
    case Venue::BybitLinear:
        return {"/v5/user/query-api", ""};
    case Venue::OkxSwap:
    case Venue::Hyperliquid:
    case Venue::Generic:
        break;
    }
    return {"/api/v5/account/config", ""};
}

/// What a venue's answer to a signed request means for the key.
enum class Verdict {
    Ok,
    UnknownKey,
    WrongSecret,     ///< the key is known, the signature is not its secret's
    WrongPassphrase, ///< OKX
    NoPermission,
    IpRefused, ///< the key is bound to other addresses
    Expired,
    Timestamp,
    RateLimited,
    Network,
    Unavailable, ///< 503: the venue could not answer
    Other,
};

struct KnownCode {
    Venue venue;
    std::string_view code;
    Verdict verdict;
};

// The venues' documented codes (Binance "Error Codes", Bybit v5 "Error Codes", OKX v5 "Error Code").
constexpr std::array kKnownCodes{
    KnownCode{Venue::BinanceUsdm, "-2015", Verdict::UnknownKey}, // invalid API-key, IP, or permissions
    KnownCode{Venue::BinanceUsdm, "-2014", Verdict::UnknownKey}, // API-key format invalid
    KnownCode{Venue::BinanceUsdm, "-2008", Verdict::UnknownKey}, // invalid Api-Key ID
    KnownCode{Venue::BinanceUsdm, "-1022", Verdict::WrongSecret},
    KnownCode{Venue::BinanceUsdm, "-1021", Verdict::Timestamp},
    KnownCode{Venue::BinanceUsdm, "-1003", Verdict::RateLimited},
    KnownCode{Venue::BybitLinear, "10003", Verdict::UnknownKey},
    KnownCode{Venue::BybitLinear, "10004", Verdict::WrongSecret},
    KnownCode{Venue::BybitLinear, "10002", Verdict::Timestamp},
    KnownCode{Venue::BybitLinear, "10005", Verdict::NoPermission},
    KnownCode{Venue::BybitLinear, "10006", Verdict::RateLimited},
    KnownCode{Venue::BybitLinear, "10010", Verdict::IpRefused},
    KnownCode{Venue::BybitLinear, "33004", Verdict::Expired},
    KnownCode{Venue::OkxSwap, "50111", Verdict::UnknownKey},
    KnownCode{Venue::OkxSwap, "50119", Verdict::UnknownKey},
    KnownCode{Venue::OkxSwap, "50113", Verdict::WrongSecret},
    KnownCode{Venue::OkxSwap, "50105", Verdict::WrongPassphrase},
    KnownCode{Venue::OkxSwap, "50102", Verdict::Timestamp},
    KnownCode{Venue::OkxSwap, "50112", Verdict::Timestamp},
    KnownCode{Venue::OkxSwap, "50120", Verdict::NoPermission},
    KnownCode{Venue::OkxSwap, "50110", Verdict::IpRefused},
    KnownCode{Venue::OkxSwap, "50011", Verdict::RateLimited},
};

/// One answer, read: what it means, and what the venue said in its own words ("-2015: Invalid
/// API-key, IP, or permissions for action.", "HTTP 404").
struct Reading {
    Verdict verdict = Verdict::Other;
    std::string said;
    int status = 0;
};

/// The venue's error code and message in an answer body, if it is an error answer: Binance
/// {"code":-2015,"msg":…} (negative), Bybit {"retCode":10003,"retMsg":…} (non-zero), OKX
/// {"code":"50113","msg":…} (not "0").
std::optional<std::pair<std::string, std::string>> venueError(Venue venue, std::string_view body)
{
    const json answer = json::parse(body, nullptr, false);
    if (!answer.is_object()) {
        return std::nullopt;
    }
    const bool bybit = venue == Venue::BybitLinear;
    const auto code = answer.find(bybit ? "retCode" : "code");
    if (code == answer.end()) {
        return std::nullopt;
    }
    std::string text;
    if (code->is_number_integer()) {
        text = std::to_string(code->get<std::int64_t>());
    } else if (code->is_string()) {
        text = code->get<std::string>();
    }
    const bool success = venue == Venue::BinanceUsdm ? !text.starts_with('-') : text == "0";
    if (text.empty() || success) {
        return std::nullopt;
    }
    const auto message = answer.find(bybit ? "retMsg" : "msg");
    return std::pair{text,
                     message != answer.end() && message->is_string() ? message->get<std::string>() : std::string()};
}

/// The venue's words made safe to show: the whole key (Bybit echoes the signed text, key included)
/// replaced by its short form, anything secret removed, the length bounded.
std::string sanitized(std::string text, const ApiCredentials& credentials)
{
    const auto replaceAll = [&](const std::string& needle, const std::string& with) {
        if (needle.empty()) {
            return;
        }
        for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + with.size())) {
            text.replace(at, needle.size(), with);
        }
    };
    replaceAll(credentials.secret, "…");
    replaceAll(credentials.passphrase, "…");
    replaceAll(credentials.apiKey, credentials.describe());
    constexpr std::size_t kLongest = 200;
    if (text.size() > kLongest) {
        text.resize(kLongest);
        text += "…";
    }
    return text;
}

Reading readAnswer(Venue venue, const HttpResponse& response, const ApiCredentials& credentials)
{
    Reading reading;
    reading.status = response.status;
    switch (response.outcome) {
    case HttpOutcome::NetworkError:
    case HttpOutcome::Timeout:
        reading.verdict = Verdict::Network;
        reading.said = response.error.empty() ? std::string(httpOutcomeName(response.outcome)) : response.error;
        return reading;
    case HttpOutcome::RateLimited:
    case HttpOutcome::Banned:
        reading.verdict = Verdict::RateLimited;
        reading.said = "HTTP " + std::to_string(response.status);
        if (response.retryAfter) {
            reading.said += ", asked to wait " + std::to_string(response.retryAfter->count()) + " s";
        }
        return reading;
    case HttpOutcome::Ok:
    case HttpOutcome::Unavailable:
    case HttpOutcome::HttpError:
        break;
    }
    if (const auto error = venueError(venue, response.body)) {
        reading.said = error->first + (error->second.empty() ? "" : ": " + sanitized(error->second, credentials));
        reading.verdict = Verdict::Other;
        for (const KnownCode& known : kKnownCodes) {
            if (known.venue == venue && known.code == error->first) {
                reading.verdict = known.verdict;
            }
        }
        return reading;
    }
    reading.said = "HTTP " + std::to_string(response.status);
    if (response.outcome == HttpOutcome::Unavailable) {
        reading.verdict = Verdict::Unavailable;
    } else {
        reading.verdict = response.outcome == HttpOutcome::Ok ? Verdict::Ok : Verdict::Other;
    }
    return reading;
}

/// Checks that a successful position read is one: the venue's positions in their shape.
std::optional<std::string> positionsProblem(Venue venue, std::string_view body)
{
    std::string problem;
    bool read = false;
    switch (venue) {
    case Venue::BinanceUsdm:
        read = parseBinancePositionRisk(body, problem).has_value();
        break;
    case Venue::BybitLinear:
        read = parseBybitPositionList(body, problem).has_value();
        break;
    case Venue::OkxSwap:
        // Only the shape matters here: every instrument counts one base unit per contract.
        read = parseOkxPositions(
                   body, [](std::string_view) { return std::optional(Decimal::fromInteger(1)); }, problem)
                   .has_value();
        break;
    case Venue::Hyperliquid:
    case Venue::Generic:
        break;
    }
    return read ? std::nullopt : std::optional(problem);
}

/// One check of one key: clock, signed read, permissions, verdict. Lives in the callbacks.
class KeyCheck : public std::enable_shared_from_this<KeyCheck> {
public:
    KeyCheck(HttpsClient& client, HttpsClient& permissionsClient, Venue venue, const ApiCredentials& credentials,
             KeyPurpose purpose, std::function<void(KeyCheckResult)> done)
        : m_client(client), m_permissionsClient(permissionsClient), m_venue(venue), m_name(exchangeName(venue)),
          m_credentials(credentials), m_purpose(purpose), m_done(std::move(done))
    {
    }

    void start()
    {
        requestServerTime(
            m_client, m_venue,
            [self = shared_from_this()](std::optional<ServerTimeSample> sample, const std::string& problem) {
                if (sample) {
                    self->m_clock.addSample(*sample);
                } else {
                    self->m_clockProblem = problem;
                }
                self->readPositions();
            });
    }

private:
    [[nodiscard]] HttpRequest signedGet(Endpoint endpoint) const
    {
        const auto localMs =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
                .count();
        HttpRequest request = signedRequest(m_venue, HttpMethod::Get, endpoint.path, endpoint.query, "", m_credentials,
                                            m_clock.serverTimeMs(localMs));
        request.timeout = std::chrono::seconds(10);
        return request;
    }

    /// Sends, or — for a key or secret the request cannot carry (a pasted line break) — fails the
    /// check with words for it.
    void send(HttpsClient& client, Endpoint endpoint, void (KeyCheck::*onAnswer)(const HttpResponse&))
    {
        try {
            client.request(signedGet(endpoint), [self = shared_from_this(), onAnswer](const HttpResponse& response) {
                ((*self).*onAnswer)(response);
            });
        } catch (const std::invalid_argument&) {
            fail("The API key or its passphrase holds a line break or another control character: paste it again, "
                 "without spaces around it.");
        }
    }

    void readPositions()
    {
        if (m_credentials.apiKey.empty() || m_credentials.secret.empty() ||
            (m_venue == Venue::OkxSwap && m_credentials.passphrase.empty())) {
            fail("Enter the API key" +
                 std::string(m_venue == Venue::OkxSwap ? ", its secret and its passphrase" : " and its secret") +
                 " as " + m_name + " showed them when the key was created.");
            return;
        }
        send(m_client, positionsEndpoint(m_venue), &KeyCheck::onPositions);
    }

    void onPositions(const HttpResponse& response)
    {
        const Reading reading = readAnswer(m_venue, response, m_credentials);
        if (reading.verdict != Verdict::Ok) {
            fail(refusalWords(reading));
            return;
        }
        if (const auto problem = positionsProblem(m_venue, response.body)) {
            fail(m_name + " answered the position read in a form Margin Monitor cannot read (" +
                 sanitized(*problem, m_credentials) + "). Is the exchange's address in Settings → Exchanges right?");
            return;
        }
        m_result.permissions.canRead = true;
        send(m_permissionsClient, permissionsEndpoint(m_venue), &KeyCheck::onPermissions);
    }

    void onPermissions(const HttpResponse& response)
    {
        const Reading reading = readAnswer(m_venue, response, m_credentials);
        std::string reason;
        if (reading.verdict == Verdict::Ok) {
            std::string problem;
            if (const auto reported = parseKeyPermissions(m_venue, response.body, problem)) {
                m_result.permissions.canTrade = reported->canTrade;
                m_result.permissions.canWithdraw = reported->canWithdraw;
                m_result.permissions.ipRestricted = reported->ipRestricted;
            } else {
                reason = "its answer could not be read: " + sanitized(problem, m_credentials);
            }
        } else if (reading.verdict == Verdict::Network) {
            reason = "it could not be reached: " + reading.said;
        } else if (reading.status == 404) {
            reason = "it has no " + std::string(permissionsEndpoint(m_venue).path) + " here (HTTP 404)";
        } else {
            reason = "it answered " + reading.said;
        }
        if (!reason.empty()) {
            m_result.warnings.push_back(m_name + " did not say what this key may do (" + reason +
                                        "), so whether it can trade or withdraw, and whether it is bound to IP "
                                        "addresses, could not be checked. Check these settings on " +
                                        m_name + "'s API management page.");
        }
        finish();
    }

    /// Why the venue refused the position read, in the trader's words, naming what it said.
    [[nodiscard]] std::string refusalWords(const Reading& reading) const
    {
        const std::string key = m_credentials.describe();
        const std::string said = " (" + m_name + " said " + reading.said + ")";
        switch (reading.verdict) {
        case Verdict::UnknownKey:
            if (m_venue == Venue::BinanceUsdm) {
                return "Binance refused " + key + said +
                       ": the key is unknown (check it was copied whole, and is not a testnet key), or it lacks "
                       "futures permission, or this computer's address is not on its IP list.";
            }
            return m_name + " does not know " + key + said +
                   ": check that it was copied whole and belongs to this environment (not a testnet or demo key).";
        case Verdict::WrongSecret:
            return m_name + " knows " + key + " but refused its signature" + said +
                   ": the secret does not belong to this key. Paste the secret shown when the key was created.";
        case Verdict::WrongPassphrase:
            return "OKX refused the passphrase of " + key + said +
                   ": enter the passphrase chosen when the key was created (not the account's password).";
        case Verdict::NoPermission:
            return m_name + " says " + key + " may not read positions" + said + ": enable reading for it on " + m_name +
                   ".";
        case Verdict::IpRefused:
            return m_name + " refused " + key + " from this computer's address" + said +
                   ": the key is bound to other IP addresses. Add this computer's address to it on " + m_name + ".";
        case Verdict::Expired:
            return m_name + " says " + key + " has expired" + said + ": create a new key.";
        case Verdict::Timestamp:
            return explainTimestampRefusal(m_venue, m_clock.offsetMs()) + said;
        case Verdict::RateLimited:
            return m_name + " is limiting requests from this computer — rate limited" + said +
                   ". Try the check again in a minute.";
        case Verdict::Network:
            return "Could not reach " + m_name + " (" + reading.said +
                   "). Check the internet connection and the exchange's address in Settings → Exchanges.";
        case Verdict::Unavailable:
            return m_name + " could not answer just now" + said + ". Try again in a moment.";
        case Verdict::Ok:
        case Verdict::Other:
            break;
        }
        return m_name + " refused to read positions with " + key + said + ".";
    }

    /// The verdict on a key that reads: what its purpose needs, and what the trader should act on.
    void finish()
    {
        const KeyPermissions& can = m_result.permissions;
        if (m_purpose == KeyPurpose::Read && can.canTrade == true) {
            std::string warning =
                "This key can trade as well as read. Margin Monitor only reads with it; a key that "
                "can only read cannot be misused to place orders. Create a read-only key for monitoring "
                "(deleveraging uses a separate trade key).";
            if (m_venue == Venue::BinanceUsdm) {
                // Binance has asked for "Enable Futures" to read futures accounts (client libraries' reports).
                warning += " (If Binance refuses futures reads without \"Enable Futures\", keep withdrawals off and "
                           "bind the key to this computer's address.)";
            }
            m_result.warnings.push_back(std::move(warning));
        }
        if (m_purpose == KeyPurpose::Trade && can.canTrade == false) {
            m_result.problem = "This key cannot trade futures on " + m_name +
                               ", so it cannot deleverage a position. Enable futures trading for it (and nothing "
                               "else) on " +
                               m_name + ".";
        }
        if (can.ipRestricted == false) {
            m_result.warnings.push_back("This key is not bound to IP addresses: whoever obtains it can use it from "
                                        "anywhere. Bind it to this computer's address on " +
                                        m_name + ".");
        }
        if (can.canWithdraw == true) {
            m_result.withdrawWarning =
                "THIS KEY CAN WITHDRAW FUNDS. Margin Monitor never withdraws; anyone who obtains " +
                m_credentials.describe() + " could move your money off " + m_name +
                ". Turn withdrawals off for this key on " + m_name + " now.";
        }
        if (m_clockProblem) {
            m_result.warnings.push_back(m_name + "'s clock could not be measured (" + *m_clockProblem +
                                        "); requests are timed by this computer's clock.");
        }
        m_result.usable = m_result.problem.empty();
        deliver();
    }

    void fail(std::string problem)
    {
        m_result.usable = false;
        m_result.problem = std::move(problem);
        deliver();
    }

    void deliver()
    {
        m_credentials = {}; // the secret is needed no longer
        auto done = std::move(m_done);
        done(std::move(m_result));
    }

    HttpsClient& m_client;
    HttpsClient& m_permissionsClient;
    Venue m_venue;
    std::string m_name;
    ApiCredentials m_credentials;
    KeyPurpose m_purpose;
    std::function<void(KeyCheckResult)> m_done;
    ServerClockOffset m_clock;
    std::optional<std::string> m_clockProblem;
    KeyCheckResult m_result;
};

} // namespace

void checkApiKey(HttpsClient& client, Venue venue, const ApiCredentials& credentials, KeyPurpose purpose,
                 std::function<void(KeyCheckResult result)> done, HttpsClient* permissionsClient)
{
    if (venue == Venue::Hyperliquid || venue == Venue::Generic) {
        throw std::invalid_argument(std::string(venueName(venue)) + " has no API keys to check");
    }
    const auto check = std::make_shared<KeyCheck>(client, permissionsClient != nullptr ? *permissionsClient : client,
                                                  venue, credentials, purpose, std::move(done));
    check->start();
}

} // namespace mm
