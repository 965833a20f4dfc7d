// Settings → Exchanges, offscreen, against a real keychain and the exchange simulator. CTest runs
// this suite twice (as tst_keychain): inside a private D-Bus session with GNOME Keyring
// (tests/support/with_keyring.sh; MM_KEYCHAIN=present), and where no Secret Service answers
// (MM_KEYCHAIN=absent).
//  - present: accounts are added, edited and removed; accounts.json never holds a secret; the
//    keychain holds the keys afterwards and loses them on removal; the key is checked on the
//    simulator (in process, verified TLS with a throw-away CA, a Custom-environment account):
//    a wrong secret, a wrong OKX passphrase and an unknown Bybit key are refused with a visible
//    message naming the venue's refusal and are not saved; the right key is shown usable; a key
//    that can withdraw gets the loud warning; an unreachable exchange needs "Save anyway".
//  - absent: a visible message says keys cannot be stored here; keyed venues are refused, never
//    written elsewhere; Hyperliquid accounts still save.
//  - both: secret fields are masked and emptied when the form closes; a broken accounts.json is
//    reported with its field and reason and kept as accounts.json.broken-…; nothing logged holds a
//    secret. The dialogs are rendered to PNG files in the temporary folder for a person to look at.
#include "bridge/engine_host.h"
#include "bridge/key_checker.h"
#include "dialogs/account_editor.h"
#include "dialogs/account_secrets.h"
#include "dialogs/accounts_store.h"
#include "dialogs/exchange_accounts_dialog.h"
#include "keychain/secret_store.h"
#include "sim/demo_portfolios.h"
#include "sim/exchange_simulator.h"
#include "sim/throwaway_certificates.h"
#include "views/main_window.h"
#include "views/theme.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace mm;
using namespace mm::ui;

