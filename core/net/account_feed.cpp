#include "net/account_feed.h"

#include "margin/builtin_instruments.h"
#include "venues/binance_usdm/binance_account.h"
#include "venues/bybit_linear/bybit_account.h"
#include "venues/hyperliquid/hyperliquid_account.h"
#include "venues/instrument_lists.h"
#include "venues/okx_swap/okx_account.h"
#include "venues/tier_tables.h"
#include "venues/venue_refusal.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace mm {

namespace {

using Clock = std::chrono::steady_clock;

/// A conservative maintenance margin rate for a position whose tiers are unknown and whose venue
/// reports no maintenance margin: higher than the first tier of any major contract, so that the
/// liquidation price shown errs towards the mark.
const Decimal kAssumedMaintenanceRate = Decimal::parse("0.025");

constexpr std::chrono::seconds kDefaultRateLimitWait{60};

/// Tier tables change rarely (a venue announces changes days ahead): read again this often.
constexpr std::chrono::hours kTierTablesLifetime{1};

/// OKX's instrument family of a swap: "BTC-USDT-SWAP" → "BTC-USDT".
std::string okxFamily(std::string_view instId)
{
    const auto last = instId.rfind('-');
    return std::string(last == std::string_view::npos ? instId : instId.substr(0, last));
}

std::int64_t localNowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

bool isKeyed(Venue venue)
{
    return venue == Venue::BinanceUsdm || venue == Venue::BybitLinear || venue == Venue::OkxSwap;
}

} // namespace

std::string_view accountFeedStateName(AccountFeedStatus::State state)
{
    switch (state) {
    case AccountFeedStatus::State::Starting:
        return "starting";
    case AccountFeedStatus::State::Ok:
        return "ok";
    case AccountFeedStatus::State::Retrying:
        return "retrying";
    case AccountFeedStatus::State::RateLimited:
        return "rate limited";
    case AccountFeedStatus::State::KeyRefused:
        return "key refused";
    }
    return "unknown";
}

struct AccountFeed::State : std::enable_shared_from_this<AccountFeed::State> {
    State(boost::asio::io_context& context, Options feedOptions, Callbacks feedCallbacks)
        : io(context), timer(context), options(std::move(feedOptions)), callbacks(std::move(feedCallbacks))
    {
    }

    boost::asio::io_context& io;
    boost::asio::steady_timer timer;
    Options options;
    Callbacks callbacks;
    std::shared_ptr<HttpsClient> client;
    ServerClockOffset clock;
    std::optional<Clock::time_point> clockMeasuredAt;
    bool clockSuspect = false; ///< the venue refused a timestamp: measure again before the next read
    std::map<std::string, Decimal, std::less<>> contractValues; ///< OKX
    std::optional<Decimal> takerFeeRate;                      ///< OKX: counted in the requirement
    std::map<std::string, int, std::less<>> maxLeverages;      ///< Hyperliquid
    /// The venue's tier tables read so far, by what they apply to (symbol; OKX: instrument family),
    /// and when they were read; a table the venue would not give is remembered as empty.
    TierTables tiers;
    std::map<std::string, Clock::time_point, std::less<>> tiersReadAt;
    std::optional<AccountSnapshot> pending; ///< a read waiting for its positions' tier tables
    bool running = false;
    bool reading = false;
    bool refreshWanted = false;
    /// The venue asked for quiet (429, 418, its rate-limit code) until then: refreshNow() waits too.
    std::optional<Clock::time_point> quietUntil;
    std::chrono::milliseconds retryDelay{0};
    mutable std::mutex statusMutex;
    AccountFeedStatus status;

    [[nodiscard]] std::string name() const
    {
        return std::string(venueName(options.venue)) + (options.label.empty() ? "" : " account \"" + options.label + "\"");
    }

    void read()
    {
        if (!running) {
            return;
        }
        if (reading || (quietUntil && Clock::now() < *quietUntil)) {
            refreshWanted = true; // read when the one under way ends, or when the venue allows again
            return;
        }
        quietUntil.reset();
        reading = true;
        refreshWanted = false;
        timer.cancel();
        const bool clockDue = !clockMeasuredAt || clockSuspect ||
                              Clock::now() - *clockMeasuredAt > options.clockInterval;
        if (isKeyed(options.venue) && clockDue) {
            measureClock();
        } else {
            readAccount();
        }
    }

