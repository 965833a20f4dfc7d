#include "sim/venue_servers.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <charconv>

namespace mm::sim {

using json = nlohmann::json;

namespace {

/// A price as the venues print it: a decimal string with a precision that suits its size.
void appendPrice(std::string& out, double value)
{
    char text[64];
    const int places = value < 1 ? 6 : (value < 100 ? 4 : 2);
    const auto result = std::to_chars(text, text + sizeof text, value, std::chars_format::fixed, places);
    out.append(text, result.ec == std::errc() ? result.ptr : text);
}

void appendInteger(std::string& out, std::int64_t value)
{
    char text[24];
    const auto result = std::to_chars(text, text + sizeof text, value);
    out.append(text, result.ptr);
}

/// Symbols a client may subscribe to: what the venues list (letters, digits, - _ . :). Pushed frames
/// are formatted by hand, so nothing that would need escaping may get in.
bool plainSymbol(std::string_view symbol)
{
    return !symbol.empty() && symbol.size() <= 40 && std::all_of(symbol.begin(), symbol.end(), [](unsigned char c) {
        return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == ':';
    });
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
    BinanceServer(std::string_view target, const std::set<std::string>& unlisted)
    {
        m_unlisted = unlisted; // needed now: the URL names the streams
        if (target.rfind("/market/ws/", 0) == 0) {
            // A raw stream, `/market/ws/btcusdt@markPrice@1s`: its payloads come unwrapped.
            m_raw = true;
            const std::string_view stream = target.substr(11);
            addStream(std::string(stream.substr(0, stream.find('?'))));
            return;
        }
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
                if (!stream.is_string() || !addStream(stream.get<std::string>())) {
                    return {json{{"code", 2}, {"msg", "Invalid request: unknown stream " + stream.dump()}, {"id", request["id"]}}.dump()};
                }
            }
            return {json{{"result", nullptr}, {"id", request["id"]}}.dump()};
        }
        return {json{{"code", 2}, {"msg", "Invalid request: unknown method"}, {"id", request["id"]}}.dump()};
    }

    std::vector<std::string> pushFrames(PriceBook& book, std::int64_t nowMs) override
    {
        std::vector<std::string> frames;
        const auto update = [&](std::string& out, const std::string& symbol) {
            const double mark = book.mark(symbol);
            out += R"({"e":"markPriceUpdate","E":)";
            appendInteger(out, nowMs);
            out += R"(,"s":")";
            out += symbol;
            out += R"(","p":")";
            appendPrice(out, mark);
            out += R"(","i":")";
            appendPrice(out, mark * 0.9998);
            out += R"(","P":")";
            appendPrice(out, mark);
            out += R"(","r":"0.00010000","T":)";
            appendInteger(out, nowMs + 3'600'000);
            out += '}';
        };
        if (m_allMarket) {
            std::string frame = R"({"stream":"!markPrice@arr@1s","data":[)";
            for (const std::string& symbol : book.symbols()) {
                if (frame.back() == '}') {
                    frame += ',';
                }
                update(frame, symbol);
            }
            frame += "]}";
            frames.push_back(std::move(frame));
            return frames;
        }
        frames.reserve(m_subscribed.size());
        for (const std::string& symbol : m_subscribed) {
            std::string frame;
            frame.reserve(240);
            if (m_raw) {
                update(frame, symbol);
            } else {
                frame += R"({"stream":")";
                frame += lower(symbol);
                frame += R"(@markPrice@1s","data":)";
                update(frame, symbol);
                frame += '}';
            }
            frames.push_back(std::move(frame));
        }
        return frames;
    }

