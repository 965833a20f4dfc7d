// Reduce-only market orders end to end: VenueOrderGateway (net/venue_order_gateway.h) signing with a
// trade key and sending over verified TLS on loopback to the simulator's order endpoints
// (sim/order_api.h), for Binance, Bybit and OKX. A sell on a long fills at mark − slippage and the
// position read back is smaller; a reused client order id is Duplicate; a look-up finds the order,
// and NotFound for an id never used; a key without trade permission is refused in the venue's
// words; an order larger than the position never flips it; a 503 after the fill and an answer that
// never comes are Unknown, the look-up then finds it Filled, and the simulator received exactly one
// order; Hyperliquid is refused without a request.
#include "net/venue_order_gateway.h"
#include "sim/exchange_simulator.h"
#include "sim/throwaway_certificates.h"
#include "venues/binance_usdm/binance_account.h"
#include "venues/bybit_linear/bybit_account.h"
#include "venues/okx_swap/okx_account.h"
#include "venues/order_protocol.h"

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

constexpr std::string_view kSecret = "sim-secret-orders-7f3a";
constexpr std::string_view kPassphrase = "correct horse";

std::string traderKey(Venue venue)
{
    return "trader-" + std::string(venueName(venue));
}
std::string readerKey(Venue venue)
{
    return "reader-" + std::string(venueName(venue));
}

/// The venue's name for a coin's USDT perpetual.
std::string symbolOf(Venue venue, const std::string& coin)
{
    return venue == Venue::OkxSwap ? coin + "-USDT-SWAP" : coin + "USDT";
}

const std::map<std::string, double> kMarks{{"BTC", 64000}, {"ETH", 3000}, {"SOL", 150}, {"ADA", 250}};

Decimal markOf(const std::string& coin)
{
    return Decimal::fromInteger(static_cast<std::int64_t>(kMarks.at(coin)));
}

