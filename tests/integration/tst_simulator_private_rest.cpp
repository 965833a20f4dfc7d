// The simulator's private (signed) REST reads as a real client sees them: requests signed with the
// venues' own signing code and sent over HttpsClient on loopback. A correctly signed request reads
// the key's account at the simulator's marks; every kind of bad request gets exactly the venue's
// error code and HTTP status; a skewed exchange refuses a client that did not measure its clock and
// accepts one that did (ServerClockOffset). The key-permission endpoints report each key's
// permissions (read back with core/venues/key_permissions.h) behind the same signature checks;
// Binance's leverage brackets and the public Bybit and OKX tier tables are the tiers the margin
// models use (read back with core/venues/tier_tables.h); Hyperliquid's clearinghouseState answers
// by wallet address.
#include "domain/account.h"
#include "margin/builtin_instruments.h"
#include "net/https_client.h"
#include "net/server_clock.h"
#include "sim/demo_portfolios.h"
#include "sim/exchange_simulator.h"
#include "sim/rest_api.h"
#include "venues/binance_usdm/binance_signing.h"
#include "venues/bybit_linear/bybit_signing.h"
#include "venues/hyperliquid/hyperliquid_account.h"
#include "venues/key_permissions.h"
#include "venues/okx_swap/okx_signing.h"
#include "venues/tier_tables.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <nlohmann/json.hpp>

#include <QtTest>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <future>
#include <thread>

using namespace mm;
namespace asio = boost::asio;
using json = nlohmann::json;

namespace {

/// What is wrong with a request (Good: nothing).
enum class Fault {
    Good,
    WrongSignature,
    Unsigned, ///< no signature at all
    UnknownKey,
    StaleTimestamp,
    FutureTimestamp,
    WrongPassphrase,
    NoReadPermission,
};

constexpr std::string_view kSecret = "sim-secret-2b5eb11e18796d12d88f13dc27dbbd02";
constexpr std::string_view kPassphrase = "correct horse";

std::string readerKey(Venue venue)
{
    return "reader-" + std::string(venueName(venue));
}
std::string blindKey(Venue venue)
{
    return "blind-" + std::string(venueName(venue));
}
/// A key that may do everything, bound to an address.
std::string fullKey(Venue venue)
{
    return "full-" + std::string(venueName(venue));
}
/// The Hyperliquid account's wallet address (the simulator matches it in any case).
constexpr std::string_view kWallet = "0x010461C14e146ac35Fe42271BDC1134EE31C703a";

std::int64_t localNowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Portfolio demoAccount(Venue venue)
{
    for (Portfolio& portfolio : sim::demoPortfolios()) {
        if (portfolio.account.venue == venue) {
            return portfolio;
        }
    }
    return {};
}

/// The positions endpoint of each venue, with the query its clients send.
std::pair<std::string, std::string> positionsEndpoint(Venue venue)
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
    return {"/api/v5/account/positions", ""};
}

std::pair<std::string, std::string> accountEndpoint(Venue venue)
{
    switch (venue) {
    case Venue::BinanceUsdm:
        return {"/fapi/v2/account", ""};
    case Venue::BybitLinear:
        return {"/v5/account/wallet-balance", "accountType=UNIFIED"};
    case Venue::OkxSwap:
    case Venue::Hyperliquid:
    case Venue::Generic:
        break;
    }
    return {"/api/v5/account/balance", ""};
}

