#include "notify/alert_popup.h"

#include "models/display_text.h"
#include "notify/alert_text.h"

#include <QGuiApplication>
#include <QWindow>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QResizeEvent>
#include <QScreen>
#include <QScrollArea>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <array>

namespace mm::ui {

namespace {

constexpr int kWidth = 520;
constexpr int kCornerMargin = 16;
constexpr int kVisibleRows = 7; ///< compact rows shown before the list scrolls

QString levelChipStyle(AlertLevel level)
{
    return QStringLiteral("QLabel { background: %1; color: #111111; font-weight: bold; border-radius: 3px; padding: 1px 6px; }")
        .arg(alertLevelColour(level).name());
}

QLabel* levelChip(AlertLevel level, QWidget* parent)
{
    auto* chip = new QLabel(alertLevelTitle(level).toUpper(), parent);
    chip->setObjectName(QStringLiteral("level"));
    chip->setStyleSheet(levelChipStyle(level));
    chip->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    return chip;
}

/// A one-line label that ends in "…" when its space is short (a long account label or symbol), with
/// the whole text in its tooltip and in the "fullText" property.
class ElidedLabel : public QLabel {
public:
    ElidedLabel(const QString& text, QWidget* parent)
        : QLabel(text, parent)
        , m_full(text)
    {
        setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("BTCUSDT…")));
        setToolTip(text);
        setProperty("fullText", text);
    }

protected:
    void resizeEvent(QResizeEvent* event) override
    {
        QLabel::resizeEvent(event);
        setText(fontMetrics().elidedText(m_full, Qt::ElideRight, contentsRect().width()));
    }

private:
    QString m_full;
};

/// Buttons that a click cannot use to take the focus from the field the trader is typing in.
template <typename Button>
Button* quietButton(const QString& text, const QString& name, QWidget* parent)
{
    auto* button = new Button(parent);
    button->setText(text);
    button->setObjectName(name);
    button->setFocusPolicy(Qt::NoFocus);
    button->setAutoDefault(false);
    return button;
}

template <>
QToolButton* quietButton<QToolButton>(const QString& text, const QString& name, QWidget* parent)
{
    auto* button = new QToolButton(parent);
    button->setText(text);
    button->setObjectName(name);
    button->setFocusPolicy(Qt::NoFocus);
    button->setAutoRaise(true); // flat in the compact list: the rows stay light
    return button;
}

QString entryStyle(AlertLevel level, bool compact)
{
    return QStringLiteral("QFrame#alertEntry { border: none; border-left: %1px solid %2; background: #262626; }")
        .arg(compact ? 3 : 5)
        .arg(alertLevelColour(level).name());
}

void markEntry(QWidget* widget, const AlertPopup::Entry& entry, bool compact)
{
    widget->setObjectName(QStringLiteral("alertEntry"));
    widget->setProperty("episode", QVariant::fromValue<quint64>(entry.event.episode));
    widget->setProperty("level", int(entry.event.level));
    widget->setProperty("answered", entry.answered);
    widget->setProperty("compact", compact);
    widget->setStyleSheet(entryStyle(entry.event.level, compact));
    // Answered: dimmed and its buttons off until the engine confirms and the entry leaves.
    widget->setEnabled(!entry.answered);
}

} // namespace

AlertPopup::AlertPopup(QWidget* anchor)
    : QFrame(nullptr, Qt::Tool | Qt::FramelessWindowHint | Qt::WindowStaysOnTopHint | Qt::WindowDoesNotAcceptFocus)
    , m_anchor(anchor)
{
    setObjectName(QStringLiteral("alertPopup"));
    setWindowTitle(QStringLiteral("Margin Monitor — alerts"));
    setAttribute(Qt::WA_ShowWithoutActivating);
    setAttribute(Qt::WA_QuitOnClose, false); // the app quits when its main window closes, popup or not
    setFocusPolicy(Qt::NoFocus);
    setFrameShape(QFrame::StyledPanel);
    setFixedWidth(kWidth);

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

    m_layout = new QVBoxLayout(this);
    m_layout->setContentsMargins(12, 10, 12, 12);
    m_layout->setSpacing(6);
    m_header = new QLabel(this);
    m_header->setObjectName(QStringLiteral("header"));
    QFont headerFont = m_header->font();
    headerFont.setBold(true);
    headerFont.setPointSizeF(headerFont.pointSizeF() * 1.15);
    m_header->setFont(headerFont);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("summary"));
    m_layout->addWidget(m_header);
    m_layout->addWidget(m_summary);
}

QString AlertPopup::headerText() const
{
    return m_header->text();
}

QWidget* AlertPopup::entryWidget(std::uint64_t episode) const
{
    for (auto* entry : m_entries) {
        if (entry->property("episode").value<quint64>() == episode) {
            return entry;
        }
    }
    return nullptr;
}

