// Exchange accounts read as a trader's are: the simulated venues on loopback over TLS (a throw-away
// CA made here), signed REST on each venue's measured clock, positions arriving and following the
// market, a skewed venue clock handled, a wrong key and a rate limit explained in words — and the
// live monitor showing the accounts it read, their symbols joining the mark-price streams.
#include "engine/live_monitor.h"
#include "engine/risk_board.h"
#include "net/account_feed.h"
#include "sim/demo_portfolios.h"
#include "sim/exchange_simulator.h"
#include "sim/throwaway_certificates.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <QtTest>

#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

using namespace mm;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(mm::Venue)

namespace {

constexpr std::string_view kSecret = "account-feed-secret-0123456789abcdef";
constexpr std::string_view kPassphrase = "correct horse";
constexpr std::string_view kWallet = "0x00000000000000000000000000000000000000a1";

std::string keyFor(Venue venue)
{
    return venue == Venue::Hyperliquid ? std::string(kWallet) : "feed-key-" + std::string(venueName(venue));
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

/// A simulator serving the demo account of each venue behind a key (Hyperliquid: an address), and
/// an io thread for the clients.
class Rig {
public:
    explicit Rig(std::chrono::milliseconds clockSkew = 0ms, double volatility = 0)
        : m_certificates(sim::ThrowawayCertificates::make())
    {
        sim::SimulatorOptions options;
        options.certificatePem = m_certificates.serverCertificatePem;
        options.privateKeyPem = m_certificates.serverKeyPem;
        options.walk.volatilityPerSecond = volatility;
        options.walk.jumpsPerSecond = 0;
        options.clockSkew = clockSkew;
        for (const Venue venue : {Venue::BinanceUsdm, Venue::BybitLinear, Venue::OkxSwap, Venue::Hyperliquid}) {
            const Portfolio account = demoAccount(venue);
            for (const Position& position : account.positions) {
                options.startPrices[position.symbol] = position.markPrice.toDouble();
            }
            options.apiKeys.push_back(
                {venue, keyFor(venue), std::string(kSecret), std::string(kPassphrase), {true, false, false}, account});
        }
        m_simulator = std::make_unique<sim::ExchangeSimulator>(options);
        m_simulator->start();
        m_thread = std::thread([this] { m_io.run(); });
    }
    ~Rig()
    {
        if (m_thread.joinable()) {
            onIo([this] { m_feeds.clear(); });
        }
        stopIo();
    }
    /// Ends the io thread: handlers still queued for a LiveMonitor never run, so it can then be
    /// destroyed (as EngineHost does, with a fresh io_context per monitor).
    void stopIo()
    {
        if (!m_thread.joinable()) {
            return;
        }
        m_work.reset();
        m_io.stop();
        m_thread.join();
    }
    Rig(const Rig&) = delete;
    Rig& operator=(const Rig&) = delete;

    [[nodiscard]] AccountFeed::Options readsOf(Venue venue, std::string secret = std::string(kSecret)) const
    {
        AccountFeed::Options options;
        options.venue = venue;
        options.label = "test " + std::string(venueName(venue));
        std::string problem;
        options.rest.url = *HttpUrl::parse("https://127.0.0.1:" + std::to_string(m_simulator->port()), problem);
        options.rest.trust.caPem = m_certificates.authorityPem;
        if (venue == Venue::Hyperliquid) {
            options.walletAddress = std::string(kWallet);
        } else {
            options.credentials = {keyFor(venue), std::move(secret), std::string(kPassphrase)};
        }
        options.refreshInterval = 300ms;
        options.retryInitial = 200ms;
        return options;
    }

    /// Starts a feed on the io thread; its snapshots, problems and statuses are collected.
    void startFeed(AccountFeed::Options options)
    {
        onIo([this, options = std::move(options)]() mutable {
            AccountFeed::Callbacks callbacks;
            callbacks.onSnapshot = [this](const AccountSnapshot& snapshot) {
                const std::lock_guard lock(m_mutex);
                m_snapshots.push_back(snapshot);
                m_changed.notify_all();
            };
            callbacks.onProblem = [this](const std::string& problem) {
                const std::lock_guard lock(m_mutex);
                m_problems.push_back(problem);
                m_changed.notify_all();
            };
            callbacks.onStatus = [this](const AccountFeedStatus& status) {
                const std::lock_guard lock(m_mutex);
                m_status = status;
                m_changed.notify_all();
            };
            m_feeds.push_back(std::make_unique<AccountFeed>(m_io, std::move(options), std::move(callbacks)));
            m_feeds.back()->start();
        });
    }

    /// Waits until `done` holds over what was collected (under the lock), at most `limit`.
    bool waitFor(const std::function<bool()>& done, std::chrono::milliseconds limit = 10s)
    {
        std::unique_lock lock(m_mutex);
        return m_changed.wait_for(lock, limit, done);
    }

    /// Runs `work` on the io thread and waits for it.
    template <typename Work>
    auto onIo(Work work) -> decltype(work())
    {
        std::packaged_task<decltype(work())()> task(std::move(work));
        auto result = task.get_future();
        boost::asio::post(m_io, [&task] { task(); });
        return result.get();
    }

    sim::ExchangeSimulator& simulator() { return *m_simulator; }
    boost::asio::io_context& io() { return m_io; }
    [[nodiscard]] const std::string& authority() const { return m_certificates.authorityPem; }

    std::mutex m_mutex;
    std::vector<AccountSnapshot> m_snapshots;
    std::vector<std::string> m_problems;
    AccountFeedStatus m_status;

private:
    sim::ThrowawayCertificates m_certificates;
    std::unique_ptr<sim::ExchangeSimulator> m_simulator;
    boost::asio::io_context m_io;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> m_work{m_io.get_executor()};
    std::thread m_thread;
    std::condition_variable m_changed;
    std::vector<std::unique_ptr<AccountFeed>> m_feeds;
};

void addVenueRows(bool withHyperliquid)
{
    QTest::addColumn<Venue>("venue");
    QTest::newRow("binance-usdm") << Venue::BinanceUsdm;
    QTest::newRow("bybit-linear") << Venue::BybitLinear;
    QTest::newRow("okx-swap") << Venue::OkxSwap;
    if (withHyperliquid) {
        QTest::newRow("hyperliquid") << Venue::Hyperliquid;
    }
}

} // namespace

class TestAccountFeeds : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsTheAccount_data() { addVenueRows(true); }
    void readsTheAccount();
    void followsTheMarket_data() { addVenueRows(true); }
    void followsTheMarket();
    void aSkewedVenueClockIsMeasuredAndApplied_data();
    void aSkewedVenueClockIsMeasuredAndApplied();
    void aWrongSecretIsExplained_data() { addVenueRows(false); }
    void aWrongSecretIsExplained();
    void aRateLimitIsWaitedOut();
    void theLiveMonitorShowsTheAccountsItRead();
};