/// A GET signed as `venue` wants it, at `timestampMs`, with the fault asked for.
HttpRequest signedGet(Venue venue, const std::string& path, std::string query, std::int64_t timestampMs, Fault fault,
                      const std::string& key = {})
{
    std::string apiKey = fault == Fault::UnknownKey ? "no-such-key" : (key.empty() ? readerKey(venue) : key);
    if (fault == Fault::NoReadPermission) {
        apiKey = blindKey(venue);
    }
    const std::string secret = fault == Fault::WrongSignature ? "not-the-secret" : std::string(kSecret);
    const std::string passphrase = fault == Fault::WrongPassphrase ? "wrong horse" : std::string(kPassphrase);
    if (fault == Fault::StaleTimestamp) {
        timestampMs -= 60'000; // older than every venue's window (OKX's is 30 s)
    } else if (fault == Fault::FutureTimestamp) {
        timestampMs += 60'000;
    }
    HttpRequest request;
    const auto dropSignature = [&](std::string_view header) {
        if (fault == Fault::Unsigned) {
            std::erase_if(request.headers, [&](const auto& field) { return field.first == header; });
        }
    };
    switch (venue) {
    case Venue::BinanceUsdm: {
        query += (query.empty() ? "" : "&") + std::string("recvWindow=5000&timestamp=") + std::to_string(timestampMs);
        request.target = path + "?" + (fault == Fault::Unsigned ? query : binance::signedQuery(query, "", secret));
        request.headers.emplace_back(std::string(binance::kApiKeyHeader), apiKey);
        break;
    }
    case Venue::BybitLinear: {
        const auto headers = bybit::signedHeaders(apiKey, secret, timestampMs, query);
        request.target = path + (query.empty() ? "" : "?" + query);
        request.headers = {{"X-BAPI-API-KEY", headers.apiKey},
                           {"X-BAPI-TIMESTAMP", headers.timestamp},
                           {"X-BAPI-RECV-WINDOW", headers.recvWindow},
                           {"X-BAPI-SIGN", headers.sign}};
        dropSignature("X-BAPI-SIGN");
        break;
    }
    case Venue::OkxSwap:
    case Venue::Hyperliquid:
    case Venue::Generic: {
        request.target = path + (query.empty() ? "" : "?" + query);
        const auto headers = okx::signedHeaders(apiKey, passphrase, secret, timestampMs, "GET", request.target, "");
        request.headers = {{"OK-ACCESS-KEY", headers.apiKey},
                           {"OK-ACCESS-PASSPHRASE", headers.passphrase},
                           {"OK-ACCESS-TIMESTAMP", headers.timestamp},
                           {"OK-ACCESS-SIGN", headers.sign}};
        dropSignature("OK-ACCESS-SIGN");
        break;
    }
    }
    return request;
}

/// The venue's error code in its answer, as text: Binance "code" (a number), Bybit "retCode",
/// OKX "code" (a string). "0" for success.
QString errorCode(Venue venue, const json& body)
{
    if (venue == Venue::BybitLinear) {
        return QString::number(body.at("retCode").get<int>());
    }
    if (venue == Venue::OkxSwap) {
        return QString::fromStdString(body.at("code").get<std::string>());
    }
    return body.is_object() && body.contains("code") ? QString::number(body.at("code").get<int>())
                                                     : QStringLiteral("0");
}

/// A simulator with a reading key and a key without read permission on each keyed venue, its
/// market still (the marks stay at the demo's), and a client on the io thread.
class Rig {
public:
    explicit Rig(std::chrono::milliseconds skew = {})
    {
        sim::SimulatorOptions options;
        options.clockSkew = skew;
        options.walk.volatilityPerSecond = 0;
        options.walk.jumpsPerSecond = 0;
        for (const Venue venue : {Venue::BinanceUsdm, Venue::BybitLinear, Venue::OkxSwap}) {
            const Portfolio account = demoAccount(venue);
            for (const Position& position : account.positions) {
                options.startPrices[position.symbol] = position.markPrice.toDouble();
                m_startMarks[position.symbol] = position.markPrice;
            }
            options.apiKeys.push_back({venue,
                                       readerKey(venue),
                                       std::string(kSecret),
                                       std::string(kPassphrase),
                                       {true, false, false},
                                       account});
            options.apiKeys.push_back({venue,
                                       blindKey(venue),
                                       std::string(kSecret),
                                       std::string(kPassphrase),
                                       {false, true, false},
                                       account});
            options.apiKeys.push_back({venue,
                                       fullKey(venue),
                                       std::string(kSecret),
                                       std::string(kPassphrase),
                                       {true, true, true, true},
                                       account});
        }
        const Portfolio wallet = demoAccount(Venue::Hyperliquid);
        for (const Position& position : wallet.positions) {
            options.startPrices[position.symbol] = position.markPrice.toDouble();
            m_startMarks[position.symbol] = position.markPrice;
        }
        options.apiKeys.push_back({Venue::Hyperliquid, std::string(kWallet), {}, {}, {}, wallet});
        m_simulator = std::make_unique<sim::ExchangeSimulator>(options);
        m_simulator->start();
        m_thread = std::thread([this] { m_io.run(); });
        std::string problem;
        const auto url = HttpUrl::parse(m_simulator->baseUrl().replace(0, 2, "http"), problem);
        if (!url) {
            throw std::runtime_error(problem);
        }
        HttpsOptions httpsOptions;
        httpsOptions.url = *url;
        m_client = HttpsClient::create(m_io, httpsOptions);
    }

    ~Rig()
    {
        m_client->close();
        m_work.reset();
        m_thread.join();
    }
    Rig(const Rig&) = delete;
    Rig& operator=(const Rig&) = delete;

    HttpResponse send(HttpRequest request)
    {
        std::promise<HttpResponse> answered;
        m_client->request(std::move(request), [&](HttpResponse response) { answered.set_value(std::move(response)); });
        return answered.get_future().get();
    }

    /// The venue's clock as a careful client measures it: three samples of its server time.
    ServerClockOffset measure(Venue venue)
    {
        ServerClockOffset clock;
        for (int i = 0; i < 3; ++i) {
            std::promise<void> answered;
            requestServerTime(*m_client, venue, [&](std::optional<ServerTimeSample> sample, const std::string&) {
                if (sample) {
                    clock.addSample(*sample);
                }
                answered.set_value();
            });
            answered.get_future().wait();
        }
        return clock;
    }

    /// The market stands still: a symbol's mark is where it started. One mark per symbol for all
    /// venues, as on the simulator (Bybit's demo BTCUSDT mark replaces Binance's).
    [[nodiscard]] Decimal markOf(const std::string& symbol) const
    {
        // (The demo's marks have no more places than the simulator prints, so none is rounded.)
        return m_startMarks.at(symbol);
    }

    /// The account at the simulator's marks.
    [[nodiscard]] Portfolio atMarks(Portfolio portfolio) const
    {
        for (Position& position : portfolio.positions) {
            position.markPrice = markOf(position.symbol);
        }
        return portfolio;
    }

private:
    std::map<std::string, Decimal> m_startMarks;
    std::unique_ptr<sim::ExchangeSimulator> m_simulator;
    asio::io_context m_io;
    asio::executor_work_guard<asio::io_context::executor_type> m_work = asio::make_work_guard(m_io);
    std::thread m_thread;
    std::shared_ptr<HttpsClient> m_client;
};

/// The positions in the venue's answer as (symbol, signed base quantity, entry, mark, unrealised PnL).
struct Seen {
    std::string symbol;
    std::string quantity; ///< negative for a short
    std::string entry;
    std::string mark;
    std::string pnl;
};

std::vector<Seen> positionsIn(Venue venue, const json& body)
{
    std::vector<Seen> seen;
    if (venue == Venue::BinanceUsdm) {
        for (const json& item : body) {
            seen.push_back({item.at("symbol"), item.at("positionAmt"), item.at("entryPrice"), item.at("markPrice"),
                            item.at("unRealizedProfit")});
        }
    } else if (venue == Venue::BybitLinear) {
        for (const json& item : body.at("result").at("list")) {
            const std::string size = item.at("size");
            seen.push_back({item.at("symbol"), item.at("side") == "Sell" ? "-" + size : size, item.at("avgPrice"),
                            item.at("markPrice"), item.at("unrealisedPnl")});
        }
    } else {
        for (const json& item : body.at("data")) {
            // pos in contracts of ctVal 0.01 (the simulator's instrument list), signed in net mode.
            const Decimal base = Decimal::parse(item.at("pos").get<std::string>()) * Decimal::parse("0.01");
            seen.push_back({item.at("instId"), base.toString(), item.at("avgPx"), item.at("markPx"), item.at("upl")});
        }
    }
    return seen;
}

} // namespace

