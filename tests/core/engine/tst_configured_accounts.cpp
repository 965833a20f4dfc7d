// The accounts configured in Settings → Exchanges, turned into the live monitor's reads and streams:
// each in its environment, with its key, or left out with the reason in words.
#include "engine/configured_accounts.h"

#include <QtTest>

using namespace mm;

namespace {

ConfiguredAccount account(std::string id, Venue venue, VenueEnvironment environment, ApiCredentials key = {},
                          std::string customUrl = {}, std::string wallet = {})
{
    ConfiguredAccount configured;
    configured.settings.id = id;
    configured.settings.label = "label " + id;
    configured.settings.venue = venue;
    configured.settings.environment = environment;
    configured.settings.customUrl = std::move(customUrl);
    configured.settings.walletAddress = std::move(wallet);
    configured.readKey = std::move(key);
    return configured;
}

const ApiCredentials kKey{"key-abcdef", "secret-123456", ""};

} // namespace

class TestConfiguredAccounts : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void eachAccountInItsEnvironment();
    void accountsThatCannotBeReadAreLeftOutWithTheReason_data();
    void accountsThatCannotBeReadAreLeftOutWithTheReason();
    void twoEnvironmentsOnOneVenueAreSaid();
};

void TestConfiguredAccounts::eachAccountInItsEnvironment()
{
    LiveMonitorOptions options;
    std::vector<std::string> problems;
    addConfiguredAccounts(options,
                          {account("a", Venue::BinanceUsdm, VenueEnvironment::Mainnet, kKey),
                           account("b", Venue::BybitLinear, VenueEnvironment::Testnet, kKey),
                           account("c", Venue::OkxSwap, VenueEnvironment::Custom, {"k", "s", "p"}, "http://127.0.0.1:8443"),
                           account("d", Venue::Hyperliquid, VenueEnvironment::Mainnet, {}, {},
                                   "0x00000000000000000000000000000000000000a1")},
                          problems);
    QVERIFY2(problems.empty(), problems.empty() ? "" : problems.front().c_str());
    QCOMPARE(options.exchangeAccounts.size(), std::size_t(4));
    const auto& binance = options.exchangeAccounts[0].reads;
    QCOMPARE(binance.venue, Venue::BinanceUsdm);
    QCOMPARE(binance.label, std::string("label a"));
    QCOMPARE(binance.rest.url.host, std::string("fapi.binance.com"));
    QCOMPARE(binance.credentials.apiKey, kKey.apiKey);
    QCOMPARE(options.venueUrls.at(Venue::BinanceUsdm).host, std::string("fstream.binance.com"));
    QCOMPARE(options.exchangeAccounts[1].reads.rest.url.host, std::string("api-testnet.bybit.com"));
    QCOMPARE(options.venueUrls.at(Venue::BybitLinear).host, std::string("stream-testnet.bybit.com"));
    QCOMPARE(options.exchangeAccounts[2].reads.rest.url.toString(), std::string("http://127.0.0.1:8443"));
    QCOMPARE(options.venueUrls.at(Venue::OkxSwap).toString().rfind("ws://127.0.0.1:8443", 0), std::size_t(0));
    QCOMPARE(options.exchangeAccounts[3].reads.walletAddress, std::string("0x00000000000000000000000000000000000000a1"));
    QVERIFY(options.exchangeAccounts[3].reads.credentials.empty());
}

void TestConfiguredAccounts::accountsThatCannotBeReadAreLeftOutWithTheReason_data()
{
    QTest::addColumn<int>("venue");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("passphrase");
    QTest::addColumn<QString>("said");
    QTest::newRow("no key in the keychain") << int(Venue::BinanceUsdm) << "" << "" << "not in the keychain";
    QTest::newRow("OKX without its passphrase") << int(Venue::OkxSwap) << "key" << "" << "not in the keychain";
    QTest::newRow("Hyperliquid without a wallet address") << int(Venue::Hyperliquid) << "" << "" << "wallet";
}

void TestConfiguredAccounts::accountsThatCannotBeReadAreLeftOutWithTheReason()
{
    QFETCH(int, venue);
    QFETCH(QString, key);
    QFETCH(QString, passphrase);
    QFETCH(QString, said);
    LiveMonitorOptions options;
    std::vector<std::string> problems;
    const ApiCredentials credentials{key.toStdString(), key.isEmpty() ? "" : "secret", passphrase.toStdString()};
    addConfiguredAccounts(options, {account("x", Venue(venue), VenueEnvironment::Mainnet, credentials)}, problems);
    QVERIFY(options.exchangeAccounts.empty());
    QCOMPARE(problems.size(), std::size_t(1));
    QVERIFY2(problems[0].find("\"label x\"") != std::string::npos, problems[0].c_str());
    QVERIFY2(problems[0].find(said.toStdString()) != std::string::npos, problems[0].c_str());
}

void TestConfiguredAccounts::twoEnvironmentsOnOneVenueAreSaid()
{
    LiveMonitorOptions options;
    std::vector<std::string> problems;
    addConfiguredAccounts(options,
                          {account("a", Venue::BinanceUsdm, VenueEnvironment::Mainnet, kKey),
                           account("b", Venue::BinanceUsdm, VenueEnvironment::Testnet, kKey)},
                          problems);
    QCOMPARE(options.exchangeAccounts.size(), std::size_t(2));
    QCOMPARE(problems.size(), std::size_t(1));
    QVERIFY2(problems[0].find("mark prices come from wss://fstream.binance.com") != std::string::npos, problems[0].c_str());
}

QTEST_APPLESS_MAIN(TestConfiguredAccounts)
#include "tst_configured_accounts.moc"
