#include "notify/alert_popup.h"

#include "models/display_text.h"
#include "notify/alert_list_model.h"
#include "notify/alert_text.h"
#include "notify/elided_line.h"

#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QMenu>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>
#include <QPushButton>
#include <QScreen>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>
#include <QWindow>

#include <algorithm>
#include <cmath>

namespace mm::ui {

namespace {

constexpr int kWidth = 700;
constexpr int kCornerMargin = 16;
constexpr int kRowHeight = 24;
const QColor kPopupBackground(0x1e, 0x1e, 0x1e);
const QColor kCardBackground(0x26, 0x26, 0x26);
const QColor kDimmed(0x80, 0x80, 0x80);
const QColor kSecondary(0xb4, 0xb4, 0xb4);
const QColor kText(0xe6, 0xe6, 0xe6);

/// The card's frame: its background and a bar in the level's colour down its left edge, painted
/// (a style sheet per level would re-polish the card on every change of level).
class CardFrame final : public QWidget {
public:
    explicit CardFrame(QWidget* parent) : QWidget(parent) {}
    void setBar(const QColor& colour)
    {
        if (colour != m_bar) {
            m_bar = colour;
            update();
        }
    }

protected:
    void paintEvent(QPaintEvent*) override
    {
        QPainter painter(this);
        painter.fillRect(rect(), kCardBackground);
        painter.fillRect(QRect(0, 0, 5, height()), m_bar);
    }

private:
    QColor m_bar;
};

/// The list's cells: the level as a coloured bar and word, Ack as a small flat button; the rest as
/// text.
class AlertListDelegate final : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        const bool answered = index.data(AlertListModel::AnsweredRole).toBool();
        const auto level = AlertLevel(index.data(AlertListModel::LevelRole).toInt());
        switch (index.column()) {
        case AlertListModel::Level: {
            painter->save();
            painter->fillRect(QRect(option.rect.left(), option.rect.top() + 2, 3, option.rect.height() - 4),
                              answered ? kDimmed : alertLevelColour(level));
            QFont bold = option.font;
            bold.setBold(true);
            painter->setFont(bold);
            painter->setPen(answered ? kDimmed : alertLevelColour(level));
            painter->drawText(option.rect.adjusted(9, 0, -2, 0), Qt::AlignLeft | Qt::AlignVCenter,
                              index.data(Qt::DisplayRole).toString());
            painter->restore();
            return;
        }
        case AlertListModel::Acknowledge: {
            const bool enabled = !answered;
            painter->save();
            painter->setRenderHint(QPainter::Antialiasing);
            const QRectF button = QRectF(option.rect).adjusted(3, 3, -3, -3);
            QPainterPath path;
            path.addRoundedRect(button, 3, 3);
            painter->fillPath(path, QColor(0x33, 0x33, 0x33));
            painter->setPen(QColor(0x55, 0x55, 0x55));
            painter->drawPath(path);
            painter->setPen(enabled ? kText : kDimmed);
            painter->drawText(button, Qt::AlignCenter, index.data(Qt::DisplayRole).toString());
            painter->restore();
            return;
        }
        default:
            QStyledItemDelegate::paint(painter, option, index);
        }
    }
};

/// The popup is dark whatever the application's theme (an alert stands out, and its colours are made
/// for a dark ground): light text on it, dark buttons.
QPalette popupPalette()
{
    QPalette palette;
    const QColor text = kText;
    palette.setColor(QPalette::Window, kPopupBackground);
    palette.setColor(QPalette::WindowText, text);
    palette.setColor(QPalette::Base, kCardBackground);
    palette.setColor(QPalette::AlternateBase, QColor(0x2c, 0x2c, 0x2c));
    palette.setColor(QPalette::Text, text);
    palette.setColor(QPalette::Button, QColor(0x33, 0x33, 0x33));
    palette.setColor(QPalette::ButtonText, text);
    palette.setColor(QPalette::Light, QColor(0x55, 0x55, 0x55));
    palette.setColor(QPalette::Midlight, QColor(0x44, 0x44, 0x44));
    palette.setColor(QPalette::Mid, QColor(0x2a, 0x2a, 0x2a));
    palette.setColor(QPalette::Dark, QColor(0x18, 0x18, 0x18));
    palette.setColor(QPalette::Shadow, QColor(0x10, 0x10, 0x10));
    palette.setColor(QPalette::ToolTipBase, kPopupBackground);
    palette.setColor(QPalette::ToolTipText, text);
    palette.setColor(QPalette::Highlight, QColor(0x3d, 0x6f, 0xb6));
    palette.setColor(QPalette::HighlightedText, Qt::white);
    for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText}) {
        palette.setColor(QPalette::Disabled, role, kDimmed);
    }
    return palette;
}

