#pragma once

#include <QColor>
#include <QString>
#include <QWidget>

namespace mm::ui {

/// One line of text that never moves its neighbours: its size hint does not depend on its text, so
/// setText() repaints the line and nothing else (a QLabel asks its layout to recompute on every new
/// text, which in an alert storm means re-laying out the popup per alert). Text too long for the
/// width ends in "…", with the whole of it in the tooltip. Optionally drawn as a chip: bold dark text
/// on a rounded rectangle of the background colour (an alert's level).
class ElidedLine final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ElidedLine)
public:
    /// `widthHint`: the sample text whose width the line asks for (its size hint); the layout may
    /// give it more, or less (down to a couple of characters).
    explicit ElidedLine(QWidget* parent = nullptr, const QString& widthHint = QStringLiteral("BTCUSDT · Long"));

    void setText(const QString& text);
    [[nodiscard]] const QString& text() const { return m_text; }
    /// An invalid colour: the palette's text colour.
    void setColour(const QColor& colour);
    /// A valid colour draws the line as a chip on it.
    void setChip(const QColor& background);
    /// A valid colour draws a small dot of it before the text (a reason's level).
    void setMarker(const QColor& colour);
    void setBold(bool bold);
    void setAlignment(Qt::Alignment alignment);
    /// Whether the whole text fits (nothing elided) at the current width.
    [[nodiscard]] bool fits() const;

    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void updateToolTip();

    QString m_text;
    QString m_widthHint;
    QColor m_colour;
    QColor m_chip;
    QColor m_marker;
    Qt::Alignment m_alignment = Qt::AlignLeft | Qt::AlignVCenter;
};

} // namespace mm::ui
