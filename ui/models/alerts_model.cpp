#include "models/alerts_model.h"

#include "models/display_text.h"
#include "models/risk_level.h"
#include "notify/alert_text.h"

#include "alerts/alert_rules.h"
#include "store/csv_format.h"

#include <QDateTime>
#include <QDir>
#include <QSaveFile>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <sstream>

namespace mm::ui {
namespace {

constexpr double kNone = std::numeric_limits<double>::infinity(); ///< sorts after every number

QString changeText(AlertChange change)
{
    switch (change) {
    case AlertChange::Raised:
        return QStringLiteral("Raised");
    case AlertChange::Escalated:
        return QStringLiteral("Escalated");
    case AlertChange::Acknowledged:
        return QStringLiteral("Acknowledged");
    case AlertChange::Snoozed:
        return QStringLiteral("Snoozed");
    case AlertChange::Cleared:
        return QStringLiteral("Cleared");
    }
    return {};
}

QString ruleText(AlertRuleKind kind)
{
    switch (kind) {
    case AlertRuleKind::Distance:
        return QStringLiteral("Distance to liquidation");
    case AlertRuleKind::MarginRatio:
        return QStringLiteral("Margin ratio");
    case AlertRuleKind::SigmaDistance:
        return QStringLiteral("Distance in σ");
    case AlertRuleKind::TimeToLiquidation:
        return QStringLiteral("Time to liquidation");
    case AlertRuleKind::Velocity:
        return QStringLiteral("Distance shrinking");
    case AlertRuleKind::Stale:
        return QStringLiteral("Prices stale");
    }
    return {};
}

/// "45 s", "4 min 10 s", "2 h 05 min": seconds the way a trader reads them.
QString secondsText(double seconds)
{
    const auto whole = static_cast<long long>(std::floor(std::max(seconds, 0.0)));
    if (whole < 60) {
        return QStringLiteral("%1 s").arg(whole);
    }
    if (whole < 3600) {
        return QStringLiteral("%1 min %2 s").arg(whole / 60).arg(whole % 60, 2, 10, QLatin1Char('0'));
    }
    return QStringLiteral("%1 h %2 min").arg(whole / 3600).arg((whole % 3600) / 60, 2, 10, QLatin1Char('0'));
}

/// A rule's measure in its unit (alertUnit): "2.41%", "1.50 σ", "4 min 10 s", "3.20 %/min".
QString measureText(AlertRuleKind kind, double value)
{
    if (!std::isfinite(value)) {
        return noValueText();
    }
    switch (kind) {
    case AlertRuleKind::Distance:
    case AlertRuleKind::MarginRatio:
        return formatPercent(value);
    case AlertRuleKind::SigmaDistance:
        return QStringLiteral("%1 σ").arg(value, 0, 'f', 2);
    case AlertRuleKind::TimeToLiquidation:
    case AlertRuleKind::Stale:
        return secondsText(value);
    case AlertRuleKind::Velocity:
        return QStringLiteral("%1 %/min").arg(value, 0, 'f', 2);
    }
    return QString::number(value);
}

QString priceText(double price)
{
    return formatPrice(price, priceDecimals(Decimal{}, price));
}

QString valueToolTip(const AlertRow& alert)
{
    QStringList parts;
    if (std::isfinite(alert.threshold)) {
        parts << QStringLiteral("Threshold %1").arg(measureText(alert.rule, alert.threshold));
    }
    if (alert.markPrice && std::isfinite(*alert.markPrice)) {
        parts << QStringLiteral("Mark %1").arg(priceText(*alert.markPrice));
    }
    if (alert.liquidationPrice && std::isfinite(*alert.liquidationPrice)) {
        parts << QStringLiteral("Liquidation %1").arg(priceText(*alert.liquidationPrice));
    }
    if (alert.distancePct && std::isfinite(*alert.distancePct)) {
        parts << QStringLiteral("Distance %1").arg(formatPercent(*alert.distancePct));
    }
    return parts.join(QStringLiteral(" · "));
}

/// The same row of the same journal: ids restart in a new journal file, so the id alone is not enough.
bool sameRow(const AlertRow& a, const AlertRow& b)
{
    return a.id == b.id && a.runId == b.runId && a.episode == b.episode && a.wallTimeMs == b.wallTimeMs;
}

std::optional<std::size_t> indexOf(const std::vector<AlertRow>& rows, const AlertRow& wanted)
{
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (sameRow(rows[i], wanted)) {
            return i;
        }
    }
    return std::nullopt;
}

std::filesystem::path fsPath(const QString& path)
{
    return std::filesystem::path(path.toStdU16String());
}

QString exportCsv(Journal& journal, const QString& path, void (Journal::*write)(std::ostream&), const QString& what)
{
    std::ostringstream out;
    try {
        (journal.*write)(out);
    } catch (const JournalError& error) {
        return QObject::tr("Cannot export the %1: %2").arg(what, QString::fromUtf8(error.what()));
    }
    const std::string text = out.str();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        return QObject::tr("Cannot write the %1 to %2: %3").arg(what, QDir::toNativeSeparators(path), file.errorString());
    }
    if (file.write(text.data(), static_cast<qint64>(text.size())) != static_cast<qint64>(text.size()) || !file.commit()) {
        return QObject::tr("Cannot write the %1 to %2: %3").arg(what, QDir::toNativeSeparators(path), file.errorString());
    }
    return {};
}

} // namespace

