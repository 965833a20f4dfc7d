#include "views/risk_chart_view.h"

#include <QDateTime>
#include <QDateTimeAxis>
#include <QEvent>
#include <QLegend>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace mm::ui {

namespace {

struct ChartColours {
    QColor background;
    QColor plot;
    QColor text;
    QColor grid;
};

/// The palette's colours when it is a dark one; else the dark theme's own (views/theme.cpp), so a
/// chart is never half dark, half light.
ChartColours coloursFor(const QPalette& palette)
{
    if (palette.color(QPalette::Window).lightness() < 128) {
        const QColor text = palette.color(QPalette::WindowText);
        const QColor window = palette.color(QPalette::Window);
        // The grid a quarter of the way from the background to the text: visible, not loud.
        const QColor grid = QColor::fromRgbF(window.redF() + (text.redF() - window.redF()) * 0.22F,
                                             window.greenF() + (text.greenF() - window.greenF()) * 0.22F,
                                             window.blueF() + (text.blueF() - window.blueF()) * 0.22F);
        return {window, palette.color(QPalette::Base), text, grid};
    }
    return {QColor(0x1e, 0x22, 0x27), QColor(0x16, 0x19, 0x1d), QColor(0xdd, 0xe1, 0xe6), QColor(0x4a, 0x50, 0x58)};
}

void styleAxis(QAbstractAxis* axis, const ChartColours& colours)
{
    axis->setLabelsColor(colours.text);
    axis->setTitleBrush(colours.text);
    axis->setLinePenColor(colours.grid);
    axis->setGridLineColor(colours.grid);
    axis->setMinorGridLineVisible(false);
}

} // namespace

// The chart is given to the base at construction: QChartView(QWidget*) makes a default chart of its
// own, which setChart() would leave behind, never deleted.
RiskChartView::RiskChartView(QWidget* parent) : QChartView(new QChart, parent)
{
    QChart* chart = this->chart();
    chart->setTheme(QChart::ChartThemeDark); // the rest of the theme, then the palette's colours over it
    chart->setBackgroundRoundness(0);
    chart->setPlotAreaBackgroundVisible(true);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setAnimationOptions(QChart::NoAnimation); // 4 Hz updates: animation would only lag
    QFont titleFont = font();
    titleFont.setPointSizeF(font().pointSizeF() * 1.15);
    titleFont.setBold(true);
    chart->setTitleFont(titleFont);
    chart->legend()->setFont(font());

    m_timeAxis = new QDateTimeAxis;
    m_timeAxis->setFormat(QStringLiteral("HH:mm:ss"));
    m_timeAxis->setTickCount(6);
    m_timeAxis->setLabelsFont(font());
    chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_valueAxis = new QValueAxis;
    m_valueAxis->setLabelsFont(font());
    chart->addAxis(m_valueAxis, Qt::AlignLeft);
    setTimeRange(0, 0);

    setRenderHint(QPainter::Antialiasing);
    setFrameShape(QFrame::NoFrame);
    applyColours();

    m_pending.setSingleShot(true);
    connect(&m_pending, &QTimer::timeout, this, &RiskChartView::redrawNow);
}

void RiskChartView::changeEvent(QEvent* event)
{
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        applyColours();
    }
}

QColor RiskChartView::textColour() const
{
    return coloursFor(palette()).text;
}

void RiskChartView::applyColours()
{
    const ChartColours colours = coloursFor(palette());
    chart()->setBackgroundBrush(colours.background);
    chart()->setPlotAreaBackgroundBrush(colours.plot);
    chart()->setTitleBrush(colours.text);
    chart()->legend()->setLabelColor(colours.text);
    for (QAbstractAxis* axis : chart()->axes()) {
        styleAxis(axis, colours);
    }
    setBackgroundBrush(colours.background);
}

void RiskChartView::refresh(const RiskHistory& history)
{
    m_history = &history;
    if (m_pending.isActive()) {
        return; // the redraw already due reads the history as it is then
    }
    const auto sinceRedraw = std::chrono::milliseconds(m_sinceRedraw.isValid() ? m_sinceRedraw.elapsed() : 0);
    if (!m_sinceRedraw.isValid() || sinceRedraw >= m_refreshInterval) {
        redrawNow();
    } else {
        m_pending.start(m_refreshInterval - sinceRedraw);
    }
}

void RiskChartView::invalidate()
{
    m_invalid = true;
    if (m_history != nullptr) {
        refresh(*m_history);
    }
}