class TestSimulatorPrivateRest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsTheAccountsPositions_data();
    void readsTheAccountsPositions();
    void readsTheAccountsBalance_data();
    void readsTheAccountsBalance();
    void refusesWithTheVenuesError_data();
    void refusesWithTheVenuesError();
    void filtersBySymbol_data();
    void filtersBySymbol();
    void timestampWindows_data();
    void timestampWindows();
    void skewedExchangeNeedsAMeasuredClock_data();
    void skewedExchangeNeedsAMeasuredClock();
    void permissionEndpointsReportTheKey_data();
    void permissionEndpointsReportTheKey();
    void permissionEndpointsCheckSignatures_data();
    void permissionEndpointsCheckSignatures();
    void leverageBracketsAreTheMarginModelsTiers();
    void leverageBracketsRefuse_data();
    void leverageBracketsRefuse();
    void publicTierTables();
    void publicTierTablesRefuseBadParameters_data();
    void publicTierTablesRefuseBadParameters();
    void clearinghouseStateByAddress();
};

void TestSimulatorPrivateRest::readsTheAccountsPositions_data()
{
    QTest::addColumn<Venue>("venue");
    for (const Venue venue : {Venue::BinanceUsdm, Venue::BybitLinear, Venue::OkxSwap}) {
        QTest::newRow(venueName(venue).data()) << venue;
    }
}

void TestSimulatorPrivateRest::readsTheAccountsPositions()
{
    QFETCH(Venue, venue);
    Rig rig;
    const auto [path, query] = positionsEndpoint(venue);
    const HttpResponse response = rig.send(signedGet(venue, path, query, localNowMs(), Fault::Good));
    QVERIFY2(response.outcome == HttpOutcome::Ok, response.body.c_str());
    QCOMPARE(response.status, 200);
    const json body = json::parse(response.body);
    QCOMPARE(errorCode(venue, body), QStringLiteral("0"));

    const Portfolio account = rig.atMarks(demoAccount(venue));
    const std::vector<Seen> seen = positionsIn(venue, body);
    QCOMPARE(seen.size(), account.positions.size());
    QVERIFY(!seen.empty());
    for (std::size_t i = 0; i < seen.size(); ++i) {
        const Position& position = account.positions[i];
        const Decimal signedQuantity = position.side == Side::Short ? -position.quantity : position.quantity;
        QCOMPARE(seen[i].symbol, position.symbol);
        QCOMPARE(seen[i].quantity, signedQuantity.toString());
        QCOMPARE(seen[i].entry, position.entryPrice.toString());
        // The market stands still: the marks are where the symbols started, and the PnL is exact.
        QCOMPARE(Decimal::parse(seen[i].mark), position.markPrice);
        QCOMPARE(seen[i].pnl, position.unrealizedPnl().toString());
    }
    if (venue == Venue::BinanceUsdm) {
        const json& first = body.at(0);
        QCOMPARE(first.at("marginType").get<std::string>(), std::string("cross"));
        QCOMPARE(body.at(2).at("marginType").get<std::string>(), std::string("isolated"));
        QVERIFY(first.at("leverage").is_string());
        // Computed by the margin model: a long's liquidation price lies below its mark.
        const double liquidation = std::stod(first.at("liquidationPrice").get<std::string>());
        QVERIFY2(liquidation > 0 && liquidation < account.positions[0].markPrice.toDouble(), first.dump().c_str());
    }
    if (venue == Venue::BybitLinear) {
        QCOMPARE(body.at("result").at("category").get<std::string>(), std::string("linear"));
        QCOMPARE(body.at("result").at("list").at(0).at("side").get<std::string>(), std::string("Sell"));
        QCOMPARE(body.at("result").at("list").at(0).at("positionIdx").get<int>(), 0);
    }
}

void TestSimulatorPrivateRest::readsTheAccountsBalance_data()
{
    QTest::addColumn<Venue>("venue");
    for (const Venue venue : {Venue::BinanceUsdm, Venue::BybitLinear, Venue::OkxSwap}) {
        QTest::newRow(venueName(venue).data()) << venue;
    }
}

