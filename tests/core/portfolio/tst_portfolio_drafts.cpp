// Portfolio drafts: the manual positions as the trader typed them, written to and read from the
// `eval` schema without losing a digit, and refused with the field named when they are wrong.
#include "margin/margin_model.h"
#include "portfolio/portfolio_draft.h"
#include "portfolio/portfolio_file.h"

#include <QtTest>

#include <fstream>
#include <sstream>

using namespace mm;

namespace {

PortfolioDraft sampleDraft()
{
    PortfolioDraft draft;
    draft.venue = "bybit-linear";
    draft.label = "Swing \"main\"";
    draft.walletBalance = "12000.000000000000000001";
    PositionDraft btc;
    btc.symbol = "BTCUSDT";
    btc.side = "short";
    btc.quantity = "0.8";
    btc.entryPrice = "62000";
    btc.markPrice = "63150.05";
    draft.positions.push_back(btc);
    PositionDraft eth;
    eth.symbol = "ETHUSDT";
    eth.side = "long";
    eth.quantity = "3";
    eth.entryPrice = "3100";
    eth.markPrice = "3051.5";
    eth.marginMode = "isolated";
    eth.leverage = "25";
    eth.maintenanceMarginRate = "0.005";
    draft.positions.push_back(eth);
    return draft;
}

std::string readFile(const QString& path)
{
    std::ifstream file(path.toStdString());
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

} // namespace

class TestPortfolioDrafts : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTripsExactly();
    void writesAFileEvalReads();
    void readsTheShippedExamples_data();
    void readsTheShippedExamples();
    void roundTripsAListOfAccounts();
    void refusesBadInputNamingTheField_data();
    void refusesBadInputNamingTheField();
};

void TestPortfolioDrafts::roundTripsExactly()
{
    const PortfolioDraft draft = sampleDraft();
    const auto back = readPortfolioDrafts(writePortfolioText(draft));
    QCOMPARE(back.size(), std::size_t(1));
    QVERIFY(back.front() == draft);
    QCOMPARE(back.front().walletBalance, std::string("12000.000000000000000001"));
}

void TestPortfolioDrafts::writesAFileEvalReads()
{
    const std::string text = writePortfolioText(sampleDraft());
    const Portfolio portfolio = readPortfolio(text);
    QCOMPARE(portfolio.positions.size(), std::size_t(2));
    QCOMPARE(portfolio.account.label, std::string("Swing \"main\""));
    QCOMPARE(portfolio.positions[1].marginMode, MarginMode::Isolated);
    QCOMPARE(portfolio.positions[0].markPrice.toString(), std::string("63150.05"));
    // The schema's order, one position per line: the file reads like the shipped examples.
    QVERIFY(text.find("\"venue\"") < text.find("\"walletBalance\""));
    QVERIFY(text.find(R"({ "symbol": "BTCUSDT", "side": "short", "quantity": "0.8")") != std::string::npos);
}

void TestPortfolioDrafts::readsTheShippedExamples_data()
{
    QTest::addColumn<QString>("name");
    for (const char* name : {"demo-portfolio", "bybit-linear", "okx-swap", "hyperliquid"}) {
        QTest::newRow(name) << QString::fromUtf8(name);
    }
}

void TestPortfolioDrafts::readsTheShippedExamples()
{
    QFETCH(QString, name);
    const std::string original = readFile(QStringLiteral(EXAMPLES_DIR "/%1.json").arg(name));
    const auto drafts = readPortfolioDrafts(original);
    QCOMPARE(drafts.size(), std::size_t(1));
    // Written back and read again, the same account evaluates to the same risk, number for number.
    const Portfolio before = readPortfolio(original);
    const Portfolio after = readPortfolio(writePortfolioText(drafts.front()));
    QCOMPARE(after.positions.size(), before.positions.size());
    QCOMPARE(after.account.walletBalance, before.account.walletBalance);
    for (std::size_t i = 0; i < before.positions.size(); ++i) {
        QCOMPARE(after.positions[i].quantity, before.positions[i].quantity);
        QCOMPARE(after.positions[i].entryPrice, before.positions[i].entryPrice);
        QCOMPARE(after.positions[i].markPrice, before.positions[i].markPrice);
        QCOMPARE(after.positions[i].marginMode, before.positions[i].marginMode);
    }
    const auto model = MarginModel::forVenue(before.account.venue);
    QCOMPARE(portfolioRiskToJson(after, model->evaluate(after)), portfolioRiskToJson(before, model->evaluate(before)));
}

