#include "eval_helpers.h"

#include "portfolio/portfolio_file.h"

#include <nlohmann/json.hpp>

#include <QtTest>

using namespace mm;

namespace {

/// A valid portfolio with one position; `position` and `top` splice extra fields in.
std::string portfolioWith(const std::string& position, const std::string& top = "")
{
    return R"({"venue":"binance-usdm","walletBalance":"1000")" + top +
           R"(,"positions":[{"symbol":"BTCUSDT","side":"long","quantity":"0.1","entryPrice":"50000")" + position + "}]}";
}

} // namespace

class TestPortfolioFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rejectsBadInputNamingTheField_data();
    void rejectsBadInputNamingTheField();
    void readsDefaults();
    void acceptsNumbersAndStringsAlike();
    void normalisesMarginModeSpelling();
    void sharesInstrumentsWithTheSameTerms();
    void writesRiskAsJson();
    void writesAmountsExactly();
    void errorsStayOnOneLine();
};

void TestPortfolioFile::rejectsBadInputNamingTheField_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("reason");

    QTest::newRow("not JSON") << "{\"venue\": " << "" << "not valid JSON";
    QTest::newRow("truncated") << QString::fromStdString(portfolioWith("").substr(0, 60)) << "" << "unexpected end of input";
    QTest::newRow("not an object") << "[]" << "" << "must be an object";
    QTest::newRow("unknown venue") << R"({"venue":"ftx","walletBalance":1,"positions":[]})" << "venue" << "unknown venue \"ftx\"";
    QTest::newRow("venue missing") << R"({"walletBalance":1,"positions":[]})" << "venue" << "is required";
    QTest::newRow("venue mistyped") << R"({"venue":3,"walletBalance":1,"positions":[]})" << "venue" << "must be a string, got a number";
    QTest::newRow("wallet missing") << R"({"venue":"generic","positions":[]})" << "walletBalance" << "is required";
    QTest::newRow("wallet malformed") << R"({"venue":"generic","walletBalance":"1.2.3","positions":[]})" << "walletBalance"
                                     << "second decimal point";
    QTest::newRow("wallet negative") << R"({"venue":"generic","walletBalance":-5,"positions":[]})" << "walletBalance"
                                    << "must not be negative";
    QTest::newRow("positions not array") << R"({"venue":"generic","walletBalance":1,"positions":{}})" << "positions"
                                        << "must be an array, got an object";
    QTest::newRow("top-level typo") << R"({"venue":"generic","walletBalance":1,"positions":[],"walletBalanse":2})"
                                   << "walletBalanse" << "unknown field";
    QTest::newRow("position typo") << QString::fromStdString(portfolioWith(R"(,"markPrise":"1")")) << "positions[0].markPrise"
                                  << "unknown field";
    QTest::newRow("negative quantity") << QString::fromStdString(portfolioWith("").replace(portfolioWith("").find("\"0.1\""), 5, "\"-1\""))
                                      << "positions[0].quantity" << "must be greater than 0, got -1";
    QTest::newRow("quantity as text") << QString::fromStdString(portfolioWith("").replace(portfolioWith("").find("\"0.1\""), 5, "\"abc\""))
                                     << "positions[0].quantity" << "\"abc\" is not a decimal number";
    QTest::newRow("quantity null") << QString::fromStdString(portfolioWith("").replace(portfolioWith("").find("\"0.1\""), 5, "null"))
                                  << "positions[0].quantity" << "got null";
    QTest::newRow("bad side") << R"({"venue":"generic","walletBalance":1,"positions":[{"symbol":"X","side":"up","quantity":1,"entryPrice":1,"maintenanceMarginRate":0.01}]})"
                             << "positions[0].side" << "must be \"long\" or \"short\", got \"up\"";
    QTest::newRow("mark zero") << QString::fromStdString(portfolioWith(R"(,"markPrice":0)")) << "positions[0].markPrice"
                              << "must be greater than 0";
    QTest::newRow("rate of 10") << QString::fromStdString(portfolioWith(R"(,"maintenanceMarginRate":10)"))
                               << "positions[0].maintenanceMarginRate" << "must be below 1";
    QTest::newRow("amount without rate") << QString::fromStdString(portfolioWith(R"(,"maintenanceAmount":10)"))
                                        << "positions[0].maintenanceAmount" << "needs maintenanceMarginRate";
    QTest::newRow("unknown symbol") << R"({"venue":"binance-usdm","walletBalance":1,"positions":[{"symbol":"DOGEUSDT","side":"long","quantity":1,"entryPrice":1}]})"
                                   << "positions[0].maintenanceMarginRate" << "no built-in tier table for \"DOGEUSDT\"";
    QTest::newRow("hyperliquid without max leverage")
        << R"({"venue":"hyperliquid","walletBalance":1,"positions":[{"symbol":"BTC","side":"long","quantity":1,"entryPrice":1}]})"
        << "positions[0].maxLeverage" << "is required for hyperliquid";
    QTest::newRow("fractional max leverage") << QString::fromStdString(portfolioWith(R"(,"maxLeverage":2.5)"))
                                            << "positions[0].maxLeverage" << "must be a whole number";
    QTest::newRow("isolated without margin") << QString::fromStdString(portfolioWith(R"(,"marginMode":"isolated")"))
                                            << "positions[0].isolatedMargin" << "is required for an isolated position";
    QTest::newRow("bad margin mode") << QString::fromStdString(portfolioWith(R"(,"marginMode":"portfolio")"))
                                    << "positions[0].marginMode" << "must be \"cross\", \"crossed\" or \"isolated\"";
    QTest::newRow("leg side mismatch") << QString::fromStdString(portfolioWith(R"(,"positionSide":"short")"))
                                      << "positions[0].positionSide" << "must match the position's side";
    QTest::newRow("absurd notional") << QString::fromStdString(portfolioWith(R"(,"markPrice":"99999999999999999999")"))
                                    << "positions[0]" << "beyond 1e15";
    QTest::newRow("fee as percent") << QString::fromStdString(portfolioWith(R"(,"takerFeeRate":"0.5")"))
                                   << "positions[0].takerFeeRate" << "must be a fraction below 0.1";
    QTest::newRow("duplicate one-way position")
        << R"({"venue":"binance-usdm","walletBalance":1,"positions":[
              {"symbol":"BTCUSDT","side":"long","quantity":1,"entryPrice":1},
              {"symbol":"BTCUSDT","side":"short","quantity":1,"entryPrice":1}]})"
        << "positions[1]" << "a second cross position on \"BTCUSDT\"";
    QTest::newRow("one-way mixed with hedge")
        << R"({"venue":"binance-usdm","walletBalance":1,"positions":[
              {"symbol":"BTCUSDT","side":"long","quantity":1,"entryPrice":1},
              {"symbol":"BTCUSDT","side":"short","positionSide":"short","quantity":1,"entryPrice":1}]})"
        << "positions[1].positionSide" << "mixes one-way";
    QTest::newRow("object where a number belongs") << QString::fromStdString(portfolioWith(R"(,"markPrice":{"last":"1","zz":[1,{}]})"))
                                                  << "positions[0].markPrice" << "must be a number or a decimal string, got an object";
    QTest::newRow("array where a string belongs") << QString::fromStdString(portfolioWith(R"(,"positionSide":["long"])"))
                                                 << "positions[0].positionSide" << "must be a string, got an array";
    QTest::newRow("position is an array") << R"({"venue":"generic","walletBalance":1,"positions":[[]]})" << "positions[0]"
                                         << "must be an object, got an array";
    QTest::newRow("document is a number") << "42" << "" << "must be an object, got a number";
    QTest::newRow("positions missing") << R"({"venue":"generic","walletBalance":1})" << "positions" << "is required";
    QTest::newRow("second position bad") << R"({"venue":"generic","walletBalance":1,"positions":[
              {"symbol":"A","side":"long","quantity":1,"entryPrice":1,"maintenanceMarginRate":0.01},
              {"symbol":"B","side":"long","quantity":"1e-19","entryPrice":1,"maintenanceMarginRate":0.01}]})"
                                        << "positions[1].quantity" << "more than 18 decimal places";
    QTest::newRow("duplicate key") << QString::fromStdString(portfolioWith(R"(,"markPrice":"1","markPrice":"2")"))
                                  << "positions[0].markPrice" << "appears twice";
    QTest::newRow("second positions array") << R"({"venue":"generic","walletBalance":1,"positions":[],"positions":[]})"
                                            << "positions" << "appears twice";
    QTest::newRow("amount beyond notional × rate")
        << QString::fromStdString(portfolioWith(R"(,"maintenanceMarginRate":"0.01","maintenanceAmount":"100")"))
        << "positions[0].maintenanceAmount" << "100 is more than notional × rate at the mark (50)";
    QTest::newRow("amount with a zero rate")
        << QString::fromStdString(portfolioWith(R"(,"maintenanceMarginRate":"0","maintenanceAmount":"1")"))
        << "positions[0].maintenanceAmount" << "more than notional × rate";
    QTest::newRow("leverage below 1") << QString::fromStdString(portfolioWith(R"(,"leverage":"0.000000000000000001")"))
                                     << "positions[0].leverage" << "must be from 1 to 1000";
    QTest::newRow("absurd isolated margin") << QString::fromStdString(portfolioWith(R"(,"isolatedMargin":"1e19")"))
                                           << "positions[0].isolatedMargin" << "beyond 1e15";
    QTest::newRow("control character in symbol")
        << R"({"venue":"generic","walletBalance":1,"positions":[{"symbol":"BTC\nUSDT","side":"long","quantity":1,"entryPrice":1,"maintenanceMarginRate":0.01}]})"
        << "positions[0].symbol" << "must not contain control characters, got \"BTC\\nUSDT\"";
    QTest::newRow("control character in a key")
        << QString::fromStdString(portfolioWith(R"(,"mark\nPrice":1)")) << "positions[0].\"mark\\nPrice\"" << "unknown field";
    QTest::newRow("hedged legs with two marks")
        << R"({"venue":"binance-usdm","walletBalance":1,"positions":[
              {"symbol":"BTCUSDT","side":"long","positionSide":"long","quantity":1,"entryPrice":1,"markPrice":2},
              {"symbol":"BTCUSDT","side":"short","positionSide":"short","quantity":1,"entryPrice":1,"markPrice":3}]})"
        << "positions[1].markPrice" << "3 differs from positions[0] on the same symbol (2)";
    QTest::newRow("position not an object") << R"({"venue":"generic","walletBalance":1,"positions":[42]})" << "positions[0]"
                                           << "must be an object, got a number";
}