void TestSimulatorPrivateRest::readsTheAccountsBalance()
{
    QFETCH(Venue, venue);
    Rig rig;
    const auto [path, query] = accountEndpoint(venue);
    const HttpResponse response = rig.send(signedGet(venue, path, query, localNowMs(), Fault::Good));
    QCOMPARE(response.status, 200);
    const json body = json::parse(response.body);
    QCOMPARE(errorCode(venue, body), QStringLiteral("0"));

    const Portfolio account = rig.atMarks(demoAccount(venue));
    Decimal pnl;
    for (const Position& position : account.positions) {
        pnl += position.unrealizedPnl();
    }
    json figures;
    std::string pnlField;
    if (venue == Venue::BinanceUsdm) {
        figures = body;
        pnlField = "totalUnrealizedProfit";
        for (const char* field : {"totalWalletBalance", "totalMarginBalance", "totalMaintMargin", "availableBalance"}) {
            QVERIFY2(figures.at(field).is_string(), field);
        }
        QCOMPARE(figures.at("assets").at(0).at("asset").get<std::string>(), std::string("USDT"));
        QVERIFY(Decimal::parse(figures.at("totalMaintMargin").get<std::string>()).isPositive());
    } else if (venue == Venue::BybitLinear) {
        figures = body.at("result").at("list").at(0);
        pnlField = "totalPerpUPL";
        for (const char* field :
             {"accountMMRate", "accountIMRate", "totalEquity", "totalMarginBalance", "totalMaintenanceMargin"}) {
            QVERIFY2(figures.at(field).is_string(), field);
        }
        QCOMPARE(figures.at("coin").at(0).at("coin").get<std::string>(), std::string("USDT"));
    } else {
        figures = body.at("data").at(0);
        pnlField = "upl";
        for (const char* field : {"totalEq", "mgnRatio", "mmr"}) {
            QVERIFY2(figures.at(field).is_string(), field);
        }
        QCOMPARE(figures.at("details").at(0).at("ccy").get<std::string>(), std::string("USDT"));
    }
    QCOMPARE(figures.at(pnlField).get<std::string>(), pnl.toString());
}

void TestSimulatorPrivateRest::refusesWithTheVenuesError_data()
{
    QTest::addColumn<Venue>("venue");
    QTest::addColumn<Fault>("fault");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    // Binance: HTTP 401 for the key, 400 for the request.
    QTest::newRow("binance wrong signature") << Venue::BinanceUsdm << Fault::WrongSignature << 400 << "-1022";
    QTest::newRow("binance unsigned") << Venue::BinanceUsdm << Fault::Unsigned << 400 << "-1102";
    QTest::newRow("binance unknown key") << Venue::BinanceUsdm << Fault::UnknownKey << 401 << "-2015";
    QTest::newRow("binance stale timestamp") << Venue::BinanceUsdm << Fault::StaleTimestamp << 400 << "-1021";
    QTest::newRow("binance future timestamp") << Venue::BinanceUsdm << Fault::FutureTimestamp << 400 << "-1021";
    QTest::newRow("binance no read permission") << Venue::BinanceUsdm << Fault::NoReadPermission << 401 << "-2015";
    // Bybit: always HTTP 200, the error in retCode.
    QTest::newRow("bybit wrong signature") << Venue::BybitLinear << Fault::WrongSignature << 200 << "10004";
    QTest::newRow("bybit unsigned") << Venue::BybitLinear << Fault::Unsigned << 200 << "10004";
    QTest::newRow("bybit unknown key") << Venue::BybitLinear << Fault::UnknownKey << 200 << "10003";
    QTest::newRow("bybit stale timestamp") << Venue::BybitLinear << Fault::StaleTimestamp << 200 << "10002";
    QTest::newRow("bybit future timestamp") << Venue::BybitLinear << Fault::FutureTimestamp << 200 << "10002";
    QTest::newRow("bybit no read permission") << Venue::BybitLinear << Fault::NoReadPermission << 200 << "10005";
    // OKX: HTTP 401 with the code as a string.
    QTest::newRow("okx wrong signature") << Venue::OkxSwap << Fault::WrongSignature << 401 << "50113";
    QTest::newRow("okx unsigned") << Venue::OkxSwap << Fault::Unsigned << 401 << "50106";
    QTest::newRow("okx unknown key") << Venue::OkxSwap << Fault::UnknownKey << 401 << "50111";
    QTest::newRow("okx stale timestamp") << Venue::OkxSwap << Fault::StaleTimestamp << 401 << "50102";
    QTest::newRow("okx future timestamp") << Venue::OkxSwap << Fault::FutureTimestamp << 401 << "50102";
    QTest::newRow("okx wrong passphrase") << Venue::OkxSwap << Fault::WrongPassphrase << 401 << "50105";
    QTest::newRow("okx no read permission") << Venue::OkxSwap << Fault::NoReadPermission << 401 << "50120";
}

void TestSimulatorPrivateRest::refusesWithTheVenuesError()
{
    QFETCH(Venue, venue);
    QFETCH(Fault, fault);
    QFETCH(int, status);
    QFETCH(QString, code);
    Rig rig;
    // Both endpoints of the venue check alike.
    for (const auto& [path, query] : {positionsEndpoint(venue), accountEndpoint(venue)}) {
        const HttpResponse response = rig.send(signedGet(venue, path, query, localNowMs(), fault));
        QCOMPARE(response.status, status);
        const json body = json::parse(response.body);
        QCOMPARE(errorCode(venue, body), code);
        if (venue == Venue::OkxSwap) {
            QVERIFY(body.at("data").empty());
        }
        // Nothing of the secret, nor the whole key, in an answer.
        QVERIFY(response.body.find(kSecret) == std::string::npos);
        QVERIFY(response.body.find(readerKey(venue)) == std::string::npos);
        QVERIFY(response.body.find(blindKey(venue)) == std::string::npos);
    }
}

