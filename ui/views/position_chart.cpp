#include "views/position_chart.h"

#include "models/risk_level.h"

#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QLegend>
#include <QLineSeries>
#include <QPen>

#include <algorithm>
#include <limits>

namespace mm::ui {

namespace {

QString titleOf(const TrackedPosition& position)
{
    QString symbol = QString::fromStdString(position.symbol);
    if (position.positionSide != PositionSide::Both) { // a hedge-mode leg: both legs share the symbol
        symbol += position.side == Side::Long ? QStringLiteral(" long") : QStringLiteral(" short");
    }
    const std::string_view venue = venueName(position.venue);
    return QStringLiteral("%1 · %2 · %3")
        .arg(symbol, QString::fromUtf8(venue.data(), static_cast<qsizetype>(venue.size())),
             QString::fromStdString(position.accountLabel));
}

} // namespace

PositionChart::PositionChart(QWidget* parent) : RiskChartView(parent)
{
    setObjectName(QStringLiteral("positionChart"));
    m_markPrice = addLineSeries(tr("Mark price"), QColor(kMark));
    m_markPrice->setObjectName(QStringLiteral("markPrice"));
    m_liquidationPrice = addLineSeries(tr("Liquidation price"), riskColour(RiskLevel::Danger));
    m_liquidationPrice->setObjectName(QStringLiteral("liquidationPrice"));
    chart()->legend()->setAlignment(Qt::AlignTop);
    setTitle(tr("No position selected"));

    m_noticeBox = new QGraphicsRectItem(chart());
    m_noticeBox->setZValue(10);
    m_notice = new QGraphicsSimpleTextItem(tr("no liquidation price"), m_noticeBox);
    m_notice->setFont(font());
    styleNotice();
    m_noticeBox->hide();
    connect(chart(), &QChart::plotAreaChanged, this, [this] { placeNotice(); });
}

void PositionChart::setPosition(std::optional<PositionKey> key)
{
    if (key == m_key) {
        return;
    }
    m_key = key;
    invalidate();
}

bool PositionChart::showsNoLiquidationPrice() const
{
    return m_noticeBox->isVisible();
}

void PositionChart::changeEvent(QEvent* event)
{
    RiskChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        styleNotice();
    }
}

void PositionChart::styleNotice()
{
    // Not a danger colour: that no price liquidates the position is good news.
    m_notice->setBrush(textColour());
    QColor box = chart()->plotAreaBackgroundBrush().color();
    box.setAlpha(230);
    m_noticeBox->setBrush(box);
    m_noticeBox->setPen(QPen(chart()->axes().constFirst()->gridLineColor()));
}

void PositionChart::redraw(const RiskHistory& history)
{
    const std::optional<std::size_t> index = m_key ? history.indexOf(*m_key) : std::nullopt;
    const SampleSpans samples = index ? history.samples(*index) : SampleSpans{};
    if (samples.empty()) {
        m_markPrice->replace(QList<QPointF>());
        m_liquidationPrice->replace(QList<QPointF>());
        setTitle(m_key ? tr("The selected position is no longer open") : tr("No position selected"));
        m_noticeBox->hide();
        return;
    }
    setTitle(titleOf(history.position(*index)));
    const std::size_t maxPoints = maxPointsPerSeries(2); // the mark and the liquidation price
    const QList<QPointF> markPrice = history.chartPoints(*index, RiskHistory::Figure::MarkPrice, maxPoints);
    const QList<QPointF> liquidationPrice =
        history.chartPoints(*index, RiskHistory::Figure::LiquidationPrice, maxPoints);
    m_markPrice->replace(markPrice);
    m_liquidationPrice->replace(liquidationPrice);

    setTimeRange(history.wallClockMs(samples[0].time), history.wallClockMs(samples.back().time));
    double low = std::numeric_limits<double>::infinity();
    double high = -std::numeric_limits<double>::infinity();
    for (const QList<QPointF>* points : {&markPrice, &liquidationPrice}) {
        for (const QPointF& point : *points) {
            low = std::min(low, point.y());
            high = std::max(high, point.y());
        }
    }
    setValueRange(low, high);

    m_noticeBox->setVisible(!samples.back().liquidationPrice());
    placeNotice();
}

void PositionChart::placeNotice()
{
    constexpr qreal kPadding = 6;
    const QRectF plot = chart()->plotArea();
    const QRectF text = m_notice->boundingRect();
    m_noticeBox->setRect(0, 0, text.width() + 2 * kPadding, text.height() + 2 * kPadding);
    m_notice->setPos(kPadding, kPadding);
    m_noticeBox->setPos(plot.right() - m_noticeBox->rect().width() - 2 * kPadding, plot.top() + 2 * kPadding);
}

} // namespace mm::ui
