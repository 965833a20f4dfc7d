#include "views/static_text_delegate.h"

#include <QApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <QStyle>

namespace mm::ui {

namespace {

/// Texts kept at most; then the cache starts again (a table on screen shows a few hundred).
constexpr qsizetype kMostTexts = 4096;

/// Only what the quick way draws exactly as the style would: one line of text, no icon, no check box.
bool isPlainTextCell(const QStyleOptionViewItem& option)
{
    constexpr auto kOthers =
        QStyleOptionViewItem::HasDecoration | QStyleOptionViewItem::HasCheckIndicator | QStyleOptionViewItem::WrapText;
    return (option.features & kOthers) == 0 && (option.state & QStyle::State_Editing) == 0 &&
           !option.text.contains(QLatin1Char('\n')) && !option.text.contains(QChar::LineSeparator);
}

/// The pen QCommonStyle writes an item view's text with.
QColor textColour(const QStyleOptionViewItem& option)
{
    QPalette::ColorGroup group = (option.state & QStyle::State_Enabled) != 0 ? QPalette::Normal : QPalette::Disabled;
    if (group == QPalette::Normal && (option.state & QStyle::State_Active) == 0) {
        group = QPalette::Inactive;
    }
    return option.palette.color(group, (option.state & QStyle::State_Selected) != 0 ? QPalette::HighlightedText
                                                                                    : QPalette::Text);
}

/// Where QCommonStyle puts a line of text of this size in the text area: aligned as the cell says,
/// horizontally to the fraction of a pixel, vertically to whole pixels.
QPointF placed(const QStyleOptionViewItem& cell, const QRect& area, const QSizeF& size)
{
    const Qt::Alignment alignment = QStyle::visualAlignment(cell.direction, cell.displayAlignment);
    qreal x = area.x();
    if ((alignment & Qt::AlignRight) != 0) {
        x = area.x() + area.width() - size.width();
    } else if ((alignment & Qt::AlignHCenter) != 0) {
        x = area.x() + (area.width() - size.width()) / 2;
    }
    int y = area.y();
    if ((alignment & Qt::AlignBottom) != 0) {
        y = area.y() + area.height() - int(size.height());
    } else if ((alignment & Qt::AlignVCenter) != 0) {
        y = area.y() + (area.height() - int(size.height())) / 2;
    }
    return {x, qreal(y)};
}

} // namespace

StaticTextDelegate::StaticTextDelegate(QObject* parent) : QStyledItemDelegate(parent) {}

void StaticTextDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem cell = option;
    initStyleOption(&cell, index);
    if (!isPlainTextCell(cell)) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    const QWidget* widget = cell.widget;
    const QStyle* style = widget != nullptr ? widget->style() : QApplication::style();
    // The text area as QCommonStyle has it: the cell less the focus frame's margin on each side.
    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
    const QRect area = cell.rect.adjusted(margin, 0, -margin, 0);
    const QStaticText& text = laidOut(cell.text, cell.font);
    const QSizeF size = text.size();
    if (size.width() > area.width()) {
        QStyledItemDelegate::paint(painter, option, index); // to be elided: the style's way
        return;
    }

    // The style draws the rest (background, selection, focus frame) as it would; without the text it
    // has no text to lay out.
    cell.text.clear();
    cell.features &= ~QStyleOptionViewItem::HasDisplay;
    style->drawControl(QStyle::CE_ItemViewItem, &cell, painter, widget);

    painter->save();
    painter->setClipRect(cell.rect);
    painter->setFont(cell.font);
    painter->setPen(textColour(cell));
    painter->drawStaticText(placed(cell, area, size), text);
    painter->restore();
}

const QStaticText& StaticTextDelegate::laidOut(const QString& text, const QFont& font) const
{
    if (font != m_font || m_texts.size() >= kMostTexts) {
        m_texts.clear();
        m_font = font;
    }
    auto found = m_texts.find(text);
    if (found == m_texts.end()) {
        QStaticText laid(text);
        laid.setTextFormat(Qt::PlainText);
        laid.prepare(QTransform(), font);
        found = m_texts.insert(text, laid);
    }
    return *found;
}

} // namespace mm::ui
