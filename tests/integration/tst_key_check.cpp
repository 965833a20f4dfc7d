// checkApiKey against the simulator on loopback, as the settings dialog runs it: the venue's clock
// measured, a signed position read, the venue's permission endpoint. A good read-only key is usable
// with its permissions as the venue reports them; a read key that can trade, a key not bound to an
// address and a key that can withdraw are usable with the warnings the trader must see; unknown
// keys, wrong secrets, a wrong OKX passphrase, a key that may not read and a trade key that cannot
// trade are refused in words naming what the venue said; a skewed exchange clock is measured and
// corrected for; a rate-limited venue and an unreachable permission endpoint are reported as such.
// No result ever holds a secret or a whole key.
#include "domain/account.h"
#include "net/https_client.h"
#include "net/key_check.h"
#include "sim/demo_portfolios.h"
#include "sim/exchange_simulator.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <QtTest>

#include <chrono>
#include <future>
#include <thread>

using namespace mm;
namespace asio = boost::asio;

Q_DECLARE_METATYPE(mm::Venue)
Q_DECLARE_METATYPE(mm::KeyPurpose)

namespace {

constexpr std::string_view kSecret = "sim-secret-for-key-checks-5f0c2a9d81e7";
constexpr std::string_view kPassphrase = "correct horse";

/// The keys the simulator knows on every keyed venue, by what they may do.
struct KeyKind {
    const char* name;
    sim::ApiPermissions permissions;
};
constexpr std::array kKinds{
    KeyKind{"reader", {true, false, false, true}},    // read only, bound to an address: the good one
    KeyKind{"trader", {true, true, false, true}},     // reads and trades
    KeyKind{"open", {true, false, false, false}},     // read only, usable from anywhere
    KeyKind{"withdrawer", {true, false, true, true}}, // can withdraw
    KeyKind{"blind", {false, false, false, true}},    // may not read
};

std::string keyName(const char* kind, Venue venue)
{
    return std::string(kind) + "-" + std::string(venueName(venue)) + "-7c1d";
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

/// A simulator knowing every kind of key on each keyed venue, and a client on an io thread.
class Rig {
public:
    explicit Rig(std::chrono::milliseconds skew = {})
    {
        sim::SimulatorOptions options;
        options.clockSkew = skew;
        options.walk.volatilityPerSecond = 0;
        options.walk.jumpsPerSecond = 0;
        for (const Venue venue : {Venue::BinanceUsdm, Venue::BybitLinear, Venue::OkxSwap}) {
            for (const KeyKind& kind : kKinds) {
                options.apiKeys.push_back({venue, keyName(kind.name, venue), std::string(kSecret),
                                           std::string(kPassphrase), kind.permissions, demoAccount(venue)});
            }
        }
        m_simulator = std::make_unique<sim::ExchangeSimulator>(options);
        m_simulator->start();
        m_thread = std::thread([this] { m_io.run(); });
        m_client = clientFor(m_simulator->baseUrl().replace(0, 2, "http"));
    }
    ~Rig()
    {
        m_client->close();
        if (m_elsewhere) {
            m_elsewhere->close();
        }
        m_work.reset();
        m_thread.join();
    }
    Rig(const Rig&) = delete;
    Rig& operator=(const Rig&) = delete;

    sim::ExchangeSimulator& simulator() { return *m_simulator; }
    HttpsClient& client() { return *m_client; }

    /// A client of a loopback port nothing listens on (port 1): a permission endpoint that cannot
    /// be reached.
    HttpsClient& nowhere()
    {
        if (!m_elsewhere) {
            m_elsewhere = clientFor("http://127.0.0.1:1");
        }
        return *m_elsewhere;
    }

    KeyCheckResult check(Venue venue, const ApiCredentials& credentials, KeyPurpose purpose,
                         HttpsClient* permissionsClient = nullptr)
    {
        auto answered = std::make_shared<std::promise<KeyCheckResult>>();
        auto result = answered->get_future();
        checkApiKey(
            *m_client, venue, credentials, purpose,
            [answered](KeyCheckResult checked) { answered->set_value(std::move(checked)); }, permissionsClient);
        if (result.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
            throw std::runtime_error("the key check never answered");
        }
        return result.get();
    }

private:
    std::shared_ptr<HttpsClient> clientFor(std::string base)
    {
        std::string problem;
        const auto url = HttpUrl::parse(base, problem);
        if (!url) {
            throw std::runtime_error(problem);
        }
        HttpsOptions options;
        options.url = *url;
        return HttpsClient::create(m_io, options);
    }

    std::unique_ptr<sim::ExchangeSimulator> m_simulator;
    asio::io_context m_io;
    asio::executor_work_guard<asio::io_context::executor_type> m_work = asio::make_work_guard(m_io);
    std::thread m_thread;
    std::shared_ptr<HttpsClient> m_client;
    std::shared_ptr<HttpsClient> m_elsewhere;
};

ApiCredentials credentialsOf(const char* kind, Venue venue)
{
    return {keyName(kind, venue), std::string(kSecret), std::string(kPassphrase)};
}

QString everything(const KeyCheckResult& result)
{
    QStringList texts{QString::fromStdString(result.problem), QString::fromStdString(result.withdrawWarning)};
    for (const std::string& warning : result.warnings) {
        texts << QString::fromStdString(warning);
    }
    return texts.join(" | ");
}

/// Nothing secret in what the trader is shown: neither the secret, nor the passphrase, nor a whole key.
void verifyNothingSecret(const KeyCheckResult& result, const ApiCredentials& credentials)
{
    const QString shown = everything(result);
    QVERIFY2(!shown.contains(QString::fromStdString(credentials.secret)), qPrintable(shown));
    QVERIFY2(!shown.contains(QString::fromStdString(credentials.passphrase)), qPrintable(shown));
    QVERIFY2(!shown.contains(QString::fromStdString(credentials.apiKey)), qPrintable(shown));
}

std::optional<bool> expected(int value)
{
    return value < 0 ? std::nullopt : std::optional(value == 1);
}

void addVenueRows(const char* what, const std::function<void(const QByteArray&, Venue)>& add)
{
    for (const Venue venue : {Venue::BinanceUsdm, Venue::BybitLinear, Venue::OkxSwap}) {
        add(QByteArray(venueName(venue).data()) + " " + what, venue);
    }
}

} // namespace

class TestKeyCheck : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { m_rig = std::make_unique<Rig>(); }
    void cleanupTestCase() { m_rig.reset(); }
    void usableKeysWithTheirPermissions_data();
    void usableKeysWithTheirPermissions();
    void refusedKeysSayWhy_data();
    void refusedKeysSayWhy();
    void skewedExchangeClockIsMeasured_data();
    void skewedExchangeClockIsMeasured();
    void rateLimitIsReportedAsSuch_data();
    void rateLimitIsReportedAsSuch();
    void unreachablePermissionsAreNotGuessed();
    void keylessVenuesAreRefused();

private:
    std::unique_ptr<Rig> m_rig;
};

