#pragma once

#include "models/risk_history.h"

#include <QChartView>
#include <QColor>
#include <QElapsedTimer>
#include <QTimer>

#include <chrono>
#include <cstdint>

QT_BEGIN_NAMESPACE
class QDateTimeAxis;
class QLineSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace mm::ui {

/// What PositionChart and DistanceMap share: a dark chart over time (wall-clock x axis, value y
/// axis), antialiased, and a redraw paced internally to at most one per refresh interval.
///
/// Colours follow the application's palette (views/theme.h: dark Fusion) — window, base, text —
/// with the dark theme's own values where the palette is a light one; the risk colours come from
/// models/risk_level.h, the same as the positions table's.
///
/// Pacing is done here, not by the caller: call refresh() for every board (up to 10 Hz); the view
/// redraws at once if the interval (default 250 ms, so ≤ 4 Hz) has passed since its last
/// redraw, and otherwise once when it has, from the history as it is then. A refresh that finds
/// nothing new (same history revision, same selection) draws nothing. The history passed to
/// refresh() must outlive the view (MainWindow owns both).
class RiskChartView : public QChartView {
    Q_OBJECT
public:
    /// The points a chart draws at most, all its lines together (see maxPointsPerSeries).
    static constexpr std::size_t kPointBudget = 3000;
    static constexpr std::chrono::milliseconds kDefaultRefreshInterval{250};

    /// The mark price line: the accent blue, brighter for a thin line on a dark plot.
    static constexpr QRgb kMark = 0xff4cc2ff;

    explicit RiskChartView(QWidget* parent = nullptr);

    /// Asks for a redraw from `history` (paced as above).
    void refresh(const RiskHistory& history);
    /// The shortest time between two redraws; 0 redraws on every refresh (tests).
    void setRefreshInterval(std::chrono::milliseconds interval) { m_refreshInterval = interval; }
    [[nodiscard]] std::chrono::milliseconds refreshInterval() const { return m_refreshInterval; }
    /// How many redraws were done (tests, and a sanity check of the pacing).
    [[nodiscard]] std::uint64_t redrawCount() const { return m_redraws; }

    [[nodiscard]] QDateTimeAxis* timeAxis() const { return m_timeAxis; }
    [[nodiscard]] QValueAxis* valueAxis() const { return m_valueAxis; }

protected:
    void changeEvent(QEvent* event) override;
    /// The palette's text colour (or the dark theme's), for labels drawn by the views.
    [[nodiscard]] QColor textColour() const;

    /// Updates the series from the history: with series->replace(), never clear-and-append.
    virtual void redraw(const RiskHistory& history) = 0;
    /// Redraw at the next paced moment even if the history has not changed (a new selection).
    void invalidate();

    /// The time axis from the oldest sample shown to a tenth of the span past the newest (the span at
    /// least 10 s), labelled to the second for spans up to 10 minutes and to the minute beyond. Kept
    /// as it is while it still holds the samples snugly: an axis change lays the chart out again.
    void setTimeRange(double firstMs, double lastMs);
    /// The value axis over [low, high] with 5 % headroom (a flat line: ±0.5 % around it); kept as it
    /// is while it holds every point and they fill at least half of it.
    void setValueRange(double low, double high);
    /// The value axis over exactly [low, high], 4 to 8 ticks at round values (1, 2 or 5 × 10ⁿ), as many
    /// decimals as their step needs; `suffix` (a printf format, "%%" for a percent sign) after each.
    void setValueAxis(double low, double high, const QString& suffix = {});
    /// The chart's title, set only when it differs (setting it lays the chart out).
    void setTitle(const QString& title);
    /// How many points each of `lines` series gets: at most the plot area's width (a bucket of two
    /// pixels keeps its lowest and highest point, so no peak is lost), and all of them together at
    /// most kPointBudget — with Qt Charts every replace, axis move and paint costs about a
    /// millisecond per thousand points, and an hour of 20 lines at 2 per pixel stalled the window
    /// 50 ms on each.
    [[nodiscard]] std::size_t maxPointsPerSeries(std::size_t lines = 1) const;
    /// A new line series on both axes, coloured; the chart owns it.
    QLineSeries* addLineSeries(const QString& name, QColor colour, qreal width = 2.0);

    /// Colours the chart and every axis on it from the palette (again after adding an axis).
    void applyColours();

private:
    void redrawNow();

    QDateTimeAxis* m_timeAxis = nullptr;
    QValueAxis* m_valueAxis = nullptr;
    const RiskHistory* m_history = nullptr;
    std::chrono::milliseconds m_refreshInterval = kDefaultRefreshInterval;
    QElapsedTimer m_sinceRedraw;
    QTimer m_pending;
    std::uint64_t m_drawnRevision = 0;
    bool m_drawn = false;
    bool m_invalid = true;
    std::uint64_t m_redraws = 0;
    double m_timeFirstMs = 0; ///< the time axis's range as last set
    double m_timeLastMs = 0;
    bool m_timeRangeSet = false;
    bool m_valueRangeSet = false;
    QString m_valueSuffix;
};

} // namespace mm::ui
