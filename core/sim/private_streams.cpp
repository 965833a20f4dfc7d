#include "sim/private_streams.h"

#include "margin/builtin_instruments.h"
#include "margin/margin_model.h"
#include "net/signer.h"
#include "sim/price_book.h"
#include "venues/binance_usdm/binance_signing.h"
#include "venues/binance_usdm/binance_user_stream.h"
#include "venues/bybit_linear/bybit_private_stream.h"
#include "venues/bybit_linear/bybit_signing.h"
#include "venues/okx_swap/okx_private_stream.h"
#include "venues/okx_swap/okx_signing.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <exception>
#include <map>
#include <random>
#include <set>

namespace mm::sim {

using json = nlohmann::json;

namespace {

using SteadyTime = std::chrono::steady_clock::time_point;

// ---------------------------------------------------------------------------------------------
// Numbers as the venues print them

std::string fixedText(double value, int places)
{
    char text[64];
    const auto result = std::to_chars(text, text + sizeof text, value, std::chars_format::fixed, places);
    return result.ec == std::errc() ? std::string(text, result.ptr) : std::string("0");
}

/// A mark as the simulator's pushed frames print it.
std::string priceText(double value)
{
    return fixedText(value, value < 1 ? 6 : (value < 100 ? 4 : 2));
}

std::string text(const Decimal& value)
{
    return value.toString();
}

/// OKX swaps in the simulator's instrument list all have ctVal 0.01 (sim/rest_api.cpp).
Decimal okxContractValue()
{
    return Decimal::parse("0.01");
}

std::optional<std::int64_t> integerOf(const json& value)
{
    if (value.is_number_integer()) {
        return value.get<std::int64_t>();
    }
    if (value.is_string()) {
        const auto& digits = value.get_ref<const std::string&>();
        std::int64_t result = 0;
        const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), result);
        if (error == std::errc() && end == digits.data() + digits.size() && !digits.empty()) {
            return result;
        }
    }
    return std::nullopt;
}

