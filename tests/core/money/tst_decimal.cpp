#include "money/decimal.h"

#include <QtTest>

using mm::Decimal;
using mm::DecimalError;

class TestDecimal : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesExchangeText_data();
    void parsesExchangeText();
    void rejectsMalformedText_data();
    void rejectsMalformedText();
    void tryParseAgreesWithParse();
    void addsAndSubtractsExactly();
    void multipliesExactly_data();
    void multipliesExactly();
    void dividesWithHalfEvenRounding_data();
    void dividesWithHalfEvenRounding();
    void refusesToOverflow();
    void roundsToStep_data();
    void roundsToStep();
    void convertsToDouble();
    void orders();
};

void TestDecimal::parsesExchangeText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("canonical");
    QTest::newRow("binance mark") << "11794.15000000" << "11794.15";
    QTest::newRow("funding rate") << "0.00038167" << "0.00038167";
    QTest::newRow("negative") << "-1.166074" << "-1.166074";
    QTest::newRow("integer") << "135365" << "135365";
    QTest::newRow("zero") << "0" << "0";
    QTest::newRow("negative zero") << "-0.000" << "0";
    QTest::newRow("leading zeros") << "007.50" << "7.5";
    QTest::newRow("exponent") << "1e-7" << "0.0000001";
    QTest::newRow("upper exponent") << "1.5E+3" << "1500";
    QTest::newRow("18 places") << "0.000000000000000001" << "0.000000000000000001";
    QTest::newRow("trailing zeros past 18 places") << "0.10000000000000000000000" << "0.1";
    QTest::newRow("hyperliquid") << "173198.69592357" << "173198.69592357";
    QTest::newRow("near the top") << "99999999999999999999.999999999999999999"
                                  << "99999999999999999999.999999999999999999";
    QTest::newRow("exponent cancels places") << "123.456e2" << "12345.6";
}

void TestDecimal::parsesExchangeText()
{
    QFETCH(QString, text);
    QFETCH(QString, canonical);
    QCOMPARE(QString::fromStdString(Decimal::parse(text.toStdString()).toString()), canonical);
}

void TestDecimal::rejectsMalformedText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("reason");
    QTest::newRow("empty") << "" << "empty";
    QTest::newRow("letters") << "abc" << "must start with a digit";
    QTest::newRow("two points") << "1.2.3" << "second decimal point";
    QTest::newRow("NaN") << "NaN" << "must start with a digit";
    QTest::newRow("infinity") << "Infinity" << "must start with a digit";
    QTest::newRow("plus sign") << "+1" << "must start with a digit";
    QTest::newRow("bare point") << "1." << "digit must follow";
    QTest::newRow("leading point") << ".5" << "must start with a digit";
    QTest::newRow("space") << " 1" << "must start with a digit";
    QTest::newRow("trailing space") << "1 " << "characters after";
    QTest::newRow("19 places") << "0.0000000000000000001" << "more than 18 decimal places";
    QTest::newRow("too large") << "100000000000000000000" << "out of range";
    QTest::newRow("huge exponent") << "1e30" << "out of range";
    QTest::newRow("tiny exponent") << "1e-30" << "more than 18 decimal places";
    QTest::newRow("exponent without digits") << "1e" << "exponent has no digits";
    QTest::newRow("hex") << "0x10" << "characters after";
    QTest::newRow("too many digits") << "1234567890123456789012345678901234567890" << "significant digits";
}

void TestDecimal::rejectsMalformedText()
{
    QFETCH(QString, text);
    QFETCH(QString, reason);
    try {
        (void)Decimal::parse(text.toStdString());
        QFAIL("parse accepted malformed text");
    } catch (const DecimalError& error) {
        const QString message = QString::fromUtf8(error.what());
        QVERIFY2(message.contains(reason), qPrintable(message));
        QVERIFY2(message.contains("is not a decimal number"), qPrintable(message));
    }
}

void TestDecimal::tryParseAgreesWithParse()
{
    QVERIFY(!Decimal::tryParse("1.2.3"));
    QVERIFY(!Decimal::tryParse(""));
    QCOMPARE(Decimal::tryParse("1.25").value(), Decimal::parse("1.25"));
}

void TestDecimal::addsAndSubtractsExactly()
{
    // 0.1 + 0.2 is exactly 0.3 here, unlike in binary floating point.
    QCOMPARE(Decimal::parse("0.1") + Decimal::parse("0.2"), Decimal::parse("0.3"));
    Decimal balance = Decimal::parse("1535443.01");
    for (int i = 0; i < 1000; ++i) {
        balance += Decimal::parse("0.000001");
    }
    QCOMPARE(balance.toString(), std::string("1535443.011"));
    QCOMPARE((Decimal::parse("5") - Decimal::parse("7.25")).toString(), std::string("-2.25"));
    QCOMPARE((-Decimal::parse("3")).toString(), std::string("-3"));
    QCOMPARE(Decimal::parse("-3").abs(), Decimal::parse("3"));
}

