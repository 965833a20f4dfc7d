#include "models/connections_model.h"

#include "models/display_text.h"

#include "engine/risk_board.h"

#include <limits>
#include <map>

namespace mm::ui {

namespace {

constexpr double kNone = std::numeric_limits<double>::infinity(); ///< sorts after every number

RiskLevel healthOf(ConnectionState state)
{
    switch (state) {
    case ConnectionState::Connecting:
        return RiskLevel::Caution;
    case ConnectionState::Open:
        return RiskLevel::Safe;
    case ConnectionState::Reconnecting:
    case ConnectionState::Stopped:
        return RiskLevel::Warning;
    }
    return RiskLevel::Unknown;
}

QString stateText(ConnectionState state)
{
    switch (state) {
    case ConnectionState::Connecting:
        return QStringLiteral("Connecting");
    case ConnectionState::Open:
        return QStringLiteral("Open");
    case ConnectionState::Reconnecting:
        return QStringLiteral("Reconnecting");
    case ConnectionState::Stopped:
        return QStringLiteral("Stopped");
    }
    return QStringLiteral("Unknown");
}

BoardTableModel::Cell countCell(std::uint64_t count)
{
    return {QString::number(count), double(count), {}, {}};
}

/// The last problem in words: while the connection is down, why it went down; else the latest
/// malformed frame or venue error, falling back to the last connection error.
BoardTableModel::Cell problemCell(const ConnectionLine& line)
{
    const QString error = QString::fromStdString(line.connection.lastError);
    const QString problem = QString::fromStdString(line.counters.lastProblem);
    BoardTableModel::Cell cell;
    const bool down = line.connection.state != ConnectionState::Open;
    cell.text = down && !error.isEmpty() ? error : (!problem.isEmpty() ? problem : error);
    cell.sortValue = cell.text;
    QStringList tip;
    if (!error.isEmpty()) {
        tip << QStringLiteral("Connection: %1").arg(error);
    }
    if (!problem.isEmpty()) {
        tip << QStringLiteral("Stream: %1").arg(problem);
    }
    cell.toolTip = tip.join(QLatin1Char('\n'));
    return cell;
}

BoardTableModel::Cell cellFor(ConnectionsModel::Column column, const ConnectionLine& line, MonotonicTime takenAt)
{
    const WsStats& stats = line.connection;
    BoardTableModel::Cell cell;
    switch (column) {
    case ConnectionsModel::Exchange:
        cell.text = venueDisplayName(line.venue);
        cell.sortValue = cell.text;
        cell.toolTip = QString::fromStdString(std::string(venueName(line.venue)));
        break;
    case ConnectionsModel::State:
        cell.text = stateText(stats.state);
        cell.sortValue = cell.text;
        cell.foreground = riskColour(healthOf(stats.state));
        cell.toolTip =
            QStringLiteral("%1 connections made, %2 frames received.").arg(stats.connects).arg(stats.framesReceived);
        break;
    case ConnectionsModel::LastMessage:
        if (stats.lastFrameAt == MonotonicTime{}) {
            cell.text = noValueText();
            cell.sortValue = kNone;
            cell.toolTip = QStringLiteral("Nothing received yet.");
        } else {
            cell.text = formatAge(takenAt - stats.lastFrameAt);
            cell.sortValue = ageSeconds(takenAt - stats.lastFrameAt);
        }
        break;
    case ConnectionsModel::Reconnects:
        cell = countCell(stats.reconnects);
        cell.toolTip = QStringLiteral("Connections lost and tried again.");
        break;
    case ConnectionsModel::Rollovers:
        cell = countCell(stats.rollovers);
        cell.toolTip = QStringLiteral("Connections replaced before the exchange's age limit, without a gap.");
        break;
    case ConnectionsModel::MalformedFrames:
        cell = countCell(line.counters.malformed);
        cell.toolTip = QStringLiteral("Frames that could not be read (the connection is kept).");
        break;
    case ConnectionsModel::VenueErrors:
        cell = countCell(line.counters.venueErrors);
        cell.toolTip = QStringLiteral("Errors the exchange reported.");
        break;
    case ConnectionsModel::LastProblem:
        cell = problemCell(line);
        break;
    case ConnectionsModel::Count:
        break;
    }
    return cell;
}

} // namespace

ConnectionsModel::ConnectionsModel(QObject* parent) : BoardTableModel(Count, parent) {}

void ConnectionsModel::setBoard(const RiskBoard& board)
{
    std::vector<Row> rows;
    rows.reserve(board.connections.size());
    std::map<Venue, int> seen;
    for (const ConnectionLine& line : board.connections) {
        Row row;
        const int occurrence = ++seen[line.venue];
        row.key = QString::fromStdString(std::string(venueName(line.venue)));
        if (occurrence > 1) {
            row.key += QStringLiteral("#%1").arg(occurrence);
        }
        row.riskLevel = healthOf(line.connection.state);
        row.cells.reserve(Count);
        for (int column = 0; column < Count; ++column) {
            row.cells.push_back(cellFor(Column(column), line, board.takenAt));
        }
        rows.push_back(std::move(row));
    }
    applyRows(std::move(rows));
}

QVariant ConnectionsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= Count) {
        return BoardTableModel::headerData(section, orientation, role);
    }
    if (role == Qt::TextAlignmentRole) {
        return int(columnAlignment(section));
    }
    if (role != Qt::DisplayRole) {
        return {};
    }
    switch (Column(section)) {
    case Exchange:
        return QStringLiteral("Exchange");
    case State:
        return QStringLiteral("State");
    case LastMessage:
        return QStringLiteral("Last message");
    case Reconnects:
        return QStringLiteral("Reconnects");
    case Rollovers:
        return QStringLiteral("Roll-overs");
    case MalformedFrames:
        return QStringLiteral("Malformed");
    case VenueErrors:
        return QStringLiteral("Venue errors");
    case LastProblem:
        return QStringLiteral("Last problem");
    case Count:
        break;
    }
    return {};
}

Qt::Alignment ConnectionsModel::columnAlignment(int column) const
{
    switch (Column(column)) {
    case Exchange:
    case State:
    case LastProblem:
    case Count:
        return Qt::AlignLeft | Qt::AlignVCenter;
    case LastMessage:
    case Reconnects:
    case Rollovers:
    case MalformedFrames:
    case VenueErrors:
        return Qt::AlignRight | Qt::AlignVCenter;
    }
    return Qt::AlignLeft | Qt::AlignVCenter;
}

} // namespace mm::ui
