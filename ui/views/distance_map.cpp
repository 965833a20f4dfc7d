#include "views/distance_map.h"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>
#include <numeric>
#include <array>
#include <cmath>
#include <limits>

namespace mm::ui {

namespace {

/// Line colours that stand apart on the dark background and from the red / orange / yellow bands.
constexpr std::array<QRgb, 10> kPalette = {0xff4cc2ff, 0xffb48eff, 0xff3ddc97, 0xffeeeeee, 0xffff8fd6,
                                           0xff7fdbda, 0xff8e9cff, 0xffb5e86c, 0xffc7a17a, 0xff5b8cff};

QString fromView(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

/// "SYMBOL venue", then " · account" where two positions would read the same, then the side.
std::vector<QString> legendNames(const RiskHistory& history)
{
    std::vector<QString> names;
    for (std::size_t index = 0; index < history.positionCount(); ++index) {
        const TrackedPosition& position = history.position(index);
        names.push_back(
            QStringLiteral("%1 %2").arg(QString::fromStdString(position.symbol), fromView(venueName(position.venue))));
    }
    const auto disambiguate = [&names](auto&& suffix) {
        const std::vector<QString> before = names;
        for (std::size_t index = 0; index < names.size(); ++index) {
            if (std::count(before.begin(), before.end(), before[index]) > 1) {
                names[index] += suffix(index);
            }
        }
    };
    disambiguate([&history](std::size_t index) {
        return QStringLiteral(" · ") + QString::fromStdString(history.position(index).accountLabel);
    });
    disambiguate([&history](std::size_t index) {
        return history.position(index).side == Side::Long ? QStringLiteral(" long") : QStringLiteral(" short");
    });
    return names;
}

bool samePosition(const TrackedPosition& left, const TrackedPosition& right)
{
    return left.key == right.key && left.venue == right.venue && left.accountLabel == right.accountLabel &&
           left.symbol == right.symbol && left.side == right.side && left.positionSide == right.positionSide;
}

} // namespace

DistanceMap::DistanceMap(QWidget* parent) : RiskChartView(parent)
{
    setObjectName(QStringLiteral("distanceMap"));
    setTitle(tr("Distance to liquidation"));
    chart()->legend()->setAlignment(Qt::AlignRight);
    valueAxis()->setTitleText(tr("% of mark"));
    valueAxis()->setTitleFont(font());

    m_bands[0] = addBand(riskLevelName(RiskLevel::Danger), riskColour(RiskLevel::Danger));
    m_bands[1] = addBand(riskLevelName(RiskLevel::Warning), riskColour(RiskLevel::Warning));
    m_bands[2] = addBand(riskLevelName(RiskLevel::Caution), riskColour(RiskLevel::Caution));

    // The levels named on the right, at their values.
    m_levelAxis = new QCategoryAxis;
    m_levelAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_levelAxis->setLabelsFont(font());
    m_levelAxis->setGridLineVisible(false);
    chart()->addAxis(m_levelAxis, Qt::AlignRight);
    nameLevels();
    applyColours();

    setTimeRange(0, 0);
    placeBands(0, 0, 0, m_thresholds.cautionBelowPct + 5);
}

void DistanceMap::setThresholds(const RiskThresholds& thresholds)
{
    m_thresholds = thresholds;
    nameLevels();
    invalidate();
}

void DistanceMap::nameLevels()
{
    for (const QString& label : m_levelAxis->categoriesLabels()) {
        m_levelAxis->remove(label);
    }
    const auto name = [](double pct, RiskLevel level) {
        return QStringLiteral("%1 % %2").arg(pct).arg(riskLevelName(level).toLower());
    };
    m_levelAxis->append(name(m_thresholds.dangerBelowPct, RiskLevel::Danger), m_thresholds.dangerBelowPct);
    m_levelAxis->append(name(m_thresholds.warningBelowPct, RiskLevel::Warning), m_thresholds.warningBelowPct);
    m_levelAxis->append(name(m_thresholds.cautionBelowPct, RiskLevel::Caution), m_thresholds.cautionBelowPct);
}

void DistanceMap::setMaximumLines(std::size_t lines)
{
    m_maximumLines = std::max<std::size_t>(1, lines);
    invalidate();
}

void DistanceMap::setMaximumShownDistance(double pct)
{
    m_maximumShownPct = pct;
    invalidate();
}

QLineSeries* DistanceMap::seriesFor(PositionKey key) const
{
    const auto found = m_lines.find(key);
    return found == m_lines.end() ? nullptr : found->second.series;
}

QAreaSeries* DistanceMap::addBand(const QString& name, QColor colour)
{
    auto* band = new QAreaSeries(new QLineSeries, new QLineSeries);
    band->upperSeries()->setParent(band); // an area series does not own its boundaries
    band->lowerSeries()->setParent(band);
    band->setName(name);
    chart()->addSeries(band);
    band->attachAxis(timeAxis());
    band->attachAxis(valueAxis());
    QColor fill = colour;
    fill.setAlpha(40);
    band->setBrush(fill);
    QColor edge = colour;
    edge.setAlpha(140);
    QPen pen(edge);
    pen.setStyle(Qt::DashLine);
    pen.setWidthF(1);
    band->setPen(pen);
    for (QLegendMarker* marker : chart()->legend()->markers(band)) {
        marker->setVisible(false); // the right-hand axis names the levels
    }
    return band;
}

void DistanceMap::placeBands(double firstMs, double lastMs, double lowPct, double highPct)
{
    const double levels[] = {std::min(lowPct, 0.0) - 1, m_thresholds.dangerBelowPct, m_thresholds.warningBelowPct,
                             m_thresholds.cautionBelowPct};
    for (std::size_t index = 0; index < 3; ++index) {
        m_bands[index]->lowerSeries()->replace({QPointF(firstMs, levels[index]), QPointF(lastMs, levels[index])});
        m_bands[index]->upperSeries()->replace(
            {QPointF(firstMs, levels[index + 1]), QPointF(lastMs, levels[index + 1])});
    }
    m_levelAxis->setRange(lowPct, highPct);
}

int DistanceMap::freeColour() const
{
    std::array<int, kPalette.size()> uses{};
    for (const auto& [key, line] : m_lines) {
        ++uses[static_cast<std::size_t>(line.colour)];
    }
    return static_cast<int>(std::min_element(uses.begin(), uses.end()) - uses.begin());
}

void DistanceMap::redraw(const RiskHistory& history)
{
    // The positions drawn: the nearest to liquidation at their latest sample, at most m_maximumLines.
    std::vector<std::size_t> drawn(history.positionCount());
    std::iota(drawn.begin(), drawn.end(), std::size_t(0));
    const auto latestDistance = [&history](std::size_t index) {
        const SampleSpans samples = history.samples(index);
        const auto distance = samples.empty() ? std::nullopt : samples.back().distanceToLiquidationPct();
        return distance.value_or(std::numeric_limits<double>::infinity());
    };
    if (drawn.size() > m_maximumLines) {
        std::partial_sort(drawn.begin(), drawn.begin() + static_cast<std::ptrdiff_t>(m_maximumLines), drawn.end(),
                          [&](std::size_t left, std::size_t right) { return latestDistance(left) < latestDistance(right); });
        drawn.resize(m_maximumLines);
        std::sort(drawn.begin(), drawn.end()); // the board's order, for stable colours and legend
        setTitle(tr("Distance to liquidation — the %1 nearest of %2 positions").arg(m_maximumLines).arg(history.positionCount()));
    } else {
        setTitle(tr("Distance to liquidation"));
    }

    // Lines of positions no longer drawn — gone from the board, now farther than the drawn ones, or
    // a key that now means another position — are set aside and given to the positions drawn anew
    // (in a storm the nearest change on every redraw: adding and removing series lays the whole
    // chart and its legend out again; renaming one does not). Those left over go.
    std::map<PositionKey, const TrackedPosition*> onBoard;
    for (const std::size_t index : drawn) {
        onBoard.emplace(history.position(index).key, &history.position(index));
    }
    std::vector<QLineSeries*> spare;
    for (auto line = m_lines.begin(); line != m_lines.end();) {
        const auto found = onBoard.find(line->first);
        if (found == onBoard.end() || !samePosition(*found->second, line->second.position)) {
            spare.push_back(line->second.series);
            line = m_lines.erase(line);
        } else {
            ++line;
        }
    }
    std::vector<QString> names = legendNames(history);
    const std::size_t maxPoints = maxPointsPerSeries(drawn.size());
    double firstMs = std::numeric_limits<double>::infinity();
    double lastMs = -std::numeric_limits<double>::infinity();
    double low = 0;
    double high = m_thresholds.cautionBelowPct + 5; // the three bands always show
    for (const std::size_t index : drawn) {
        const TrackedPosition& position = history.position(index);
        const SampleSpans samples = history.samples(index);
        if (!samples.empty() && !samples.back().distanceToLiquidationPct()) {
            names[index] += tr(" · no liquidation price"); // why it has no line (now)
        }
        auto line = m_lines.find(position.key);
        if (line == m_lines.end()) {
            const int colour = freeColour();
            const QColor shade(kPalette[static_cast<std::size_t>(colour)]);
            QLineSeries* series = nullptr;
            if (spare.empty()) {
                series = addLineSeries(names[index], shade);
            } else {
                series = spare.back();
                spare.pop_back();
                series->setName(names[index]);
                QPen pen = series->pen();
                pen.setColor(shade);
                series->setPen(pen);
            }
            line = m_lines.emplace(position.key, Line{series, position, colour}).first;
        } else if (line->second.series->name() != names[index]) {
            line->second.series->setName(names[index]);
        }
        const QList<QPointF> points =
            history.chartPoints(index, RiskHistory::Figure::DistanceToLiquidationPct, maxPoints);
        line->second.series->replace(points);
        if (!samples.empty()) {
            firstMs = std::min(firstMs, history.wallClockMs(samples[0].time));
            lastMs = std::max(lastMs, history.wallClockMs(samples.back().time));
        }
        for (const QPointF& point : points) {
            low = std::min(low, point.y());
            high = std::max(high, point.y());
        }
    }
    for (QLineSeries* series : spare) {
        chart()->removeSeries(series);
        delete series;
    }
    if (firstMs > lastMs) {
        firstMs = lastMs = 0;
    }
    setTimeRange(firstMs, lastMs);
    // 0 at the bottom unless a position is beyond liquidation; no room wasted above the farthest line.
    const double top = std::min(high, std::max(m_maximumShownPct, m_thresholds.cautionBelowPct + 5));
    const double headroom = (top - low) * 0.04;
    setValueAxis(low < 0 ? low - headroom : 0, top + headroom, QStringLiteral(" %%"));
    placeBands(static_cast<double>(timeAxis()->min().toMSecsSinceEpoch()),
               static_cast<double>(timeAxis()->max().toMSecsSinceEpoch()), valueAxis()->min(), valueAxis()->max());
}

} // namespace mm::ui
