#include "models/risk_history.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace mm::ui {

namespace {

double seconds(MonotonicTime time)
{
    return std::chrono::duration<double>(time.time_since_epoch()).count();
}

std::optional<double> present(double value)
{
    return std::isnan(value) ? std::nullopt : std::optional<double>(value);
}

bool samePosition(const TrackedPosition& tracked, const PositionLine& line)
{
    return tracked.venue == line.venue && tracked.accountLabel == line.accountLabel && tracked.symbol == line.symbol &&
           tracked.side == line.side && tracked.positionSide == line.positionSide;
}

TrackedPosition trackedFrom(const PositionLine& line)
{
    return {PositionKey{line.account, line.position},
            line.venue,
            line.accountLabel,
            line.symbol,
            line.side,
            line.positionSide};
}

/// Per bucket of consecutive points, the lowest and the highest in time order; the last point always.
QList<QPointF> decimated(const QList<QPointF>& points, std::size_t maxPoints)
{
    const std::size_t buckets = std::max<std::size_t>(1, maxPoints / 2);
    const std::size_t bucketSize = (static_cast<std::size_t>(points.size()) + buckets - 1) / buckets;
    QList<QPointF> result;
    result.reserve(static_cast<qsizetype>(buckets) * 2 + 1);
    for (std::size_t begin = 0; begin < static_cast<std::size_t>(points.size()); begin += bucketSize) {
        const std::size_t end = std::min<std::size_t>(begin + bucketSize, static_cast<std::size_t>(points.size()));
        std::size_t lowest = begin;
        std::size_t highest = begin;
        for (std::size_t index = begin + 1; index < end; ++index) {
            const double y = points[static_cast<qsizetype>(index)].y();
            if (y < points[static_cast<qsizetype>(lowest)].y()) {
                lowest = index;
            }
            if (y > points[static_cast<qsizetype>(highest)].y()) {
                highest = index;
            }
        }
        result.append(points[static_cast<qsizetype>(std::min(lowest, highest))]);
        if (lowest != highest) {
            result.append(points[static_cast<qsizetype>(std::max(lowest, highest))]);
        }
    }
    if (result.back() != points.back()) {
        result.append(points.back());
    }
    return result;
}

} // namespace

std::optional<double> RiskSample::liquidationPrice() const
{
    return present(liquidationPriceOrNan);
}

std::optional<double> RiskSample::distanceToLiquidationPct() const
{
    return present(distanceToLiquidationPctOrNan);
}

RiskHistory::RiskHistory(std::chrono::milliseconds sampleInterval, std::size_t capacity)
    : RiskHistory(sampleInterval, capacity, std::chrono::steady_clock::now(), std::chrono::system_clock::now())
{
}

RiskHistory::RiskHistory(std::chrono::milliseconds sampleInterval, std::size_t capacity, MonotonicTime monotonicAnchor,
                         std::chrono::system_clock::time_point wallAnchor)
    : m_sampleInterval(sampleInterval), m_capacity(std::max<std::size_t>(1, capacity)),
      m_monotonicAnchor(seconds(monotonicAnchor)),
      m_wallAnchorMs(std::chrono::duration<double, std::milli>(wallAnchor.time_since_epoch()).count())
{
}

void RiskHistory::clear()
{
    m_tracks.clear();
    m_lastSampleTime.reset();
    ++m_revision;
}