std::string stringOf(const json& object, std::string_view key)
{
    const auto it = object.is_object() ? object.find(key) : object.end();
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// The value of `name` in a query string.
std::optional<std::string_view> queryParam(std::string_view target, std::string_view name)
{
    const auto mark = target.find('?');
    if (mark == std::string_view::npos) {
        return std::nullopt;
    }
    std::string_view query = target.substr(mark + 1);
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

bool samePosition(const Position& a, const Position& b)
{
    return a.symbol == b.symbol && a.positionSide == b.positionSide;
}

// ---------------------------------------------------------------------------------------------
// An account valued at the book's marks

struct ValuedAccount {
    Portfolio portfolio;
    std::optional<PortfolioRisk> risk;

    [[nodiscard]] const Position* find(const Position& like) const
    {
        const auto it = std::find_if(portfolio.positions.begin(), portfolio.positions.end(),
                                     [&](const Position& position) { return samePosition(position, like); });
        return it == portfolio.positions.end() ? nullptr : &*it;
    }
    [[nodiscard]] const PositionRisk* riskOf(const Position& position) const
    {
        if (!risk) {
            return nullptr;
        }
        const auto index = static_cast<std::size_t>(&position - portfolio.positions.data());
        return index < risk->positions.size() ? &risk->positions[index] : nullptr;
    }
};

ValuedAccount valueAccount(const SimulatedApiKey& key, PriceBook& book)
{
    ValuedAccount valued{key.account, std::nullopt};
    for (Position& position : valued.portfolio.positions) {
        position.markPrice = Decimal::parse(priceText(book.mark(position.symbol)));
    }
    try {
        valued.risk = MarginModel::forVenue(key.venue)->evaluate(valued.portfolio);
    } catch (const std::exception&) {
        valued.risk.reset(); // the stream still reports the positions, without the venue's figures
    }
    return valued;
}

Decimal leverageOf(const Position& position)
{
    return position.leverage.value_or(Decimal::fromInteger(20));
}

Decimal isolatedMarginOf(const Position& position)
{
    return position.isolatedMargin.value_or(position.notionalAt(position.entryPrice) / leverageOf(position));
}

std::string liquidationText(const PositionRisk* risk, std::string_view none)
{
    return risk != nullptr && risk->liquidationPrice ? priceText(*risk->liquidationPrice) : std::string(none);
}

} // namespace

// ---------------------------------------------------------------------------------------------
// The shared state

/// One private connection as the account side sees it.
struct Channel {
    std::uint64_t id = 0;
    Venue venue = Venue::Generic;
    std::string connId;
    std::string apiKey;    ///< set once authenticated (Binance: the listenKey's owner at the handshake)
    std::string listenKey; ///< Binance
    std::set<std::string> topics; ///< subscribed (Binance: the events asked for in the URL)
    std::vector<Position> changed; ///< positions changed since the last push; quantity 0: closed
    bool walletChanged = false;
    bool marginCall = false;
    bool keyExpired = false;
    bool snapshotDue = false;
    SteadyTime lastSnapshot{};
};

struct PrivateStreams::Hub {
    struct LiveListenKey {
        std::string apiKey;
        SteadyTime keptAliveAt;
    };

    std::vector<SimulatedApiKey> keys;
    PrivateStreamSettings settings;
    std::map<std::string, LiveListenKey> listenKeys;
    std::vector<std::weak_ptr<Channel>> channels;
    std::vector<PrivateJournalEntry> journal;
    std::uint64_t nextConnection = 1;
    std::mt19937_64 random{std::random_device{}()};

    [[nodiscard]] std::int64_t nowMs() const
    {
        return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch() +
                                                                     settings.clockSkew)
            .count();
    }

    SimulatedApiKey* key(Venue venue, std::string_view apiKey)
    {
        const auto it = std::find_if(keys.begin(), keys.end(), [&](const SimulatedApiKey& candidate) {
            return candidate.venue == venue && candidate.apiKey == apiKey && !apiKey.empty();
        });
        return it == keys.end() ? nullptr : &*it;
    }

    SimulatedApiKey* anyVenueKey(std::string_view apiKey)
    {
        const auto it = std::find_if(keys.begin(), keys.end(),
                                     [&](const SimulatedApiKey& candidate) { return candidate.apiKey == apiKey; });
        return it == keys.end() ? nullptr : &*it;
    }

    void record(std::uint64_t connection, Venue venue, std::string apiKey, std::string action, std::string detail = {})
    {
        journal.push_back({connection, venue, std::move(apiKey), std::move(action), std::move(detail)});
    }

    /// Every live connection authenticated with `apiKey`.
    template <typename Action> void forChannels(const std::string& apiKey, Action action)
    {
        std::erase_if(channels, [](const auto& weak) { return weak.expired(); });
        for (const auto& weak : channels) {
            if (const auto channel = weak.lock(); channel && !channel->apiKey.empty() && channel->apiKey == apiKey) {
                action(*channel);
            }
        }
    }

    std::string newListenKey()
    {
        static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        std::string key(64, 'x');
        for (char& c : key) {
            c = kAlphabet[random() % kAlphabet.size()];
        }
        return key;
    }

    std::optional<std::string> listenKeyOf(const std::string& apiKey) const
    {
        for (const auto& [listenKey, live] : listenKeys) {
            if (live.apiKey == apiKey) {
                return listenKey;
            }
        }
        return std::nullopt;
    }

    /// The listenKey dies: its streams get listenKeyExpired and nothing more.
    void expire(const std::string& listenKey)
    {
        listenKeys.erase(listenKey);
        std::erase_if(channels, [](const auto& weak) { return weak.expired(); });
        for (const auto& weak : channels) {
            if (const auto channel = weak.lock(); channel && channel->listenKey == listenKey) {
                channel->keyExpired = true;
            }
        }
    }

    /// Keys not kept alive within the validity die, as on Binance.
    void expireStale()
    {
        const auto now = std::chrono::steady_clock::now();
        std::vector<std::string> stale;
        for (const auto& [listenKey, live] : listenKeys) {
            if (now - live.keptAliveAt > settings.listenKeyValidity) {
                stale.push_back(listenKey);
            }
        }
        for (const std::string& listenKey : stale) {
            expire(listenKey);
        }
    }
};

namespace {

using Hub = PrivateStreams::Hub;

// ---------------------------------------------------------------------------------------------
// Binance USDⓈ-M user data stream

RestAnswer binanceError(int status, int code, std::string_view message)
{
    return {status, json{{"code", code}, {"msg", message}}.dump(), std::nullopt};
}

json binanceUpdateRow(const Position& position, const Position* current)
{
    const Position& shown = current != nullptr ? *current : position;
    const bool open = current != nullptr;
    const bool isolated = shown.marginMode == MarginMode::Isolated;
    const Decimal amount = open ? (shown.side == Side::Short ? -shown.quantity : shown.quantity) : Decimal();
    std::string side = "BOTH";
    if (shown.positionSide == PositionSide::Long) {
        side = "LONG";
    } else if (shown.positionSide == PositionSide::Short) {
        side = "SHORT";
    }
    return {{"s", shown.symbol},
            {"pa", text(amount)},
            {"ep", open ? text(shown.entryPrice) : "0.00000"},
            {"bep", open ? text(shown.entryPrice) : "0"},
            {"cr", "0"},
            {"up", open ? text(shown.unrealizedPnl()) : "0"},
            {"mt", isolated ? "isolated" : "cross"},
            {"iw", open && isolated ? text(isolatedMarginOf(shown)) : "0"},
            {"ps", side}};
}

class BinancePrivateServer final : public VenueServer {
public:
    BinancePrivateServer(std::shared_ptr<Hub> hub, std::shared_ptr<Channel> channel)
        : m_hub(std::move(hub)), m_channel(std::move(channel))
    {
    }

    [[nodiscard]] Venue venue() const override { return Venue::BinanceUsdm; }
    [[nodiscard]] std::chrono::milliseconds serverPingInterval() const override { return std::chrono::minutes(3); }

    std::vector<std::string> onMessage(std::string_view) override
    {
        // The user data stream takes no requests.
        return {json{{"code", 2}, {"msg", "Invalid request: the user data stream takes no requests"}}.dump()};
    }