/// A long of `quantity` on each coin, entered at 95 % of its mark.
Portfolio account(Venue venue)
{
    Portfolio portfolio;
    portfolio.account.venue = venue;
    portfolio.account.walletBalance = Decimal::fromInteger(100'000);
    for (const auto& [coin, mark] : kMarks) {
        Position position;
        position.symbol = symbolOf(venue, coin);
        position.side = Side::Long;
        position.quantity = Decimal::fromInteger(1);
        position.entryPrice = markOf(coin) * Decimal::parse("0.95");
        position.markPrice = markOf(coin);
        position.leverage = Decimal::fromInteger(5);
        portfolio.positions.push_back(position);
    }
    return portfolio;
}

std::optional<Decimal> contractValue(std::string_view instId)
{
    return instId.ends_with("-SWAP") ? std::optional(Decimal::parse("0.01")) : std::nullopt;
}

OrderRequest sell(Venue venue, const std::string& coin, const std::string& quantity, std::string clientOrderId)
{
    OrderRequest request;
    request.venue = venue;
    request.symbol = symbolOf(venue, coin);
    request.side = Side::Short;
    request.quantity = Decimal::parse(quantity);
    request.clientOrderId = std::move(clientOrderId);
    return request;
}

std::int64_t localNowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// The simulator on loopback with TLS from a throw-away CA, a trading and a reading key per keyed
/// venue, its market standing still; clients on an io thread.
class Rig {
public:
    Rig()
    {
        const sim::ThrowawayCertificates certificates = sim::ThrowawayCertificates::make();
        sim::SimulatorOptions options;
        options.certificatePem = certificates.serverCertificatePem;
        options.privateKeyPem = certificates.serverKeyPem;
        options.walk.volatilityPerSecond = 0;
        options.walk.jumpsPerSecond = 0;
        options.orders.slippage = Decimal::parse("0.001");
        for (const Venue venue : {Venue::BinanceUsdm, Venue::BybitLinear, Venue::OkxSwap}) {
            for (const auto& [coin, mark] : kMarks) {
                options.startPrices[symbolOf(venue, coin)] = mark;
            }
            options.apiKeys.push_back({venue, traderKey(venue), std::string(kSecret), std::string(kPassphrase),
                                       {true, true, false, false}, account(venue)});
            options.apiKeys.push_back({venue, readerKey(venue), std::string(kSecret), std::string(kPassphrase),
                                       {true, false, false, false}, account(venue)});
        }
        m_simulator = std::make_unique<sim::ExchangeSimulator>(options);
        m_simulator->start();
        std::string problem;
        const auto url = HttpUrl::parse("https://127.0.0.1:" + std::to_string(m_simulator->port()), problem);
        if (!url) {
            throw std::runtime_error(problem);
        }
        m_rest.url = *url;
        m_rest.trust.caPem = certificates.authorityPem;
        m_thread = std::thread([this] { m_io.run(); });
        m_reader = HttpsClient::create(m_io, m_rest);
    }
    ~Rig()
    {
        m_gateways.clear();
        m_reader->close();
        m_work.reset();
        m_thread.join();
    }
    Rig(const Rig&) = delete;
    Rig& operator=(const Rig&) = delete;

    sim::ExchangeSimulator& simulator() { return *m_simulator; }

    VenueOrderGateway& gateway(Venue venue, const std::string& key, std::chrono::milliseconds timeout = std::chrono::seconds(5))
    {
        VenueOrderGateway::Options options;
        options.venue = venue;
        options.rest = m_rest;
        options.credentials = {key, std::string(kSecret), std::string(kPassphrase)};
        options.requestTimeout = timeout;
        options.contractValue = contractValue;
        m_gateways.push_back(std::make_unique<VenueOrderGateway>(m_io, options));
        return *m_gateways.back();
    }

    static OrderOutcome wait(const std::function<void(std::function<void(const OrderOutcome&)>)>& call)
    {
        auto answered = std::make_shared<std::promise<OrderOutcome>>();
        call([answered](const OrderOutcome& outcome) { answered->set_value(outcome); });
        auto future = answered->get_future();
        if (future.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
            throw std::runtime_error("no outcome within 30 s");
        }
        return future.get();
    }

    /// The key's position in `symbol` as the venue's position read reports it: signed (short < 0), 0 for none.
    Decimal position(Venue venue, const std::string& key, const std::string& symbol)
    {
        const ApiCredentials credentials{key, std::string(kSecret), std::string(kPassphrase)};
        const std::string path = venue == Venue::BinanceUsdm   ? "/fapi/v2/positionRisk"
                                 : venue == Venue::BybitLinear ? "/v5/position/list"
                                                               : "/api/v5/account/positions";
        const std::string query = venue == Venue::BybitLinear ? "category=linear&settleCoin=USDT" : "";
        std::promise<HttpResponse> answered;
        m_reader->request(signedRequest(venue, HttpMethod::Get, path, query, "", credentials, localNowMs()),
                          [&](HttpResponse response) { answered.set_value(std::move(response)); });
        const HttpResponse response = answered.get_future().get();
        std::string problem;
        std::optional<std::vector<SnapshotPosition>> positions;
        switch (venue) {
        case Venue::BinanceUsdm:
            positions = parseBinancePositionRisk(response.body, problem);
            break;
        case Venue::BybitLinear:
            positions = parseBybitPositionList(response.body, problem);
            break;
        default:
            positions = parseOkxPositions(response.body, contractValue, problem);
            break;
        }
        if (!positions) {
            throw std::runtime_error("position read failed: " + problem);
        }
        for (const SnapshotPosition& held : *positions) {
            if (held.position.symbol == symbol) {
                return held.position.side == Side::Long ? held.position.quantity : -held.position.quantity;
            }
        }
        return {};
    }

private:
    std::unique_ptr<sim::ExchangeSimulator> m_simulator;
    HttpsOptions m_rest;
    asio::io_context m_io;
    asio::executor_work_guard<asio::io_context::executor_type> m_work = asio::make_work_guard(m_io);
    std::thread m_thread;
    std::shared_ptr<HttpsClient> m_reader;
    std::vector<std::unique_ptr<VenueOrderGateway>> m_gateways;
};

/// How many orders with that client order id reached the simulator's `venue`.
std::size_t ordersWithId(const std::vector<sim::SimulatedOrder>& orders, Venue venue, const std::string& clientOrderId)
{
    return static_cast<std::size_t>(std::count_if(orders.begin(), orders.end(), [&](const sim::SimulatedOrder& order) {
        return order.venue == venue && order.clientOrderId == clientOrderId;
    }));
}

} // namespace

