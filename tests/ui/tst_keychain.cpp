// The OS keychain, for real: CTest runs this suite twice — inside a private D-Bus session with
// GNOME Keyring (tests/support/with_keyring.sh), where secrets go in, come back and go away; and on
// a session bus where no Secret Service answers, where the store says so in words and never falls
// back to a file. MM_KEYCHAIN says which of the two this run is ("present" or "absent").
#include "keychain/secret_store.h"

#include <QDir>
#include <QDirIterator>
#include <QSignalSpy>
#include <QtTest>

using mm::ui::SecretStore;

namespace {

/// Runs one operation and waits for its answer.
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

bool keychainExpected()
{
    return qEnvironmentVariable("MM_KEYCHAIN") == QLatin1String("present");
}

} // namespace

class TestKeychain : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void saysWhetherAKeychainWorks();
    void roundTrips_data();
    void roundTrips();
    void removedIsGoneAndRemovingTwiceIsFine();
    void servicesAreKeptApart();
    void neverFallsBackToAFile();

private:
    QString m_key;
};

void TestKeychain::initTestCase()
{
    QVERIFY2(qEnvironmentVariableIsSet("MM_KEYCHAIN"), "run through ctest: MM_KEYCHAIN=present|absent");
    m_key = mm::ui::secretKey(QStringLiteral("test-account"), QStringLiteral("secret"));
    QCOMPARE(m_key, QStringLiteral("test-account/secret"));
}

void TestKeychain::saysWhetherAKeychainWorks()
{
    SecretStore store(QStringLiteral("margin-monitor-tests"));
    const auto result = await([&](auto done) { store.checkAvailable(done); });
    if (keychainExpected()) {
        QVERIFY2(result.status == SecretStore::Status::Ok, qPrintable(result.problem));
        QVERIFY(result.problem.isEmpty());
    } else {
        QVERIFY2(result.status == SecretStore::Status::NoKeychain, qPrintable(result.problem));
        QVERIFY2(result.problem.contains(QStringLiteral("no keychain is available")) &&
                     result.problem.contains(QStringLiteral("manual positions")),
                 qPrintable(result.problem));
    }
}

void TestKeychain::roundTrips_data()
{
    QTest::addColumn<QString>("secret");
    QTest::newRow("hex secret") << "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9";
    QTest::newRow("passphrase with spaces and unicode") << QStringLiteral("pass phrase — ünïcødé ✓");
    QTest::newRow("one character") << "x";
}

void TestKeychain::roundTrips()
{
    QFETCH(QString, secret);
    SecretStore store(QStringLiteral("margin-monitor-tests"));
    const auto written = await([&](auto done) { store.write(m_key, secret, done); });
    if (!keychainExpected()) {
        // Refused with words; never Ok, never a secret read back from anywhere.
        QVERIFY(written.status != SecretStore::Status::Ok && !written.problem.isEmpty());
        const auto read = await([&](auto done) { store.read(m_key, done); });
        QVERIFY(read.status != SecretStore::Status::Ok && read.secret.isEmpty());
        return;
    }
    QVERIFY2(written.status == SecretStore::Status::Ok, qPrintable(written.problem));
    const auto read = await([&](auto done) { store.read(m_key, done); });
    QVERIFY2(read.status == SecretStore::Status::Ok, qPrintable(read.problem));
    QCOMPARE(read.secret, secret);
    // Writing again replaces.
    QCOMPARE(await([&](auto done) { store.write(m_key, secret + QStringLiteral("-2"), done); }).status, SecretStore::Status::Ok);
    QCOMPARE(await([&](auto done) { store.read(m_key, done); }).secret, secret + QStringLiteral("-2"));
}

void TestKeychain::removedIsGoneAndRemovingTwiceIsFine()
{
    if (!keychainExpected()) {
        QSKIP("needs a keychain");
    }
    SecretStore store(QStringLiteral("margin-monitor-tests"));
    QCOMPARE(await([&](auto done) { store.write(m_key, QStringLiteral("s"), done); }).status, SecretStore::Status::Ok);
    QCOMPARE(await([&](auto done) { store.remove(m_key, done); }).status, SecretStore::Status::Ok);
    const auto read = await([&](auto done) { store.read(m_key, done); });
    QCOMPARE(read.status, SecretStore::Status::NotFound);
    QVERIFY(read.secret.isEmpty());
    QVERIFY(read.problem.contains(QStringLiteral("no secret is stored")));
    QCOMPARE(await([&](auto done) { store.remove(m_key, done); }).status, SecretStore::Status::Ok);
}

void TestKeychain::servicesAreKeptApart()
{
    if (!keychainExpected()) {
        QSKIP("needs a keychain");
    }
    SecretStore mine(QStringLiteral("margin-monitor-tests"));
    SecretStore other(QStringLiteral("margin-monitor-tests-other"));
    QCOMPARE(await([&](auto done) { mine.write(m_key, QStringLiteral("mine"), done); }).status, SecretStore::Status::Ok);
    QCOMPARE(await([&](auto done) { other.read(m_key, done); }).status, SecretStore::Status::NotFound);
    QCOMPARE(await([&](auto done) { mine.remove(m_key, done); }).status, SecretStore::Status::Ok);
}

void TestKeychain::neverFallsBackToAFile()
{
    // Whatever the keychain did, no file under the home folder (the run's own, see with_keyring.sh,
    // or the real one) holds a secret this suite wrote in the clear.
    const QString marker = QStringLiteral("never-in-a-file-%1").arg(QCoreApplication::applicationPid());
    SecretStore store(QStringLiteral("margin-monitor-tests"));
    (void)await([&](auto done) { store.write(m_key, marker, done); });
    QDirIterator files(QDir::homePath(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    int looked = 0;
    while (files.hasNext() && looked < 20'000) {
        QFile file(files.next());
        ++looked;
        if (file.size() < 1'000'000 && file.open(QIODevice::ReadOnly)) {
            QVERIFY2(!file.readAll().contains(marker.toUtf8()), qPrintable(file.fileName()));
        }
    }
    (void)await([&](auto done) { store.remove(m_key, done); });
}

QTEST_MAIN(TestKeychain)
#include "tst_keychain.moc"