void TestSimulatorPrivateRest::filtersBySymbol_data()
{
    QTest::addColumn<Venue>("venue");
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("symbol");
    QTest::newRow("binance") << Venue::BinanceUsdm << "symbol=ETHUSDT"
                             << "ETHUSDT";
    QTest::newRow("bybit") << Venue::BybitLinear << "category=linear&symbol=XRPUSDT"
                           << "XRPUSDT";
    QTest::newRow("okx") << Venue::OkxSwap << "instType=SWAP&instId=ETH-USDT-SWAP"
                         << "ETH-USDT-SWAP";
}

void TestSimulatorPrivateRest::filtersBySymbol()
{
    QFETCH(Venue, venue);
    QFETCH(QString, query);
    QFETCH(QString, symbol);
    Rig rig;
    // The query is part of what is signed (Binance: before timestamp; Bybit: the payload; OKX: the path).
    const HttpResponse response =
        rig.send(signedGet(venue, positionsEndpoint(venue).first, query.toStdString(), localNowMs(), Fault::Good));
    QCOMPARE(response.status, 200);
    const std::vector<Seen> seen = positionsIn(venue, json::parse(response.body));
    QCOMPARE(seen.size(), std::size_t(1));
    QCOMPARE(QString::fromStdString(seen[0].symbol), symbol);
}

void TestSimulatorPrivateRest::timestampWindows_data()
{
    QTest::addColumn<Venue>("venue");
    QTest::addColumn<int>("offsetMs"); // the request's timestamp minus the exchange's time
    QTest::addColumn<QString>("code");
    // Binance and Bybit: at most recvWindow (5 s) old, less than 1 s ahead.
    QTest::newRow("binance 3 s old") << Venue::BinanceUsdm << -3000 << "0";
    QTest::newRow("binance 8 s old") << Venue::BinanceUsdm << -8000 << "-1021";
    QTest::newRow("binance 2 s ahead") << Venue::BinanceUsdm << 2000 << "-1021";
    QTest::newRow("bybit 3 s old") << Venue::BybitLinear << -3000 << "0";
    QTest::newRow("bybit 8 s old") << Venue::BybitLinear << -8000 << "10002";
    QTest::newRow("bybit 2 s ahead") << Venue::BybitLinear << 2000 << "10002";
    // OKX: within 30 s either way.
    QTest::newRow("okx 20 s old") << Venue::OkxSwap << -20'000 << "0";
    QTest::newRow("okx 20 s ahead") << Venue::OkxSwap << 20'000 << "0";
    QTest::newRow("okx 35 s old") << Venue::OkxSwap << -35'000 << "50102";
}

void TestSimulatorPrivateRest::timestampWindows()
{
    QFETCH(Venue, venue);
    QFETCH(int, offsetMs);
    QFETCH(QString, code);
    Rig rig;
    const auto [path, query] = positionsEndpoint(venue);
    const HttpResponse response = rig.send(signedGet(venue, path, query, localNowMs() + offsetMs, Fault::Good));
    QCOMPARE(errorCode(venue, json::parse(response.body)), code);
}

void TestSimulatorPrivateRest::skewedExchangeNeedsAMeasuredClock_data()
{
    QTest::addColumn<Venue>("venue");
    QTest::addColumn<int>("skewMs");
    QTest::addColumn<QString>("refusal");
    // 45 s: beyond every venue's window, OKX's 30 s included.
    for (const int skew : {45'000, -45'000}) {
        const QByteArray when = skew > 0 ? " 45 s ahead" : " 45 s behind";
        QTest::newRow("binance" + when) << Venue::BinanceUsdm << skew << "-1021";
        QTest::newRow("bybit" + when) << Venue::BybitLinear << skew << "10002";
        QTest::newRow("okx" + when) << Venue::OkxSwap << skew << "50102";
    }
}

void TestSimulatorPrivateRest::skewedExchangeNeedsAMeasuredClock()
{
    QFETCH(Venue, venue);
    QFETCH(int, skewMs);
    QFETCH(QString, refusal);
    Rig rig{std::chrono::milliseconds(skewMs)};
    const auto [path, query] = positionsEndpoint(venue);

    // The client that took its own clock for the venue's is refused.
    const HttpResponse naive = rig.send(signedGet(venue, path, query, localNowMs(), Fault::Good));
    QCOMPARE(errorCode(venue, json::parse(naive.body)), refusal);

    // The one that measured the offset is not.
    const ServerClockOffset clock = rig.measure(venue);
    QVERIFY(clock.offsetMs());
    const HttpResponse measured =
        rig.send(signedGet(venue, path, query, clock.serverTimeMs(localNowMs()), Fault::Good));
    QCOMPARE(measured.status, 200);
    QCOMPARE(errorCode(venue, json::parse(measured.body)), QStringLiteral("0"));
}

std::string permissionsPath(Venue venue)
{
    switch (venue) {
    case Venue::BinanceUsdm:
        return "/sapi/v1/account/apiRestrictions";
    case Venue::BybitLinear:
        return "/v5/user/query-api";
    case Venue::OkxSwap:
    case Venue::Hyperliquid:
    case Venue::Generic:
        break;
    }
    return "/api/v5/account/config";
}