    std::vector<std::string> pushFrames(PriceBook& book, std::int64_t nowMs) override
    {
        m_hub->expireStale();
        Channel& channel = *m_channel;
        std::vector<std::string> frames;
        if (channel.keyExpired) {
            channel.keyExpired = false;
            channel.changed.clear();
            channel.walletChanged = channel.marginCall = false;
            frames.push_back(json{{"e", "listenKeyExpired"}, {"E", std::to_string(nowMs)}, {"listenKey", channel.listenKey}}.dump());
            channel.apiKey.clear(); // no more events on this connection
            return frames;
        }
        const SimulatedApiKey* key = m_hub->key(Venue::BinanceUsdm, channel.apiKey);
        if (key == nullptr) {
            return frames;
        }
        if (!channel.changed.empty() || channel.walletChanged) {
            const ValuedAccount account = valueAccount(*key, book);
            json positions = json::array();
            for (const Position& position : channel.changed) {
                positions.push_back(binanceUpdateRow(position, account.find(position)));
            }
            const std::string wallet = text(account.portfolio.account.walletBalance);
            const json balance = {{"a", "USDT"}, {"wb", wallet}, {"cw", wallet}, {"bc", "0"}};
            if (wants("ACCOUNT_UPDATE")) {
                frames.push_back(json{{"e", "ACCOUNT_UPDATE"},
                                      {"E", nowMs},
                                      {"T", nowMs},
                                      {"a",
                                       {{"m", channel.changed.empty() ? "DEPOSIT" : "ORDER"},
                                        {"B", json::array({balance})},
                                        {"P", positions}}}}
                                     .dump());
            }
            channel.changed.clear();
            channel.walletChanged = false;
        }
        if (channel.marginCall) {
            channel.marginCall = false;
            if (wants("MARGIN_CALL")) {
                frames.push_back(marginCall(*key, book, nowMs));
            }
        }
        return frames;
    }

private:
    [[nodiscard]] bool wants(const std::string& event) const
    {
        return m_channel->topics.empty() || m_channel->topics.contains(event);
    }

    static std::string marginCall(const SimulatedApiKey& key, PriceBook& book, std::int64_t nowMs)
    {
        const ValuedAccount account = valueAccount(key, book);
        json rows = json::array();
        for (const Position& position : account.portfolio.positions) {
            const PositionRisk* risk = account.riskOf(position);
            const bool isolated = position.marginMode == MarginMode::Isolated;
            std::string side = "BOTH";
            if (position.positionSide != PositionSide::Both) {
                side = position.positionSide == PositionSide::Long ? "LONG" : "SHORT";
            }
            rows.push_back({{"s", position.symbol},
                            {"ps", side},
                            {"pa", text(position.side == Side::Short ? -position.quantity : position.quantity)},
                            {"mt", isolated ? "ISOLATED" : "CROSSED"},
                            {"iw", isolated ? text(isolatedMarginOf(position)) : "0"},
                            {"mp", text(position.markPrice)},
                            {"up", text(position.unrealizedPnl())},
                            {"mm", risk != nullptr ? text(risk->maintenanceMargin) : "0"}});
        }
        return json{{"e", "MARGIN_CALL"}, {"E", nowMs}, {"cw", text(account.portfolio.account.walletBalance)}, {"p", rows}}
            .dump();
    }

    std::shared_ptr<Hub> m_hub;
    std::shared_ptr<Channel> m_channel;
};

// ---------------------------------------------------------------------------------------------
// Bybit v5 private

class BybitPrivateServer final : public VenueServer {
public:
    BybitPrivateServer(std::shared_ptr<Hub> hub, std::shared_ptr<Channel> channel)
        : m_hub(std::move(hub)), m_channel(std::move(channel))
    {
    }

    [[nodiscard]] Venue venue() const override { return Venue::BybitLinear; }

    std::vector<std::string> onMessage(std::string_view text) override
    {
        const json request = json::parse(text, nullptr, false);
        const std::string op = stringOf(request, "op");
        json reply = {{"success", false}, {"ret_msg", ""}, {"conn_id", m_channel->connId}};
        if (request.is_object() && request.contains("req_id")) {
            reply["req_id"] = request["req_id"];
        }
        if (op.empty()) {
            reply["ret_msg"] = "error:invalid op";
            return {reply.dump()};
        }
        reply["op"] = op;
        if (op == "ping") {
            // The private channel's pong: {"req_id":…,"op":"pong","args":["<ms>"],"conn_id":…}.
            json pong = {{"op", "pong"}, {"args", json::array({std::to_string(m_hub->nowMs())})}, {"conn_id", m_channel->connId}};
            if (reply.contains("req_id")) {
                pong["req_id"] = reply["req_id"];
            }
            return {pong.dump()};
        }
        if (op == "auth") {
            return {authenticate(request, std::move(reply))};
        }
        if (op == "subscribe") {
            return {subscribe(request, std::move(reply))};
        }
        reply["ret_msg"] = "error:invalid op";
        return {reply.dump()};
    }