QPushButton* quietButton(const QString& text, const QString& name, QWidget* parent)
{
    // A click cannot take the focus from the field the trader is typing in.
    auto* button = new QPushButton(text, parent);
    button->setObjectName(name);
    button->setFocusPolicy(Qt::NoFocus);
    button->setAutoDefault(false);
    return button;
}

ElidedLine* line(const QString& name, QWidget* parent, const QString& widthHint = QStringLiteral("BTCUSDT · Long"))
{
    auto* made = new ElidedLine(parent, widthHint);
    made->setObjectName(name);
    return made;
}

QString countText(std::size_t count)
{
    return formatPrice(double(count), 0); // "1,980": grouped as every figure in the app
}

} // namespace

AlertPopup::AlertPopup(QWidget* anchor)
    : QFrame(nullptr, Qt::Tool | Qt::FramelessWindowHint | Qt::WindowStaysOnTopHint | Qt::WindowDoesNotAcceptFocus)
    , m_anchor(anchor)
{
    setObjectName(QStringLiteral("alertPopup"));
    setWindowTitle(tr("Margin Monitor — alerts"));
    setAttribute(Qt::WA_ShowWithoutActivating);
    setAttribute(Qt::WA_QuitOnClose, false); // the app quits when its main window closes, popup or not
    setFocusPolicy(Qt::NoFocus);
    setFixedWidth(kWidth);
    setPalette(popupPalette());

    // The flags above ask the window manager never to activate the popup; a platform that activates
    // every window it shows all the same (the offscreen one does; some window managers ignore the
    // hint) gets the focus handed straight back, so the trader's typing is never cut off.
    m_lastFocusWindow = QGuiApplication::focusWindow();
    connect(qApp, &QGuiApplication::focusWindowChanged, this, [this](QWindow* focus) {
        if (focus && focus == windowHandle()) {
            if (m_lastFocusWindow && m_lastFocusWindow->isVisible()) {
                m_lastFocusWindow->requestActivate();
            }
        } else if (focus) {
            m_lastFocusWindow = focus;
        }
    });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 10, 12, 12);
    layout->setSpacing(6);
    m_header = line(QStringLiteral("header"), this, QStringLiteral("20 positions and 4 accounts in danger"));
    QFont headerFont = m_header->font();
    headerFont.setBold(true);
    headerFont.setPointSizeF(headerFont.pointSizeF() * 1.2);
    m_header->setFont(headerFont);
    m_summary = line(QStringLiteral("summary"), this, QStringLiteral("3 emergency · 12 critical · 5 warning — worst first"));
    m_summary->setColour(kSecondary);
    layout->addWidget(m_header);
    layout->addWidget(m_summary);

    buildCard();
    layout->addWidget(m_card);
    buildList();
    layout->addWidget(m_list);
    m_more = line(QStringLiteral("more"), this);
    m_more->setColour(kSecondary);
    layout->addWidget(m_more);

    auto* footer = new QHBoxLayout;
    footer->setContentsMargins(0, 2, 0, 0);
    footer->addStretch(1);
    m_acknowledgeAll = quietButton(tr("Acknowledge all"), QStringLiteral("acknowledgeAll"), this);
    m_acknowledgeAll->setToolTip(tr("Acknowledge every position listed: quiet until one gets worse"));
    connect(m_acknowledgeAll, &QPushButton::clicked, this, &AlertPopup::acknowledgeAllClicked);
    footer->addWidget(m_acknowledgeAll);
    layout->addLayout(footer);
    reshape(0, false);
}