    void measureClock()
    {
        requestServerTime(*client, options.venue,
                          [weak = weak_from_this()](std::optional<ServerTimeSample> sample, const std::string& problem) {
                              const auto self = weak.lock();
                              if (!self || !self->running) {
                                  return;
                              }
                              if (!sample) {
                                  self->fail(AccountFeedStatus::State::Retrying, problem, std::nullopt);
                                  return;
                              }
                              self->clock.addSample(*sample);
                              self->clockMeasuredAt = Clock::now();
                              self->clockSuspect = false;
                              {
                                  const std::lock_guard lock(self->statusMutex);
                                  self->status.clockOffsetMs = self->clock.offsetMs();
                              }
                              self->readAccount();
                          });
    }

    [[nodiscard]] std::int64_t serverNow() const { return clock.serverTimeMs(localNowMs()); }

    HttpRequest signedGet(std::string_view path, std::string_view query) const
    {
        return signedRequest(options.venue, HttpMethod::Get, path, query, "", options.credentials, serverNow());
    }

    static HttpRequest plainGet(std::string target)
    {
        HttpRequest request;
        request.target = std::move(target);
        return request;
    }

    static HttpRequest infoPost(const nlohmann::json& body)
    {
        HttpRequest request;
        request.method = HttpMethod::Post; // Hyperliquid's reads are POSTs, and harmless to repeat
        request.target = "/info";
        request.body = body.dump();
        return request;
    }

    /// Sends `request`; `next` gets the body of a good answer. Anything else ends this read.
    void fetch(HttpRequest request, std::string_view what, std::function<void(const std::string& body)> next)
    {
        request.timeout = std::chrono::seconds(10);
        client->request(std::move(request), [weak = weak_from_this(), what = std::string(what),
                                             next = std::move(next)](HttpResponse response) {
            const auto self = weak.lock();
            if (!self || !self->running) {
                return;
            }
            self->answered(response, what, next);
        });
    }

    void answered(const HttpResponse& response, const std::string& what, const std::function<void(const std::string&)>& next)
    {
        const std::string where = name() + ", " + what + ": ";
        if (response.outcome == HttpOutcome::RateLimited || response.outcome == HttpOutcome::Banned) {
            const auto wait = response.retryAfter.value_or(kDefaultRateLimitWait);
            fail(AccountFeedStatus::State::RateLimited,
                 where + (response.outcome == HttpOutcome::Banned ? "the venue has banned this address for a while"
                                                                  : "the venue is limiting requests") +
                     "; next read in " + std::to_string(wait.count()) + " s",
                 std::chrono::duration_cast<std::chrono::milliseconds>(wait));
            return;
        }
        if (response.outcome == HttpOutcome::Ok || response.outcome == HttpOutcome::HttpError) {
            if (const auto refusal = readVenueRefusal(options.venue, response.body)) {
                refused(*refusal, where);
                return;
            }
        }
        if (response.outcome != HttpOutcome::Ok) {
            std::string problem = response.error;
            if (problem.empty()) {
                problem = std::string(httpOutcomeName(response.outcome)) +
                          (response.status != 0 ? " (HTTP " + std::to_string(response.status) + ")" : "");
            }
            fail(AccountFeedStatus::State::Retrying, where + problem, std::nullopt);
            return;
        }
        next(response.body);
    }

    void refused(const VenueRefusal& refusal, const std::string& where)
    {
        switch (refusal.kind) {
        case RefusalKind::Timestamp:
            clockSuspect = true;
            fail(AccountFeedStatus::State::Retrying,
                 where + explainTimestampRefusal(options.venue, clock.offsetMs()) + " [" + refusal.code + "]", std::nullopt);
            return;
        case RefusalKind::RateLimit:
            fail(AccountFeedStatus::State::RateLimited, where + describeRefusal(options.venue, refusal),
                 std::chrono::duration_cast<std::chrono::milliseconds>(kDefaultRateLimitWait));
            return;
        case RefusalKind::Key:
        case RefusalKind::Permission:
            // The trader must act; asking again at the normal pace shows when they have.
            fail(AccountFeedStatus::State::KeyRefused, where + describeRefusal(options.venue, refusal),
                 options.refreshInterval);
            return;
        case RefusalKind::Other:
            break;
        }
        fail(AccountFeedStatus::State::Retrying, where + describeRefusal(options.venue, refusal), std::nullopt);
    }