QWidget* AlertPopup::makeCard(const Entry& entry, QWidget* parent)
{
    const auto& event = entry.event;
    const quint64 episode = event.episode;
    auto* card = new QFrame(parent);
    markEntry(card, entry, false);
    auto* layout = new QVBoxLayout(card);
    layout->setContentsMargins(10, 8, 8, 8);
    layout->setSpacing(4);

    auto* top = new QHBoxLayout;
    top->addWidget(levelChip(event.level, card));
    auto* position = new ElidedLabel(alertPositionText(event.subject), card);
    position->setObjectName(QStringLiteral("position"));
    QFont bold = position->font();
    bold.setBold(true);
    position->setFont(bold);
    top->addWidget(position, 1);
    auto* time = new QLabel(alertTimeText(event.wallTimeMs), card);
    time->setObjectName(QStringLiteral("time"));
    top->addWidget(time);
    layout->addLayout(top);

    auto* message = new QLabel(alertMessageText(event), card);
    message->setObjectName(QStringLiteral("message"));
    message->setWordWrap(true);
    layout->addWidget(message);
    const QString figuresText = alertFiguresText(event);
    if (!figuresText.isEmpty()) {
        auto* figures = new QLabel(figuresText, card);
        figures->setObjectName(QStringLiteral("figures"));
        figures->setWordWrap(true);
        layout->addWidget(figures);
    }
    if (entry.answered) {
        auto* answered = new QLabel(QStringLiteral("Answered — waiting for the engine to confirm"), card);
        answered->setObjectName(QStringLiteral("answered"));
        layout->addWidget(answered);
    }

    auto* buttons = new QHBoxLayout;
    buttons->setSpacing(6);
    auto* acknowledge = quietButton<QPushButton>(QStringLiteral("Acknowledge"), QStringLiteral("acknowledge"), card);
    auto* snooze = quietButton<QPushButton>(QStringLiteral("Snooze"), QStringLiteral("snooze"), card);
    auto* menu = new QMenu(snooze);
    menu->setObjectName(QStringLiteral("snoozeMenu"));
    for (const int seconds : kSnoozeChoices) {
        const QString label = seconds >= 3600 ? QStringLiteral("%1 h").arg(seconds / 3600) : QStringLiteral("%1 min").arg(seconds / 60);
        auto* action = menu->addAction(label);
        action->setData(seconds);
        connect(action, &QAction::triggered, this, [this, episode, seconds] { Q_EMIT snoozeChosen(episode, seconds); });
    }
    snooze->setMenu(menu);
    auto* show = quietButton<QPushButton>(QStringLiteral("Show"), QStringLiteral("show"), card);
    auto* deleverage = quietButton<QPushButton>(QStringLiteral("Deleverage…"), QStringLiteral("deleverage"), card);
    connect(acknowledge, &QPushButton::clicked, this, [this, episode] { Q_EMIT acknowledgeClicked(episode); });
    connect(show, &QPushButton::clicked, this, [this, episode] { Q_EMIT showClicked(episode); });
    connect(deleverage, &QPushButton::clicked, this, [this, episode] { Q_EMIT deleverageClicked(episode); });
    // Deleveraging concerns a position; an account-wide alert has none to reduce.
    deleverage->setEnabled(event.subject.position.has_value());
    buttons->addWidget(acknowledge);
    buttons->addWidget(snooze);
    buttons->addWidget(show);
    buttons->addStretch(1);
    buttons->addWidget(deleverage);
    layout->addLayout(buttons);
    return card;
}

QWidget* AlertPopup::makeRow(const Entry& entry, QWidget* parent)
{
    const auto& event = entry.event;
    const quint64 episode = event.episode;
    auto* row = new QFrame(parent);
    markEntry(row, entry, true);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(8, 2, 4, 2);
    layout->setSpacing(6);
    auto* level = new QLabel(alertLevelTitle(event.level), row);
    level->setObjectName(QStringLiteral("level"));
    level->setStyleSheet(QStringLiteral("QLabel { color: %1; }").arg(alertLevelColour(event.level).name()));
    level->setFixedWidth(level->fontMetrics().horizontalAdvance(QStringLiteral("Emergency")) + 4);
    layout->addWidget(level);
    auto* position = new ElidedLabel(alertPositionText(event.subject), row);
    position->setObjectName(QStringLiteral("position"));
    position->setToolTip(alertPositionText(event.subject) + QLatin1Char('\n') + alertMessageText(event) + QLatin1Char('\n') +
                         alertFiguresText(event));
    layout->addWidget(position, 1);
    if (event.distancePct) {
        auto* distance = new QLabel(formatPercent(*event.distancePct), row);
        distance->setObjectName(QStringLiteral("distance"));
        layout->addWidget(distance);
    }
    auto* time = new QLabel(alertTimeText(event.wallTimeMs), row);
    time->setObjectName(QStringLiteral("time"));
    layout->addWidget(time);
    auto* show = quietButton<QToolButton>(QStringLiteral("Show"), QStringLiteral("show"), row);
    auto* acknowledge = quietButton<QToolButton>(QStringLiteral("Ack"), QStringLiteral("acknowledge"), row);
    acknowledge->setToolTip(QStringLiteral("Acknowledge"));
    connect(show, &QToolButton::clicked, this, [this, episode] { Q_EMIT showClicked(episode); });
    connect(acknowledge, &QToolButton::clicked, this, [this, episode] { Q_EMIT acknowledgeClicked(episode); });
    layout->addWidget(show);
    layout->addWidget(acknowledge);
    return row;
}

