#pragma once

#include "views/static_text_delegate.h"

namespace mm::ui {

/// Draws the distance to liquidation as a bar in the risk level's colour behind the cell's text: a
/// full bar is far from liquidation, an empty one at it. The fraction and the level come from the
/// model's roles (PositionsModel::DistanceFractionRole and RiskLevelRole). The text is drawn as
/// StaticTextDelegate draws it.
class DistanceBarDelegate : public StaticTextDelegate {
    Q_OBJECT
public:
    DistanceBarDelegate(int fractionRole, int riskLevelRole, QObject* parent = nullptr);

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;

private:
    int m_fractionRole;
    int m_riskLevelRole;
};

} // namespace mm::ui