    std::vector<std::string> pushFrames(PriceBook& book, std::int64_t nowMs) override
    {
        Channel& channel = *m_channel;
        std::vector<std::string> frames;
        const SimulatedApiKey* key = m_hub->key(Venue::BybitLinear, channel.apiKey);
        if (key == nullptr || (channel.changed.empty() && !channel.walletChanged)) {
            channel.marginCall = false; // Bybit has no margin-call push
            return frames;
        }
        const ValuedAccount account = valueAccount(*key, book);
        if (!channel.changed.empty() && channel.topics.contains("position")) {
            json rows = json::array();
            for (const Position& position : channel.changed) {
                rows.push_back(positionRow(position, account, nowMs));
            }
            frames.push_back(json{{"id", std::to_string(channel.id) + "-" + std::to_string(++m_messages)},
                                  {"topic", "position"},
                                  {"creationTime", nowMs},
                                  {"data", rows}}
                                 .dump());
        }
        if (channel.walletChanged && channel.topics.contains("wallet")) {
            frames.push_back(walletFrame(account, nowMs));
        }
        channel.changed.clear();
        channel.walletChanged = false;
        channel.marginCall = false;
        return frames;
    }

private:
    std::string authenticate(const json& request, json reply)
    {
        const json args = request.is_object() && request.contains("args") ? request["args"] : json();
        const std::string apiKey = args.is_array() && !args.empty() && args[0].is_string() ? args[0].get<std::string>() : "";
        const auto expires = args.is_array() && args.size() > 1 ? integerOf(args[1]) : std::nullopt;
        const std::string signature = args.is_array() && args.size() > 2 && args[2].is_string() ? args[2].get<std::string>() : "";
        const SimulatedApiKey* key = m_hub->key(Venue::BybitLinear, apiKey);
        std::string refusal;
        if (!args.is_array() || args.size() != 3 || !expires) {
            refusal = "Params Error";
        } else if (key == nullptr) {
            refusal = "error:apiKey invalid"; // (the simulator's wording; Bybit's own was not found)
        } else if (*expires <= m_hub->nowMs()) {
            refusal = "error:request expired";
        } else if (!sameSignature(signature, bybit::wsAuthSignature(key->secret, *expires))) {
            refusal = "error:verify signature fail";
        } else if (!key->permissions.read) {
            refusal = "error:permission denied";
        }
        if (!refusal.empty()) {
            m_hub->record(m_channel->id, Venue::BybitLinear, key != nullptr ? key->apiKey : "", "auth refused", refusal);
            reply["ret_msg"] = refusal;
            return reply.dump();
        }
        m_channel->apiKey = key->apiKey;
        m_hub->record(m_channel->id, Venue::BybitLinear, key->apiKey, "auth");
        reply["success"] = true;
        return reply.dump();
    }

    std::string subscribe(const json& request, json reply)
    {
        const json args = request.is_object() && request.contains("args") ? request["args"] : json();
        std::vector<std::string> topics;
        if (args.is_array()) {
            for (const json& topic : args) {
                if (topic.is_string()) {
                    topics.push_back(topic.get<std::string>());
                }
            }
        }
        std::string joined;
        for (const std::string& topic : topics) {
            joined += (joined.empty() ? "" : ",") + topic;
        }
        if (topics.empty()) {
            reply["ret_msg"] = "error:args is empty";
            return reply.dump();
        }
        if (m_channel->apiKey.empty()) {
            // Bybit: "error:topic:order needs auth first" (naming the first private topic).
            reply["ret_msg"] = "error:topic:" + topics.front() + " needs auth first";
            m_hub->record(m_channel->id, Venue::BybitLinear, "", "subscribe refused", joined);
            return reply.dump();
        }
        for (const std::string& topic : topics) {
            m_channel->topics.insert(topic == "position.linear" ? "position" : topic);
        }
        m_hub->record(m_channel->id, Venue::BybitLinear, m_channel->apiKey, "subscribe", joined);
        reply["success"] = true;
        return reply.dump();
    }