void TestPortfolioFile::rejectsBadInputNamingTheField()
{
    QFETCH(QString, json);
    QFETCH(QString, field);
    QFETCH(QString, reason);
    try {
        (void)readPortfolio(json.toStdString());
        QFAIL("bad input was accepted");
    } catch (const PortfolioFileError& error) {
        QCOMPARE(QString::fromStdString(error.field()), field);
        QVERIFY2(QString::fromStdString(error.reason()).contains(reason), error.what());
        QVERIFY(QString::fromStdString(error.what()).startsWith(field));
    }
}

void TestPortfolioFile::readsDefaults()
{
    const Portfolio portfolio = readPortfolio(portfolioWith(""));
    QCOMPARE(portfolio.account.venue, Venue::BinanceUsdm);
    QCOMPARE(portfolio.account.label, std::string("binance-usdm"));
    QCOMPARE(portfolio.account.marginMode, MarginMode::Cross);
    const Position& position = portfolio.positions.at(0);
    QCOMPARE(position.markPrice, position.entryPrice); // mark defaults to entry
    QCOMPARE(position.marginMode, MarginMode::Cross);
    QCOMPARE(position.positionSide, PositionSide::Both);
    QVERIFY(position.takerFeeRate.isZero());
    QCOMPARE(position.instrument->riskTiers.size(), std::size_t(12)); // Binance's published BTCUSDT table
}

