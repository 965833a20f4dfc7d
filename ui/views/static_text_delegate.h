#pragma once

#include <QFont>
#include <QHash>
#include <QStaticText>
#include <QStyledItemDelegate>

namespace mm::ui {

/// Draws a table cell like QStyledItemDelegate, but its text from a QStaticText kept per distinct
/// text: laid out once, then only drawn. The stock delegate lays every cell's text out three times on
/// every repaint (to place it, to elide it, to draw it), and the risk tables repaint every visible
/// cell on every board; most texts (exchange, symbol, side, …) are the same from board to board.
///
/// A cell the quick way cannot draw as the stock delegate would — an icon, a check box, wrapped text,
/// text wider than the cell (elided) — is left to QStyledItemDelegate.
class StaticTextDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    explicit StaticTextDelegate(QObject* parent = nullptr);

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;

private:
    /// The laid-out text, from the cache (laid out and kept on a miss).
    const QStaticText& laidOut(const QString& text, const QFont& font) const;

    /// Texts seen recently, all laid out in m_font. A cache, hence mutable: paint() is const.
    mutable QHash<QString, QStaticText> m_texts;
    mutable QFont m_font;
};

} // namespace mm::ui
