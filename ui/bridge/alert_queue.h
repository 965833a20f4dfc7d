#pragma once
// The queue that carries alert events from the core thread to the GUI thread, bounded in any storm.

#include "alerts/alert_event.h"

#include <algorithm>
#include <atomic>
#include <compare>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace mm::ui {

/// Whom an alert is about, as the GUI keys it: one position (its account's and its own index in the
/// Monitor), or an account's cross margin (no position). The popup has one row per key, however many
/// episodes the engine runs for it.
struct AlertKey {
    std::size_t account = 0;
    std::optional<std::size_t> position;

    static AlertKey of(const AlertSubject& subject) { return {subject.account, subject.position}; }
    friend auto operator<=>(const AlertKey&, const AlertKey&) = default;
    friend bool operator==(const AlertKey&, const AlertKey&) = default;
};

/// Where an episode stands after the changes an update folds together.
enum class EpisodeStanding {
    Unchanged, ///< only silent updates since (Eased): shown if it was shown
    Live,      ///< raised or escalated since (and not answered or cleared after that): shown
    Ended,     ///< acknowledged, snoozed or cleared since, last of all: no longer shown
};

/// Where an episode stands after `change`, having stood at `before`.
EpisodeStanding episodeStandingAfter(AlertChange change, EpisodeStanding before);

/// An event as the queue passes it on: copied once from the engine's, then shared (replacing a
/// state, or handing a batch to the GUI, copies no strings).
using SharedAlertEvent = std::shared_ptr<const AlertEvent>;

/// One episode's latest state.
struct EpisodeUpdate {
    SharedAlertEvent latest;
    EpisodeStanding standing = EpisodeStanding::Unchanged;
    std::uint64_t sequence = 0; ///< the queue's number for `latest` (counts every push)
};

/// One subject's changes since the GUI last took the queue.
struct SubjectUpdate {
    AlertKey key;
    /// The latest state of each episode that changed, in the order of their latest change (one
    /// entry with the one-episode-per-subject engine).
    std::vector<EpisodeUpdate> episodes;
    /// The loudest Raised or Escalated among the changes, kept when later changes replaced its
    /// state: a sound is never lost to coalescing, and plays once, at the highest level pending.
    SharedAlertEvent sound;
    std::uint64_t soundSequence = 0; ///< the queue's number for `sound`
    /// How many events this update stands for.
    std::uint64_t events = 0;
};

/// Events the GUI is done with, handed back to be freed on the thread that made them (the core's, on
/// its next push): an event's strings freed on the GUI thread would contend with the core thread's
/// allocator, which in a storm costs the GUI more than all the rest of a batch. Thread-safe.
class AlertRetirement {
public:
    void retire(SharedAlertEvent event);
    void retire(std::vector<SharedAlertEvent>& events);
    /// Everything retired so far (the caller frees it, outside any lock of its own).
    [[nodiscard]] std::vector<SharedAlertEvent> take();

private:
    std::mutex m_mutex;
    std::vector<SharedAlertEvent> m_events;
    std::atomic<bool> m_any{false}; ///< spares take() the lock when nothing was retired
};

/// What the GUI takes in one wake-up: at most one update per subject.
struct AlertBatch {
    std::vector<SubjectUpdate> subjects; ///< in the order of each subject's first change
    std::uint64_t events = 0;            ///< events folded into it
    std::uint64_t coalesced = 0;         ///< of those, how many replaced an earlier state of their episode

    /// Where events the consumer no longer needs go (null: they are simply released).
    std::shared_ptr<AlertRetirement> retirement;

    [[nodiscard]] bool empty() const { return subjects.empty(); }
    /// Releases an event the consumer replaced, on the core thread when the batch has a retirement.
    void retire(SharedAlertEvent event) const
    {
        if (retirement && event) {
            retirement->retire(std::move(event));
        }
    }
    /// One event as a batch of its own, nothing left out (Notifier::deliver()).
    static AlertBatch of(const AlertEvent& event);
    /// Every event the batch still carries, as the GUI sees them: per subject, its sound (when not
    /// also an episode's latest state), then each episode's latest state.
    template <typename Visit> void forEachEvent(Visit&& visit) const
    {
        for (const SubjectUpdate& subject : subjects) {
            if (subject.sound) {
                const bool alsoLatest = std::any_of(subject.episodes.begin(), subject.episodes.end(),
                                                    [&](const EpisodeUpdate& update) { return update.sequence == subject.soundSequence; });
                if (!alsoLatest) {
                    visit(*subject.sound);
                }
            }
            for (const EpisodeUpdate& update : subject.episodes) {
                visit(*update.latest);
            }
        }
    }
};

