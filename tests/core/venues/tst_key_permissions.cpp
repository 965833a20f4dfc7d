// The venues' API-key permission answers read into ReportedKeyPermissions: the documented examples
// (verbatim), answers of every permission combination, and broken answers refused with the field
// named. A switch an answer does not report must stay unknown, never be guessed.
#include "venues/key_permissions.h"

#include <QtTest>

using namespace mm;

Q_DECLARE_METATYPE(mm::Venue)

namespace {

std::string_view view(const QByteArray& bytes)
{
    return {bytes.constData(), static_cast<std::size_t>(bytes.size())};
}

/// A switch as the test tables write it: -1 not reported, 0 no, 1 yes.
std::optional<bool> expected(int value)
{
    return value < 0 ? std::nullopt : std::optional(value == 1);
}

// Binance Wallet API "查询用户API Key权限 (USER_DATA)" (developers.binance.com/docs/zh-CN/wallet/account/
// api-key-permission), response example — verbatim, its // comments included.
const QByteArray kBinanceDocumented = R"({
"ipRestrict": false, // 是否限制ip访问
"createTime": 1623840271000, // 创建时间
"enableReading": true,
"enableWithdrawals": false, // 此选项允许通过此api提现。开启提现选项必须添加IP访问限制过滤器
"enableInternalTransfer": true, // 此选项授权此密钥在您的母账户和子账户之间划转资金
"enableMargin": false, // 此选项在全仓账户完成划转后可编辑
"enableFutures": false, // 合约交易权限,需注意开通合约账户之前创建的API Key不支持合约API功能
"permitsUniversalTransfer": true, // 授权该密钥可用于专用的万向划转接口,用以操作其支持的多种类型资金划转。各业务自身的划转接口使用权限,不受本授权影响
"enableVanillaOptions": false, // 欧式期权交易权限
"enableFixApiTrade": false, // FIX API交易权限
"enableFixReadOnly": true, // FIX API读取权限
"enableSpotAndMarginTrading": false, // 现货和杠杆交易权限
"enablePortfolioMarginTrading":true // 统一账户交易权限
})";

// Bybit v5 "Get API Key Information" (bybit-exchange.github.io/docs/v5/user/apikey-info), response
// example — verbatim.
const QByteArray kBybitDocumented = R"({
    "retCode": 0,
    "retMsg": "",
    "result": {
        "id": "13770661",
        "note": "readwrite api key",
        "apiKey": "XXXXXX",
        "readOnly": 0,
        "secret": "",
        "permissions": {
            "ContractTrade": [
                "Order",
                "Position"
            ],
            "Spot": [
                "SpotTrade"
            ],
            "Wallet": [
                "AccountTransfer",
                "SubMemberTransfer"
            ],
            "Options": [
                "OptionsTrade"
            ],
            "Derivatives": [],
            "CopyTrading": [],
            "BlockTrade": [],
            "Exchange": [],
            "NFT": [],
            "Affiliate": [],
            "Earn": []
        },
        "ips": [
            "*"
        ],
        "type": 1,
        "deadlineDay": 66,
        "expiredAt": "2023-12-22T07:20:25Z",
        "createdAt": "2022-10-16T02:24:40Z",
        "unified": 0,
        "uta": 0,
        "userID": 24617703,
        "inviterID": 0,
        "vipLevel": "No VIP",
        "mktMakerLevel": "0",
        "affiliateID": 0,
        "rsaPublicKey": "",
        "isMaster": true,
        "parentUid": "0",
        "kycLevel": "LEVEL_DEFAULT",
        "kycRegion": ""
    },
    "retExtInfo": {},
    "time": 1697525990798
})";

// OKX v5 "Get account configuration" (www.okx.com/docs-v5/en/#trading-account-rest-api-get-account-
// configuration), response example — verbatim.
const QByteArray kOkxDocumented = R"({
    "code": "0",
    "data": [
        {
            "acctLv": "2",
            "acctStpMode": "cancel_maker",
            "autoLoan": false,
            "ctIsoMode": "automatic",
            "enableSpotBorrow": false,
            "greeksType": "PA",
            "ip": "",
            "type": "0",
            "kycLv": "3",
            "label": "v5 test",
            "level": "Lv1",
            "levelTmp": "",
            "liquidationGear": "-1",
            "mainUid": "44705892343619584",
            "mgnIsoMode": "automatic",
            "opAuth": "1",
            "perm": "read_only,withdraw,trade",
            "posMode": "long_short_mode",
            "roleType": "0",
            "spotBorrowAutoRepay": false,
            "spotOffsetType": "",
            "spotRoleType": "0",
            "spotTraderInsts": [],
            "traderInsts": [],
            "uid": "44705892343619584"
        }
    ],
    "msg": ""
})";

