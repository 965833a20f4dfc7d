#include "sim/private_api.h"

#include "margin/margin_model.h"
#include "net/signer.h"
#include "sim/price_book.h"
#include "venues/binance_usdm/binance_signing.h"
#include "venues/bybit_linear/bybit_signing.h"
#include "venues/okx_swap/okx_signing.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <exception>

namespace mm::sim {

using json = nlohmann::json;

std::optional<std::string_view> PrivateRequest::header(std::string_view name) const
{
    for (const auto& [key, value] : headers) {
        if (std::equal(key.begin(), key.end(), name.begin(), name.end(),
                       [](unsigned char a, unsigned char b) { return std::tolower(a) == std::tolower(b); })) {
            return std::string_view(value);
        }
    }
    return std::nullopt;
}

namespace {

// ---------------------------------------------------------------------------------------------
// Requests

struct Target {
    std::string_view path;
    std::string_view query; ///< without the '?'
};

Target splitTarget(std::string_view target)
{
    const auto mark = target.find('?');
    if (mark == std::string_view::npos) {
        return {target, {}};
    }
    return {target.substr(0, mark), target.substr(mark + 1)};
}

/// The value of `name` in a query string (the venues' parameters need no percent-decoding here).
std::optional<std::string_view> queryParam(std::string_view query, std::string_view name)
{
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        const auto eq = pair.find('=');
        if (pair.substr(0, eq) == name) {
            return eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
        }
        if (amp == std::string_view::npos) {
            break;
        }
        query.remove_prefix(amp + 1);
    }
    return std::nullopt;
}

std::optional<std::int64_t> parseInteger(std::optional<std::string_view> text)
{
    if (!text || text->empty()) {
        return std::nullopt;
    }
    std::int64_t value = 0;
    const auto result = std::from_chars(text->data(), text->data() + text->size(), value);
    if (result.ec != std::errc() || result.ptr != text->data() + text->size()) {
        return std::nullopt;
    }
    return value;
}

/// OKX's "2020-12-08T09:08:57.715Z" in Unix ms; nullopt for anything else.
std::optional<std::int64_t> parseIsoTimestamp(std::string_view text)
{
    if (text.size() != 24 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
        text[16] != ':' || text[19] != '.' || text[23] != 'Z') {
        return std::nullopt;
    }
    const auto field = [&](std::size_t at, std::size_t length) { return parseInteger(text.substr(at, length)); };
    const auto year = field(0, 4);
    const auto month = field(5, 2);
    const auto day = field(8, 2);
    const auto hour = field(11, 2);
    const auto minute = field(14, 2);
    const auto second = field(17, 2);
    const auto milli = field(20, 3);
    if (!year || !month || !day || !hour || !minute || !second || !milli || *hour > 23 || *minute > 59 ||
        *second > 60) {
        return std::nullopt;
    }
    const std::chrono::year_month_day date{std::chrono::year(static_cast<int>(*year)),
                                           std::chrono::month(static_cast<unsigned>(*month)),
                                           std::chrono::day(static_cast<unsigned>(*day))};
    if (!date.ok()) {
        return std::nullopt;
    }
    const auto days = std::chrono::sys_days(date).time_since_epoch().count();
    return ((days * 24 + *hour) * 60 + *minute) * 60'000 + *second * 1000 + *milli;
}

/// The key called `apiKey` on `venue`; a key of another venue is as unknown there as a made-up one.
const SimulatedApiKey* findKey(const std::vector<SimulatedApiKey>& keys, Venue venue,
                               std::optional<std::string_view> apiKey)
{
    if (!apiKey || apiKey->empty()) {
        return nullptr;
    }
    const auto found = std::find_if(keys.begin(), keys.end(), [&](const SimulatedApiKey& key) {
        return key.venue == venue && key.apiKey == *apiKey;
    });
    return found == keys.end() ? nullptr : &*found;
}

// ---------------------------------------------------------------------------------------------
// The account at the simulator's marks

std::string fixedText(double value, int places)
{
    char text[64];
    const auto result = std::to_chars(text, text + sizeof text, value, std::chars_format::fixed, places);
    return result.ec == std::errc() ? std::string(text, result.ptr) : std::string("0");
}

/// A mark as the venues print it (the precision of the simulator's pushed frames).
std::string priceText(double value)
{
    return fixedText(value, value < 1 ? 6 : (value < 100 ? 4 : 2));
}

/// A ratio as Bybit and OKX print theirs.
std::string ratioText(const Decimal& numerator, const Decimal& denominator)
{
    if (!denominator.isPositive()) {
        return "0";
    }
    return (numerator / denominator).roundToStep(Decimal::parse("0.0001"), Decimal::Rounding::HalfEven).toString();
}

/// Where the portfolio does not say: the leverage new symbols start at on Binance (20×), used for
/// all three venues' initial margin.
/// (Functions, not constants: Decimal's own statics may not be built yet when this file's are.)
Decimal defaultLeverage()
{
    return Decimal::fromInteger(20);
}

/// The contract value of every OKX swap the simulator lists (sim/rest_api.cpp: ctVal "0.01"), so
/// that `pos` in contracts is what a client converts back with the simulator's own instrument list.
Decimal okxContractValue()
{
    return Decimal::parse("0.01");
}

struct ValuedPosition {
    const Position* position = nullptr;
    Decimal unrealizedPnl;
    Decimal notional;          ///< unsigned
    Decimal maintenanceMargin; ///< 0 when the margin model could not evaluate the account
    Decimal initialMargin;     ///< isolated: the position's margin; cross: notional / leverage
    Decimal leverage;
    std::optional<double> liquidationPrice;
};

struct ValuedAccount {
    Portfolio portfolio; ///< marks set from the book
    std::vector<ValuedPosition> positions;
    Decimal crossWallet;
    Decimal isolatedWallets;
    Decimal unrealizedPnl;
    Decimal crossUnrealizedPnl;
    Decimal maintenanceMargin;
    Decimal initialMargin;
    Decimal crossInitialMargin;
    double nativeMarginRatio = 0; ///< the venue's own figure (OKX: equity / requirement)
};

/// The key's account with every position at the book's current mark, and its risk under the
/// venue's margin model (core/margin): maintenance margin and liquidation price as the client's
/// own calculator would find them.
ValuedAccount valueAccount(const SimulatedApiKey& key, PriceBook& book)
{
    ValuedAccount valued{key.account, {}, key.account.account.walletBalance, {}, {}, {}, {}, {}, {}, 0};
    for (Position& position : valued.portfolio.positions) {
        position.markPrice = Decimal::parse(priceText(book.mark(position.symbol)));
    }
    std::optional<PortfolioRisk> risk;
    try {
        risk = MarginModel::forVenue(key.venue)->evaluate(valued.portfolio);
    } catch (const std::exception&) {
        risk.reset(); // an account the model cannot evaluate still answers, without liquidation prices
    }
    if (risk) {
        valued.nativeMarginRatio = risk->account.nativeMarginRatio;
    }
    for (std::size_t i = 0; i < valued.portfolio.positions.size(); ++i) {
        const Position& position = valued.portfolio.positions[i];
        ValuedPosition figures;
        figures.position = &position;
        figures.unrealizedPnl = position.unrealizedPnl();
        figures.notional = position.notionalAt(position.markPrice);
        figures.leverage = position.leverage.value_or(defaultLeverage());
        if (position.marginMode == MarginMode::Isolated) {
            figures.initialMargin =
                position.isolatedMargin.value_or(position.notionalAt(position.entryPrice) / figures.leverage);
            valued.isolatedWallets += figures.initialMargin;
        } else {
            figures.initialMargin = figures.notional / figures.leverage;
            valued.crossInitialMargin += figures.initialMargin;
            valued.crossUnrealizedPnl += figures.unrealizedPnl;
        }
        if (risk) {
            figures.maintenanceMargin = risk->positions[i].maintenanceMargin;
            figures.liquidationPrice = risk->positions[i].liquidationPrice;
        }
        valued.unrealizedPnl += figures.unrealizedPnl;
        valued.maintenanceMargin += figures.maintenanceMargin;
        valued.initialMargin += figures.initialMargin;
        valued.positions.push_back(figures);
    }
    return valued;
}

/// Only the positions of `symbol`, when the request names one (Binance and Bybit `symbol`, OKX `instId`).
ValuedAccount onlySymbol(ValuedAccount account, std::optional<std::string_view> symbol)
{
    if (symbol && !symbol->empty()) {
        std::erase_if(account.positions,
                      [&](const ValuedPosition& figures) { return figures.position->symbol != *symbol; });
    }
    return account;
}

std::string text(const Decimal& value)
{
    return value.toString();
}

// ---------------------------------------------------------------------------------------------
// Binance USDⓈ-M

RestAnswer binanceError(int status, int code, std::string_view message)
{
    return {status, json{{"code", code}, {"msg", message}}.dump(), std::nullopt};
}

/// Binance's checks, in the order the venue reports them: the key (and its permission), the
/// mandatory parameters, the signature, then the timestamp against recvWindow ("Timing security":
/// accepted when timestamp < serverTime + 1000 and serverTime − timestamp ≤ recvWindow).
/// `readRequired`: false for the endpoint that reports the key's permissions (any valid key may ask).
std::optional<RestAnswer> binanceRefusal(const PrivateRequest& request, std::string_view query,
                                         const std::vector<SimulatedApiKey>& keys, std::int64_t now,
                                         const SimulatedApiKey*& key, bool readRequired = true)
{
    // -2015 for an unknown key and for a key without the permission alike: Binance does not say which.
    key = findKey(keys, Venue::BinanceUsdm, request.header(binance::kApiKeyHeader));
    if (key == nullptr || (readRequired && !key->permissions.read)) {
        return binanceError(401, -2015, "Invalid API-key, IP, or permissions for action.");
    }
    const auto timestamp = parseInteger(queryParam(query, "timestamp"));
    if (!timestamp) {
        return binanceError(400, -1102, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.");
    }
    const auto given = queryParam(query, "signature");
    if (!given || given->empty()) {
        return binanceError(400, -1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.");
    }
    // The signed text is the query before `signature` (which must come last) plus the body.
    const auto at = query.starts_with("signature=") ? 0 : query.find("&signature=") + 1;
    const std::string_view signedQuery = query.substr(0, at == 0 ? 0 : at - 1);
    if (query.substr(at).find('&') != std::string_view::npos ||
        !sameSignature(*given, binance::signature(signedQuery, request.body, key->secret))) {
        return binanceError(400, -1022, "Signature for this request is not valid.");
    }
    const std::int64_t recvWindow = parseInteger(queryParam(query, "recvWindow")).value_or(5000);
    if (now - *timestamp > recvWindow || *timestamp >= now + 1000) {
        return binanceError(400, -1021, "Timestamp for this request is outside of the recvWindow.");
    }
    return std::nullopt;
}

std::string binanceMarginType(const Position& position)
{
    return position.marginMode == MarginMode::Isolated ? "isolated" : "cross";
}

std::string binancePositionSide(PositionSide side)
{
    switch (side) {
    case PositionSide::Long:
        return "LONG";
    case PositionSide::Short:
        return "SHORT";
    case PositionSide::Both:
        break;
    }
    return "BOTH";
}

std::string binancePositionRisk(const ValuedAccount& account, std::int64_t now)
{
    json list = json::array();
    for (const ValuedPosition& figures : account.positions) {
        const Position& position = *figures.position;
        const bool isolated = position.marginMode == MarginMode::Isolated;
        const int sign = direction(position.side);
        list.push_back({{"symbol", position.symbol},
                        {"positionSide", binancePositionSide(position.positionSide)},
                        {"positionAmt", text(sign < 0 ? -position.quantity : position.quantity)},
                        {"entryPrice", text(position.entryPrice)},
                        {"markPrice", text(position.markPrice)},
                        {"unRealizedProfit", text(figures.unrealizedPnl)},
                        {"liquidationPrice", figures.liquidationPrice ? priceText(*figures.liquidationPrice) : "0"},
                        {"isolatedMargin", isolated ? text(figures.initialMargin + figures.unrealizedPnl) : "0"},
                        {"notional", text(sign < 0 ? -figures.notional : figures.notional)},
                        {"marginAsset", "USDT"},
                        {"isolatedWallet", isolated ? text(figures.initialMargin) : "0"},
                        {"marginType", binanceMarginType(position)},
                        {"leverage", text(figures.leverage)},
                        {"isAutoAddMargin", "false"},
                        {"updateTime", now}});
    }
    return list.dump();
}

std::string binanceAccount(const ValuedAccount& account, std::int64_t now)
{
    // The portfolio's wallet is the cross wallet; Binance's total wallet counts the isolated ones too.
    const Decimal totalWallet = account.crossWallet + account.isolatedWallets;
    const Decimal marginBalance = totalWallet + account.unrealizedPnl;
    Decimal available = account.crossWallet + account.crossUnrealizedPnl - account.crossInitialMargin;
    if (available.isNegative()) {
        available = Decimal();
    }
    const json asset = {{"asset", "USDT"},
                        {"walletBalance", text(totalWallet)},
                        {"unrealizedProfit", text(account.unrealizedPnl)},
                        {"marginBalance", text(marginBalance)},
                        {"maintMargin", text(account.maintenanceMargin)},
                        {"initialMargin", text(account.initialMargin)},
                        {"crossWalletBalance", text(account.crossWallet)},
                        {"availableBalance", text(available)},
                        {"updateTime", now}};
    return json{{"totalWalletBalance", text(totalWallet)},
                {"totalCrossWalletBalance", text(account.crossWallet)},
                {"totalUnrealizedProfit", text(account.unrealizedPnl)},
                {"totalMarginBalance", text(marginBalance)},
                {"totalMaintMargin", text(account.maintenanceMargin)},
                {"totalInitialMargin", text(account.initialMargin)},
                {"availableBalance", text(available)},
                {"assets", json::array({asset})}}
        .dump();
}

/// The key as the simulator echoes it where a venue echoes the key (Bybit's query-api): its first
/// characters only, as ApiCredentials::describe() names a key, so that no answer printed by a
/// failing test holds a whole key.
std::string shownKey(const SimulatedApiKey& key)
{
    return key.apiKey.substr(0, std::min<std::size_t>(4, key.apiKey.size())) + "…";
}

/// Binance `GET /sapi/v1/account/apiRestrictions` (Wallet → "Get API Key Permission"), every field of
/// the documented answer; futures trading is enableFutures.
std::string binanceApiRestrictions(const SimulatedApiKey& key)
{
    const ApiPermissions& can = key.permissions;
    return json{{"ipRestrict", can.ipRestricted},
                {"createTime", 1698645219000LL},
                {"enableReading", can.read},
                {"enableWithdrawals", can.withdraw},
                {"enableInternalTransfer", false},
                {"enableMargin", false},
                {"enableFutures", can.trade},
                {"permitsUniversalTransfer", false},
                {"enableVanillaOptions", false},
                {"enableFixApiTrade", false},
                {"enableFixReadOnly", can.read},
                {"enableSpotAndMarginTrading", false},
                {"enablePortfolioMarginTrading", false}}
        .dump();
}

/// A decimal as a JSON number (Binance's leverageBracket sends numbers): an integer where it is whole,
/// otherwise the double read from its text, which nlohmann prints back as that same shortest text
/// ("0.0065").
json jsonNumber(const Decimal& value)
{
    const std::string text = value.toString();
    if (text.find('.') == std::string::npos && text.size() < 16) {
        return std::stoll(text);
    }
    return std::strtod(text.c_str(), nullptr);
}

/// Binance's last bracket always has a cap; a table open at the top (a rate given by the trader) is
/// closed here.
Decimal openEndedCap()
{
    return Decimal::parse("5000000000");
}

/// The tiers the simulator values `symbol` with for this key: its position's instrument (what the
/// margin model uses), else the published or simulator table.
std::vector<RiskTier> tiersFor(const SimulatedApiKey& key, const std::string& symbol)
{
    for (const Position& position : key.account.positions) {
        if (position.symbol == symbol && position.instrument && !position.instrument->riskTiers.empty()) {
            return position.instrument->riskTiers;
        }
    }
    return simulatedRiskTiers(Venue::BinanceUsdm, symbol);
}

json binanceBrackets(const SimulatedApiKey& key, const std::string& symbol)
{
    json brackets = json::array();
    int number = 0;
    for (const RiskTier& tier : tiersFor(key, symbol)) {
        brackets.push_back(
            {{"bracket", ++number}, // tiers of a given rate are numbered 0: Binance counts from 1
             {"initialLeverage", tierLeverage(tier)},
             {"notionalCap", jsonNumber(tier.cap.value_or(std::max(openEndedCap(), tier.floor + tier.floor)))},
             {"notionalFloor", jsonNumber(tier.floor)},
             {"maintMarginRatio", jsonNumber(tier.maintenanceMarginRate)},
             {"cum", jsonNumber(tier.maintenanceAmount)}});
    }
    return {{"symbol", symbol}, {"notionalCoef", 1.0}, {"brackets", brackets}};
}

/// Binance `GET /fapi/v1/leverageBracket`: every listed symbol (and the key's own), or the one asked
/// for as an object; a name that is no USDT perpetual gets -1121.
RestAnswer binanceLeverageBrackets(const SimulatedApiKey& key, std::optional<std::string_view> symbol, PriceBook& book)
{
    const auto isUsdtPerpetual = [](std::string_view name) {
        return name.size() > 4 && name.ends_with("USDT") && std::all_of(name.begin(), name.end(), [](char c) {
                   return std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c));
               });
    };
    if (symbol && !symbol->empty()) {
        if (!isUsdtPerpetual(*symbol)) {
            return binanceError(400, -1121, "Invalid symbol.");
        }
        return {200, binanceBrackets(key, std::string(*symbol)).dump(), std::nullopt};
    }
    std::vector<std::string> symbols = listedSymbols(book);
    for (const Position& position : key.account.positions) {
        symbols.push_back(position.symbol);
    }
    std::sort(symbols.begin(), symbols.end());
    symbols.erase(std::unique(symbols.begin(), symbols.end()), symbols.end());
    json list = json::array();
    for (const std::string& name : symbols) {
        if (isUsdtPerpetual(name)) {
            list.push_back(binanceBrackets(key, name));
        }
    }
    return {200, list.dump(), std::nullopt};
}

// ---------------------------------------------------------------------------------------------
// Bybit v5

RestAnswer bybitAnswer(int retCode, std::string_view message, json result, std::int64_t now)
{
    // Bybit answers its own errors with HTTP 200 and the code in retCode.
    return {200,
            json{{"retCode", retCode},
                 {"retMsg", message},
                 {"result", std::move(result)},
                 {"retExtInfo", json::object()},
                 {"time", now}}
                .dump(),
            std::nullopt};
}

/// Bybit's checks ("Integration guidance — authentication"): the key, the signature over
/// timestamp + key + recvWindow + query string, the window (server_time − recv_window ≤ timestamp
/// < server_time + 1000), then the permission.
/// `readRequired`: false for query-api ("any permission can access this endpoint").
std::optional<RestAnswer> bybitRefusal(const PrivateRequest& request, std::string_view query,
                                       const std::vector<SimulatedApiKey>& keys, std::int64_t now,
                                       const SimulatedApiKey*& key, bool readRequired = true)
{
    key = findKey(keys, Venue::BybitLinear, request.header("X-BAPI-API-KEY"));
    if (key == nullptr) {
        return bybitAnswer(10003, "API key is invalid.", json::object(), now);
    }
    const auto timestamp = parseInteger(request.header("X-BAPI-TIMESTAMP"));
    const auto recvWindowHeader = request.header("X-BAPI-RECV-WINDOW");
    const auto recvWindow = recvWindowHeader ? parseInteger(recvWindowHeader) : bybit::kDefaultRecvWindowMs;
    const std::string_view windowText = recvWindowHeader ? *recvWindowHeader : std::string_view("5000");
    const auto sign = request.header("X-BAPI-SIGN");
    if (!timestamp || !recvWindow) {
        return bybitAnswer(10002, "invalid request, please check your server timestamp or recv_window param",
                           json::object(), now);
    }
    // The signature is recomputed over the texts as sent (what the client signed).
    const std::string expected = bybit::signature(key->secret, *timestamp, key->apiKey, *recvWindow, query);
    const bool textsAsSigned =
        std::to_string(*timestamp) == *request.header("X-BAPI-TIMESTAMP") && std::to_string(*recvWindow) == windowText;
    if (!sign || !textsAsSigned || !sameSignature(*sign, expected)) {
        // The venue echoes the text it signed ("error sign! origin_string[…]"); it holds the whole
        // key, so the simulator leaves it out.
        return bybitAnswer(10004, "error sign! please check your signature generation algorithm", json::object(), now);
    }
    if (*timestamp < now - *recvWindow || *timestamp >= now + 1000) {
        return bybitAnswer(10002,
                           "invalid request, please check your server timestamp or recv_window param. req_timestamp[" +
                               std::to_string(*timestamp) + "],server_timestamp[" + std::to_string(now) +
                               "],recv_window[" + std::to_string(*recvWindow) + "]",
                           json::object(), now);
    }
    if (readRequired && !key->permissions.read) {
        // retCode 10005 per Bybit's v5 error list (bybit-exchange.github.io/docs/v5/error).
        return bybitAnswer(10005, "Permission denied, please check your API key permissions.", json::object(), now);
    }
    return std::nullopt;
}

std::string bybitPositionIdx(PositionSide side)
{
    switch (side) {
    case PositionSide::Long:
        return "1";
    case PositionSide::Short:
        return "2";
    case PositionSide::Both:
        break;
    }
    return "0";
}

json bybitPositionList(const ValuedAccount& account, std::int64_t now)
{
    json list = json::array();
    for (const ValuedPosition& figures : account.positions) {
        const Position& position = *figures.position;
        list.push_back({{"symbol", position.symbol},
                        {"positionIdx", std::stoi(bybitPositionIdx(position.positionSide))},
                        // 0 cross, 1 isolated; positionBalance is an isolated position's margin.
                        {"tradeMode", position.marginMode == MarginMode::Isolated ? 1 : 0},
                        {"positionBalance", text(figures.initialMargin)},
                        {"side", position.side == Side::Long ? "Buy" : "Sell"},
                        {"size", text(position.quantity)},
                        {"avgPrice", text(position.entryPrice)},
                        {"markPrice", text(position.markPrice)},
                        {"liqPrice", figures.liquidationPrice ? priceText(*figures.liquidationPrice) : ""},
                        {"unrealisedPnl", text(figures.unrealizedPnl)},
                        {"positionIM", text(figures.initialMargin)},
                        {"positionMM", text(figures.maintenanceMargin)},
                        {"leverage", text(figures.leverage)},
                        {"positionStatus", "Normal"},
                        {"riskId", 1},
                        {"seq", now},
                        {"updatedTime", std::to_string(now)}});
    }
    return {{"category", "linear"}, {"list", list}, {"nextPageCursor", ""}};
}

json bybitWalletBalance(const ValuedAccount& account)
{
    // A unified account's wallet is the whole collateral, isolated margin included: the portfolio's
    // walletBalance as it stands (so that a client reading it back evaluates the same account).
    const Decimal wallet = account.crossWallet;
    const Decimal equity = wallet + account.unrealizedPnl;
    const json coin = {{"coin", "USDT"},
                       {"equity", text(equity)},
                       {"walletBalance", text(wallet)},
                       {"unrealisedPnl", text(account.unrealizedPnl)},
                       {"totalPositionIM", text(account.initialMargin)},
                       {"totalPositionMM", text(account.maintenanceMargin)}};
    const json entry = {{"accountType", "UNIFIED"},
                        {"accountMMRate", ratioText(account.maintenanceMargin, equity)},
                        {"accountIMRate", ratioText(account.initialMargin, equity)},
                        {"totalEquity", text(equity)},
                        {"totalMarginBalance", text(equity)},
                        {"totalMaintenanceMargin", text(account.maintenanceMargin)},
                        {"totalInitialMargin", text(account.initialMargin)},
                        {"totalPerpUPL", text(account.unrealizedPnl)},
                        {"coin", json::array({coin})}};
    return {{"list", json::array({entry})}};
}

/// Bybit `GET /v5/user/query-api` ("Get API Key Information"), in the documented shape. A key that
/// may trade is read-write (readOnly 0) with ContractTrade Order/Position and Derivatives
/// DerivativesTrade (a unified account); withdrawing is Wallet "Withdraw"; ips ["*"] means anywhere.
json bybitApiKeyInfo(const SimulatedApiKey& key)
{
    const ApiPermissions& can = key.permissions;
    json wallet = json::array({"AccountTransfer"});
    if (can.withdraw) {
        wallet.push_back("Withdraw");
    }
    const json permissions = {
        {"ContractTrade", can.read || can.trade ? json::array({"Order", "Position"}) : json::array()},
        {"Spot", json::array()},
        {"Wallet", wallet},
        {"Options", json::array()},
        {"Derivatives", can.trade ? json::array({"DerivativesTrade"}) : json::array()},
        {"CopyTrading", json::array()},
        {"BlockTrade", json::array()},
        {"Exchange", json::array()},
        {"NFT", json::array()},
        {"Affiliate", json::array()},
        {"Earn", json::array()}};
    return {{"id", "13770661"},
            {"note", "simulated key"},
            {"apiKey", shownKey(key)},
            {"readOnly", can.trade ? 0 : 1},
            {"secret", ""},
            {"permissions", permissions},
            {"ips", can.ipRestricted ? json::array({"127.0.0.1"}) : json::array({"*"})},
            {"type", 1},
            {"deadlineDay", can.ipRestricted ? 0 : 66},
            {"expiredAt", can.ipRestricted ? "" : "2099-12-22T07:20:25Z"},
            {"createdAt", "2022-10-16T02:24:40Z"},
            {"unified", 0},
            {"uta", 1},
            {"userID", 24617703},
            {"inviterID", 0},
            {"vipLevel", "No VIP"},
            {"mktMakerLevel", "0"},
            {"affiliateID", 0},
            {"rsaPublicKey", ""},
            {"isMaster", true},
            {"parentUid", "0"},
            {"kycLevel", "LEVEL_DEFAULT"},
            {"kycRegion", ""}};
}

// ---------------------------------------------------------------------------------------------
// OKX v5

RestAnswer okxError(std::string_view code, std::string_view message)
{
    // OKX's authentication errors (501xx) come with HTTP 401.
    return {401, json{{"code", code}, {"msg", message}, {"data", json::array()}}.dump(), std::nullopt};
}

/// OKX's checks ("REST authentication"): the headers present, the key, the passphrase, the
/// signature over timestamp + METHOD + requestPath (with its query) + body, then the timestamp
/// (refused more than 30 s from the server's time) and the permission.
std::optional<RestAnswer> okxRefusal(const PrivateRequest& request, const std::vector<SimulatedApiKey>& keys,
                                     std::int64_t now, const SimulatedApiKey*& key, bool readRequired = true)
{
    const auto apiKey = request.header("OK-ACCESS-KEY");
    const auto passphrase = request.header("OK-ACCESS-PASSPHRASE");
    const auto sign = request.header("OK-ACCESS-SIGN");
    const auto timestampText = request.header("OK-ACCESS-TIMESTAMP");
    if (!apiKey || apiKey->empty()) {
        return okxError("50103", "Request header OK-ACCESS-KEY cannot be empty.");
    }
    if (!passphrase || passphrase->empty()) {
        return okxError("50104", "Request header OK-ACCESS-PASSPHRASE cannot be empty.");
    }
    if (!sign || sign->empty()) {
        return okxError("50106", "Request header OK-ACCESS-SIGN cannot be empty.");
    }
    if (!timestampText || timestampText->empty()) {
        return okxError("50107", "Request header OK-ACCESS-TIMESTAMP cannot be empty.");
    }
    key = findKey(keys, Venue::OkxSwap, apiKey);
    if (key == nullptr) {
        return okxError("50111", "Invalid OK-ACCESS-KEY");
    }
    const auto timestamp = parseIsoTimestamp(*timestampText);
    if (!timestamp) {
        return okxError("50112", "Invalid OK-ACCESS-TIMESTAMP");
    }
    if (!sameSignature(*passphrase, key->passphrase)) {
        return okxError("50105", "Invalid OK-ACCESS-PASSPHRASE");
    }
    if (!sameSignature(*sign,
                       okx::signature(key->secret, *timestampText, request.method, request.target, request.body))) {
        return okxError("50113", "Invalid Sign");
    }
    if (std::llabs(now - *timestamp) > 30'000) {
        return okxError("50102", "Timestamp request expired");
    }
    if (readRequired && !key->permissions.read) {
        // 50120 "API key doesn't have permission" is taken from memory of OKX's error table: the
        // search tool found no published copy of the code, nor of its HTTP status (401 like the
        // other 501xx authentication errors is assumed).
        return okxError("50120", "API key doesn't have permission");
    }
    return std::nullopt;
}

std::string okxAnswer(json data)
{
    return json{{"code", "0"}, {"msg", ""}, {"data", std::move(data)}}.dump();
}

std::string okxPosSide(PositionSide side)
{
    switch (side) {
    case PositionSide::Long:
        return "long";
    case PositionSide::Short:
        return "short";
    case PositionSide::Both:
        break;
    }
    return "net";
}

std::string okxPositions(const ValuedAccount& account, std::int64_t now)
{
    json data = json::array();
    const std::string ratio = fixedText(account.nativeMarginRatio, 4);
    for (const ValuedPosition& figures : account.positions) {
        const Position& position = *figures.position;
        const bool isolated = position.marginMode == MarginMode::Isolated;
        Decimal contracts = position.quantity / okxContractValue();
        // Net mode: a short is a negative position; long/short mode: positive with posSide.
        if (position.positionSide == PositionSide::Both && position.side == Side::Short) {
            contracts = -contracts;
        }
        data.push_back({{"instType", "SWAP"},
                        {"instId", position.symbol},
                        {"mgnMode", isolated ? "isolated" : "cross"},
                        {"posSide", okxPosSide(position.positionSide)},
                        {"pos", text(contracts)},
                        {"ccy", "USDT"},
                        {"avgPx", text(position.entryPrice)},
                        {"markPx", text(position.markPrice)},
                        {"liqPx", figures.liquidationPrice ? priceText(*figures.liquidationPrice) : ""},
                        {"upl", text(figures.unrealizedPnl)},
                        {"lever", text(figures.leverage)},
                        {"notionalUsd", text(figures.notional)},
                        {"imr", isolated ? "" : text(figures.initialMargin)},
                        {"margin", isolated ? text(figures.initialMargin) : ""},
                        {"mmr", text(figures.maintenanceMargin)},
                        {"mgnRatio", ratio},
                        {"cTime", std::to_string(now)},
                        {"uTime", std::to_string(now)}});
    }
    return okxAnswer(std::move(data));
}

std::string okxBalance(const ValuedAccount& account, std::int64_t now)
{
    const Decimal cash = account.crossWallet; // as Bybit's: the account's whole collateral
    const Decimal equity = cash + account.unrealizedPnl;
    const std::string ratio = fixedText(account.nativeMarginRatio, 4);
    Decimal available = account.crossWallet + account.crossUnrealizedPnl - account.crossInitialMargin;
    if (available.isNegative()) {
        available = Decimal();
    }
    const json detail = {{"ccy", "USDT"},
                         {"eq", text(equity)},
                         {"cashBal", text(cash)},
                         {"availEq", text(available)},
                         {"upl", text(account.unrealizedPnl)},
                         {"imr", text(account.initialMargin)},
                         {"mmr", text(account.maintenanceMargin)},
                         {"mgnRatio", ratio},
                         {"uTime", std::to_string(now)}};
    return okxAnswer(json::array({{{"totalEq", text(equity)},
                                   {"upl", text(account.unrealizedPnl)},
                                   {"imr", text(account.initialMargin)},
                                   {"mmr", text(account.maintenanceMargin)},
                                   {"mgnRatio", ratio},
                                   {"uTime", std::to_string(now)},
                                   {"details", json::array({detail})}}}));
}

/// OKX `GET /api/v5/account/trade-fee?instType=SWAP` (Trading account → Get fee rates): the key's
/// account's taker rate — that of its positions (the portfolio's takerFeeRate), else OKX's regular
/// 0.05 % — as OKX writes rates: negative for a fee charged, in takerU for USDT-margined contracts.
std::string okxTradeFee(const SimulatedApiKey& key, std::int64_t now)
{
    Decimal taker = Decimal::parse("0.0005");
    for (const Position& position : key.account.positions) {
        if (position.takerFeeRate.isPositive()) {
            taker = position.takerFeeRate;
        }
    }
    const std::string takerText = (-taker).toString();
    return okxAnswer(json::array({{{"category", "1"},
                                   {"delivery", ""},
                                   {"exercise", ""},
                                   {"instType", "SWAP"},
                                   {"level", "Lv1"},
                                   {"maker", "-0.0002"},
                                   {"makerU", "-0.0002"},
                                   {"makerUSDC", ""},
                                   {"taker", takerText},
                                   {"takerU", takerText},
                                   {"takerUSDC", ""},
                                   {"ts", std::to_string(now)}}}));
}

/// OKX `GET /api/v5/account/config`, in the documented shape: perm lists read_only, trade and
/// withdraw as the key has them; ip is "" for a key bound to no address.
std::string okxAccountConfig(const SimulatedApiKey& key)
{
    const ApiPermissions& can = key.permissions;
    std::string perm = "read_only";
    if (can.withdraw) {
        perm += ",withdraw";
    }
    if (can.trade) {
        perm += ",trade";
    }
    return okxAnswer(json::array({{{"acctLv", "2"},
                                   {"acctStpMode", "cancel_maker"},
                                   {"autoLoan", false},
                                   {"ctIsoMode", "automatic"},
                                   {"enableSpotBorrow", false},
                                   {"greeksType", "PA"},
                                   {"ip", can.ipRestricted ? "127.0.0.1" : ""},
                                   {"type", "0"},
                                   {"kycLv", "3"},
                                   {"label", "simulated key"},
                                   {"level", "Lv1"},
                                   {"levelTmp", ""},
                                   {"liquidationGear", "-1"},
                                   {"mainUid", "44705892343619584"},
                                   {"mgnIsoMode", "automatic"},
                                   {"opAuth", "0"},
                                   {"perm", perm},
                                   {"posMode", "net_mode"},
                                   {"roleType", "0"},
                                   {"spotBorrowAutoRepay", false},
                                   {"spotOffsetType", ""},
                                   {"spotRoleType", "0"},
                                   {"spotTraderInsts", json::array()},
                                   {"traderInsts", json::array()},
                                   {"uid", "44705892343619584"}}}));
}

// ---------------------------------------------------------------------------------------------
// Hyperliquid

/// "0x" and 40 hex digits.
bool isAddress(std::string_view text)
{
    return text.size() == 42 && text.starts_with("0x") &&
           std::all_of(text.begin() + 2, text.end(), [](unsigned char c) { return std::isxdigit(c) != 0; });
}

const SimulatedApiKey* findWallet(const std::vector<SimulatedApiKey>& keys, std::string_view address)
{
    const auto sameAddress = [&](const std::string& apiKey) {
        return std::equal(apiKey.begin(), apiKey.end(), address.begin(), address.end(),
                          [](unsigned char a, unsigned char b) { return std::tolower(a) == std::tolower(b); });
    };
    const auto found = std::find_if(keys.begin(), keys.end(), [&](const SimulatedApiKey& key) {
        return key.venue == Venue::Hyperliquid && sameAddress(key.apiKey);
    });
    return found == keys.end() ? nullptr : &*found;
}

/// Hyperliquid's figures: "0.0" for zero, as it prints them.
std::string hyperliquidText(const Decimal& value)
{
    return value.isZero() ? "0.0" : value.toString();
}

/// The leverage Hyperliquid reports for a position (an integer): the position's own, else the
/// asset's maximum, else 20.
int hyperliquidLeverage(const Position& position)
{
    if (position.leverage && position.leverage->isPositive()) {
        return std::max(1, static_cast<int>(position.leverage->toDouble()));
    }
    if (position.instrument && position.instrument->maxLeverage > 0) {
        return position.instrument->maxLeverage;
    }
    return 20;
}

struct MarginSummary {
    Decimal accountValue;
    Decimal notional;
    Decimal signedNotional;
    Decimal marginUsed;

