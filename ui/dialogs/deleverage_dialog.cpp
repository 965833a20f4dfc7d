#include "dialogs/deleverage_dialog.h"

#include "models/display_text.h"
#include "models/risk_level.h"

#include <QDoubleSpinBox>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace mm::ui {

namespace {

/// How often the local countdown is redrawn: often enough that a second never shows late by more
/// than a fifth of itself.
constexpr int kCountdownTickMs = 200;

QLabel* wrappedLabel(QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

void scaleFont(QWidget* widget, double factor, bool bold)
{
    QFont font = widget->font();
    font.setPointSizeF(font.pointSizeF() * factor);
    font.setBold(bold);
    widget->setFont(font);
}

void setTextColour(QLabel* label, const QColor& colour)
{
    label->setStyleSheet(colour.isValid() ? QStringLiteral("color: %1;").arg(colour.name()) : QString());
}

QFrame* separator(QWidget* parent)
{
    auto* line = new QFrame(parent);
    line->setFrameShape(QFrame::HLine);
    line->setFrameShadow(QFrame::Sunken);
    return line;
}

QColor stateColour(DeleverageState state, std::optional<bool> targetReached)
{
    switch (state) {
    case DeleverageState::Countdown:
    case DeleverageState::Failed:
        return riskColour(RiskLevel::Danger);
    case DeleverageState::Sending:
    case DeleverageState::WaitingLookup:
    case DeleverageState::Refused:
        return riskColour(RiskLevel::Warning);
    case DeleverageState::Done:
        return targetReached.value_or(true) ? riskColour(RiskLevel::Safe) : riskColour(RiskLevel::Warning);
    case DeleverageState::DryRun:
    case DeleverageState::NothingToDo:
    case DeleverageState::Cancelled:
        return {};
    }
    return {};
}

} // namespace

DeleverageDialog::DeleverageDialog(QWidget* parent)
    : QDialog(parent), m_now([] { return std::chrono::steady_clock::now(); })
{
    setModal(false);
    buildUi();
}

DeleverageDialog::DeleverageDialog(const DeleveragePositionInfo& position, const DeleveragePlan& plan,
                                   std::optional<DeleverageTarget> target, QWidget* parent)
    : DeleverageDialog(parent)
{
    m_position = position;
    m_plan = plan;
    setTarget(target.value_or(plan.target));
    showPosition();
    showPlan();
    showStatus();
}

DeleverageDialog::DeleverageDialog(const DeleverageStatus& status, QWidget* parent) : DeleverageDialog(parent)
{
    setTarget(status.plan.target);
    setStatus(status);
}

DeleverageDialog::~DeleverageDialog() = default;

QSize DeleverageDialog::sizeHint() const
{
    // Word-wrapped labels: the height is the one for the width the dialog will really have (the
    // default hint measures them narrower, and the spare height ends up as a gap above the buttons).
    const int width = std::max(minimumWidth(), QDialog::sizeHint().width());
    const int height =
        layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width) : QDialog::sizeHint().height();
    return {width, height};
}