    static json positionRow(const Position& changed, const ValuedAccount& account, std::int64_t nowMs)
    {
        const Position* current = account.find(changed);
        std::string index = "0";
        if (changed.positionSide != PositionSide::Both) {
            index = changed.positionSide == PositionSide::Long ? "1" : "2";
        }
        if (current == nullptr) { // closed: side "" and size "0", as Bybit reports an empty position
            return {{"category", "linear"}, {"symbol", changed.symbol}, {"side", ""},        {"size", "0"},
                    {"positionIdx", std::stoi(index)}, {"tradeMode", 0}, {"entryPrice", "0"}, {"markPrice", "0"},
                    {"leverage", "10"},                {"liqPrice", ""},  {"positionIM", "0"}, {"positionMM", "0"},
                    {"unrealisedPnl", "0"},            {"updatedTime", std::to_string(nowMs)}};
        }
        const PositionRisk* risk = account.riskOf(*current);
        const bool isolated = current->marginMode == MarginMode::Isolated;
        const Decimal initial = isolated ? isolatedMarginOf(*current) : current->notionalAt(current->markPrice) / leverageOf(*current);
        return {{"category", "linear"},
                {"symbol", current->symbol},
                {"side", current->side == Side::Long ? "Buy" : "Sell"},
                {"size", text(current->quantity)},
                {"positionIdx", std::stoi(index)},
                {"tradeMode", isolated ? 1 : 0},
                {"positionValue", text(current->notionalAt(current->entryPrice))},
                {"riskId", 1},
                {"entryPrice", text(current->entryPrice)},
                {"markPrice", text(current->markPrice)},
                {"leverage", text(leverageOf(*current))},
                {"positionBalance", isolated ? text(initial) : "0"},
                {"autoAddMargin", 0},
                {"positionIM", text(initial)},
                {"positionMM", risk != nullptr ? text(risk->maintenanceMargin) : "0"},
                {"liqPrice", liquidationText(risk, "")},
                {"bustPrice", ""},
                {"tpslMode", "Full"},
                {"unrealisedPnl", text(current->unrealizedPnl())},
                {"curRealisedPnl", "0"},
                {"cumRealisedPnl", "0"},
                {"positionStatus", "Normal"},
                {"adlRankIndicator", 2},
                {"isReduceOnly", false},
                {"createdTime", std::to_string(nowMs)},
                {"updatedTime", std::to_string(nowMs)},
                {"seq", nowMs}};
    }

    std::string walletFrame(const ValuedAccount& account, std::int64_t nowMs)
    {
        Decimal unrealized;
        Decimal maintenance;
        for (const Position& position : account.portfolio.positions) {
            unrealized += position.unrealizedPnl();
            if (const PositionRisk* risk = account.riskOf(position)) {
                maintenance += risk->maintenanceMargin;
            }
        }
        const Decimal wallet = account.portfolio.account.walletBalance;
        const Decimal equity = wallet + unrealized;
        const std::string ratio =
            equity.isPositive() ? (maintenance / equity).roundToStep(Decimal::parse("0.0001"), Decimal::Rounding::HalfEven).toString()
                                : "0";
        const json coin = {{"coin", "USDT"}, {"equity", text(equity)}, {"walletBalance", text(wallet)}, {"unrealisedPnl", text(unrealized)}};
        const json entry = {{"accountType", "UNIFIED"},
                            {"accountMMRate", ratio},
                            {"totalEquity", text(equity)},
                            {"totalWalletBalance", text(wallet)},
                            {"totalMarginBalance", text(equity)},
                            {"totalPerpUPL", text(unrealized)},
                            {"totalMaintenanceMargin", text(maintenance)},
                            {"coin", json::array({coin})}};
        return json{{"id", std::to_string(m_channel->id) + "-" + std::to_string(++m_messages)},
                    {"topic", "wallet"},
                    {"creationTime", nowMs},
                    {"data", json::array({entry})}}
            .dump();
    }

    std::shared_ptr<Hub> m_hub;
    std::shared_ptr<Channel> m_channel;
    std::uint64_t m_messages = 0;
};

// ---------------------------------------------------------------------------------------------
// OKX v5 private

class OkxPrivateServer final : public VenueServer {
public:
    OkxPrivateServer(std::shared_ptr<Hub> hub, std::shared_ptr<Channel> channel)
        : m_hub(std::move(hub)), m_channel(std::move(channel))
    {
    }

    [[nodiscard]] Venue venue() const override { return Venue::OkxSwap; }

    std::vector<std::string> onMessage(std::string_view text) override
    {
        if (text == okx_private_stream::kPing) {
            return {"pong"};
        }
        const json request = json::parse(text, nullptr, false);
        const std::string op = stringOf(request, "op");
        if (op == "login") {
            return {login(request)};
        }
        if (op == "subscribe") {
            return subscribe(request);
        }
        return {error("60012", "Invalid request: " + std::string(text.substr(0, 200)))};
    }

    std::vector<std::string> pushFrames(PriceBook& book, std::int64_t nowMs) override
    {
        Channel& channel = *m_channel;
        std::vector<std::string> frames;
        const SimulatedApiKey* key = m_hub->key(Venue::OkxSwap, channel.apiKey);
        if (key == nullptr) {
            return frames;
        }
        const auto now = std::chrono::steady_clock::now();
        const bool positionsWanted = channel.topics.contains("positions");
        const bool regular = now - channel.lastSnapshot >= m_hub->settings.okxPositionsInterval;
        if (positionsWanted && (!channel.changed.empty() || channel.snapshotDue || regular || channel.marginCall)) {
            const ValuedAccount account = valueAccount(*key, book);
            // OKX: "If an event push and a regular push happen at the same time, the system will send
            // the event push first, followed by the regular push."
            if (!channel.changed.empty()) {
                json rows = json::array();
                for (const Position& position : channel.changed) {
                    const Position* current = account.find(position);
                    rows.push_back(current != nullptr ? positionRow(*current, account, nowMs) : closedRow(position, nowMs));
                }
                frames.push_back(push("positions", rows, "event_update"));
            }
            if (channel.snapshotDue || regular) {
                json rows = json::array();
                for (const Position& position : account.portfolio.positions) {
                    rows.push_back(positionRow(position, account, nowMs));
                }
                frames.push_back(push("positions", rows, "snapshot"));
                channel.lastSnapshot = now;
                channel.snapshotDue = false;
            }
            if (channel.marginCall && channel.topics.contains("liquidation-warning")) {
                json rows = json::array();
                for (const Position& position : account.portfolio.positions) {
                    rows.push_back(warningRow(position, account, nowMs));
                }
                frames.push_back(push("liquidation-warning", rows, ""));
            }
        }
        channel.changed.clear();
        channel.marginCall = false;
        return frames;
    }

private:
    [[nodiscard]] std::string error(std::string_view code, std::string_view message) const
    {
        return json{{"event", "error"}, {"code", code}, {"msg", message}, {"connId", m_channel->connId}}.dump();
    }

