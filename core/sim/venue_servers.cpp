#include "sim/venue_servers.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace mm::sim {

using json = nlohmann::json;

namespace {

std::string price(double value)
{
    char text[48];
    std::snprintf(text, sizeof text, "%.*f", value < 1 ? 6 : (value < 100 ? 4 : 2), value);
    return text;
}

std::string upper(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
    return text;
}

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

/// Binance USDⓈ-M: streams named in the URL (`/market/stream?streams=btcusdt@markPrice@1s/…`, or the
/// all-market `!markPrice@arr@1s`), runtime SUBSCRIBE, combined-stream wrapping.
class BinanceServer final : public VenueServer {
public:
    explicit BinanceServer(std::string_view target)
    {
        const auto query = target.find("streams=");
        if (query == std::string_view::npos) {
            return;
        }
        std::string_view streams = target.substr(query + 8);
        streams = streams.substr(0, streams.find('&'));
        while (!streams.empty()) {
            const auto slash = streams.find('/');
            addStream(std::string(streams.substr(0, slash)));
            streams = slash == std::string_view::npos ? std::string_view() : streams.substr(slash + 1);
        }
    }

    [[nodiscard]] Venue venue() const override { return Venue::BinanceUsdm; }

    std::vector<std::string> onMessage(std::string_view text) override
    {
        const json request = json::parse(text, nullptr, false);
        if (!request.is_object() || !request.contains("method") || !request.contains("id")) {
            return {json{{"code", 3}, {"msg", "Invalid JSON: expected a request object"}}.dump()};
        }
        if (request["method"] == "SUBSCRIBE" && request.contains("params") && request["params"].is_array()) {
            for (const auto& stream : request["params"]) {
                if (stream.is_string()) {
                    addStream(stream.get<std::string>());
                }
            }
            return {json{{"result", nullptr}, {"id", request["id"]}}.dump()};
        }
        return {json{{"code", 2}, {"msg", "Invalid request: unknown method"}, {"id", request["id"]}}.dump()};
    }

    std::vector<std::string> pushFrames(PriceBook& book, std::int64_t nowMs) override
    {
        std::vector<std::string> frames;
        json all = json::array();
        for (const std::string& symbol : m_allMarket ? book.symbols() : std::vector<std::string>(m_subscribed.begin(), m_subscribed.end())) {
            const double mark = book.mark(symbol);
            json update{{"e", "markPriceUpdate"}, {"E", nowMs},     {"s", symbol},          {"p", price(mark)},
                        {"i", price(mark * 0.9998)}, {"P", price(mark)}, {"r", "0.00010000"}, {"T", nowMs + 3'600'000}};
            if (m_allMarket) {
                all.push_back(std::move(update));
            } else {
                frames.push_back(json{{"stream", lower(symbol) + "@markPrice@1s"}, {"data", std::move(update)}}.dump());
            }
        }
        if (m_allMarket && !all.empty()) {
            frames.push_back(json{{"stream", "!markPrice@arr@1s"}, {"data", std::move(all)}}.dump());
        }
        return frames;
    }

private:
    void addStream(const std::string& stream)
    {
        if (stream == "!markPrice@arr@1s" || stream == "!markPrice@arr") {
            m_allMarket = true;
        } else if (const auto at = stream.find("@markPrice"); at != std::string::npos) {
            m_subscribed.insert(upper(stream.substr(0, at)));
        }
    }

    bool m_allMarket = false;
};

/// Bybit v5 linear: {"op":"subscribe","args":["tickers.X"]}, {"op":"ping"}; a snapshot first, then
/// deltas that carry only what changed.
class BybitServer final : public VenueServer {
public:
    [[nodiscard]] Venue venue() const override { return Venue::BybitLinear; }