QByteArray bybitResult(const QByteArray& result)
{
    return R"({"retCode":0,"retMsg":"","result":)" + result + R"(,"retExtInfo":{},"time":1697525990798})";
}

QByteArray okxRow(const QByteArray& row)
{
    return R"({"code":"0","msg":"","data":[)" + row + "]}";
}

} // namespace

class TestKeyPermissions : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsEachVenuesAnswer_data();
    void readsEachVenuesAnswer();
    void refusesBrokenAnswers_data();
    void refusesBrokenAnswers();
    void onlyKeyedVenuesHavePermissions();
};

void TestKeyPermissions::readsEachVenuesAnswer_data()
{
    QTest::addColumn<Venue>("venue");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("canRead");
    QTest::addColumn<int>("canTrade");
    QTest::addColumn<int>("canWithdraw");
    QTest::addColumn<int>("ipRestricted");

    QTest::newRow("binance documented") << Venue::BinanceUsdm << kBinanceDocumented << 1 << 0 << 0 << 0;
    QTest::newRow("binance everything on")
        << Venue::BinanceUsdm
        << QByteArray(
               R"({"ipRestrict":true,"createTime":1,"enableReading":true,"enableWithdrawals":true,"enableFutures":true})")
        << 1 << 1 << 1 << 1;
    QTest::newRow("binance without ipRestrict: not reported")
        << Venue::BinanceUsdm << QByteArray(R"({"enableReading":true,"enableWithdrawals":false,"enableFutures":true})")
        << 1 << 1 << 0 << -1;

    QTest::newRow("bybit documented") << Venue::BybitLinear << kBybitDocumented << -1 << 1 << 0 << 0;
    QTest::newRow("bybit read only, bound, withdraw")
        << Venue::BybitLinear
        << bybitResult(
               R"({"readOnly":1,"permissions":{"ContractTrade":["Order","Position"],"Wallet":["Withdraw"]},"ips":["203.0.113.7"]})")
        << -1 << 0 << 1 << 1;
    QTest::newRow("bybit unified: DerivativesTrade")
        << Venue::BybitLinear
        << bybitResult(
               R"({"readOnly":0,"permissions":{"ContractTrade":[],"Derivatives":["DerivativesTrade"],"Wallet":[]},"ips":[]})")
        << -1 << 1 << 0 << 0;
    QTest::newRow("bybit read-write without contract groups")
        << Venue::BybitLinear << bybitResult(R"({"readOnly":0,"permissions":{"Spot":["SpotTrade"]},"ips":["*"]})") << -1
        << 0 << 0 << 0;
    QTest::newRow("bybit read only, nothing else reported")
        << Venue::BybitLinear << bybitResult(R"({"readOnly":1})") << -1 << 0 << -1 << -1;

    QTest::newRow("okx documented") << Venue::OkxSwap << kOkxDocumented << 1 << 1 << 1 << 0;
    QTest::newRow("okx read only, two addresses")
        << Venue::OkxSwap << okxRow(R"({"perm":"read_only","ip":"117.37.203.58,117.37.203.57"})") << 1 << 0 << 0 << 1;
    QTest::newRow("okx trade, no ip field")
        << Venue::OkxSwap << okxRow(R"({"perm":"read_only, trade"})") << 1 << 1 << 0 << -1;
}

void TestKeyPermissions::readsEachVenuesAnswer()
{
    QFETCH(Venue, venue);
    QFETCH(QByteArray, body);
    QFETCH(int, canRead);
    QFETCH(int, canTrade);
    QFETCH(int, canWithdraw);
    QFETCH(int, ipRestricted);
    std::string problem;
    const auto permissions = parseKeyPermissions(venue, view(body), problem);
    QVERIFY2(permissions, problem.c_str());
    QVERIFY(problem.empty());
    QCOMPARE(permissions->canRead, expected(canRead));
    QCOMPARE(permissions->canTrade, expected(canTrade));
    QCOMPARE(permissions->canWithdraw, expected(canWithdraw));
    QCOMPARE(permissions->ipRestricted, expected(ipRestricted));
}