void DeleverageDialog::buildUi()
{
    setMinimumWidth(560);
    auto* layout = new QVBoxLayout(this);
    layout->setSpacing(8);
    layout->setContentsMargins(16, 14, 16, 14);

    m_title = new QLabel(this);
    scaleFont(m_title, 1.15, true);
    m_positionFigures = new QLabel(this);
    layout->addWidget(m_title);
    layout->addWidget(m_positionFigures);
    layout->addWidget(separator(this));

    // The plan: the order, before → after, the target, caveats, the planner's own words.
    m_order = wrappedLabel(this);
    scaleFont(m_order, 1.35, true);
    layout->addWidget(m_order);

    auto* grid = new QGridLayout;
    grid->setHorizontalSpacing(18);
    grid->setVerticalSpacing(4);
    const auto header = [this](const QString& text) {
        auto* label = new QLabel(text, this);
        label->setEnabled(false); // the palette's muted text
        return label;
    };
    grid->addWidget(header(tr("Before")), 0, 1, Qt::AlignRight);
    grid->addWidget(header(tr("After")), 0, 3, Qt::AlignRight);
    const auto row = [&](int r, const QString& name, QLabel*& before, QLabel*& after) {
        grid->addWidget(new QLabel(name, this), r, 0);
        before = new QLabel(this);
        after = new QLabel(this);
        QFont bold = after->font();
        bold.setBold(true);
        after->setFont(bold);
        grid->addWidget(before, r, 1, Qt::AlignRight);
        grid->addWidget(new QLabel(QStringLiteral("→"), this), r, 2, Qt::AlignCenter);
        grid->addWidget(after, r, 3, Qt::AlignRight);
    };
    row(1, tr("Distance to liquidation"), m_distanceBefore, m_distanceAfter);
    row(2, tr("Margin ratio"), m_ratioBefore, m_ratioAfter);
    row(3, tr("Liquidation price"), m_liquidationBefore, m_liquidationAfter);
    grid->setColumnStretch(4, 1);
    layout->addLayout(grid);

    m_targetResult = wrappedLabel(this);
    QFont bold = m_targetResult->font();
    bold.setBold(true);
    m_targetResult->setFont(bold);
    layout->addWidget(m_targetResult);
    m_caveat = wrappedLabel(this);
    setTextColour(m_caveat, riskColour(RiskLevel::Warning));
    layout->addWidget(m_caveat);
    m_explanation = wrappedLabel(this);
    layout->addWidget(m_explanation);

    // Following an action: the countdown or the state, the reason, the client order id.
    m_statusPanel = new QWidget(this);
    auto* statusLayout = new QVBoxLayout(m_statusPanel);
    statusLayout->setContentsMargins(0, 6, 0, 0);
    statusLayout->addWidget(separator(m_statusPanel));
    m_statusHeadline = wrappedLabel(m_statusPanel);
    scaleFont(m_statusHeadline, 1.9, true);
    // Cancel sits beside the countdown it stops, not among the dialog's own buttons.
    m_cancel = new QPushButton(tr("Cancel"), m_statusPanel);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_cancel->setAutoDefault(false);
    m_cancel->setMinimumHeight(44);
    m_cancel->setMinimumWidth(170);
    m_cancel->setMaximumWidth(240);
    m_cancel->setStyleSheet(
        QStringLiteral("QPushButton { background: #c62828; color: white; font-weight: bold; font-size: 15px;"
                       " border: 1px solid #ef9a9a; border-radius: 4px; padding: 6px 22px; }"
                       "QPushButton:hover { background: #d32f2f; }"
                       "QPushButton:disabled { background: #5d3a3a; color: #c8c8c8; border-color: #5d3a3a; }"));
    auto* headlineRow = new QHBoxLayout;
    headlineRow->addWidget(m_statusHeadline, 1);
    headlineRow->addWidget(m_cancel, 0, Qt::AlignVCenter);
    m_statusDetail = wrappedLabel(m_statusPanel);
    m_clientOrderId = new QLabel(m_statusPanel);
    m_clientOrderId->setTextInteractionFlags(Qt::TextSelectableByMouse);
    scaleFont(m_clientOrderId, 0.85, false);
    m_clientOrderId->setEnabled(false);
    m_closeNote = new QLabel(tr("Closing this window does not cancel: press Cancel to stop the order."), m_statusPanel);
    scaleFont(m_closeNote, 0.85, false);
    m_closeNote->setEnabled(false);
    statusLayout->addLayout(headlineRow);
    statusLayout->addWidget(m_statusDetail);
    statusLayout->addWidget(m_clientOrderId);
    statusLayout->addWidget(m_closeNote);
    layout->addWidget(m_statusPanel);

    // The trader's target (manual preview only).
    m_editorRow = new QWidget(this);
    auto* editorLayout = new QHBoxLayout(m_editorRow);
    editorLayout->setContentsMargins(0, 6, 0, 0);
    m_targetLabel = new QLabel(m_editorRow);
    m_targetEditor = new QDoubleSpinBox(m_editorRow);
    m_targetEditor->setObjectName(QStringLiteral("targetEditor"));
    m_targetEditor->setKeyboardTracking(false); // re-plan when the trader is done typing, not per digit
    m_targetEditor->setDecimals(2);
    m_targetEditor->setSuffix(QStringLiteral(" %"));
    m_targetEditor->setToolTip(tr("The plan aims a little beyond this (the account's planning headroom), so that "
                                  "slippage and fees do not leave the position just short of it."));
    m_targetLabel->setBuddy(m_targetEditor);
    editorLayout->addWidget(m_targetLabel);
    editorLayout->addWidget(m_targetEditor);
    editorLayout->addStretch(1);
    layout->addWidget(m_editorRow);
    connect(m_targetEditor, &QDoubleSpinBox::valueChanged, this, [this](double value) { Q_EMIT targetChanged(value); });

    m_dryRunNote = wrappedLabel(this);
    setTextColour(m_dryRunNote, riskColour(RiskLevel::Caution));
    layout->addWidget(m_dryRunNote);

    layout->addSpacing(6);
    layout->addStretch(1);
    auto* buttons = new QHBoxLayout;
    buttons->setSpacing(10);
    m_send = new QPushButton(this);
    m_send->setObjectName(QStringLiteral("sendButton"));
    m_send->setAutoDefault(false); // Enter must never send an order
    m_close = new QPushButton(tr("Close"), this);
    m_close->setObjectName(QStringLiteral("closeButton"));
    m_close->setDefault(true);
    buttons->addStretch(1);
    buttons->addWidget(m_send);
    buttons->addWidget(m_close);
    layout->addLayout(buttons);
    connect(m_send, &QPushButton::clicked, this, &DeleverageDialog::send);
    connect(m_cancel, &QPushButton::clicked, this, &DeleverageDialog::requestCancel);
    connect(m_close, &QPushButton::clicked, this, &QDialog::close);

    m_tick = new QTimer(this);
    m_tick->setInterval(kCountdownTickMs);
    connect(m_tick, &QTimer::timeout, this, &DeleverageDialog::refreshCountdown);
}