void TestAccountFeeds::readsTheAccount()
{
    QFETCH(Venue, venue);
    Rig rig;
    rig.startFeed(rig.readsOf(venue));
    QVERIFY2(rig.waitFor([&] { return !rig.m_snapshots.empty() && rig.m_status.state == AccountFeedStatus::State::Ok; }),
             qPrintable(QString::fromStdString(rig.m_problems.empty() ? "no snapshot" : rig.m_problems.back())));
    const Portfolio expected = demoAccount(venue);
    const std::lock_guard lock(rig.m_mutex);
    const AccountSnapshot& snapshot = rig.m_snapshots.front();
    QCOMPARE(snapshot.venue, venue);
    QCOMPARE(snapshot.positions.size(), expected.positions.size());
    for (std::size_t i = 0; i < expected.positions.size(); ++i) {
        const auto found = std::find_if(snapshot.positions.begin(), snapshot.positions.end(), [&](const SnapshotPosition& read) {
            return read.position.symbol == expected.positions[i].symbol && read.position.side == expected.positions[i].side;
        });
        QVERIFY2(found != snapshot.positions.end(), expected.positions[i].symbol.c_str());
        QCOMPARE(found->position.quantity, expected.positions[i].quantity);
        QCOMPARE(found->position.entryPrice, expected.positions[i].entryPrice);
        QVERIFY2(found->position.instrument != nullptr, "every position gets the instrument its margin is computed with");
    }
    QVERIFY(snapshot.balances.walletBalance.isPositive());
    // Every position's margin is computed from the venue's own tiers (its tier tables, or
    // Hyperliquid's meta), never from an assumed rate.
    for (const std::string& problem : rig.m_problems) {
        QVERIFY2(problem.find("assumed") == std::string::npos, problem.c_str());
    }
    QCOMPARE(rig.m_status.state, AccountFeedStatus::State::Ok);
    QCOMPARE(rig.m_status.clockOffsetMs.has_value(), venue != Venue::Hyperliquid);
}

void TestAccountFeeds::followsTheMarket()
{
    QFETCH(Venue, venue);
    Rig rig(0ms, 0.5); // a lively market: the marks move between reads
    rig.startFeed(rig.readsOf(venue));
    QVERIFY(rig.waitFor([&] {
        if (rig.m_snapshots.size() < 2) {
            return false;
        }
        const auto& first = rig.m_snapshots.front().positions;
        const auto& last = rig.m_snapshots.back().positions;
        return !first.empty() && !last.empty() && first[0].position.markPrice != last[0].position.markPrice;
    }));
}

