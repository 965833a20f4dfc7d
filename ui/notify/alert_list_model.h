#pragma once

#include "bridge/alert_queue.h"

#include <QAbstractTableModel>
#include <QString>

#include <vector>

namespace mm::ui {

/// The popup's list of positions in danger (after the worst, which has a card of its own): one row
/// per position (or account), worst first, at most a screenful. A click on a row shows its position;
/// its Ack cell acknowledges it. Rows are slots by rank: a new order
/// or a new figure changes the text of the rows it touches (dataChanged per contiguous range, or
/// one for all when more than half changed), rows are only added or removed at the end — never a
/// reset, so the view never lays out every row again for one alert.
class AlertListModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertListModel)
public:
    enum Column { Level, Position, Distance, Reasons, Acknowledge, Count };
    enum Role {
        KeyRole = Qt::UserRole,  ///< the row's AlertKey (QVariant)
        LevelRole,               ///< its level as an int (AlertLevel)
        AnsweredRole,            ///< whether the trader answered it (bool): dimmed, no Ack
        EpisodeRole,             ///< the episode shown (quint64): the loudest of the position's
    };

    /// One row, every text prepared (data() only hands them out).
    struct Row {
        AlertKey key;
        std::uint64_t episode = 0;
        AlertLevel level = AlertLevel::Warning;
        bool answered = false;
        QString levelText;    ///< "Critical"
        QString position;     ///< "main · Binance · BTCUSDT · Long"
        QString distance;     ///< "2.41%", or "" for an account
        QString reasons;      ///< the measures besides the distance: "distance shrinking 5.1 points a minute · 1.3 σ"
        QString toolTip;      ///< everything: position, message, reasons, figures, time
        friend bool operator==(const Row&, const Row&) = default;
    };

    explicit AlertListModel(QObject* parent = nullptr);

    /// The rows now, worst first. Changed rows are updated in place; see the class comment.
    void setRows(std::vector<Row> rows);
    [[nodiscard]] const Row& row(int index) const { return m_rows[std::size_t(index)]; }
    [[nodiscard]] const std::vector<Row>& rows() const { return m_rows; }

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex& index) const override;

private:
    void emitChanged(int first, int last);

    std::vector<Row> m_rows;
};

} // namespace mm::ui

Q_DECLARE_METATYPE(mm::ui::AlertKey)