void AlertPopup::buildCard()
{
    auto* card = new CardFrame(this);
    m_card = card;
    m_card->setObjectName(QStringLiteral("alertCard"));
    auto* layout = new QVBoxLayout(m_card);
    layout->setContentsMargins(14, 8, 8, 8);
    layout->setSpacing(3);

    auto* top = new QHBoxLayout;
    top->setSpacing(8);
    m_level = line(QStringLiteral("level"), m_card, QStringLiteral("EMERGENCY"));
    m_level->setBold(true);
    m_level->setChip(alertLevelColour(AlertLevel::Warning));
    m_level->setFixedWidth(m_level->sizeHint().width());
    top->addWidget(m_level);
    m_position = line(QStringLiteral("position"), m_card);
    m_position->setBold(true);
    top->addWidget(m_position, 1);
    m_time = line(QStringLiteral("time"), m_card, QStringLiteral("30 May 23:59:59"));
    m_time->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_time->setColour(kSecondary);
    m_time->setFixedWidth(m_time->sizeHint().width());
    top->addWidget(m_time);
    layout->addLayout(top);

    // Where it stands, then why — a line per reason (fixed lines: a reason more or less never moves
    // the popup).
    m_figures = line(QStringLiteral("figures"), m_card);
    m_figures->setColour(kSecondary);
    layout->addWidget(m_figures);
    for (int i = 0; i < kReasonLines; ++i) {
        m_reasonLines[std::size_t(i)] = line(QStringLiteral("reason%1").arg(i + 1), m_card);
        layout->addWidget(m_reasonLines[std::size_t(i)]);
    }

    auto* buttons = new QHBoxLayout;
    buttons->setSpacing(6);
    buttons->setContentsMargins(0, 4, 0, 0);
    m_acknowledge = quietButton(tr("Acknowledge"), QStringLiteral("acknowledge"), m_card);
    m_snooze = quietButton(tr("Snooze"), QStringLiteral("snooze"), m_card);
    m_snooze->setMenu(snoozeMenu(m_snooze, [this] { return m_cardKey; }));
    m_show = quietButton(tr("Show"), QStringLiteral("show"), m_card);
    m_deleverage = quietButton(tr("Deleverage…"), QStringLiteral("deleverage"), m_card);
    // The card's buttons act on whom the card shows when clicked.
    connect(m_acknowledge, &QPushButton::clicked, this, [this] {
        if (m_cardKey) {
            Q_EMIT acknowledgeClicked(*m_cardKey);
        }
    });
    connect(m_show, &QPushButton::clicked, this, [this] {
        if (m_cardKey) {
            Q_EMIT showClicked(*m_cardKey);
        }
    });
    connect(m_deleverage, &QPushButton::clicked, this, [this] {
        if (m_cardKey) {
            Q_EMIT deleverageClicked(*m_cardKey);
        }
    });
    buttons->addWidget(m_acknowledge);
    buttons->addWidget(m_snooze);
    buttons->addWidget(m_show);
    buttons->addStretch(1);
    buttons->addWidget(m_deleverage);
    layout->addLayout(buttons);
}

QMenu* AlertPopup::snoozeMenu(QWidget* parent, const std::function<std::optional<AlertKey>()>& whom)
{
    auto* menu = new QMenu(parent);
    menu->setObjectName(QStringLiteral("snoozeMenu"));
    for (const int seconds : kSnoozeChoices) {
        const QString label = seconds >= 3600 ? tr("%1 h").arg(seconds / 3600) : tr("%1 min").arg(seconds / 60);
        auto* action = menu->addAction(label);
        action->setData(seconds);
        connect(action, &QAction::triggered, this, [this, whom, seconds] {
            if (const auto key = whom()) {
                Q_EMIT snoozeChosen(*key, seconds);
            }
        });
    }
    return menu;
}

