#pragma once

#include "models/board_table_model.h"

namespace mm {
struct RiskBoard;
} // namespace mm

namespace mm::ui {

/// One row per account: its cross margin and its most endangered position.
///
/// Feed it each RiskBoard on the GUI thread with setBoard(). A row is an account's index in the
/// monitor; its KeyRole is that index as text ("0"). RiskLevelRole is the worst level among the
/// account's positions (Due when the account's cross margin is at or beyond liquidation);
/// DistanceFractionRole is the worst position's.
class AccountsModel : public BoardTableModel {
    Q_OBJECT
public:
    enum Column {
        Exchange,
        Account,
        /// Where the positions come from: a file or manual entry, or the exchange's account reads
        /// (how long ago, or why they fail: the key refused, rate limited …).
        Source,
        Equity, ///< the margin balance: wallet + cross unrealised PnL
        WalletBalance,
        MaintenanceMargin, ///< of the cross positions
        MarginRatio,       ///< of the cross margin
        UnrealizedPnl,     ///< of the cross positions
        Positions,
        WorstPosition, ///< the symbol nearest its liquidation, and its distance in %
        Count,
    };
    Q_ENUM(Column)

    explicit AccountsModel(QObject* parent = nullptr);

    /// Shows the board's accounts; see BoardTableModel for the signals.
    void setBoard(const RiskBoard& board);

    /// The row of an account, or -1.
    [[nodiscard]] int rowOf(std::size_t account) const;

    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;

protected:
    [[nodiscard]] Qt::Alignment columnAlignment(int column) const override;
};

} // namespace mm::ui
