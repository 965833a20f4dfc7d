#pragma once

#include "models/board_table_model.h"

#include "domain/position.h"
#include "domain/venue.h"

#include <cstddef>
#include <string>
#include <vector>

namespace mm {
struct RiskBoard;
struct PositionLine;
} // namespace mm

namespace mm::ui {

/// Every position of every account on every exchange, one row each, with its risk at the latest mark.
///
/// Feed it each RiskBoard on the GUI thread with setBoard(). A row is a position's
/// (account index, position index) in the monitor; its KeyRole is "account:position" (e.g. "1:0").
class PositionsModel : public BoardTableModel {
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
        /// Computed here from the exchange's rules at the mark (PositionRisk::liquidationPrice). The
        /// exchange's own figure arrives with a later issue, through ExchangeLiquidationPriceRole on
        /// this column, with a divergence marker in the tooltip.
        LiquidationPrice,
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
        /// Reserved: the liquidation price the exchange reports, as a double (invalid where it
        /// reports none). Not served yet; see the LiquidationPrice column.
        ExchangeLiquidationPriceRole,
    };
    Q_ENUM(PositionRole)

    explicit PositionsModel(QObject* parent = nullptr);

    /// Shows the board's positions. Cheap when nothing changed (no signal at all); see
    /// BoardTableModel for the signals otherwise.
    void setBoard(const RiskBoard& board);

    /// The row of a position, or -1.
    [[nodiscard]] int rowOf(std::size_t account, std::size_t position) const;
    /// The KeyRole value of a position.
    [[nodiscard]] static QString positionKey(std::size_t account, std::size_t position);

    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

protected:
    [[nodiscard]] Qt::Alignment columnAlignment(int column) const override;

private:
    /// What a row holds, as of the last board: while it stays the same, the row's key and the
    /// cells that depend only on it are kept instead of formatted again.
    struct Holding {
        std::size_t account = 0;
        std::size_t position = 0;
        Venue venue = Venue::Generic;
        mm::Side side = mm::Side::Long;
        PositionSide positionSide = PositionSide::Both;
        mm::MarginMode marginMode = mm::MarginMode::Cross;
        Decimal quantity;
        Decimal entryPrice;
        int priceDecimals = 0;
        std::string symbol;
        std::string accountLabel;

        [[nodiscard]] bool sameAs(const PositionLine& line, int priceDecimals) const;
    };
    std::vector<Holding> m_holdings; ///< per row of the last board
};

} // namespace mm::ui