void AlertPopup::buildList()
{
    m_model = new AlertListModel(this);
    m_list = new QTableView(this);
    m_list->setObjectName(QStringLiteral("alertList"));
    m_list->setModel(m_model);
    m_list->setItemDelegate(new AlertListDelegate(m_list));
    m_list->setFocusPolicy(Qt::NoFocus);
    m_list->setSelectionMode(QAbstractItemView::NoSelection);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setShowGrid(false);
    m_list->setWordWrap(false);
    m_list->setTextElideMode(Qt::ElideRight);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_list->setFrameShape(QFrame::NoFrame);
    // Colours in the style sheet itself: a widget with a style sheet takes the application's palette,
    // not the popup's.
    m_list->setStyleSheet(QStringLiteral("QTableView { background: #262626; color: #e6e6e6; }"
                                         "QHeaderView::section { background: #1e1e1e; color: #b4b4b4; border: none; "
                                         "border-bottom: 1px solid #3a3a3a; padding: 0 4px; }"));
    // Fixed sizes throughout: nothing is measured from the text (no ResizeToContents).
    QHeaderView* rows = m_list->verticalHeader();
    rows->hide();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setDefaultSectionSize(kRowHeight);
    QHeaderView* columns = m_list->horizontalHeader();
    columns->setSectionResizeMode(QHeaderView::Fixed);
    columns->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    columns->setHighlightSections(false);
    columns->setSectionsClickable(false);
    columns->setFixedHeight(kRowHeight - 2);
    const QFontMetrics metrics = m_list->fontMetrics();
    const auto wide = [&](const QString& sample) { return metrics.horizontalAdvance(sample) + 18; };
    columns->resizeSection(AlertListModel::Level, wide(QStringLiteral("Emergency")) + 6);
    columns->resizeSection(AlertListModel::Distance, wide(QStringLiteral("Distance")));
    columns->resizeSection(AlertListModel::Reasons, wide(QStringLiteral("liquidation in about 3 min"))); // all of it in the tooltip
    columns->resizeSection(AlertListModel::Acknowledge, wide(QStringLiteral("Ack")) + 4);
    columns->setSectionResizeMode(AlertListModel::Position, QHeaderView::Stretch); // what tells positions apart
    connect(m_list, &QTableView::clicked, this, &AlertPopup::listClicked);
    m_list->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_list, &QWidget::customContextMenuRequested, this, &AlertPopup::listMenu);
}

void AlertPopup::listClicked(const QModelIndex& index)
{
    if (!index.isValid() || index.row() >= m_model->rowCount()) {
        return;
    }
    // The row's position at the moment of the click: the key, not the rank, goes out.
    const AlertListModel::Row& row = m_model->row(index.row());
    if (index.column() == AlertListModel::Acknowledge) {
        if (!row.answered) {
            Q_EMIT acknowledgeClicked(row.key);
        }
    } else {
        Q_EMIT showClicked(row.key); // a click on the row: take me there
    }
}

void AlertPopup::listMenu(const QPoint& at)
{
    const QModelIndex index = m_list->indexAt(at);
    if (!index.isValid()) {
        return;
    }
    const AlertListModel::Row row = m_model->row(index.row()); // a copy: the model may change while the menu is open
    QMenu menu(this);
    menu.addAction(tr("Acknowledge"), this, [this, key = row.key] { Q_EMIT acknowledgeClicked(key); })->setEnabled(!row.answered);
    QMenu* snooze = snoozeMenu(&menu, [key = row.key] { return std::optional<AlertKey>(key); });
    snooze->setTitle(tr("Snooze"));
    menu.addMenu(snooze)->setEnabled(!row.answered);
    menu.addAction(tr("Show"), this, [this, key = row.key] { Q_EMIT showClicked(key); });
    menu.addAction(tr("Deleverage…"), this, [this, key = row.key] { Q_EMIT deleverageClicked(key); })->setEnabled(row.key.position.has_value());
    menu.exec(m_list->viewport()->mapToGlobal(at));
}

QString AlertPopup::headerText() const
{
    return m_header->text();
}

QString AlertPopup::summaryText() const
{
    return m_summary->text();
}

QString AlertPopup::moreText() const
{
    return m_moreShown ? m_more->text() : QString();
}

QString AlertPopup::cardText(const char* name) const
{
    const auto* found = m_card->findChild<ElidedLine*>(QString::fromLatin1(name));
    return found ? found->text() : QString();
}

QStringList AlertPopup::cardReasons() const
{
    QStringList reasons;
    for (const ElidedLine* line : m_reasonLines) {
        if (!line->text().isEmpty()) {
            reasons << line->text();
        }
    }
    return reasons;
}