void TestSimulatorPrivateRest::permissionEndpointsReportTheKey_data()
{
    QTest::addColumn<Venue>("venue");
    QTest::addColumn<QString>("key");
    QTest::addColumn<int>("canRead"); // -1: the venue reports no such switch
    QTest::addColumn<bool>("canTrade");
    QTest::addColumn<bool>("canWithdraw");
    QTest::addColumn<bool>("ipRestricted");
    for (const Venue venue : {Venue::BinanceUsdm, Venue::BybitLinear, Venue::OkxSwap}) {
        const QByteArray name = venueName(venue).data();
        const int read = venue == Venue::BybitLinear ? -1 : 1;
        QTest::newRow(name + " read-only key")
            << venue << QString::fromStdString(readerKey(venue)) << read << false << false << false;
        QTest::newRow(name + " key that may do everything")
            << venue << QString::fromStdString(fullKey(venue)) << read << true << true << true;
    }
    // Binance and Bybit answer a key without read permission too (Bybit: "any permission can access").
    QTest::newRow("binance key that may not read")
        << Venue::BinanceUsdm << QString::fromStdString(blindKey(Venue::BinanceUsdm)) << 0 << true << false << false;
    QTest::newRow("bybit key that may not read")
        << Venue::BybitLinear << QString::fromStdString(blindKey(Venue::BybitLinear)) << -1 << true << false << false;
}

void TestSimulatorPrivateRest::permissionEndpointsReportTheKey()
{
    QFETCH(Venue, venue);
    QFETCH(QString, key);
    QFETCH(int, canRead);
    QFETCH(bool, canTrade);
    QFETCH(bool, canWithdraw);
    QFETCH(bool, ipRestricted);
    Rig rig;
    const HttpResponse response =
        rig.send(signedGet(venue, permissionsPath(venue), "", localNowMs(), Fault::Good, key.toStdString()));
    QCOMPARE(response.status, 200);
    std::string problem;
    const auto reported = parseKeyPermissions(venue, response.body, problem);
    QVERIFY2(reported, (problem + " in " + response.body).c_str());
    QCOMPARE(reported->canRead, canRead < 0 ? std::nullopt : std::optional(canRead == 1));
    QCOMPARE(reported->canTrade, std::optional(canTrade));
    QCOMPARE(reported->canWithdraw, std::optional(canWithdraw));
    QCOMPARE(reported->ipRestricted, std::optional(ipRestricted));
    // Bybit echoes the key; the simulator only its first characters. Never the secret.
    QVERIFY(response.body.find(key.toStdString()) == std::string::npos);
    QVERIFY(response.body.find(kSecret) == std::string::npos);
}

void TestSimulatorPrivateRest::permissionEndpointsCheckSignatures_data()
{
    QTest::addColumn<Venue>("venue");
    QTest::addColumn<Fault>("fault");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::newRow("binance wrong signature") << Venue::BinanceUsdm << Fault::WrongSignature << 400 << "-1022";
    QTest::newRow("binance unsigned") << Venue::BinanceUsdm << Fault::Unsigned << 400 << "-1102";
    QTest::newRow("binance unknown key") << Venue::BinanceUsdm << Fault::UnknownKey << 401 << "-2015";
    QTest::newRow("binance stale timestamp") << Venue::BinanceUsdm << Fault::StaleTimestamp << 400 << "-1021";
    QTest::newRow("bybit wrong signature") << Venue::BybitLinear << Fault::WrongSignature << 200 << "10004";
    QTest::newRow("bybit unknown key") << Venue::BybitLinear << Fault::UnknownKey << 200 << "10003";
    QTest::newRow("bybit future timestamp") << Venue::BybitLinear << Fault::FutureTimestamp << 200 << "10002";
    QTest::newRow("okx wrong signature") << Venue::OkxSwap << Fault::WrongSignature << 401 << "50113";
    QTest::newRow("okx unknown key") << Venue::OkxSwap << Fault::UnknownKey << 401 << "50111";
    QTest::newRow("okx wrong passphrase") << Venue::OkxSwap << Fault::WrongPassphrase << 401 << "50105";
    QTest::newRow("okx stale timestamp") << Venue::OkxSwap << Fault::StaleTimestamp << 401 << "50102";
    // OKX's account configuration needs the read permission.
    QTest::newRow("okx no read permission") << Venue::OkxSwap << Fault::NoReadPermission << 401 << "50120";
}

void TestSimulatorPrivateRest::permissionEndpointsCheckSignatures()
{
    QFETCH(Venue, venue);
    QFETCH(Fault, fault);
    QFETCH(int, status);
    QFETCH(QString, code);
    Rig rig;
    const HttpResponse response = rig.send(signedGet(venue, permissionsPath(venue), "", localNowMs(), fault));
    QCOMPARE(response.status, status);
    QCOMPARE(errorCode(venue, json::parse(response.body)), code);
    QVERIFY(response.body.find(kSecret) == std::string::npos);
    QVERIFY(response.body.find(readerKey(venue)) == std::string::npos);
}