void DeleverageDialog::setPosition(const DeleveragePositionInfo& position)
{
    m_position = position;
    showPosition();
}

void DeleverageDialog::setPlan(const DeleveragePlan& plan)
{
    m_plan = plan;
    showPlan();
    updateButtons();
}

void DeleverageDialog::setTarget(const DeleverageTarget& target)
{
    const QSignalBlocker quiet(m_targetEditor);
    if (target.kind == DeleverageTarget::Kind::Distance) {
        m_targetLabel->setText(tr("Your target: distance to liquidation at least"));
        m_targetEditor->setRange(0.1, 99.0);
        m_targetEditor->setSingleStep(0.5);
        m_targetEditor->setValue(target.value);
    } else {
        m_targetLabel->setText(tr("Your target: margin ratio at most"));
        m_targetEditor->setRange(1.0, 99.0);
        m_targetEditor->setSingleStep(1.0);
        m_targetEditor->setValue(target.value * 100.0);
    }
    m_targetEditor->setProperty("distance", target.kind == DeleverageTarget::Kind::Distance);
}

DeleverageTarget DeleverageDialog::target() const
{
    const double value = m_targetEditor->value();
    return m_targetEditor->property("distance").toBool() ? DeleverageTarget::distancePct(value)
                                                         : DeleverageTarget::marginRatio(value / 100.0);
}

void DeleverageDialog::setDryRun(bool dryRun, const QString& whereToSwitch)
{
    m_dryRun = dryRun;
    m_whereToSwitch = whereToSwitch;
    updateButtons();
}

