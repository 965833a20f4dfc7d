#pragma once

#include "alerts/alert_event.h"
#include "bridge/alert_queue.h"

#include <QFrame>
#include <QPointer>

#include <array>
#include <functional>
#include <optional>
#include <vector>

class QMenu;
class QModelIndex;
class QPushButton;
class QTableView;
class QWindow;

namespace mm::ui {

class AlertListModel;
class ElidedLine;

/// The in-app alert popup: a frameless tool window in the corner of the main window that never takes
/// focus and never blocks input (not modal, shown without activating). It counts the positions in
/// danger ("3 positions in danger", by level), shows the worst one as a card — level, position,
/// what is happening, why (its reasons), figures, time and the trader's answers — and lists the next
/// ones, each position once, worst first, with "and N more" beyond the list.
///
/// Built once and updated in place: every line has a size that does not depend on its text
/// (ElidedLine), the list is a table on a small model (AlertListModel) whose rows change text, so an
/// update repaints what changed and lays out nothing — the popup's size changes only when the
/// number of rows shown does. A view only: the Notifier decides what it shows.
class AlertPopup final : public QFrame {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertPopup)
public:
    /// One measure behind an alert, in words.
    struct Reason {
        AlertRuleKind rule = AlertRuleKind::Distance;
        AlertLevel level = AlertLevel::Warning;
        QString text; ///< "2.41% to liquidation"
        QString line; ///< with the threshold it crossed: "2.41% to liquidation — critical below 3%"
    };
    /// One position (or account) in danger as shown.
    struct Entry {
        AlertKey key;
        std::uint64_t episode = 0;   ///< its loudest live episode
        AlertEvent lead;             ///< that episode's latest event (level, figures, message, time)
        std::vector<Reason> reasons; ///< the measures behind it, worst first
        bool answered = false;       ///< the trader answered it; dimmed until the engine confirms
    };
    /// What the header counts: every subject in danger, not only those listed.
    struct Counts {
        std::size_t positions = 0;
        std::size_t accounts = 0;
        std::array<std::size_t, 3> perLevel{}; ///< warning, critical, emergency
    };
    /// The card and the list together show at most this many (the worst); the rest are counted.
    static constexpr std::size_t kListedAtMost = 20;
    /// Rows of the list visible before it scrolls.
    static constexpr int kVisibleRows = 8;
    /// Lines for reasons on the card (more reasons share the last one).
    static constexpr int kReasonLines = 3;
    /// The snooze menu's choices, in seconds: 5 min, 15 min, 1 h.
    static constexpr int kSnoozeChoices[] = {5 * 60, 15 * 60, 60 * 60};

    /// `anchor` (the main window, may be null) is where the popup sits; it is not the parent, so the
    /// popup stays up when the main window is minimised.
    explicit AlertPopup(QWidget* anchor = nullptr);

    /// Shows these entries (worst first, at most kListedAtMost; the first is the card) under a header
    /// counting `counts`. Empty: hides the popup. Never shows it: see bringForward().
    void setEntries(const std::vector<Entry>& worstFirst, const Counts& counts);
    /// Shows the popup (without activating it) and raises it above other windows; counted.
    void bringForward();
    [[nodiscard]] int raises() const { return m_raises; }
    /// How many times setEntries() changed what is shown, and how many of those re-laid out the popup.
    [[nodiscard]] int updates() const { return m_updates; }
    [[nodiscard]] int relayouts() const { return m_relayouts; }

    /// "3 positions in danger", "1 position and 1 account in danger".
    [[nodiscard]] QString headerText() const;
    /// "1 emergency · 1 critical · 1 warning — worst first".
    [[nodiscard]] QString summaryText() const;
    /// "and 1,980 more — see the Positions tab", or "" when everything is listed.
    [[nodiscard]] QString moreText() const;
    /// Whom the card is about (none while hidden).
    [[nodiscard]] std::optional<AlertKey> cardKey() const { return m_cardKey; }
    /// The card (objectName "alertCard"; its lines are ElidedLines named "level", "position", "time",
    /// "reason1" … "reason3", "figures"; its buttons "acknowledge", "snooze", "show", "deleverage";
    /// the engine's message in its tooltip).
    [[nodiscard]] QWidget* card() const { return m_card; }
    /// The card's line `name` (see card()).
    [[nodiscard]] QString cardText(const char* name) const;
    /// The card's reason lines that say something, in order.
    [[nodiscard]] QStringList cardReasons() const;
    [[nodiscard]] AlertListModel& listModel() const { return *m_model; }
    [[nodiscard]] QTableView* listView() const { return m_list; }
    /// Moves the popup to the bottom-right corner of the anchor (or of the screen).
    void placeInCorner();

Q_SIGNALS:
    void acknowledgeClicked(const mm::ui::AlertKey& key);
    void snoozeChosen(const mm::ui::AlertKey& key, int seconds);
    void showClicked(const mm::ui::AlertKey& key);
    void deleverageClicked(const mm::ui::AlertKey& key);
    void acknowledgeAllClicked();

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void buildCard();
    void buildList();
    void showCard(const Entry& entry);
    void listClicked(const QModelIndex& index);
    void listMenu(const QPoint& at);
    QMenu* snoozeMenu(QWidget* parent, const std::function<std::optional<AlertKey>()>& whom);
    /// Fits the popup to the rows shown, only when their number (or the "more" line) changed.
    void reshape(int rowsShown, bool more);

    QPointer<QWidget> m_anchor;
    QPointer<QWindow> m_lastFocusWindow; ///< where the focus goes back to, should a platform give it to the popup
    ElidedLine* m_header = nullptr;
    ElidedLine* m_summary = nullptr;
    QWidget* m_card = nullptr;
    ElidedLine* m_level = nullptr;
    ElidedLine* m_position = nullptr;
    ElidedLine* m_time = nullptr;
    std::array<ElidedLine*, kReasonLines> m_reasonLines{};
    ElidedLine* m_figures = nullptr;
    QPushButton* m_acknowledge = nullptr;
    QPushButton* m_snooze = nullptr;
    QPushButton* m_show = nullptr;
    QPushButton* m_deleverage = nullptr;
    AlertListModel* m_model = nullptr;
    QTableView* m_list = nullptr;
    ElidedLine* m_more = nullptr;
    QPushButton* m_acknowledgeAll = nullptr;

    std::optional<AlertKey> m_cardKey;
    std::optional<AlertLevel> m_borderLevel;
    int m_rowsShown = -1;
    bool m_moreShown = false;
    int m_raises = 0;
    int m_updates = 0;
    int m_relayouts = 0;
};

} // namespace mm::ui
