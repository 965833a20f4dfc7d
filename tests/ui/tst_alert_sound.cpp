// The alert sounds played for real: through Qt Multimedia into a PulseAudio null sink (run inside
// tests/support/with_null_sink.sh, which starts a private server with the sink `mm_test`), recorded
// from its monitor with parecord, and measured. Each level's sound is heard; muted is silent; the
// emergency's loop keeps sounding until the trader acknowledges it, and is silent after.
#include "notify/alert_popup.h"
#include "notify/alert_sounds.h"
#include "notify/notifier.h"
#include "sound_recording.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtEndian>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>

using namespace mm;
using namespace mm::ui;
using namespace mm::test;
using namespace std::chrono_literals;

namespace {

QString describe(const Measure& m)
{
    return QStringLiteral("%1 s recorded, peak %2, RMS %3, loudest 100 ms RMS %4, heard for %6 s, last at %5 s")
        .arg(m.seconds, 0, 'f', 2)
        .arg(m.peak, 0, 'f', 4)
        .arg(m.rms, 0, 'f', 4)
        .arg(m.loudestWindowRms, 0, 'f', 4)
        .arg(m.lastHeardAt, 0, 'f', 2)
        .arg(m.heardSeconds, 0, 'f', 2);
}

AlertEvent alertEvent(std::uint64_t episode, AlertChange change, AlertLevel level, const char* symbol)
{
    AlertEvent event;
    event.episode = episode;
    event.change = change;
    event.level = level;
    event.subject.accountLabel = "main";
    event.subject.venue = Venue::BybitLinear;
    event.subject.position = 0;
    event.subject.symbol = symbol;
    event.subject.side = Side::Short;
    event.distancePct = 0.9;
    event.markPrice = 3'100;
    event.liquidationPrice = 3'127.9;
    event.message = "Distance to liquidation 0.90 % is below the emergency threshold of 1.5 %";
    event.wallTimeMs = QDateTime::currentMSecsSinceEpoch();
    return event;
}

} // namespace

class TestAlertSound : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void eachLevelIsHeard_data();
    void eachLevelIsHeard();
    void mutedIsSilent();
    void emergencyLoopsUntilAcknowledged();
    void aBrokenInstalledSoundFallsBackToTheEmbeddedOne();

private:
    QString recordingPath(const QString& name) const { return m_folder.filePath(name); }
    QTemporaryDir m_folder;
};

void TestAlertSound::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("PULSE_SERVER")) {
        QFAIL("Run inside tests/support/with_null_sink.sh: it starts the PulseAudio server with the sink this test records");
    }
    QVERIFY(m_folder.isValid());
    QCOMPARE(QProcess::execute(QStringLiteral("pactl"), {QStringLiteral("info")}) == 0, true);
}

void TestAlertSound::eachLevelIsHeard_data()
{
    QTest::addColumn<AlertLevel>("level");
    QTest::addColumn<double>("volume");
    QTest::addColumn<QString>("clip");
    QTest::newRow("warning") << AlertLevel::Warning << 0.8 << QStringLiteral(":/sounds/warning.wav");
    QTest::newRow("critical") << AlertLevel::Critical << 0.8 << QStringLiteral(":/sounds/critical.wav");
    QTest::newRow("critical at 30 %") << AlertLevel::Critical << 0.3 << QStringLiteral(":/sounds/critical.wav");
}