    void readAccount()
    {
        switch (options.venue) {
        case Venue::BinanceUsdm:
            fetch(signedGet("/fapi/v2/positionRisk", ""), "positions", [this](const std::string& positions) {
                fetch(signedGet("/fapi/v2/account", ""), "balances", [this, positions](const std::string& balances) {
                    std::string problem;
                    deliver(parseBinanceAccountSnapshot(positions, balances, problem), problem);
                });
            });
            return;
        case Venue::BybitLinear:
            fetch(signedGet("/v5/position/list", "category=linear&settleCoin=USDT"), "positions",
                  [this](const std::string& positions) {
                      fetch(signedGet("/v5/account/wallet-balance", "accountType=UNIFIED"), "balances",
                            [this, positions](const std::string& balances) {
                                std::string problem;
                                deliver(parseBybitAccountSnapshot(positions, balances, problem), problem);
                            });
                  });
            return;
        case Venue::OkxSwap:
            if (contractValues.empty()) {
                fetch(plainGet("/api/v5/public/instruments?instType=SWAP"), "instruments", [this](const std::string& body) {
                    std::string problem;
                    auto values = parseOkxContractValues(body, problem);
                    if (!values || values->empty()) {
                        fail(AccountFeedStatus::State::Retrying,
                             name() + ", instruments: " + (problem.empty() ? "no swaps listed" : problem), std::nullopt);
                        return;
                    }
                    contractValues = std::move(*values);
                    readOkx();
                });
                return;
            }
            readOkx();
            return;
        case Venue::Hyperliquid:
            if (maxLeverages.empty()) {
                fetch(infoPost({{"type", "meta"}}), "meta", [this](const std::string& body) {
                    std::string problem;
                    auto leverages = parseHyperliquidMaxLeverage(body, problem);
                    if (!leverages || leverages->empty()) {
                        fail(AccountFeedStatus::State::Retrying,
                             name() + ", meta: " + (problem.empty() ? "no assets listed" : problem), std::nullopt);
                        return;
                    }
                    maxLeverages = std::move(*leverages);
                    readHyperliquid();
                });
                return;
            }
            readHyperliquid();
            return;
        case Venue::Generic:
            break;
        }
    }

    void readOkx()
    {
        if (!takerFeeRate) {
            fetch(signedGet("/api/v5/account/trade-fee", "instType=SWAP"), "fee rates", [this](const std::string& body) {
                std::string problem;
                takerFeeRate = parseOkxTakerFeeRate(body, problem);
                if (!takerFeeRate) {
                    fail(AccountFeedStatus::State::Retrying, name() + ", fee rates: " + problem, std::nullopt);
                    return;
                }
                readOkx();
            });
            return;
        }
        fetch(signedGet("/api/v5/account/positions", "instType=SWAP"), "positions", [this](const std::string& positions) {
            fetch(signedGet("/api/v5/account/balance", ""), "balances", [this, positions](const std::string& balances) {
                std::string problem;
                const OkxContractValue contractValue = [this](std::string_view instId) -> std::optional<Decimal> {
                    const auto it = contractValues.find(instId);
                    return it == contractValues.end() ? std::nullopt : std::optional<Decimal>(it->second);
                };
                auto snapshot = parseOkxAccountSnapshot(positions, balances, contractValue, problem);
                if (!snapshot && problem.find("contract value") != std::string::npos) {
                    contractValues.clear(); // a new listing: read the instruments again next time
                }
                deliver(std::move(snapshot), problem);
            });
        });
    }

    void readHyperliquid()
    {
        fetch(infoPost({{"type", "clearinghouseState"}, {"user", options.walletAddress}}), "clearinghouse state",
              [this](const std::string& body) {
                  std::string problem;
                  deliver(parseHyperliquidClearinghouseState(body, problem), problem);
              });
    }

    /// Gives every position the instrument its margin is computed with, best source first: the
    /// venue's tier table as read now; the tiers built in (published late 2024); Hyperliquid's rule
    /// from its meta; the rate implied by the venue's
    /// own maintenance margin for the position; a conservative assumed rate (said so).
    void attachInstruments(AccountSnapshot& snapshot, std::string& notes) const
    {
        for (SnapshotPosition& entry : snapshot.positions) {
            Position& position = entry.position;
            if (options.venue == Venue::OkxSwap && takerFeeRate) {
                position.takerFeeRate = *takerFeeRate; // OKX counts the closing fee in the requirement
            }
            if (position.instrument) {
                continue;
            }
            if (options.venue == Venue::Hyperliquid) {
                const auto it = maxLeverages.find(position.symbol);
                if (it != maxLeverages.end()) {
                    position.instrument = hyperliquidInstrument(position.symbol, it->second);
                    continue;
                }
            } else if (auto fromTiers = instrumentFromTiers(position)) {
                position.instrument = std::move(fromTiers);
                continue;
            } else if (auto published = publishedInstrument(options.venue, position.symbol)) {
                position.instrument = std::move(published);
                continue;
            }
            const Decimal notional = position.quantity * position.markPrice;
            if (entry.exchangeMaintenanceMargin && *entry.exchangeMaintenanceMargin > Decimal() && notional > Decimal()) {
                const double rate = entry.exchangeMaintenanceMargin->toDouble() / notional.toDouble();
                position.instrument = instrumentWithMaintenance(options.venue, position.symbol,
                                                                Decimal::parse(std::to_string(rate)), Decimal());
                continue;
            }
            position.instrument = instrumentWithMaintenance(options.venue, position.symbol, kAssumedMaintenanceRate, Decimal());
            notes += (notes.empty() ? "" : "; ") + position.symbol + ": margin tiers unknown, a maintenance rate of " +
                     kAssumedMaintenanceRate.toString() + " is assumed";
        }
    }