AlertsModel::AlertsModel(QObject* parent) : QAbstractTableModel(parent)
{
    m_reloadTimer.setSingleShot(true);
    m_reloadTimer.setInterval(kReloadPace);
    connect(&m_reloadTimer, &QTimer::timeout, this, [this] { (void)reloadNow(); });
}

AlertsModel::Line AlertsModel::lineFor(const AlertRow& alert)
{
    Line line;
    line.alert = alert;
    for (int column = 0; column < Count; ++column) {
        Cell& cell = line.cells[std::size_t(column)];
        switch (static_cast<Column>(column)) {
        case Time: {
            const QDateTime when = QDateTime::fromMSecsSinceEpoch(alert.wallTimeMs).toLocalTime();
            cell.text = when.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
            cell.sortValue = qint64(alert.wallTimeMs);
            cell.toolTip = QStringLiteral("%1 UTC · run %2, episode %3")
                               .arg(QString::fromStdString(utcIsoTime(alert.wallTimeMs)))
                               .arg(alert.runId)
                               .arg(alert.episode);
            break;
        }
        case Level:
            cell.text = alertLevelTitle(alert.level);
            cell.sortValue = static_cast<int>(alert.level);
            cell.foreground = alertLevelColour(alert.level);
            break;
        case Change:
            cell.text = changeText(alert.change);
            cell.sortValue = cell.text;
            if (alert.change == AlertChange::Cleared) {
                cell.foreground = riskColour(RiskLevel::Safe); // the danger passed
                cell.toolTip = QStringLiteral("The measure went back beyond the re-arm band: the episode is over.");
            }
            break;
        case Rule:
            cell.text = ruleText(alert.rule);
            cell.sortValue = cell.text;
            cell.toolTip = QStringLiteral("Measured in %1").arg(QString::fromUtf8(alertUnit(alert.rule).data()));
            break;
        case Exchange:
            cell.text = venueDisplayName(alert.venue);
            cell.sortValue = cell.text;
            break;
        case Account:
            cell.text = QString::fromStdString(alert.accountLabel);
            cell.sortValue = cell.text;
            break;
        case Symbol:
            cell.text = alert.symbol.empty() ? QStringLiteral("cross margin") : QString::fromStdString(alert.symbol);
            cell.sortValue = cell.text;
            if (alert.symbol.empty()) {
                cell.toolTip = QStringLiteral("The account's cross margin as a whole");
            }
            break;
        case Side:
            cell.text = !alert.side ? noValueText()
                        : *alert.side == mm::Side::Long ? QStringLiteral("Long")
                                                        : QStringLiteral("Short");
            cell.sortValue = cell.text;
            break;
        case Value:
            cell.text = measureText(alert.rule, alert.value);
            cell.sortValue = std::isfinite(alert.value) ? alert.value : kNone;
            cell.toolTip = valueToolTip(alert);
            break;
        case Message:
            cell.text = QString::fromStdString(alert.message);
            cell.sortValue = cell.text;
            cell.toolTip = cell.text; // a long line is cut by the column
            break;
        case Count:
            break;
        }
    }
    return line;
}

