#include "notify/elided_line.h"

#include <QPainter>
#include <QPainterPath>

namespace mm::ui {

namespace {
constexpr int kChipPadding = 6;
}

ElidedLine::ElidedLine(QWidget* parent, const QString& widthHint) : QWidget(parent), m_widthHint(widthHint)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    setAttribute(Qt::WA_OpaquePaintEvent, false);
}

void ElidedLine::setText(const QString& text)
{
    if (text == m_text) {
        return; // nothing to repaint
    }
    m_text = text;
    updateToolTip();
    update();
}

void ElidedLine::setColour(const QColor& colour)
{
    if (colour != m_colour) {
        m_colour = colour;
        update();
    }
}

void ElidedLine::setChip(const QColor& background)
{
    if (background != m_chip) {
        m_chip = background;
        update();
    }
}

void ElidedLine::setMarker(const QColor& colour)
{
    if (colour != m_marker) {
        m_marker = colour;
        update();
    }
}

void ElidedLine::setBold(bool bold)
{
    QFont changed = font();
    changed.setBold(bold);
    setFont(changed); // once, when the line is made: the size hint follows the font
    updateGeometry();
}

void ElidedLine::setAlignment(Qt::Alignment alignment)
{
    m_alignment = alignment;
    update();
}

bool ElidedLine::fits() const
{
    const int room = width() - (m_chip.isValid() ? 2 * kChipPadding : 0) - (m_marker.isValid() ? fontMetrics().height() / 2 + 8 : 0);
    return fontMetrics().horizontalAdvance(m_text) <= room;
}

QSize ElidedLine::sizeHint() const
{
    const QFontMetrics metrics = fontMetrics();
    const int padding = m_chip.isValid() ? 2 * kChipPadding + 4 : 0;
    return {metrics.horizontalAdvance(m_widthHint) + padding, metrics.height() + (m_chip.isValid() ? 4 : 2)};
}

QSize ElidedLine::minimumSizeHint() const
{
    const QFontMetrics metrics = fontMetrics();
    return {metrics.horizontalAdvance(QStringLiteral("M…")), sizeHint().height()};
}

void ElidedLine::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    updateToolTip();
}

void ElidedLine::updateToolTip()
{
    // Only an elided line needs its whole text in a tooltip.
    setToolTip(fits() ? QString() : m_text);
}

void ElidedLine::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    QRect area = rect();
    if (m_chip.isValid()) {
        painter.setRenderHint(QPainter::Antialiasing);
        // The chip fills the line (a fixed width from the longest text it takes): the same size for
        // every level, its text centred.
        const QRectF chip(area.left(), area.top() + 1, area.width(), area.height() - 2);
        QPainterPath path;
        path.addRoundedRect(chip, 3, 3);
        painter.fillPath(path, m_chip);
        painter.setPen(m_colour.isValid() ? m_colour : QColor(0x11, 0x11, 0x11));
        area = chip.toRect().adjusted(kChipPadding, 0, -kChipPadding, 0);
        const QString shown = fontMetrics().elidedText(m_text, Qt::ElideRight, area.width());
        painter.drawText(area, int(Qt::AlignCenter | Qt::TextSingleLine), shown);
        return;
    }
    if (m_marker.isValid() && !m_text.isEmpty()) {
        painter.setRenderHint(QPainter::Antialiasing);
        const qreal size = fontMetrics().height() * 0.42;
        painter.setPen(Qt::NoPen);
        painter.setBrush(m_marker);
        painter.drawEllipse(QRectF(area.left() + 1, area.center().y() - size / 2 + 1, size, size));
        area.setLeft(area.left() + int(size) + 7);
    }
    painter.setPen(m_colour.isValid() ? m_colour : palette().color(isEnabled() ? QPalette::Active : QPalette::Disabled, QPalette::WindowText));
    const QString shown = fontMetrics().elidedText(m_text, Qt::ElideRight, area.width());
    painter.drawText(area, int(m_alignment | Qt::TextSingleLine), shown);
}

} // namespace mm::ui