void AlertPopup::showCard(const Entry& entry)
{
    const AlertEvent& event = entry.lead;
    m_cardKey = entry.key;
    const QColor colour = entry.answered ? kDimmed : alertLevelColour(event.level);
    static_cast<CardFrame*>(m_card)->setBar(colour);
    m_level->setChip(colour);
    m_level->setText(alertLevelTitle(event.level).toUpper());
    m_position->setText(alertPositionText(event.subject));
    m_position->setColour(entry.answered ? kDimmed : QColor());
    m_time->setText(alertTimeText(event.wallTimeMs));
    // One line per reason, each with its level's dot; more reasons than lines share the last one.
    for (int i = 0; i < kReasonLines; ++i) {
        ElidedLine* line = m_reasonLines[std::size_t(i)];
        const std::size_t at = std::size_t(i);
        if (at >= entry.reasons.size()) {
            line->setText(QString());
            continue;
        }
        QString text = entry.reasons[at].line;
        if (i == kReasonLines - 1) {
            for (std::size_t more = at + 1; more < entry.reasons.size(); ++more) {
                text += QStringLiteral(" · ") + entry.reasons[more].text;
            }
        }
        line->setText(text);
        line->setMarker(entry.answered ? kDimmed : alertLevelColour(entry.reasons[at].level));
        line->setColour(entry.answered ? kDimmed : kText);
    }
    // The engine's own words, whole, where the pointer asks for them.
    QStringList tip{alertPositionText(event.subject), alertMessageText(event)};
    for (const Reason& reason : entry.reasons) {
        tip << QStringLiteral("• ") + reason.line;
    }
    m_card->setToolTip(tip.join(QLatin1Char('\n')));
    const QString figures = alertFiguresText(event);
    m_figures->setText(entry.answered ? (figures.isEmpty() ? tr("Answered — waiting for the engine to confirm")
                                                           : tr("Answered — waiting for the engine to confirm · %1").arg(figures))
                                      : figures);
    // Answered: its buttons off until the engine confirms and the entry leaves.
    for (QPushButton* button : {m_acknowledge, m_snooze, m_show}) {
        if (button->isEnabled() == entry.answered) {
            button->setEnabled(!entry.answered);
        }
    }
    // Deleveraging concerns a position; an account-wide alert has none to reduce.
    const bool canDeleverage = !entry.answered && entry.key.position.has_value();
    if (m_deleverage->isEnabled() != canDeleverage) {
        m_deleverage->setEnabled(canDeleverage);
    }
    m_card->setProperty("level", int(event.level));
    m_card->setProperty("answered", entry.answered);
}

