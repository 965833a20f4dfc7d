// The deleverage planner on worked cases per venue model (Binance/generic, Bybit, OKX), computed by
// hand from the published formulas (shared/reference/margin-math.md): the planned quantity restores
// the target and one lot less does not; lot-step rounding; minimum quantity and notional; a target
// out of reach (close all); a target already met (nothing); isolated against cross; hedge legs.
#include "deleverage/deleverage_planner.h"
#include "margin/builtin_instruments.h"

#include <QtTest>

#include <functional>
#include <map>
#include <string>

using namespace mm;

namespace {

Decimal dec(const char* text)
{
    return Decimal::parse(text);
}

Position position(std::shared_ptr<const Instrument> instrument, Side side, const char* quantity, const char* entry,
                  const char* mark, MarginMode mode = MarginMode::Cross, PositionSide leg = PositionSide::Both)
{
    Position p;
    p.symbol = instrument->symbol;
    p.instrument = std::move(instrument);
    p.side = side;
    p.quantity = dec(quantity);
    p.entryPrice = dec(entry);
    p.markPrice = dec(mark);
    p.marginMode = mode;
    p.positionSide = leg;
    return p;
}

Portfolio account(Venue venue, const char* wallet, std::vector<Position> positions)
{
    Portfolio portfolio;
    portfolio.account.venue = venue;
    portfolio.account.label = "test";
    portfolio.account.walletBalance = dec(wallet);
    portfolio.positions = std::move(positions);
    return portfolio;
}

DeleverageRequest req(std::size_t index, DeleverageTarget target, LotRules rules)
{
    DeleverageRequest request;
    request.position = index;
    request.target = target;
    request.lotRules = std::move(rules);
    return request;
}

struct PlannerCase {
    Portfolio portfolio;
    DeleverageRequest request;
    DeleverageOutcome outcome;
    std::optional<Decimal> expectedQuantity; ///< worked out by hand
};

LotRules lots(const char* step, const char* minQuantity = "0", const char* minNotional = "0")
{
    return {dec(step), dec(minQuantity), dec(minNotional)};
}

/// Binance FAQ's second example (wallet 500, long 0.02 BTCUSDT @ 50,000, LP 25,100.40) at mark 27,000:
/// after closing q, LP = (500 − 27,000 q) / ((0.02 − q) · 0.996); distance ≥ 20 % ⇔ LP ≤ 21,600 ⇔
/// q ≥ 0.012709…, so 0.013 (0.012 leaves 18.19 %, 0.013 gives 20.85 %). The margin balance stays 40
/// (the loss moves into the wallet) and the maintenance margin is 108 · (0.02 − q): ratio ≤ 2 % ⇔
/// q ≥ 0.012593 → 0.013 as well.
Portfolio binanceFaq(MarginMode mode)
{
    Position btc = position(publishedInstrument(Venue::BinanceUsdm, "BTCUSDT"), Side::Long, "0.02", "50000", "27000", mode);
    if (mode == MarginMode::Isolated) {
        btc.isolatedMargin = dec("500");
        return account(Venue::BinanceUsdm, "0", {btc});
    }
    return account(Venue::BinanceUsdm, "500", {btc});
}

std::map<std::string, std::function<PlannerCase()>> cases()
{
    std::map<std::string, std::function<PlannerCase()>> all;
    all["binance cross long, distance 20 %"] = [] {
        return PlannerCase{binanceFaq(MarginMode::Cross), req(0, DeleverageTarget::distancePct(20), lots("0.001")),
                           DeleverageOutcome::Reduce, dec("0.013")};
    };
    all["binance cross long, margin ratio 2 %"] = [] {
        return PlannerCase{binanceFaq(MarginMode::Cross), req(0, DeleverageTarget::marginRatio(0.02), lots("0.001")),
                           DeleverageOutcome::Reduce, dec("0.013")};
    };
    all["lot step 0.005 rounds up to 0.015"] = [] {
        return PlannerCase{binanceFaq(MarginMode::Cross), req(0, DeleverageTarget::distancePct(20), lots("0.005")),
                           DeleverageOutcome::Reduce, dec("0.015")};
    };
    all["min notional 500 USDT: 19 lots at 27,000"] = [] {
        return PlannerCase{binanceFaq(MarginMode::Cross), req(0, DeleverageTarget::distancePct(20), lots("0.001", "0", "500")),
                           DeleverageOutcome::Reduce, dec("0.019")};
    };
    all["min quantity above the position"] = [] {
        return PlannerCase{binanceFaq(MarginMode::Cross), req(0, DeleverageTarget::distancePct(20), lots("0.001", "0.03")),
                           DeleverageOutcome::BelowMinimum, Decimal()};
    };
    all["min notional above the position"] = [] {
        return PlannerCase{binanceFaq(MarginMode::Cross), req(0, DeleverageTarget::distancePct(20), lots("0.001", "0", "600")),
                           DeleverageOutcome::BelowMinimum, Decimal()};
    };
    all["target already met"] = [] {
        return PlannerCase{binanceFaq(MarginMode::Cross), req(0, DeleverageTarget::distancePct(5), lots("0.001")),
                           DeleverageOutcome::TargetAlreadyMet, Decimal()};
    };
    all["per-order cap stops short"] = [] {
        PlannerCase c{binanceFaq(MarginMode::Cross), req(0, DeleverageTarget::distancePct(20), lots("0.001")),
                      DeleverageOutcome::CappedShortOfTarget, dec("0.005")};
        c.request.maxQuantity = dec("0.005");
        return c;
    };
    // Isolated: closing part releases the same share of the margin, so the rest keeps its margin per
    // unit and its liquidation price: only closing it all removes the risk (cross above: 0.013).
    all["binance isolated long: only closing all"] = [] {
        return PlannerCase{binanceFaq(MarginMode::Isolated), req(0, DeleverageTarget::distancePct(20), lots("0.001")),
                           DeleverageOutcome::Reduce, dec("0.02")};
    };
    // Two cross longs; the ETH one carries the account: even closing all BTC leaves the ratio ≈ 69 %.
    all["unreachable: close all"] = [] {
        Portfolio p = account(Venue::BinanceUsdm, "4500",
                              {position(publishedInstrument(Venue::BinanceUsdm, "BTCUSDT"), Side::Long, "0.02", "50000", "49000"),
                               position(instrumentWithMaintenance(Venue::BinanceUsdm, "ETHUSDT", dec("0.05"), Decimal()),
                                        Side::Long, "10", "3000", "2750")});
        return PlannerCase{p, req(0, DeleverageTarget::marginRatio(0.5), lots("0.001")),
                           DeleverageOutcome::CloseAllUnreachable, dec("0.02")};
    };
    // Bybit cross (base search), short 1 BTC @ 60,000, mark 60,500, wallet 1,000, MMR 0.5 %:
    // LP = (61,000 − 60,500 q) / ((1 − q) · 1.005) ≥ 61,710 (2 % above the mark) ⇔ q ≥ 0.67074 → 0.671.
    all["bybit cross short, distance 2 %"] = [] {
        Portfolio p = account(Venue::BybitLinear, "1000",
                              {position(publishedInstrument(Venue::BybitLinear, "BTCUSDT"), Side::Short, "1", "60000", "60500")});
        return PlannerCase{p, req(0, DeleverageTarget::distancePct(2), lots("0.001")), DeleverageOutcome::Reduce, dec("0.671")};
    };
    all["bybit isolated short: only closing all"] = [] {
        Position btc = position(publishedInstrument(Venue::BybitLinear, "BTCUSDT"), Side::Short, "1", "60000", "60500",
                                MarginMode::Isolated);
        btc.isolatedMargin = dec("1000");
        return PlannerCase{account(Venue::BybitLinear, "0", {btc}), req(0, DeleverageTarget::distancePct(2), lots("0.001")),
                           DeleverageOutcome::Reduce, dec("1")};
    };
    // OKX cross: requirement = notional × (MMR + taker fee), the fee of closing leaves the wallet.
    // BTC long 0.5 @ 60,000 mark 55,000 (MMR 0.4 %, fee 0.05 %), ETH short 5 @ 3,000 mark 3,100
    // (MMR 0.5 %, fee 0.05 %), wallet 4,000: ratio = (209 − 247.5 q) / (1,000 − 27.5 q) ≤ 15 %
    // ⇔ q ≥ 0.24242 → 0.25 in lots of 0.01 (0.24 leaves 15.06 %).
    all["okx cross, margin ratio 15 %"] = [] {
        Position btc = position(instrumentWithMaintenance(Venue::OkxSwap, "BTC-USDT-SWAP", dec("0.004"), Decimal()),
                                Side::Long, "0.5", "60000", "55000");
        Position eth = position(instrumentWithMaintenance(Venue::OkxSwap, "ETH-USDT-SWAP", dec("0.005"), Decimal()),
                                Side::Short, "5", "3000", "3100");
        btc.takerFeeRate = eth.takerFeeRate = dec("0.0005");
        return PlannerCase{account(Venue::OkxSwap, "4000", {btc, eth}), req(0, DeleverageTarget::marginRatio(0.15), lots("0.01")),
                           DeleverageOutcome::Reduce, dec("0.25")};
    };
    // Binance hedge mode, cross: long leg 1 @ 50,000 and short leg 0.4 @ 50,000, mark 46,000,
    // wallet 3,500, tier 1 (0.4 %): after closing q of the long leg the shared
    // LP = (26,500 − 46,000 q) / (0.5944 − 0.996 q) ≤ 41,400 (10 %) ⇔ q ≥ 0.39698 → 0.397.
    all["hedge: reduce the long leg"] = [] {
        auto btc = publishedInstrument(Venue::BinanceUsdm, "BTCUSDT");
        Portfolio p = account(Venue::BinanceUsdm, "3500",
                              {position(btc, Side::Long, "1", "50000", "46000", MarginMode::Cross, PositionSide::Long),
                               position(btc, Side::Short, "0.4", "50000", "46000", MarginMode::Cross, PositionSide::Short)});
        return PlannerCase{p, req(0, DeleverageTarget::distancePct(10), lots("0.001")), DeleverageOutcome::Reduce, dec("0.397")};
    };
    all["hedge: reducing the short leg would not help"] = [] {
        auto btc = publishedInstrument(Venue::BinanceUsdm, "BTCUSDT");
        Portfolio p = account(Venue::BinanceUsdm, "3500",
                              {position(btc, Side::Long, "1", "50000", "46000", MarginMode::Cross, PositionSide::Long),
                               position(btc, Side::Short, "0.4", "50000", "46000", MarginMode::Cross, PositionSide::Short)});
        return PlannerCase{p, req(1, DeleverageTarget::distancePct(10), lots("0.001")),
                           DeleverageOutcome::ReductionDoesNotHelp, Decimal()};
    };
    return all;
}

/// The portfolio after closing `quantity` of position `index`, written out independently of the
/// planner: the realised PnL (less the fee) into the wallet, isolated margin released pro rata.
Portfolio closedByHand(Portfolio portfolio, std::size_t index, const Decimal& quantity)
{
    Position& p = portfolio.positions[index];
    const Decimal pnlPerUnit = p.side == Side::Long ? p.markPrice - p.entryPrice : p.entryPrice - p.markPrice;
    portfolio.account.walletBalance += quantity * pnlPerUnit - quantity * p.markPrice * p.takerFeeRate;
    if (p.marginMode == MarginMode::Isolated && p.isolatedMargin) {
        const Decimal released = *p.isolatedMargin * quantity / p.quantity;
        portfolio.account.walletBalance += released;
        p.isolatedMargin = *p.isolatedMargin - released;
    }
    p.quantity -= quantity;
    if (p.quantity.isZero()) {
        portfolio.positions.erase(portfolio.positions.begin() + static_cast<std::ptrdiff_t>(index));
    }
    return portfolio;
}

/// Whether the target holds with `quantity` closed, judged by the venue's model directly.
bool meetsByHand(const PlannerCase& c, const Decimal& quantity)
{
    const Position& reduced = c.portfolio.positions[c.request.position];
    const Portfolio after = closedByHand(c.portfolio, c.request.position, quantity);
    const PortfolioRisk risk = MarginModel::forVenue(after.account.venue)->evaluate(after);
    if (quantity == reduced.quantity) {
        return c.request.target.kind == DeleverageTarget::Kind::Distance ||
               reduced.marginMode == MarginMode::Isolated || risk.account.marginRatio <= c.request.target.value;
    }
    const PositionRisk& r = risk.positions[c.request.position];
    if (c.request.target.kind == DeleverageTarget::Kind::MarginRatio) {
        return r.marginRatio <= c.request.target.value;
    }
    return !r.distanceToLiquidationPct || *r.distanceToLiquidationPct >= c.request.target.value;
}

} // namespace