void DeleverageDialog::setStatus(const DeleverageStatus& status)
{
    const bool newCountdown =
        status.state == DeleverageState::Countdown &&
        (!m_status || m_status->state != DeleverageState::Countdown || !(m_status->action == status.action));
    if (status.state == DeleverageState::Done && !status.targetReached) {
        m_fillDetail = QString::fromStdString(status.reason);
    }
    m_status = status;
    if (newCountdown) {
        m_cancelRequested = false;
    }
    if (!status.plan.symbol.empty()) {
        m_plan = status.plan;
    }
    if (m_position.symbol.isEmpty() && !status.plan.symbol.empty()) {
        m_position = DeleveragePositionInfo::fromPlan(QString::fromStdString(status.accountLabel), status.plan);
    }
    if (status.state == DeleverageState::Countdown) {
        m_countdownEndsAt = m_now() + status.countdownRemaining;
        m_tick->start();
    } else {
        m_tick->stop();
    }
    showPosition();
    showPlan();
    showStatus();
}

void DeleverageDialog::setTimeSource(TimeSource now)
{
    m_now = std::move(now);
}

std::optional<DeleverageAction> DeleverageDialog::action() const
{
    return m_status ? std::optional(m_status->action) : std::nullopt;
}

std::chrono::milliseconds DeleverageDialog::countdownRemaining() const
{
    if (!m_status || m_status->state != DeleverageState::Countdown) {
        return std::chrono::milliseconds(0);
    }
    return std::max(std::chrono::milliseconds(0),
                    std::chrono::ceil<std::chrono::milliseconds>(m_countdownEndsAt - m_now()));
}

void DeleverageDialog::showPosition()
{
    if (m_position.symbol.isEmpty()) {
        m_position.symbol = QString::fromStdString(m_plan.symbol);
    }
    setWindowTitle(tr("Deleverage %1").arg(m_position.symbol));
    m_title->setText(describePositionTitle(m_position));
    m_positionFigures->setText(describePositionFigures(m_position));
}

void DeleverageDialog::showPlan()
{
    const int decimals = priceDecimals(m_position.tickSize, m_plan.markPrice.toDouble());
    const DeleverageFigures f = describeFigures(m_plan, decimals);
    m_order->setText(describeOrder(m_plan));
    m_distanceBefore->setText(f.distanceBefore);
    m_distanceAfter->setText(f.distanceAfter);
    m_ratioBefore->setText(f.marginRatioBefore);
    m_ratioAfter->setText(f.marginRatioAfter);
    m_liquidationBefore->setText(f.liquidationBefore);
    m_liquidationAfter->setText(f.liquidationAfter);
    m_targetResult->setText(describeTargetResult(m_plan));
    const bool good = m_plan.targetReached;
    setTextColour(m_targetResult, good ? riskColour(RiskLevel::Safe) : riskColour(RiskLevel::Warning));
    const QString caveat = describePlanCaveat(m_plan);
    m_caveat->setText(caveat);
    m_caveat->setVisible(!caveat.isEmpty());
    m_explanation->setText(QString::fromStdString(m_plan.explanation));
    m_explanation->setVisible(!m_plan.explanation.empty());
}

void DeleverageDialog::showStatus()
{
    const bool following = m_status.has_value();
    m_statusPanel->setVisible(following);
    m_editorRow->setVisible(!following);
    if (following) {
        const DeleverageStatus& status = *m_status;
        if (status.state == DeleverageState::Countdown) {
            m_statusHeadline->setText(describeCountdown(countdownRemaining()));
        } else {
            m_statusHeadline->setText(describeStatusHeadline(status));
        }
        setTextColour(m_statusHeadline, stateColour(status.state, status.targetReached));
        // The executor's countdown reason repeats the plan shown above: say what happens instead.
        QString detail = status.state == DeleverageState::Countdown
                             ? tr("When the countdown ends, the order above is sent to %1. Cancel stops it: nothing is "
                                  "sent then.")
                                   .arg(venueDisplayName(status.venue))
                             : describeStatusDetail(status);
        if (status.state == DeleverageState::Done && status.targetReached && !m_fillDetail.isEmpty()) {
            detail = m_fillDetail + QLatin1Char('\n') + detail;
        }
        if (status.state == DeleverageState::Sending || status.state == DeleverageState::WaitingLookup) {
            detail += tr("\nThe order is with the exchange: it can no longer be cancelled, only its answer awaited.");
        }
        m_statusDetail->setText(detail);
        m_statusDetail->setVisible(!detail.isEmpty());
        const QString id = describeClientOrderId(status);
        m_clientOrderId->setText(id);
        m_clientOrderId->setVisible(!id.isEmpty());
    }
    updateButtons();
}