    [[nodiscard]] json toJson() const
    {
        return {{"accountValue", hyperliquidText(accountValue)},
                {"totalNtlPos", hyperliquidText(notional)},
                {"totalRawUsd", hyperliquidText(accountValue - signedNotional)},
                {"totalMarginUsed", hyperliquidText(marginUsed)}};
    }
};

/// `POST /info {"type":"clearinghouseState"}` for one account at the book's marks, in Hyperliquid's
/// shape (info endpoint, "Retrieve user's perpetuals account summary"). accountValue is the wallet
/// plus unrealised PnL, so that a client reading it back (accountValue − PnL) finds the wallet.
std::string clearinghouseState(const ValuedAccount& account, std::int64_t now)
{
    json positions = json::array();
    MarginSummary whole{account.crossWallet + account.unrealizedPnl, {}, {}, {}};
    MarginSummary cross = whole;
    Decimal crossMaintenance;
    for (const ValuedPosition& figures : account.positions) {
        const Position& position = *figures.position;
        const bool isolated = position.marginMode == MarginMode::Isolated;
        const int leverage = hyperliquidLeverage(position);
        const Decimal size = position.side == Side::Short ? -position.quantity : position.quantity;
        const Decimal margin = isolated ? figures.initialMargin : figures.notional / Decimal::fromInteger(leverage);
        json leverageJson = {{"type", isolated ? "isolated" : "cross"}, {"value", leverage}};
        if (isolated) {
            leverageJson["rawUsd"] = hyperliquidText(figures.initialMargin - size * position.entryPrice);
        }
        const std::string returnOnEquity =
            margin.isPositive() ? ratioText(figures.unrealizedPnl, margin) : std::string("0.0");
        positions.push_back(
            {{"type", "oneWay"},
             {"position",
              {{"coin", position.symbol},
               {"szi", size.toString()},
               {"leverage", leverageJson},
               {"entryPx", position.entryPrice.toString()},
               {"positionValue", figures.notional.toString()},
               {"unrealizedPnl", hyperliquidText(figures.unrealizedPnl)},
               {"returnOnEquity", returnOnEquity},
               {"liquidationPx", figures.liquidationPrice ? json(priceText(*figures.liquidationPrice)) : json(nullptr)},
               {"marginUsed", hyperliquidText(margin)},
               {"maxLeverage",
                position.instrument && position.instrument->maxLeverage > 0 ? position.instrument->maxLeverage : 50},
               {"cumFunding", {{"allTime", "0.0"}, {"sinceOpen", "0.0"}, {"sinceChange", "0.0"}}}}}});
        const Decimal signedNotional = position.side == Side::Short ? -figures.notional : figures.notional;
        whole.notional += figures.notional;
        whole.signedNotional += signedNotional;
        whole.marginUsed += margin;
        if (isolated) {
            cross.accountValue -= figures.initialMargin + figures.unrealizedPnl;
        } else {
            cross.notional += figures.notional;
            cross.signedNotional += signedNotional;
            cross.marginUsed += margin;
            crossMaintenance += figures.maintenanceMargin;
        }
    }
    Decimal withdrawable = whole.accountValue - whole.marginUsed;
    if (withdrawable.isNegative()) {
        withdrawable = Decimal();
    }
    return json{{"marginSummary", whole.toJson()},
                {"crossMarginSummary", cross.toJson()},
                {"crossMaintenanceMarginUsed", hyperliquidText(crossMaintenance)},
                {"withdrawable", hyperliquidText(withdrawable)},
                {"assetPositions", positions},
                {"time", now}}
        .dump();
}

/// Hyperliquid's `/info` for clearinghouseState; nullopt for every other request type (the public
/// endpoints answer meta and metaAndAssetCtxs).
std::optional<RestAnswer> hyperliquidClearinghouse(const PrivateRequest& request,
                                                   const std::vector<SimulatedApiKey>& keys, PriceBook& book,
                                                   std::int64_t now)
{
    const json body = json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.contains("type") || body["type"] != "clearinghouseState") {
        return std::nullopt;
    }
    const auto user = body.find("user");
    if (user == body.end() || !user->is_string() || !isAddress(user->get<std::string>())) {
        return RestAnswer{422, "Failed to deserialize the JSON body into the target type", std::nullopt};
    }
    const SimulatedApiKey* wallet = findWallet(keys, user->get<std::string>());
    if (wallet == nullptr) {
        return RestAnswer{200, clearinghouseState(ValuedAccount{}, now), std::nullopt}; // an address with nothing
    }
    return RestAnswer{200, clearinghouseState(valueAccount(*wallet, book), now), std::nullopt};
}

} // namespace

