// The table models of the desktop app: what each cell says, and which signals a board causes.
// Every model runs under a QAbstractItemModelTester (fatal) for the whole test, and every test that
// applies a board asserts exact signal counts — zeros included.
#include "eval_helpers.h"
#include "sample_portfolios.h"

#include "engine/monitor.h"
#include "engine/risk_board.h"
#include "models/accounts_model.h"
#include "models/connections_model.h"
#include "models/positions_model.h"
#include "models/positions_sort_proxy.h"
#include "models/risk_history.h"
#include "models/risk_level.h"
#include "views/static_text_delegate.h"

#include <QAbstractItemModelTester>
#include <QHeaderView>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QtTest>

#include <cmath>
#include <functional>
#include <limits>
#include <memory>

using namespace mm;
using namespace mm::ui;
using namespace std::chrono_literals;

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
const MonotonicTime kTakenAt{std::chrono::hours(2)};

/// A model with its tester and a spy on every structural and data signal.
template <typename Model> struct Watched {
    Model model;
    QAbstractItemModelTester tester{&model, QAbstractItemModelTester::FailureReportingMode::Fatal};
    QSignalSpy inserted{&model, &QAbstractItemModel::rowsInserted};
    QSignalSpy removed{&model, &QAbstractItemModel::rowsRemoved};
    QSignalSpy reset{&model, &QAbstractItemModel::modelReset};
    QSignalSpy changed{&model, &QAbstractItemModel::dataChanged};

    void clearSpies()
    {
        inserted.clear();
        removed.clear();
        reset.clear();
        changed.clear();
    }
    /// "inserted removed reset changed", for one comparison that names every count.
    [[nodiscard]] QString counts() const
    {
        return QStringLiteral("%1 %2 %3 %4")
            .arg(inserted.count())
            .arg(removed.count())
            .arg(reset.count())
            .arg(changed.count());
    }
    [[nodiscard]] QString text(int row, int column) const { return model.index(row, column).data().toString(); }
    [[nodiscard]] QVariant value(int row, int column, int role) const { return model.index(row, column).data(role); }
};

/// A position as the engine would describe it, 10 % from liquidation on a fresh feed.
PositionLine makeLine(std::size_t account, std::size_t position, const std::string& symbol,
                      std::optional<double> distancePct = 10.0)
{
    PositionLine line;
    line.account = account;
    line.position = position;
    line.venue = Venue::BinanceUsdm;
    line.accountLabel = "main";
    line.symbol = symbol;
    line.quantity = Decimal::parse("2");
    line.entryPrice = Decimal::parse("100");
    line.markPrice = Decimal::parse("100");
    line.tickSize = Decimal::parse("0.01");
    line.leverage = Decimal::parse("10");
    line.effectiveLeverage = 4.0;
    line.risk.notional = Decimal::parse("200");
    line.risk.maintenanceMargin = Decimal::parse("1");
    line.risk.marginRatio = 0.1;
    line.risk.distanceToLiquidationPct = distancePct;
    if (distancePct) {
        line.risk.liquidationPrice = 100.0 - *distancePct;
        line.risk.distanceToLiquidation = *distancePct;
    }
    line.feed = FeedState::Fresh;
    line.lastTickAt = kTakenAt - 300ms;
    line.ticks = 5;
    return line;
}

/// `count` positions in one account ("P0", "P1", …) with the account's line.
RiskBoard makeBoard(std::size_t count)
{
    RiskBoard board;
    board.takenAt = kTakenAt;
    for (std::size_t index = 0; index < count; ++index) {
        board.positions.push_back(makeLine(0, index, "P" + std::to_string(index), 10.0 + double(index)));
    }
    AccountLine account;
    account.venue = Venue::BinanceUsdm;
    account.label = "main";
    account.risk.walletBalance = Decimal::parse("1000");
    account.risk.marginBalance = Decimal::parse("1000");
    account.risk.marginRatio = 0.1;
    account.positions = count;
    if (count > 0) {
        account.worstPosition = 0;
    }
    board.accounts.push_back(account);
    return board;
}

/// A board with one position changed by `change`.
template <typename Change> RiskBoard withLine(RiskBoard board, std::size_t row, Change change)
{
    change(board.positions.at(row));
    return board;
}

void moveMark(PositionLine& line)
{
    line.markPrice = line.markPrice + Decimal::parse("1");
}

QList<int> sorted(QList<int> roles)
{
    std::sort(roles.begin(), roles.end());
    return roles;
}

/// dataChanged's arguments: first row, last row, first column, last column.
QList<int> rangeOf(const QList<QVariant>& signal)
{
    const auto topLeft = signal.at(0).toModelIndex();
    const auto bottomRight = signal.at(1).toModelIndex();
    return {topLeft.row(), bottomRight.row(), topLeft.column(), bottomRight.column()};
}

QList<int> rolesOf(const QList<QVariant>& signal)
{
    return sorted(signal.at(2).value<QList<int>>());
}

/// What a board can change in a cell, role by role.
const QList<int> kBoardRoles{Qt::DisplayRole,
                             Qt::ToolTipRole,
                             Qt::ForegroundRole,
                             PositionsModel::SortRole,
                             PositionsModel::RiskLevelRole,
                             PositionsModel::DistanceFractionRole};

/// Every cell of a model in every role a board can change, keyed "row column role".
QMap<QString, QVariant> cellsOf(const QAbstractItemModel& model)
{
    QMap<QString, QVariant> cells;
    for (int row = 0; row < model.rowCount(); ++row) {
        for (int column = 0; column < model.columnCount(); ++column) {
            for (const int role : kBoardRoles) {
                cells.insert(QStringLiteral("%1 %2 %3").arg(row).arg(column).arg(role),
                             model.index(row, column).data(role));
            }
        }
    }
    return cells;
}

/// A dataChanged among `changed` covers this cell and names this role.
bool signalled(const QSignalSpy& changed, int row, int column, int role)
{
    return std::any_of(changed.begin(), changed.end(), [&](const QList<QVariant>& signal) {
        const QList<int> range = rangeOf(signal);
        return range[0] <= row && row <= range[1] && range[2] <= column && column <= range[3] &&
               rolesOf(signal).contains(role);
    });
}

/// A change made to a board, for the data-driven update tests.
using BoardChange = std::function<void(RiskBoard&)>;

using test::kBinanceCrossAndIsolated;
using test::kOkxShort;

/// The same OKX short with a large wallet: far from liquidation (about 66 %).
const char* kOkxSafe = R"({"venue":"okx-swap","label":"okx","walletBalance":"20000","positions":[
    {"symbol":"BTC-USDT-SWAP","side":"short","quantity":"0.5","entryPrice":"60000","markPrice":"60000","maintenanceMarginRate":"0.004"}]})";

MarkTick okxTick(const ManualClock& clock, const char* price)
{
    MarkTick tick;
    tick.venue = Venue::OkxSwap;
    tick.symbol = "BTC-USDT-SWAP";
    tick.markPrice = Decimal::parse(price);
    tick.receivedAt = clock.now();
    return tick;
}

/// WCAG relative luminance, for the contrast of the risk colours on a dark background.
double luminance(const QColor& colour)
{
    const auto channel = [](double value) {
        return value <= 0.03928 ? value / 12.92 : std::pow((value + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF());
}

} // namespace

Q_DECLARE_METATYPE(BoardChange)

class TestModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Update rules (hand-made boards).
    void firstBoardInsertsRows();
    void sameBoardTwiceChangesNothing();
    void oneMarkIsOneRangeOnItsCell();
    void aChangedHoldingIsShown();
    void twoSeparateRowsAreTwoRanges();
    void adjacentRowsAreOneRange();
    void moreThanHalfIsOneWholeRange();
    void exactlyHalfIsStillRanges();
    void riskLevelChangeSpansTheRow();
    void timePassingChangesTheAges();
    void positionAddedIsOneInsert();
    void positionAddedWhileAnotherChanged();
    void positionRemovedIsOneRemove();
    void separateRemovalsAreSeparateSignals();
    void wholeSetChangedIsOneReset();
    void emptyBoardRemovesEveryRow();
    void oneChangeIsOneRangeWithItsRoles_data();
    void oneChangeIsOneRangeWithItsRoles();
    void aStaleFeedChangesTheToolTips();
    void theMarksMagnitudeSetsThePrecision();
    void everyChangedCellIsSignalled_data();
    void everyChangedCellIsSignalled();

    // From a real monitor.
    void monitorTickChangesOnlyItsRows();
    void monitorAccountAddedIsOneInsert();
    void monitorStaleFeedIsMarked();

    // What the cells say.
    void prices_data();
    void prices();
    void liquidationPrices_data();
    void liquidationPrices();
    void exchangeLiquidationPrices_data();
    void exchangeLiquidationPrices();
    void noLiquidationPrice();
    void ratios_data();
    void ratios();
    void profitAndLoss_data();
    void profitAndLoss();
    void dataAges_data();
    void dataAges();
    void sides_data();
    void sides();
    void leverage_data();
    void leverage();
    void marginModes();
    void alignment();
    void positionKeys();
    void riskLevels_data();
    void riskLevels();
    void distanceFractions_data();
    void distanceFractions();
    void sortRoleOrdering_data();
    void sortRoleOrdering();
    void sortingThroughAProxy();
    void riskColoursAreReadableOnDark();

    void accounts();
    void accountsUpdateRules();
    void accountSources_data();
    void accountSources();
    void accountsReadOneAfterAnotherShowWhatAFreshModelShows();
    void connections();
    void connectionsUpdateRules();

    void rendersInATable();
    void staticTextDrawsLikeTheStyle();
};

// ---- update rules ---------------------------------------------------------------------------