QString AlertsModel::reload(Journal& journal, std::size_t limit)
{
    limit = std::max<std::size_t>(limit, 1);
    std::vector<AlertRow> fresh;
    std::optional<std::size_t> newestShownAt; // where the newest row shown is among `fresh`
    try {
        if (m_rows.empty()) {
            fresh = journal.alerts(limit);
        } else {
            // Usually a handful of alerts arrived since the last read: read a few first.
            const std::size_t probe = std::min(limit, kProbeRows);
            fresh = journal.alerts(probe);
            newestShownAt = indexOf(fresh, m_rows.front().alert);
            if (!newestShownAt && fresh.size() == probe && probe < limit) {
                fresh = journal.alerts(limit);
                newestShownAt = indexOf(fresh, m_rows.front().alert);
            }
        }
    } catch (const JournalError& error) {
        setProblem(tr("The alert history cannot be read: %1").arg(QString::fromUtf8(error.what())));
        return m_problem;
    }
    setProblem({});

    if (m_rows.empty()) {
        if (!fresh.empty()) {
            beginInsertRows({}, 0, int(fresh.size()) - 1);
            m_rows.reserve(fresh.size());
            for (const AlertRow& alert : fresh) {
                m_rows.push_back(lineFor(alert));
            }
            endInsertRows();
        }
        return {};
    }
    if (!newestShownAt) {
        // A different journal file, or more new alerts than the limit: nothing shown is worth keeping.
        beginResetModel();
        m_rows.clear();
        for (const AlertRow& alert : fresh) {
            m_rows.push_back(lineFor(alert));
        }
        endResetModel();
        return {};
    }
    // The new rows on top; the rows shown keep their content (a journal row never changes).
    if (const std::size_t added = *newestShownAt; added > 0) {
        std::vector<Line> lines;
        lines.reserve(added);
        for (std::size_t i = 0; i < added; ++i) {
            lines.push_back(lineFor(fresh[i]));
        }
        beginInsertRows({}, 0, int(added) - 1);
        m_rows.insert(m_rows.begin(), std::make_move_iterator(lines.begin()), std::make_move_iterator(lines.end()));
        endInsertRows();
    }
    if (m_rows.size() > limit) { // the oldest go
        beginRemoveRows({}, int(limit), int(m_rows.size()) - 1);
        m_rows.erase(m_rows.begin() + std::ptrdiff_t(limit), m_rows.end());
        endRemoveRows();
    }
    return {};
}

void AlertsModel::setJournalFile(const QString& file, std::size_t limit)
{
    if (file != m_file) {
        m_journal.reset();
    }
    m_file = file;
    m_followLimit = limit;
}

void AlertsModel::scheduleReload()
{
    if (!m_reloadTimer.isActive()) {
        m_reloadTimer.start(); // the read it leads to takes every alert recorded until then
    }
}

