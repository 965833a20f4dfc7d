#pragma once

#include "alerts/alert_event.h"

#include <QFrame>
#include <QList>
#include <QPointer>

#include <vector>

class QLabel;
class QVBoxLayout;
class QWindow;

namespace mm::ui {

/// The in-app alert popup: a frameless tool window in the corner of the main window that never takes
/// focus and never blocks input (not modal, shown without activating). One card per live alert with
/// its level, position, measure, figures, time and the trader's answers; or, for many alerts, one
/// grouped view: "N positions in danger", the worst as a card, the others as a compact list, and
/// "Acknowledge all". A view only: the Notifier decides what it shows.
class AlertPopup : public QFrame {
    Q_OBJECT
public:
    /// A live episode as shown: its latest event, and whether the trader already answered it (the
    /// card is dimmed until the engine confirms and the entry leaves).
    struct Entry {
        AlertEvent event;
        bool answered = false;
    };
    /// The snooze menu's choices, in seconds: 5 min, 15 min, 1 h.
    static constexpr int kSnoozeChoices[] = {5 * 60, 15 * 60, 60 * 60};

    /// `anchor` (the main window, may be null) is where the popup sits; it is not the parent, so the
    /// popup stays up when the main window is minimised.
    explicit AlertPopup(QWidget* anchor = nullptr);

    /// Shows these entries, worst first; `grouped` for the compact view.
    void setEntries(const std::vector<Entry>& worstFirst, bool grouped);
    bool isGrouped() const { return m_grouped; }
    /// "Critical alert", "2 alerts", "20 positions in danger".
    QString headerText() const;
    /// The widgets of the entries now shown, worst first (objectName "alertEntry", properties
    /// "episode" and "level"); the first one is a full card, in the grouped view the rest are rows.
    QList<QWidget*> entryWidgets() const { return m_entries; }
    QWidget* entryWidget(std::uint64_t episode) const;
    /// Moves the popup to the bottom-right corner of the anchor (or of the screen).
    void placeInCorner();

Q_SIGNALS:
    void acknowledgeClicked(quint64 episode);
    void snoozeChosen(quint64 episode, int seconds);
    void showClicked(quint64 episode);
    void deleverageClicked(quint64 episode);
    void acknowledgeAllClicked();

private:
    QWidget* makeCard(const Entry& entry, QWidget* parent);
    QWidget* makeRow(const Entry& entry, QWidget* parent);

    QPointer<QWidget> m_anchor;
    QPointer<QWindow> m_lastFocusWindow; ///< where the focus goes back to, should a platform give it to the popup
    QLabel* m_header = nullptr;
    QLabel* m_summary = nullptr;
    QVBoxLayout* m_layout = nullptr;
    QWidget* m_content = nullptr; ///< rebuilt on each change (the old one is deleted later: a click may be running in it)
    QList<QWidget*> m_entries;
    bool m_grouped = false;
};

} // namespace mm::ui