/// The core → GUI alert queue (DESIGN.md, "Data flow"; qBittorrent's pattern, as EngineHost does for
/// boards): the core thread pushes each event the moment the engine decides it; the first push after
/// the GUI last took the queue calls `wakeUp` (which posts one data-free queued call), and the GUI
/// thread then takes everything pending in one batch. Alerts reach the GUI at once, but the GUI's
/// work per wake-up is bounded by the subjects, not by the events:
///  - one pending entry per subject; in it an episode's later state replaces its earlier one, and a
///    pending Raised/Escalated is kept aside as the subject's sound, so the first sound of an alert
///    is neither delayed nor lost (counted in coalesced());
///  - a state the GUI would ignore is not kept: an episode no longer live (ended, or only eased) that
///    the GUI does not show — one raised and cleared again before the GUI woke up leaves its sound
///    only. The queue knows what the GUI shows from what it took;
///  - the bound: per subject the Monitor watches (its positions and accounts), the episodes the engine
///    runs on it at once (one with the one-voice engine; one per rule kind with the per-rule engine)
///    plus the ones the GUI shows — however many events, however long the GUI is busy.
/// Thread-safe: push() from any thread; take() and reset() from the consumer's.
class AlertQueue {
public:
    /// `wakeUp` is called on the pushing thread, outside the queue's lock, once per batch.
    explicit AlertQueue(std::function<void()> wakeUp);
    AlertQueue(const AlertQueue&) = delete;
    AlertQueue& operator=(const AlertQueue&) = delete;

    void push(const AlertEvent& event);
    /// Everything pending, in one batch (empty when nothing is); the next push wakes the GUI again.
    /// The consumer applies every batch it takes.
    [[nodiscard]] AlertBatch take();
    /// Hands the batch's own events back (after every consumer has seen it): freed on the next push.
    void retire(AlertBatch& batch);
    /// The consumer lets what is pending wait (its share of the GUI's time is spent): until the next
    /// take(), a sound louder than any pending wakes it again.
    void holdBack();
    /// Forgets everything pending and everything shown (the engine was rebuilt; the GUI cleared).
    void reset();

    /// Events pushed, and of those how many did not reach the GUI as a state of their own (replaced
    /// by a later state of their episode, or of an episode the GUI never showed).
    [[nodiscard]] std::uint64_t pushed() const { return m_pushed; }
    [[nodiscard]] std::uint64_t coalesced() const { return m_coalesced; }
    [[nodiscard]] std::uint64_t wakeUps() const { return m_wakeUps; }
    /// The loudest level among the sounds pending (Raised / Escalated not yet taken), as an int
    /// (0: none): a consumer that lets a storm coalesce still takes a louder sound at once.
    [[nodiscard]] int loudestPendingSound() const { return m_loudestPendingSound; }
    /// The most subjects, and the most episode states, ever pending at once (the high-water marks).
    [[nodiscard]] std::size_t peakSubjects() const { return m_peakSubjects; }
    [[nodiscard]] std::size_t peakStates() const { return m_peakStates; }

private:
    void coalesce(); ///< one more event that will not reach the GUI as its own state; under the lock

    std::function<void()> m_wakeUp;
    std::shared_ptr<AlertRetirement> m_retirement = std::make_shared<AlertRetirement>();
    std::mutex m_mutex;
    std::vector<SubjectUpdate> m_pending;      ///< guarded by m_mutex
    std::map<AlertKey, std::size_t> m_index;   ///< a subject's place in m_pending; guarded
    /// The episodes the GUI shows, per subject, as of what it took; guarded.
    std::map<AlertKey, std::vector<std::uint64_t>> m_shown;
    std::size_t m_states = 0;                  ///< episode states pending; guarded
    std::uint64_t m_batchEvents = 0;           ///< guarded
    std::uint64_t m_batchCoalesced = 0;        ///< guarded
    bool m_wakeUpPending = false;              ///< guarded: a wake-up is posted and not yet taken
    bool m_heldBack = false;                   ///< guarded: the consumer lets the pending batch wait
    std::atomic<std::uint64_t> m_pushed{0};
    std::atomic<std::uint64_t> m_coalesced{0};
    std::atomic<std::uint64_t> m_wakeUps{0};
    std::atomic<int> m_loudestPendingSound{0}; ///< written under m_mutex
    std::atomic<std::size_t> m_peakSubjects{0};
    std::atomic<std::size_t> m_peakStates{0};
};

} // namespace mm::ui
