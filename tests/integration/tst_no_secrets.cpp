// No secret leaves the keychain: margin-monitor is run as a trader runs it — exchange accounts in
// its configuration, their keys in a real Secret Service (GNOME Keyring on a private session bus,
// started by the test command), the venues simulated on loopback — with every Qt log category
// switched on. Then every file it wrote (its home, config, data, cache, state and temp folders,
// the screenshot) and everything it printed are searched for each secret, passphrase and whole
// API key. The test fails on the first one found, naming where.
#include "config/accounts_config.h"
#include "dialogs/account_secrets.h"
#include "keychain/secret_store.h"
#include "sim/demo_portfolios.h"
#include "sim/exchange_simulator.h"

#include <QDirIterator>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace mm;

namespace {

Portfolio demoAccount(Venue venue)
{
    for (Portfolio& portfolio : sim::demoPortfolios()) {
        if (portfolio.account.venue == venue) {
            return portfolio;
        }
    }
    return {};
}

/// One configured account and what the keychain holds for it.
struct Keyed {
    std::string id;
    Venue venue;
    std::string apiKey;
    std::string secret;     ///< as stored in the keychain (Bybit's is wrong on purpose)
    std::string passphrase; ///< OKX
};

} // namespace

class TestNoSecrets : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void noSecretInAnythingTheAppWrote();

private:
    bool store(ui::SecretStore& keychain, const QString& key, const std::string& value);
};

bool TestNoSecrets::store(ui::SecretStore& keychain, const QString& key, const std::string& value)
{
    bool done = false;
    bool ok = false;
    keychain.write(key, QString::fromStdString(value), [&](const ui::SecretStore::Result& result) {
        ok = result.status == ui::SecretStore::Status::Ok;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 20000)) {
        return false; // the keychain never answered
    }
    return ok;
}

