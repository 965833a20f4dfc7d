#pragma once

#include "models/board_table_base.h"

#include <cstddef>
#include <optional>
#include <vector>

namespace mm {
struct RiskBoard;
} // namespace mm

namespace mm::ui {

/// Every position of every account on every exchange, one row each, with its risk at the latest mark.
///
/// Feed it each RiskBoard on the GUI thread with setBoard(). A row is a position's
/// (account index, position index) in the monitor; its KeyRole is "account:position" (e.g. "1:0").
///
/// Thousands of rows, most of their figures moving on every board and most of them off screen: a row
/// keeps its position's figures (position_cells.h), a board compares figures to find what changed,
/// and a cell's text is written when a view first asks for it (then kept until its figures change);
/// tooltips are written on each ask, for they are asked for only on hover.
class PositionsModel : public BoardTableBase {
    Q_OBJECT
public:
    enum Column {
        Exchange,
        Account,
        Symbol,
        Side,
        Size,
        Entry,
        Mark,
        /// Computed here from the exchange's rules at the mark (PositionRisk::liquidationPrice).
        LiquidationPrice,
        /// The exchange's own liquidation price, for positions read from the exchange: marked "≠"
        /// (and coloured) when it diverges from the computed one, and "(computed)" when the exchange
        /// reports none and the computed one stands in. Empty for file and manual positions.
        ExchangeLiquidationPrice,
        Distance, ///< to liquidation, in % of the mark; the view draws DistanceFractionRole as a bar
        MarginRatio,
        UnrealizedPnl,
        Leverage,
        MarginMode,
        DataAge, ///< of the symbol's latest mark, at the board's moment
        Count,
    };
    Q_ENUM(Column)

    enum PositionRole {
        /// The row's position as a PositionKey (models/risk_history.h), for the charts and for
        /// selecting a position: `index.data(PositionKeyRole).value<PositionKey>()`. KeyRole holds the
        /// same as text, "account:position".
        PositionKeyRole = FirstModelRole,
    };
    Q_ENUM(PositionRole)

    explicit PositionsModel(QObject* parent = nullptr);
    ~PositionsModel() override;

    /// Shows the board's positions: no signal when nothing changed; see BoardTableBase for the
    /// signals otherwise.
    void setBoard(const RiskBoard& board);

    /// The row of a position, or -1.
    [[nodiscard]] int rowOf(std::size_t account, std::size_t position) const;
    /// A numeric cell's SortRole value as a number, without a QVariant (PositionsSortProxy compares
    /// 2,000 rows on every board); nullopt for a text column.
    [[nodiscard]] std::optional<double> sortNumber(int row, int column) const;
    /// The KeyRole value of a position.
    [[nodiscard]] static QString positionKey(std::size_t account, std::size_t position);

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

protected:
    [[nodiscard]] Qt::Alignment columnAlignment(int column) const override;

private:
    struct PositionRow;

    /// The rows hold the board's positions in its order.
    [[nodiscard]] bool holdsPositionsOf(const RiskBoard& board) const;
    /// Makes the rows those of the board's positions: removes and inserts rows, or resets.
    void reshapeTo(const RiskBoard& board);

    std::vector<PositionRow> m_rows;
};

} // namespace mm::ui
