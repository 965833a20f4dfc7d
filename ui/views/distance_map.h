#pragma once

#include "models/risk_level.h"
#include "views/risk_chart_view.h"

#include <map>
#include <vector>

QT_BEGIN_NAMESPACE
class QAreaSeries;
class QCategoryAxis;
QT_END_NAMESPACE

namespace mm::ui {

/// Every position's distance to liquidation (% of its mark) over time on one chart, over bands at
/// 5 % (danger), 10 % (warning) and 20 % (caution) — the positions table's RiskThresholds and
/// colours — so the trader sees at a glance who is near.
/// One line per position, named "SYMBOL venue" in the legend (with the account, then the side,
/// added only where two positions would read the same). Lines are added and removed as positions
/// appear on and leave the board. A position without a liquidation price has no line while it has
/// none (a line bridges such a gap straight) and its legend entry says "no liquidation price".
///
/// The y axis starts at 0 (lower when a position is beyond liquidation) and ends above the
/// farthest line but at most at maximumShownDistance() (default 50 %): a far-away position leaves
/// the top of the chart rather than squeezing the bands that matter into a sliver.
///
/// Refresh pacing is internal (RiskChartView): call refresh() for every board; it redraws at most
/// every 250 ms, updating every series with replace() and rescaling both axes.
class DistanceMap : public RiskChartView {
    Q_OBJECT
public:
    explicit DistanceMap(QWidget* parent = nullptr);

    /// Where the bands end (default: RiskThresholds{}, 5 / 10 / 20 %).
    void setThresholds(const RiskThresholds& thresholds);
    [[nodiscard]] const RiskThresholds& thresholds() const { return m_thresholds; }

    void setMaximumShownDistance(double pct);
    /// At most this many lines (default 20): the positions nearest to liquidation at the latest
    /// sample. Two thousand lines are unreadable and cost the GUI thread dearly; the title says
    /// how many were left out.
    void setMaximumLines(std::size_t lines);
    [[nodiscard]] std::size_t maximumLines() const { return m_maximumLines; }
    [[nodiscard]] double maximumShownDistance() const { return m_maximumShownPct; }

    /// The line of a position; nullptr when it is not on the chart.
    [[nodiscard]] QLineSeries* seriesFor(PositionKey key) const;
    /// How many positions have a line (the bands are not counted).
    [[nodiscard]] std::size_t positionSeriesCount() const { return m_lines.size(); }
    /// The danger, warning and caution bands, in that order.
    [[nodiscard]] std::vector<QAreaSeries*> bands() const { return {m_bands[0], m_bands[1], m_bands[2]}; }

protected:
    void redraw(const RiskHistory& history) override;

private:
    struct Line {
        QLineSeries* series = nullptr;
        TrackedPosition position;
        int colour = 0; ///< index into the palette
    };

    QAreaSeries* addBand(const QString& name, QColor colour);
    void placeBands(double firstMs, double lastMs, double lowPct, double highPct);
    int freeColour() const;

    void nameLevels();

    RiskThresholds m_thresholds;
    double m_maximumShownPct = 50;
    std::size_t m_maximumLines = 20;
    std::map<PositionKey, Line> m_lines;
    QAreaSeries* m_bands[3] = {};
    QCategoryAxis* m_levelAxis = nullptr; ///< on the right: "5 % danger", "10 % warning", "20 % caution"
};

} // namespace mm::ui