void TestNoSecrets::noSecretInAnythingTheAppWrote()
{
    // Recognisable values, so that a match anywhere is certainly a leak.
    const std::vector<Keyed> keyed = {
        {"binance-main", Venue::BinanceUsdm, "LEAKCHECKKEYbinance0001", "LEAKCHECKSECRETbinance7f3a9c", ""},
        {"okx-main", Venue::OkxSwap, "LEAKCHECKKEYokx0002", "LEAKCHECKSECRETokx55e1d0", "LEAKCHECKPASSokx"},
        {"bybit-main", Venue::BybitLinear, "LEAKCHECKKEYbybit0003", "LEAKCHECKSECRETbybitWRONG9b2", ""},
    };
    const std::string bybitRealSecret = "LEAKCHECKSECRETbybitREAL4410";

    // The simulated venues, plain HTTP and WebSocket on loopback (a custom URL), knowing the keys.
    sim::SimulatorOptions simulated;
    for (const Keyed& account : keyed) {
        const Portfolio portfolio = demoAccount(account.venue);
        for (const Position& position : portfolio.positions) {
            simulated.startPrices[position.symbol] = position.markPrice.toDouble();
        }
        simulated.apiKeys.push_back({account.venue, account.apiKey,
                                     account.venue == Venue::BybitLinear ? bybitRealSecret : account.secret,
                                     account.passphrase, {true, false, false}, portfolio});
    }
    sim::ExchangeSimulator exchange(simulated);
    exchange.start();
    const std::string url = "http://127.0.0.1:" + std::to_string(exchange.port());

    // The keys in the keychain, as Settings → Exchanges stores them.
    ui::SecretStore keychain;
    std::vector<AccountSettings> accounts;
    for (const Keyed& account : keyed) {
        const QString id = QString::fromStdString(account.id);
        QVERIFY(store(keychain, ui::secretKey(id, ui::account_secret::kReadKey), account.apiKey));
        QVERIFY(store(keychain, ui::secretKey(id, ui::account_secret::kReadSecret), account.secret));
        if (!account.passphrase.empty()) {
            QVERIFY(store(keychain, ui::secretKey(id, ui::account_secret::kReadPassphrase), account.passphrase));
        }
        AccountSettings settings;
        settings.id = account.id;
        settings.label = account.id;
        settings.venue = account.venue;
        settings.environment = VenueEnvironment::Custom;
        settings.customUrl = url;
        accounts.push_back(settings);
    }

    // The app's own folders, all inside one scratch root, with the configuration in place.
    QTemporaryDir root;
    QVERIFY(root.isValid());
    const QDir dir(root.path());
    for (const char* sub : {"home", "config", "data", "cache", "state", "tmp"}) {
        QVERIFY(dir.mkpath(QString::fromLatin1(sub)));
    }
    const QString configDir = dir.filePath(QStringLiteral("config/margin-monitor/Margin Monitor"));
    QVERIFY(QDir().mkpath(configDir));
    QFile config(configDir + QStringLiteral("/accounts.json"));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(QByteArray::fromStdString(writeAccountsConfig(accounts)));
    config.close();

    QProcess app;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment(); // the session bus with the keyring
    environment.insert(QStringLiteral("HOME"), dir.filePath(QStringLiteral("home")));
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
    environment.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("data")));
    environment.insert(QStringLiteral("XDG_CACHE_HOME"), dir.filePath(QStringLiteral("cache")));
    environment.insert(QStringLiteral("XDG_STATE_HOME"), dir.filePath(QStringLiteral("state")));
    environment.insert(QStringLiteral("TMPDIR"), dir.filePath(QStringLiteral("tmp")));
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    environment.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("*.debug=true")); // every category, loudest
    app.setProcessEnvironment(environment);
    const QString screenshot = dir.filePath(QStringLiteral("shot.png"));
    app.start(QStringLiteral(MARGIN_MONITOR_PATH), {QStringLiteral("--screenshot"), screenshot,
                                                     QStringLiteral("--quit-after"), QStringLiteral("8")});
    QVERIFY(app.waitForFinished(60000));
    const QByteArray printed = app.readAllStandardOutput() + app.readAllStandardError();
    QCOMPARE(app.exitCode(), 0);
    QVERIFY(QFileInfo::exists(screenshot));

    // The app really used the keys: the good ones logged in on their private streams, and Bybit
    // refused the wrong secret (so its refusal went through the logging too).
    bool binanceUsed = false;
    bool okxUsed = false;
    bool bybitRefused = false;
    for (const auto& entry : exchange.privateJournal()) {
        binanceUsed = binanceUsed || (entry.apiKey == keyed[0].apiKey && entry.action == "POST /fapi/v1/listenKey");
        okxUsed = okxUsed || (entry.apiKey == keyed[1].apiKey && entry.action == "login");
        bybitRefused = bybitRefused || (entry.apiKey == keyed[2].apiKey && entry.action == "auth refused");
    }
    QVERIFY2(binanceUsed, "the Binance key was never used: the test would prove nothing");
    QVERIFY2(okxUsed, "the OKX key never logged in: the test would prove nothing");
    QVERIFY2(bybitRefused, "the wrong Bybit secret was never tried");
    QVERIFY2(printed.contains("bybit-main"), printed.constData()); // the refusal was said, naming the account
    // The keys were checked at start too, as on save: the wrong Bybit secret said so, naming the
    // account and the venue's answer; the good keys got only the warning that they are not IP-bound.
    QVERIFY2(printed.contains(R"(key check, bybit-linear account "bybit-main": not usable)"), printed.right(4000).constData());
    QVERIFY2(!printed.contains(R"(key check, binance-usdm account "binance-main": not usable)"), printed.right(4000).constData());

    std::vector<std::string> secrets = {bybitRealSecret};
    for (const Keyed& account : keyed) {
        secrets.push_back(account.secret);
        secrets.push_back(account.apiKey); // a whole key is never shown either: only its first characters
        if (!account.passphrase.empty()) {
            secrets.push_back(account.passphrase);
        }
    }
    const auto search = [&](const QByteArray& content, const QString& where) {
        for (const std::string& secret : secrets) {
            QVERIFY2(!content.contains(QByteArray::fromStdString(secret)),
                     qPrintable(QStringLiteral("%1 holds the secret %2…").arg(where, QString::fromStdString(secret.substr(0, 12)))));
        }
    };
    search(printed, QStringLiteral("the app's output"));
    int files = 0;
    QDirIterator it(root.path(), QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
        search(file.readAll(), path);
        ++files;
    }
    QVERIFY(files >= 2); // the configuration and the screenshot at least
}

QTEST_GUILESS_MAIN(TestNoSecrets)
#include "tst_no_secrets.moc"
