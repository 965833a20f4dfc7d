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
#include <functional>
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
    case AlertChange::Eased:
        return QStringLiteral("Eased");
    case AlertChange::Acknowledged:
        return QStringLiteral("Acknowledged");
    case AlertChange::Snoozed:
        return QStringLiteral("Snoozed");
    case AlertChange::Cleared:
        return QStringLiteral("Cleared");
    }
    return {};
}

/// What a change means, for its tooltip.
QString changeToolTip(AlertChange change)
{
    switch (change) {
    case AlertChange::Raised:
        return QObject::tr("A new alert for this position: it sounded.");
    case AlertChange::Escalated:
        return QObject::tr("Louder: the level rose (or an unacknowledged critical became an emergency). It sounded.");
    case AlertChange::Eased:
        return QObject::tr("Quieter: the danger stayed below the level for the cooldown. Silent.");
    case AlertChange::Acknowledged:
        return QObject::tr("Acknowledged: quiet until the level rises above what was acknowledged.");
    case AlertChange::Snoozed:
        return QObject::tr("Snoozed: quiet until the snooze ends, or until the level rises above what was snoozed.");
    case AlertChange::Cleared:
        return QObject::tr("Every measure went back beyond its re-arm band for the cooldown: the alert is over.");
    }
    return {};
}

/// "BTCUSDT Long · main · Binance", or "swing · Bybit · cross margin" for an account's alert.
QString subjectText(const AlertRow& alert)
{
    const QString venue = venueDisplayName(alert.venue);
    const QString account = QString::fromStdString(alert.accountLabel);
    if (alert.symbol.empty()) {
        return QObject::tr("%1 · %2 · cross margin").arg(account, venue);
    }
    const QString side = !alert.side ? QString() : *alert.side == Side::Long ? QObject::tr(" Long") : QObject::tr(" Short");
    return QObject::tr("%1%2 · %3 · %4").arg(QString::fromStdString(alert.symbol), side, account, venue);
}