void TestKeyCheck::usableKeysWithTheirPermissions_data()
{
    QTest::addColumn<Venue>("venue");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<KeyPurpose>("purpose");
    QTest::addColumn<int>("canTrade");
    QTest::addColumn<int>("canWithdraw");
    QTest::addColumn<int>("ipRestricted");
    QTest::addColumn<QString>("warning"); // what one warning must say; empty: no warning at all
    QTest::addColumn<bool>("withdraw");   // the loud withdrawal warning
    addVenueRows("read-only key", [](const QByteArray& row, Venue venue) {
        QTest::newRow(row) << venue << "reader" << KeyPurpose::Read << 0 << 0 << 1 << QString() << false;
    });
    addVenueRows("read key that can trade", [](const QByteArray& row, Venue venue) {
        QTest::newRow(row) << venue << "trader" << KeyPurpose::Read << 1 << 0 << 1 << "can trade as well as read"
                           << false;
    });
    addVenueRows("trade key", [](const QByteArray& row, Venue venue) {
        QTest::newRow(row) << venue << "trader" << KeyPurpose::Trade << 1 << 0 << 1 << QString() << false;
    });
    addVenueRows("key usable from anywhere", [](const QByteArray& row, Venue venue) {
        QTest::newRow(row) << venue << "open" << KeyPurpose::Read << 0 << 0 << 0 << "not bound to IP addresses"
                           << false;
    });
    addVenueRows("key that can withdraw", [](const QByteArray& row, Venue venue) {
        QTest::newRow(row) << venue << "withdrawer" << KeyPurpose::Read << 0 << 1 << 1 << QString() << true;
    });
}

