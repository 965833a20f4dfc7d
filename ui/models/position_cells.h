#pragma once
// What each cell of a position's row says — text, tooltip, sort value, colour — written from the
// figures the row keeps, and which of them a later board changes. The two halves live side by side
// because they must agree: a cell that reads a figure must name it in changedRoles(), or the view
// would keep showing the old text (tst_models checks every cell against the signals).

#include "models/board_table_base.h"
#include "models/positions_model.h"
#include "models/risk_level.h"

#include "engine/risk_board.h"

#include <QColor>
#include <QString>

#include <chrono>
#include <optional>

namespace mm::ui {

/// What a position's row is written from: its line on the latest board, and what follows from it at
/// the board's moment.
struct PositionFigures {
    /// `previous`: the same position's figures on the last board, whose price decimals are kept while
    /// the tick size stays (working them out reads the tick size as text).
    PositionFigures(const PositionLine& shown, MonotonicTime takenAt, const PositionFigures* previous = nullptr);

    PositionLine line;
    RiskLevel level = RiskLevel::Unknown;
    int priceDecimals = 0;          ///< for every price of the row (see priceDecimals())
    std::chrono::nanoseconds age{}; ///< of the symbol's latest mark, at the board's moment
    bool hasMark = false;           ///< a mark has arrived from the feed (else the portfolio's shows)
};

/// Qt::DisplayRole.
[[nodiscard]] QString cellText(PositionsModel::Column column, const PositionFigures& figures);
/// Qt::ToolTipRole; empty: none.
[[nodiscard]] QString cellToolTip(PositionsModel::Column column, const PositionFigures& figures);
/// SortRole of a numeric column (+infinity for "none"); nullopt for a text column, sorted by its text.
[[nodiscard]] std::optional<double> cellSortNumber(PositionsModel::Column column, const PositionFigures& figures);
/// Qt::ForegroundRole; invalid: the view's own.
[[nodiscard]] QColor cellForeground(PositionsModel::Column column, const PositionFigures& figures);

/// The roles of a cell that differ between two boards: those whose figures changed. A role is named
/// when what it is written from changed, even if the text rounds to the same.
[[nodiscard]] BoardTableBase::RoleMask changedRoles(PositionsModel::Column column, const PositionFigures& was,
                                                    const PositionFigures& now);
/// The row roles (RiskLevelRole, DistanceFractionRole) that differ between two boards.
[[nodiscard]] BoardTableBase::RoleMask changedRowRoles(const PositionFigures& was, const PositionFigures& now);

} // namespace mm::ui