private:
    /// False for a stream this simulator does not serve (anything but mark prices).
    bool addStream(const std::string& stream)
    {
        if (stream == "!markPrice@arr@1s" || stream == "!markPrice@arr") {
            m_allMarket = true;
        } else if (const auto at = stream.find("@markPrice"); at != std::string::npos && plainSymbol(stream.substr(0, at))) {
            if (listed(upper(stream.substr(0, at)))) { // Binance accepts a stream of an unlisted symbol, and sends nothing on it
                m_subscribed.insert(upper(stream.substr(0, at)));
            }
        } else {
            return false;
        }
        return true;
    }

    bool m_allMarket = false;
    bool m_raw = false; ///< `/market/ws/<stream>`: payloads not wrapped as {"stream","data"}
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
                if (name.rfind("tickers.", 0) != 0 || !plainSymbol(std::string_view(name).substr(8)) || !listed(name.substr(8))) {
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
        frames.reserve(m_subscribed.size());
        for (const std::string& symbol : m_subscribed) {
            const double mark = book.mark(symbol);
            std::string markText;
            appendPrice(markText, mark);
            const bool first = m_snapshotSent.insert(symbol).second;
            // Deltas carry only what changed: a mark that has not moved is left out (a replay
            // holding its last mark sends no markPrice at all), and the client keeps the last one.
            std::string& lastMark = m_lastMark[symbol];
            const bool markChanged = first || markText != lastMark;
            lastMark = markText;
            std::string frame;
            frame.reserve(first ? 280 : 160);
            frame += R"({"topic":"tickers.)";
            frame += symbol;
            frame += first ? R"(","type":"snapshot","data":{"symbol":")" : R"(","type":"delta","data":{"symbol":")";
            frame += symbol;
            if (markChanged) {
                frame += R"(","markPrice":")";
                frame += markText;
            }
            frame += R"(","lastPrice":")";
            appendPrice(frame, mark * (1 + 0.0001 * static_cast<double>(m_sequence % 3)));
            if (first) {
                frame += R"(","indexPrice":")";
                appendPrice(frame, mark * 0.9998);
                frame += R"(","fundingRate":"0.0001","nextFundingTime":")";
                appendInteger(frame, nowMs + 3'600'000);
            }
            frame += R"("},"cs":)";
            appendInteger(frame, ++m_sequence);
            frame += R"(,"ts":)";
            appendInteger(frame, nowMs);
            frame += '}';
            frames.push_back(std::move(frame));
        }
        return frames;
    }

private:
    static std::string reply(bool success, const std::string& message, const std::string& requestId, const std::string& op)
    {
        return json{{"success", success}, {"ret_msg", message}, {"conn_id", "sim-conn"}, {"req_id", requestId}, {"op", op}}.dump();
    }

    std::set<std::string> m_snapshotSent;
    std::map<std::string, std::string> m_lastMark; ///< as last sent, per symbol
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
            if (!arg.is_object() || arg.value("channel", "") != "mark-price" || !arg.contains("instId") || !arg["instId"].is_string() ||
                !plainSymbol(arg["instId"].get<std::string>()) || !listed(arg["instId"].get<std::string>())) {
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
        frames.reserve(m_subscribed.size());
        for (const std::string& instrument : m_subscribed) {
            std::string frame;
            frame.reserve(200);
            frame += R"({"arg":{"channel":"mark-price","instId":")";
            frame += instrument;
            frame += R"("},"data":[{"instType":"SWAP","instId":")";
            frame += instrument;
            frame += R"(","markPx":")";
            appendPrice(frame, book.mark(instrument));
            frame += R"(","ts":")";
            appendInteger(frame, nowMs);
            frame += R"("}]})";
            frames.push_back(std::move(frame));
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
            if (subscription.value("type", "") == "activeAssetCtx" && subscription.contains("coin") && subscription["coin"].is_string() &&
                plainSymbol(subscription["coin"].get<std::string>()) && listed(subscription["coin"].get<std::string>())) {
                m_subscribed.insert(subscription["coin"].get<std::string>());
                return {json{{"channel", "subscriptionResponse"}, {"data", request}}.dump()};
            }
        }
        return {json{{"channel", "error"}, {"data", "Invalid subscription " + std::string(text.substr(0, 100))}}.dump()};
    }

    std::vector<std::string> pushFrames(PriceBook& book, std::int64_t /*nowMs*/) override
    {
        std::vector<std::string> frames;
        frames.reserve(m_subscribed.size());
        for (const std::string& coin : m_subscribed) {
            const double mark = book.mark(coin);
            std::string frame;
            frame.reserve(220);
            frame += R"({"channel":"activeAssetCtx","data":{"coin":")";
            frame += coin;
            frame += R"(","ctx":{"funding":"0.0000125","openInterest":"1000.0","oraclePx":")";
            appendPrice(frame, mark * 0.9998);
            frame += R"(","markPx":")";
            appendPrice(frame, mark);
            frame += R"(","midPx":")";
            appendPrice(frame, mark);
            frame += R"("}}})";
            frames.push_back(std::move(frame));
        }
        return frames;
    }
};

} // namespace

std::unique_ptr<VenueServer> VenueServer::forPath(std::string_view target, const std::set<std::string>& unlisted)
{
    const std::string_view path = target.substr(0, target.find('?'));
    std::unique_ptr<VenueServer> server;
    if (path == "/market/stream" || path.rfind("/market/ws/", 0) == 0) {
        server = std::make_unique<BinanceServer>(target, unlisted);
    } else if (path == "/v5/public/linear") {
        server = std::make_unique<BybitServer>();
    } else if (path == "/ws/v5/public") {
        server = std::make_unique<OkxServer>();
    } else if (path == "/ws") {
        server = std::make_unique<HyperliquidServer>();
    }
    if (server) {
        server->m_unlisted = unlisted;
    }
    return server;
}

} // namespace mm::sim