void TestKeyCheck::usableKeysWithTheirPermissions()
{
    QFETCH(Venue, venue);
    QFETCH(QString, kind);
    QFETCH(KeyPurpose, purpose);
    QFETCH(int, canTrade);
    QFETCH(int, canWithdraw);
    QFETCH(int, ipRestricted);
    QFETCH(QString, warning);
    QFETCH(bool, withdraw);
    const ApiCredentials credentials = credentialsOf(kind.toLatin1().constData(), venue);
    const KeyCheckResult result = m_rig->check(venue, credentials, purpose);
    QVERIFY2(result.usable, qPrintable(everything(result)));
    QVERIFY(result.problem.empty());
    QVERIFY(result.permissions.canRead);
    QCOMPARE(result.permissions.canTrade, expected(canTrade));
    QCOMPARE(result.permissions.canWithdraw, expected(canWithdraw));
    QCOMPARE(result.permissions.ipRestricted, expected(ipRestricted));
    if (warning.isEmpty()) {
        QVERIFY2(result.warnings.empty(), qPrintable(everything(result)));
    } else {
        QCOMPARE(result.warnings.size(), 1u);
        QVERIFY2(QString::fromStdString(result.warnings[0]).contains(warning), result.warnings[0].c_str());
    }
    QCOMPARE(!result.withdrawWarning.empty(), withdraw);
    if (withdraw) {
        QVERIFY2(result.withdrawWarning.find("WITHDRAW") != std::string::npos, result.withdrawWarning.c_str());
        QVERIFY2(result.withdrawWarning.find(credentials.describe()) != std::string::npos,
                 result.withdrawWarning.c_str());
    }
    verifyNothingSecret(result, credentials);
}

void TestKeyCheck::refusedKeysSayWhy_data()
{
    QTest::addColumn<Venue>("venue");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("apiKey");     // instead of the kind's, when not empty
    QTest::addColumn<QString>("secret");     // instead of the right one, when not empty
    QTest::addColumn<QString>("passphrase"); // instead of the right one, when not empty
    QTest::addColumn<KeyPurpose>("purpose");
    QTest::addColumn<QStringList>("said"); // what the problem must say

    const auto row = [](const QByteArray& name, Venue venue, const char* kind, const char* apiKey, const char* secret,
                        const char* passphrase, KeyPurpose purpose, const QStringList& said) {
        QTest::newRow(name) << venue << kind << apiKey << secret << passphrase << purpose << said;
    };
    row("binance unknown key", Venue::BinanceUsdm, "reader", "no-such-key-4411", "", "", KeyPurpose::Read,
        {"Binance refused key no-s…", "unknown", "-2015"});
    row("bybit unknown key", Venue::BybitLinear, "reader", "no-such-key-4411", "", "", KeyPurpose::Read,
        {"does not know key no-s…", "10003"});
    row("okx unknown key", Venue::OkxSwap, "reader", "no-such-key-4411", "", "", KeyPurpose::Read,
        {"does not know key no-s…", "50111"});
    addVenueRows("wrong secret", [&](const QByteArray& name, Venue venue) {
        const char* code = venue == Venue::BinanceUsdm ? "-1022" : (venue == Venue::BybitLinear ? "10004" : "50113");
        row(name, venue, "reader", "", "not-the-secret-at-all", "", KeyPurpose::Read,
            {"the secret does not belong to this key", code, "key read…"});
    });
    row("okx wrong passphrase", Venue::OkxSwap, "reader", "", "", "wrong horse", KeyPurpose::Read,
        {"OKX refused the passphrase of key read…", "50105"});
    row("binance key that may not read", Venue::BinanceUsdm, "blind", "", "", "", KeyPurpose::Read,
        {"-2015", "futures permission"});
    row("bybit key that may not read", Venue::BybitLinear, "blind", "", "", "", KeyPurpose::Read,
        {"may not read positions", "10005"});
    row("okx key that may not read", Venue::OkxSwap, "blind", "", "", "", KeyPurpose::Read,
        {"may not read positions", "50120"});
    row("okx passphrase with a line break", Venue::OkxSwap, "reader", "", "", "correct horse\n", KeyPurpose::Read,
        {"line break"});
    addVenueRows("trade key that cannot trade", [&](const QByteArray& name, Venue venue) {
        row(name, venue, "reader", "", "", "", KeyPurpose::Trade, {"cannot trade futures", "cannot deleverage"});
    });
}