void TestPortfolioFile::acceptsNumbersAndStringsAlike()
{
    const Portfolio strings = readPortfolio(portfolioWith(R"(,"markPrice":"49999.95","maintenanceMarginRate":"0.0065")"));
    const Portfolio numbers = readPortfolio(portfolioWith(R"(,"markPrice":49999.95,"maintenanceMarginRate":0.0065)"));
    QCOMPARE(strings.positions[0].markPrice, numbers.positions[0].markPrice);
    QCOMPARE(numbers.positions[0].instrument->riskTiers[0].maintenanceMarginRate.toString(), std::string("0.0065"));
}

void TestPortfolioFile::normalisesMarginModeSpelling()
{
    const Portfolio portfolio = readPortfolio(portfolioWith(R"(,"marginMode":"CROSSED")", R"(,"marginMode":"isolated")"));
    QCOMPARE(portfolio.account.marginMode, MarginMode::Isolated);
    QCOMPARE(portfolio.positions[0].marginMode, MarginMode::Cross);
}

void TestPortfolioFile::sharesInstrumentsWithTheSameTerms()
{
    const Portfolio portfolio = readPortfolio(R"({"venue":"generic","walletBalance":1,"positions":[
        {"symbol":"A","side":"long","quantity":1,"entryPrice":1,"maintenanceMarginRate":"0.01"},
        {"symbol":"B","side":"short","quantity":1,"entryPrice":1,"maintenanceMarginRate":"0.01","marginMode":"isolated","leverage":2},
        {"symbol":"A","side":"long","quantity":1,"entryPrice":1,"maintenanceMarginRate":"0.02","marginMode":"isolated","leverage":2,
         "positionSide":"long"},
        {"symbol":"A","side":"short","quantity":1,"entryPrice":1,"maintenanceMarginRate":"0.02","marginMode":"isolated","leverage":2,
         "positionSide":"short"}]})");
    QCOMPARE(portfolio.positions[0].instrument->riskTiers[0].maintenanceMarginRate, Decimal::parse("0.01"));
    QCOMPARE(portfolio.positions[1].instrument->symbol, std::string("B"));
    QVERIFY(portfolio.positions[0].instrument != portfolio.positions[2].instrument);
    QCOMPARE(portfolio.positions[2].instrument, portfolio.positions[3].instrument);
}

