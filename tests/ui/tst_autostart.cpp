// Settings → Start at login: the XDG autostart entry names this executable (quoted as the Desktop
// Entry spec wants, whatever the path), passes desktop-file-validate, and goes away when switched off.
#include "app/autostart.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QtTest>

using mm::ui::Autostart;

class TestAutostart : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void quotesExecArguments_data();
    void quotesExecArguments();
    void switchesOnAndOff_data();
    void switchesOnAndOff();
    void anEntrySwitchedOffElsewhereIsOff_data();
    void anEntrySwitchedOffElsewhereIsOff();
    void saysWhyItCannotWrite();
};

void TestAutostart::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // ~/.qttest/config: never the real autostart folder
    QFile::remove(Autostart::entryFile());
}

void TestAutostart::quotesExecArguments_data()
{
    QTest::addColumn<QString>("argument");
    QTest::addColumn<QString>("written"); // as it appears in the file
    QTest::newRow("plain") << "/usr/bin/margin-monitor" << "\"/usr/bin/margin-monitor\"";
    QTest::newRow("space") << "/opt/Margin Monitor/bin/margin-monitor" << "\"/opt/Margin Monitor/bin/margin-monitor\"";
    QTest::newRow("dollar") << "/home/a$b/mm" << "\"/home/a\\\\$b/mm\"";
    QTest::newRow("quote") << "/x\"y/mm" << "\"/x\\\\\"y/mm\"";
    QTest::newRow("backtick") << "/x`y/mm" << "\"/x\\\\`y/mm\"";
    QTest::newRow("backslash") << "/x\\y/mm" << "\"/x\\\\\\\\y/mm\"";
    QTest::newRow("percent") << "/100%/mm" << "\"/100%%/mm\"";
}

void TestAutostart::quotesExecArguments()
{
    QFETCH(QString, argument);
    QFETCH(QString, written);
    QCOMPARE(Autostart::quotedExecArgument(argument), written);
}

void TestAutostart::switchesOnAndOff_data()
{
    QTest::addColumn<QString>("executable");
    QTest::newRow("installed") << "/usr/bin/margin-monitor";
    QTest::newRow("any prefix") << "/home/trader/Margin Tools/$HOME \"x\" 100%/bin/margin-monitor";
}

void TestAutostart::switchesOnAndOff()
{
    QFETCH(QString, executable);
    QVERIFY(!Autostart::isEnabled(executable));
    QCOMPARE(Autostart::setEnabled(true, executable), QString());
    QVERIFY(Autostart::isEnabled(executable));
    // An entry for another copy (elsewhere) does not start this one.
    QVERIFY(!Autostart::isEnabled(QStringLiteral("/opt/elsewhere/bin/margin-monitor")));
    QVERIFY(Autostart::entryFile().endsWith(QStringLiteral("/autostart/io.github.marginmonitor.MarginMonitor.desktop")));
    QFile file(Autostart::entryFile());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    QVERIFY2(text.contains(QStringLiteral("\nExec=") + Autostart::quotedExecArgument(executable) + QLatin1Char('\n')),
             qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("\nTryExec=") + executable + QLatin1Char('\n')), qPrintable(text));

    // The desktop's own validator accepts it (desktop-file-utils, in packaging/debian-packages.txt).
    const QString validator = QStandardPaths::findExecutable(QStringLiteral("desktop-file-validate"));
    QVERIFY2(!validator.isEmpty(), "desktop-file-validate is not installed (packaging/setup.sh installs it)");
    QProcess validate;
    validate.start(validator, {Autostart::entryFile()});
    QVERIFY(validate.waitForFinished(30'000));
    const QString said = QString::fromUtf8(validate.readAllStandardOutput() + validate.readAllStandardError());
    QVERIFY2(validate.exitCode() == 0 && said.trimmed().isEmpty(), qPrintable(said));

    QCOMPARE(Autostart::setEnabled(false, executable), QString());
    QVERIFY(!Autostart::isEnabled(executable));
    QVERIFY(!QFile::exists(Autostart::entryFile()));
    QCOMPARE(Autostart::setEnabled(false, executable), QString()); // already off: nothing to do
}

void TestAutostart::anEntrySwitchedOffElsewhereIsOff_data()
{
    QTest::addColumn<QString>("line");
    // GNOME's "Startup Applications" switches an entry off by a key rather than removing it; the spec
    // allows spaces around '='.
    QTest::newRow("gnome") << "X-GNOME-Autostart-enabled=false";
    QTest::newRow("gnome, spaced") << "X-GNOME-Autostart-enabled = false";
    QTest::newRow("hidden") << "Hidden=true";
    QTest::newRow("hidden, spaced") << "Hidden =true";
}

void TestAutostart::anEntrySwitchedOffElsewhereIsOff()
{
    QFETCH(QString, line);
    const QString executable = QStringLiteral("/usr/bin/margin-monitor");
    QCOMPARE(Autostart::setEnabled(true, executable), QString());
    QFile file(Autostart::entryFile());
    QVERIFY(file.open(QIODevice::Append));
    file.write(line.toUtf8() + "\n");
    file.close();
    QVERIFY(!Autostart::isEnabled(executable));
    QCOMPARE(Autostart::setEnabled(true, executable), QString()); // on again
    QVERIFY(Autostart::isEnabled(executable));
    QCOMPARE(Autostart::setEnabled(false, executable), QString());
}

void TestAutostart::saysWhyItCannotWrite()
{
    // The autostart folder is a file: the problem names it, and nothing claims to be on.
    const QString folder = QFileInfo(Autostart::entryFile()).absolutePath();
    QDir(folder).removeRecursively();
    QFile blocker(folder);
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    const QString problem = Autostart::setEnabled(true, QStringLiteral("/usr/bin/margin-monitor"));
    QFile::remove(folder);
    QVERIFY2(problem.contains(folder), qPrintable(problem));
    QVERIFY(!Autostart::isEnabled(QStringLiteral("/usr/bin/margin-monitor")));
}

QTEST_GUILESS_MAIN(TestAutostart)
#include "tst_autostart.moc"
