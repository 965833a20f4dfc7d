#include "bridge/alert_queue.h"

#include <iterator>
#include <utility>

namespace mm::ui {

EpisodeStanding episodeStandingAfter(AlertChange change, EpisodeStanding before)
{
    switch (change) {
    case AlertChange::Raised:
    case AlertChange::Escalated:
        return EpisodeStanding::Live;
    case AlertChange::Acknowledged:
    case AlertChange::Snoozed:
    case AlertChange::Cleared:
        return EpisodeStanding::Ended;
    case AlertChange::Eased:
        return before; // quieter, not gone: whatever it was, it still is
    }
    return before;
}

void AlertRetirement::retire(SharedAlertEvent event)
{
    const std::lock_guard lock(m_mutex);
    m_events.push_back(std::move(event));
    m_any = true;
}

void AlertRetirement::retire(std::vector<SharedAlertEvent>& events)
{
    const std::lock_guard lock(m_mutex);
    if (m_events.empty()) {
        m_events.swap(events);
    } else {
        std::move(events.begin(), events.end(), std::back_inserter(m_events));
    }
    events.clear();
    m_any = !m_events.empty();
}

std::vector<SharedAlertEvent> AlertRetirement::take()
{
    if (!m_any.exchange(false)) {
        return {};
    }
    const std::lock_guard lock(m_mutex);
    return std::exchange(m_events, {});
}

AlertBatch AlertBatch::of(const AlertEvent& event)
{
    AlertBatch batch;
    SubjectUpdate update;
    update.key = AlertKey::of(event.subject);
    auto shared = std::make_shared<const AlertEvent>(event);
    update.episodes.push_back({shared, episodeStandingAfter(event.change, EpisodeStanding::Unchanged), 1});
    if (event.sounds()) {
        update.sound = shared;
        update.soundSequence = 1;
    }
    update.events = 1;
    batch.subjects.push_back(std::move(update));
    batch.events = 1;
    return batch;
}

AlertQueue::AlertQueue(std::function<void()> wakeUp) : m_wakeUp(std::move(wakeUp)) {}

void AlertQueue::coalesce()
{
    ++m_batchCoalesced;
    ++m_coalesced;
}

void AlertQueue::push(const AlertEvent& event)
{
    // What the GUI is done with is freed here, on the thread that allocated it, outside the lock.
    const std::vector<SharedAlertEvent> retired = m_retirement->take();
    bool wake = false;
    bool louderSound = false;
    {
        const std::lock_guard lock(m_mutex);
        const std::uint64_t sequence = ++m_pushed;
        ++m_batchEvents;
        const AlertKey key = AlertKey::of(event.subject);
        auto [where, added] = m_index.try_emplace(key, m_pending.size());
        if (added) {
            m_pending.push_back(SubjectUpdate{key, {}, nullptr, 0, 0});
            m_peakSubjects = std::max<std::size_t>(m_peakSubjects, m_pending.size());
        }
        SubjectUpdate& subject = m_pending[where->second];
        ++subject.events;
        SharedAlertEvent shared; // the one copy of the event, made only if something keeps it
        const auto share = [&] {
            if (!shared) {
                shared = std::make_shared<const AlertEvent>(event);
            }
            return shared;
        };
        if (event.sounds() && (!subject.sound || event.level > subject.sound->level)) {
            subject.sound = share(); // the first sound at its level; a louder one supersedes it
            subject.soundSequence = sequence;
            if (int(event.level) > m_loudestPendingSound) {
                m_loudestPendingSound = int(event.level);
                louderSound = true;
            }
        }
        EpisodeStanding before = EpisodeStanding::Unchanged;
        auto episode = std::find_if(subject.episodes.begin(), subject.episodes.end(),
                                    [&](const EpisodeUpdate& update) { return update.latest->episode == event.episode; });
        if (episode != subject.episodes.end()) {
            before = episode->standing;
            subject.episodes.erase(episode); // replaced: the later state goes last (the latest change last)
            --m_states;
            coalesce();
        }
        const EpisodeStanding standing = episodeStandingAfter(event.change, before);
        const auto shown = m_shown.find(key);
        const bool gui = shown != m_shown.end() &&
                         std::find(shown->second.begin(), shown->second.end(), event.episode) != shown->second.end();
        if (standing == EpisodeStanding::Live || gui) {
            subject.episodes.push_back(EpisodeUpdate{share(), standing, sequence});
            ++m_states;
            m_peakStates = std::max<std::size_t>(m_peakStates, m_states);
        } else {
            coalesce(); // not live, not shown: nothing for the GUI to do with it (its sound is kept)
        }
        // A consumer holding the batch back is woken again by a louder sound than any pending (at
        // most one extra wake-up per level per batch): it takes that sound at once.
        if (!m_wakeUpPending || (louderSound && m_heldBack)) {
            m_wakeUpPending = true;
            wake = true;
        }
    }
    if (wake) {
        ++m_wakeUps;
        if (m_wakeUp) {
            m_wakeUp();
        }
    }
}

AlertBatch AlertQueue::take()
{
    AlertBatch batch;
    const std::lock_guard lock(m_mutex);
    // Cleared under the lock: a push from here on finds no wake-up pending and posts one.
    m_wakeUpPending = false;
    m_heldBack = false;
    m_loudestPendingSound = 0;
    batch.subjects = std::exchange(m_pending, {});
    batch.events = std::exchange(m_batchEvents, 0);
    batch.coalesced = std::exchange(m_batchCoalesced, 0);
    batch.retirement = m_retirement;
    m_index.clear();
    m_states = 0;
    // What the GUI shows once it has applied the batch.
    for (const SubjectUpdate& subject : batch.subjects) {
        for (const EpisodeUpdate& update : subject.episodes) {
            auto& shown = m_shown[subject.key];
            const auto found = std::find(shown.begin(), shown.end(), update.latest->episode);
            if (update.standing == EpisodeStanding::Live && found == shown.end()) {
                shown.push_back(update.latest->episode);
            } else if (update.standing == EpisodeStanding::Ended && found != shown.end()) {
                shown.erase(found);
            }
            if (shown.empty()) {
                m_shown.erase(subject.key);
            }
        }
    }
    return batch;
}

void AlertQueue::retire(AlertBatch& batch)
{
    std::vector<SharedAlertEvent> events;
    for (SubjectUpdate& subject : batch.subjects) {
        if (subject.sound) {
            events.push_back(std::move(subject.sound));
        }
        for (EpisodeUpdate& update : subject.episodes) {
            events.push_back(std::move(update.latest));
        }
    }
    m_retirement->retire(events);
}

void AlertQueue::holdBack()
{
    const std::lock_guard lock(m_mutex);
    m_heldBack = true;
}

void AlertQueue::reset()
{
    const std::lock_guard lock(m_mutex);
    m_pending.clear();
    m_index.clear();
    m_shown.clear();
    m_states = 0;
    m_batchEvents = 0;
    m_batchCoalesced = 0;
    // A wake-up already posted finds nothing; the next push posts one.
    m_wakeUpPending = false;
    m_heldBack = false;
    m_loudestPendingSound = 0;
}

} // namespace mm::ui
