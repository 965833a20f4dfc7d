#include "money/exact_json.h"

#include <QtTest>

using mm::Decimal;
using mm::decimalFromJson;
using mm::parseExactJson;

class TestExactJson : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void keepsTheDecimalAnExchangeWrote_data();
    void keepsTheDecimalAnExchangeWrote();
    void keepsStructure();
    void acceptsComments();
    void reportsSyntaxErrorsWithPosition_data();
    void reportsSyntaxErrorsWithPosition();
    void refusesNonNumbers();
    void refusesNestingDeeperThanTheLimit();
};

void TestExactJson::keepsTheDecimalAnExchangeWrote_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("decimal");
    // Binance's leverageBracket sends rates as JSON numbers; 0.0065 has no exact double.
    QTest::newRow("bracket rate") << R"({"v":0.0065})" << "0.0065";
    QTest::newRow("cum float") << R"({"v":0.0})" << "0";
    QTest::newRow("coefficient") << R"({"v":1.50})" << "1.5";
    QTest::newRow("integer") << R"({"v":135365})" << "135365";
    QTest::newRow("negative integer") << R"({"v":-7})" << "-7";
    QTest::newRow("unsigned beyond int64") << R"({"v":18446744073709551615})" << "18446744073709551615";
    QTest::newRow("exponent") << R"({"v":1E-7})" << "0.0000001";
    QTest::newRow("string") << R"({"v":"11794.15000000"})" << "11794.15";
    QTest::newRow("in an array") << R"({"v":[0.1]})" << "0.1";
}

void TestExactJson::keepsTheDecimalAnExchangeWrote()
{
    QFETCH(QString, json);
    QFETCH(QString, decimal);
    const auto document = parseExactJson(json.toStdString());
    const auto& value = document["v"].is_array() ? document["v"][0] : document["v"];
    QCOMPARE(QString::fromStdString(decimalFromJson(value).toString()), decimal);
}

void TestExactJson::keepsStructure()
{
    const auto document = parseExactJson(R"([{"a":null,"b":true,"c":"x","d":[1,2.5,{"e":[]}]}, 3])");
    QVERIFY(document.is_array());
    QCOMPARE(document.size(), std::size_t(2));
    QVERIFY(document[0]["a"].is_null());
    QCOMPARE(document[0]["b"].get<bool>(), true);
    QCOMPARE(document[0]["c"].get<std::string>(), std::string("x"));
    QCOMPARE(document[0]["d"].size(), std::size_t(3));
    QCOMPARE(decimalFromJson(document[0]["d"][1]), Decimal::parse("2.5"));
    QVERIFY(document[0]["d"][2]["e"].is_array());
    QCOMPARE(document[1].get<int>(), 3);
    QCOMPARE(mm::describeJsonType(document[0]["d"][1]), std::string("a number"));
}

void TestExactJson::acceptsComments()
{
    const auto document = parseExactJson("{ // a trader's note\n \"v\": 1.25 /* exact */ }");
    QCOMPARE(decimalFromJson(document["v"]), Decimal::parse("1.25"));
}

void TestExactJson::reportsSyntaxErrorsWithPosition_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("truncated") << "{\"v\": [1, 2" << "unexpected end of input";
    QTest::newRow("empty") << "" << "unexpected end of input";
    QTest::newRow("trailing comma") << "{\"v\": 1,}" << "line 1, column 9";
    QTest::newRow("second line") << "{\n\"v\": tru }" << "line 2";
    QTest::newRow("NaN literal") << "{\"v\": NaN}" << "syntax error";
}

void TestExactJson::reportsSyntaxErrorsWithPosition()
{
    QFETCH(QString, json);
    QFETCH(QString, fragment);
    try {
        (void)parseExactJson(json.toStdString());
        QFAIL("malformed JSON was accepted");
    } catch (const mm::JsonSyntaxError& error) {
        const QString message = QString::fromUtf8(error.what());
        QVERIFY2(message.contains(fragment), qPrintable(message));
        QVERIFY2(!message.contains("[json.exception"), qPrintable(message));
    }
}

void TestExactJson::refusesNestingDeeperThanTheLimit()
{
    // Up to mm::kMaxJsonDepth levels parse (and dump); one more is a syntax error, not a deep recursion later.
    const auto nested = [](std::size_t depth, char open, char close) {
        return std::string(depth, open) + std::string(depth, close);
    };
    const nlohmann::json deepest = mm::parseExactJson(nested(mm::kMaxJsonDepth, '[', ']'));
    QCOMPARE(deepest.dump().size(), 2 * mm::kMaxJsonDepth);
    QVERIFY_THROWS_EXCEPTION(mm::JsonSyntaxError, mm::parseExactJson(nested(mm::kMaxJsonDepth + 1, '[', ']')));
    QVERIFY_THROWS_EXCEPTION(mm::JsonSyntaxError, mm::parseExactJson(std::string(1'000'000, '[') + std::string(1'000'000, ']')));
    std::string objects;
    for (std::size_t i = 0; i <= mm::kMaxJsonDepth; ++i) {
        objects += R"({"a":)";
    }
    objects += "1" + std::string(mm::kMaxJsonDepth + 1, '}');
    try {
        (void)mm::parseExactJson(objects);
        QFAIL("an object nested too deep was accepted");
    } catch (const mm::JsonSyntaxError& error) {
        QCOMPARE(QString(error.what()), QString("nested deeper than 128 levels"));
    }
}

void TestExactJson::refusesNonNumbers()
{
    const auto document = parseExactJson(R"({"s":"abc","n":null,"o":{},"b":false})");
    for (const char* key : {"s", "n", "o", "b"}) {
        QVERIFY_THROWS_EXCEPTION(mm::DecimalError, (void)decimalFromJson(document[key]));
    }
    QVERIFY(!mm::holdsDecimal(document["n"]));
    // A double built in code has already lost its decimal value: refused, not guessed.
    QVERIFY_THROWS_EXCEPTION(mm::DecimalError, (void)decimalFromJson(nlohmann::json(0.1)));
}

QTEST_APPLESS_MAIN(TestExactJson)
#include "tst_exact_json.moc"
