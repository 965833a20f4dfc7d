#pragma once

#include "alerts/alert_event.h"

#include <QObject>
#include <QPointer>

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

class QWidget;

namespace mm::ui {

class AlertPopup;
class AlertSounds;
class AlertTray;

/// Delivers alert events to the trader: the in-app popup, one sound per level (the emergency's loops
/// until answered), the tray message and the taskbar's attention. Keeps the live episodes; an episode
/// leaves when it is acknowledged, snoozed or cleared, and comes back when it escalates. The trader's
/// answers go out as requests (the alert engine decides; its Acknowledged / Snoozed event follows).
/// GUI thread only.
class Notifier : public QObject {
    Q_OBJECT
public:
    /// From this many live alerts the popup groups them ("N positions in danger"): a cascade always
    /// reaches it, and several full cards would cover the screen.
    static constexpr std::size_t kGroupFrom = 3;
    /// An answer the engine has not confirmed within this long is taken back: the alert is loud again.
    static constexpr int kAnswerTimeoutMs = 10'000;

    /// `mainWindow` (may be null): where the popup sits, whose taskbar entry asks for attention, whose icon the tray shows.
    explicit Notifier(QWidget* mainWindow, QObject* parent = nullptr);
    ~Notifier() override;

    AlertPopup* popup() const { return m_popup; }
    AlertSounds& sounds() const { return *m_sounds; }
    AlertTray& tray() const { return *m_tray; }

    /// The live episodes, worst first (level, then distance to liquidation, then the newest).
    std::vector<std::uint64_t> liveEpisodes() const;
    /// The latest event of a live episode.
    std::optional<AlertEvent> liveEvent(std::uint64_t episode) const;
    /// Whether the level's sound is audible now (the emergency's: while its loop runs).
    bool isPlaying(AlertLevel level) const;

    void setMuted(bool muted);
    bool isMuted() const;
    /// 0 … 1.
    void setVolume(double volume);
    double volume() const;

public Q_SLOTS:
    /// One event from the alert engine, in the order the engine decided them.
    void deliver(const mm::AlertEvent& event);
    /// The trader answered every live alert (the popup's "Acknowledge all").
    void acknowledgeAll();

Q_SIGNALS:
    void acknowledgeRequested(quint64 episode);
    void snoozeRequested(quint64 episode, int seconds);
    /// Select the subject's position (or account) in the main window.
    void showRequested(const mm::AlertSubject& subject);
    /// Open the deleverage confirmation for the subject; the episode keys the order's client id.
    void deleverageRequested(quint64 episode, const mm::AlertSubject& subject);
    /// The live set or an entry's level changed.
    void liveEpisodesChanged();

private:
    struct Live {
        AlertEvent event;
        bool answered = false; ///< acknowledged or snoozed by the trader, not yet confirmed by the engine
        int answerGeneration = 0;
    };

    void answer(std::uint64_t episode);
    void refresh();
    void updateSoundLoop();
    std::vector<const Live*> worstFirst() const;

    QPointer<QWidget> m_mainWindow;
    AlertPopup* m_popup = nullptr; ///< a top-level window of its own (not a child of the main window), deleted with the Notifier
    AlertSounds* m_sounds = nullptr;
    AlertTray* m_tray = nullptr;
    std::map<std::uint64_t, Live> m_live;
};

} // namespace mm::ui