void RiskChartView::redrawNow()
{
    if (m_history == nullptr || (!m_invalid && m_drawn && m_drawnRevision == m_history->revision())) {
        return;
    }
    m_sinceRedraw.start();
    m_drawnRevision = m_history->revision();
    m_drawn = true;
    m_invalid = false;
    ++m_redraws;
    redraw(*m_history);
}

void RiskChartView::setTimeRange(double firstMs, double lastMs)
{
    // Moving an axis lays the whole chart out again (5–10 ms with Qt Charts): the range is kept while
    // it still holds every sample and fits them tightly enough, and when it must move it reaches a
    // tenth of the span ahead, so that it moves in steps rather than on every redraw.
    constexpr double kShortestSpanMs = 10'000;
    const double span = std::max(lastMs - firstMs, kShortestSpanMs);
    const bool holds = m_timeFirstMs <= firstMs && m_timeLastMs >= lastMs && m_timeFirstMs >= firstMs - span * 0.1 &&
                       m_timeLastMs - m_timeFirstMs <= span * 1.25;
    if (holds && m_timeRangeSet) {
        return;
    }
    m_timeFirstMs = std::floor(firstMs);
    m_timeLastMs = std::ceil(firstMs + span * 1.1);
    m_timeRangeSet = true;
    const QString format = span <= 10 * 60'000 ? QStringLiteral("HH:mm:ss") : QStringLiteral("HH:mm");
    if (m_timeAxis->format() != format) {
        m_timeAxis->setFormat(format);
    }
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(m_timeFirstMs)),
                         QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(m_timeLastMs)));
}

void RiskChartView::setValueRange(double low, double high)
{
    if (!(low <= high)) { // also NaN: nothing to show
        low = 0;
        high = 1;
    }
    double span = high - low;
    if (span <= 0) {
        span = std::max(std::abs(high) * 0.01, 1e-9);
        low -= span / 2;
        high += span / 2;
    }
    // Kept while it holds every point and the points fill at least half of it (see setTimeRange).
    const double shownLow = m_valueAxis->min();
    const double shownHigh = m_valueAxis->max();
    if (m_valueRangeSet && shownLow <= low && shownHigh >= high && (high - low) >= 0.5 * (shownHigh - shownLow)) {
        return;
    }
    m_valueRangeSet = true;
    setValueAxis(low - span * 0.05, high + span * 0.05);
}

void RiskChartView::setValueAxis(double low, double high, const QString& suffix)
{
    if (low == m_valueAxis->min() && high == m_valueAxis->max() && suffix == m_valueSuffix) {
        return; // unchanged: no layout
    }
    m_valueSuffix = suffix;
    // About 4 to 8 ticks whatever the height: 1, 2 or 5 × 10ⁿ apart, at multiples of it.
    constexpr int kTicks = 8;
    const double rough = std::max(high - low, 1e-12) / (kTicks - 1);
    const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
    double step = magnitude * 10;
    for (const double factor : {1.0, 2.0, 5.0}) {
        if (factor * magnitude >= rough) {
            step = factor * magnitude;
            break;
        }
    }
    // Ticks and format before the range: the range change lays the axis out with them.
    m_valueAxis->setTickType(QValueAxis::TicksDynamic);
    m_valueAxis->setTickAnchor(0);
    m_valueAxis->setTickInterval(step);
    const int decimals = std::clamp(static_cast<int>(std::ceil(-std::log10(step) - 1e-9)), 0, 10);
    m_valueAxis->setLabelFormat(QStringLiteral("%.") + QString::number(decimals) + QStringLiteral("f") + suffix);
    m_valueAxis->setRange(low, high);
}

void RiskChartView::setTitle(const QString& title)
{
    if (chart()->title() != title) {
        chart()->setTitle(title);
    }
}

std::size_t RiskChartView::maxPointsPerSeries(std::size_t lines) const
{
    constexpr std::size_t kFewest = 100;
    const auto width = static_cast<std::size_t>(std::max(0.0, chart()->plotArea().width()));
    const std::size_t shareOfBudget = kPointBudget / std::max<std::size_t>(1, lines);
    return std::max(kFewest, std::min(std::max<std::size_t>(width, 400), shareOfBudget));
}

QLineSeries* RiskChartView::addLineSeries(const QString& name, QColor colour, qreal width)
{
    auto* series = new QLineSeries;
    series->setName(name);
    chart()->addSeries(series);
    series->attachAxis(m_timeAxis);
    series->attachAxis(m_valueAxis);
    QPen pen(colour);
    pen.setWidthF(width);
    series->setPen(pen); // after addSeries, or the theme's colour wins
    return series;
}

} // namespace mm::ui