class TestDeleveragePlanner : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void workedCases_data()
    {
        QTest::addColumn<QString>("name");
        for (const auto& [name, make] : cases()) {
            QTest::newRow(name.c_str()) << QString::fromStdString(name);
        }
    }

    void workedCases()
    {
        QFETCH(QString, name);
        const PlannerCase c = cases().at(name.toStdString())();
        const auto model = MarginModel::forVenue(c.portfolio.account.venue);
        const DeleveragePlan plan = DeleveragePlanner(*model).plan(c.portfolio, c.request);
        qInfo("%s", plan.explanation.c_str());
        QCOMPARE(deleverageOutcomeName(plan.outcome), deleverageOutcomeName(c.outcome));
        QVERIFY(!plan.explanation.empty());
        if (c.expectedQuantity) {
            QCOMPARE(plan.quantity.toString(), c.expectedQuantity->toString());
        }
        const Position& reduced = c.portfolio.positions[c.request.position];
        QCOMPARE(plan.orderSide, reduced.side == Side::Long ? Side::Short : Side::Long); // never adds exposure
        QVERIFY(plan.quantity <= reduced.quantity);
        if (!plan.hasOrder()) {
            return;
        }
        const LotRules& rules = c.request.lotRules;
        QCOMPARE(plan.quantity.roundToStep(rules.lotStep, Decimal::Rounding::Down), plan.quantity);
        QVERIFY(plan.quantity >= rules.minQuantity);
        QVERIFY(plan.quantity * reduced.markPrice >= rules.minNotional);
        QCOMPARE(plan.targetReached, meetsByHand(c, plan.quantity));
        if (plan.outcome == DeleverageOutcome::Reduce) {
            QVERIFY2(meetsByHand(c, plan.quantity), "the planned quantity must restore the target");
            const Decimal oneLotLess = plan.quantity - rules.lotStep;
            const bool oneLotLessAllowed = oneLotLess.isPositive() && oneLotLess >= rules.minQuantity &&
                                           oneLotLess * reduced.markPrice >= rules.minNotional;
            if (oneLotLessAllowed) {
                QVERIFY2(!meetsByHand(c, oneLotLess), "one lot less must not restore the target");
            }
        }
        if (plan.outcome == DeleverageOutcome::CloseAllUnreachable) {
            QCOMPARE(plan.quantity, reduced.quantity);
            QVERIFY(!plan.targetReachable);
            QVERIFY(!plan.targetReached);
        }
    }

    /// Closing part of a losing cross position moves the loss into the wallet: the margin balance
    /// stays, the maintenance margin falls (the venues' settlement of realised PnL).
    void realisedLossMovesIntoTheWallet()
    {
        const Portfolio before = binanceFaq(MarginMode::Cross);
        const Portfolio after = DeleveragePlanner::reducedPortfolio(before, 0, dec("0.005"), Decimal());
        QCOMPARE(after.account.walletBalance.toString(), std::string("385")); // 500 − 0.005 × 23,000
        const auto model = MarginModel::forVenue(Venue::BinanceUsdm);
        const PortfolioRisk riskBefore = model->evaluate(before);
        const PortfolioRisk riskAfter = model->evaluate(after);
        QCOMPARE(riskAfter.account.marginBalance, riskBefore.account.marginBalance);
        QVERIFY(riskAfter.account.maintenanceMargin < riskBefore.account.maintenanceMargin);
    }

    void isolatedReleasesItsShareOfMargin()
    {
        const Portfolio before = binanceFaq(MarginMode::Isolated);
        const Portfolio after = DeleveragePlanner::reducedPortfolio(before, 0, dec("0.005"), Decimal());
        QCOMPARE(after.positions[0].isolatedMargin->toString(), std::string("375"));
        QCOMPARE(after.account.walletBalance.toString(), std::string("10")); // 125 released − 115 realised loss
    }

    void badInputSaysWhy_data()
    {
        QTest::addColumn<int>("which");
        QTest::newRow("no such position") << 0;
        QTest::newRow("lot step unknown") << 1;
        QTest::newRow("target not a number") << 2;
        QTest::newRow("ratio target at liquidation") << 3;
    }

    void badInputSaysWhy()
    {
        QFETCH(int, which);
        DeleverageRequest request = req(0, DeleverageTarget::distancePct(20), lots("0.001"));
        switch (which) {
        case 0: request.position = 5; break;
        case 1: request.lotRules.lotStep = Decimal(); break;
        case 2: request.target.value = std::nan(""); break;
        default: request.target = DeleverageTarget::marginRatio(1.0); break;
        }
        const auto model = MarginModel::forVenue(Venue::BinanceUsdm);
        const DeleveragePlan plan = DeleveragePlanner(*model).plan(binanceFaq(MarginMode::Cross), request);
        QCOMPARE(plan.outcome, DeleverageOutcome::CannotPlan);
        QVERIFY(!plan.hasOrder());
        QVERIFY(plan.explanation.rfind("Cannot plan: ", 0) == 0);
    }
};

QTEST_GUILESS_MAIN(TestDeleveragePlanner)
#include "tst_deleverage_planner.moc"
