#include "models/problem_marks.h"

#include "models/risk_level.h"

#include <QPainter>
#include <QPixmap>

namespace mm::ui {

const QIcon& problemIcon()
{
    static const QIcon icon = [] {
        QPixmap pixmap(32, 32);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::NoPen);
        painter.setBrush(riskColour(RiskLevel::Danger));
        painter.drawEllipse(QRectF(1, 1, 30, 30));
        painter.setBrush(QColor(0x1e, 0x1e, 0x1e)); // the "!" in the theme's base colour
        painter.drawRoundedRect(QRectF(13.5, 6, 5, 13), 2, 2);
        painter.drawEllipse(QRectF(13.5, 21.5, 5, 5));
        painter.end();
        return QIcon(pixmap);
    }();
    return icon;
}

QColor problemBackground()
{
    QColor colour = riskColour(RiskLevel::Danger);
    colour.setAlpha(70);
    return colour;
}

} // namespace mm::ui