void DeleverageDialog::updateButtons()
{
    const bool following = m_status.has_value();
    const bool countingDown = following && m_status->state == DeleverageState::Countdown;

    m_send->setVisible(!following);
    if (m_dryRun) {
        m_send->setText(tr("Dry run: nothing will be sent"));
    } else if (m_confirmed) {
        m_send->setText(tr("Confirmed"));
    } else {
        m_send->setText(tr("Send reduce-only order"));
    }
    m_send->setEnabled(!following && !m_confirmed && !m_dryRun && m_plan.hasOrder());
    m_targetEditor->setEnabled(!m_confirmed);

    const QString where = m_whereToSwitch.isEmpty()
                              ? tr("switch automatic deleveraging on and dry run off in the account's settings "
                                   "(Settings → Exchanges), with a separate trade key.")
                              : m_whereToSwitch;
    const bool showDryRun = m_dryRun && !following;
    m_dryRunNote->setText(showDryRun ? tr("This account is in dry run: the plan is journaled and nothing is sent. "
                                          "To send orders, %1")
                                           .arg(where)
                                     : QString());
    m_dryRunNote->setVisible(showDryRun);

    m_cancel->setVisible(countingDown);
    m_cancel->setEnabled(countingDown && !m_cancelRequested);
    m_cancel->setText(m_cancelRequested ? tr("Cancelling…") : tr("Cancel"));
    m_closeNote->setVisible(countingDown);
}

void DeleverageDialog::refreshCountdown()
{
    if (!m_status || m_status->state != DeleverageState::Countdown) {
        m_tick->stop();
        return;
    }
    m_statusHeadline->setText(describeCountdown(countdownRemaining()));
}

void DeleverageDialog::send()
{
    if (m_confirmed || m_dryRun || !m_plan.hasOrder() || m_status) {
        return;
    }
    m_confirmed = true;
    updateButtons();
    Q_EMIT confirmed();
}

void DeleverageDialog::requestCancel()
{
    if (m_cancelRequested || !m_status || m_status->state != DeleverageState::Countdown) {
        return;
    }
    m_cancelRequested = true;
    updateButtons();
    Q_EMIT cancelRequested();
}

// Text accessors for tests.
QString DeleverageDialog::titleText() const
{
    return m_title->text();
}

QString DeleverageDialog::orderText() const
{
    return m_order->text();
}

DeleverageFigures DeleverageDialog::figures() const
{
    return {m_distanceBefore->text(), m_distanceAfter->text(),     m_ratioBefore->text(),
            m_ratioAfter->text(),     m_liquidationBefore->text(), m_liquidationAfter->text()};
}

QString DeleverageDialog::targetResultText() const
{
    return m_targetResult->text();
}

QString DeleverageDialog::caveatText() const
{
    return m_caveat->isHidden() ? QString() : m_caveat->text();
}

QString DeleverageDialog::explanationText() const
{
    return m_explanation->text();
}

QString DeleverageDialog::dryRunNoteText() const
{
    return m_dryRunNote->isHidden() ? QString() : m_dryRunNote->text();
}

QString DeleverageDialog::statusHeadlineText() const
{
    return m_statusPanel->isHidden() ? QString() : m_statusHeadline->text();
}

QString DeleverageDialog::statusDetailText() const
{
    return m_statusDetail->text();
}

QString DeleverageDialog::clientOrderIdText() const
{
    return m_clientOrderId->text();
}

} // namespace mm::ui
