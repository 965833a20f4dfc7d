#pragma once

#include "alerts/alert_event.h"

#include <QObject>
#include <QTimer>
#include <QUrl>

#include <array>
#include <chrono>

class QSoundEffect;

namespace mm::ui {

/// The three alert sounds (Qt Multimedia; the installed WAVs, or the copies embedded under qrc:/sounds —
/// AppFiles::alertSound): warning and critical play once
/// per start; the emergency sound loops until stopped. At most one start per level per rate window,
/// so a cascade of alerts is one sound, not a stutter of twenty.
class AlertSounds : public QObject {
    Q_OBJECT
public:
    static constexpr std::chrono::milliseconds kDefaultRateWindow{2000};

    explicit AlertSounds(QObject* parent = nullptr);
    /// With these sources (warning, critical, emergency). A source that cannot be loaded (a
    /// truncated or foreign file) is replaced by the copy embedded in the executable, and said on
    /// the log: a broken installed file never silences an alarm.
    explicit AlertSounds(const std::array<QUrl, 3>& sources, QObject* parent = nullptr);
    /// Why the WAV file at `path` cannot be an alert sound ("" when it can): not RIFF/WAVE,
    /// truncated, no format or no samples.
    [[nodiscard]] static QString problemWithFile(const QString& path);
    /// Where the level's sound is loaded from now.
    [[nodiscard]] QUrl source(AlertLevel level) const;
    ~AlertSounds() override;

    /// Warning / critical: plays the level's sound once. Emergency: starts the loop (a loop already
    /// running is left as it is). Returns whether a sound started: not when muted, not a second time
    /// for the level within the rate window, not a one-shot over the running emergency loop.
    bool play(AlertLevel level);
    /// As play(), but the emergency's sound once (one length of its clip), not the loop: for an
    /// emergency already over by the time it is heard (eased within the same batch of alerts).
    bool playOnce(AlertLevel level);
    /// Ends the emergency loop (acknowledged, snoozed or cleared).
    void stopEmergencyLoop();
    /// Silences everything, the loop included.
    void stopAll();

    /// Whether the emergency loop is wanted (it keeps being wanted while muted, and resumes on unmute).
    bool isLooping() const { return m_looping; }
    /// Whether the level's sound is audible now: the emergency loop while it runs unmuted; a
    /// one-shot while Qt plays it.
    bool isPlaying(AlertLevel level) const;
    /// How many times the level's sound was started (for tests of the rate limit).
    int starts(AlertLevel level) const { return m_starts[index(level)]; }
    /// Whether all three sounds are decoded and ready (a sound requested earlier plays once ready).
    bool isReady() const;

    void setMuted(bool muted);
    bool isMuted() const { return m_muted; }
    /// 0 … 1 (linear), applied to all three sounds.
    void setVolume(double volume);
    double volume() const { return m_volume; }
    void setRateWindow(std::chrono::milliseconds window) { m_rateWindow = window; }

Q_SIGNALS:
    void playingChanged();

private:
    static std::size_t index(AlertLevel level);
    QSoundEffect& effect(AlertLevel level) const { return *m_effects[index(level)]; }
    bool allowedNow(AlertLevel level);
    bool tryStartLoop();
    void startLoop();

    std::array<QSoundEffect*, 3> m_effects{};
    QTimer m_loopRetry; ///< an emergency within the rate window of the last: its loop starts when the window ends
    std::array<int, 3> m_starts{};
    std::array<std::chrono::steady_clock::time_point, 3> m_lastStart{};
    std::array<bool, 3> m_everStarted{};
    std::chrono::milliseconds m_rateWindow = kDefaultRateWindow;
    bool m_looping = false;
    bool m_muted = false;
    double m_volume = 0.8;
};

} // namespace mm::ui