    std::vector<std::string> onMessage(std::string_view text) override
    {
        const json request = json::parse(text, nullptr, false);
        const std::string requestId = request.is_object() && request.contains("req_id") && request["req_id"].is_string()
                                          ? request["req_id"].get<std::string>()
                                          : "";
        if (!request.is_object() || !request.contains("op") || !request["op"].is_string()) {
            return {reply(false, "error:illegal request", requestId, "")};
        }
        const std::string op = request["op"].get<std::string>();
        if (op == "ping") {
            return {reply(true, "pong", requestId, "ping")};
        }
        if (op == "subscribe" && request.contains("args") && request["args"].is_array()) {
            for (const auto& topic : request["args"]) {
                const std::string name = topic.is_string() ? topic.get<std::string>() : "";
                if (name.rfind("tickers.", 0) != 0) {
                    return {reply(false, "error:handler not found,topic:" + name, requestId, "subscribe")};
                }
                m_subscribed.insert(name.substr(8));
            }
            return {reply(true, "", requestId, "subscribe")};
        }
        return {reply(false, "error:unknown op " + op, requestId, op)};
    }

    std::vector<std::string> pushFrames(PriceBook& book, std::int64_t nowMs) override
    {
        std::vector<std::string> frames;
        for (const std::string& symbol : m_subscribed) {
            const double mark = book.mark(symbol);
            const bool first = m_snapshotSent.insert(symbol).second;
            json data{{"symbol", symbol}, {"markPrice", price(mark)}};
            if (first) {
                data["lastPrice"] = price(mark);
                data["indexPrice"] = price(mark * 0.9998);
                data["fundingRate"] = "0.0001";
                data["nextFundingTime"] = std::to_string(nowMs + 3'600'000);
            }
            frames.push_back(json{{"topic", "tickers." + symbol}, {"type", first ? "snapshot" : "delta"}, {"data", data},
                                  {"cs", ++m_sequence}, {"ts", nowMs}}
                                 .dump());
        }
        return frames;
    }

private:
    static std::string reply(bool success, const std::string& message, const std::string& requestId, const std::string& op)
    {
        return json{{"success", success}, {"ret_msg", message}, {"conn_id", "sim-conn"}, {"req_id", requestId}, {"op", op}}.dump();
    }

    std::set<std::string> m_snapshotSent;
    std::int64_t m_sequence = 0;
};

/// OKX v5 public: the text ping/pong, {"op":"subscribe","args":[{"channel":"mark-price","instId":X}]}.
class OkxServer final : public VenueServer {
public:
    [[nodiscard]] Venue venue() const override { return Venue::OkxSwap; }

    std::vector<std::string> onMessage(std::string_view text) override
    {
        if (text == "ping") {
            return {"pong"};
        }
        const json request = json::parse(text, nullptr, false);
        if (!request.is_object() || request.value("op", "") != "subscribe" || !request.contains("args") || !request["args"].is_array()) {
            return {error("60012", "Invalid request: " + std::string(text.substr(0, 100)))};
        }
        std::vector<std::string> replies;
        for (const auto& arg : request["args"]) {
            if (!arg.is_object() || arg.value("channel", "") != "mark-price" || !arg.contains("instId") || !arg["instId"].is_string()) {
                replies.push_back(error("60018", "Wrong URL or channel:" + arg.dump() + " doesn't exist."));
                continue;
            }
            m_subscribed.insert(arg["instId"].get<std::string>());
            replies.push_back(json{{"event", "subscribe"}, {"arg", arg}, {"connId", "sim00001"}}.dump());
        }
        return replies;
    }

    std::vector<std::string> pushFrames(PriceBook& book, std::int64_t nowMs) override
    {
        std::vector<std::string> frames;
        for (const std::string& instrument : m_subscribed) {
            frames.push_back(json{{"arg", {{"channel", "mark-price"}, {"instId", instrument}}},
                                  {"data", json::array({{{"instType", "SWAP"}, {"instId", instrument},
                                                         {"markPx", price(book.mark(instrument))}, {"ts", std::to_string(nowMs)}}})}}
                                 .dump());
        }
        return frames;
    }

private:
    static std::string error(const char* code, const std::string& message)
    {
        return json{{"event", "error"}, {"code", code}, {"msg", message}, {"connId", "sim00001"}}.dump();
    }
};

/// Hyperliquid: {"method":"subscribe","subscription":{"type":"activeAssetCtx","coin":X}}, {"method":"ping"}.
class HyperliquidServer final : public VenueServer {
public:
    [[nodiscard]] Venue venue() const override { return Venue::Hyperliquid; }