void TestAlertSound::eachLevelIsHeard()
{
    QFETCH(AlertLevel, level);
    QFETCH(double, volume);
    QFETCH(QString, clip);
    AlertSounds sounds;
    sounds.setVolume(volume);
    QTRY_VERIFY_WITH_TIMEOUT(sounds.isReady(), 10'000);
    Recording recording(recordingPath(QStringLiteral("%1.wav").arg(QTest::currentDataTag())));
    QVERIFY(recording.started());
    QVERIFY(sounds.play(level));
    QTRY_VERIFY_WITH_TIMEOUT(sounds.isPlaying(level), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(!sounds.isPlaying(level), 5000); // once, not a loop
    QTest::qWait(1000); // what the server still held reaches the monitor
    const auto heard = recording.stop();
    QVERIFY(heard);
    qInfo("%s: %s", QTest::currentDataTag(), qPrintable(describe(*heard)));
    QVERIFY2(heard->peak > kHeardPeak, qPrintable(describe(*heard)));
    QVERIFY2(heard->loudestWindowRms > 0.02, qPrintable(describe(*heard)));
    QCOMPARE(sounds.starts(level), 1);
    // At the volume set: the clip's own peak (the embedded file) scaled by it, give or take 10 %.
    const auto original = readWav(clip);
    QVERIFY(original);
    const double expected = measure(*original).peak * volume;
    QVERIFY2(std::abs(heard->peak - expected) < 0.1 * expected,
             qPrintable(QStringLiteral("expected peak %1; %2").arg(expected, 0, 'f', 4).arg(describe(*heard))));
}

void TestAlertSound::mutedIsSilent()
{
    Notifier notifier(nullptr);
    QTRY_VERIFY_WITH_TIMEOUT(notifier.sounds().isReady(), 10'000);
    notifier.setMuted(true);
    Recording recording(recordingPath(QStringLiteral("muted.wav")));
    QVERIFY(recording.started());
    notifier.deliver(alertEvent(1, AlertChange::Raised, AlertLevel::Critical, "ETHUSDT"));
    notifier.deliver(alertEvent(2, AlertChange::Raised, AlertLevel::Emergency, "BTCUSDT"));
    QVERIFY(notifier.popup()->isVisible());
    QTest::qWait(1500);
    QVERIFY(!notifier.isPlaying(AlertLevel::Critical));
    QVERIFY(!notifier.isPlaying(AlertLevel::Emergency));
    const auto heard = recording.stop();
    QVERIFY(heard);
    qInfo("muted: %s", qPrintable(describe(*heard)));
    QVERIFY2(heard->seconds > 1.0, qPrintable(describe(*heard)));
    QVERIFY2(heard->peak < kSilentPeak, qPrintable(describe(*heard)));
}

void TestAlertSound::emergencyLoopsUntilAcknowledged()
{
    Notifier notifier(nullptr);
    QTRY_VERIFY_WITH_TIMEOUT(notifier.sounds().isReady(), 10'000);
    Recording recording(recordingPath(QStringLiteral("emergency.wav")));
    QVERIFY(recording.started());
    notifier.deliver(alertEvent(7, AlertChange::Raised, AlertLevel::Emergency, "BTCUSDT"));
    QVERIFY(notifier.isPlaying(AlertLevel::Emergency));
    // Seven lengths of the 0.72 s clip: a one-shot would have ended after the first. (A new stream
    // on the idle null sink starts up to ≈ 1.5 s late: the first seconds may be quiet.)
    QTest::qWait(5000);
    QVERIFY(notifier.isPlaying(AlertLevel::Emergency));
    // The trader clicks Acknowledge: quiet at once; the engine confirms.
    QAbstractButton* acknowledge = notifier.popup()->card()->findChild<QAbstractButton*>(QStringLiteral("acknowledge"));
    QVERIFY(acknowledge);
    const double acknowledgedAt = recording.elapsed();
    QTest::mouseClick(acknowledge, Qt::LeftButton);
    notifier.deliver(alertEvent(7, AlertChange::Acknowledged, AlertLevel::Emergency, "BTCUSDT"));
    QVERIFY(!notifier.isPlaying(AlertLevel::Emergency));
    QTest::qWait(2000);
    const auto heard = recording.stop();
    QVERIFY(heard);
    qInfo("emergency, acknowledged after %.2f s: %s", acknowledgedAt, qPrintable(describe(*heard)));
    QVERIFY2(heard->peak > kHeardPeak, qPrintable(describe(*heard)));
    QVERIFY2(heard->loudestWindowRms > 0.05, qPrintable(describe(*heard)));
    // One clip sounds for ≈ 0.52 s of its 0.72 s: three times that means it looped, and went on.
    QVERIFY2(heard->heardSeconds > 1.5, qPrintable(describe(*heard)));
    QVERIFY2(heard->lastHeardAt > 3.0, qPrintable(describe(*heard)));
    // …and stopped when acknowledged: the 2 s waited after it and the flush are silent (had the loop
    // gone on, the last sound would be within 0.5 s of the end).
    QVERIFY2(heard->seconds - heard->lastHeardAt > 2.0, qPrintable(describe(*heard)));
}

// An installed sound file that is truncated or not audio at all (a packager's mistake, a disk
// error) must not silence the alarm: the copy embedded in the program takes over, and is heard.
void TestAlertSound::aBrokenInstalledSoundFallsBackToTheEmbeddedOne()
{
    const QString truncated = m_folder.filePath(QStringLiteral("truncated.wav"));
    QFile original(QStringLiteral(":/sounds/critical.wav"));
    QVERIFY(original.open(QIODevice::ReadOnly));
    QFile broken(truncated);
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write(original.read(30)); // the RIFF header cut short
    broken.close();
    const QString notAudio = m_folder.filePath(QStringLiteral("not-audio.wav"));
    QFile text(notAudio);
    QVERIFY(text.open(QIODevice::WriteOnly));
    text.write("time,symbol,mark\n");
    text.close();

    QVERIFY(AlertSounds::problemWithFile(truncated).contains(QStringLiteral("truncated")));
    QVERIFY(AlertSounds::problemWithFile(notAudio).contains(QStringLiteral("not a WAV")));
    QVERIFY(AlertSounds::problemWithFile(m_folder.filePath(QStringLiteral("missing.wav"))).size() > 0);

    AlertSounds sounds({QUrl::fromLocalFile(notAudio), QUrl::fromLocalFile(truncated), QUrl(QStringLiteral("qrc:/sounds/emergency.wav"))});
    QTRY_COMPARE_WITH_TIMEOUT(sounds.source(AlertLevel::Warning), QUrl(QStringLiteral("qrc:/sounds/warning.wav")), 10'000);
    QTRY_COMPARE_WITH_TIMEOUT(sounds.source(AlertLevel::Critical), QUrl(QStringLiteral("qrc:/sounds/critical.wav")), 10'000);
    QTRY_VERIFY_WITH_TIMEOUT(sounds.isReady(), 10'000);

    Recording recording(recordingPath(QStringLiteral("fallback.wav")));
    QVERIFY(recording.started());
    QVERIFY(sounds.play(AlertLevel::Critical));
    QTRY_VERIFY_WITH_TIMEOUT(sounds.isPlaying(AlertLevel::Critical), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(!sounds.isPlaying(AlertLevel::Critical), 5000);
    QTest::qWait(1000);
    const auto heard = recording.stop();
    QVERIFY(heard);
    QVERIFY2(heard->peak > kHeardPeak, qPrintable(describe(*heard)));
}

QTEST_MAIN(TestAlertSound)
#include "tst_alert_sound.moc"