void TestAccountFeeds::aSkewedVenueClockIsMeasuredAndApplied_data()
{
    QTest::addColumn<Venue>("venue");
    QTest::addColumn<int>("skewMs");
    for (const Venue venue : {Venue::BinanceUsdm, Venue::BybitLinear, Venue::OkxSwap}) {
        for (const int skew : {7000, -40000}) {
            QTest::addRow("%s, %+d ms", std::string(venueName(venue)).c_str(), skew) << venue << skew;
        }
    }
}

void TestAccountFeeds::aSkewedVenueClockIsMeasuredAndApplied()
{
    // Unapplied, each of these skews would be refused: beyond Binance's and Bybit's 5 s windows
    // (and 1 s ahead), beyond OKX's 30 s.
    QFETCH(Venue, venue);
    QFETCH(int, skewMs);
    Rig rig{std::chrono::milliseconds(skewMs)};
    rig.startFeed(rig.readsOf(venue));
    QVERIFY2(rig.waitFor([&] { return !rig.m_snapshots.empty() && rig.m_status.state == AccountFeedStatus::State::Ok; }),
             qPrintable(QString::fromStdString(rig.m_problems.empty() ? "no snapshot" : rig.m_problems.back())));
    const std::lock_guard lock(rig.m_mutex);
    QVERIFY(rig.m_status.clockOffsetMs.has_value());
    QVERIFY2(std::llabs(*rig.m_status.clockOffsetMs - skewMs) < 500,
             qPrintable(QString::number(*rig.m_status.clockOffsetMs)));
}

void TestAccountFeeds::aWrongSecretIsExplained()
{
    QFETCH(Venue, venue);
    Rig rig;
    const std::string wrong = "a-wrong-secret-that-must-never-be-shown";
    rig.startFeed(rig.readsOf(venue, wrong));
    QVERIFY(rig.waitFor([&] { return rig.m_status.state == AccountFeedStatus::State::KeyRefused; }));
    const std::lock_guard lock(rig.m_mutex);
    QVERIFY(rig.m_snapshots.empty());
    QVERIFY(!rig.m_problems.empty());
    const std::string& problem = rig.m_problems.back();
    QVERIFY2(problem.find("refused the API key") != std::string::npos, problem.c_str());
    QVERIFY2(problem.find("Settings → Exchanges") != std::string::npos, problem.c_str());
    QVERIFY2(problem.find("test " + std::string(venueName(venue))) != std::string::npos, problem.c_str()); // names the account
    for (const std::string& said : rig.m_problems) {
        QVERIFY(said.find(wrong) == std::string::npos);
        QVERIFY(said.find(kSecret) == std::string::npos);
    }
}

void TestAccountFeeds::aRateLimitIsWaitedOut()
{
    Rig rig;
    auto reads = rig.readsOf(Venue::BinanceUsdm);
    reads.refreshInterval = 1500ms;
    rig.startFeed(reads);
    QVERIFY(rig.waitFor([&] { return rig.m_snapshots.size() == 1; }));
    rig.simulator().failRestRequests(429, 1); // the next read's first request: Retry-After 1 s
    const auto started = std::chrono::steady_clock::now();
    QVERIFY(rig.waitFor([&] { return rig.m_status.state == AccountFeedStatus::State::RateLimited; }));
    {
        const std::lock_guard lock(rig.m_mutex);
        QVERIFY2(rig.m_problems.back().find("limiting requests") != std::string::npos, rig.m_problems.back().c_str());
    }
    QVERIFY(rig.waitFor([&] { return rig.m_snapshots.size() == 2 && rig.m_status.state == AccountFeedStatus::State::Ok; }));
    QVERIFY2(std::chrono::steady_clock::now() - started >= 900ms, "the venue's Retry-After was waited out");
    const std::lock_guard lock(rig.m_mutex);
    QCOMPARE(rig.m_status.state, AccountFeedStatus::State::Ok);
}

