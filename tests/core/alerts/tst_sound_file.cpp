// The alert sound file check: the shipped WAVs pass; truncated, foreign and sample-less files are
// refused with the reason, whatever their bytes.
#include "alerts/sound_file.h"

#include <QFile>
#include <QtTest>

#include <string>

namespace {

std::string shipped(const char* name)
{
    QFile file(QStringLiteral(SOUNDS_DIR "/") + QLatin1String(name) + QStringLiteral(".wav"));
    return file.open(QIODevice::ReadOnly) ? file.readAll().toStdString() : std::string();
}

std::string le32(std::uint32_t value)
{
    return {char(value & 0xff), char((value >> 8) & 0xff), char((value >> 16) & 0xff), char((value >> 24) & 0xff)};
}

std::string chunk(const std::string& id, const std::string& body)
{
    std::string padded = id + le32(std::uint32_t(body.size())) + body;
    if (body.size() % 2 != 0) {
        padded += '\0';
    }
    return padded;
}

std::string wav(const std::string& chunks)
{
    return "RIFF" + le32(std::uint32_t(4 + chunks.size())) + "WAVE" + chunks;
}

const std::string kFormat = chunk("fmt ", std::string(16, '\1'));

} // namespace

class TestSoundFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void judges_data();
    void judges();
};

void TestSoundFile::judges_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("problem"); // a fragment of it; "" for none
    for (const char* name : {"warning", "critical", "emergency"}) {
        const std::string bytes = shipped(name);
        QVERIFY2(bytes.size() > 1000, name);
        QTest::newRow(name) << QByteArray::fromStdString(bytes) << QString();
        QTest::newRow(qPrintable(QStringLiteral("%1, cut in half").arg(QLatin1String(name))))
            << QByteArray::fromStdString(bytes.substr(0, bytes.size() / 2)) << QStringLiteral("truncated: the 'data' chunk");
        QTest::newRow(qPrintable(QStringLiteral("%1, header only").arg(QLatin1String(name))))
            << QByteArray::fromStdString(bytes.substr(0, 30)) << QStringLiteral("truncated: the 'fmt ' chunk");
    }
    QTest::newRow("empty") << QByteArray() << QStringLiteral("not a WAV file");
    QTest::newRow("text") << QByteArray("time,symbol,mark\n") << QStringLiteral("not a WAV file");
    QTest::newRow("RIFF but not WAVE") << QByteArray::fromStdString("RIFF" + le32(4) + "AVI ") << QStringLiteral("not a WAV file");
    QTest::newRow("odd-sized chunk, padded") << QByteArray::fromStdString(wav(chunk("LIST", "abc") + kFormat + chunk("data", "xy")))
                                             << QString();
    QTest::newRow("no data chunk") << QByteArray::fromStdString(wav(kFormat)) << QStringLiteral("no data chunk");
    QTest::newRow("no samples") << QByteArray::fromStdString(wav(kFormat + chunk("data", ""))) << QStringLiteral("no samples");
    QTest::newRow("samples before the format") << QByteArray::fromStdString(wav(chunk("data", "xy") + kFormat))
                                               << QStringLiteral("no sample format");
    QTest::newRow("format too short") << QByteArray::fromStdString(wav(chunk("fmt ", "abcd") + chunk("data", "xy")))
                                      << QStringLiteral("no sample format");
    QTest::newRow("a chunk claiming 4 GB") << QByteArray::fromStdString(wav(kFormat + "data" + le32(0xffffffffu) + "xy"))
                                           << QStringLiteral("needs 4294967295 bytes, 2 are left");
}

void TestSoundFile::judges()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, problem);
    const QString said = QString::fromStdString(mm::soundFileProblem(std::string_view(bytes.constData(), std::size_t(bytes.size()))));
    if (problem.isEmpty()) {
        QCOMPARE(said, QString());
    } else {
        QVERIFY2(said.contains(problem), qPrintable(said));
    }
}

QTEST_APPLESS_MAIN(TestSoundFile)
#include "tst_sound_file.moc"
