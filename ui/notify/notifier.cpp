#include "notify/notifier.h"

#include "notify/alert_popup.h"
#include "notify/alert_sounds.h"
#include "notify/alert_text.h"
#include "notify/alert_tray.h"

#include <QTimer>
#include <QWidget>

#include <algorithm>
#include <limits>

namespace mm::ui {

Notifier::Notifier(QWidget* mainWindow, QObject* parent)
    : QObject(parent)
    , m_mainWindow(mainWindow)
    , m_popup(new AlertPopup(mainWindow))
    , m_sounds(new AlertSounds(this))
    , m_tray(new AlertTray(mainWindow, this))
{
    // For queued connections from the bridge and for QVariant / QSignalSpy.
    qRegisterMetaType<mm::AlertEvent>("mm::AlertEvent");
    qRegisterMetaType<mm::AlertSubject>("mm::AlertSubject");

    connect(m_popup, &AlertPopup::acknowledgeClicked, this, [this](quint64 episode) {
        if (m_live.contains(episode)) {
            Q_EMIT acknowledgeRequested(episode);
            answer(episode);
        }
    });
    connect(m_popup, &AlertPopup::snoozeChosen, this, [this](quint64 episode, int seconds) {
        if (m_live.contains(episode)) {
            Q_EMIT snoozeRequested(episode, seconds);
            answer(episode);
        }
    });
    connect(m_popup, &AlertPopup::showClicked, this, [this](quint64 episode) {
        if (const auto found = m_live.find(episode); found != m_live.end()) {
            Q_EMIT showRequested(found->second.event.subject);
        }
    });
    connect(m_popup, &AlertPopup::deleverageClicked, this, [this](quint64 episode) {
        if (const auto found = m_live.find(episode); found != m_live.end()) {
            Q_EMIT deleverageRequested(episode, found->second.event.subject);
        }
    });
    connect(m_popup, &AlertPopup::acknowledgeAllClicked, this, &Notifier::acknowledgeAll);
    connect(m_tray, &AlertTray::activated, this, [this] {
        if (!m_live.empty()) {
            m_popup->show();
            m_popup->raise();
        }
    });
}

Notifier::~Notifier()
{
    delete m_popup; // a window of its own: no parent deletes it
}

std::vector<const Notifier::Live*> Notifier::worstFirst() const
{
    std::vector<const Live*> order;
    order.reserve(m_live.size());
    for (const auto& [episode, live] : m_live) {
        order.push_back(&live);
    }
    constexpr double kFar = std::numeric_limits<double>::infinity();
    std::sort(order.begin(), order.end(), [&](const Live* a, const Live* b) {
        // Answered ones after the unanswered: what still needs the trader comes first.
        if (a->answered != b->answered) {
            return !a->answered;
        }
        if (a->event.level != b->event.level) {
            return a->event.level > b->event.level;
        }
        const double da = a->event.distancePct.value_or(kFar);
        const double db = b->event.distancePct.value_or(kFar);
        if (da != db) {
            return da < db;
        }
        if (a->event.wallTimeMs != b->event.wallTimeMs) {
            return a->event.wallTimeMs > b->event.wallTimeMs;
        }
        return a->event.episode > b->event.episode;
    });
    return order;
}

std::vector<std::uint64_t> Notifier::liveEpisodes() const
{
    std::vector<std::uint64_t> episodes;
    for (const Live* live : worstFirst()) {
        episodes.push_back(live->event.episode);
    }
    return episodes;
}

std::optional<AlertEvent> Notifier::liveEvent(std::uint64_t episode) const
{
    if (const auto found = m_live.find(episode); found != m_live.end()) {
        return found->second.event;
    }
    return std::nullopt;
}

bool Notifier::isPlaying(AlertLevel level) const
{
    return m_sounds->isPlaying(level);
}

void Notifier::setMuted(bool muted)
{
    m_sounds->setMuted(muted);
}

bool Notifier::isMuted() const
{
    return m_sounds->isMuted();
}

void Notifier::setVolume(double volume)
{
    m_sounds->setVolume(volume);
}

double Notifier::volume() const
{
    return m_sounds->volume();
}

void Notifier::deliver(const mm::AlertEvent& event)
{
    switch (event.change) {
    case AlertChange::Raised:
    case AlertChange::Escalated: {
        // A raise, or an escalation (also of an episode answered before: louder means live again).
        Live& live = m_live[event.episode];
        live.event = event;
        live.answered = false;
        ++live.answerGeneration;
        if (event.level != AlertLevel::Emergency) {
            m_sounds->play(event.level); // the emergency's loop: updateSoundLoop
        }
        const QString subject = event.subject.position && !event.subject.symbol.empty()
                                    ? QString::fromStdString(event.subject.symbol)
                                    : alertPositionText(event.subject);
        QString body = alertPositionText(event.subject) + QLatin1Char('\n') + alertMessageText(event);
        if (const QString figures = alertFiguresText(event); !figures.isEmpty()) {
            body += QLatin1Char('\n') + figures;
        }
        m_tray->announce(event.level, QStringLiteral("%1 — %2").arg(alertLevelTitle(event.level), subject), body);
        m_tray->requestAttention();
        break;
    }
    case AlertChange::Acknowledged:
    case AlertChange::Snoozed:
    case AlertChange::Cleared:
        // An acknowledged or snoozed alert leaves the popup: the trader has seen it, and what is left
        // must be what still needs them. It comes back if it escalates.
        m_live.erase(event.episode);
        break;
    }
    updateSoundLoop();
    refresh();
}

void Notifier::acknowledgeAll()
{
    std::vector<std::uint64_t> episodes;
    for (const auto& [episode, live] : m_live) {
        if (!live.answered) {
            episodes.push_back(episode);
        }
    }
    for (const auto episode : episodes) {
        Q_EMIT acknowledgeRequested(episode);
    }
    for (const auto episode : episodes) {
        answer(episode);
    }
}

void Notifier::answer(std::uint64_t episode)
{
    const auto found = m_live.find(episode);
    if (found == m_live.end() || found->second.answered) {
        return;
    }
    // Quiet at once (the trader is here); the entry leaves when the engine confirms. Should no
    // confirmation come, the answer did not reach the engine: the alert is loud again.
    found->second.answered = true;
    const int generation = ++found->second.answerGeneration;
    QTimer::singleShot(kAnswerTimeoutMs, this, [this, episode, generation] {
        const auto again = m_live.find(episode);
        if (again != m_live.end() && again->second.answered && again->second.answerGeneration == generation) {
            again->second.answered = false;
            updateSoundLoop();
            refresh();
        }
    });
    updateSoundLoop();
    refresh();
}

void Notifier::updateSoundLoop()
{
    const bool emergency = std::any_of(m_live.begin(), m_live.end(), [](const auto& item) {
        return item.second.event.level == AlertLevel::Emergency && !item.second.answered;
    });
    if (emergency) {
        m_sounds->play(AlertLevel::Emergency); // starts the loop unless it runs
    } else {
        m_sounds->stopEmergencyLoop();
    }
}

void Notifier::refresh()
{
    const auto order = worstFirst();
    std::vector<AlertPopup::Entry> entries;
    entries.reserve(order.size());
    for (const Live* live : order) {
        entries.push_back({live->event, live->answered});
    }
    m_popup->setEntries(entries, entries.size() >= kGroupFrom);
    m_tray->setActive(!entries.empty());
    if (!entries.empty()) {
        const AlertEvent& worst = order.front()->event;
        const QString title = entries.size() == 1 ? QStringLiteral("%1 alert").arg(alertLevelTitle(worst.level))
                                                  : QStringLiteral("%1 positions in danger").arg(entries.size());
        m_tray->setSummary(worst.level, title,
                           QStringLiteral("Worst: %1\n%2").arg(alertPositionText(worst.subject), alertMessageText(worst)));
    }
    Q_EMIT liveEpisodesChanged();
}

} // namespace mm::ui