void TestAccountFeeds::theLiveMonitorShowsTheAccountsItRead()
{
    Rig rig;
    LiveMonitorOptions options;
    std::string problem;
    const auto streams = WsUrl::parse("wss://127.0.0.1:" + std::to_string(rig.simulator().port()), problem);
    for (const Venue venue : {Venue::BinanceUsdm, Venue::BybitLinear, Venue::OkxSwap, Venue::Hyperliquid}) {
        options.venueUrls[venue] = *streams;
        // The keyed venues' private streams too: their events make the account be read again.
        auto reads = rig.readsOf(venue);
        reads.refreshInterval = 60s; // only the first read and the streams' events read the accounts here
        options.exchangeAccounts.push_back(
            {std::move(reads), venue == Venue::Hyperliquid ? std::nullopt : std::optional(*streams)});
    }
    options.trust.caPem = rig.authority();
    SteadyClock clock;
    auto live = rig.onIo([&] {
        auto monitor = std::make_unique<LiveMonitor>(rig.io(), clock, std::move(options));
        monitor->start();
        return monitor;
    });
    // Every account's positions arrive, and their marks stream: every position's feed is fresh.
    RiskBoard board;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            board = rig.onIo([&] { return takeRiskBoard(live->monitor(), live.get(), clock.now(), 1); });
            std::size_t expected = 0;
            for (const Venue venue : {Venue::BinanceUsdm, Venue::BybitLinear, Venue::OkxSwap, Venue::Hyperliquid}) {
                expected += demoAccount(venue).positions.size();
            }
            return board.positions.size() == expected &&
                   std::all_of(board.positions.begin(), board.positions.end(),
                               [](const PositionLine& line) { return line.feed == FeedState::Fresh; });
        }(),
        15000);
    for (const AccountLine& account : board.accounts) {
        QCOMPARE(account.source, AccountSource::Exchange);
        QVERIFY(account.reportedAt.has_value());
    }
    QCOMPARE(board.accountReads.size(), std::size_t(4));
    for (const AccountReadLine& read : board.accountReads) {
        QCOMPARE(read.status.state, AccountFeedStatus::State::Ok);
        QCOMPARE(read.stream.has_value(), read.venue != Venue::Hyperliquid);
    }
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const auto reads = rig.onIo([&] { return live->accountReads(); });
            return std::all_of(reads.begin(), reads.end(), [](const AccountReadLine& read) {
                return !read.stream || (read.stream->authenticated && read.stream->subscribed);
            });
        }(),
        10000);

    // A fill on the exchange: the private stream's event has the account read again at once (the
    // next timed read is a minute away), and the new position shows, its mark streaming.
    std::vector<std::string> problems;
    std::mutex problemsMutex;
    auto subscription = rig.onIo([&] {
        return live->onProblem([&](Venue, const std::string& said) {
            const std::lock_guard lock(problemsMutex);
            problems.push_back(said);
        });
    });
    Position added;
    added.symbol = "DOGEUSDT";
    added.side = Side::Long;
    added.quantity = Decimal::parse("1000");
    added.entryPrice = Decimal::parse("0.2");
    added.markPrice = Decimal::parse("0.2");
    added.leverage = Decimal::parse("5");
    rig.simulator().setAccountPosition(keyFor(Venue::BybitLinear), added);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            board = rig.onIo([&] { return takeRiskBoard(live->monitor(), live.get(), clock.now(), 2); });
            return std::any_of(board.positions.begin(), board.positions.end(), [](const PositionLine& line) {
                return line.symbol == "DOGEUSDT" && line.feed == FeedState::Fresh;
            });
        }(),
        10000);
    // The venue's margin call is shown as a confirmation, never acted on.
    rig.simulator().pushMarginCall(keyFor(Venue::OkxSwap));
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const std::lock_guard lock(problemsMutex);
            return std::any_of(problems.begin(), problems.end(), [](const std::string& said) {
                return said.find("confirmation from the exchange") != std::string::npos;
            });
        }(),
        15000);
    rig.onIo([&] { subscription.reset(); });
    for (const PositionLine& line : board.positions) {
        QCOMPARE(line.source, AccountSource::Exchange);
        QVERIFY(line.risk.liquidationPrice || line.exchangeLiquidationPrice || line.risk.notional.isPositive());
        // The market stands still here, so the venue's liquidation price and the computed one are
        // taken at the same marks: with the venue's tiers, cross wallet and fees they must agree.
        QVERIFY2(!line.liquidationDiverges,
                 qPrintable(QStringLiteral("%1 %2: computed %3, the exchange says %4")
                                .arg(QString::fromStdString(std::string(venueName(line.venue))),
                                     QString::fromStdString(line.symbol))
                                .arg(line.risk.liquidationPrice.value_or(0))
                                .arg(QString::fromStdString(line.exchangeLiquidationPrice
                                                                ? line.exchangeLiquidationPrice->toString()
                                                                : "none"))));
    }
    rig.onIo([&] { live->stop(); });
    rig.stopIo();
    live.reset();
}

QTEST_GUILESS_MAIN(TestAccountFeeds)
#include "tst_account_feeds.moc"