bool RiskHistory::record(const RiskBoard& board)
{
    const double time = seconds(board.takenAt);
    const double interval = std::chrono::duration<double>(m_sampleInterval).count();
    // A small tolerance: boards 250 ms apart on a real clock are sometimes 249.999 ms apart.
    if (m_lastSampleTime && time - *m_lastSampleTime < interval - 1e-6) {
        return false;
    }
    m_lastSampleTime = time;
    ++m_revision;

    std::map<PositionKey, std::size_t> previous;
    for (std::size_t index = 0; index < m_tracks.size(); ++index) {
        previous.emplace(m_tracks[index].position.key, index);
    }
    std::vector<Track> tracks;
    tracks.reserve(board.positions.size());
    std::vector<std::size_t> firstSeen; // indexes into tracks
    for (const PositionLine& line : board.positions) {
        const auto found = previous.find(PositionKey{line.account, line.position});
        if (found != previous.end() && samePosition(m_tracks[found->second].position, line)) {
            tracks.push_back(std::move(m_tracks[found->second]));
            previous.erase(found); // a board listing a key twice starts a second track, not a moved-from one
        } else {
            tracks.push_back(Track{trackedFrom(line), {}, 0});
            firstSeen.push_back(tracks.size() - 1);
        }
    }
    if (m_pastProvider && !firstSeen.empty()) {
        // The positions seen for the first time: their past from the journal, before this sample.
        std::vector<TrackedPosition> positions;
        positions.reserve(firstSeen.size());
        for (const std::size_t index : firstSeen) {
            positions.push_back(tracks[index].position);
        }
        const std::vector<std::vector<PastPoint>> pasts = m_pastProvider(positions);
        for (std::size_t which = 0; which < firstSeen.size() && which < pasts.size(); ++which) {
            for (const PastPoint& point : pasts[which]) {
                const double pastTime = m_monotonicAnchor + (static_cast<double>(point.wallTimeMs) - m_wallAnchorMs) / 1000.0;
                if (pastTime >= time) {
                    break;
                }
                RiskSample past;
                past.time = pastTime;
                past.markPrice = point.markPrice;
                past.liquidationPriceOrNan = point.liquidationPrice.value_or(std::numeric_limits<double>::quiet_NaN());
                past.distanceToLiquidationPctOrNan =
                    point.distanceToLiquidationPct.value_or(std::numeric_limits<double>::quiet_NaN());
                append(tracks[firstSeen[which]], past);
            }
        }
    }
    for (std::size_t index = 0; index < board.positions.size(); ++index) {
        const PositionLine& line = board.positions[index];
        RiskSample sample;
        sample.time = time;
        sample.markPrice = line.markPrice.toDouble();
        if (line.risk.liquidationPrice) {
            sample.liquidationPriceOrNan = *line.risk.liquidationPrice;
        }
        if (line.risk.distanceToLiquidationPct) {
            sample.distanceToLiquidationPctOrNan = *line.risk.distanceToLiquidationPct;
        }
        append(tracks[index], sample);
    }
    m_tracks = std::move(tracks);
    return true;
}

void RiskHistory::append(Track& track, const RiskSample& sample) const
{
    std::vector<RiskSample>& ring = track.ring;
    if (ring.size() < m_capacity) {
        // Grow by doubling but never past the capacity, so a full ring holds exactly `capacity`.
        if (ring.size() == ring.capacity()) {
            ring.reserve(std::min(m_capacity, std::max<std::size_t>(64, 2 * ring.size())));
        }
        ring.push_back(sample);
        return;
    }
    ring[track.oldest] = sample;
    track.oldest = (track.oldest + 1) % ring.size();
}

std::optional<std::size_t> RiskHistory::indexOf(PositionKey key) const
{
    for (std::size_t index = 0; index < m_tracks.size(); ++index) {
        if (m_tracks[index].position.key == key) {
            return index;
        }
    }
    return std::nullopt;
}

SampleSpans RiskHistory::samples(std::size_t index) const
{
    const Track& track = m_tracks.at(index);
    const std::span<const RiskSample> ring(track.ring);
    return {ring.subspan(track.oldest), ring.first(track.oldest)};
}

QList<QPointF> RiskHistory::chartPoints(std::size_t index, Figure figure, std::size_t maxPoints) const
{
    const SampleSpans spans = samples(index);
    QList<QPointF> points;
    points.reserve(static_cast<qsizetype>(spans.size()));
    for (const std::span<const RiskSample> part : {spans.older, spans.newer}) {
        for (const RiskSample& sample : part) {
            double value = 0;
            switch (figure) {
            case Figure::MarkPrice:
                value = sample.markPrice;
                break;
            case Figure::LiquidationPrice:
                value = sample.liquidationPriceOrNan;
                break;
            case Figure::DistanceToLiquidationPct:
                value = sample.distanceToLiquidationPctOrNan;
                break;
            }
            if (!std::isnan(value)) {
                points.append(QPointF(wallClockMs(sample.time), value));
            }
        }
    }
    if (maxPoints == 0 || static_cast<std::size_t>(points.size()) <= maxPoints) {
        return points;
    }
    return decimated(points, maxPoints);
}

std::size_t RiskHistory::memoryBytes() const
{
    std::size_t bytes = sizeof(*this) + m_tracks.capacity() * sizeof(Track);
    for (const Track& track : m_tracks) {
        bytes += track.ring.capacity() * sizeof(RiskSample);
        // Strings beyond the small-string buffer live on the heap.
        for (const std::string* text : {&track.position.accountLabel, &track.position.symbol}) {
            if (text->capacity() > std::string().capacity()) {
                bytes += text->capacity() + 1;
            }
        }
    }
    return bytes;
}

} // namespace mm::ui
