#include "notify/notifier.h"

#include "notify/alert_popup.h"
#include "notify/alert_sounds.h"
#include "notify/alert_text.h"
#include "notify/alert_tray.h"

#include <QWidget>

#include <algorithm>
#include <limits>
#include <set>
#include <utility>

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
    qRegisterMetaType<mm::ui::AlertBatch>("mm::ui::AlertBatch");
    qRegisterMetaType<mm::ui::AlertKey>("mm::ui::AlertKey");

    m_refreshTimer.setSingleShot(true);
    connect(&m_refreshTimer, &QTimer::timeout, this, &Notifier::refresh);

    connect(m_popup, &AlertPopup::acknowledgeClicked, this, [this](const AlertKey& key) {
        answer(key, [this](std::uint64_t episode) { Q_EMIT acknowledgeRequested(episode); });
    });
    connect(m_popup, &AlertPopup::snoozeChosen, this, [this](const AlertKey& key, int seconds) {
        answer(key, [this, seconds](std::uint64_t episode) { Q_EMIT snoozeRequested(episode, seconds); });
    });
    connect(m_popup, &AlertPopup::showClicked, this, [this](const AlertKey& key) {
        if (const auto found = m_live.find(key); found != m_live.end()) {
            Q_EMIT showRequested(loudest(found->second).event->subject);
        }
    });
    connect(m_popup, &AlertPopup::deleverageClicked, this, [this](const AlertKey& key) {
        if (const auto found = m_live.find(key); found != m_live.end()) {
            const AlertEvent& lead = *loudest(found->second).event;
            Q_EMIT deleverageRequested(lead.episode, lead.subject);
        }
    });
    connect(m_popup, &AlertPopup::acknowledgeAllClicked, this, &Notifier::acknowledgeAll);
    connect(m_tray, &AlertTray::activated, this, [this] {
        if (!m_live.empty()) {
            m_popup->bringForward();
        }
    });
}

Notifier::~Notifier()
{
    delete m_popup; // a window of its own: no parent deletes it
}

const Notifier::LiveEpisode& Notifier::loudest(const LiveSubject& subject)
{
    // The loudest episode speaks for the subject (with the one-voice engine it is the only one).
    const LiveEpisode* best = nullptr;
    for (const auto& [id, episode] : subject.episodes) {
        if (best == nullptr || episode.event->level > best->event->level ||
            (episode.event->level == best->event->level && episode.event->wallTimeMs > best->event->wallTimeMs)) {
            best = &episode;
        }
    }
    return *best; // a live subject has at least one episode
}

bool Notifier::allAnswered(const LiveSubject& subject)
{
    return std::all_of(subject.episodes.begin(), subject.episodes.end(), [](const auto& item) { return item.second.answered; });
}

std::vector<Notifier::Ranked> Notifier::worstFirst(std::size_t limit) const
{
    std::vector<Ranked> order;
    order.reserve(m_live.size());
    for (const auto& [key, subject] : m_live) {
        order.push_back({&key, &subject, &loudest(subject), allAnswered(subject)});
    }
    constexpr double kFar = std::numeric_limits<double>::infinity();
    const auto worse = [&](const Ranked& a, const Ranked& b) {
        // Answered ones after the unanswered: what still needs the trader comes first.
        if (a.answered != b.answered) {
            return !a.answered;
        }
        if (a.lead->event->level != b.lead->event->level) {
            return a.lead->event->level > b.lead->event->level;
        }
        const double da = a.lead->event->distancePct.value_or(kFar);
        const double db = b.lead->event->distancePct.value_or(kFar);
        if (da != db) {
            return da < db;
        }
        if (a.lead->event->wallTimeMs != b.lead->event->wallTimeMs) {
            return a.lead->event->wallTimeMs > b.lead->event->wallTimeMs;
        }
        return *a.key < *b.key;
    };
    const std::size_t keep = std::min(limit, order.size());
    std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(keep), order.end(), worse);
    order.resize(keep);
    return order;
}

std::vector<AlertKey> Notifier::liveSubjects() const
{
    std::vector<AlertKey> keys;
    for (const Ranked& ranked : worstFirst(m_live.size())) {
        keys.push_back(*ranked.key);
    }
    return keys;
}

std::optional<AlertEvent> Notifier::liveEvent(const AlertKey& key) const
{
    if (const auto found = m_live.find(key); found != m_live.end()) {
        return *loudest(found->second).event;
    }
    return std::nullopt;
}

