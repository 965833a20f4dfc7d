// One Margin Monitor per user: the first copy holds the data folder's lock; a second one is told so,
// asks the first to show its window, and the first hears it. A crashed copy's lock is taken over.
#include "app/single_instance.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtConcurrent/QtConcurrentRun>
#include <QtTest>

#include <sys/wait.h>
#include <unistd.h>

using mm::ui::SingleInstance;

class TestSingleInstance : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theSecondCopyFindsTheFirstAndAsksItToShow();
    void theLockIsFreeAgainAfterTheFirstEnds();
    void aDeadCopysLockIsTakenOver();
    void eachDataFolderHasItsOwn();
    void aFolderThatCannotBeMadeGuardsNothingButSaysSo();
};

void TestSingleInstance::theSecondCopyFindsTheFirstAndAsksItToShow()
{
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("data/Margin Monitor"));
    SingleInstance first(folder);
    QVERIFY(first.isFirst());
    QCOMPARE(first.problem(), QString());
    QVERIFY(QFile::exists(folder + QStringLiteral("/margin-monitor.lock")));
    QSignalSpy asked(&first, &SingleInstance::activationRequested);
    // Its socket is in the user's own runtime folder, not the shared /tmp.
    const QString runtime = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    QVERIFY(!runtime.isEmpty());
    QVERIFY2(first.socketPath().startsWith(runtime + QLatin1Char('/')), qPrintable(first.socketPath()));
    QVERIFY(QFileInfo::exists(first.socketPath()));

    SingleInstance second(folder);
    QVERIFY(!second.isFirst());
    QCOMPARE(second.runningProcess(), qint64(QCoreApplication::applicationPid()));
    QVERIFY(!first.activateRunning()); // the first has no one to ask
    // However long the first has been running, its lock holds (the monitor runs for weeks).
    QFile lockFile(folder + QStringLiteral("/margin-monitor.lock"));
    QVERIFY(lockFile.open(QIODevice::ReadWrite));
    QVERIFY(lockFile.setFileTime(QDateTime::currentDateTime().addDays(-30), QFileDevice::FileModificationTime));
    lockFile.close();
    SingleInstance third(folder);
    QVERIFY(!third.isFirst());

    // The second asks from another thread (in real life, another process) while this one's event
    // loop serves the first's socket.
    auto answered = QtConcurrent::run([&second] { return second.activateRunning(5000); });
    QTRY_COMPARE_WITH_TIMEOUT(asked.count(), 1, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(answered.isFinished(), 5000);
    QVERIFY(answered.result());
}

void TestSingleInstance::theLockIsFreeAgainAfterTheFirstEnds()
{
    QTemporaryDir dir;
    {
        SingleInstance first(dir.path());
        QVERIFY(first.isFirst());
    }
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("margin-monitor.lock"))));
    SingleInstance next(dir.path());
    QVERIFY(next.isFirst());
}

void TestSingleInstance::aDeadCopysLockIsTakenOver()
{
    QTemporaryDir dir;
    // A lock left by a copy that died without releasing it (a crash, a kill -9): Qt's own lock file
    // format, with the process id of a process that has ended.
    QLockFile sample(dir.filePath(QStringLiteral("sample.lock")));
    QVERIFY(sample.tryLock(0));
    QFile sampleFile(dir.filePath(QStringLiteral("sample.lock")));
    QVERIFY(sampleFile.open(QIODevice::ReadOnly));
    QByteArray content = sampleFile.readAll();
    sampleFile.close();
    sample.unlock();
    const pid_t child = ::fork();
    QVERIFY(child >= 0);
    if (child == 0) {
        ::_exit(0);
    }
    int status = 0;
    QCOMPARE(::waitpid(child, &status, 0), child);
    content = QByteArray::number(qint64(child)) + content.mid(content.indexOf('\n'));
    QFile dead(dir.filePath(QStringLiteral("margin-monitor.lock")));
    QVERIFY(dead.open(QIODevice::WriteOnly));
    dead.write(content);
    dead.close();

    SingleInstance next(dir.path());
    QVERIFY2(next.isFirst(), "a lock left by a process that is gone must not keep the monitor from starting");
    QCOMPARE(next.problem(), QString());
}

void TestSingleInstance::eachDataFolderHasItsOwn()
{
    QTemporaryDir one;
    QTemporaryDir other;
    SingleInstance a(one.path());
    SingleInstance b(other.path());
    QVERIFY(a.isFirst());
    QVERIFY(b.isFirst());
    QCOMPARE(b.problem(), QString()); // its own socket too
}

void TestSingleInstance::aFolderThatCannotBeMadeGuardsNothingButSaysSo()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("a file"));
    QFile blocker(file);
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    SingleInstance instance(file + QStringLiteral("/data"));
    QVERIFY(instance.isFirst()); // the monitor still starts
    QVERIFY2(instance.problem().contains(file), qPrintable(instance.problem()));
}

QTEST_GUILESS_MAIN(TestSingleInstance)
#include "tst_single_instance.moc"