void TestKeyPermissions::refusesBrokenAnswers_data()
{
    QTest::addColumn<Venue>("venue");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("named"); // what the problem must mention

    for (const Venue venue : {Venue::BinanceUsdm, Venue::BybitLinear, Venue::OkxSwap}) {
        const QByteArray name = venueName(venue).data();
        QTest::newRow(name + " not JSON") << venue << QByteArray("<html>502 Bad Gateway</html>") << "not JSON";
        QTest::newRow(name + " empty") << venue << QByteArray() << "not JSON";
        QTest::newRow(name + " an array") << venue << QByteArray("[]") << "not an object";
    }
    QTest::newRow("binance error answer")
        << Venue::BinanceUsdm << QByteArray(R"({"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."})")
        << "-2015: Invalid API-key";
    QTest::newRow("binance switch as text")
        << Venue::BinanceUsdm << QByteArray(R"({"ipRestrict":false,"enableReading":true,"enableFutures":"true"})")
        << "\"enableFutures\" is a string";
    QTest::newRow("binance no switch at all") << Venue::BinanceUsdm << QByteArray(R"({"createTime":1})") << "none of";
    QTest::newRow("binance switch null") << Venue::BinanceUsdm << QByteArray(R"({"ipRestrict":null})")
                                         << "\"ipRestrict\" is null";

    QTest::newRow("bybit error answer")
        << Venue::BybitLinear
        << QByteArray(R"({"retCode":10003,"retMsg":"API key is invalid.","result":{},"retExtInfo":{},"time":1})")
        << "10003: API key is invalid.";
    QTest::newRow("bybit retCode as text")
        << Venue::BybitLinear << QByteArray(R"({"retCode":"0","result":{}})") << "\"retCode\"";
    QTest::newRow("bybit no result") << Venue::BybitLinear << QByteArray(R"({"retCode":0,"retMsg":"OK"})")
                                     << "\"result\" is missing";
    QTest::newRow("bybit result an array") << Venue::BybitLinear << bybitResult("[]") << "\"result\" is an array";
    QTest::newRow("bybit readOnly missing")
        << Venue::BybitLinear << bybitResult(R"({"ips":["*"]})") << "\"readOnly\" is missing";
    QTest::newRow("bybit nothing reported")
        << Venue::BybitLinear << bybitResult(R"({"readOnly":0,"type":1})") << "neither \"permissions\" nor \"ips\"";
    QTest::newRow("bybit readOnly 2") << Venue::BybitLinear << bybitResult(R"({"readOnly":2})") << "\"readOnly\" is 2";
    QTest::newRow("bybit readOnly true") << Venue::BybitLinear << bybitResult(R"({"readOnly":true})") << "\"readOnly\"";
    QTest::newRow("bybit permissions a list")
        << Venue::BybitLinear << bybitResult(R"({"readOnly":0,"permissions":["Order"]})")
        << "\"permissions\" is an array";
    QTest::newRow("bybit group a string")
        << Venue::BybitLinear << bybitResult(R"({"readOnly":0,"permissions":{"ContractTrade":"Order"}})")
        << "\"ContractTrade\" is a string";
    QTest::newRow("bybit ips of numbers")
        << Venue::BybitLinear << bybitResult(R"({"readOnly":0,"permissions":{},"ips":[127001]})") << "\"ips\"[0]";

    QTest::newRow("okx error answer") << Venue::OkxSwap
                                      << QByteArray(R"({"code":"50111","msg":"Invalid OK-ACCESS-KEY","data":[]})")
                                      << "50111: Invalid OK-ACCESS-KEY";
    QTest::newRow("okx code a number") << Venue::OkxSwap << QByteArray(R"({"code":0,"data":[]})")
                                       << "\"code\" is a number";
    QTest::newRow("okx no data") << Venue::OkxSwap << QByteArray(R"({"code":"0","msg":""})") << "\"data\" is missing";
    QTest::newRow("okx data empty") << Venue::OkxSwap << okxRow("") << "\"data\" is empty";
    QTest::newRow("okx row a string") << Venue::OkxSwap << okxRow(R"("read_only")") << "data[0] is a string";
    QTest::newRow("okx perm missing") << Venue::OkxSwap << okxRow(R"({"ip":""})") << "\"perm\" is missing";
    QTest::newRow("okx perm unknown") << Venue::OkxSwap << okxRow(R"({"perm":"read_only,fly"})") << "\"fly\"";
    QTest::newRow("okx perm empty") << Venue::OkxSwap << okxRow(R"({"perm":""})") << "\"perm\" is empty";
    QTest::newRow("okx ip a number") << Venue::OkxSwap << okxRow(R"({"perm":"read_only","ip":5})")
                                     << "\"ip\" is a number";
}

void TestKeyPermissions::refusesBrokenAnswers()
{
    QFETCH(Venue, venue);
    QFETCH(QByteArray, body);
    QFETCH(QString, named);
    std::string problem;
    const auto permissions = parseKeyPermissions(venue, view(body), problem);
    QVERIFY(!permissions);
    QVERIFY2(QString::fromStdString(problem).contains(named), problem.c_str());
}

void TestKeyPermissions::onlyKeyedVenuesHavePermissions()
{
    for (const Venue venue : {Venue::Hyperliquid, Venue::Generic}) {
        std::string problem;
        QVERIFY(!parseKeyPermissions(venue, view(kOkxDocumented), problem));
        QVERIFY2(problem.find("no API keys") != std::string::npos, problem.c_str());
    }
}

QTEST_APPLESS_MAIN(TestKeyPermissions)
#include "tst_key_permissions.moc"