void TestPortfolioFile::writesRiskAsJson()
{
    const auto evaluated = test::evaluate(R"({"venue":"okx-swap","label":"main","walletBalance":"0","positions":[
        {"symbol":"BTC-USDT-SWAP","side":"short","quantity":"1","entryPrice":"100","markPrice":"150","maintenanceMarginRate":"0.01"}]})");
    const auto json = nlohmann::json::parse(portfolioRiskToJson(evaluated.portfolio, evaluated.risk));
    QCOMPARE(json["venue"].get<std::string>(), std::string("okx-swap"));
    QCOMPARE(json["label"].get<std::string>(), std::string("main"));
    const auto& position = json["positions"][0];
    QCOMPARE(position["symbol"].get<std::string>(), std::string("BTC-USDT-SWAP"));
    QCOMPARE(position["side"].get<std::string>(), std::string("short"));
    QVERIFY(position["tier"].is_null());
    QCOMPARE(position["unrealizedPnl"].get<double>(), -50.0);
    QCOMPARE(position["maintenanceMargin"].get<double>(), 1.5);
    // Equity is −50: beyond liquidation, so the ratio has no finite value and is written as null.
    QVERIFY(json["account"]["marginRatio"].is_null());
    QCOMPARE(json["account"]["liquidationDue"].get<bool>(), true);
    QCOMPARE(position["liquidationDue"].get<bool>(), true);
    QCOMPARE(json["account"]["requirement"].get<double>(), 1.5 + 150 * 0.0005); // OKX's assumed taker fee
    QCOMPARE(json["account"]["nativeMarginRatio"].get<double>(), -50.0 / (1.5 + 150 * 0.0005));
    // The liquidation price lies below the mark already: distance negative, not hidden.
    QVERIFY(position["liquidationPrice"].is_number());
    QVERIFY(position["distanceToLiquidationPct"].get<double>() < 0);
}

void TestPortfolioFile::writesAmountsExactly()
{
    const auto evaluated = test::evaluate(R"({"venue":"generic","walletBalance":"999999999999999.99","positions":[
        {"symbol":"X","side":"long","quantity":"0.000001","entryPrice":"0.123456789","maintenanceMarginRate":"0.01"}]})");
    const std::string text = portfolioRiskToJson(evaluated.portfolio, evaluated.risk);
    QVERIFY2(text.find(R"("walletBalance": 999999999999999.99,)") != std::string::npos, text.c_str());
    QVERIFY2(text.find(R"("notional": 0.000000123456789,)") != std::string::npos, text.c_str());
    QVERIFY(nlohmann::json::accept(text));
}

void TestPortfolioFile::errorsStayOnOneLine()
{
    for (const char* json : {R"({"venue":"generic","walletBalance":1,"positions":[{"symbol":"A\nB","side":"x"}]})",
                             R"({"venue\r\n":"generic"})", R"({"venue":"bin\nance","walletBalance":1,"positions":[]})"}) {
        try {
            (void)readPortfolio(json);
            QFAIL(json);
        } catch (const PortfolioFileError& error) {
            const std::string message = error.what();
            QVERIFY2(message.find('\n') == std::string::npos && message.find('\r') == std::string::npos, message.c_str());
        }
    }
}

QTEST_APPLESS_MAIN(TestPortfolioFile)
#include "tst_portfolio_file.moc"
