#pragma once

#include "alerts/alert_event.h"
#include "bridge/alert_queue.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <vector>

class QWidget;

namespace mm::ui {

class AlertPopup;
class AlertSounds;
class AlertTray;

/// Delivers alerts to the trader: the in-app popup, one sound per level (the emergency's loops until
/// answered), the tray message and the taskbar's attention.
///
/// One voice per position: it keeps the live alerts per subject (a position, or an account's cross
/// margin — AlertKey), whatever the engine's episodes (one per subject, or with the per-rule engine
/// one per rule). A subject is live from a raise until every episode of it is acknowledged, snoozed
/// or cleared; it comes back when it gets louder. A sound, the tray message and the popup brought
/// forward only when a subject's level *rises* (a Raised or Escalated above the level it was shown
/// at, or from nothing): one sound per batch, at the loudest rise. The trader's answers act on the
/// subject — every live episode of it — and go out as requests (the alert engine decides; its
/// Acknowledged / Snoozed event follows).
///
/// Bounded work in a storm: a batch (AlertBatch, one update per subject) is applied at once — the
/// sound never waits — while the popup's contents are redrawn at most once per refresh interval,
/// from the worst kListedAtMost subjects (a partial sort), however many alerts arrived. GUI thread only.
class Notifier final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Notifier)
public:
    /// An answer the engine has not confirmed within this long is taken back: the alert is loud again.
    static constexpr int kAnswerTimeoutMs = 10'000;
    /// The popup's contents are redrawn at most this often (its first appearance, a rise that brings
    /// it forward, the trader's own answers and the sounds never wait): the display's pace, as for the
    /// boards (10 a second, more than a person reads), which bounds the GUI's drawing in a storm.
    static constexpr std::chrono::milliseconds kDefaultRefreshInterval{100};
    /// A rise brings the popup forward (raise(), the tray message, the taskbar's attention) at most once
    /// in this window, unless it is louder than what the window already brought forward.
    static constexpr std::chrono::milliseconds kRaiseWindow{2000};

    /// `mainWindow` (may be null): where the popup sits, whose taskbar entry asks for attention, whose icon the tray shows.
    explicit Notifier(QWidget* mainWindow, QObject* parent = nullptr);
    ~Notifier() override;

    AlertPopup* popup() const { return m_popup; }
    AlertSounds& sounds() const { return *m_sounds; }
    AlertTray& tray() const { return *m_tray; }

    /// The subjects in danger now, worst first: unanswered before answered, then by level, distance
    /// to liquidation (nearest first) and the newest change.
    std::vector<AlertKey> liveSubjects() const;
    std::size_t liveCount() const { return m_live.size(); }
    /// The latest event of the subject's loudest live episode.
    std::optional<AlertEvent> liveEvent(const AlertKey& key) const;
    /// The subject's live episodes (one with the one-voice engine).
    std::vector<std::uint64_t> liveEpisodes(const AlertKey& key) const;
    /// Whether the level's sound is audible now (the emergency's: while its loop runs).
    bool isPlaying(AlertLevel level) const;

    void setMuted(bool muted);
    bool isMuted() const;
    /// 0 … 1.
    void setVolume(double volume);
    double volume() const;
    /// How often at most the popup is redrawn (0: at every change, as tests of its contents want).
    void setRefreshInterval(std::chrono::milliseconds interval);

    /// Batches taken, subjects' rises (each a sound candidate), popup redraws.
    std::uint64_t batches() const { return m_batches; }
    std::uint64_t rises() const { return m_rises; }
    std::uint64_t refreshes() const { return m_refreshes; }

public Q_SLOTS:
    /// One event from the alert engine (a batch of one).
    void deliver(const mm::AlertEvent& event);
    /// Every change the GUI thread took in one wake-up (EngineHost::alertsArrived).
    void deliverBatch(const mm::ui::AlertBatch& batch);
    /// The trader answered every live alert (the popup's "Acknowledge all").
    void acknowledgeAll();
    /// Forgets every alert (the engine was rebuilt: its episodes and indices are gone).
    void clear();

Q_SIGNALS:
    void acknowledgeRequested(quint64 episode);
    void snoozeRequested(quint64 episode, int seconds);
    /// Select the subject's position (or account) in the main window.
    void showRequested(const mm::AlertSubject& subject);
    /// Open the deleverage confirmation for the subject; the episode keys the order's client id.
    void deleverageRequested(quint64 episode, const mm::AlertSubject& subject);
    /// The live subjects, or one's level or figures, changed (once per batch).
    void liveChanged();

private:
    struct LiveEpisode {
        SharedAlertEvent event; ///< its latest state (shared with the batch it came in: no copy)
        bool answered = false; ///< acknowledged or snoozed by the trader, not yet confirmed by the engine
        int answerGeneration = 0;
    };
    struct LiveSubject {
        std::map<std::uint64_t, LiveEpisode> episodes;
    };
    struct Ranked {
        const AlertKey* key;
        const LiveSubject* subject;
        const LiveEpisode* lead;
        bool answered;
    };

    static const LiveEpisode& loudest(const LiveSubject& subject);
    static bool allAnswered(const LiveSubject& subject);
    /// The worst `limit` subjects, worst first (a partial sort: the rest stay unordered and out).
    std::vector<Ranked> worstFirst(std::size_t limit) const;
    /// Marks the subject's unanswered episodes answered, `request` going out for each; `show`: the
    /// popup and the sound follow at once. Whether any was answered.
    bool answer(const AlertKey& key, const std::function<void(std::uint64_t)>& request, bool show = true);
    void scheduleRefresh();
    void refresh();
    void updateSoundLoop();
    /// 1 for an unanswered emergency (the loop sounds while there is one), else 0.
    static int alarming(const LiveEpisode& episode);

    QPointer<QWidget> m_mainWindow;
    AlertPopup* m_popup = nullptr; ///< a top-level window of its own (not a child of the main window), deleted with the Notifier
    AlertSounds* m_sounds = nullptr;
    AlertTray* m_tray = nullptr;
    std::map<AlertKey, LiveSubject> m_live;
    int m_alarms = 0; ///< live unanswered emergencies, kept as they change (not counted per batch)
    QTimer m_refreshTimer;
    QElapsedTimer m_sinceRefresh;
    QElapsedTimer m_sinceRaise;
    AlertLevel m_raisedLevel = AlertLevel::Warning; ///< the loudest brought forward within the raise window
    std::chrono::milliseconds m_refreshInterval = kDefaultRefreshInterval;
    std::uint64_t m_batches = 0;
    std::uint64_t m_rises = 0;
    std::uint64_t m_refreshes = 0;
};

} // namespace mm::ui