    /// OKX's checks for a WebSocket login, in the order it reports them.
    std::string login(const json& request)
    {
        const json args = request.contains("args") ? request["args"] : json();
        const json arg = args.is_array() && args.size() == 1 ? args[0] : json();
        const std::string apiKey = stringOf(arg, "apiKey");
        const std::string passphrase = stringOf(arg, "passphrase");
        const std::string timestampText = stringOf(arg, "timestamp");
        const std::string sign = stringOf(arg, "sign");
        const SimulatedApiKey* key = m_hub->key(Venue::OkxSwap, apiKey);
        std::pair<std::string, std::string> refusal;
        const auto timestamp = integerOf(json(timestampText));
        if (!arg.is_object() || apiKey.empty() || passphrase.empty() || timestampText.empty() || sign.empty()) {
            refusal = {"60009", "Login failed."};
        } else if (key == nullptr) {
            refusal = {"60005", "Invalid apiKey"};
        } else if (!timestamp) {
            refusal = {"60004", "Invalid timestamp"};
        } else if (std::llabs(m_hub->nowMs() / 1000 - *timestamp) > 30) {
            refusal = {"60006", "Timestamp request expired"};
        } else if (!sameSignature(passphrase, key->passphrase)) {
            refusal = {"60024", "Wrong passphrase"};
        } else if (!sameSignature(sign, okx::wsLoginSignature(key->secret, *timestamp))) {
            refusal = {"60007", "Invalid sign"};
        }
        if (!refusal.first.empty()) {
            m_hub->record(m_channel->id, Venue::OkxSwap, key != nullptr ? key->apiKey : "", "login refused",
                          refusal.first + " " + refusal.second);
            return error(refusal.first, refusal.second);
        }
        m_channel->apiKey = key->apiKey;
        m_hub->record(m_channel->id, Venue::OkxSwap, key->apiKey, "login");
        return json{{"event", "login"}, {"code", "0"}, {"msg", ""}, {"connId", m_channel->connId}}.dump();
    }

    std::vector<std::string> subscribe(const json& request)
    {
        const json args = request.contains("args") ? request["args"] : json();
        if (!args.is_array() || args.empty()) {
            return {error("60013", "Invalid args")};
        }
        std::string joined;
        for (const json& arg : args) {
            joined += (joined.empty() ? "" : ",") + stringOf(arg, "channel");
        }
        if (m_channel->apiKey.empty()) {
            m_hub->record(m_channel->id, Venue::OkxSwap, "", "subscribe refused", joined);
            return {error("60011", "Please log in")};
        }
        std::vector<std::string> replies;
        for (const json& arg : args) {
            const std::string channel = stringOf(arg, "channel");
            if (channel != "positions" && channel != "liquidation-warning") {
                replies.push_back(error("60018", "Wrong URL or channel:" + channel + " doesn't exist."));
                continue;
            }
            m_channel->topics.insert(channel);
            if (channel == "positions") {
                m_channel->snapshotDue = true; // the initial snapshot
            }
            replies.push_back(json{{"event", "subscribe"}, {"arg", arg}, {"connId", m_channel->connId}}.dump());
        }
        m_hub->record(m_channel->id, Venue::OkxSwap, m_channel->apiKey, "subscribe", joined);
        return replies;
    }

    [[nodiscard]] std::string push(std::string_view channel, json rows, std::string_view eventType) const
    {
        json frame = {{"arg", {{"channel", channel}, {"uid", "sim-" + m_channel->apiKey.substr(0, 4)}, {"instType", "SWAP"}}}};
        if (!eventType.empty()) {
            frame["eventType"] = eventType;
            if (eventType == "snapshot") {
                frame["curPage"] = 1;
                frame["lastPage"] = true;
            }
        }
        frame["data"] = std::move(rows);
        return frame.dump();
    }

    static std::string posSide(const Position& position)
    {
        switch (position.positionSide) {
        case PositionSide::Long:
            return "long";
        case PositionSide::Short:
            return "short";
        case PositionSide::Both:
            break;
        }
        return "net";
    }

    static Decimal contracts(const Position& position)
    {
        Decimal count = position.quantity / okxContractValue();
        return position.positionSide == PositionSide::Both && position.side == Side::Short ? -count : count;
    }