std::vector<std::uint64_t> Notifier::liveEpisodes(const AlertKey& key) const
{
    std::vector<std::uint64_t> episodes;
    if (const auto found = m_live.find(key); found != m_live.end()) {
        for (const auto& [id, episode] : found->second.episodes) {
            episodes.push_back(id);
        }
    }
    return episodes;
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

void Notifier::setRefreshInterval(std::chrono::milliseconds interval)
{
    m_refreshInterval = std::max(interval, std::chrono::milliseconds(0));
}

void Notifier::deliver(const mm::AlertEvent& event)
{
    deliverBatch(AlertBatch::of(event));
}

void Notifier::deliverBatch(const mm::ui::AlertBatch& batch)
{
    if (batch.empty()) {
        return;
    }
    ++m_batches;
    bool changed = false;
    const AlertEvent* loudestRise = nullptr;
    for (const SubjectUpdate& update : batch.subjects) {
        auto found = m_live.find(update.key);
        const int before = found == m_live.end() ? 0 : int(loudest(found->second).event->level);
        for (const EpisodeUpdate& change : update.episodes) {
            const std::uint64_t id = change.latest->episode;
            switch (change.standing) {
            case EpisodeStanding::Live: {
                // Raised or escalated: shown, and loud again if the trader had answered it.
                if (found == m_live.end()) {
                    found = m_live.emplace(update.key, LiveSubject{}).first;
                }
                LiveEpisode& episode = found->second.episodes[id];
                m_alarms -= alarming(episode);
                batch.retire(std::exchange(episode.event, change.latest));
                if (episode.answered) {
                    episode.answered = false;
                    ++episode.answerGeneration;
                }
                m_alarms += alarming(episode);
                changed = true;
                break;
            }
            case EpisodeStanding::Ended:
                // An acknowledged or snoozed alert leaves the popup: the trader has seen it, and what
                // is left must be what still needs them. It comes back if it gets louder.
                if (found != m_live.end()) {
                    if (const auto episode = found->second.episodes.find(id); episode != found->second.episodes.end()) {
                        m_alarms -= alarming(episode->second);
                        batch.retire(std::move(episode->second.event));
                        found->second.episodes.erase(episode);
                        changed = true;
                    }
                }
                break;
            case EpisodeStanding::Unchanged:
                // Quieter (eased): the new level and figures, without a sound.
                if (found != m_live.end()) {
                    if (const auto episode = found->second.episodes.find(id); episode != found->second.episodes.end()) {
                        m_alarms -= alarming(episode->second);
                        batch.retire(std::exchange(episode->second.event, change.latest));
                        m_alarms += alarming(episode->second);
                        changed = true;
                    }
                }
                break;
            }
        }
        if (found != m_live.end() && found->second.episodes.empty()) {
            m_live.erase(found);
        }
        // A rise: a raise or an escalation above the level the subject was shown at. Its sound was
        // kept by the queue even when later changes replaced its state (an emergency already eased
        // within the batch is still heard once).
        if (update.sound && int(update.sound->level) > before) {
            ++m_rises;
            if (loudestRise == nullptr || update.sound->level > loudestRise->level) {
                loudestRise = &*update.sound;
            }
        }
    }
    if (loudestRise != nullptr) {
        // One sound per batch, at its loudest rise (the sounds rate-limit each level on top).
        if (loudestRise->level != AlertLevel::Emergency) {
            m_sounds->play(loudestRise->level);
        } else if (m_alarms == 0) {
            m_sounds->playOnce(AlertLevel::Emergency); // over already: heard once, no loop
        } // else the loop: updateSoundLoop
    }
    updateSoundLoop();
    // Brought forward — the popup raised, the tray message, the taskbar's attention — for a rise, at
    // most once per raise window unless louder than what the window already brought forward: in a
    // storm, once every two seconds, never holding back a worse level.
    const bool forward = loudestRise != nullptr && (!m_sinceRaise.isValid() || m_sinceRaise.elapsed() >= kRaiseWindow.count() ||
                                                    loudestRise->level > m_raisedLevel);
    if (forward) {
        const AlertEvent& event = *loudestRise;
        m_sinceRaise.restart();
        m_raisedLevel = event.level;
        const QString subject = event.subject.position && !event.subject.symbol.empty() ? QString::fromStdString(event.subject.symbol)
                                                                                        : alertPositionText(event.subject);
        QString body = alertPositionText(event.subject) + QLatin1Char('\n') + alertMessageText(event);
        if (const QString figures = alertFiguresText(event); !figures.isEmpty()) {
            body += QLatin1Char('\n') + figures;
        }
        m_tray->announce(event.level, QStringLiteral("%1 — %2").arg(alertLevelTitle(event.level), subject), body);
        m_tray->requestAttention();
        const bool wasVisible = m_popup->isVisible();
        refresh(); // what brought it forward is on it (and a hidden popup appears)
        if (wasVisible && !m_live.empty()) {
            m_popup->bringForward();
        }
    } else if (changed) {
        scheduleRefresh();
    }
    if (changed) {
        Q_EMIT liveChanged();
    }
}

void Notifier::acknowledgeAll()
{
    std::vector<AlertKey> keys;
    for (const auto& [key, subject] : m_live) {
        keys.push_back(key);
    }
    bool any = false;
    for (const AlertKey& key : keys) {
        any = answer(key, [this](std::uint64_t episode) { Q_EMIT acknowledgeRequested(episode); }, false) || any;
    }
    if (any) {
        // Once for all of them: 2,000 positions answered are one redraw, not 2,000.
        updateSoundLoop();
        refresh();
        Q_EMIT liveChanged();
    }
}

void Notifier::clear()
{
    m_live.clear();
    m_alarms = 0;
    updateSoundLoop();
    refresh();
    Q_EMIT liveChanged();
}

bool Notifier::answer(const AlertKey& key, const std::function<void(std::uint64_t)>& request, bool show)
{
    const auto found = m_live.find(key);
    if (found == m_live.end()) {
        return false;
    }
    bool any = false;
    for (auto& [id, episode] : found->second.episodes) {
        if (episode.answered) {
            continue;
        }
        request(id);
        // Quiet at once (the trader is here); the entry leaves when the engine confirms. Should no
        // confirmation come, the answer did not reach the engine: the alert is loud again.
        m_alarms -= alarming(episode);
        episode.answered = true;
        const int generation = ++episode.answerGeneration;
        QTimer::singleShot(kAnswerTimeoutMs, this, [this, key, id, generation] {
            const auto subject = m_live.find(key);
            if (subject == m_live.end()) {
                return;
            }
            const auto again = subject->second.episodes.find(id);
            if (again != subject->second.episodes.end() && again->second.answered && again->second.answerGeneration == generation) {
                again->second.answered = false;
                m_alarms += alarming(again->second);
                updateSoundLoop();
                refresh();
            }
        });
        any = true;
    }
    if (any && show) {
        updateSoundLoop();
        refresh(); // the trader's own click: shown at once
        Q_EMIT liveChanged();
    }
    return any;
}

int Notifier::alarming(const LiveEpisode& episode)
{
    return episode.event && episode.event->level == AlertLevel::Emergency && !episode.answered ? 1 : 0;
}

void Notifier::updateSoundLoop()
{
    if (m_alarms > 0) {
        m_sounds->play(AlertLevel::Emergency); // starts the loop unless it runs
    } else {
        m_sounds->stopEmergencyLoop();
    }
}

void Notifier::scheduleRefresh()
{
    // The first appearance, and the last alert leaving, at once; otherwise at most once an interval.
    const bool due = m_refreshInterval.count() == 0 || !m_popup->isVisible() || m_live.empty() || !m_sinceRefresh.isValid() ||
                     m_sinceRefresh.elapsed() >= m_refreshInterval.count();
    if (due) {
        refresh();
    } else if (!m_refreshTimer.isActive()) {
        m_refreshTimer.start(std::max<qint64>(1, m_refreshInterval.count() - m_sinceRefresh.elapsed()));
    }
}

void Notifier::refresh()
{
    m_refreshTimer.stop();
    m_sinceRefresh.restart();
    ++m_refreshes;
    AlertPopup::Counts counts;
    for (const auto& [key, subject] : m_live) {
        ++(key.position ? counts.positions : counts.accounts);
        ++counts.perLevel[std::size_t(int(loudest(subject).event->level) - 1)];
    }
    std::vector<AlertPopup::Entry> entries;
    const auto order = worstFirst(AlertPopup::kListedAtMost);
    entries.reserve(order.size());
    for (const Ranked& ranked : order) {
        AlertPopup::Entry entry;
        entry.key = *ranked.key;
        entry.episode = ranked.lead->event->episode;
        entry.lead = *ranked.lead->event;
        entry.answered = ranked.answered;
        // The measures behind it, worst first, each once: the engine's reasons, or (the per-rule
        // engine) each live episode's own measure.
        std::vector<const LiveEpisode*> episodes;
        for (const auto& [id, episode] : ranked.subject->episodes) {
            episodes.push_back(&episode);
        }
        std::stable_sort(episodes.begin(), episodes.end(),
                         [](const LiveEpisode* a, const LiveEpisode* b) { return a->event->level > b->event->level; });
        std::set<AlertRuleKind> said;
        const auto add = [&](const AlertReason& reason) {
            if (said.insert(reason.rule).second) {
                entry.reasons.push_back({reason.rule, reason.level, alertReasonText(reason), alertReasonLine(reason)});
            }
        };
        for (const LiveEpisode* episode : episodes) {
            const AlertEvent& event = *episode->event;
            if (!event.reasons.empty()) {
                for (const AlertReason& reason : event.reasons) {
                    add(reason);
                }
            } else {
                add(AlertReason{event.rule, event.level, event.value, event.threshold, {}});
            }
        }
        entries.push_back(std::move(entry));
    }
    m_popup->setEntries(entries, counts);
    m_tray->setActive(!entries.empty());
    if (!entries.empty()) {
        const AlertEvent& worst = entries.front().lead;
        m_tray->setSummary(worst.level, m_popup->headerText(),
                           QStringLiteral("Worst: %1\n%2").arg(alertPositionText(worst.subject), alertMessageText(worst)));
        if (!m_popup->isVisible()) {
            m_popup->bringForward(); // its first appearance
        }
    }
}

} // namespace mm::ui
