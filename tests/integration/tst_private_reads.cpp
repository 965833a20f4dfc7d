// The account parsers against the simulator's signed private reads, as a real client does it:
// requests signed with the venues' signing code, sent over HttpsClient on loopback, the answers read
// by core/venues/*_account.h. The snapshot must be the portfolio the simulator was given: symbols,
// sides, quantities (OKX's contracts converted back with ctVal), entries, marks, margin modes.
#include "domain/account.h"
#include "net/https_client.h"
#include "net/signed_request.h"
#include "sim/demo_portfolios.h"
#include "sim/exchange_simulator.h"
#include "venues/binance_usdm/binance_account.h"
#include "venues/bybit_linear/bybit_account.h"
#include "venues/okx_swap/okx_account.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <QtTest>

#include <chrono>
#include <future>
#include <map>
#include <thread>

using namespace mm;
namespace asio = boost::asio;

Q_DECLARE_METATYPE(mm::Venue)

namespace {

constexpr std::string_view kSecret = "sim-secret-for-private-reads-0123456789";
constexpr std::string_view kPassphrase = "correct horse";

std::string readerKey(Venue venue)
{
    return "reader-" + std::string(venueName(venue));
}

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

/// A GET signed as `venue` wants it (net/signed_request.h: what the app sends).
HttpRequest signedGet(Venue venue, const std::string& path, const std::string& query)
{
    const ApiCredentials credentials{readerKey(venue), std::string(kSecret), std::string(kPassphrase)};
    return signedRequest(venue, HttpMethod::Get, path, query, "", credentials, localNowMs());
}

/// A simulator with a reading key on each keyed venue, its market standing still at the demo
/// accounts' marks, and a client on an io thread.
class Rig {
public:
    Rig()
    {
        sim::SimulatorOptions options;
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
        }
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

    /// One mark per symbol for all venues, as on the simulator.
    [[nodiscard]] Decimal markOf(const std::string& symbol) const { return m_startMarks.at(symbol); }

private:
    std::map<std::string, Decimal> m_startMarks;
    std::unique_ptr<sim::ExchangeSimulator> m_simulator;
    asio::io_context m_io;
    asio::executor_work_guard<asio::io_context::executor_type> m_work = asio::make_work_guard(m_io);
    std::thread m_thread;
    std::shared_ptr<HttpsClient> m_client;
};

/// The simulator's instrument list gives every OKX swap ctVal "0.01" (sim/rest_api.cpp).
std::optional<Decimal> simulatorContractValue(std::string_view instId)
{
    return instId.ends_with("-SWAP") ? std::optional(Decimal::parse("0.01")) : std::nullopt;
}

std::optional<AccountSnapshot> readAccount(Rig& rig, Venue venue, std::string& problem)
{
    switch (venue) {
    case Venue::BinanceUsdm: {
        const auto positions = rig.send(signedGet(venue, "/fapi/v2/positionRisk", ""));
        const auto account = rig.send(signedGet(venue, "/fapi/v2/account", ""));
        return parseBinanceAccountSnapshot(positions.body, account.body, problem);
    }
    case Venue::BybitLinear: {
        const auto positions = rig.send(signedGet(venue, "/v5/position/list", "category=linear&settleCoin=USDT"));
        const auto wallet = rig.send(signedGet(venue, "/v5/account/wallet-balance", "accountType=UNIFIED"));
        return parseBybitAccountSnapshot(positions.body, wallet.body, problem);
    }
    case Venue::OkxSwap:
    case Venue::Hyperliquid:
    case Venue::Generic:
        break;
    }
    const auto positions = rig.send(signedGet(venue, "/api/v5/account/positions", ""));
    const auto balance = rig.send(signedGet(venue, "/api/v5/account/balance", ""));
    return parseOkxAccountSnapshot(positions.body, balance.body, simulatorContractValue, problem);
}

} // namespace

class TestPrivateReads : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { m_rig = std::make_unique<Rig>(); }
    void cleanupTestCase() { m_rig.reset(); }
    void snapshotIsTheSimulatedPortfolio_data();
    void snapshotIsTheSimulatedPortfolio();
    void refusedReadIsAProblem();

private:
    std::unique_ptr<Rig> m_rig;
};

void TestPrivateReads::snapshotIsTheSimulatedPortfolio_data()
{
    QTest::addColumn<Venue>("venue");
    for (const Venue venue : {Venue::BinanceUsdm, Venue::BybitLinear, Venue::OkxSwap}) {
        QTest::newRow(venueName(venue).data()) << venue;
    }
}

void TestPrivateReads::snapshotIsTheSimulatedPortfolio()
{
    QFETCH(Venue, venue);
    const Portfolio given = demoAccount(venue);
    QVERIFY(!given.positions.empty());

    std::string problem;
    const auto snapshot = readAccount(*m_rig, venue, problem);
    QVERIFY2(snapshot, problem.c_str());
    QCOMPARE(snapshot->venue, venue);
    QCOMPARE(snapshot->positions.size(), given.positions.size());

    Decimal maintenance;
    for (std::size_t i = 0; i < given.positions.size(); ++i) {
        const Position& want = given.positions[i];
        const SnapshotPosition& got = snapshot->positions[i]; // the simulator answers in portfolio order
        QCOMPARE(got.position.symbol, want.symbol);
        QCOMPARE(got.position.side, want.side);
        QCOMPARE(got.position.quantity, want.quantity);
        QCOMPARE(got.position.entryPrice, want.entryPrice);
        QCOMPARE(got.position.markPrice, m_rig->markOf(want.symbol));
        QCOMPARE(got.position.positionSide, want.positionSide);
        if (want.leverage) {
            QCOMPARE(got.position.leverage, want.leverage);
        }
        // Bybit says it with tradeMode (1: isolated, its margin in positionBalance), as classic
        // and UTA 1.0 accounts do.
        QCOMPARE(got.position.marginMode, want.marginMode);
        if (want.marginMode == MarginMode::Isolated) {
            QVERIFY(got.position.isolatedMargin);
            if (want.isolatedMargin) {
                QCOMPARE(got.position.isolatedMargin, want.isolatedMargin);
            }
        }
        QVERIFY(got.unrealizedPnl);
        QCOMPARE(*got.unrealizedPnl, got.position.unrealizedPnl());
        maintenance += got.exchangeMaintenanceMargin.value_or(Decimal());
    }
    // The snapshot's wallet is what the cross positions share: the portfolio's walletBalance on every
    // venue (Binance's totalWalletBalance also holds the isolated wallets: its cross wallet is read).
    QCOMPARE(snapshot->balances.walletBalance, given.account.walletBalance);
    QVERIFY(snapshot->balances.marginBalance);
    QVERIFY(snapshot->balances.maintenanceMargin);
    if (venue != Venue::BinanceUsdm) { // Binance v2 rows carry no per-position maintenance margin
        QCOMPARE(*snapshot->balances.maintenanceMargin, maintenance);
    }
}

void TestPrivateReads::refusedReadIsAProblem()
{
    // Signed with the wrong secret: each venue's error answer, read as a problem naming its code.
    HttpRequest request = signedGet(Venue::BinanceUsdm, "/fapi/v2/positionRisk", "");
    request.target.back() = request.target.back() == '0' ? '1' : '0'; // spoil the signature
    const auto answer = m_rig->send(std::move(request));
    std::string problem;
    QVERIFY(!parseBinancePositionRisk(answer.body, problem));
    QVERIFY2(problem.starts_with("Binance error -"), problem.c_str());
}

QTEST_GUILESS_MAIN(TestPrivateReads)
#include "tst_private_reads.moc"
