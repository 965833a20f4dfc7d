#pragma once

#include "deleverage/deleverage_plan.h"
#include "deleverage/deleverage_status.h"
#include "dialogs/deleverage_text.h"

#include <QDialog>
#include <QString>

#include <chrono>
#include <functional>
#include <optional>

class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QTimer;
class QWidget;

namespace mm::ui {

/// Confirms a deleverage, and follows it. Never modal: the board and the alerts stay usable while it
/// is open. A view only: it emits what the trader chose, the owner talks to the DeleverageExecutor.
///
///  - Manual preview (the plan from DeleverageExecutor::previewManual): the order in words ("Sell
///    0.013 BTCUSDT reduce-only at market"), distance / margin ratio / liquidation price before →
///    after, whether the target is reached, the planner's explanation and why nothing would be sent.
///    The trader's target can be edited (targetChanged; the owner re-plans and calls setPlan). "Send
///    reduce-only order" emits confirmed() once and then stays disabled; it is never the default
///    button (Enter does not send), and is disabled without an order or in dry run.
///  - Following an action (setStatus): a large countdown with a prominent Cancel (cancelRequested(),
///    once), then the state in words and the client order id. The seconds are counted down locally
///    between status updates, from the status's countdownRemaining. Closing the window does not
///    cancel; the dialog says so beside the countdown.
class DeleverageDialog : public QDialog {
    Q_OBJECT
public:
    /// What the time is, for the local countdown (tests pass their own).
    using TimeSource = std::function<std::chrono::steady_clock::time_point()>;

    /// The manual preview. `target`: the trader's target as the editor shows it — the plan's own
    /// target includes the account's planning headroom; unset: the plan's.
    DeleverageDialog(const DeleveragePositionInfo& position, const DeleveragePlan& plan,
                     std::optional<DeleverageTarget> target = std::nullopt, QWidget* parent = nullptr);
    /// Following an action that started without a preview (an alert's countdown): the status's plan
    /// describes the position.
    explicit DeleverageDialog(const DeleverageStatus& status, QWidget* parent = nullptr);
    ~DeleverageDialog() override;
    [[nodiscard]] QSize sizeHint() const override;

    void setPosition(const DeleveragePositionInfo& position);
    /// A new plan (after targetChanged, or fresher figures). The editor keeps the trader's value.
    void setPlan(const DeleveragePlan& plan);
    /// The editor's target; emits nothing.
    void setTarget(const DeleverageTarget& target);
    /// Dry run: nothing can be sent. `whereToSwitch` says where automation is switched on (a default
    /// wording when empty).
    void setDryRun(bool dryRun, const QString& whereToSwitch = {});
    /// The executor's latest status for the action this dialog follows (from onStatus, on the GUI
    /// thread). Shows the countdown / state instead of the target editor and the Send button.
    void setStatus(const DeleverageStatus& status);
    void setTimeSource(TimeSource now);

    [[nodiscard]] DeleverageTarget target() const;
    [[nodiscard]] const DeleveragePlan& plan() const { return m_plan; }
    [[nodiscard]] bool isDryRun() const { return m_dryRun; }
    /// The action followed (after setStatus).
    [[nodiscard]] std::optional<DeleverageAction> action() const;
    /// The countdown left, counted locally since the last status; 0 when not counting down.
    [[nodiscard]] std::chrono::milliseconds countdownRemaining() const;

    // The parts tests look at.
    [[nodiscard]] QString titleText() const;
    [[nodiscard]] QString orderText() const;
    [[nodiscard]] DeleverageFigures figures() const;
    [[nodiscard]] QString targetResultText() const;
    [[nodiscard]] QString caveatText() const; ///< "" when hidden
    [[nodiscard]] QString explanationText() const;
    [[nodiscard]] QString dryRunNoteText() const;     ///< "" when hidden
    [[nodiscard]] QString statusHeadlineText() const; ///< the countdown or the state; "" in the preview
    [[nodiscard]] QString statusDetailText() const;
    [[nodiscard]] QString clientOrderIdText() const;
    [[nodiscard]] QPushButton* sendButton() const { return m_send; }
    [[nodiscard]] QPushButton* cancelButton() const { return m_cancel; }
    [[nodiscard]] QPushButton* closeButton() const { return m_close; }
    [[nodiscard]] QDoubleSpinBox* targetEditor() const { return m_targetEditor; }

Q_SIGNALS:
    /// The trader pressed "Send reduce-only order" (once per dialog).
    void confirmed();
    /// The trader pressed Cancel during the countdown (once per countdown).
    void cancelRequested();
    /// The editor's new value as shown: % of the mark for a distance target, % for a margin-ratio
    /// target; target() gives it as a DeleverageTarget.
    void targetChanged(double value);

private:
    explicit DeleverageDialog(QWidget* parent);
    void buildUi();
    void showPosition();
    void showPlan();
    void showStatus();
    void updateButtons();
    void refreshCountdown();
    void send();
    void requestCancel();

    DeleveragePositionInfo m_position;
    DeleveragePlan m_plan;
    std::optional<DeleverageStatus> m_status;
    QString m_fillDetail; ///< the fill's words, kept when the verification replaces the reason
    bool m_dryRun = false;
    bool m_confirmed = false;
    bool m_cancelRequested = false;
    QString m_whereToSwitch;
    TimeSource m_now;
    std::chrono::steady_clock::time_point m_countdownEndsAt{};

    QLabel* m_title = nullptr;
    QLabel* m_positionFigures = nullptr;
    QLabel* m_order = nullptr;
    QLabel* m_distanceBefore = nullptr;
    QLabel* m_distanceAfter = nullptr;
    QLabel* m_ratioBefore = nullptr;
    QLabel* m_ratioAfter = nullptr;
    QLabel* m_liquidationBefore = nullptr;
    QLabel* m_liquidationAfter = nullptr;
    QLabel* m_targetResult = nullptr;
    QLabel* m_caveat = nullptr;
    QLabel* m_explanation = nullptr;
    QWidget* m_statusPanel = nullptr;
    QLabel* m_statusHeadline = nullptr;
    QLabel* m_statusDetail = nullptr;
    QLabel* m_clientOrderId = nullptr;
    QLabel* m_closeNote = nullptr;
    QWidget* m_editorRow = nullptr;
    QLabel* m_targetLabel = nullptr;
    QDoubleSpinBox* m_targetEditor = nullptr;
    QLabel* m_dryRunNote = nullptr;
    QPushButton* m_send = nullptr;
    QPushButton* m_cancel = nullptr;
    QPushButton* m_close = nullptr;
    QTimer* m_tick = nullptr;
};

} // namespace mm::ui