    std::vector<std::string> onMessage(std::string_view text) override
    {
        const json request = json::parse(text, nullptr, false);
        const std::string method = request.is_object() ? request.value("method", "") : "";
        if (method == "ping") {
            return {R"({"channel":"pong"})"};
        }
        if (method == "subscribe" && request.contains("subscription") && request["subscription"].is_object()) {
            const json& subscription = request["subscription"];
            if (subscription.value("type", "") == "activeAssetCtx" && subscription.contains("coin") && subscription["coin"].is_string()) {
                m_subscribed.insert(subscription["coin"].get<std::string>());
                return {json{{"channel", "subscriptionResponse"}, {"data", request}}.dump()};
            }
        }
        return {json{{"channel", "error"}, {"data", "Invalid subscription " + std::string(text.substr(0, 100))}}.dump()};
    }

    std::vector<std::string> pushFrames(PriceBook& book, std::int64_t /*nowMs*/) override
    {
        std::vector<std::string> frames;
        for (const std::string& coin : m_subscribed) {
            const double mark = book.mark(coin);
            frames.push_back(json{{"channel", "activeAssetCtx"},
                                  {"data",
                                   {{"coin", coin},
                                    {"ctx",
                                     {{"funding", "0.0000125"}, {"openInterest", "1000.0"}, {"oraclePx", price(mark * 0.9998)},
                                      {"markPx", price(mark)}, {"midPx", price(mark)}}}}}}
                                 .dump());
        }
        return frames;
    }
};

} // namespace

double PriceBook::mark(const std::string& symbol)
{
    auto [it, added] = m_marks.try_emplace(symbol, 0.0);
    if (added) {
        // A plausible level for well-known names, else something between 1 and 200.
        const std::string name = upper(symbol);
        it->second = name.rfind("BTC", 0) == 0 ? 64'000.0
                     : name.rfind("ETH", 0) == 0 ? 3'100.0
                     : name.rfind("SOL", 0) == 0 ? 145.0
                                                 : 1.0 + static_cast<double>(std::hash<std::string>{}(name) % 20'000) / 100.0;
    }
    return it->second * m_marketFactor;
}

void PriceBook::step(double volatility, double jumpProbability, double jumpSize)
{
    std::normal_distribution<double> normal(0.0, volatility);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (auto& [symbol, mark] : m_marks) {
        mark *= std::exp(normal(m_random));
        if (jumpProbability > 0 && unit(m_random) < jumpProbability) {
            mark *= unit(m_random) < 0.5 ? 1.0 - jumpSize : 1.0 + jumpSize;
        }
    }
}

std::vector<std::string> PriceBook::symbols() const
{
    std::vector<std::string> names;
    for (const auto& [symbol, mark] : m_marks) {
        names.push_back(symbol);
    }
    return names;
}

std::unique_ptr<VenueServer> VenueServer::forPath(std::string_view target)
{
    const std::string_view path = target.substr(0, target.find('?'));
    if (path == "/market/stream" || path.rfind("/market/ws", 0) == 0) {
        return std::make_unique<BinanceServer>(target);
    }
    if (path == "/v5/public/linear") {
        return std::make_unique<BybitServer>();
    }
    if (path == "/ws/v5/public") {
        return std::make_unique<OkxServer>();
    }
    if (path == "/ws") {
        return std::make_unique<HyperliquidServer>();
    }
    return nullptr;
}

} // namespace mm::sim