QString AlertsModel::reloadNow()
{
    m_reloadTimer.stop();
    if (m_file.isEmpty()) {
        setProblem(tr("No alert journal is set to read."));
        return m_problem;
    }
    if (!m_journal) {
        try {
            m_journal.emplace(Journal::openReadOnly(fsPath(m_file)));
        } catch (const JournalError& error) {
            setProblem(tr("The alert history cannot be read: %1").arg(QString::fromUtf8(error.what())));
            return m_problem;
        }
    }
    const QString problemNow = reload(*m_journal, m_followLimit);
    if (!problemNow.isEmpty()) {
        m_journal.reset(); // opened afresh next time: the file may have been replaced or moved aside
    }
    return problemNow;
}

void AlertsModel::setProblem(const QString& problem)
{
    if (problem != m_problem) {
        m_problem = problem;
        Q_EMIT problemChanged(m_problem);
    }
}

int AlertsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AlertsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(Count);
}

QVariant AlertsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Line& line = m_rows[std::size_t(index.row())];
    const Cell& cell = line.cells[std::size_t(index.column())];
    switch (role) {
    case Qt::DisplayRole:
        return cell.text;
    case Qt::ToolTipRole:
        return cell.toolTip.isEmpty() ? QVariant() : QVariant(cell.toolTip);
    case Qt::ForegroundRole:
        return cell.foreground.isValid() ? QVariant(cell.foreground) : QVariant();
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(index.column() == Value ? Qt::AlignRight | Qt::AlignVCenter
                                                           : Qt::AlignLeft | Qt::AlignVCenter);
    case SortRole:
        return cell.sortValue;
    case EpisodeRole:
        return QVariant::fromValue<qulonglong>(line.alert.episode);
    case RunRole:
        return QVariant::fromValue<qlonglong>(line.alert.runId);
    case AlertLevelRole:
        return static_cast<int>(line.alert.level);
    case RowIdRole:
        return QVariant::fromValue<qlonglong>(line.alert.id);
    default:
        return {};
    }
}

QVariant AlertsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= Count) {
        return {};
    }
    if (role == Qt::TextAlignmentRole) {
        return QVariant::fromValue(section == Value ? Qt::AlignRight | Qt::AlignVCenter : Qt::AlignLeft | Qt::AlignVCenter);
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) {
        return {};
    }
    const bool tip = role == Qt::ToolTipRole;
    switch (static_cast<Column>(section)) {
    case Time:
        return tip ? tr("When the alert changed, in local time") : tr("Time");
    case Level:
        return tip ? tr("Warning, critical or emergency") : tr("Level");
    case Change:
        return tip ? tr("What happened: raised, escalated, acknowledged, snoozed or cleared") : tr("Change");
    case Rule:
        return tip ? tr("What the rule measures") : tr("Rule");
    case Exchange:
        return tip ? QVariant() : tr("Exchange");
    case Account:
        return tip ? QVariant() : tr("Account");
    case Symbol:
        return tip ? QVariant() : tr("Symbol");
    case Side:
        return tip ? QVariant() : tr("Side");
    case Value:
        return tip ? tr("The measure when it was decided; hover a cell for the threshold and prices") : tr("Value");
    case Message:
        return tip ? QVariant() : tr("Message");
    case Count:
        break;
    }
    return {};
}

Qt::ItemFlags AlertsModel::flags(const QModelIndex& index) const
{
    return index.isValid() ? Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren : Qt::NoItemFlags;
}

QHash<int, QByteArray> AlertsModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(SortRole, "sortValue");
    names.insert(EpisodeRole, "episode");
    names.insert(RunRole, "run");
    names.insert(AlertLevelRole, "alertLevel");
    names.insert(RowIdRole, "rowId");
    return names;
}

QString exportAlertsCsv(Journal& journal, const QString& path)
{
    return exportCsv(journal, path, &Journal::exportAlertsCsv, QObject::tr("alert history"));
}

QString exportActionsCsv(Journal& journal, const QString& path)
{
    return exportCsv(journal, path, &Journal::exportActionsCsv, QObject::tr("deleverage audit trail"));
}

} // namespace mm::ui
