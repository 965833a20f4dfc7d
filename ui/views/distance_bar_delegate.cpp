#include "views/distance_bar_delegate.h"

#include "models/risk_level.h"

#include <QPainter>

#include <algorithm>

namespace mm::ui {

DistanceBarDelegate::DistanceBarDelegate(int fractionRole, int riskLevelRole, QObject* parent)
    : StaticTextDelegate(parent), m_fractionRole(fractionRole), m_riskLevelRole(riskLevelRole)
{
}

void DistanceBarDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    const QVariant fraction = index.data(m_fractionRole);
    const QVariant level = index.data(m_riskLevelRole);
    if (fraction.isValid() && level.isValid()) {
        const QRect area = option.rect.adjusted(2, 3, -2, -3);
        const double filled = std::clamp(fraction.toDouble(), 0.0, 1.0);
        QColor colour = riskColour(static_cast<RiskLevel>(level.toInt()));
        painter->save();
        painter->setPen(Qt::NoPen);
        QColor track = colour;
        track.setAlpha(40);
        painter->setBrush(track);
        painter->drawRoundedRect(area, 2, 2);
        colour.setAlpha(150);
        painter->setBrush(colour);
        painter->drawRoundedRect(QRect(area.left(), area.top(), static_cast<int>(area.width() * filled), area.height()), 2, 2);
        painter->restore();
    }
    StaticTextDelegate::paint(painter, option, index);
}

} // namespace mm::ui