    /// What a position's tier table is filed under.
    [[nodiscard]] std::string tierKey(const std::string& symbol) const
    {
        return options.venue == Venue::OkxSwap ? okxFamily(symbol) : symbol;
    }

    /// The first position whose tier table is missing or old, if any.
    [[nodiscard]] std::optional<std::string> tierTableDue(const AccountSnapshot& snapshot) const
    {
        if (!isKeyed(options.venue)) {
            return std::nullopt;
        }
        for (const SnapshotPosition& entry : snapshot.positions) {
            const std::string key = tierKey(entry.position.symbol);
            const auto readAt = tiersReadAt.find(key);
            if (readAt == tiersReadAt.end() || Clock::now() - readAt->second > kTierTablesLifetime) {
                return entry.position.symbol;
            }
        }
        return std::nullopt;
    }

    /// Reads the tier table of `symbol` (Binance: every symbol's at once), then goes on delivering.
    void readTierTable(const std::string& symbol)
    {
        HttpRequest request;
        std::function<std::optional<TierTables>(std::string_view, std::string&)> parse;
        switch (options.venue) {
        case Venue::BinanceUsdm:
            request = signedGet("/fapi/v1/leverageBracket", "");
            parse = parseBinanceLeverageBrackets;
            break;
        case Venue::BybitLinear:
            request = plainGet("/v5/market/risk-limit?category=linear&symbol=" + symbol);
            parse = parseBybitRiskLimits;
            break;
        case Venue::OkxSwap:
            request = plainGet("/api/v5/public/position-tiers?instType=SWAP&tdMode=cross&instFamily=" + okxFamily(symbol));
            parse = parseOkxPositionTiers;
            break;
        case Venue::Hyperliquid:
        case Venue::Generic:
            return;
        }
        fetch(std::move(request), "tier table of " + symbol, [this, symbol, parse](const std::string& body) {
            std::string problem;
            auto tables = parse(body, problem);
            const auto now = Clock::now();
            tiersReadAt[tierKey(symbol)] = now; // asked: not again for a while, whatever the answer
            if (tables) {
                for (auto& [key, table] : *tables) {
                    tiersReadAt[key] = now;
                    tiers[key] = std::move(table);
                }
            } else if (callbacks.onProblem) {
                callbacks.onProblem(name() + ", tier table of " + symbol + ": " + problem);
            }
            deliver(std::exchange(pending, std::nullopt), {});
        });
    }

    /// The instrument for a position from the venue's own tier table, if it was read.
    [[nodiscard]] std::shared_ptr<const Instrument> instrumentFromTiers(const Position& position) const
    {
        const auto table = tiers.find(tierKey(position.symbol));
        if (table == tiers.end() || table->second.empty()) {
            return nullptr;
        }
        auto instrument = std::make_shared<Instrument>();
        instrument->venue = options.venue;
        instrument->symbol = position.symbol;
        instrument->riskTiers = table->second;
        instrument->maxLeverage = table->second.front().maxLeverage;
        if (options.venue == Venue::OkxSwap) {
            instrument->tierBasis = Instrument::TierBasis::Quantity; // OKX's tiers count contracts
            if (const auto ctVal = contractValues.find(position.symbol); ctVal != contractValues.end()) {
                instrument->contractSize = ctVal->second;
            }
        }
        if (const auto published = publishedInstrument(options.venue, position.symbol)) {
            instrument->tickSize = published->tickSize;
        }
        return instrument;
    }