class TestSimulatorOrders : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { m_rig = std::make_unique<Rig>(); }
    void cleanupTestCase() { m_rig.reset(); }

    void venues_data()
    {
        QTest::addColumn<Venue>("venue");
        QTest::newRow("binance") << Venue::BinanceUsdm;
        QTest::newRow("bybit") << Venue::BybitLinear;
        QTest::newRow("okx") << Venue::OkxSwap;
    }

    /// Fill, duplicate, look-up, unknown id: on BTC.
    void fillDuplicateLookup_data() { venues_data(); }
    void fillDuplicateLookup()
    {
        QFETCH(Venue, venue);
        VenueOrderGateway& gateway = m_rig->gateway(venue, traderKey(venue));
        const OrderRequest request = sell(venue, "BTC", "0.25", makeClientOrderId("mm", 7, 1));
        const OrderOutcome filled = Rig::wait([&](auto done) { gateway.place(request, done); });
        QVERIFY2(filled.status == OrderOutcome::Status::Filled, filled.message.c_str());
        QCOMPARE(filled.filledQuantity, Decimal::parse("0.25"));
        QVERIFY(filled.averagePrice);
        QCOMPARE(*filled.averagePrice, markOf("BTC") * Decimal::parse("0.999")); // a sell fills below the mark
        QVERIFY(!filled.venueOrderId.empty());
        QCOMPARE(m_rig->position(venue, traderKey(venue), request.symbol), Decimal::parse("0.75"));

        const OrderOutcome again = Rig::wait([&](auto done) { gateway.place(request, done); });
        QVERIFY2(again.status == OrderOutcome::Status::Duplicate, again.message.c_str());
        QCOMPARE(m_rig->position(venue, traderKey(venue), request.symbol), Decimal::parse("0.75"));

        const OrderOutcome found = Rig::wait([&](auto done) { gateway.lookup(request, done); });
        QVERIFY2(found.status == OrderOutcome::Status::Filled, found.message.c_str());
        QCOMPARE(found.filledQuantity, Decimal::parse("0.25"));
        QCOMPARE(found.venueOrderId, filled.venueOrderId);

        const OrderRequest never = sell(venue, "BTC", "0.25", makeClientOrderId("mm", 7, 999));
        const OrderOutcome missing = Rig::wait([&](auto done) { gateway.lookup(never, done); });
        QVERIFY2(missing.status == OrderOutcome::Status::NotFound, missing.message.c_str());
    }

    void withoutTradePermission_data() { venues_data(); }
    void withoutTradePermission()
    {
        QFETCH(Venue, venue);
        VenueOrderGateway& gateway = m_rig->gateway(venue, readerKey(venue));
        const OrderRequest request = sell(venue, "BTC", "0.1", makeClientOrderId("mm", 8, 1));
        const OrderOutcome refused = Rig::wait([&](auto done) { gateway.place(request, done); });
        QVERIFY2(refused.status == OrderOutcome::Status::Rejected, refused.message.c_str());
        const std::string code = venue == Venue::BinanceUsdm ? "-2015" : (venue == Venue::BybitLinear ? "10005" : "50120");
        QCOMPARE(refused.venueCode, code);
        QVERIFY2(refused.message.find(code) != std::string::npos, refused.message.c_str());
        QCOMPARE(m_rig->position(venue, readerKey(venue), request.symbol), Decimal::fromInteger(1));
    }

    /// Binance refuses a reduce-only order larger than the position (-2022); Bybit and OKX fill the
    /// position and no more. Never a flip.
    void largerThanPosition_data() { venues_data(); }
    void largerThanPosition()
    {
        QFETCH(Venue, venue);
        VenueOrderGateway& gateway = m_rig->gateway(venue, traderKey(venue));
        const OrderRequest request = sell(venue, "ETH", "5", makeClientOrderId("mm", 9, 1));
        const OrderOutcome outcome = Rig::wait([&](auto done) { gateway.place(request, done); });
        const Decimal after = m_rig->position(venue, traderKey(venue), request.symbol);
        QVERIFY2(!after.isNegative(), after.toString().c_str());
        if (venue == Venue::BinanceUsdm) {
            QVERIFY2(outcome.status == OrderOutcome::Status::Rejected, outcome.message.c_str());
            QCOMPARE(outcome.venueCode, std::string("-2022"));
            QCOMPARE(after, Decimal::fromInteger(1));
        } else {
            QVERIFY2(outcome.status == OrderOutcome::Status::PartiallyFilled, outcome.message.c_str());
            QCOMPARE(outcome.filledQuantity, Decimal::fromInteger(1));
            QCOMPARE(after, Decimal());
            // Nothing left to reduce: refused, still no flip.
            const OrderRequest more = sell(venue, "ETH", "1", makeClientOrderId("mm", 9, 2));
            const OrderOutcome nothing = Rig::wait([&](auto done) { gateway.place(more, done); });
            QVERIFY2(nothing.status == OrderOutcome::Status::Rejected, nothing.message.c_str());
            QCOMPARE(m_rig->position(venue, traderKey(venue), request.symbol), Decimal());
        }
    }

    /// Binance's real ambiguity: filled, then 503. Unknown; the look-up finds it; one order only.
    void unavailableAfterFill_data() { venues_data(); }
    void unavailableAfterFill()
    {
        QFETCH(Venue, venue);
        VenueOrderGateway& gateway = m_rig->gateway(venue, traderKey(venue));
        const OrderRequest request = sell(venue, "SOL", "0.5", makeClientOrderId("mm", 10, 1));
        m_rig->simulator().failNextOrders(venue, sim::OrderFault::Http503);
        const OrderOutcome unknown = Rig::wait([&](auto done) { gateway.place(request, done); });
        QVERIFY2(unknown.status == OrderOutcome::Status::Unknown, unknown.message.c_str());
        const OrderOutcome found = Rig::wait([&](auto done) { gateway.lookup(request, done); });
        QVERIFY2(found.status == OrderOutcome::Status::Filled, found.message.c_str());
        QCOMPARE(found.filledQuantity, Decimal::parse("0.5"));
        QCOMPARE(ordersWithId(m_rig->simulator().orders(), venue, request.clientOrderId), std::size_t(1));
        QCOMPARE(m_rig->position(venue, traderKey(venue), request.symbol), Decimal::parse("0.5"));
    }

    /// Filled, and the answer never comes: Unknown after the gateway's timeout, then Filled.
    void timeoutOnce_data() { venues_data(); }
    void timeoutOnce()
    {
        QFETCH(Venue, venue);
        constexpr auto kTimeout = std::chrono::milliseconds(1200);
        VenueOrderGateway& gateway = m_rig->gateway(venue, traderKey(venue), kTimeout);
        const OrderRequest request = sell(venue, "ADA", "0.4", makeClientOrderId("mm", 11, 1));
        m_rig->simulator().failNextOrders(venue, sim::OrderFault::Timeout);
        const auto start = std::chrono::steady_clock::now();
        const OrderOutcome unknown = Rig::wait([&](auto done) { gateway.place(request, done); });
        const auto waited = std::chrono::steady_clock::now() - start;
        QVERIFY2(unknown.status == OrderOutcome::Status::Unknown, unknown.message.c_str());
        QVERIFY(waited >= kTimeout);
        const OrderOutcome found = Rig::wait([&](auto done) { gateway.lookup(request, done); });
        QVERIFY2(found.status == OrderOutcome::Status::Filled, found.message.c_str());
        QCOMPARE(found.filledQuantity, Decimal::parse("0.4"));
        QCOMPARE(ordersWithId(m_rig->simulator().orders(), venue, request.clientOrderId), std::size_t(1));
    }

    void hyperliquidRefused()
    {
        const std::size_t before = m_rig->simulator().orders().size();
        VenueOrderGateway& gateway = m_rig->gateway(Venue::Hyperliquid, "");
        OrderRequest request = sell(Venue::Hyperliquid, "BTC", "0.1", makeClientOrderId("mm", 12, 1));
        request.symbol = "BTC";
        const OrderOutcome refused = Rig::wait([&](auto done) { gateway.place(request, done); });
        QVERIFY(refused.status == OrderOutcome::Status::Rejected);
        QVERIFY2(refused.message.find("EIP-712") != std::string::npos, refused.message.c_str());
        QCOMPARE(m_rig->simulator().orders().size(), before);
    }

private:
    std::unique_ptr<Rig> m_rig;
};

QTEST_GUILESS_MAIN(TestSimulatorOrders)
#include "tst_simulator_orders.moc"