void TestSimulatorPrivateRest::leverageBracketsAreTheMarginModelsTiers()
{
    Rig rig;
    const HttpResponse all =
        rig.send(signedGet(Venue::BinanceUsdm, "/fapi/v1/leverageBracket", "", localNowMs(), Fault::Good));
    QCOMPARE(all.status, 200);
    const json body = json::parse(all.body);
    QVERIFY(body.is_array());
    // Numbers, not strings, as Binance sends them.
    const json& bracket = body.at(0).at("brackets").at(0);
    for (const char* field :
         {"bracket", "initialLeverage", "notionalCap", "notionalFloor", "maintMarginRatio", "cum"}) {
        QVERIFY2(bracket.at(field).is_number(), field);
    }
    std::string problem;
    const auto tables = parseBinanceLeverageBrackets(all.body, problem);
    QVERIFY2(tables, problem.c_str());
    // BTCUSDT and ETHUSDT: the published tables the margin model values the demo positions with.
    for (const char* symbol : {"BTCUSDT", "ETHUSDT"}) {
        const auto published = publishedInstrument(Venue::BinanceUsdm, symbol);
        const std::vector<RiskTier>& read = tables->at(symbol);
        QCOMPARE(read.size(), published->riskTiers.size());
        for (std::size_t i = 0; i < read.size(); ++i) {
            QCOMPARE(read[i].floor, published->riskTiers[i].floor);
            QCOMPARE(read[i].cap, published->riskTiers[i].cap);
            QCOMPARE(read[i].maintenanceMarginRate, published->riskTiers[i].maintenanceMarginRate);
            QCOMPARE(read[i].maintenanceAmount, published->riskTiers[i].maintenanceAmount);
            QCOMPARE(read[i].maxLeverage, published->riskTiers[i].maxLeverage);
        }
    }
    // SOLUSDT: the demo position's own rate (1 %, no amount), as its instrument has it.
    const std::vector<RiskTier>& sol = tables->at("SOLUSDT");
    QCOMPARE(sol.size(), 1u);
    QCOMPARE(sol[0].maintenanceMarginRate, Decimal::parse("0.01"));
    QCOMPARE(sol[0].maxLeverage, 50); // 1 / (2 × 1 %)

    // One symbol: an object.
    const HttpResponse one = rig.send(
        signedGet(Venue::BinanceUsdm, "/fapi/v1/leverageBracket", "symbol=BTCUSDT", localNowMs(), Fault::Good));
    QCOMPARE(one.status, 200);
    QVERIFY(json::parse(one.body).is_object());
    const auto btc = parseBinanceLeverageBrackets(one.body, problem);
    QVERIFY2(btc, problem.c_str());
    QCOMPARE(btc->size(), 1u);
    QCOMPARE(btc->at("BTCUSDT").size(), tables->at("BTCUSDT").size());
}

void TestSimulatorPrivateRest::leverageBracketsRefuse_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<Fault>("fault");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::newRow("wrong signature") << "" << Fault::WrongSignature << 400 << "-1022";
    QTest::newRow("unsigned") << "" << Fault::Unsigned << 400 << "-1102";
    QTest::newRow("unknown key") << "" << Fault::UnknownKey << 401 << "-2015";
    QTest::newRow("no read permission") << "" << Fault::NoReadPermission << 401 << "-2015";
    QTest::newRow("future timestamp") << "" << Fault::FutureTimestamp << 400 << "-1021";
    QTest::newRow("invalid symbol") << "symbol=btc" << Fault::Good << 400 << "-1121";
}

void TestSimulatorPrivateRest::leverageBracketsRefuse()
{
    QFETCH(QString, query);
    QFETCH(Fault, fault);
    QFETCH(int, status);
    QFETCH(QString, code);
    Rig rig;
    const HttpResponse response =
        rig.send(signedGet(Venue::BinanceUsdm, "/fapi/v1/leverageBracket", query.toStdString(), localNowMs(), fault));
    QCOMPARE(response.status, status);
    QCOMPARE(errorCode(Venue::BinanceUsdm, json::parse(response.body)), code);
}

void TestSimulatorPrivateRest::publicTierTables()
{
    Rig rig;
    HttpRequest request;
    // Bybit: the published BTCUSDT table (deductions as given, "" on the first tier).
    request.target = "/v5/market/risk-limit?category=linear&symbol=BTCUSDT";
    HttpResponse response = rig.send(request);
    QCOMPARE(response.status, 200);
    std::string problem;
    auto tables = parseBybitRiskLimits(response.body, problem);
    QVERIFY2(tables, problem.c_str());
    QCOMPARE(tables->size(), 1u);
    const auto bybitBtc = publishedInstrument(Venue::BybitLinear, "BTCUSDT");
    QCOMPARE(tables->at("BTCUSDT").size(), bybitBtc->riskTiers.size());
    QCOMPARE(tables->at("BTCUSDT").back().maintenanceAmount, bybitBtc->riskTiers.back().maintenanceAmount);
    QCOMPARE(json::parse(response.body).at("result").at("list").at(0).at("mmDeduction").get<std::string>(),
             std::string());
    // Without a symbol: every listed one, sound tables all.
    request.target = "/v5/market/risk-limit?category=linear";
    response = rig.send(request);
    tables = parseBybitRiskLimits(response.body, problem);
    QVERIFY2(tables, problem.c_str());
    QVERIFY(tables->size() >= 3);
    QCOMPARE(tables->at("XRPUSDT").size(), sim::simulatedRiskTiers(Venue::BybitLinear, "XRPUSDT").size());

    // OKX: the simulator's table, in contracts, per family.
    request.target = "/api/v5/public/position-tiers?instType=SWAP&tdMode=cross&instFamily=BTC-USDT,ETH-USDT";
    response = rig.send(request);
    QCOMPARE(response.status, 200);
    tables = parseOkxPositionTiers(response.body, problem);
    QVERIFY2(tables, problem.c_str());
    QCOMPARE(tables->size(), 2u);
    const std::vector<RiskTier> expected = sim::simulatedRiskTiers(Venue::OkxSwap, "BTC-USDT");
    const std::vector<RiskTier>& read = tables->at("BTC-USDT");
    QCOMPARE(read.size(), expected.size());
    for (std::size_t i = 0; i < read.size(); ++i) {
        QCOMPARE(read[i].floor, expected[i].floor);
        QCOMPARE(read[i].cap, expected[i].cap);
        QCOMPARE(read[i].maintenanceMarginRate, expected[i].maintenanceMarginRate);
        QCOMPARE(read[i].maxLeverage, expected[i].maxLeverage);
    }
    request.target = "/api/v5/public/position-tiers?instType=SWAP&tdMode=cross&instFamily=BTC-USDT&tier=2";
    tables = parseOkxPositionTiers(rig.send(request).body, problem);
    QVERIFY2(tables, problem.c_str());
    QCOMPARE(tables->at("BTC-USDT").size(), 1u);
    QCOMPARE(tables->at("BTC-USDT")[0].number, 2);
}