    void deliver(std::optional<AccountSnapshot> snapshot, const std::string& problem)
    {
        if (!snapshot) {
            fail(AccountFeedStatus::State::Retrying, name() + ": the venue's answer could not be read: " + problem,
                 std::nullopt);
            return;
        }
        if (const auto symbol = tierTableDue(*snapshot)) {
            pending = std::move(snapshot);
            readTierTable(*symbol);
            return;
        }
        std::string notes;
        attachInstruments(*snapshot, notes);
        reading = false;
        retryDelay = std::chrono::milliseconds(0);
        AccountFeedStatus copy;
        {
            const std::lock_guard lock(statusMutex);
            status.state = AccountFeedStatus::State::Ok;
            ++status.snapshots;
            status.lastProblem = notes.empty() ? std::string() : name() + ": " + notes;
            copy = status;
        }
        if (callbacks.onSnapshot) {
            callbacks.onSnapshot(*snapshot);
        }
        if (!notes.empty() && copy.snapshots == 1 && callbacks.onProblem) {
            callbacks.onProblem(copy.lastProblem);
        }
        if (callbacks.onStatus) {
            callbacks.onStatus(copy);
        }
        schedule(refreshWanted ? std::chrono::milliseconds(0) : options.refreshInterval);
    }

    /// Ends a read that failed: the status and the problem published, the next read scheduled —
    /// after `wait`, or after a back-off that doubles from retryInitial up to the refresh interval.
    void fail(AccountFeedStatus::State state, const std::string& problem, std::optional<std::chrono::milliseconds> wait)
    {
        reading = false;
        if (state == AccountFeedStatus::State::RateLimited && wait) {
            quietUntil = Clock::now() + *wait;
        }
        if (!wait) {
            retryDelay = retryDelay.count() == 0 ? options.retryInitial : std::min(retryDelay * 2, options.refreshInterval);
            wait = retryDelay;
        }
        AccountFeedStatus copy;
        bool changed = false;
        {
            const std::lock_guard lock(statusMutex);
            changed = status.state != state || status.lastProblem != problem;
            status.state = state;
            ++status.failures;
            status.lastProblem = problem;
            copy = status;
        }
        if (changed && callbacks.onProblem) {
            callbacks.onProblem(problem);
        }
        if (callbacks.onStatus) {
            callbacks.onStatus(copy);
        }
        schedule(*wait);
    }

    void schedule(std::chrono::milliseconds wait)
    {
        if (!running) {
            return;
        }
        timer.expires_after(wait);
        timer.async_wait([weak = weak_from_this()](boost::system::error_code error) {
            const auto self = weak.lock();
            if (!error && self) {
                self->read();
            }
        });
    }
};

AccountFeed::AccountFeed(boost::asio::io_context& io, Options options, Callbacks callbacks)
{
    if (options.venue == Venue::Generic) {
        throw std::invalid_argument("a generic account has no account reads");
    }
    if (isKeyed(options.venue) && options.credentials.empty()) {
        throw std::invalid_argument(std::string(venueName(options.venue)) + " account \"" + options.label +
                                    "\" has no API key and secret");
    }
    if (options.venue == Venue::Hyperliquid && options.walletAddress.empty()) {
        throw std::invalid_argument("Hyperliquid account \"" + options.label + "\" has no wallet address");
    }
    m_state = std::make_shared<State>(io, std::move(options), std::move(callbacks));
    m_state->client = HttpsClient::create(io, m_state->options.rest);
}

AccountFeed::~AccountFeed()
{
    stop();
}

void AccountFeed::start()
{
    boost::asio::post(m_state->io, [state = m_state] {
        if (state->running) {
            return;
        }
        state->running = true;
        state->read();
    });
}

void AccountFeed::stop()
{
    // Synchronous on the io thread (the owner's), so that no callback runs after stop().
    m_state->running = false;
    m_state->timer.cancel();
    m_state->client->close();
}

void AccountFeed::refreshNow()
{
    boost::asio::post(m_state->io, [state = m_state] { state->read(); });
}

Venue AccountFeed::venue() const
{
    return m_state->options.venue;
}

AccountFeedStatus AccountFeed::status() const
{
    const std::lock_guard lock(m_state->statusMutex);
    return m_state->status;
}

std::int64_t AccountFeed::serverNowMs() const
{
    return m_state->serverNow();
}

std::optional<Decimal> AccountFeed::contractValue(std::string_view instId) const
{
    const auto it = m_state->contractValues.find(instId);
    return it == m_state->contractValues.end() ? std::nullopt : std::optional<Decimal>(it->second);
}

} // namespace mm