void AlertPopup::setEntries(const std::vector<Entry>& worstFirst, bool grouped)
{
    m_grouped = grouped && worstFirst.size() > 1;
    m_entries.clear();
    if (m_content) {
        // Later: this may run inside the click of one of its buttons.
        m_content->hide();
        m_content->deleteLater();
        m_content = nullptr;
    }
    if (worstFirst.empty()) {
        hide();
        return;
    }
    const AlertLevel worst = worstFirst.front().event.level;
    setStyleSheet(QStringLiteral("#alertPopup { border: 2px solid %1; background: #1e1e1e; }").arg(alertLevelColour(worst).name()));

    std::array<int, 3> perLevel{};
    for (const auto& entry : worstFirst) {
        ++perLevel[std::size_t(int(entry.event.level) - 1)];
    }
    if (m_grouped) {
        m_header->setText(QStringLiteral("%1 positions in danger").arg(worstFirst.size()));
        QStringList counts;
        for (const AlertLevel level : {AlertLevel::Emergency, AlertLevel::Critical, AlertLevel::Warning}) {
            if (const int count = perLevel[std::size_t(int(level) - 1)]; count > 0) {
                counts << QStringLiteral("%1 %2").arg(count).arg(alertLevelTitle(level).toLower());
            }
        }
        m_summary->setText(counts.join(QStringLiteral(" · ")) + QStringLiteral(" — worst first"));
        m_summary->show();
    } else if (worstFirst.size() == 1) {
        m_header->setText(QStringLiteral("%1 alert").arg(alertLevelTitle(worst)));
        m_summary->hide();
    } else {
        m_header->setText(QStringLiteral("%1 alerts").arg(worstFirst.size()));
        m_summary->hide();
    }

    m_content = new QWidget(this);
    auto* content = new QVBoxLayout(m_content);
    content->setContentsMargins(0, 0, 0, 0);
    content->setSpacing(6);
    if (!m_grouped) {
        for (const auto& entry : worstFirst) {
            auto* card = makeCard(entry, m_content);
            content->addWidget(card);
            m_entries << card;
        }
    } else {
        auto* card = makeCard(worstFirst.front(), m_content);
        content->addWidget(card);
        m_entries << card;
        auto* scroll = new QScrollArea(m_content);
        scroll->setObjectName(QStringLiteral("alertList"));
        scroll->setFrameShape(QFrame::NoFrame);
        scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        scroll->setWidgetResizable(true);
        scroll->setFocusPolicy(Qt::NoFocus);
        auto* list = new QWidget(scroll);
        auto* rows = new QVBoxLayout(list);
        rows->setContentsMargins(0, 0, 0, 0);
        rows->setSpacing(2);
        int rowHeight = 0;
        for (std::size_t i = 1; i < worstFirst.size(); ++i) {
            auto* row = makeRow(worstFirst[i], list);
            rows->addWidget(row);
            rowHeight = std::max(rowHeight, row->sizeHint().height());
            m_entries << row;
        }
        rows->addStretch(1);
        scroll->setWidget(list);
        const int shown = std::min<int>(int(worstFirst.size()) - 1, kVisibleRows);
        scroll->setFixedHeight(shown * rowHeight + (shown - 1) * rows->spacing() + 2);
        content->addWidget(scroll);

        auto* footer = new QHBoxLayout;
        footer->setContentsMargins(0, 4, 0, 0);
        footer->addStretch(1);
        auto* all = quietButton<QPushButton>(QStringLiteral("Acknowledge all"), QStringLiteral("acknowledgeAll"), m_content);
        connect(all, &QPushButton::clicked, this, &AlertPopup::acknowledgeAllClicked);
        footer->addWidget(all);
        content->addLayout(footer);
    }
    m_layout->addWidget(m_content);
    m_content->show(); // a child added to a visible window would only show on the next event loop pass
    adjustSize();
    placeInCorner();
    if (!isVisible()) {
        show();
    }
    raise();
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