void TestSimulatorPrivateRest::publicTierTablesRefuseBadParameters_data()
{
    QTest::addColumn<Venue>("venue");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("code");
    QTest::newRow("bybit inverse") << Venue::BybitLinear << "/v5/market/risk-limit?category=inverse"
                                   << "10001";
    QTest::newRow("bybit no category") << Venue::BybitLinear << "/v5/market/risk-limit?symbol=BTCUSDT"
                                       << "10001";
    QTest::newRow("bybit odd symbol") << Venue::BybitLinear << "/v5/market/risk-limit?category=linear&symbol=btc"
                                      << "10001";
    QTest::newRow("okx no family") << Venue::OkxSwap << "/api/v5/public/position-tiers?instType=SWAP&tdMode=cross"
                                   << "50014";
    QTest::newRow("okx futures") << Venue::OkxSwap
                                 << "/api/v5/public/position-tiers?instType=FUTURES&tdMode=cross&instFamily=BTC-USDT"
                                 << "51000";
    QTest::newRow("okx no mode") << Venue::OkxSwap << "/api/v5/public/position-tiers?instType=SWAP&instFamily=BTC-USDT"
                                 << "51000";
    QTest::newRow("okx odd family") << Venue::OkxSwap
                                    << "/api/v5/public/position-tiers?instType=SWAP&tdMode=cross&instFamily=BTC"
                                    << "51000";
}

void TestSimulatorPrivateRest::publicTierTablesRefuseBadParameters()
{
    QFETCH(Venue, venue);
    QFETCH(QString, target);
    QFETCH(QString, code);
    Rig rig;
    HttpRequest request;
    request.target = target.toStdString();
    const HttpResponse response = rig.send(request);
    QCOMPARE(errorCode(venue, json::parse(response.body)), code);
}

void TestSimulatorPrivateRest::clearinghouseStateByAddress()
{
    Rig rig;
    const auto post = [&](const json& body) {
        HttpRequest request;
        request.method = HttpMethod::Post;
        request.target = "/info";
        request.body = body.dump();
        return rig.send(std::move(request));
    };
    // The address in another case: Hyperliquid addresses are hex, case-blind.
    std::string lower(kWallet);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    HttpResponse response = post({{"type", "clearinghouseState"}, {"user", lower}});
    QCOMPARE(response.status, 200);
    std::string problem;
    const auto snapshot = parseHyperliquidClearinghouseState(response.body, problem);
    QVERIFY2(snapshot, (problem + " in " + response.body).c_str());
    const Portfolio account = rig.atMarks(demoAccount(Venue::Hyperliquid));
    QCOMPARE(snapshot->positions.size(), account.positions.size());
    Decimal pnl;
    for (std::size_t i = 0; i < account.positions.size(); ++i) {
        const Position& expected = account.positions[i];
        const Position& seen = snapshot->positions[i].position;
        QCOMPARE(seen.symbol, expected.symbol);
        QCOMPARE(seen.side, expected.side);
        QCOMPARE(seen.quantity, expected.quantity);
        QCOMPARE(seen.entryPrice, expected.entryPrice);
        QCOMPARE(seen.markPrice, expected.markPrice); // valued at the simulator's marks
        QCOMPARE(seen.marginMode, expected.marginMode);
        QCOMPARE(snapshot->positions[i].unrealizedPnl, std::optional(expected.unrealizedPnl()));
        pnl += expected.unrealizedPnl();
    }
    QCOMPARE(snapshot->balances.walletBalance, account.account.walletBalance);
    QCOMPARE(snapshot->balances.marginBalance, std::optional(account.account.walletBalance + pnl));
    const json body = json::parse(response.body);
    QVERIFY(body.at("crossMarginSummary").is_object());
    QVERIFY(body.at("time").is_number_integer());

    // An address with nothing: Hyperliquid's empty state, not an error.
    response = post({{"type", "clearinghouseState"}, {"user", "0x0000000000000000000000000000000000000001"}});
    QCOMPARE(response.status, 200);
    const auto empty = parseHyperliquidClearinghouseState(response.body, problem);
    QVERIFY2(empty, problem.c_str());
    QVERIFY(empty->positions.empty());
    QCOMPARE(json::parse(response.body).at("marginSummary").at("accountValue").get<std::string>(), std::string("0.0"));

    // Not an address.
    QCOMPARE(post({{"type", "clearinghouseState"}, {"user", "alice"}}).status, 422);
    QCOMPARE(post({{"type", "clearinghouseState"}}).status, 422);
    // Other request types are still the public endpoints'.
    response = post({{"type", "meta"}});
    QCOMPARE(response.status, 200);
    QVERIFY(json::parse(response.body).contains("universe"));
}

QTEST_APPLESS_MAIN(TestSimulatorPrivateRest)
#include "tst_simulator_private_rest.moc"