void TestKeyCheck::refusedKeysSayWhy()
{
    QFETCH(Venue, venue);
    QFETCH(QString, kind);
    QFETCH(QString, apiKey);
    QFETCH(QString, secret);
    QFETCH(QString, passphrase);
    QFETCH(KeyPurpose, purpose);
    QFETCH(QStringList, said);
    ApiCredentials credentials = credentialsOf(kind.toLatin1().constData(), venue);
    if (!apiKey.isEmpty()) {
        credentials.apiKey = apiKey.toStdString();
    }
    if (!secret.isEmpty()) {
        credentials.secret = secret.toStdString();
    }
    if (!passphrase.isEmpty()) {
        credentials.passphrase = passphrase.toStdString();
    }
    const KeyCheckResult result = m_rig->check(venue, credentials, purpose);
    QVERIFY(!result.usable);
    for (const QString& words : said) {
        QVERIFY2(QString::fromStdString(result.problem).contains(words),
                 qPrintable("no \"" + words + "\" in: " + QString::fromStdString(result.problem)));
    }
    verifyNothingSecret(result, credentials);
}

void TestKeyCheck::skewedExchangeClockIsMeasured_data()
{
    QTest::addColumn<Venue>("venue");
    QTest::addColumn<int>("skewMs");
    addVenueRows("7 s ahead", [](const QByteArray& row, Venue venue) { QTest::newRow(row) << venue << 7000; });
    addVenueRows("7 s behind", [](const QByteArray& row, Venue venue) { QTest::newRow(row) << venue << -7000; });
}

void TestKeyCheck::skewedExchangeClockIsMeasured()
{
    QFETCH(Venue, venue);
    QFETCH(int, skewMs);
    // 7 s is beyond Binance's and Bybit's 5 s windows: only a measured clock passes.
    Rig skewed{std::chrono::milliseconds(skewMs)};
    const KeyCheckResult result = skewed.check(venue, credentialsOf("reader", venue), KeyPurpose::Read);
    QVERIFY2(result.usable, qPrintable(everything(result)));
    QVERIFY2(result.warnings.empty(), qPrintable(everything(result)));
    QCOMPARE(result.permissions.canTrade, std::optional(false));
}

void TestKeyCheck::rateLimitIsReportedAsSuch_data()
{
    QTest::addColumn<Venue>("venue");
    addVenueRows("429", [](const QByteArray& row, Venue venue) { QTest::newRow(row) << venue; });
}

void TestKeyCheck::rateLimitIsReportedAsSuch()
{
    QFETCH(Venue, venue);
    Rig limited;
    limited.simulator().failRestRequests(429, 5); // more than the check sends: every request refused
    const KeyCheckResult result = limited.check(venue, credentialsOf("reader", venue), KeyPurpose::Read);
    QVERIFY(!result.usable);
    QVERIFY2(result.problem.find("rate limited") != std::string::npos, result.problem.c_str());
    // Bybit's limit comes as HTTP 200 with retCode 10006; the others as HTTP 429.
    QVERIFY2(result.problem.find(venue == Venue::BybitLinear ? "10006" : "HTTP 429") != std::string::npos,
             result.problem.c_str());
}

void TestKeyCheck::unreachablePermissionsAreNotGuessed()
{
    // Binance reports permissions on another host (api.binance.com): here, one nobody answers on.
    const ApiCredentials credentials = credentialsOf("trader", Venue::BinanceUsdm);
    const KeyCheckResult result = m_rig->check(Venue::BinanceUsdm, credentials, KeyPurpose::Trade, &m_rig->nowhere());
    QVERIFY2(result.usable, qPrintable(everything(result)));
    QVERIFY(result.permissions.canRead);
    QVERIFY(!result.permissions.canTrade);
    QVERIFY(!result.permissions.canWithdraw);
    QVERIFY(!result.permissions.ipRestricted);
    QVERIFY(result.withdrawWarning.empty());
    QCOMPARE(result.warnings.size(), 1u);
    QVERIFY2(result.warnings[0].find("could not be checked") != std::string::npos, result.warnings[0].c_str());
    QVERIFY2(result.warnings[0].find("could not be reached") != std::string::npos, result.warnings[0].c_str());
}

void TestKeyCheck::keylessVenuesAreRefused()
{
    for (const Venue venue : {Venue::Hyperliquid, Venue::Generic}) {
        bool called = false;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 checkApiKey(m_rig->client(), venue, ApiCredentials{}, KeyPurpose::Read,
                                             [&called](KeyCheckResult) { called = true; }));
        QVERIFY(!called);
    }
}

QTEST_APPLESS_MAIN(TestKeyCheck)
#include "tst_key_check.moc"