void TestPortfolioDrafts::roundTripsAListOfAccounts()
{
    PortfolioDraft second = sampleDraft();
    second.venue = "binance-usdm";
    second.label = "Hedge";
    second.positions.pop_back();
    const std::vector<PortfolioDraft> drafts{sampleDraft(), second};
    const auto back = readPortfolioDrafts(writePortfolioListText(drafts));
    QVERIFY(back == drafts);
    QVERIFY(readPortfolioDrafts(writePortfolioListText({})).empty());
}

void TestPortfolioDrafts::refusesBadInputNamingTheField_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("message");
    const QString account = QStringLiteral(R"({"venue":"binance-usdm","walletBalance":"1000","positions":[%1]})");
    const QString btc = QStringLiteral(R"({"symbol":"BTCUSDT","side":"long","quantity":"%1","entryPrice":"50000","markPrice":"50000"})");
    QTest::newRow("truncated") << account.arg(btc.arg("0.1")).left(60) << "parse error";
    QTest::newRow("negative quantity, one account") << account.arg(btc.arg("-1")) << "positions[0].quantity:";
    QTest::newRow("negative quantity in a list")
        << QStringLiteral(R"({"accounts":[%1,%2]})").arg(account.arg(btc.arg("1")), account.arg(btc.arg("-1")))
        << "accounts[1].positions[0].quantity:";
    QTest::newRow("unknown field in a list")
        << QStringLiteral(R"({"accounts":[{"venue":"okx-swap","walletBalance":"1","positions":[],"colour":"red"}]})")
        << "accounts[0].colour: is not a field of an account";
    QTest::newRow("misspelt position field in a list")
        << QStringLiteral(R"({"accounts":[{"venue":"okx-swap","walletBalance":"1","positions":[{"symbol":"X","qty":"1"}]}]})")
        << "accounts[0].positions[0].qty: is not a field of a position";
    QTest::newRow("a field as an object")
        << QStringLiteral(R"({"accounts":[{"venue":"okx-swap","walletBalance":{"v":1},"positions":[]}]})")
        << "accounts[0].walletBalance: is an object";
    QTest::newRow("a field twice in a list")
        << QStringLiteral(R"({"accounts":[{"venue":"okx-swap","walletBalance":"1","positions":[]},)"
                          R"({"venue":"okx-swap","walletBalance":"1","positions":[{"symbol":"X","side":"long","side":"short"}]}]})")
        << "accounts[1].positions[0].side: appears twice";
    QTest::newRow("accounts not a list") << QStringLiteral(R"({"accounts":{}})") << "accounts: is an object";
    QTest::newRow("an account not an object") << QStringLiteral(R"({"accounts":[7]})") << "accounts[0]: an account is";
    QTest::newRow("extra top-level field") << QStringLiteral(R"({"accounts":[],"more":1})") << "holds only";
}

void TestPortfolioDrafts::refusesBadInputNamingTheField()
{
    QFETCH(QString, json);
    QFETCH(QString, message);
    try {
        (void)readPortfolioDrafts(json.toStdString());
        QFAIL("accepted");
    } catch (const PortfolioFileError& error) {
        QVERIFY2(QString::fromUtf8(error.what()).contains(message), error.what());
    }
}

QTEST_APPLESS_MAIN(TestPortfolioDrafts)
#include "tst_portfolio_drafts.moc"
