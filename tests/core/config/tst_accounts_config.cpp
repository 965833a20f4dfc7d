// The accounts configuration: what is kept of each exchange account (never a secret), read back
// exactly, refused with the field named when wrong, and the venues' addresses per environment.
#include "config/accounts_config.h"

#include <QtTest>

using namespace mm;

namespace {

std::vector<AccountSettings> sampleAccounts()
{
    AccountSettings binance;
    binance.id = "main-binance";
    binance.label = "Main";
    binance.venue = Venue::BinanceUsdm;
    binance.hasTradeKey = true;
    AccountSettings okx;
    okx.id = "okx-demo";
    okx.label = "OKX demo trading";
    okx.venue = Venue::OkxSwap;
    okx.environment = VenueEnvironment::Testnet;
    AccountSettings simulator;
    simulator.id = "sim";
    simulator.label = "Simulator";
    simulator.venue = Venue::BybitLinear;
    simulator.environment = VenueEnvironment::Custom;
    simulator.customUrl = "http://127.0.0.1:8443";
    AccountSettings hyperliquid;
    hyperliquid.id = "hl";
    hyperliquid.label = "Vault";
    hyperliquid.venue = Venue::Hyperliquid;
    hyperliquid.walletAddress = "0x010461C14e146ac35Fe42271BDC1134EE31C703a";
    return {binance, okx, simulator, hyperliquid};
}

} // namespace

class TestAccountsConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrips();
    void anEmptyFileHasNoAccounts();
    void refusesBadInputNamingTheField_data();
    void refusesBadInputNamingTheField();
    void neverHoldsASecret();
    void endpoints_data();
    void endpoints();
};

void TestAccountsConfig::roundTrips()
{
    const auto accounts = sampleAccounts();
    const std::string text = writeAccountsConfig(accounts);
    QVERIFY(readAccountsConfig(text) == accounts);
    QVERIFY(text.find("\"environment\": \"testnet\"") != std::string::npos);
    for (const auto& account : accounts) {
        QCOMPARE(checkAccountSettings(account), std::string());
    }
}

void TestAccountsConfig::anEmptyFileHasNoAccounts()
{
    QVERIFY(readAccountsConfig("{}").empty());
    QVERIFY(readAccountsConfig(R"({"accounts": []} // nothing yet)").empty());
}