void TestDecimal::multipliesExactly_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<QString>("product");
    QTest::newRow("notional") << "3683.979" << "1456.84" << "5366967.96636";
    QTest::newRow("btc notional") << "109.488" << "31967.27" << "3500032.45776";
    QTest::newRow("rate") << "5366967.96636" << "0.10" << "536696.796636";
    QTest::newRow("short sign") << "-0.02" << "50000" << "-1000";
    QTest::newRow("both negative") << "-1.5" << "-2" << "3";
    QTest::newRow("tiny × tiny rounds half-even down") << "0.000000001" << "0.0000000005" << "0";
    QTest::newRow("tiny × tiny rounds half-even up") << "0.000000001" << "0.0000000015" << "0.000000000000000002";
    QTest::newRow("big × small") << "10000000000" << "0.000000001" << "10";
    QTest::newRow("big × big") << "1000000000" << "1000000000" << "1000000000000000000";
}

void TestDecimal::multipliesExactly()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(QString, product);
    const Decimal result = Decimal::parse(a.toStdString()) * Decimal::parse(b.toStdString());
    QCOMPARE(QString::fromStdString(result.toString()), product);
}

void TestDecimal::dividesWithHalfEvenRounding_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<QString>("quotient");
    QTest::newRow("exact") << "1000" << "20" << "50";
    QTest::newRow("one third") << "1" << "3" << "0.333333333333333333";
    QTest::newRow("two thirds rounds up") << "2" << "3" << "0.666666666666666667";
    QTest::newRow("negative") << "-1" << "3" << "-0.333333333333333333";
    QTest::newRow("hyperliquid 50x") << "1" << "100" << "0.01";
    QTest::newRow("tie to even") << "0.000000000000000001" << "2" << "0";
    QTest::newRow("tie to even, odd") << "0.000000000000000003" << "2" << "0.000000000000000002";
    QTest::newRow("large") << "12345678901234567890" << "0.5" << "24691357802469135780";
}

void TestDecimal::dividesWithHalfEvenRounding()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(QString, quotient);
    const Decimal result = Decimal::parse(a.toStdString()) / Decimal::parse(b.toStdString());
    QCOMPARE(QString::fromStdString(result.toString()), quotient);
}

void TestDecimal::refusesToOverflow()
{
    const Decimal big = Decimal::parse("99999999999999999999");
    QVERIFY_THROWS_EXCEPTION(DecimalError, big * big);
    QVERIFY_THROWS_EXCEPTION(DecimalError, big + big);
    QVERIFY_THROWS_EXCEPTION(DecimalError, big / Decimal::parse("0.0001"));
    QVERIFY_THROWS_EXCEPTION(DecimalError, big / Decimal());
    QVERIFY_THROWS_EXCEPTION(DecimalError, (void)big.roundToStep(Decimal(), Decimal::Rounding::Down));
}

void TestDecimal::roundsToStep_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("step");
    QTest::addColumn<int>("rounding");
    QTest::addColumn<QString>("expected");
    const int down = static_cast<int>(Decimal::Rounding::Down);
    const int up = static_cast<int>(Decimal::Rounding::Up);
    const int even = static_cast<int>(Decimal::Rounding::HalfEven);
    QTest::newRow("tick down") << "1114.7808" << "0.01" << down << "1114.78";
    QTest::newRow("tick up") << "1114.7808" << "0.01" << up << "1114.79";
    QTest::newRow("half even to even") << "0.125" << "0.01" << even << "0.12";
    QTest::newRow("half even up") << "0.135" << "0.01" << even << "0.14";
    QTest::newRow("lot toward zero") << "-0.0567" << "0.001" << down << "-0.056";
    QTest::newRow("lot away from zero") << "-0.0561" << "0.001" << up << "-0.057";
    QTest::newRow("tick 0.5") << "26316.89" << "0.5" << even << "26317";
}

void TestDecimal::roundsToStep()
{
    QFETCH(QString, value);
    QFETCH(QString, step);
    QFETCH(int, rounding);
    QFETCH(QString, expected);
    const Decimal result = Decimal::parse(value.toStdString())
                               .roundToStep(Decimal::parse(step.toStdString()), static_cast<Decimal::Rounding>(rounding));
    QCOMPARE(QString::fromStdString(result.toString()), expected);
}

void TestDecimal::convertsToDouble()
{
    QCOMPARE(Decimal::parse("1114.78").toDouble(), 1114.78);
    QCOMPARE(Decimal::parse("-0.00038167").toDouble(), -0.00038167);
    QCOMPARE(Decimal::parse("31967.27").toDouble(), 31967.27);
    QCOMPARE(Decimal::fromInteger(-42).toDouble(), -42.0);
}

void TestDecimal::orders()
{
    QVERIFY(Decimal::parse("0.004") < Decimal::parse("0.005"));
    QVERIFY(Decimal::parse("-1") < Decimal());
    QVERIFY(Decimal::parse("1.50") == Decimal::parse("1.5"));
    QCOMPARE(Decimal::parse("-2").sign(), -1);
    QVERIFY(Decimal().isZero());
}

QTEST_APPLESS_MAIN(TestDecimal)
#include "tst_decimal.moc"