    static std::string marginRatio(const ValuedAccount& account, const Position& position)
    {
        if (!account.risk) {
            return "";
        }
        if (position.marginMode == MarginMode::Isolated) {
            const PositionRisk* risk = account.riskOf(position);
            // OKX's direction: equity over requirement (the common ratio's inverse).
            return risk != nullptr && risk->marginRatio > 0 ? fixedText(1.0 / risk->marginRatio, 4) : "";
        }
        return fixedText(account.risk->account.nativeMarginRatio, 4);
    }

    static json positionRow(const Position& position, const ValuedAccount& account, std::int64_t nowMs)
    {
        const PositionRisk* risk = account.riskOf(position);
        const bool isolated = position.marginMode == MarginMode::Isolated;
        return {{"instType", "SWAP"},
                {"instId", position.symbol},
                {"mgnMode", isolated ? "isolated" : "cross"},
                {"posId", "sim-" + position.symbol + "-" + posSide(position)},
                {"posSide", posSide(position)},
                {"pos", text(contracts(position))},
                {"ccy", "USDT"},
                {"avgPx", text(position.entryPrice)},
                {"markPx", text(position.markPrice)},
                {"liqPx", liquidationText(risk, "")},
                {"mgnRatio", marginRatio(account, position)},
                {"mmr", risk != nullptr ? text(risk->maintenanceMargin) : ""},
                {"imr", isolated ? "" : text(position.notionalAt(position.markPrice) / leverageOf(position))},
                {"margin", isolated ? text(isolatedMarginOf(position)) : ""},
                {"lever", text(leverageOf(position))},
                {"upl", text(position.unrealizedPnl())},
                {"notionalUsd", text(position.notionalAt(position.markPrice))},
                {"cTime", std::to_string(nowMs)},
                {"uTime", std::to_string(nowMs)},
                {"pTime", std::to_string(nowMs)}};
    }

    static json closedRow(const Position& position, std::int64_t nowMs)
    {
        return {{"instType", "SWAP"},
                {"instId", position.symbol},
                {"mgnMode", position.marginMode == MarginMode::Isolated ? "isolated" : "cross"},
                {"posSide", posSide(position)},
                {"pos", "0"},
                {"ccy", "USDT"},
                {"avgPx", ""},
                {"markPx", ""},
                {"liqPx", ""},
                {"mgnRatio", ""},
                {"uTime", std::to_string(nowMs)},
                {"pTime", std::to_string(nowMs)}};
    }

    static json warningRow(const Position& position, const ValuedAccount& account, std::int64_t nowMs)
    {
        return {{"cTime", std::to_string(nowMs)},
                {"ccy", "USDT"},
                {"instId", position.symbol},
                {"instType", "SWAP"},
                {"lever", text(leverageOf(position))},
                {"markPx", text(position.markPrice)},
                {"mgnMode", position.marginMode == MarginMode::Isolated ? "isolated" : "cross"},
                {"mgnRatio", marginRatio(account, position)},
                {"pTime", std::to_string(nowMs)},
                {"pos", text(contracts(position))},
                {"posCcy", ""},
                {"posId", "sim-" + position.symbol + "-" + posSide(position)},
                {"posSide", posSide(position)},
                {"uTime", std::to_string(nowMs)}};
    }

    std::shared_ptr<Hub> m_hub;
    std::shared_ptr<Channel> m_channel;
};

} // namespace

// ---------------------------------------------------------------------------------------------
// PrivateStreams

PrivateStreams::PrivateStreams(std::vector<SimulatedApiKey> keys, PrivateStreamSettings settings)
    : m_hub(std::make_shared<Hub>())
{
    m_hub->keys = std::move(keys);
    m_hub->settings = settings;
}

PrivateStreams::~PrivateStreams() = default;

const std::vector<SimulatedApiKey>& PrivateStreams::keys() const
{
    return m_hub->keys;
}

std::optional<RestAnswer> PrivateStreams::listenKeyAnswer(const PrivateRequest& request)
{
    const std::string_view path = request.target.substr(0, request.target.find('?'));
    if (path != binance_user_stream::kListenKeyPath) {
        return std::nullopt;
    }
    Hub& hub = *m_hub;
    hub.expireStale();
    const SimulatedApiKey* key = hub.key(Venue::BinanceUsdm, request.header(binance::kApiKeyHeader).value_or(""));
    const std::string action = std::string(request.method) + " " + std::string(path);
    hub.record(0, Venue::BinanceUsdm, key != nullptr ? key->apiKey : "", action);
    if (key == nullptr || !key->permissions.read) {
        return binanceError(401, -2015, "Invalid API-key, IP, or permissions for action.");
    }
    const auto live = hub.listenKeyOf(key->apiKey);
    const auto keyAnswer = [](const std::string& listenKey) {
        return RestAnswer{200, json{{"listenKey", listenKey}}.dump(), std::nullopt};
    };
    if (request.method == "POST") {
        // "If the account has an active listenKey, that listenKey will be returned and its validity
        // will be extended for 60 minutes."
        const std::string listenKey = live.value_or(hub.newListenKey());
        hub.listenKeys[listenKey] = {key->apiKey, std::chrono::steady_clock::now()};
        return keyAnswer(listenKey);
    }
    if (request.method == "PUT") {
        if (!live) {
            return binanceError(400, binance_user_stream::kListenKeyMissing, "This listenKey does not exist.");
        }
        hub.listenKeys[*live].keptAliveAt = std::chrono::steady_clock::now();
        return keyAnswer(*live);
    }
    if (request.method == "DELETE") {
        if (live) {
            hub.expire(*live); // closes the stream for every client of the account: why the monitor never does it
        }
        return RestAnswer{200, "{}", std::nullopt};
    }
    return binanceError(405, -1000, "Method not allowed on the listenKey.");
}