void TestAccountsConfig::refusesBadInputNamingTheField_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("message");
    const QString one = QStringLiteral(R"({"accounts":[{"id":"a","label":"A","venue":"binance-usdm"%1}]})");
    QTest::newRow("truncated") << QStringLiteral(R"({"accounts":[{"id":"a")") << "parse error";
    QTest::newRow("not an object") << QStringLiteral("[]") << "not an object";
    QTest::newRow("unknown top-level field") << QStringLiteral(R"({"theme":"dark"})") << "theme: is not a field";
    QTest::newRow("unknown venue") << one.arg(QString()).replace("binance-usdm", "ftx") << "accounts[0].venue: \"ftx\" is not one of";
    QTest::newRow("unknown environment") << one.arg(R"(,"environment":"prod")") << "accounts[0].environment: \"prod\"";
    QTest::newRow("custom without URL") << one.arg(R"(,"environment":"custom")") << "accounts[0].customUrl: is required";
    QTest::newRow("custom over plain http to the internet")
        << one.arg(R"(,"environment":"custom","customUrl":"http://example.com")") << "accounts[0].customUrl: uses unencrypted";
    QTest::newRow("URL without custom") << one.arg(R"(,"customUrl":"https://example.com")") << "only for the custom environment";
    QTest::newRow("bad id") << one.arg(QString()).replace(R"("id":"a")", R"("id":"Main Account")") << "accounts[0].id: must be";
    QTest::newRow("no label") << one.arg(QString()).replace(R"("label":"A",)", "") << "accounts[0].label: is required";
    QTest::newRow("label a number") << one.arg(QString()).replace(R"("label":"A")", R"("label":7)") << "accounts[0].label: is a number";
    QTest::newRow("trade key not a boolean") << one.arg(R"(,"hasTradeKey":"yes")") << "hasTradeKey: is a string, not true or false";
    QTest::newRow("hyperliquid without address")
        << one.arg(QString()).replace("binance-usdm", "hyperliquid") << "accounts[0].walletAddress: must be 0x";
    QTest::newRow("hyperliquid short address")
        << one.arg(R"(,"walletAddress":"0x1234")").replace("binance-usdm", "hyperliquid") << "walletAddress: must be 0x";
    QTest::newRow("address on binance") << one.arg(R"(,"walletAddress":"0x010461C14e146ac35Fe42271BDC1134EE31C703a")")
                                        << "walletAddress: only for Hyperliquid";
    QTest::newRow("generic venue") << one.arg(QString()).replace("binance-usdm", "generic") << "no exchange to connect to";
    QTest::newRow("id used twice")
        << QStringLiteral(R"({"accounts":[{"id":"a","label":"A","venue":"okx-swap"},{"id":"a","label":"B","venue":"okx-swap"}]})")
        << "accounts[1].id: \"a\" is used by an earlier account";
}

void TestAccountsConfig::refusesBadInputNamingTheField()
{
    QFETCH(QString, json);
    QFETCH(QString, message);
    try {
        (void)readAccountsConfig(json.toStdString());
        QFAIL("accepted");
    } catch (const ConfigError& error) {
        QVERIFY2(QString::fromUtf8(error.what()).contains(message), error.what());
    }
}

void TestAccountsConfig::neverHoldsASecret()
{
    // A secret typed into the file by hand is refused, and the message says where it belongs.
    for (const char* field : {"apiKey", "secret", "apiSecret", "passphrase", "tradeSecret", "password"}) {
        const std::string json = std::string(R"({"accounts":[{"id":"a","label":"A","venue":"okx-swap",")") + field + R"(":"x"}]})";
        try {
            (void)readAccountsConfig(json);
            QFAIL(field);
        } catch (const ConfigError& error) {
            QVERIFY2(std::string(error.what()).find("they belong in the keychain") != std::string::npos, error.what());
        }
    }
    // And what is written holds only the fields above.
    const std::string text = writeAccountsConfig(sampleAccounts());
    for (const char* word : {"secret", "Secret", "passphrase", "apiKey"}) {
        QVERIFY2(text.find(word) == std::string::npos, word);
    }
}

void TestAccountsConfig::endpoints_data()
{
    QTest::addColumn<int>("account");
    QTest::addColumn<QString>("rest");
    QTest::addColumn<QString>("publicStream");
    QTest::newRow("binance mainnet") << 0 << "https://fapi.binance.com:443" << "wss://fstream.binance.com";
    QTest::newRow("okx demo trading") << 1 << "https://www.okx.com:443" << "wss://wspap.okx.com:8443";
    QTest::newRow("simulator") << 2 << "http://127.0.0.1:8443" << "ws://127.0.0.1:8443";
    QTest::newRow("hyperliquid mainnet") << 3 << "https://api.hyperliquid.xyz:443" << "wss://api.hyperliquid.xyz";
}

void TestAccountsConfig::endpoints()
{
    QFETCH(int, account);
    QFETCH(QString, rest);
    QFETCH(QString, publicStream);
    std::string problem;
    const auto endpoints = endpointsFor(sampleAccounts().at(static_cast<std::size_t>(account)), problem);
    QVERIFY2(endpoints, problem.c_str());
    QCOMPARE(QString::fromStdString(endpoints->rest.toString()).remove(QRegularExpression(QStringLiteral("/$"))), rest);
    QVERIFY2(QString::fromStdString(endpoints->publicStream.toString()).startsWith(publicStream),
             endpoints->publicStream.toString().c_str());
}

QTEST_APPLESS_MAIN(TestAccountsConfig)
#include "tst_accounts_config.moc"