void TestModels::firstBoardInsertsRows()
{
    Watched<PositionsModel> positions;
    positions.model.setBoard(makeBoard(4));
    QCOMPARE(positions.counts(), QStringLiteral("1 0 0 0"));
    QCOMPARE(positions.inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(positions.inserted.at(0).at(2).toInt(), 3);
    QCOMPARE(positions.model.rowCount(), 4);
    QCOMPARE(positions.model.columnCount(), int(PositionsModel::Count));
    QCOMPARE(positions.text(2, PositionsModel::Symbol), QStringLiteral("P2"));
}

void TestModels::sameBoardTwiceChangesNothing()
{
    Watched<PositionsModel> positions;
    Watched<AccountsModel> accounts;
    const RiskBoard board = makeBoard(4);
    positions.model.setBoard(board);
    accounts.model.setBoard(board);
    positions.clearSpies();
    accounts.clearSpies();
    positions.model.setBoard(board);
    accounts.model.setBoard(board);
    QCOMPARE(positions.counts(), QStringLiteral("0 0 0 0"));
    QCOMPARE(accounts.counts(), QStringLiteral("0 0 0 0"));
    // A later board with the same content (another sequence number) is the same too.
    RiskBoard later = board;
    later.sequence = 99;
    positions.model.setBoard(later);
    QCOMPARE(positions.counts(), QStringLiteral("0 0 0 0"));
}

void TestModels::oneMarkIsOneRangeOnItsCell()
{
    Watched<PositionsModel> positions;
    const RiskBoard board = makeBoard(6);
    positions.model.setBoard(board);
    positions.clearSpies();
    positions.model.setBoard(withLine(board, 2, moveMark));
    QCOMPARE(positions.counts(), QStringLiteral("0 0 0 1"));
    QCOMPARE(rangeOf(positions.changed.at(0)), (QList<int>{2, 2, PositionsModel::Mark, PositionsModel::Mark}));
    QCOMPARE(rolesOf(positions.changed.at(0)), (QList<int>{Qt::DisplayRole, PositionsModel::SortRole}));
    QCOMPARE(positions.text(2, PositionsModel::Mark), QStringLiteral("101.00"));
}

void TestModels::aChangedHoldingIsShown()
{
    // The cells that depend only on what is held are kept from board to board — until it changes.
    Watched<PositionsModel> positions;
    const RiskBoard board = makeBoard(6);
    positions.model.setBoard(board);
    positions.clearSpies();
    positions.model.setBoard(withLine(board, 3, [](PositionLine& line) {
        line.quantity = Decimal::parse("7.5");
        line.symbol = "NEWUSDT";
    }));
    QCOMPARE(positions.counts(), QStringLiteral("0 0 0 1"));
    QCOMPARE(rangeOf(positions.changed.at(0)), (QList<int>{3, 3, PositionsModel::Symbol, PositionsModel::Size}));
    QCOMPARE(positions.text(3, PositionsModel::Size), QStringLiteral("7.5"));
    QCOMPARE(positions.text(3, PositionsModel::Symbol), QStringLiteral("NEWUSDT"));
}

void TestModels::twoSeparateRowsAreTwoRanges()
{
    Watched<PositionsModel> positions;
    const RiskBoard board = makeBoard(6);
    positions.model.setBoard(board);
    positions.clearSpies();
    positions.model.setBoard(withLine(withLine(board, 1, moveMark), 4, moveMark));
    QCOMPARE(positions.counts(), QStringLiteral("0 0 0 2"));
    QCOMPARE(rangeOf(positions.changed.at(0)), (QList<int>{1, 1, PositionsModel::Mark, PositionsModel::Mark}));
    QCOMPARE(rangeOf(positions.changed.at(1)), (QList<int>{4, 4, PositionsModel::Mark, PositionsModel::Mark}));
}

void TestModels::adjacentRowsAreOneRange()
{
    Watched<PositionsModel> positions;
    const RiskBoard board = makeBoard(6);
    positions.model.setBoard(board);
    positions.clearSpies();
    // Different columns in adjacent rows: one range spanning both rows and both columns.
    const auto moveEntry = [](PositionLine& line) { line.entryPrice = Decimal::parse("99"); };
    positions.model.setBoard(withLine(withLine(board, 1, moveMark), 2, moveEntry));
    QCOMPARE(positions.counts(), QStringLiteral("0 0 0 1"));
    QCOMPARE(rangeOf(positions.changed.at(0)), (QList<int>{1, 2, PositionsModel::Entry, PositionsModel::Mark}));
    QCOMPARE(rolesOf(positions.changed.at(0)), (QList<int>{Qt::DisplayRole, PositionsModel::SortRole}));
}

void TestModels::moreThanHalfIsOneWholeRange()
{
    Watched<PositionsModel> positions;
    RiskBoard board = makeBoard(6);
    positions.model.setBoard(board);
    positions.clearSpies();
    for (const std::size_t row : {0, 2, 4, 5}) {
        board = withLine(board, row, moveMark);
    }
    positions.model.setBoard(board);
    QCOMPARE(positions.counts(), QStringLiteral("0 0 0 1"));
    QCOMPARE(rangeOf(positions.changed.at(0)), (QList<int>{0, 5, 0, PositionsModel::Count - 1}));
    QCOMPARE(rolesOf(positions.changed.at(0)), (QList<int>{Qt::DisplayRole, PositionsModel::SortRole}));
}

void TestModels::exactlyHalfIsStillRanges()
{
    Watched<PositionsModel> positions;
    RiskBoard board = makeBoard(6);
    positions.model.setBoard(board);
    positions.clearSpies();
    for (const std::size_t row : {0, 2, 4}) {
        board = withLine(board, row, moveMark);
    }
    positions.model.setBoard(board);
    QCOMPARE(positions.counts(), QStringLiteral("0 0 0 3"));
}

void TestModels::riskLevelChangeSpansTheRow()
{
    Watched<PositionsModel> positions;
    const RiskBoard board = makeBoard(4);
    positions.model.setBoard(board);
    positions.clearSpies();
    positions.model.setBoard(withLine(board, 1, [](PositionLine& line) {
        line.risk.distanceToLiquidationPct = 3.0; // Caution → Danger
        line.risk.distanceToLiquidation = 3.0;
        line.risk.liquidationPrice = 97.0;
    }));
    QCOMPARE(positions.counts(), QStringLiteral("0 0 0 1"));
    QCOMPARE(rangeOf(positions.changed.at(0)), (QList<int>{1, 1, 0, PositionsModel::Count - 1}));
    QCOMPARE(rolesOf(positions.changed.at(0)),
             (QList<int>{Qt::DisplayRole, Qt::ToolTipRole, Qt::ForegroundRole, PositionsModel::SortRole,
                         PositionsModel::RiskLevelRole, PositionsModel::DistanceFractionRole}));
    QCOMPARE(positions.value(1, PositionsModel::Symbol, PositionsModel::RiskLevelRole).toInt(), int(RiskLevel::Danger));
    QCOMPARE(positions.value(1, PositionsModel::Distance, Qt::ForegroundRole).value<QColor>(),
             riskColour(RiskLevel::Danger));
}

void TestModels::timePassingChangesTheAges()
{
    Watched<PositionsModel> positions;
    RiskBoard board = makeBoard(4);
    positions.model.setBoard(board);
    positions.clearSpies();
    board.takenAt += 1s;
    positions.model.setBoard(board);
    QCOMPARE(positions.counts(), QStringLiteral("0 0 0 1"));
    QCOMPARE(rangeOf(positions.changed.at(0)), (QList<int>{0, 3, 0, PositionsModel::Count - 1}));
    QCOMPARE(rolesOf(positions.changed.at(0)),
             (QList<int>{Qt::DisplayRole, Qt::ToolTipRole, PositionsModel::SortRole}));
    QCOMPARE(positions.text(0, PositionsModel::DataAge), QStringLiteral("1.3 s"));
}

void TestModels::positionAddedIsOneInsert()
{
    Watched<PositionsModel> positions;
    RiskBoard board = makeBoard(3);
    board.positions.push_back(makeLine(1, 0, "OTHER"));
    positions.model.setBoard(board);
    positions.clearSpies();
    // A fourth position in the first account: between (0, 2) and (1, 0).
    board.positions.insert(board.positions.begin() + 3, makeLine(0, 3, "NEW"));
    positions.model.setBoard(board);
    QCOMPARE(positions.counts(), QStringLiteral("1 0 0 0"));
    QCOMPARE(positions.inserted.at(0).at(1).toInt(), 3);
    QCOMPARE(positions.inserted.at(0).at(2).toInt(), 3);
    QCOMPARE(positions.text(3, PositionsModel::Symbol), QStringLiteral("NEW"));
    QCOMPARE(positions.text(4, PositionsModel::Symbol), QStringLiteral("OTHER"));
}

void TestModels::positionAddedWhileAnotherChanged()
{
    Watched<PositionsModel> positions;
    RiskBoard board = makeBoard(4);
    positions.model.setBoard(board);
    positions.clearSpies();
    board.positions.insert(board.positions.begin(), makeLine(0, 9, "NEW")); // hand-made: keys need not be sorted
    board = withLine(board, 3, moveMark);                                   // P2, now on row 3
    positions.model.setBoard(board);
    QCOMPARE(positions.counts(), QStringLiteral("1 0 0 1"));
    QCOMPARE(positions.inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(rangeOf(positions.changed.at(0)), (QList<int>{3, 3, PositionsModel::Mark, PositionsModel::Mark}));
    QCOMPARE(positions.text(3, PositionsModel::Symbol), QStringLiteral("P2"));
}

void TestModels::positionRemovedIsOneRemove()
{
    Watched<PositionsModel> positions;
    RiskBoard board = makeBoard(4);
    positions.model.setBoard(board);
    positions.clearSpies();
    board.positions.erase(board.positions.begin() + 1);
    positions.model.setBoard(board);
    QCOMPARE(positions.counts(), QStringLiteral("0 1 0 0"));
    QCOMPARE(positions.removed.at(0).at(1).toInt(), 1);
    QCOMPARE(positions.removed.at(0).at(2).toInt(), 1);
    QCOMPARE(positions.model.rowCount(), 3);
    QCOMPARE(positions.text(1, PositionsModel::Symbol), QStringLiteral("P2"));
}

void TestModels::separateRemovalsAreSeparateSignals()
{
    Watched<PositionsModel> positions;
    RiskBoard board = makeBoard(6);
    positions.model.setBoard(board);
    positions.clearSpies();
    board.positions.erase(board.positions.begin() + 4, board.positions.begin() + 6); // P4, P5
    board.positions.erase(board.positions.begin() + 1);                              // P1
    positions.model.setBoard(board);
    QCOMPARE(positions.counts(), QStringLiteral("0 2 0 0"));
    QCOMPARE(positions.removed.at(0).at(1).toInt(), 4); // from the bottom up
    QCOMPARE(positions.removed.at(0).at(2).toInt(), 5);
    QCOMPARE(positions.removed.at(1).at(1).toInt(), 1);
    QCOMPARE(positions.model.rowCount(), 3);
}

void TestModels::wholeSetChangedIsOneReset()
{
    Watched<PositionsModel> positions;
    positions.model.setBoard(makeBoard(3));
    positions.clearSpies();
    RiskBoard other = makeBoard(0);
    for (std::size_t index = 0; index < 2; ++index) {
        other.positions.push_back(makeLine(5, index, "X" + std::to_string(index)));
    }
    positions.model.setBoard(other);
    QCOMPARE(positions.counts(), QStringLiteral("0 0 1 0"));
    QCOMPARE(positions.model.rowCount(), 2);
    QCOMPARE(positions.text(1, PositionsModel::Symbol), QStringLiteral("X1"));
}

void TestModels::emptyBoardRemovesEveryRow()
{
    Watched<PositionsModel> positions;
    positions.model.setBoard(makeBoard(3));
    positions.clearSpies();
    positions.model.setBoard(makeBoard(0));
    QCOMPARE(positions.counts(), QStringLiteral("0 1 0 0"));
    QCOMPARE(positions.model.rowCount(), 0);
}

void TestModels::oneChangeIsOneRangeWithItsRoles_data()
{
    // What a cell says is written from the position's figures: a board names the roles whose figures
    // changed, in the columns that show them — a tooltip alone when only a tooltip's figure moved.
    QTest::addColumn<BoardChange>("change"); // to row 2
    QTest::addColumn<int>("firstColumn");
    QTest::addColumn<int>("lastColumn");
    QTest::addColumn<QList<int>>("roles");
    using Model = PositionsModel;
    const auto add = [](const char* name, Model::Column first, Model::Column last, const QList<int>& roles,
                        std::function<void(PositionLine&)> change) {
        QTest::newRow(name) << BoardChange([change](RiskBoard& board) { change(board.positions[2]); }) << int(first)
                            << int(last) << roles;
    };
    const QList<int> shown{Qt::DisplayRole, Model::SortRole};
    const QList<int> tip{Qt::ToolTipRole};
    const QList<int> shownAndTip{Qt::DisplayRole, Qt::ToolTipRole, Model::SortRole};
    add("entry", Model::Entry, Model::Entry, shown, [](PositionLine& line) { line.entryPrice = Decimal::parse("99"); });
    add("a mark counted: the age's tooltip", Model::DataAge, Model::DataAge, tip,
        [](PositionLine& line) { line.ticks = 6; });
    add("effective leverage, leverage set: the tooltip", Model::Leverage, Model::Leverage, tip,
        [](PositionLine& line) { line.effectiveLeverage = 4.5; });
    add("effective leverage, none set: shown", Model::Leverage, Model::Leverage, shownAndTip, [](PositionLine& line) {
        line.leverage.reset();
        line.effectiveLeverage = 4.5;
    });
    add("the move in price: the distance's tooltip", Model::Distance, Model::Distance, tip,
        [](PositionLine& line) { line.risk.distanceToLiquidation = 11.5; });
    add("tick size: every price and the distance's tooltip", Model::Entry, Model::Distance,
        {Qt::DisplayRole, Qt::ToolTipRole}, [](PositionLine& line) { line.tickSize = Decimal::parse("0.1"); });
    add("margin mode: its cell and the ratio's tooltip", Model::MarginRatio, Model::MarginMode, shownAndTip,
        [](PositionLine& line) { line.marginMode = MarginMode::Isolated; });
    add("a hedge leg", Model::Side, Model::Side, shownAndTip,
        [](PositionLine& line) { line.positionSide = PositionSide::Long; });
    add("unrealised PnL", Model::UnrealizedPnl, Model::UnrealizedPnl, shown,
        [](PositionLine& line) { line.risk.unrealizedPnl = Decimal::parse("-12.5"); });
}

void TestModels::oneChangeIsOneRangeWithItsRoles()
{
    QFETCH(BoardChange, change);
    QFETCH(int, firstColumn);
    QFETCH(int, lastColumn);
    QFETCH(QList<int>, roles);
    Watched<PositionsModel> positions;
    RiskBoard board = makeBoard(6);
    positions.model.setBoard(board);
    positions.clearSpies();
    change(board);
    positions.model.setBoard(board);
    QCOMPARE(positions.counts(), QStringLiteral("0 0 0 1"));
    QCOMPARE(rangeOf(positions.changed.at(0)), (QList<int>{2, 2, firstColumn, lastColumn}));
    QCOMPARE(rolesOf(positions.changed.at(0)), roles);
}

void TestModels::aStaleFeedChangesTheToolTips()
{
    // Tooltips are written when asked for, from the figures of the latest board.
    Watched<PositionsModel> positions;
    RiskBoard board = makeBoard(4);
    positions.model.setBoard(board);
    QVERIFY(!positions.value(2, PositionsModel::Mark, Qt::ToolTipRole).isValid()); // fresh: nothing to say
    positions.clearSpies();
    board.positions[2].feed = FeedState::Stale; // 12 %: already Caution, so the level stays
    positions.model.setBoard(board);
    QCOMPARE(positions.counts(), QStringLiteral("0 0 0 1"));
    QCOMPARE(rangeOf(positions.changed.at(0)), (QList<int>{2, 2, PositionsModel::Mark, PositionsModel::DataAge}));
    QCOMPARE(rolesOf(positions.changed.at(0)),
             (QList<int>{Qt::DisplayRole, Qt::ToolTipRole, Qt::ForegroundRole, PositionsModel::SortRole}));
    QCOMPARE(positions.value(2, PositionsModel::Mark, Qt::ToolTipRole).toString(),
             QStringLiteral("Stale: no mark price for 0.3 s; it may no longer be true."));
    QVERIFY(positions.value(2, PositionsModel::Distance, Qt::ToolTipRole)
                .toString()
                .endsWith(QStringLiteral("The feed is stale.")));
    QCOMPARE(positions.text(2, PositionsModel::DataAge), QStringLiteral("STALE 0.3 s"));
}

void TestModels::theMarksMagnitudeSetsThePrecision()
{
    // Without a tick size the mark's magnitude sets the decimals of every price of the row: a mark
    // passing 1,000 rewrites them all.
    Watched<PositionsModel> positions;
    RiskBoard board = makeBoard(3);
    PositionLine& line = board.positions[1]; // 11 % from liquidation, at 89
    line.tickSize = Decimal();
    line.markPrice = Decimal::parse("999.99");
    positions.model.setBoard(board);
    QCOMPARE(positions.text(1, PositionsModel::Entry), QStringLiteral("100.0000"));
    positions.clearSpies();
    line.markPrice = Decimal::parse("1000.5");
    positions.model.setBoard(board);
    QCOMPARE(positions.counts(), QStringLiteral("0 0 0 1"));
    QCOMPARE(rangeOf(positions.changed.at(0)), (QList<int>{1, 1, PositionsModel::Entry, PositionsModel::Distance}));
    QCOMPARE(rolesOf(positions.changed.at(0)),
             (QList<int>{Qt::DisplayRole, Qt::ToolTipRole, PositionsModel::SortRole}));
    QCOMPARE(positions.text(1, PositionsModel::Entry), QStringLiteral("100.00"));
    QCOMPARE(positions.text(1, PositionsModel::Mark), QStringLiteral("1,000.50"));
    QCOMPARE(positions.text(1, PositionsModel::LiquidationPrice), QStringLiteral("89.00"));
}

void TestModels::everyChangedCellIsSignalled_data()
{
    // For each change: the model that saw the board before shows, after it, exactly what a new model
    // shown the same board shows (no text kept too long), and every cell and role that differs from
    // before lies in a dataChanged that names the role.
    QTest::addColumn<BoardChange>("change");
    QTest::addColumn<int>("expectedSignals"); // dataChanged
    const auto add = [](const char* name, std::function<void(PositionLine&)> change) {
        QTest::newRow(name) << BoardChange([change](RiskBoard& board) { change(board.positions[1]); }) << 1;
    };
    add("mark", moveMark);
    add("entry", [](PositionLine& line) { line.entryPrice = Decimal::parse("98.5"); });
    add("size", [](PositionLine& line) { line.quantity = Decimal::parse("-3"); });
    add("symbol", [](PositionLine& line) { line.symbol = "OTHER"; });
    add("account label", [](PositionLine& line) { line.accountLabel = "second"; });
    add("venue", [](PositionLine& line) { line.venue = Venue::OkxSwap; });
    add("side", [](PositionLine& line) { line.side = Side::Short; });
    add("hedge leg", [](PositionLine& line) { line.positionSide = PositionSide::Short; });
    add("margin mode", [](PositionLine& line) { line.marginMode = MarginMode::Isolated; });
    add("tick size", [](PositionLine& line) { line.tickSize = Decimal::parse("0.5"); });
    add("no tick size: the mark's magnitude", [](PositionLine& line) {
        line.tickSize = Decimal();
        line.markPrice = Decimal::parse("1500");
    });
    add("liquidation price", [](PositionLine& line) { line.risk.liquidationPrice = 88.25; });
    add("liquidation price gone", [](PositionLine& line) {
        line.risk.liquidationPrice.reset();
        line.risk.distanceToLiquidation.reset();
        line.risk.distanceToLiquidationPct.reset();
    });
    add("liquidation due", [](PositionLine& line) { line.risk.liquidationDue = true; });
    add("read from the exchange", [](PositionLine& line) { line.source = AccountSource::Exchange; });
    add("the exchange's liquidation price", [](PositionLine& line) {
        line.source = AccountSource::Exchange;
        line.exchangeLiquidationPrice = Decimal::parse("89.9");
    });
    add("the exchange's margin ratio", [](PositionLine& line) {
        line.source = AccountSource::Exchange;
        line.exchangeMarginRatio = Decimal::parse("8.5");
    });
    add("diverging from the exchange's", [](PositionLine& line) {
        line.source = AccountSource::Exchange;
        line.exchangeLiquidationPrice = Decimal::parse("80");
        line.liquidationDiverges = true;
    });
    add("distance, same level", [](PositionLine& line) { line.risk.distanceToLiquidationPct = 12.5; });
    add("distance, new level", [](PositionLine& line) { line.risk.distanceToLiquidationPct = 4.0; });
    add("distance not a number", [](PositionLine& line) { line.risk.distanceToLiquidationPct = std::nan(""); });
    add("move in price", [](PositionLine& line) { line.risk.distanceToLiquidation = 3.25; });
    add("margin ratio", [](PositionLine& line) { line.risk.marginRatio = 0.42; });
    add("margin ratio beyond", [](PositionLine& line) { line.risk.marginRatio = kInfinity; });
    add("unrealised PnL", [](PositionLine& line) { line.risk.unrealizedPnl = Decimal::parse("7"); });
    add("leverage gone", [](PositionLine& line) { line.leverage.reset(); });
    add("effective leverage", [](PositionLine& line) { line.effectiveLeverage = 2.25; });
    add("no leverage at all", [](PositionLine& line) {
        line.leverage.reset();
        line.effectiveLeverage.reset();
    });
    add("stale", [](PositionLine& line) { line.feed = FeedState::Stale; });
    add("stale without a mark", [](PositionLine& line) {
        line.feed = FeedState::Stale;
        line.ticks = 0;
    });
    add("waiting", [](PositionLine& line) {
        line.feed = FeedState::Waiting;
        line.ticks = 0;
    });
    add("a later mark", [](PositionLine& line) {
        line.lastTickAt += 200ms;
        line.ticks += 1;
    });
    QTest::newRow("time passes: every row") << BoardChange([](RiskBoard& board) { board.takenAt += 15s; }) << 1;
}

void TestModels::everyChangedCellIsSignalled()
{
    QFETCH(BoardChange, change);
    QFETCH(int, expectedSignals);
    RiskBoard board = makeBoard(4);
    Watched<PositionsModel> positions;
    positions.model.setBoard(board);
    const QMap<QString, QVariant> before = cellsOf(positions.model); // every text written once
    positions.clearSpies();
    change(board);
    positions.model.setBoard(board);
    QCOMPARE(positions.counts(), QStringLiteral("0 0 0 %1").arg(expectedSignals));

    const QMap<QString, QVariant> after = cellsOf(positions.model);
    PositionsModel fresh;
    fresh.setBoard(board);
    const QMap<QString, QVariant> shownFresh = cellsOf(fresh);
    for (auto cell = after.begin(); cell != after.end(); ++cell) {
        QVERIFY2(cell.value() == shownFresh.value(cell.key()),
                 qPrintable(QStringLiteral("row column role %1 kept %2, not %3")
                                .arg(cell.key(), cell.value().toString(), shownFresh.value(cell.key()).toString())));
    }
    for (auto cell = after.begin(); cell != after.end(); ++cell) {
        if (cell.value() == before.value(cell.key())) {
            continue;
        }
        const QStringList where = cell.key().split(QLatin1Char(' '));
        QVERIFY2(signalled(positions.changed, where[0].toInt(), where[1].toInt(), where[2].toInt()),
                 qPrintable(QStringLiteral("row %1, column %2, role %3 changed unsignalled: %4 → %5")
                                .arg(where[0], where[1], where[2], before.value(cell.key()).toString(),
                                     cell.value().toString())));
    }
}

// ---- from a real monitor ----------------------------------------------------------------------

void TestModels::monitorTickChangesOnlyItsRows()
{
    ManualClock clock;
    Monitor monitor(clock);
    monitor.addAccount(readPortfolio(kBinanceCrossAndIsolated));
    monitor.addAccount(readPortfolio(kOkxShort));
    Watched<PositionsModel> positions;
    Watched<AccountsModel> accounts;
    const RiskBoard first = takeRiskBoard(monitor, nullptr, clock.now(), 1);
    positions.model.setBoard(first);
    accounts.model.setBoard(first);
    QCOMPARE(positions.counts(), QStringLiteral("1 0 0 0"));
    QCOMPARE(accounts.counts(), QStringLiteral("1 0 0 0"));
    QCOMPARE(positions.model.rowCount(), 4);
    QCOMPARE(positions.text(3, PositionsModel::DataAge), QStringLiteral("waiting"));
    QCOMPARE(positions.text(0, PositionsModel::Exchange), QStringLiteral("Binance"));
    QCOMPARE(positions.text(0, PositionsModel::Leverage), QStringLiteral("20×"));
    // No leverage in the file: the effective one, 30 × 3,100 over the margin balance 40,000 + 2,000 − 3,000.
    QCOMPARE(positions.text(1, PositionsModel::Leverage), QStringLiteral("≈2.4×"));
    QCOMPARE(positions.text(2, PositionsModel::MarginMode), QStringLiteral("Isolated"));
    QCOMPARE(positions.text(3, PositionsModel::Side), QStringLiteral("Short"));
    positions.clearSpies();
    accounts.clearSpies();

    clock.advance(200ms);
    monitor.applyTick(okxTick(clock, "61000"));
    clock.advance(100ms);
    const RiskBoard second = takeRiskBoard(monitor, nullptr, clock.now(), 2);
    positions.model.setBoard(second);
    accounts.model.setBoard(second);
    // Only the OKX position (and account) moved; the Binance rows still wait for their first mark.
    QCOMPARE(positions.counts(), QStringLiteral("0 0 0 1"));
    QCOMPARE(rangeOf(positions.changed.at(0)).mid(0, 2), (QList<int>{3, 3}));
    const QList<int> roles = rolesOf(positions.changed.at(0));
    QVERIFY(roles.contains(Qt::DisplayRole));
    QVERIFY(roles.contains(PositionsModel::SortRole));
    QCOMPARE(positions.text(3, PositionsModel::Mark), QStringLiteral("61,000.00"));
    QCOMPARE(positions.text(3, PositionsModel::DataAge), QStringLiteral("0.1 s"));
    QCOMPARE(positions.text(3, PositionsModel::UnrealizedPnl), QStringLiteral("-500.00"));
    QCOMPARE(accounts.counts(), QStringLiteral("0 0 0 1"));
    QCOMPARE(rangeOf(accounts.changed.at(0)).mid(0, 2), (QList<int>{1, 1}));

    // The same board again: nothing.
    positions.clearSpies();
    accounts.clearSpies();
    positions.model.setBoard(takeRiskBoard(monitor, nullptr, clock.now(), 3));
    accounts.model.setBoard(takeRiskBoard(monitor, nullptr, clock.now(), 3));
    QCOMPARE(positions.counts(), QStringLiteral("0 0 0 0"));
    QCOMPARE(accounts.counts(), QStringLiteral("0 0 0 0"));
}

void TestModels::monitorAccountAddedIsOneInsert()
{
    ManualClock clock;
    Monitor monitor(clock);
    monitor.addAccount(readPortfolio(kBinanceCrossAndIsolated));
    Watched<PositionsModel> positions;
    Watched<AccountsModel> accounts;
    positions.model.setBoard(takeRiskBoard(monitor, nullptr, clock.now(), 1));
    accounts.model.setBoard(takeRiskBoard(monitor, nullptr, clock.now(), 1));
    positions.clearSpies();
    accounts.clearSpies();
    monitor.addAccount(readPortfolio(kOkxShort));
    const RiskBoard board = takeRiskBoard(monitor, nullptr, clock.now(), 2);
    positions.model.setBoard(board);
    accounts.model.setBoard(board);
    QCOMPARE(positions.counts(), QStringLiteral("1 0 0 0"));
    QCOMPARE(positions.inserted.at(0).at(1).toInt(), 3);
    QCOMPARE(positions.inserted.at(0).at(2).toInt(), 3);
    QCOMPARE(positions.text(3, PositionsModel::Exchange), QStringLiteral("OKX"));
    QCOMPARE(positions.model.rowOf(1, 0), 3);
    QCOMPARE(accounts.counts(), QStringLiteral("1 0 0 0"));
    QCOMPARE(accounts.model.rowOf(1), 1);
}

void TestModels::monitorStaleFeedIsMarked()
{
    ManualClock clock;
    Monitor monitor(clock);
    monitor.addAccount(readPortfolio(kOkxSafe));
    monitor.setExpectedInterval(Venue::OkxSwap, 100ms);
    monitor.applyTick(okxTick(clock, "60000"));
    Watched<PositionsModel> positions;
    positions.model.setBoard(takeRiskBoard(monitor, nullptr, clock.now(), 1));
    QCOMPARE(positions.text(0, PositionsModel::DataAge), QStringLiteral("0.0 s"));
    const int freshLevel = positions.value(0, 0, PositionsModel::RiskLevelRole).toInt();
    QCOMPARE(freshLevel, int(RiskLevel::Safe));
    positions.clearSpies();

    clock.advance(12s);
    monitor.checkFreshness();
    positions.model.setBoard(takeRiskBoard(monitor, nullptr, clock.now(), 2));
    QCOMPARE(positions.counts(), QStringLiteral("0 0 0 1"));
    QCOMPARE(positions.text(0, PositionsModel::DataAge), QStringLiteral("STALE 12 s"));
    QCOMPARE(positions.value(0, 0, PositionsModel::RiskLevelRole).toInt(), int(RiskLevel::Caution));
    QVERIFY(positions.value(0, PositionsModel::DataAge, Qt::ToolTipRole).toString().contains(QStringLiteral("Stale")));
    QVERIFY(rolesOf(positions.changed.at(0)).contains(PositionsModel::RiskLevelRole));
}

// ---- what the cells say -------------------------------------------------------------------------

void TestModels::prices_data()
{
    QTest::addColumn<QString>("tick");
    QTest::addColumn<QString>("price");
    QTest::addColumn<QString>("expected");
    QTest::newRow("tick 0.1") << "0.1"
                              << "61000.17"
                              << "61,000.2";
    QTest::newRow("tick 0.10 is 0.1") << "0.10"
                                      << "61000"
                                      << "61,000.0";
    QTest::newRow("tick 0.01") << "0.01"
                               << "3100.5"
                               << "3,100.50";
    QTest::newRow("tick 0.5") << "0.5"
                              << "150.5"
                              << "150.5";
    QTest::newRow("tick 1") << "1"
                            << "61000.7"
                            << "61,001";
    QTest::newRow("tick 0.0001 small price") << "0.0001"
                                             << "0.5"
                                             << "0.5000";
    QTest::newRow("tick 0.00001") << "0.00001"
                                  << "0.12345"
                                  << "0.12345";
    QTest::newRow("half to even") << "0.01"
                                  << "2.675"
                                  << "2.68";
    QTest::newRow("millions") << "0.1"
                              << "1234567.8"
                              << "1,234,567.8";
    QTest::newRow("no tick, >= 1000") << ""
                                      << "61000"
                                      << "61,000.00";
    QTest::newRow("no tick, exactly 1000") << ""
                                           << "1000"
                                           << "1,000.00";
    QTest::newRow("no tick, >= 1") << ""
                                   << "140.5"
                                   << "140.5000";
    QTest::newRow("no tick, just below 1000") << ""
                                              << "999.99"
                                              << "999.9900";
    QTest::newRow("no tick, below 1") << ""
                                      << "0.123456789"
                                      << "0.123457";
}

void TestModels::prices()
{
    QFETCH(QString, tick);
    QFETCH(QString, price);
    QFETCH(QString, expected);
    RiskBoard board = makeBoard(1);
    PositionLine& line = board.positions[0];
    line.tickSize = tick.isEmpty() ? Decimal() : Decimal::parse(tick.toStdString());
    line.markPrice = Decimal::parse(price.toStdString());
    line.entryPrice = line.markPrice;
    Watched<PositionsModel> positions;
    positions.model.setBoard(board);
    QCOMPARE(positions.text(0, PositionsModel::Mark), expected);
    QCOMPARE(positions.text(0, PositionsModel::Entry), expected);
    QCOMPARE(positions.value(0, PositionsModel::Mark, PositionsModel::SortRole).toDouble(), line.markPrice.toDouble());
    QCOMPARE(positions.text(0, PositionsModel::Size), QStringLiteral("2")); // as given
}

void TestModels::liquidationPrices_data()
{
    QTest::addColumn<QString>("tick");
    QTest::addColumn<QString>("mark");
    QTest::addColumn<double>("liquidationPrice");
    QTest::addColumn<QString>("expected");
    QTest::newRow("tick 0.1") << "0.1"
                              << "61000" << 57123.456 << "57,123.5";
    QTest::newRow("tick 0.0001") << "0.0001"
                                 << "0.5" << 0.61234567 << "0.6123";
    QTest::newRow("no tick: the mark's magnitude") << ""
                                                   << "1050" << 950.5 << "950.50";
    QTest::newRow("no tick, small") << ""
                                    << "0.02" << 0.0123456789 << "0.012346";
}

void TestModels::liquidationPrices()
{
    QFETCH(QString, tick);
    QFETCH(QString, mark);
    QFETCH(double, liquidationPrice);
    QFETCH(QString, expected);
    RiskBoard board = makeBoard(1);
    PositionLine& line = board.positions[0];
    line.tickSize = tick.isEmpty() ? Decimal() : Decimal::parse(tick.toStdString());
    line.markPrice = Decimal::parse(mark.toStdString());
    line.risk.liquidationPrice = liquidationPrice;
    Watched<PositionsModel> positions;
    positions.model.setBoard(board);
    QCOMPARE(positions.text(0, PositionsModel::LiquidationPrice), expected);
    QCOMPARE(positions.value(0, PositionsModel::LiquidationPrice, PositionsModel::SortRole).toDouble(),
             liquidationPrice);
}

void TestModels::exchangeLiquidationPrices_data()
{
    QTest::addColumn<bool>("fromExchange");
    QTest::addColumn<QString>("reported"); // "": the exchange reports none
    QTest::addColumn<bool>("diverges");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("tipHas");
    QTest::addColumn<double>("sort");
    QTest::newRow("file position") << false << "" << false << "" << "file" << 90.0;
    QTest::newRow("reported, agrees") << true << "90.05" << false << "90.05" << "latest account read" << 90.05;
    QTest::newRow("reported, diverges") << true << "85" << true << "85.00 ≠" << "differs from the computed 90.00"
                                        << 85.0;
    QTest::newRow("none reported: computed stands in") << true << "" << false << "90.00 (computed)" << "stands in"
                                                       << 90.0;
}

void TestModels::exchangeLiquidationPrices()
{
    QFETCH(bool, fromExchange);
    QFETCH(QString, reported);
    QFETCH(bool, diverges);
    QFETCH(QString, text);
    QFETCH(QString, tipHas);
    QFETCH(double, sort);
    RiskBoard board = makeBoard(1);
    PositionLine& line = board.positions[0];
    line.source = fromExchange ? AccountSource::Exchange : AccountSource::File;
    if (!reported.isEmpty()) {
        line.exchangeLiquidationPrice = Decimal::parse(reported.toStdString());
    }
    line.liquidationDiverges = diverges;
    Watched<PositionsModel> positions;
    positions.model.setBoard(board);
    QCOMPARE(positions.text(0, PositionsModel::ExchangeLiquidationPrice), text);
    QVERIFY2(positions.value(0, PositionsModel::ExchangeLiquidationPrice, Qt::ToolTipRole).toString().contains(tipHas),
             qPrintable(positions.value(0, PositionsModel::ExchangeLiquidationPrice, Qt::ToolTipRole).toString()));
    QCOMPARE(positions.value(0, PositionsModel::ExchangeLiquidationPrice, PositionsModel::SortRole).toDouble(), sort);
    QCOMPARE(positions.value(0, PositionsModel::ExchangeLiquidationPrice, Qt::ForegroundRole).isValid(), diverges);
    // The exchange's own margin ratio, where it gives one, beside the monitor's.
    board.positions[0].exchangeMarginRatio = Decimal::parse("12.34");
    positions.model.setBoard(board);
    QVERIFY(positions.value(0, PositionsModel::MarginRatio, Qt::ToolTipRole).toString().contains(QStringLiteral("The exchange reports 12.34")));
}

void TestModels::noLiquidationPrice()
{
    RiskBoard board = makeBoard(1);
    PositionLine& line = board.positions[0];
    line.risk.liquidationPrice.reset();
    line.risk.distanceToLiquidation.reset();
    line.risk.distanceToLiquidationPct.reset();
    Watched<PositionsModel> positions;
    positions.model.setBoard(board);
    QCOMPARE(positions.text(0, PositionsModel::LiquidationPrice), QStringLiteral("—"));
    QCOMPARE(positions.text(0, PositionsModel::Distance), QStringLiteral("—"));
    QCOMPARE(positions.value(0, PositionsModel::LiquidationPrice, Qt::ToolTipRole).toString(),
             QStringLiteral("No liquidation price: no price liquidates this position."));
    QVERIFY(positions.value(0, PositionsModel::Distance, Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("no price liquidates")));
    QCOMPARE(positions.value(0, PositionsModel::LiquidationPrice, PositionsModel::SortRole).toDouble(), kInfinity);
    QCOMPARE(positions.value(0, PositionsModel::Distance, PositionsModel::SortRole).toDouble(), kInfinity);
    QCOMPARE(positions.value(0, 0, PositionsModel::DistanceFractionRole).toDouble(), 1.0);
    QCOMPARE(positions.value(0, 0, PositionsModel::RiskLevelRole).toInt(), int(RiskLevel::Safe));
}

void TestModels::ratios_data()
{
    QTest::addColumn<double>("ratio");
    QTest::addColumn<QString>("expected");
    QTest::newRow("quarter") << 0.25 << "25.00%";
    QTest::newRow("rounded") << 0.123456 << "12.35%";
    QTest::newRow("zero") << 0.0 << "0.00%";
    QTest::newRow("at liquidation") << 1.0 << "100.00%";
    QTest::newRow("infinite: beyond") << kInfinity << "beyond";
}

void TestModels::ratios()
{
    QFETCH(double, ratio);
    QFETCH(QString, expected);
    RiskBoard board = makeBoard(1);
    board.positions[0].risk.marginRatio = ratio;
    board.accounts[0].risk.marginRatio = ratio;
    Watched<PositionsModel> positions;
    Watched<AccountsModel> accounts;
    positions.model.setBoard(board);
    accounts.model.setBoard(board);
    QCOMPARE(positions.text(0, PositionsModel::MarginRatio), expected);
    QCOMPARE(accounts.text(0, AccountsModel::MarginRatio), expected);
    QCOMPARE(positions.value(0, PositionsModel::MarginRatio, PositionsModel::SortRole).toDouble(), ratio);
}

void TestModels::profitAndLoss_data()
{
    QTest::addColumn<QString>("pnl");
    QTest::addColumn<QString>("expected");
    QTest::newRow("profit") << "1234.567"
                            << "+1,234.57";
    QTest::newRow("loss") << "-3000"
                          << "-3,000.00";
    QTest::newRow("zero") << "0"
                          << "0.00";
    QTest::newRow("a loss that rounds to zero") << "-0.001"
                                                << "0.00";
}

void TestModels::profitAndLoss()
{
    QFETCH(QString, pnl);
    QFETCH(QString, expected);
    RiskBoard board = makeBoard(1);
    board.positions[0].risk.unrealizedPnl = Decimal::parse(pnl.toStdString());
    board.accounts[0].risk.unrealizedPnl = Decimal::parse(pnl.toStdString());
    Watched<PositionsModel> positions;
    Watched<AccountsModel> accounts;
    positions.model.setBoard(board);
    accounts.model.setBoard(board);
    QCOMPARE(positions.text(0, PositionsModel::UnrealizedPnl), expected);
    QCOMPARE(accounts.text(0, AccountsModel::UnrealizedPnl), expected);
}

void TestModels::dataAges_data()
{
    QTest::addColumn<int>("feed");
    QTest::addColumn<int>("ticks");
    QTest::addColumn<int>("ageMs");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<double>("sortValue");
    const int fresh = int(FeedState::Fresh);
    const int stale = int(FeedState::Stale);
    const int waiting = int(FeedState::Waiting);
    QTest::newRow("0.3 s") << fresh << 5 << 300 << "0.3 s" << 0.3;
    QTest::newRow("just under 10 s, rounded down") << fresh << 5 << 9960 << "9.9 s" << 9.96;
    QTest::newRow("12 s") << fresh << 5 << 12'400 << "12 s" << 12.4;
    QTest::newRow("59.9 s") << fresh << 5 << 59'900 << "59 s" << 59.9;
    QTest::newRow("3 min") << fresh << 5 << 200'000 << "3 min" << 200.0;
    QTest::newRow("2 h") << fresh << 5 << 7'300'000 << "2 h" << 7300.0;
    QTest::newRow("ahead of the board counts as 0") << fresh << 5 << -50 << "0.0 s" << 0.0;
    QTest::newRow("waiting") << waiting << 0 << 5000 << "waiting" << kInfinity;
    QTest::newRow("stale") << stale << 5 << 12'000 << "STALE 12 s" << 12.0;
    QTest::newRow("stale without a mark") << stale << 0 << 5000 << "STALE, no mark" << kInfinity;
}

void TestModels::dataAges()
{
    QFETCH(int, feed);
    QFETCH(int, ticks);
    QFETCH(int, ageMs);
    QFETCH(QString, expected);
    QFETCH(double, sortValue);
    RiskBoard board = makeBoard(1);
    PositionLine& line = board.positions[0];
    line.feed = FeedState(feed);
    line.ticks = std::uint64_t(ticks);
    line.lastTickAt = board.takenAt - std::chrono::milliseconds(ageMs);
    Watched<PositionsModel> positions;
    positions.model.setBoard(board);
    QCOMPARE(positions.text(0, PositionsModel::DataAge), expected);
    QCOMPARE(positions.value(0, PositionsModel::DataAge, PositionsModel::SortRole).toDouble(), sortValue);
    const bool isStale = FeedState(feed) == FeedState::Stale;
    QCOMPARE(positions.value(0, PositionsModel::DataAge, Qt::ForegroundRole).value<QColor>() ==
                 riskColour(RiskLevel::Caution),
             isStale);
}

void TestModels::sides_data()
{
    QTest::addColumn<int>("side");
    QTest::addColumn<int>("positionSide");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<bool>("hedgeTip");
    QTest::newRow("long") << int(Side::Long) << int(PositionSide::Both) << "Long" << false;
    QTest::newRow("short") << int(Side::Short) << int(PositionSide::Both) << "Short" << false;
    QTest::newRow("hedge long leg") << int(Side::Long) << int(PositionSide::Long) << "Long (hedge)" << true;
    QTest::newRow("hedge short leg") << int(Side::Short) << int(PositionSide::Short) << "Short (hedge)" << true;
}

void TestModels::sides()
{
    QFETCH(int, side);
    QFETCH(int, positionSide);
    QFETCH(QString, expected);
    QFETCH(bool, hedgeTip);
    RiskBoard board = makeBoard(1);
    board.positions[0].side = Side(side);
    board.positions[0].positionSide = PositionSide(positionSide);
    Watched<PositionsModel> positions;
    positions.model.setBoard(board);
    QCOMPARE(positions.text(0, PositionsModel::Side), expected);
    QCOMPARE(positions.value(0, PositionsModel::Side, PositionsModel::SortRole).toString(), expected);
    QCOMPARE(positions.value(0, PositionsModel::Side, Qt::ToolTipRole).isValid(), hedgeTip);
}

void TestModels::leverage_data()
{
    QTest::addColumn<QString>("set");
    QTest::addColumn<double>("effective"); // NaN: none
    QTest::addColumn<QString>("expected");
    QTest::addColumn<double>("sortValue");
    const double none = std::nan("");
    QTest::newRow("as set") << "20" << 3.5 << "20×" << 20.0;
    QTest::newRow("as set, fractional") << "12.5" << 3.5 << "12.5×" << 12.5;
    QTest::newRow("effective") << "" << 3.46 << "≈3.5×" << 3.46;
    QTest::newRow("margin gone") << "" << none << "—" << kInfinity;
}

void TestModels::leverage()
{
    QFETCH(QString, set);
    QFETCH(double, effective);
    QFETCH(QString, expected);
    QFETCH(double, sortValue);
    RiskBoard board = makeBoard(1);
    PositionLine& line = board.positions[0];
    line.leverage = set.isEmpty() ? std::nullopt : std::optional(Decimal::parse(set.toStdString()));
    line.effectiveLeverage = std::isnan(effective) ? std::nullopt : std::optional(effective);
    Watched<PositionsModel> positions;
    positions.model.setBoard(board);
    QCOMPARE(positions.text(0, PositionsModel::Leverage), expected);
    QCOMPARE(positions.value(0, PositionsModel::Leverage, PositionsModel::SortRole).toDouble(), sortValue);
}

void TestModels::marginModes()
{
    RiskBoard board = makeBoard(2);
    board.positions[1].marginMode = MarginMode::Isolated;
    Watched<PositionsModel> positions;
    positions.model.setBoard(board);
    QCOMPARE(positions.text(0, PositionsModel::MarginMode), QStringLiteral("Cross"));
    QCOMPARE(positions.text(1, PositionsModel::MarginMode), QStringLiteral("Isolated"));
    QVERIFY(positions.value(0, PositionsModel::MarginRatio, Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("account's cross")));
    QVERIFY(positions.value(1, PositionsModel::MarginRatio, Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("isolated")));
}

void TestModels::alignment()
{
    Watched<PositionsModel> positions;
    positions.model.setBoard(makeBoard(1));
    const int right = int(Qt::AlignRight | Qt::AlignVCenter);
    const int left = int(Qt::AlignLeft | Qt::AlignVCenter);
    for (const int column : {PositionsModel::Size, PositionsModel::Entry, PositionsModel::Mark,
                             PositionsModel::LiquidationPrice, PositionsModel::ExchangeLiquidationPrice,
                             PositionsModel::Distance, PositionsModel::MarginRatio,
                             PositionsModel::UnrealizedPnl, PositionsModel::Leverage, PositionsModel::DataAge}) {
        QCOMPARE(positions.value(0, column, Qt::TextAlignmentRole).toInt(), right);
    }
    for (const int column : {PositionsModel::Exchange, PositionsModel::Account, PositionsModel::Symbol,
                             PositionsModel::Side, PositionsModel::MarginMode}) {
        QCOMPARE(positions.value(0, column, Qt::TextAlignmentRole).toInt(), left);
    }
    for (int column = 0; column < PositionsModel::Count; ++column) {
        QVERIFY(!positions.model.headerData(column, Qt::Horizontal).toString().isEmpty());
    }
}

void TestModels::positionKeys()
{
    RiskBoard board = makeBoard(2);
    board.positions.push_back(makeLine(3, 7, "Z"));
    Watched<PositionsModel> positions;
    positions.model.setBoard(board);
    QCOMPARE(positions.value(2, PositionsModel::Symbol, PositionsModel::KeyRole).toString(), QStringLiteral("3:7"));
    const auto key = positions.value(2, PositionsModel::Mark, PositionsModel::PositionKeyRole).value<PositionKey>();
    QCOMPARE(key.account, std::size_t(3));
    QCOMPARE(key.position, std::size_t(7));
    QCOMPARE(positions.model.rowOf(3, 7), 2);
    QCOMPARE(positions.model.rowOf(0, 1), 1);
    QCOMPARE(positions.model.rowOf(9, 9), -1);
}

void TestModels::riskLevels_data()
{
    QTest::addColumn<double>("distance"); // +inf: no liquidation price
    QTest::addColumn<bool>("due");
    QTest::addColumn<int>("feed");
    QTest::addColumn<int>("expected");
    const int fresh = int(FeedState::Fresh);
    const int stale = int(FeedState::Stale);
    const int waiting = int(FeedState::Waiting);
    QTest::newRow("3 %: danger") << 3.0 << false << fresh << int(RiskLevel::Danger);
    QTest::newRow("beyond the price: danger") << -2.0 << false << fresh << int(RiskLevel::Danger);
    QTest::newRow("5 %: warning") << 5.0 << false << fresh << int(RiskLevel::Warning);
    QTest::newRow("9.99 %: warning") << 9.99 << false << fresh << int(RiskLevel::Warning);
    QTest::newRow("10 %: caution") << 10.0 << false << fresh << int(RiskLevel::Caution);
    QTest::newRow("19.9 %: caution") << 19.9 << false << fresh << int(RiskLevel::Caution);
    QTest::newRow("20 %: safe") << 20.0 << false << fresh << int(RiskLevel::Safe);
    QTest::newRow("no liquidation price: safe") << kInfinity << false << fresh << int(RiskLevel::Safe);
    QTest::newRow("due") << 0.0 << true << fresh << int(RiskLevel::Due);
    QTest::newRow("due, stale") << 0.0 << true << stale << int(RiskLevel::Due);
    QTest::newRow("not a number: unknown") << std::nan("") << false << fresh << int(RiskLevel::Unknown);
    QTest::newRow("stale raises safe to caution") << 50.0 << false << stale << int(RiskLevel::Caution);
    QTest::newRow("stale raises unknown to caution") << std::nan("") << false << stale << int(RiskLevel::Caution);
    QTest::newRow("stale, no liquidation price: caution") << kInfinity << false << stale << int(RiskLevel::Caution);
    QTest::newRow("stale keeps danger") << 3.0 << false << stale << int(RiskLevel::Danger);
    QTest::newRow("waiting does not raise") << 50.0 << false << waiting << int(RiskLevel::Safe);
}

void TestModels::riskLevels()
{
    QFETCH(double, distance);
    QFETCH(bool, due);
    QFETCH(int, feed);
    QFETCH(int, expected);
    RiskBoard board = makeBoard(1);
    PositionLine& line = board.positions[0];
    line.feed = FeedState(feed);
    line.risk.liquidationDue = due;
    if (std::isinf(distance)) {
        line.risk.liquidationPrice.reset();
        line.risk.distanceToLiquidation.reset();
        line.risk.distanceToLiquidationPct.reset();
    } else {
        line.risk.distanceToLiquidationPct = distance;
    }
    QCOMPARE(int(riskLevel(line.risk, line.feed)), expected);
    Watched<PositionsModel> positions;
    Watched<AccountsModel> accounts;
    positions.model.setBoard(board);
    accounts.model.setBoard(board);
    QCOMPARE(positions.value(0, PositionsModel::Symbol, PositionsModel::RiskLevelRole).toInt(), expected);
    QCOMPARE(positions.value(0, PositionsModel::Distance, Qt::ForegroundRole).value<QColor>(),
             riskColour(RiskLevel(expected)));
    // The account shows its worst position's level.
    QCOMPARE(accounts.value(0, AccountsModel::Account, AccountsModel::RiskLevelRole).toInt(), expected);
}

void TestModels::distanceFractions_data()
{
    QTest::addColumn<double>("distance"); // +inf: no liquidation price
    QTest::addColumn<double>("expected");
    QTest::newRow("10 %") << 10.0 << 0.2;
    QTest::newRow("full scale") << kDistanceBarFullScalePct << 1.0;
    QTest::newRow("far") << 80.0 << 1.0;
    QTest::newRow("at liquidation") << 0.0 << 0.0;
    QTest::newRow("beyond") << -3.0 << 0.0;
    QTest::newRow("no liquidation price") << kInfinity << 1.0;
}

void TestModels::distanceFractions()
{
    QFETCH(double, distance);
    QFETCH(double, expected);
    RiskBoard board = makeBoard(1);
    board.positions[0].risk.distanceToLiquidationPct = std::isinf(distance) ? std::nullopt : std::optional(distance);
    Watched<PositionsModel> positions;
    positions.model.setBoard(board);
    QCOMPARE(positions.value(0, PositionsModel::Distance, PositionsModel::DistanceFractionRole).toDouble(), expected);
}

void TestModels::sortRoleOrdering_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<QStringList>("ascending"); // symbols
    QTest::newRow("distance: none after numbers")
        << int(PositionsModel::Distance) << QStringList{"B", "D", "A", "E", "C"};
    QTest::newRow("liquidation price: none after numbers")
        << int(PositionsModel::LiquidationPrice) << QStringList{"E", "A", "D", "B", "C"};
    QTest::newRow("data age: waiting after numbers")
        << int(PositionsModel::DataAge) << QStringList{"A", "B", "D", "E", "C"};
    QTest::newRow("symbol: text") << int(PositionsModel::Symbol) << QStringList{"A", "B", "C", "D", "E"};
}

void TestModels::sortRoleOrdering()
{
    QFETCH(int, column);
    QFETCH(QStringList, ascending);
    // Distances 12, -1, none, 3, 40 %; liquidation price = 100 − distance; C waits for its feed.
    RiskBoard board = makeBoard(0);
    board.positions.push_back(makeLine(0, 0, "A", 12.0));
    board.positions.push_back(makeLine(0, 1, "B", -1.0));
    board.positions.push_back(makeLine(0, 2, "C", std::nullopt));
    board.positions.push_back(makeLine(0, 3, "D", 3.0));
    board.positions.push_back(makeLine(0, 4, "E", 40.0));
    board.positions[2].feed = FeedState::Waiting;
    board.positions[2].ticks = 0;
    for (std::size_t row = 0; row < 5; ++row) {
        board.positions[row].lastTickAt = board.takenAt - std::chrono::milliseconds(100 * (row + 1));
    }
    Watched<PositionsModel> positions;
    positions.model.setBoard(board);
    PositionsSortProxy proxy; // the app's: numbers compared without a QVariant
    QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    proxy.setSourceModel(&positions.model);
    proxy.setSortRole(PositionsModel::SortRole);
    proxy.sort(column, Qt::AscendingOrder);
    QStringList order;
    for (int row = 0; row < proxy.rowCount(); ++row) {
        order << proxy.index(row, PositionsModel::Symbol).data().toString();
    }
    QCOMPARE(order, ascending);
}

void TestModels::sortingThroughAProxy()
{
    // The proxy keeps sorting by distance as boards change the figures (dynamic sort on SortRole).
    RiskBoard board = makeBoard(0);
    board.positions.push_back(makeLine(0, 0, "A", 12.0));
    board.positions.push_back(makeLine(0, 1, "B", 30.0));
    board.positions.push_back(makeLine(0, 2, "C", 4.5));
    board.positions.push_back(makeLine(0, 3, "D", 100.0)); // "100.00%" sorts before "12.00%" as text
    Watched<PositionsModel> positions;
    positions.model.setBoard(board);
    PositionsSortProxy proxy;
    QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    proxy.setSourceModel(&positions.model);
    proxy.setSortRole(PositionsModel::SortRole);
    proxy.sort(PositionsModel::Distance, Qt::AscendingOrder);
    const auto order = [&] {
        QStringList symbols;
        for (int row = 0; row < proxy.rowCount(); ++row) {
            symbols << proxy.index(row, PositionsModel::Symbol).data().toString();
        }
        return symbols;
    };
    QCOMPARE(order(), (QStringList{"C", "A", "B", "D"}));
    board.positions[1].risk.distanceToLiquidationPct = 2.0; // B falls
    positions.model.setBoard(board);
    QCOMPARE(order(), (QStringList{"B", "C", "A", "D"}));
    proxy.sort(PositionsModel::Distance, Qt::DescendingOrder);
    QCOMPARE(order(), (QStringList{"D", "A", "C", "B"}));
}

void TestModels::riskColoursAreReadableOnDark()
{
    const double background = luminance(QColor(0x1e, 0x1e, 0x1e));
    QList<QRgb> seen;
    for (const RiskLevel level : {RiskLevel::Unknown, RiskLevel::Safe, RiskLevel::Caution, RiskLevel::Warning,
                                  RiskLevel::Danger, RiskLevel::Due}) {
        const QColor colour = riskColour(level);
        QVERIFY(colour.isValid());
        const double contrast = (luminance(colour) + 0.05) / (background + 0.05);
        QVERIFY2(contrast >= 4.5,
                 qPrintable(QStringLiteral("%1: contrast %2").arg(riskLevelName(level)).arg(contrast)));
        QVERIFY2(!seen.contains(colour.rgb()), qPrintable(riskLevelName(level)));
        seen << colour.rgb();
    }
}

// ---- accounts and connections -----------------------------------------------------------------

void TestModels::accounts()
{
    RiskBoard board = makeBoard(3);
    board.positions[1].risk.distanceToLiquidationPct = 7.25;
    AccountLine& account = board.accounts[0];
    account.risk.walletBalance = Decimal::parse("40000");
    account.risk.marginBalance = Decimal::parse("39000.5");
    account.risk.maintenanceMargin = Decimal::parse("1234.5678");
    account.risk.requirement = account.risk.maintenanceMargin;
    account.risk.unrealizedPnl = Decimal::parse("-999.5");
    account.risk.marginRatio = 0.0316;
    account.risk.nativeMarginRatio = 0.0316;
    account.worstPosition = 1;
    AccountLine second;
    second.account = 1;
    second.venue = Venue::Hyperliquid;
    second.label = "hl";
    second.risk.marginRatio = kInfinity;
    second.risk.liquidationDue = true;
    board.accounts.push_back(second);
    Watched<AccountsModel> accounts;
    accounts.model.setBoard(board);
    QCOMPARE(accounts.model.rowCount(), 2);
    QCOMPARE(accounts.model.columnCount(), int(AccountsModel::Count));
    QCOMPARE(accounts.text(0, AccountsModel::Exchange), QStringLiteral("Binance"));
    QCOMPARE(accounts.text(0, AccountsModel::Account), QStringLiteral("main"));
    QCOMPARE(accounts.text(0, AccountsModel::Equity), QStringLiteral("39,000.50"));
    QCOMPARE(accounts.text(0, AccountsModel::WalletBalance), QStringLiteral("40,000.00"));
    QCOMPARE(accounts.text(0, AccountsModel::MaintenanceMargin), QStringLiteral("1,234.57"));
    QCOMPARE(accounts.text(0, AccountsModel::MarginRatio), QStringLiteral("3.16%"));
    QCOMPARE(accounts.text(0, AccountsModel::UnrealizedPnl), QStringLiteral("-999.50"));
    QCOMPARE(accounts.text(0, AccountsModel::Positions), QStringLiteral("3"));
    QCOMPARE(accounts.text(0, AccountsModel::WorstPosition), QStringLiteral("P1 7.25%"));
    QCOMPARE(accounts.value(0, AccountsModel::WorstPosition, AccountsModel::SortRole).toDouble(), 7.25);
    QCOMPARE(accounts.value(0, 0, AccountsModel::RiskLevelRole).toInt(), int(RiskLevel::Warning));
    QCOMPARE(accounts.value(0, 0, AccountsModel::DistanceFractionRole).toDouble(), 7.25 / kDistanceBarFullScalePct);
    QCOMPARE(accounts.value(0, 0, AccountsModel::KeyRole).toString(), QStringLiteral("0"));
    QCOMPARE(accounts.value(0, AccountsModel::Equity, Qt::TextAlignmentRole).toInt(),
             int(Qt::AlignRight | Qt::AlignVCenter));
    QCOMPARE(accounts.text(1, AccountsModel::Exchange), QStringLiteral("Hyperliquid"));
    QCOMPARE(accounts.text(1, AccountsModel::MarginRatio), QStringLiteral("beyond"));
    QCOMPARE(accounts.text(1, AccountsModel::WorstPosition), QStringLiteral("—"));
    QCOMPARE(accounts.value(1, AccountsModel::WorstPosition, AccountsModel::SortRole).toDouble(), kInfinity);
    QCOMPARE(accounts.value(1, 0, AccountsModel::RiskLevelRole).toInt(), int(RiskLevel::Due));
    for (int column = 0; column < AccountsModel::Count; ++column) {
        QVERIFY(!accounts.model.headerData(column, Qt::Horizontal).toString().isEmpty());
    }
}

void TestModels::accountsUpdateRules()
{
    RiskBoard board = makeBoard(2);
    for (std::size_t account = 1; account < 5; ++account) {
        AccountLine line = board.accounts[0];
        line.account = account;
        line.worstPosition.reset();
        board.accounts.push_back(line);
    }
    Watched<AccountsModel> accounts;
    accounts.model.setBoard(board);
    QCOMPARE(accounts.counts(), QStringLiteral("1 0 0 0"));
    accounts.clearSpies();
    accounts.model.setBoard(board);
    QCOMPARE(accounts.counts(), QStringLiteral("0 0 0 0"));

    board.accounts[3].risk.walletBalance = Decimal::parse("1001");
    accounts.model.setBoard(board);
    QCOMPARE(accounts.counts(), QStringLiteral("0 0 0 1"));
    QCOMPARE(rangeOf(accounts.changed.at(0)),
             (QList<int>{3, 3, AccountsModel::WalletBalance, AccountsModel::WalletBalance}));
    QCOMPARE(rolesOf(accounts.changed.at(0)), (QList<int>{Qt::DisplayRole, AccountsModel::SortRole}));

    accounts.clearSpies();
    board.accounts.erase(board.accounts.begin() + 2);
    accounts.model.setBoard(board);
    QCOMPARE(accounts.counts(), QStringLiteral("0 1 0 0"));
    QCOMPARE(accounts.model.rowOf(3), 2);
}

void TestModels::connections()
{
    RiskBoard board = makeBoard(0);
    ConnectionLine open;
    open.venue = Venue::BinanceUsdm;
    open.connection.state = ConnectionState::Open;
    open.connection.connects = 1;
    open.connection.reconnects = 2;
    open.connection.rollovers = 1;
    open.connection.lastFrameAt = board.takenAt - 1500ms;
    open.connection.lastError = "idle timeout";
    open.counters.malformed = 3;
    open.counters.venueErrors = 4;
    open.counters.lastProblem = "malformed frame from binance-usdm: no field \"p\"";
    ConnectionLine connecting;
    connecting.venue = Venue::OkxSwap;
    ConnectionLine reconnecting;
    reconnecting.venue = Venue::BybitLinear;
    reconnecting.connection.state = ConnectionState::Reconnecting;
    reconnecting.connection.lastFrameAt = board.takenAt - 200s;
    reconnecting.connection.lastError = "connection refused";
    reconnecting.counters.lastProblem = "an older problem";
    ConnectionLine stopped;
    stopped.venue = Venue::Hyperliquid;
    stopped.connection.state = ConnectionState::Stopped;
    board.connections = {open, connecting, reconnecting, stopped};
    Watched<ConnectionsModel> connections;
    connections.model.setBoard(board);
    QCOMPARE(connections.model.rowCount(), 4);
    QCOMPARE(connections.model.columnCount(), int(ConnectionsModel::Count));
    QCOMPARE(connections.text(0, ConnectionsModel::Exchange), QStringLiteral("Binance"));
    QCOMPARE(connections.text(0, ConnectionsModel::State), QStringLiteral("Open"));
    QCOMPARE(connections.text(1, ConnectionsModel::State), QStringLiteral("Connecting"));
    QCOMPARE(connections.text(2, ConnectionsModel::State), QStringLiteral("Reconnecting"));
    QCOMPARE(connections.text(3, ConnectionsModel::State), QStringLiteral("Stopped"));
    QCOMPARE(connections.text(0, ConnectionsModel::LastMessage), QStringLiteral("1.5 s"));
    QCOMPARE(connections.text(1, ConnectionsModel::LastMessage), QStringLiteral("—"));
    QCOMPARE(connections.value(1, ConnectionsModel::LastMessage, ConnectionsModel::SortRole).toDouble(), kInfinity);
    QCOMPARE(connections.text(2, ConnectionsModel::LastMessage), QStringLiteral("3 min"));
    QCOMPARE(connections.text(0, ConnectionsModel::Reconnects), QStringLiteral("2"));
    QCOMPARE(connections.text(0, ConnectionsModel::Rollovers), QStringLiteral("1"));
    QCOMPARE(connections.text(0, ConnectionsModel::MalformedFrames), QStringLiteral("3"));
    QCOMPARE(connections.text(0, ConnectionsModel::VenueErrors), QStringLiteral("4"));
    QCOMPARE(connections.value(0, ConnectionsModel::VenueErrors, ConnectionsModel::SortRole).toDouble(), 4.0);
    // Open: the stream's latest problem; down: why the connection went down.
    QCOMPARE(connections.text(0, ConnectionsModel::LastProblem),
             QStringLiteral("malformed frame from binance-usdm: no field \"p\""));
    QCOMPARE(connections.text(2, ConnectionsModel::LastProblem), QStringLiteral("connection refused"));
    QVERIFY(connections.value(2, ConnectionsModel::LastProblem, Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("an older problem")));
    QCOMPARE(connections.text(3, ConnectionsModel::LastProblem), QString());
    QCOMPARE(connections.value(0, 0, ConnectionsModel::RiskLevelRole).toInt(), int(RiskLevel::Safe));
    QCOMPARE(connections.value(1, 0, ConnectionsModel::RiskLevelRole).toInt(), int(RiskLevel::Caution));
    QCOMPARE(connections.value(2, 0, ConnectionsModel::RiskLevelRole).toInt(), int(RiskLevel::Warning));
    QVERIFY(!connections.value(0, 0, ConnectionsModel::DistanceFractionRole).isValid());
    QCOMPARE(connections.value(0, 0, ConnectionsModel::KeyRole).toString(), QStringLiteral("binance-usdm"));
    QCOMPARE(connections.value(0, ConnectionsModel::Reconnects, Qt::TextAlignmentRole).toInt(),
             int(Qt::AlignRight | Qt::AlignVCenter));
    for (int column = 0; column < ConnectionsModel::Count; ++column) {
        QVERIFY(!connections.model.headerData(column, Qt::Horizontal).toString().isEmpty());
    }
}

void TestModels::connectionsUpdateRules()
{
    RiskBoard board = makeBoard(0);
    for (const Venue venue : {Venue::BinanceUsdm, Venue::BybitLinear, Venue::OkxSwap, Venue::Hyperliquid}) {
        ConnectionLine line;
        line.venue = venue;
        line.connection.state = ConnectionState::Open;
        line.connection.lastFrameAt = board.takenAt - 100ms;
        board.connections.push_back(line);
    }
    Watched<ConnectionsModel> connections;
    connections.model.setBoard(board);
    QCOMPARE(connections.counts(), QStringLiteral("1 0 0 0"));
    connections.clearSpies();
    connections.model.setBoard(board);
    QCOMPARE(connections.counts(), QStringLiteral("0 0 0 0"));

    board.connections[1].connection.state = ConnectionState::Reconnecting;
    board.connections[1].connection.reconnects = 1;
    connections.model.setBoard(board);
    QCOMPARE(connections.counts(), QStringLiteral("0 0 0 1"));
    QCOMPARE(rangeOf(connections.changed.at(0)), (QList<int>{1, 1, 0, ConnectionsModel::Count - 1}));
    QVERIFY(rolesOf(connections.changed.at(0)).contains(ConnectionsModel::RiskLevelRole));

    // Every connection's last message ages: one whole-range signal.
    connections.clearSpies();
    board.takenAt += 2s;
    connections.model.setBoard(board);
    QCOMPARE(connections.counts(), QStringLiteral("0 0 0 1"));
    QCOMPARE(rangeOf(connections.changed.at(0)), (QList<int>{0, 3, 0, ConnectionsModel::Count - 1}));
}

void TestModels::rendersInATable()
{
    // A real monitor's board in a plain table on a dark palette, saved for a person to look at.
    ManualClock clock;
    Monitor monitor(clock);
    monitor.setExpectedInterval(Venue::OkxSwap, 100ms);
    monitor.addAccount(readPortfolio(kBinanceCrossAndIsolated));
    monitor.addAccount(readPortfolio(kOkxShort));
    clock.advance(1s);
    monitor.applyTick(okxTick(clock, "64500"));
    clock.advance(1s);
    monitor.checkFreshness();
    RiskBoard board = takeRiskBoard(monitor, nullptr, clock.now(), 1);
    board.positions[1].positionSide = PositionSide::Short; // show a hedge leg
    board.positions[1].feed = FeedState::Fresh;
    board.positions[1].ticks = 3;
    board.positions[1].lastTickAt = board.takenAt - 300ms;
    Watched<PositionsModel> positions;
    positions.model.setBoard(board);
    QTableView view;
    QPalette dark;
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
    dark.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
    dark.setColor(QPalette::Button, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
    view.setPalette(dark);
    view.setAlternatingRowColors(true);
    view.verticalHeader()->setVisible(false);
    view.setModel(&positions.model);
    view.resize(1400, 200);
    view.resizeColumnsToContents();
    const QImage image = view.grab().toImage();
    QVERIFY(!image.isNull());
    QVERIFY(image.save(QStringLiteral("tst_models_positions.png")));
}

void TestModels::staticTextDrawsLikeTheStyle()
{
    // The same positions drawn by QStyledItemDelegate and by StaticTextDelegate, with a selected row,
    // coloured text and a column too narrow for its text (elided: the style's way): the same pixels.
    ManualClock clock;
    Monitor monitor(clock);
    monitor.setExpectedInterval(Venue::OkxSwap, 100ms);
    monitor.addAccount(readPortfolio(kBinanceCrossAndIsolated));
    monitor.addAccount(readPortfolio(kOkxShort));
    clock.advance(1s);
    monitor.applyTick(okxTick(clock, "64500"));
    clock.advance(1s);
    monitor.checkFreshness();
    PositionsModel positions;
    positions.setBoard(takeRiskBoard(monitor, nullptr, clock.now(), 1));
    const auto draw = [&](QAbstractItemDelegate* delegate) {
        QTableView view;
        QPalette dark;
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
        dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
        view.setPalette(dark);
        view.setAlternatingRowColors(true);
        view.setSelectionBehavior(QAbstractItemView::SelectRows);
        if (delegate != nullptr) {
            delegate->setParent(&view);
            view.setItemDelegate(delegate);
        }
        view.setModel(&positions);
        view.resize(1400, 160);
        view.resizeColumnsToContents();
        view.setColumnWidth(PositionsModel::Symbol, 30);
        view.selectRow(1);
        return view.grab().toImage();
    };
    const QImage stock = draw(nullptr);
    const QImage quick = draw(new StaticTextDelegate);
    QVERIFY(quick.save(QStringLiteral("tst_models_static_text.png")));
    QCOMPARE(quick, stock);
}

void TestModels::accountSources_data()
{
    QTest::addColumn<bool>("fromExchange");
    QTest::addColumn<int>("state");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("tipHas");
    QTest::addColumn<bool>("coloured");
    using State = AccountFeedStatus::State;
    QTest::newRow("file") << false << int(State::Ok) << "File / manual" << "entered by hand" << false;
    QTest::newRow("reading") << true << int(State::Starting) << "Reading…" << "first read" << false;
    QTest::newRow("read") << true << int(State::Ok) << "Read 12 s ago" << "every 30–60 s" << false;
    QTest::newRow("key refused") << true << int(State::KeyRefused) << "Key refused" << "refused the API key" << true;
    QTest::newRow("rate limited") << true << int(State::RateLimited) << "Rate limited" << "refused the API key" << true;
    QTest::newRow("retrying") << true << int(State::Retrying) << "Retrying" << "Last read 12 s ago" << true;
    QTest::newRow("read, private stream live") << true << int(State::Ok) << "Read 12 s ago" << "Private stream: live" << false;
}

void TestModels::accountSources()
{
    QFETCH(bool, fromExchange);
    QFETCH(int, state);
    QFETCH(QString, text);
    QFETCH(QString, tipHas);
    QFETCH(bool, coloured);
    RiskBoard board = makeBoard(1);
    AccountLine& account = board.accounts.front();
    if (fromExchange) {
        account.source = AccountSource::Exchange;
        account.reportedAt = board.takenAt - 12s;
        AccountReadLine read;
        read.account = account.account;
        read.status.state = AccountFeedStatus::State(state);
        read.status.lastProblem = "Binance refused the API key (-2015: Invalid API-key, IP, or permissions for action.)";
        if (tipHas.startsWith(QStringLiteral("Private stream"))) {
            PrivateStreamStatus stream;
            stream.ws.state = ConnectionState::Open;
            stream.authenticated = true;
            stream.subscribed = true;
            read.stream = stream;
        }
        board.accountReads.push_back(read);
    }
    Watched<AccountsModel> accounts;
    accounts.model.setBoard(board);
    QCOMPARE(accounts.text(0, AccountsModel::Source), text);
    const QString tip = accounts.value(0, AccountsModel::Source, Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(tipHas), qPrintable(tip));
    QCOMPARE(accounts.value(0, AccountsModel::Source, Qt::ForegroundRole).isValid(), coloured);
}

void TestModels::accountsReadOneAfterAnotherShowWhatAFreshModelShows()
{
    // Exchange accounts fill in as their reads land, in any order, and a later read may hold other
    // positions at the same indexes: every cell must then show what a fresh model shows.
    const auto line = [](std::size_t account, std::size_t position, const char* symbol, Side side, const char* size) {
        PositionLine made = makeLine(account, position, symbol);
        made.side = side;
        made.quantity = Decimal::parse(size);
        return made;
    };
    std::vector<std::vector<PositionLine>> boards = {
        {line(0, 0, "BTCUSDT", Side::Long, "1.5"), line(0, 1, "ETHUSDT", Side::Short, "20")},
        {line(0, 0, "BTCUSDT", Side::Long, "1.5"), line(0, 1, "ETHUSDT", Side::Short, "20"),
         line(1, 0, "BTCUSDT", Side::Short, "0.8"), line(1, 1, "ETHUSDT", Side::Long, "3")},
        {line(1, 0, "BTCUSDT", Side::Short, "0.8"), line(1, 1, "ETHUSDT", Side::Long, "3")},
        {line(0, 0, "ETHUSDT", Side::Short, "20"), line(1, 0, "BTCUSDT", Side::Short, "0.8"),
         line(1, 1, "ETHUSDT", Side::Long, "3")},
        {line(0, 0, "ETHUSDT", Side::Long, "20"), line(0, 1, "SOLUSDT", Side::Long, "300"),
         line(1, 0, "ETHUSDT", Side::Long, "3")},
    };
    Watched<PositionsModel> positions;
    for (std::size_t i = 0; i < boards.size(); ++i) {
        RiskBoard board = makeBoard(0);
        board.positions = boards[i];
        positions.model.setBoard(board);
        (void)cellsOf(positions.model); // every text written, as a view would
        PositionsModel fresh;
        fresh.setBoard(board);
        QCOMPARE(cellsOf(positions.model), cellsOf(fresh));
    }
}

QTEST_MAIN(TestModels)
#include "tst_models.moc"