namespace {

const QString kSecret = QStringLiteral("sim-secret-settings-dialog-4e1b7c90d2a3");
const QString kWrongSecret = QStringLiteral("wrong-secret-settings-dialog-000000000");
const QString kPassphrase = QStringLiteral("correct horse battery");
const QString kTradeSecret = QStringLiteral("sim-trade-secret-settings-9a8b7c6d5e4f");
const QString kWallet = QStringLiteral("0x1234567890abcdef1234567890abcdef12345678");

QString keyName(const char* kind, Venue venue)
{
    return QStringLiteral("%1-%2-key").arg(QLatin1String(kind), QString::fromUtf8(venueName(venue).data()));
}

// Everything Qt and QtKeychain log during the run: no line may hold a secret.
QStringList g_logged;
QtMessageHandler g_previousHandler = nullptr;
void collectMessages(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    g_logged << message;
    if (message.contains(QLatin1String("propagateSizeHints"))) {
        return; // the offscreen platform's note on every dialog shown: noise
    }
    if (g_previousHandler != nullptr) {
        g_previousHandler(type, context, message);
    }
}

bool keychainExpected()
{
    return qEnvironmentVariable("MM_KEYCHAIN") == QLatin1String("present");
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

/// Runs one keychain operation and waits for its answer.
template <class Operation>
SecretStore::Result await(Operation operation)
{
    std::optional<SecretStore::Result> result;
    operation([&](const SecretStore::Result& answer) { result = answer; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 20'000)) {
        return {SecretStore::Status::Failed, {}, QStringLiteral("no answer from the keychain in 20 s")};
    }
    return *result;
}

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/// What the trader types into the account form.
struct Typed {
    QString name;
    Venue venue = Venue::BinanceUsdm;
    QString environment = QStringLiteral("custom");
    QString url;
    QString key;
    QString secret;
    QString passphrase;
    QString wallet;
};

void fill(AccountEditor& form, const Typed& typed)
{
    form.findChild<QLineEdit*>(QStringLiteral("label"))->setText(typed.name);
    auto* venue = form.findChild<QComboBox*>(QStringLiteral("venue"));
    venue->setCurrentIndex(venue->findData(QString::fromUtf8(venueName(typed.venue).data())));
    auto* environment = form.findChild<QComboBox*>(QStringLiteral("environment"));
    environment->setCurrentIndex(environment->findData(typed.environment));
    form.findChild<QLineEdit*>(QStringLiteral("customUrl"))->setText(typed.url);
    form.findChild<QLineEdit*>(QStringLiteral("readKey"))->setText(typed.key);
    form.findChild<QLineEdit*>(QStringLiteral("readSecret"))->setText(typed.secret);
    form.findChild<QLineEdit*>(QStringLiteral("readPassphrase"))->setText(typed.passphrase);
    form.findChild<QLineEdit*>(QStringLiteral("walletAddress"))->setText(typed.wallet);
}

QLineEdit* field(AccountEditor& form, const char* name)
{
    return form.findChild<QLineEdit*>(QString::fromLatin1(name));
}

bool waitIdle(const AccountEditor& form)
{
    return QTest::qWaitFor([&] { return !form.busy(); }, 60'000);
}

bool waitKeychain(const ExchangeAccountsDialog& dialog)
{
    return QTest::qWaitFor([&] { return dialog.keychainState() != KeychainState::Unknown; }, 30'000);
}

/// `name`.png in the temporary folder; `name`-absent.png in the run without a keychain.
QString savePng(QWidget& widget, QString name)
{
    name.replace(QStringLiteral(".png"), keychainExpected() ? QStringLiteral(".png") : QStringLiteral("-absent.png"));
    const QString path = QDir::temp().filePath(name);
    QTest::qWait(50); // let the layouts settle, as on a screen
    return widget.grab().save(path) ? path : QString();
}

} // namespace

class TestExchangeAccounts : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void storeKeepsABrokenFile();
    void dialogReportsABrokenFileAndKeepsIt();
    void secretFieldsAreMaskedAndEmptiedOnClose();
    void fieldProblemsAreNamedInTheFormsWords();
    void addEditRemoveRoundTrip();
    void wrongKeyIsExplainedInTheDialog_data();
    void wrongKeyIsExplainedInTheDialog();
    void keyThatCanWithdrawIsLoud();
    void unreachableExchangeNeedsSaveAnyway();
    void withoutAKeychainKeyedVenuesAreRefused();
    void mainWindowOpensItAndForwardsSaves();

private:
    /// A dialog on this test's accounts.json, trusting the simulator's CA, with the keychain probed.
    std::unique_ptr<ExchangeAccountsDialog> openDialog();
    [[nodiscard]] QString simulatorUrl() const;

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    sim::ThrowawayCertificates m_certificates;
    std::unique_ptr<sim::ExchangeSimulator> m_simulator;
};

void TestExchangeAccounts::initTestCase()
{
    QVERIFY2(qEnvironmentVariableIsSet("MM_KEYCHAIN"), "run through ctest: MM_KEYCHAIN=present|absent");
    QStandardPaths::setTestModeEnabled(true);
    applyDarkTheme(*qApp);
    g_previousHandler = qInstallMessageHandler(collectMessages);

    // The simulator: verified TLS with a throw-away CA; keys on the three keyed venues.
    m_certificates = sim::ThrowawayCertificates::make();
    sim::SimulatorOptions options;
    options.certificatePem = m_certificates.serverCertificatePem;
    options.privateKeyPem = m_certificates.serverKeyPem;
    options.walk.volatilityPerSecond = 0;
    options.walk.jumpsPerSecond = 0;
    for (const Venue venue : {Venue::BinanceUsdm, Venue::BybitLinear, Venue::OkxSwap}) {
        const Portfolio account = demoAccount(venue);
        const std::string passphrase = venue == Venue::OkxSwap ? kPassphrase.toStdString() : std::string();
        options.apiKeys.push_back({venue, keyName("reader", venue).toStdString(), kSecret.toStdString(), passphrase,
                                   {true, false, false, true}, account});
        options.apiKeys.push_back({venue, keyName("trader", venue).toStdString(), kTradeSecret.toStdString(), passphrase,
                                   {true, true, false, true}, account});
        options.apiKeys.push_back({venue, keyName("withdrawer", venue).toStdString(), kSecret.toStdString(), passphrase,
                                   {true, false, true, true}, account});
    }
    m_simulator = std::make_unique<sim::ExchangeSimulator>(options);
    m_simulator->start();
    QVERIFY(m_simulator->tls());
}

void TestExchangeAccounts::cleanupTestCase()
{
    m_simulator.reset();
    qInstallMessageHandler(g_previousHandler);
    for (const QString& line : std::as_const(g_logged)) {
        for (const QString& secret : {kSecret, kWrongSecret, kPassphrase, kTradeSecret}) {
            QVERIFY2(!line.contains(secret), qPrintable(QStringLiteral("a secret was logged: ") + line.left(80)));
        }
    }
}

void TestExchangeAccounts::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("config/accounts.json"));
}

QString TestExchangeAccounts::simulatorUrl() const
{
    return QStringLiteral("https://127.0.0.1:%1").arg(m_simulator->port());
}

std::unique_ptr<ExchangeAccountsDialog> TestExchangeAccounts::openDialog()
{
    auto dialog = std::make_unique<ExchangeAccountsDialog>(m_path);
    dialog->keyChecker().setCustomTrust(TlsTrust{{}, m_certificates.authorityPem});
    dialog->show();
    if (!waitKeychain(*dialog)) {
        return nullptr;
    }
    return dialog;
}

void TestExchangeAccounts::storeKeepsABrokenFile()
{
    AccountsStore store(m_path);
    QCOMPARE(store.load().problem, QString()); // no file: no accounts, no problem
    AccountSettings account;
    account.id = "hl-1";
    account.label = "Vault";
    account.venue = Venue::Hyperliquid;
    account.walletAddress = kWallet.toStdString();
    QString problem;
    QVERIFY2(store.save({account}, &problem), qPrintable(problem));
    AccountsStore again(m_path);
    const auto loaded = again.load();
    QCOMPARE(loaded.problem, QString());
    QCOMPARE(loaded.accounts.size(), std::size_t(1));
    QVERIFY(loaded.accounts.front() == account);

    // A broken file: reported with the field and the reason, never overwritten, kept on the next save.
    const QByteArray broken = R"({"accounts": [{"id": "a1", "label": "Main", "venue": "kraken"}]})";
    {
        QFile file(m_path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(broken);
    }
    AccountsStore reader(m_path);
    const auto bad = reader.load();
    QVERIFY(bad.accounts.empty());
    QCOMPARE(bad.field, QStringLiteral("accounts[0].venue"));
    QVERIFY2(bad.reason.contains(QStringLiteral("kraken")), qPrintable(bad.reason));
    QVERIFY2(bad.problem.contains(QStringLiteral("accounts[0].venue")) && bad.problem.contains(QStringLiteral("accounts.json")),
             qPrintable(bad.problem));
    QCOMPARE(readAll(m_path), broken);
    QVERIFY(reader.save({account}, &problem));
    const QStringList kept = QDir(QFileInfo(m_path).absolutePath()).entryList({QStringLiteral("accounts.json.broken-*")});
    QCOMPARE(kept.size(), 1);
    QCOMPARE(readAll(QFileInfo(m_path).absolutePath() + QLatin1Char('/') + kept.front()), broken);
    QCOMPARE(AccountsStore(m_path).load().accounts.size(), std::size_t(1));

    // A secret-looking field is refused by the reader with words saying where secrets belong.
    {
        QFile file(m_path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(R"({"accounts": [{"id": "a1", "label": "Main", "venue": "binance-usdm", "apiSecret": "x"}]})");
    }
    const auto secretField = AccountsStore(m_path).load();
    QCOMPARE(secretField.field, QStringLiteral("accounts[0].apiSecret"));
    QVERIFY2(secretField.reason.contains(QStringLiteral("keychain")), qPrintable(secretField.reason));
}

void TestExchangeAccounts::dialogReportsABrokenFileAndKeepsIt()
{
    QVERIFY(QDir().mkpath(QFileInfo(m_path).absolutePath()));
    const QByteArray broken = R"({"accounts": [{"id": "a1", "label": "Main", "venue": "binance-usdm", "environment": "moon"}]})";
    {
        QFile file(m_path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(broken);
    }
    auto dialog = openDialog();
    QVERIFY(dialog);
    auto* banner = dialog->findChild<QLabel*>(QStringLiteral("loadProblem"));
    QVERIFY(banner->isVisible());
    QVERIFY2(banner->text().contains(QStringLiteral("accounts[0].environment")) && banner->text().contains(QStringLiteral("moon")) &&
                 banner->text().contains(QStringLiteral("broken")),
             qPrintable(banner->text()));
    QVERIFY(dialog->accounts().empty());
    QCOMPARE(readAll(m_path), broken); // opening did not touch it
    QVERIFY(!savePng(*dialog, QStringLiteral("tst_exchange_accounts_broken_file.png")).isEmpty());

    // A Hyperliquid account needs no keychain: it saves, and the broken file is kept beside.
    QSignalSpy changed(dialog.get(), &ExchangeAccountsDialog::accountsChanged);
    AccountEditor* form = dialog->editor(-1);
    form->show();
    fill(*form, {QStringLiteral("Vault"), Venue::Hyperliquid, QStringLiteral("mainnet"), {}, {}, {}, {}, kWallet});
    QVERIFY(field(*form, "walletAddress")->isVisible());
    QVERIFY(!field(*form, "readKey")->isVisible()); // no key fields for Hyperliquid
    QVERIFY(!form->findChild<QCheckBox*>(QStringLiteral("hasTradeKey"))->isVisible());
    form->save();
    QVERIFY(waitIdle(*form));
    QCOMPARE(form->problem(), QString());
    QCOMPARE(changed.count(), 1);
    QCOMPARE(dialog->accounts().size(), std::size_t(1));
    QVERIFY(!banner->isVisible());
    const QStringList kept = QDir(QFileInfo(m_path).absolutePath()).entryList({QStringLiteral("accounts.json.broken-*")});
    QCOMPARE(kept.size(), 1);
    QCOMPARE(readAll(QFileInfo(m_path).absolutePath() + QLatin1Char('/') + kept.front()), broken);
    const auto reloaded = AccountsStore(m_path).load();
    QCOMPARE(reloaded.problem, QString());
    QCOMPARE(reloaded.accounts.front().walletAddress, kWallet.toStdString());
    QVERIFY(dialog->keyStatusText(0).contains(QStringLiteral("no key needed")));
    delete form;
}

void TestExchangeAccounts::secretFieldsAreMaskedAndEmptiedOnClose()
{
    auto dialog = openDialog();
    QVERIFY(dialog);
    AccountEditor* form = dialog->editor(-1);
    form->show();
    fill(*form, {QStringLiteral("Masked"), Venue::OkxSwap, QStringLiteral("mainnet"), {}, QStringLiteral("some-key"), kSecret,
                 kPassphrase, {}});
    form->findChild<QCheckBox*>(QStringLiteral("hasTradeKey"))->setChecked(true);
    field(*form, "tradeKey")->setText(QStringLiteral("other-key"));
    field(*form, "tradeSecret")->setText(kTradeSecret);
    field(*form, "tradePassphrase")->setText(kPassphrase);
    for (const char* name : {"readSecret", "readPassphrase", "tradeSecret", "tradePassphrase"}) {
        QVERIFY2(field(*form, name)->isVisible(), name);
        QCOMPARE(field(*form, name)->echoMode(), QLineEdit::Password);
        QVERIFY(field(*form, name)->displayText() != field(*form, name)->text()); // what is drawn is masked
    }
    for (const char* name : {"readKey", "tradeKey"}) {
        QCOMPARE(field(*form, name)->echoMode(), QLineEdit::PasswordEchoOnEdit); // shown while typed, masked after
    }
    // Only OKX has passphrases.
    auto* venue = form->findChild<QComboBox*>(QStringLiteral("venue"));
    venue->setCurrentIndex(venue->findData(QStringLiteral("bybit-linear")));
    QVERIFY(!field(*form, "readPassphrase")->isVisible());
    QVERIFY(!field(*form, "tradePassphrase")->isVisible());
    QVERIFY(!savePng(*form, QStringLiteral("tst_exchange_accounts_form.png")).isEmpty());
    form->reject();
    for (const char* name : {"readKey", "readSecret", "readPassphrase", "tradeKey", "tradeSecret", "tradePassphrase"}) {
        QVERIFY2(field(*form, name)->text().isEmpty(), name);
    }
    QVERIFY(!QFile::exists(m_path)); // cancelled: nothing stored
    delete form;
}

void TestExchangeAccounts::fieldProblemsAreNamedInTheFormsWords()
{
    auto dialog = openDialog();
    QVERIFY(dialog);
    AccountEditor* form = dialog->editor(-1);
    form->show();
    fill(*form, {{}, Venue::BinanceUsdm, QStringLiteral("mainnet"), {}, QStringLiteral("k"), QStringLiteral("s"), {}, {}});
    form->save();
    QVERIFY2(form->problem().startsWith(QStringLiteral("Name: is required")), qPrintable(form->problem()));
    fill(*form, {QStringLiteral("Proxy"), Venue::BinanceUsdm, QStringLiteral("custom"), QStringLiteral("http://exchange.example.com"),
                 QStringLiteral("k"), QStringLiteral("s"), {}, {}});
    form->save();
    QVERIFY2(form->problem().startsWith(QStringLiteral("Custom URL: ")), qPrintable(form->problem()));
    fill(*form, {QStringLiteral("Vault"), Venue::Hyperliquid, QStringLiteral("mainnet"), {}, {}, {}, {}, QStringLiteral("0x12")});
    form->save();
    QVERIFY2(form->problem().startsWith(QStringLiteral("Wallet address: ")), qPrintable(form->problem()));
    if (keychainExpected()) {
        fill(*form, {QStringLiteral("Main"), Venue::OkxSwap, QStringLiteral("mainnet"), {}, QStringLiteral("k"), QStringLiteral("s"), {}, {}});
        form->save();
        QVERIFY2(form->problem().startsWith(QStringLiteral("Passphrase: ")), qPrintable(form->problem()));
        fill(*form, {QStringLiteral("Main"), Venue::BybitLinear, QStringLiteral("mainnet"), {}, QStringLiteral("k"), {}, {}, {}});
        form->save();
        QVERIFY2(form->problem().startsWith(QStringLiteral("Secret: ")), qPrintable(form->problem()));
    }
    QVERIFY(!form->busy());
    QVERIFY(!QFile::exists(m_path));
    delete form;
}

void TestExchangeAccounts::addEditRemoveRoundTrip()
{
    if (!keychainExpected()) {
        QSKIP("needs a keychain");
    }
    auto dialog = openDialog();
    QVERIFY(dialog);
    QCOMPARE(dialog->keychainState(), KeychainState::Available);
    QVERIFY(!dialog->findChild<QLabel*>(QStringLiteral("keychainMessage"))->isVisible());
    QSignalSpy changed(dialog.get(), &ExchangeAccountsDialog::accountsChanged);
    SecretStore keychain(QStringLiteral("margin-monitor"));

    // Add: an OKX account (key, secret, passphrase) on the simulator, checked, then stored.
    AccountEditor* form = dialog->editor(-1);
    form->show();
    const QString readerKey = keyName("reader", Venue::OkxSwap);
    fill(*form, {QStringLiteral("OKX main"), Venue::OkxSwap, QStringLiteral("custom"), simulatorUrl(), readerKey, kSecret, kPassphrase, {}});
    form->save();
    QVERIFY(waitIdle(*form));
    QVERIFY2(form->result() == QDialog::Accepted, qPrintable(form->problem() + QLatin1Char('\n') + form->keyCheckText()));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(dialog->accounts().size(), std::size_t(1));
    const AccountSettings added = dialog->accounts().front();
    QCOMPARE(added.label, std::string("OKX main"));
    QCOMPARE(added.venue, Venue::OkxSwap);
    QCOMPARE(added.environment, VenueEnvironment::Custom);
    QVERIFY(changed.front().front().value<std::vector<AccountSettings>>() == dialog->accounts());
    const QString id = QString::fromStdString(added.id);
    QVERIFY2(dialog->keyStatusText(0).startsWith(QStringLiteral("usable")), qPrintable(dialog->keyStatusText(0)));
    for (const char* name : {"readKey", "readSecret", "readPassphrase"}) {
        QVERIFY2(field(*form, name)->text().isEmpty(), name); // emptied when the form closed
    }
    delete form;

    // The file: the account, no secret, not even the key.
    QByteArray file = readAll(m_path);
    QVERIFY(file.contains("OKX main"));
    for (const QString& secret : {kSecret, kPassphrase, readerKey}) {
        QVERIFY2(!file.contains(secret.toUtf8()), qPrintable(secret.left(6)));
    }
    // The keychain: all three, under the documented names.
    QCOMPARE(await([&](auto done) { keychain.read(secretKey(id, account_secret::kReadKey), done); }).secret, readerKey);
    QCOMPARE(await([&](auto done) { keychain.read(secretKey(id, account_secret::kReadSecret), done); }).secret, kSecret);
    QCOMPARE(await([&](auto done) { keychain.read(secretKey(id, account_secret::kReadPassphrase), done); }).secret, kPassphrase);

    // Edit the name only: no key typed, the keychain's kept, no check needed.
    form = dialog->editor(0);
    form->show();
    QVERIFY(field(*form, "readSecret")->placeholderText().contains(QStringLiteral("keychain")));
    field(*form, "label")->setText(QStringLiteral("OKX swing"));
    form->save();
    QVERIFY(waitIdle(*form));
    QVERIFY2(form->result() == QDialog::Accepted, qPrintable(form->problem()));
    QCOMPARE(changed.count(), 2);
    QCOMPARE(dialog->accounts().front().label, std::string("OKX swing"));
    QCOMPARE(dialog->accounts().front().id, added.id);
    QCOMPARE(await([&](auto done) { keychain.read(secretKey(id, account_secret::kReadSecret), done); }).secret, kSecret);
    delete form;

    // Edit: add the separate trade key; "Check key" with the read fields empty checks the stored key.
    form = dialog->editor(0);
    form->show();
    form->findChild<QCheckBox*>(QStringLiteral("hasTradeKey"))->setChecked(true);
    field(*form, "tradeKey")->setText(keyName("trader", Venue::OkxSwap));
    field(*form, "tradeSecret")->setText(kTradeSecret);
    field(*form, "tradePassphrase")->setText(kPassphrase);
    form->checkKey();
    QVERIFY(form->busy());
    QVERIFY2(form->keyCheckText().startsWith(QStringLiteral("Checking")), qPrintable(form->keyCheckText()));
    QVERIFY(waitIdle(*form));
    QVERIFY2(form->keyCheckText().contains(QStringLiteral("Read key: usable")) && form->keyCheckText().contains(QStringLiteral("Trade key: usable")),
             qPrintable(form->keyCheckText()));
    form->save();
    QVERIFY(waitIdle(*form));
    QVERIFY2(form->result() == QDialog::Accepted, qPrintable(form->problem() + QLatin1Char('\n') + form->keyCheckText()));
    QCOMPARE(changed.count(), 3);
    QVERIFY(dialog->accounts().front().hasTradeKey);
    QCOMPARE(await([&](auto done) { keychain.read(secretKey(id, account_secret::kTradeSecret), done); }).secret, kTradeSecret);
    file = readAll(m_path);
    QVERIFY(file.contains("\"hasTradeKey\": true"));
    QVERIFY(!file.contains(kTradeSecret.toUtf8()));
    QVERIFY(!savePng(*dialog, QStringLiteral("tst_exchange_accounts_list.png")).isEmpty());
    delete form;

    // Remove: gone from the file and from the keychain, every entry.
    std::optional<SecretStore::Result> removed;
    QCOMPARE(dialog->removeAccount(0, [&](const SecretStore::Result& result) { removed = result; }), QString());
    QVERIFY(QTest::qWaitFor([&] { return removed.has_value(); }, 20'000));
    QCOMPARE(removed->status, SecretStore::Status::Ok);
    QCOMPARE(changed.count(), 4);
    QVERIFY(dialog->accounts().empty());
    QVERIFY(AccountsStore(m_path).load().accounts.empty());
    for (const QString& key : allSecretKeys(id)) {
        QCOMPARE(await([&](auto done) { keychain.read(key, done); }).status, SecretStore::Status::NotFound);
    }
}

void TestExchangeAccounts::wrongKeyIsExplainedInTheDialog_data()
{
    QTest::addColumn<Venue>("venue");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QString>("passphrase");
    QTest::addColumn<QStringList>("said"); // what the visible message must name
    QTest::newRow("Binance, wrong secret") << Venue::BinanceUsdm << keyName("reader", Venue::BinanceUsdm) << kWrongSecret << QString()
                                           << QStringList{QStringLiteral("Binance"), QStringLiteral("-1022")};
    QTest::newRow("OKX, wrong passphrase") << Venue::OkxSwap << keyName("reader", Venue::OkxSwap) << kSecret
                                           << QStringLiteral("wrong passphrase") << QStringList{QStringLiteral("OKX"), QStringLiteral("50105")};
    QTest::newRow("Bybit, unknown key") << Venue::BybitLinear << QStringLiteral("no-such-key-on-bybit") << kSecret << QString()
                                        << QStringList{QStringLiteral("Bybit"), QStringLiteral("10003")};
}

void TestExchangeAccounts::wrongKeyIsExplainedInTheDialog()
{
    if (!keychainExpected()) {
        QSKIP("needs a keychain");
    }
    QFETCH(Venue, venue);
    QFETCH(QString, key);
    QFETCH(QString, secret);
    QFETCH(QString, passphrase);
    QFETCH(QStringList, said);
    auto dialog = openDialog();
    QVERIFY(dialog);
    QSignalSpy changed(dialog.get(), &ExchangeAccountsDialog::accountsChanged);
    AccountEditor* form = dialog->editor(-1);
    form->show();
    fill(*form, {QStringLiteral("Wrong key"), venue, QStringLiteral("custom"), simulatorUrl(), key, secret, passphrase, {}});
    QSignalSpy saved(form, &AccountEditor::saved);
    form->save();
    QVERIFY(waitIdle(*form));

    // Refused, visibly, in the venue's words — and nothing stored.
    auto* status = form->findChild<QLabel*>(QStringLiteral("keyCheckStatus"));
    QVERIFY(status->isVisible());
    QVERIFY2(status->text().contains(QStringLiteral("not usable")), qPrintable(status->text()));
    for (const QString& words : said) {
        QVERIFY2(status->text().contains(words), qPrintable(QStringLiteral("«%1» not in: %2").arg(words, status->text())));
    }
    QVERIFY2(!status->text().contains(secret) && (passphrase.isEmpty() || !status->text().contains(passphrase)), "a secret is shown");
    QVERIFY2(form->problem().startsWith(QStringLiteral("Not saved")), qPrintable(form->problem()));
    QVERIFY(form->findChild<QPushButton*>(QStringLiteral("saveAnyway"))->isVisible());
    QCOMPARE(saved.count(), 0);
    QCOMPARE(changed.count(), 0);
    QVERIFY(form->isVisible());
    QVERIFY(!QFile::exists(m_path));
    SecretStore keychain(QStringLiteral("margin-monitor"));
    const QString id = QString::fromStdString(form->settings().id);
    QCOMPARE(await([&](auto done) { keychain.read(secretKey(id, account_secret::kReadSecret), done); }).status,
             SecretStore::Status::NotFound);
    if (venue == Venue::BinanceUsdm) {
        const QString png = savePng(*form, QStringLiteral("tst_exchange_accounts_wrong_key.png"));
        QVERIFY(!png.isEmpty());
        qInfo("rendered %s", qPrintable(png));
    }

    // The right one: usable, shown so, and saved.
    if (venue == Venue::BybitLinear) {
        field(*form, "readKey")->setText(keyName("reader", venue));
    }
    field(*form, "readSecret")->setText(kSecret);
    field(*form, "readPassphrase")->setText(venue == Venue::OkxSwap ? kPassphrase : QString());
    QVERIFY(!form->findChild<QPushButton*>(QStringLiteral("saveAnyway"))->isVisible()); // the inputs changed
    form->checkKey();
    QVERIFY(waitIdle(*form));
    QVERIFY2(status->text().startsWith(QStringLiteral("Read key: usable")), qPrintable(status->text()));
    QVERIFY(!form->findChild<QPushButton*>(QStringLiteral("saveAnyway"))->isVisible());
    if (venue == Venue::BinanceUsdm) {
        QVERIFY(!savePng(*form, QStringLiteral("tst_exchange_accounts_right_key.png")).isEmpty());
    }
    form->save();
    QVERIFY(waitIdle(*form));
    QCOMPARE(saved.count(), 1);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(await([&](auto done) { keychain.read(secretKey(id, account_secret::kReadSecret), done); }).secret, kSecret);
    QCOMPARE(dialog->removeAccount(0), QString());
    QVERIFY(QTest::qWaitFor([&] {
        return await([&](auto done) { keychain.read(secretKey(id, account_secret::kReadSecret), done); }).status ==
               SecretStore::Status::NotFound;
    }, 20'000));
    delete form;
}

void TestExchangeAccounts::keyThatCanWithdrawIsLoud()
{
    if (!keychainExpected()) {
        QSKIP("needs a keychain");
    }
    auto dialog = openDialog();
    QVERIFY(dialog);
    AccountEditor* form = dialog->editor(-1);
    form->show();
    fill(*form, {QStringLiteral("Dangerous"), Venue::BinanceUsdm, QStringLiteral("custom"), simulatorUrl(),
                 keyName("withdrawer", Venue::BinanceUsdm), kSecret, {}, {}});
    form->checkKey();
    QVERIFY(waitIdle(*form));
    auto* panel = form->findChild<QWidget*>(QStringLiteral("withdrawWarning"));
    QVERIFY2(panel->isVisible(), qPrintable(form->keyCheckText()));
    QVERIFY2(form->withdrawWarning().contains(QStringLiteral("withdraw"), Qt::CaseInsensitive), qPrintable(form->withdrawWarning()));
    auto* text = form->findChild<QLabel*>(QStringLiteral("withdrawWarningText"));
    QVERIFY(text->styleSheet().contains(QStringLiteral("bold")));
    QVERIFY(!savePng(*form, QStringLiteral("tst_exchange_accounts_withdraw.png")).isEmpty());
    delete form;
}

void TestExchangeAccounts::unreachableExchangeNeedsSaveAnyway()
{
    if (!keychainExpected()) {
        QSKIP("needs a keychain");
    }
    // A port nothing listens on: the key cannot be checked now.
    quint16 closedPort = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        closedPort = probe.serverPort();
    }
    auto dialog = openDialog();
    QVERIFY(dialog);
    AccountEditor* form = dialog->editor(-1);
    form->show();
    fill(*form, {QStringLiteral("Offline"), Venue::BybitLinear, QStringLiteral("custom"),
                 QStringLiteral("http://127.0.0.1:%1").arg(closedPort), QStringLiteral("some-key"), kSecret, {}, {}});
    form->save();
    QVERIFY(waitIdle(*form));
    QVERIFY2(form->keyCheckText().contains(QStringLiteral("not usable")), qPrintable(form->keyCheckText()));
    QVERIFY(!QFile::exists(m_path));
    auto* anyway = form->findChild<QPushButton*>(QStringLiteral("saveAnyway"));
    QVERIFY(anyway->isVisible());
    anyway->click();
    QVERIFY(waitIdle(*form));
    QVERIFY2(form->result() == QDialog::Accepted, qPrintable(form->problem()));
    QCOMPARE(dialog->accounts().size(), std::size_t(1));
    QVERIFY2(dialog->keyStatusText(0).startsWith(QStringLiteral("saved without a passing check")), qPrintable(dialog->keyStatusText(0)));
    QVERIFY(!readAll(m_path).contains(kSecret.toUtf8()));
    std::optional<SecretStore::Result> removed;
    QCOMPARE(dialog->removeAccount(0, [&](const SecretStore::Result& result) { removed = result; }), QString());
    QVERIFY(QTest::qWaitFor([&] { return removed.has_value(); }, 20'000));
    delete form;
}

void TestExchangeAccounts::withoutAKeychainKeyedVenuesAreRefused()
{
    if (keychainExpected()) {
        QSKIP("the run without a keychain (tst_exchange_accounts_absent) checks this");
    }
    auto dialog = openDialog();
    QVERIFY(dialog);
    QCOMPARE(dialog->keychainState(), KeychainState::Unavailable);
    auto* banner = dialog->findChild<QLabel*>(QStringLiteral("keychainMessage"));
    QVERIFY(banner->isVisible());
    QVERIFY2(banner->text().contains(QStringLiteral("cannot be stored")) && banner->text().contains(QStringLiteral("Hyperliquid")) &&
                 banner->text().contains(QStringLiteral("Manual positions")),
             qPrintable(banner->text()));
    QVERIFY(!savePng(*dialog, QStringLiteral("tst_exchange_accounts_no_keychain.png")).isEmpty());

    AccountEditor* form = dialog->editor(-1);
    form->show();
    fill(*form, {QStringLiteral("Binance main"), Venue::BinanceUsdm, QStringLiteral("mainnet"), {}, QStringLiteral("k"), kSecret, {}, {}});
    auto* message = form->findChild<QLabel*>(QStringLiteral("keychainMessage"));
    QVERIFY(message->isVisible());
    QVERIFY(message->text().contains(QStringLiteral("cannot be saved")));
    QVERIFY(!field(*form, "readSecret")->isEnabled());
    QVERIFY(!savePng(*form, QStringLiteral("tst_exchange_accounts_no_keychain_form.png")).isEmpty());
    QSignalSpy saved(form, &AccountEditor::saved);
    form->save();
    QVERIFY(waitIdle(*form));
    QCOMPARE(saved.count(), 0);
    QVERIFY2(form->problem().contains(QStringLiteral("no keychain")), qPrintable(form->problem()));
    QVERIFY(!QFile::exists(m_path));
    // No plaintext fallback anywhere under the home folder or the test's folder.
    for (const QString& root : {QDir::homePath(), m_dir->path()}) {
        QDirIterator files(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        int looked = 0;
        while (files.hasNext() && looked < 20'000) {
            QFile file(files.next());
            ++looked;
            if (file.size() < 1'000'000 && file.open(QIODevice::ReadOnly)) {
                QVERIFY2(!file.readAll().contains(kSecret.toUtf8()), qPrintable(file.fileName()));
            }
        }
    }

    // Hyperliquid still saves.
    fill(*form, {QStringLiteral("Vault"), Venue::Hyperliquid, QStringLiteral("mainnet"), {}, {}, {}, {}, kWallet});
    QVERIFY(!message->isVisible());
    form->save();
    QVERIFY(waitIdle(*form));
    QCOMPARE(saved.count(), 1);
    QCOMPARE(AccountsStore(m_path).load().accounts.size(), std::size_t(1));
    delete form;
}

void TestExchangeAccounts::mainWindowOpensItAndForwardsSaves()
{
    // The app's own file (QStandardPaths' test folder), left as found.
    const QString path = AccountsStore::defaultPath();
    QVERIFY(path.contains(QStringLiteral("qttest")));
    QFile::remove(path);
    EngineHost engine(EngineOptions{}); // not the demo, nothing to watch
    MainWindow window(engine);
    QSignalSpy changed(&window, &MainWindow::accountsChanged);
    auto* action = window.findChild<QAction*>(QStringLiteral("exchangeAccountsAction"));
    QVERIFY(action);
    QCOMPARE(action->text(), QStringLiteral("&Exchanges…"));
    action->trigger();
    auto* dialog = window.findChild<ExchangeAccountsDialog*>();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QVERIFY(!dialog->isModal()); // the positions stay usable beside it
    action->trigger();
    QCOMPARE(window.findChildren<ExchangeAccountsDialog*>().size(), 1); // one at a time
    QVERIFY(waitKeychain(*dialog));
    AccountEditor* form = dialog->editor(-1);
    fill(*form, {QStringLiteral("Vault"), Venue::Hyperliquid, QStringLiteral("mainnet"), {}, {}, {}, {}, kWallet});
    form->save();
    QVERIFY(waitIdle(*form));
    QCOMPARE(changed.count(), 1);
    const auto accounts = changed.front().front().value<std::vector<AccountSettings>>();
    QCOMPARE(accounts.size(), std::size_t(1));
    QCOMPARE(accounts.front().walletAddress, kWallet.toStdString());
    delete form;
    QVERIFY(QFile::remove(path));
}

QTEST_MAIN(TestExchangeAccounts)
#include "tst_exchange_accounts.moc"