QString localTimeText(std::int64_t wallTimeMs, const QString& format)
{
    return QDateTime::fromMSecsSinceEpoch(wallTimeMs).toLocalTime().toString(format);
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

/// What a measure without a finite value means (the journal keeps such a value as NaN): a margin
/// ratio is endless once no margin is left, time and σ are endless while nothing moves toward
/// liquidation.
QString missingMeasureText(AlertRuleKind kind)
{
    switch (kind) {
    case AlertRuleKind::Distance:
        return QObject::tr("no liquidation price");
    case AlertRuleKind::MarginRatio:
        return QObject::tr("no margin left");
    case AlertRuleKind::SigmaDistance:
        return QObject::tr("no movement toward liquidation");
    case AlertRuleKind::TimeToLiquidation:
        return QObject::tr("not approaching liquidation");
    case AlertRuleKind::Velocity:
        return QObject::tr("distance not shrinking");
    case AlertRuleKind::Stale:
        return QObject::tr("no mark received");
    }
    return noValueText();
}

/// A rule's measure in its unit (alertUnit): "2.41%", "1.50 σ", "4 min 10 s", "3.20 %/min"; words
/// when there is no finite value.
QString measureText(AlertRuleKind kind, double value)
{
    if (!std::isfinite(value)) {
        return missingMeasureText(kind);
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

AlertsModel::AlertsModel(QObject* parent) : QAbstractItemModel(parent)
{
    m_episodeFont.setBold(true);
    m_reloadTimer.setSingleShot(true);
    m_reloadTimer.setInterval(kReloadPace);
    connect(&m_reloadTimer, &QTimer::timeout, this, [this] { (void)reloadNow(); });
}

AlertsModel::~AlertsModel() = default;

AlertsModel::Change AlertsModel::changeFor(const AlertRow& alert)
{
    Change change;
    change.alert = alert;
    for (int column = 0; column < Count; ++column) {
        Cell& cell = change.cells[std::size_t(column)];
        switch (static_cast<Column>(column)) {
        case Subject:
            cell.text = changeText(alert.change);
            cell.sortValue = cell.text;
            cell.toolTip = changeToolTip(alert.change);
            if (alert.change == AlertChange::Cleared) {
                cell.foreground = riskColour(RiskLevel::Safe); // the danger passed
            }
            break;
        case Level:
            cell.text = alertLevelTitle(alert.level);
            cell.sortValue = static_cast<int>(alert.level);
            cell.foreground = alertLevelColour(alert.level);
            break;
        case Time:
            cell.text = localTimeText(alert.wallTimeMs, QStringLiteral("yyyy-MM-dd HH:mm:ss"));
            cell.sortValue = qint64(alert.wallTimeMs);
            cell.toolTip = QStringLiteral("%1 UTC").arg(QString::fromStdString(utcIsoTime(alert.wallTimeMs)));
            break;
        case LastChange:
            cell.sortValue = qint64(alert.wallTimeMs);
            break;
        case Measure:
            cell.text = ruleText(alert.rule);
            cell.sortValue = cell.text;
            cell.toolTip = QStringLiteral("Measured in %1").arg(QString::fromUtf8(alertUnit(alert.rule).data()));
            break;
        case Value:
            cell.text = measureText(alert.rule, alert.value);
            cell.sortValue = std::isfinite(alert.value) ? alert.value : kNone;
            cell.toolTip = valueToolTip(alert);
            break;
        case Reasons:
            cell.text = QString::fromStdString(alert.message);
            cell.sortValue = cell.text;
            cell.toolTip = cell.text; // a long line is cut by the column
            break;
        case Count:
            break;
        }
    }
    return change;
}

void AlertsModel::prepare(Episode& episode)
{
    const Change& first = episode.changes.front();
    const Change& last = episode.changes.back();
    episode.peak = AlertLevel::Warning;
    for (const Change& change : episode.changes) {
        episode.peak = std::max(episode.peak, change.alert.level);
    }
    const bool over = last.alert.change == AlertChange::Cleared;
    for (int column = 0; column < Count; ++column) {
        Cell& cell = episode.cells[std::size_t(column)];
        switch (static_cast<Column>(column)) {
        case Subject:
            cell.text = subjectText(last.alert);
            cell.sortValue = cell.text;
            cell.toolTip = tr("Run %1, episode %2: %n change(s)", nullptr, int(episode.changes.size()))
                               .arg(episode.runId)
                               .arg(episode.episode);
            break;
        case Level: {
            const QString peak = alertLevelTitle(episode.peak);
            if (over) {
                cell.text = tr("Cleared · peak %1").arg(peak);
                cell.foreground = riskColour(RiskLevel::Safe);
            } else if (episode.peak > last.alert.level) {
                cell.text = tr("%1 · peak %2").arg(alertLevelTitle(last.alert.level), peak);
                cell.foreground = alertLevelColour(last.alert.level);
            } else {
                cell.text = alertLevelTitle(last.alert.level);
                cell.foreground = alertLevelColour(last.alert.level);
            }
            cell.sortValue = over ? 0 : static_cast<int>(last.alert.level);
            cell.toolTip = over ? tr("Over; at its loudest it was %1").arg(peak.toLower())
                                : tr("Now %1; at its loudest %2").arg(alertLevelTitle(last.alert.level).toLower(), peak.toLower());
            break;
        }
        case Time:
            cell = first.cells[std::size_t(Time)];
            cell.toolTip = tr("First raised %1").arg(cell.toolTip);
            break;
        case LastChange: {
            // The date only when it is not the day the episode began.
            const bool sameDay = QDateTime::fromMSecsSinceEpoch(first.alert.wallTimeMs).toLocalTime().date() ==
                                 QDateTime::fromMSecsSinceEpoch(last.alert.wallTimeMs).toLocalTime().date();
            cell.text = tr("%1 at %2").arg(changeText(last.alert.change),
                                           localTimeText(last.alert.wallTimeMs, sameDay ? QStringLiteral("HH:mm:ss")
                                                                                        : QStringLiteral("yyyy-MM-dd HH:mm:ss")));
            cell.sortValue = qint64(last.alert.wallTimeMs);
            cell.toolTip = changeToolTip(last.alert.change);
            cell.foreground = over ? riskColour(RiskLevel::Safe) : QColor();
            break;
        }
        case Measure:
        case Value:
        case Reasons:
            cell = last.cells[std::size_t(column)];
            break;
        case Count:
            break;
        }
    }
}

int AlertsModel::rowOf(const Episode& episode) const
{
    return int(m_episodes.size() - 1 - episode.slot);
}

AlertsModel::Episode* AlertsModel::episodeAt(int row) const
{
    return m_episodes[m_episodes.size() - 1 - std::size_t(row)].get();
}

void AlertsModel::reindex()
{
    for (std::size_t slot = 0; slot < m_episodes.size(); ++slot) {
        m_episodes[slot]->slot = slot;
    }
}

void AlertsModel::rebuild(const std::vector<AlertRow>& rows)
{
    m_episodes.clear();
    m_byKey.clear();
    m_changeCount = 0;
    for (auto row = rows.rbegin(); row != rows.rend(); ++row) { // oldest first
        const Key key{row->runId, row->episode};
        Episode*& episode = m_byKey[key];
        if (episode == nullptr) {
            auto made = std::make_unique<Episode>();
            made->runId = row->runId;
            made->episode = row->episode;
            made->slot = m_episodes.size();
            episode = made.get();
            m_episodes.push_back(std::move(made));
        }
        episode->changes.push_back(changeFor(*row));
        ++m_changeCount;
    }
    for (const auto& episode : m_episodes) {
        prepare(*episode);
    }
}

void AlertsModel::append(const std::vector<AlertRow>& rows)
{
    // Group the new changes, oldest first: those of episodes shown, and new episodes in order of appearance.
    std::map<Episode*, std::vector<Change>> more;
    std::vector<std::unique_ptr<Episode>> fresh;
    std::map<Key, Episode*> freshByKey;
    for (auto row = rows.rbegin(); row != rows.rend(); ++row) {
        const Key key{row->runId, row->episode};
        if (const auto shown = m_byKey.find(key); shown != m_byKey.end()) {
            more[shown->second].push_back(changeFor(*row));
            continue;
        }
        Episode*& episode = freshByKey[key];
        if (episode == nullptr) {
            auto made = std::make_unique<Episode>();
            made->runId = row->runId;
            made->episode = row->episode;
            episode = made.get();
            fresh.push_back(std::move(made));
        }
        episode->changes.push_back(changeFor(*row));
    }

    // New changes beneath the episodes shown, then those episodes' rows brought up to date.
    std::vector<int> changedRows;
    for (auto& [episode, changes] : more) {
        const int row = rowOf(*episode);
        const int first = int(episode->changes.size());
        beginInsertRows(index(row, 0), first, first + int(changes.size()) - 1);
        for (Change& change : changes) {
            episode->changes.push_back(std::move(change));
        }
        m_changeCount += changes.size();
        endInsertRows();
        prepare(*episode);
        changedRows.push_back(row);
    }
    std::sort(changedRows.begin(), changedRows.end());
    for (std::size_t i = 0; i < changedRows.size();) {
        std::size_t last = i;
        while (last + 1 < changedRows.size() && changedRows[last + 1] == changedRows[last] + 1) {
            ++last;
        }
        Q_EMIT dataChanged(index(changedRows[i], 0), index(changedRows[last], Count - 1));
        i = last + 1;
    }

    // New episodes on top, newest first.
    if (!fresh.empty()) {
        beginInsertRows({}, 0, int(fresh.size()) - 1);
        for (auto& episode : fresh) {
            prepare(*episode);
            episode->slot = m_episodes.size();
            m_changeCount += episode->changes.size();
            m_byKey[{episode->runId, episode->episode}] = episode.get();
            m_episodes.push_back(std::move(episode));
        }
        endInsertRows();
    }
}

void AlertsModel::trim(std::size_t limit)
{
    if (m_changeCount <= limit) {
        return;
    }
    // The oldest changes go: those at or below the cut-off row id (ids grow with time in a journal).
    std::vector<std::int64_t> ids;
    ids.reserve(m_changeCount);
    for (const auto& episode : m_episodes) {
        for (const Change& change : episode->changes) {
            ids.push_back(change.alert.id);
        }
    }
    const std::size_t drop = m_changeCount - limit;
    std::nth_element(ids.begin(), ids.begin() + std::ptrdiff_t(drop - 1), ids.end());
    const std::int64_t cutOff = ids[drop - 1];

    // Episodes that keep some of their changes lose their oldest.
    std::vector<int> emptied; // rows of episodes that lose every change
    std::vector<int> changedRows;
    for (const auto& episode : m_episodes) {
        std::size_t gone = 0;
        while (gone < episode->changes.size() && episode->changes[gone].alert.id <= cutOff) {
            ++gone;
        }
        if (gone == 0) {
            continue;
        }
        const int row = rowOf(*episode);
        if (gone == episode->changes.size()) {
            emptied.push_back(row);
            continue;
        }
        beginRemoveRows(index(row, 0), 0, int(gone) - 1);
        episode->changes.erase(episode->changes.begin(), episode->changes.begin() + std::ptrdiff_t(gone));
        m_changeCount -= gone;
        endRemoveRows();
        prepare(*episode);
        changedRows.push_back(row);
    }
    std::sort(changedRows.begin(), changedRows.end());
    for (std::size_t i = 0; i < changedRows.size();) {
        std::size_t last = i;
        while (last + 1 < changedRows.size() && changedRows[last + 1] == changedRows[last] + 1) {
            ++last;
        }
        Q_EMIT dataChanged(index(changedRows[i], 0), index(changedRows[last], Count - 1));
        i = last + 1;
    }

    // Episodes with nothing left go, one removal per contiguous range, from the bottom up.
    std::sort(emptied.begin(), emptied.end(), std::greater<>());
    for (std::size_t i = 0; i < emptied.size();) {
        std::size_t last = i;
        while (last + 1 < emptied.size() && emptied[last + 1] == emptied[last] - 1) {
            ++last;
        }
        const int top = emptied[last];
        const int bottom = emptied[i];
        beginRemoveRows({}, top, bottom);
        const std::size_t firstSlot = m_episodes.size() - 1 - std::size_t(bottom);
        const std::size_t lastSlot = m_episodes.size() - 1 - std::size_t(top);
        for (std::size_t slot = firstSlot; slot <= lastSlot; ++slot) {
            m_changeCount -= m_episodes[slot]->changes.size();
            m_byKey.erase({m_episodes[slot]->runId, m_episodes[slot]->episode});
        }
        m_episodes.erase(m_episodes.begin() + std::ptrdiff_t(firstSlot), m_episodes.begin() + std::ptrdiff_t(lastSlot) + 1);
        reindex();
        endRemoveRows();
        i = last + 1;
    }
}

QString AlertsModel::reload(Journal& journal, std::size_t limit)
{
    limit = std::max<std::size_t>(limit, 1);
    std::vector<AlertRow> fresh;
    std::optional<std::size_t> newestShownAt; // where the newest row shown is among `fresh`
    std::optional<AlertRow> newestShown;
    for (const auto& episode : m_episodes) {
        const AlertRow& last = episode->changes.back().alert;
        if (!newestShown || last.id > newestShown->id) {
            newestShown = last;
        }
    }
    bool more = false; // a storm: more new rows than one step takes
    try {
        if (!newestShown) {
            fresh = journal.alerts(limit);
        } else {
            // Still the journal the rows shown came from? Its row of the newest shown id must be that row.
            const std::vector<AlertRow> same = journal.alerts(1, newestShown->id + 1);
            if (!same.empty() && sameRow(same.front(), *newestShown)) {
                // Only the rows since, oldest first, in bounded steps: in a storm the history catches up
                // over a few reloads instead of one long one stalling the window (the popup is live).
                fresh = journal.alertsAfter(newestShown->id, kCatchUpRows);
                newestShownAt = fresh.size();
                more = fresh.size() == kCatchUpRows;
            } else {
                fresh = journal.alerts(limit);
            }
        }
    } catch (const JournalError& error) {
        setProblem(tr("The alert history cannot be read: %1").arg(QString::fromUtf8(error.what())));
        return m_problem;
    }
    setProblem({});

    if (!newestShown) {
        append(fresh); // the first rows: one insert of every episode, not a reset
        return {};
    }
    if (!newestShownAt) {
        // A different journal file: nothing shown is worth keeping.
        beginResetModel();
        rebuild(fresh);
        endResetModel();
        return {};
    }
    // The new rows (a journal row never changes: the rows shown keep their content).
    if (!fresh.empty()) {
        append(fresh);
    }
    trim(limit);
    if (more && !m_file.isEmpty()) {
        scheduleReload();
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

const AlertRow& AlertsModel::alertAt(const QModelIndex& index) const
{
    if (const auto* episode = static_cast<const Episode*>(index.internalPointer())) {
        return episode->changes[std::size_t(index.row())].alert;
    }
    return episodeAt(index.row())->changes.back().alert;
}

QModelIndex AlertsModel::index(int row, int column, const QModelIndex& parent) const
{
    if (column < 0 || column >= Count || row < 0) {
        return {};
    }
    if (!parent.isValid()) {
        return row < int(m_episodes.size()) ? createIndex(row, column, nullptr) : QModelIndex();
    }
    if (parent.internalPointer() != nullptr || parent.row() >= int(m_episodes.size())) {
        return {}; // a change has no children
    }
    Episode* episode = episodeAt(parent.row());
    return row < int(episode->changes.size()) ? createIndex(row, column, episode) : QModelIndex();
}

QModelIndex AlertsModel::parent(const QModelIndex& child) const
{
    const auto* episode = static_cast<const Episode*>(child.internalPointer());
    return episode == nullptr ? QModelIndex() : createIndex(rowOf(*episode), 0, nullptr);
}

int AlertsModel::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid()) {
        return int(m_episodes.size());
    }
    if (parent.internalPointer() != nullptr || parent.column() != 0) {
        return 0;
    }
    return int(episodeAt(parent.row())->changes.size());
}

int AlertsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() && parent.internalPointer() != nullptr ? 0 : int(Count);
}

const AlertsModel::Cell* AlertsModel::cellAt(const QModelIndex& index) const
{
    if (const auto* episode = static_cast<const Episode*>(index.internalPointer())) {
        return &episode->changes[std::size_t(index.row())].cells[std::size_t(index.column())];
    }
    return &episodeAt(index.row())->cells[std::size_t(index.column())];
}

QVariant AlertsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid)) {
        return {};
    }
    const auto* owner = static_cast<const Episode*>(index.internalPointer());
    const bool isEpisode = owner == nullptr;
    const Episode& episode = isEpisode ? *episodeAt(index.row()) : *owner;
    const AlertRow& alert = isEpisode ? episode.changes.back().alert : episode.changes[std::size_t(index.row())].alert;
    const Cell& cell = *cellAt(index);
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
    case Qt::FontRole:
        return isEpisode ? QVariant(m_episodeFont) : QVariant(); // the episode stands out from its changes
    case SortRole:
        return cell.sortValue;
    case EpisodeRole:
        return QVariant::fromValue<qulonglong>(episode.episode);
    case RunRole:
        return QVariant::fromValue<qlonglong>(episode.runId);
    case AlertLevelRole:
        return static_cast<int>(alert.level);
    case PeakLevelRole:
        return static_cast<int>(episode.peak);
    case RowIdRole:
        return QVariant::fromValue<qlonglong>(alert.id);
    case IsEpisodeRole:
        return isEpisode;
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
    case Subject:
        return tip ? tr("One row per alert of a position (or of an account's cross margin); open it for every change")
                   : tr("Position / change");
    case Level:
        return tip ? tr("Warning, critical or emergency: the level now, and the loudest it reached") : tr("Level");
    case Time:
        return tip ? tr("When the alert was first raised, or when the change happened, in local time") : tr("Time");
    case LastChange:
        return tip ? tr("What happened last: raised, escalated, eased, acknowledged, snoozed or cleared") : tr("Last change");
    case Measure:
        return tip ? tr("The measure that sets the level") : tr("Measure");
    case Value:
        return tip ? tr("That measure when it was decided; hover a cell for the threshold and prices") : tr("Value");
    case Reasons:
        return tip ? tr("Every measure behind the alert, in words") : tr("Reasons");
    case Count:
        break;
    }
    return {};
}

Qt::ItemFlags AlertsModel::flags(const QModelIndex& index) const
{
    if (!index.isValid()) {
        return Qt::NoItemFlags;
    }
    const Qt::ItemFlags base = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    return index.internalPointer() != nullptr ? base | Qt::ItemNeverHasChildren : base;
}

QHash<int, QByteArray> AlertsModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractItemModel::roleNames();
    names.insert(SortRole, "sortValue");
    names.insert(EpisodeRole, "episode");
    names.insert(RunRole, "run");
    names.insert(AlertLevelRole, "alertLevel");
    names.insert(PeakLevelRole, "peakLevel");
    names.insert(RowIdRole, "rowId");
    names.insert(IsEpisodeRole, "isEpisode");
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