PrivateStreams::Opening PrivateStreams::open(std::string_view target)
{
    const std::string_view path = target.substr(0, target.find('?'));
    Opening opening;
    auto channel = std::make_shared<Channel>();
    Hub& hub = *m_hub;
    if (path == "/private/ws") {
        opening.isPrivate = true;
        hub.expireStale();
        const std::string listenKey(queryParam(target, "listenKey").value_or(""));
        const auto live = hub.listenKeys.find(listenKey);
        if (live == hub.listenKeys.end()) {
            hub.record(0, Venue::BinanceUsdm, "", "connect refused", "unknown listenKey");
            opening.refusal = binanceError(400, binance_user_stream::kListenKeyMissing, "This listenKey does not exist.");
            return opening;
        }
        channel->venue = Venue::BinanceUsdm;
        channel->listenKey = listenKey;
        channel->apiKey = live->second.apiKey;
        std::string_view events = queryParam(target, "events").value_or("");
        while (!events.empty()) {
            const auto slash = events.find('/');
            channel->topics.insert(std::string(events.substr(0, slash)));
            events = slash == std::string_view::npos ? std::string_view() : events.substr(slash + 1);
        }
        opening.server = std::make_unique<BinancePrivateServer>(m_hub, channel);
    } else if (path == bybit_private_stream::kPath) {
        opening.isPrivate = true;
        channel->venue = Venue::BybitLinear;
        opening.server = std::make_unique<BybitPrivateServer>(m_hub, channel);
    } else if (path == okx_private_stream::kPath) {
        opening.isPrivate = true;
        channel->venue = Venue::OkxSwap;
        opening.server = std::make_unique<OkxPrivateServer>(m_hub, channel);
    } else {
        return opening;
    }
    channel->id = hub.nextConnection++;
    channel->connId = "sim-private-" + std::to_string(channel->id);
    channel->lastSnapshot = std::chrono::steady_clock::now();
    hub.channels.push_back(channel);
    hub.record(channel->id, channel->venue, channel->apiKey, "connect");
    return opening;
}

bool PrivateStreams::expireListenKey(const std::string& apiKey)
{
    if (m_hub->key(Venue::BinanceUsdm, apiKey) == nullptr) {
        return false;
    }
    if (const auto live = m_hub->listenKeyOf(apiKey)) {
        m_hub->expire(*live);
    }
    return true;
}

bool PrivateStreams::setAccountPosition(const std::string& apiKey, Position position)
{
    SimulatedApiKey* key = m_hub->anyVenueKey(apiKey);
    if (key == nullptr) {
        return false;
    }
    std::vector<Position>& positions = key->account.positions;
    const auto found = std::find_if(positions.begin(), positions.end(),
                                    [&](const Position& held) { return samePosition(held, position); });
    Position changed = position;
    if (!position.quantity.isPositive()) {
        if (found != positions.end()) {
            changed = *found;
            changed.quantity = Decimal();
            positions.erase(found);
        }
    } else {
        if (!position.instrument) {
            position.instrument = publishedInstrument(key->venue, position.symbol);
            if (!position.instrument) {
                position.instrument = instrumentWithMaintenance(key->venue, position.symbol, Decimal::parse("0.005"), Decimal());
            }
        }
        if (found != positions.end()) {
            *found = position;
        } else {
            positions.push_back(position);
        }
    }
    m_hub->forChannels(key->apiKey, [&](Channel& channel) {
        std::erase_if(channel.changed, [&](const Position& earlier) { return samePosition(earlier, changed); });
        channel.changed.push_back(changed);
    });
    return true;
}

bool PrivateStreams::setAccountWallet(const std::string& apiKey, const Decimal& walletBalance)
{
    SimulatedApiKey* key = m_hub->anyVenueKey(apiKey);
    if (key == nullptr) {
        return false;
    }
    key->account.account.walletBalance = walletBalance;
    m_hub->forChannels(key->apiKey, [](Channel& channel) { channel.walletChanged = true; });
    return true;
}

bool PrivateStreams::pushMarginCall(const std::string& apiKey)
{
    const SimulatedApiKey* key = m_hub->anyVenueKey(apiKey);
    if (key == nullptr) {
        return false;
    }
    m_hub->forChannels(key->apiKey, [](Channel& channel) { channel.marginCall = true; });
    return true;
}

std::vector<PrivateJournalEntry> PrivateStreams::journal() const
{
    return m_hub->journal;
}

} // namespace mm::sim
