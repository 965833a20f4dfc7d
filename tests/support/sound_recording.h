#pragma once
// Recording what the alert sounds really play: parecord on the private PulseAudio null sink's monitor
// (tests/support/with_null_sink.sh) into a WAV file, read back and measured.
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QtEndian>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

namespace mm::test {

constexpr double kHeardPeak = 0.05;   ///< a sound is there: its quietest (the chime) peaks at ≈ 0.26 at volume 0.8
constexpr double kSilentPeak = 0.002; ///< nothing there (the null sink adds no noise: silence is 0)
constexpr int kRate = 44100;

/// What a recording holds: its length, the loudest sample, the RMS of the whole and of its loudest
/// 100 ms, and when (in s) the sound was last above kHeardPeak.
struct Measure {
    double seconds = 0;
    double peak = 0;
    double rms = 0;
    double loudestWindowRms = 0;
    double lastHeardAt = -1;
    double heardSeconds = 0; ///< how long, in 10 ms steps, the recording was above kHeardPeak
};

/// The 16-bit PCM samples of a WAV file parecord wrote (mono), normalised to ±1.
inline std::optional<std::vector<double>> readWav(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return std::nullopt;
    }
    const QByteArray bytes = file.readAll();
    if (bytes.size() < 12 || !bytes.startsWith("RIFF") || bytes.mid(8, 4) != "WAVE") {
        return std::nullopt;
    }
    qsizetype at = 12;
    int channels = 1;
    while (at + 8 <= bytes.size()) {
        const QByteArray id = bytes.mid(at, 4);
        auto size = qsizetype(qFromLittleEndian<quint32>(bytes.constData() + at + 4));
        if (id == "fmt ") {
            channels = qFromLittleEndian<quint16>(bytes.constData() + at + 10);
            const int bits = qFromLittleEndian<quint16>(bytes.constData() + at + 22);
            if (bits != 16) {
                return std::nullopt;
            }
        } else if (id == "data") {
            // A recording stopped by a signal may leave the size unset: take what is there.
            if (size <= 0 || at + 8 + size > bytes.size()) {
                size = bytes.size() - at - 8;
            }
            std::vector<double> samples;
            const qsizetype frames = size / (2 * channels);
            samples.reserve(std::size_t(frames));
            for (qsizetype frame = 0; frame < frames; ++frame) {
                const auto value = qFromLittleEndian<qint16>(bytes.constData() + at + 8 + frame * 2 * channels);
                samples.push_back(value / 32768.0);
            }
            return samples;
        }
        at += 8 + size + (size & 1);
    }
    return std::nullopt;
}

inline Measure measure(const std::vector<double>& samples)
{
    Measure result;
    result.seconds = double(samples.size()) / kRate;
    double sum = 0;
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const double level = std::abs(samples[i]);
        result.peak = std::max(result.peak, level);
        sum += samples[i] * samples[i];
        if (level > kHeardPeak) {
            result.lastHeardAt = double(i) / kRate;
        }
    }
    result.rms = samples.empty() ? 0 : std::sqrt(sum / double(samples.size()));
    constexpr std::size_t step = kRate / 100;
    for (std::size_t start = 0; start + step <= samples.size(); start += step) {
        const auto loudest = std::max_element(samples.begin() + std::ptrdiff_t(start), samples.begin() + std::ptrdiff_t(start + step),
                                              [](double a, double b) { return std::abs(a) < std::abs(b); });
        if (std::abs(*loudest) > kHeardPeak) {
            result.heardSeconds += 0.01;
        }
    }
    constexpr std::size_t window = kRate / 10;
    for (std::size_t start = 0; start + window <= samples.size(); start += window / 2) {
        double windowSum = 0;
        for (std::size_t i = start; i < start + window; ++i) {
            windowSum += samples[i] * samples[i];
        }
        result.loudestWindowRms = std::max(result.loudestWindowRms, std::sqrt(windowSum / window));
    }
    return result;
}

/// parecord on the null sink's monitor, into a WAV file, while it lives.
class Recording {
public:
    explicit Recording(const QString& path)
        : m_path(path)
    {
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start(QStringLiteral("parecord"),
                        {QStringLiteral("--device=mm_test.monitor"), QStringLiteral("--file-format=wav"),
                         QStringLiteral("--format=s16le"), QStringLiteral("--rate=%1").arg(kRate), QStringLiteral("--channels=1"),
                         QStringLiteral("--latency-msec=20"), path});
    }
    ~Recording() { stop(); }
    bool started()
    {
        if (!m_process.waitForStarted(5000)) {
            return false;
        }
        QTest::qWait(400); // connected to the server and recording
        m_clock.start();
        return m_process.state() == QProcess::Running;
    }
    /// Seconds since the recording started.
    double elapsed() const { return m_clock.isValid() ? double(m_clock.elapsed()) / 1000.0 : 0.0; }
    /// Stops the recording (SIGTERM: parecord finishes the file) and measures it. The null sink's
    /// monitor delivers its audio up to ≈ 1.5 s late (its latency grows while nothing plays), so the
    /// recording runs on for kFlushMs first: what was played is all in the file.
    std::optional<Measure> stop()
    {
        if (m_process.state() != QProcess::NotRunning) {
            QTest::qWait(kFlushMs);
            m_process.terminate();
            if (!m_process.waitForFinished(5000)) {
                m_process.kill();
                m_process.waitForFinished(2000);
            }
        }
        const auto samples = readWav(m_path);
        if (!samples) {
            return std::nullopt;
        }
        return measure(*samples);
    }

private:
    static constexpr int kFlushMs = 2500;
    QString m_path;
    QProcess m_process;
    QElapsedTimer m_clock;
};

} // namespace mm::test