std::optional<RestAnswer> authenticationRefusal(Venue venue, const PrivateRequest& request,
                                                const std::vector<SimulatedApiKey>& keys, std::int64_t serverNowMs,
                                                const SimulatedApiKey*& key)
{
    key = nullptr;
    const auto [path, query] = splitTarget(request.target);
    switch (venue) {
    case Venue::BinanceUsdm:
        return binanceRefusal(request, query, keys, serverNowMs, key, false);
    case Venue::BybitLinear:
        return bybitRefusal(request, request.method == "GET" ? query : request.body, keys, serverNowMs, key, false);
    case Venue::OkxSwap:
        return okxRefusal(request, keys, serverNowMs, key, false);
    case Venue::Hyperliquid:
    case Venue::Generic:
        break;
    }
    return RestAnswer{404, R"({"code":-1,"msg":"no signed requests on this venue"})", std::nullopt};
}

std::optional<RestAnswer> privateRestAnswer(const PrivateRequest& request, const std::vector<SimulatedApiKey>& keys,
                                            PriceBook& book, std::int64_t serverNowMs)
{
    const auto [path, query] = splitTarget(request.target);
    const SimulatedApiKey* key = nullptr;
    if (request.method == "POST" && path == "/info") {
        return hyperliquidClearinghouse(request, keys, book, serverNowMs);
    }
    if (request.method == "GET" && path == "/sapi/v1/account/apiRestrictions") {
        if (auto refusal = binanceRefusal(request, query, keys, serverNowMs, key, false)) {
            return refusal;
        }
        return RestAnswer{200, binanceApiRestrictions(*key), std::nullopt};
    }
    if (request.method == "GET" && path == "/fapi/v1/leverageBracket") {
        if (auto refusal = binanceRefusal(request, query, keys, serverNowMs, key)) {
            return refusal;
        }
        return binanceLeverageBrackets(*key, queryParam(query, "symbol"), book);
    }
    if (request.method == "GET" && path == "/v5/user/query-api") {
        if (auto refusal = bybitRefusal(request, query, keys, serverNowMs, key, false)) {
            return refusal;
        }
        return bybitAnswer(0, "", bybitApiKeyInfo(*key), serverNowMs);
    }
    if (request.method == "GET" && path == "/api/v5/account/config") {
        if (auto refusal = okxRefusal(request, keys, serverNowMs, key)) {
            return refusal;
        }
        return RestAnswer{200, okxAccountConfig(*key), std::nullopt};
    }
    if (request.method == "GET" && (path == "/fapi/v2/positionRisk" || path == "/fapi/v2/account")) {
        if (auto refusal = binanceRefusal(request, query, keys, serverNowMs, key)) {
            return refusal;
        }
        const ValuedAccount account = valueAccount(*key, book);
        return RestAnswer{200,
                          path == "/fapi/v2/account"
                              ? binanceAccount(account, serverNowMs)
                              : binancePositionRisk(onlySymbol(account, queryParam(query, "symbol")), serverNowMs),
                          std::nullopt};
    }
    if (request.method == "GET" && (path == "/v5/position/list" || path == "/v5/account/wallet-balance")) {
        if (auto refusal = bybitRefusal(request, query, keys, serverNowMs, key)) {
            return refusal;
        }
        if (path == "/v5/position/list") {
            if (queryParam(query, "category") != std::optional<std::string_view>("linear")) {
                return bybitAnswer(10001, "params error: category only support linear", json::object(), serverNowMs);
            }
            const ValuedAccount account = onlySymbol(valueAccount(*key, book), queryParam(query, "symbol"));
            return bybitAnswer(0, "OK", bybitPositionList(account, serverNowMs), serverNowMs);
        }
        if (queryParam(query, "accountType") != std::optional<std::string_view>("UNIFIED")) {
            return bybitAnswer(10001, "accountType only support UNIFIED.", json::object(), serverNowMs);
        }
        return bybitAnswer(0, "OK", bybitWalletBalance(valueAccount(*key, book)), serverNowMs);
    }
    if (request.method == "GET" && path == "/api/v5/account/trade-fee") {
        if (auto refusal = okxRefusal(request, keys, serverNowMs, key)) {
            return refusal;
        }
        if (queryParam(query, "instType") != std::optional<std::string_view>("SWAP")) {
            return RestAnswer{400, R"({"code":"51000","msg":"Parameter instType error","data":[]})", std::nullopt};
        }
        return RestAnswer{200, okxTradeFee(*key, serverNowMs), std::nullopt};
    }
    if (request.method == "GET" && (path == "/api/v5/account/positions" || path == "/api/v5/account/balance")) {
        if (auto refusal = okxRefusal(request, keys, serverNowMs, key)) {
            return refusal;
        }
        const ValuedAccount account = valueAccount(*key, book);
        return RestAnswer{200,
                          path == "/api/v5/account/balance"
                              ? okxBalance(account, serverNowMs)
                              : okxPositions(onlySymbol(account, queryParam(query, "instId")), serverNowMs),
                          std::nullopt};
    }
    return std::nullopt;
}

} // namespace mm::sim
