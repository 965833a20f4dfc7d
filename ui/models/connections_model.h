#pragma once

#include "models/board_table_model.h"

namespace mm {
struct RiskBoard;
} // namespace mm

namespace mm::ui {

/// One row per venue connection (the venue's mark-price stream): its state, how fresh its last
/// message is, and what went wrong.
///
/// Feed it each RiskBoard on the GUI thread with setBoard(). A row is a venue; its KeyRole is the
/// venue's name ("binance-usdm"; a second connection to the same venue gets "#2" appended).
/// RiskLevelRole tells the connection's health in the same levels: Safe when open, Caution while
/// connecting, Warning while reconnecting or stopped. DistanceFractionRole is not served.
class ConnectionsModel : public BoardTableModel {
    Q_OBJECT
public:
    enum Column {
        Exchange,
        State,
        LastMessage, ///< age of the last frame received, at the board's moment
        Reconnects,
        Rollovers,
        MalformedFrames,
        VenueErrors,
        LastProblem, ///< the latest error or problem, in words
        Count,
    };
    Q_ENUM(Column)

    explicit ConnectionsModel(QObject* parent = nullptr);

    /// Shows the board's connections; see BoardTableModel for the signals.
    void setBoard(const RiskBoard& board);

    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;

protected:
    [[nodiscard]] Qt::Alignment columnAlignment(int column) const override;
};

} // namespace mm::ui
