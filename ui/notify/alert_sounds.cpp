#include "notify/alert_sounds.h"

#include "alerts/sound_file.h"
#include "app/app_files.h"

#include <QFile>
#include <QSoundEffect>
#include <QUrl>

#include <algorithm>

namespace mm::ui {

namespace {

const char* const kNames[] = {"warning", "critical", "emergency"};

} // namespace

QString AlertSounds::problemWithFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return file.errorString();
    }
    constexpr qint64 kLargest = 16 * 1024 * 1024; // an alert sound is a few seconds
    if (file.size() > kLargest) {
        return QStringLiteral("larger than 16 MB");
    }
    const QByteArray bytes = file.readAll();
    return QString::fromStdString(soundFileProblem(std::string_view(bytes.constData(), std::size_t(bytes.size()))));
}

AlertSounds::AlertSounds(QObject* parent)
    : AlertSounds({AppFiles::alertSound(QString::fromLatin1(kNames[0])), AppFiles::alertSound(QString::fromLatin1(kNames[1])),
                   AppFiles::alertSound(QString::fromLatin1(kNames[2]))},
                  parent)
{
}

AlertSounds::AlertSounds(const std::array<QUrl, 3>& sources, QObject* parent)
    : QObject(parent)
{
    for (std::size_t i = 0; i < m_effects.size(); ++i) {
        auto* effect = new QSoundEffect(this);
        const QUrl embedded = AppFiles::embeddedAlertSound(QString::fromLatin1(kNames[i]));
        // Queued: QSoundEffect must not be given a new source from inside its own status signal.
        connect(
            effect, &QSoundEffect::statusChanged, this,
            [effect, embedded] {
                if (effect->status() == QSoundEffect::Error && effect->source() != embedded) {
                    qWarning("alert sound %s cannot be played; using the copy built into the program",
                             qPrintable(effect->source().toDisplayString()));
                    effect->setSource(embedded);
                }
            },
            Qt::QueuedConnection);
        // Checked before Qt sees it: a truncated WAV can leave Qt's sample loader waiting for ever,
        // and the next change of source with it.
        QUrl source = sources[i];
        if (source.isLocalFile()) {
            const QString problem = problemWithFile(source.toLocalFile());
            if (!problem.isEmpty()) {
                qWarning("alert sound %s: %s; using the copy built into the program", qPrintable(source.toLocalFile()),
                         qPrintable(problem));
                source = embedded;
            }
        }
        effect->setSource(source);
        effect->setVolume(float(m_volume));
        connect(effect, &QSoundEffect::playingChanged, this, &AlertSounds::playingChanged);
        m_effects[i] = effect;
    }
    m_loopRetry.setSingleShot(true);
    connect(&m_loopRetry, &QTimer::timeout, this, [this] {
        if (m_looping && !m_muted) {
            tryStartLoop();
        }
    });
}

AlertSounds::~AlertSounds() = default;

QUrl AlertSounds::source(AlertLevel level) const
{
    return m_effects[index(level)]->source();
}

std::size_t AlertSounds::index(AlertLevel level)
{
    switch (level) {
    case AlertLevel::Warning:
        return 0;
    case AlertLevel::Critical:
        return 1;
    case AlertLevel::Emergency:
        return 2;
    }
    return 0;
}

bool AlertSounds::allowedNow(AlertLevel level)
{
    const auto i = index(level);
    const auto now = std::chrono::steady_clock::now();
    if (m_everStarted[i] && now - m_lastStart[i] < m_rateWindow) {
        return false;
    }
    m_everStarted[i] = true;
    m_lastStart[i] = now;
    ++m_starts[i];
    return true;
}

bool AlertSounds::play(AlertLevel level)
{
    if (level == AlertLevel::Emergency) {
        if (m_looping) {
            return false;
        }
        m_looping = true;
        if (m_muted) {
            // Wanted all the same: unmuting brings it back.
            Q_EMIT playingChanged();
            return false;
        }
        return tryStartLoop();
    }
    // A chime over the alarm would only blur it: the loop already says "look now".
    if (m_muted || m_looping || !allowedNow(level)) {
        return false;
    }
    auto& sound = effect(level);
    sound.setLoopCount(1);
    sound.play();
    Q_EMIT playingChanged();
    return true;
}

bool AlertSounds::playOnce(AlertLevel level)
{
    if (level != AlertLevel::Emergency) {
        return play(level);
    }
    if (m_muted || m_looping || !allowedNow(level)) {
        return false;
    }
    auto& alarm = effect(level);
    alarm.setLoopCount(1);
    alarm.play();
    Q_EMIT playingChanged();
    return true;
}

bool AlertSounds::tryStartLoop()
{
    if (allowedNow(AlertLevel::Emergency)) {
        startLoop();
        return true;
    }
    // Never dropped: an emergency is not over because another one was answered a second ago.
    const auto since = std::chrono::steady_clock::now() - m_lastStart[index(AlertLevel::Emergency)];
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(m_rateWindow - since);
    m_loopRetry.start(std::max(wait, std::chrono::milliseconds(1)));
    Q_EMIT playingChanged();
    return false;
}

void AlertSounds::startLoop()
{
    // The one-shots stop: the alarm must be heard on its own.
    effect(AlertLevel::Warning).stop();
    effect(AlertLevel::Critical).stop();
    auto& alarm = effect(AlertLevel::Emergency);
    alarm.setLoopCount(QSoundEffect::Infinite);
    alarm.play();
    Q_EMIT playingChanged();
}

void AlertSounds::stopEmergencyLoop()
{
    if (!m_looping) {
        return;
    }
    m_looping = false;
    m_loopRetry.stop();
    effect(AlertLevel::Emergency).stop();
    Q_EMIT playingChanged();
}

void AlertSounds::stopAll()
{
    m_looping = false;
    m_loopRetry.stop();
    for (auto* sound : m_effects) {
        sound->stop();
    }
    Q_EMIT playingChanged();
}

bool AlertSounds::isPlaying(AlertLevel level) const
{
    if (m_muted) {
        return false;
    }
    if (level == AlertLevel::Emergency) {
        return m_looping;
    }
    return effect(level).isPlaying();
}

bool AlertSounds::isReady() const
{
    return std::all_of(m_effects.begin(), m_effects.end(),
                       [](const QSoundEffect* sound) { return sound->status() == QSoundEffect::Ready; });
}

void AlertSounds::setMuted(bool muted)
{
    if (muted == m_muted) {
        return;
    }
    m_muted = muted;
    if (muted) {
        // Stopped rather than only turned down, so that nothing keeps the audio device busy.
        m_loopRetry.stop();
        for (auto* sound : m_effects) {
            sound->stop();
        }
    } else if (m_looping) {
        // An emergency still unanswered: the alarm comes back with the sound.
        tryStartLoop();
    }
    Q_EMIT playingChanged();
}

void AlertSounds::setVolume(double volume)
{
    m_volume = std::clamp(volume, 0.0, 1.0);
    for (auto* sound : m_effects) {
        sound->setVolume(float(m_volume));
    }
}

} // namespace mm::ui