void AlertPopup::setEntries(const std::vector<Entry>& worstFirst, const Counts& counts)
{
    ++m_updates;
    if (worstFirst.empty()) {
        m_cardKey.reset();
        m_model->setRows({});
        hide();
        return;
    }
    const Entry& worst = worstFirst.front();
    if (m_borderLevel != worst.lead.level) {
        m_borderLevel = worst.lead.level;
        update(); // the border's colour (paintEvent)
    }

    // "3 positions in danger", "2 positions and 1 account in danger".
    QString header;
    if (counts.positions > 0 && counts.accounts > 0) {
        header = tr("%1 %2 and %3 %4 in danger")
                     .arg(countText(counts.positions), counts.positions == 1 ? tr("position") : tr("positions"),
                          countText(counts.accounts), counts.accounts == 1 ? tr("account") : tr("accounts"));
    } else if (counts.accounts > 0) {
        header = counts.accounts == 1 ? tr("1 account in danger") : tr("%1 accounts in danger").arg(countText(counts.accounts));
    } else {
        header = counts.positions == 1 ? tr("1 position in danger") : tr("%1 positions in danger").arg(countText(counts.positions));
    }
    m_header->setText(header);
    QStringList perLevel;
    for (const AlertLevel level : {AlertLevel::Emergency, AlertLevel::Critical, AlertLevel::Warning}) {
        if (const std::size_t count = counts.perLevel[std::size_t(int(level) - 1)]; count > 0) {
            perLevel << QStringLiteral("%1 %2").arg(countText(count), alertLevelTitle(level).toLower());
        }
    }
    const std::size_t total = counts.positions + counts.accounts;
    m_summary->setText(perLevel.join(QStringLiteral(" · ")) + (total > 1 ? tr(" — worst first") : QString()));

    showCard(worst);

    std::vector<AlertListModel::Row> rows;
    rows.reserve(worstFirst.size() - 1);
    for (std::size_t i = 1; i < worstFirst.size() && i < kListedAtMost; ++i) {
        const Entry& entry = worstFirst[i];
        const AlertEvent& event = entry.lead;
        AlertListModel::Row row;
        row.key = entry.key;
        row.episode = entry.episode;
        row.level = event.level;
        row.answered = entry.answered;
        row.levelText = alertLevelTitle(event.level);
        row.position = alertPositionShortText(event.subject);
        row.distance = event.distancePct && std::isfinite(*event.distancePct) ? formatPercent(*event.distancePct) : QString();
        // The distance has a column of its own: Why says the other measures (an account's ratio).
        QStringList why;
        QStringList every;
        for (const Reason& reason : entry.reasons) {
            every << reason.line;
            if (!(reason.rule == AlertRuleKind::Distance && !row.distance.isEmpty())) {
                why << reason.text;
            }
        }
        row.reasons = why.join(QStringLiteral(" · "));
        QStringList tip{alertPositionText(event.subject), alertMessageText(event)};
        for (const QString& line : every) {
            tip << QStringLiteral("• ") + line;
        }
        if (const QString figures = alertFiguresText(event); !figures.isEmpty()) {
            tip << figures;
        }
        tip << alertTimeText(event.wallTimeMs);
        if (entry.answered) {
            tip << tr("Answered — waiting for the engine to confirm");
        }
        row.toolTip = tip.join(QLatin1Char('\n'));
        rows.push_back(std::move(row));
    }
    const int rowsShown = int(rows.size());
    m_model->setRows(std::move(rows));
    const std::size_t listed = std::min(worstFirst.size(), kListedAtMost);
    const bool more = total > listed;
    if (more) {
        m_more->setText(tr("and %1 more — every position is in the Positions tab").arg(countText(total - listed)));
    }
    reshape(rowsShown, more);
}

void AlertPopup::reshape(int rowsShown, bool more)
{
    const int visible = std::min(rowsShown, kVisibleRows);
    if (visible == m_rowsShown && more == m_moreShown) {
        return; // the same shape: nothing to lay out
    }
    ++m_relayouts;
    m_rowsShown = visible;
    m_moreShown = more;
    m_list->setVisible(visible > 0);
    m_list->setFixedHeight(m_list->horizontalHeader()->height() + visible * kRowHeight + 2);
    m_more->setVisible(more);
    m_acknowledgeAll->setVisible(visible > 0);
    adjustSize();
    placeInCorner();
}

void AlertPopup::bringForward()
{
    ++m_raises;
    if (!isVisible()) {
        placeInCorner();
        show();
    }
    raise();
}

void AlertPopup::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), kPopupBackground);
    const QColor border = m_borderLevel ? alertLevelColour(*m_borderLevel) : QColor(0x55, 0x55, 0x55);
    painter.setPen(QPen(border, 2));
    painter.drawRect(QRectF(rect()).adjusted(1, 1, -1, -1));
}

void AlertPopup::placeInCorner()
{
    QRect area;
    if (m_anchor && m_anchor->isVisible() && !m_anchor->isMinimized()) {
        area = m_anchor->frameGeometry();
    } else if (const QScreen* screen = m_anchor ? m_anchor->screen() : QGuiApplication::primaryScreen()) {
        area = screen->availableGeometry();
    }
    if (area.isEmpty()) {
        return;
    }
    // Within the screen too, when the main window reaches past it.
    if (const QScreen* screen = m_anchor ? m_anchor->screen() : QGuiApplication::primaryScreen()) {
        area = area.intersected(screen->availableGeometry());
    }
    const QSize size = this->size(); // after adjustSize(): the fixed width, the content's height
    move(std::max(area.left(), area.right() - size.width() - kCornerMargin),
         std::max(area.top(), area.bottom() - size.height() - kCornerMargin));
}

} // namespace mm::ui
