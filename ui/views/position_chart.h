#pragma once

#include "views/risk_chart_view.h"

#include <optional>

QT_BEGIN_NAMESPACE
class QGraphicsRectItem;
class QGraphicsSimpleTextItem;
QT_END_NAMESPACE

namespace mm::ui {

/// The selected position's mark price and liquidation price over time: how the gap between them
/// has been closing. The liquidation line is in the danger colour; while the position has no
/// liquidation price (no positive price liquidates it) the chart says "no liquidation price" in the
/// plot's top right corner.
/// Titled "BTCUSDT · binance-usdm · main".
///
/// Refresh pacing is internal (RiskChartView): call refresh() for every board; it redraws at most
/// every 250 ms, updating its two series with replace() and rescaling both axes.
class PositionChart : public RiskChartView {
    Q_OBJECT
public:
    explicit PositionChart(QWidget* parent = nullptr);

    /// The position to show (nullopt: none); drawn at the next paced redraw.
    void setPosition(std::optional<PositionKey> key);
    [[nodiscard]] std::optional<PositionKey> position() const { return m_key; }

    [[nodiscard]] QLineSeries* markPriceSeries() const { return m_markPrice; }
    [[nodiscard]] QLineSeries* liquidationPriceSeries() const { return m_liquidationPrice; }
    /// Whether the chart currently says "no liquidation price" (the latest sample has none).
    [[nodiscard]] bool showsNoLiquidationPrice() const;

protected:
    void redraw(const RiskHistory& history) override;
    void changeEvent(QEvent* event) override;

private:
    void placeNotice();
    void styleNotice();

    std::optional<PositionKey> m_key;
    QLineSeries* m_markPrice = nullptr;
    QLineSeries* m_liquidationPrice = nullptr;
    /// "no liquidation price", in a box at the plot's top right so that no line makes it unreadable
    QGraphicsRectItem* m_noticeBox = nullptr;
    QGraphicsSimpleTextItem* m_notice = nullptr;
};

} // namespace mm::ui
