#include "money/decimal.h"

#include <boost/multiprecision/cpp_int.hpp>

#include <array>
#include <limits>
#include <ostream>

namespace mm {
namespace {

__extension__ using Int128 = __int128;
__extension__ using UInt128 = unsigned __int128;

constexpr Int128 kScale = 1'000'000'000'000'000'000; // 10^18 units per 1
constexpr int kMaxDigits = 38;                       // 10^38 < 2^127: any 38 digits fit
constexpr Int128 pow10(int exponent)
{
    Int128 result = 1;
    for (int i = 0; i < exponent; ++i) {
        result *= 10;
    }
    return result;
}
[[noreturn]] void overflow(const char* operation)
{
    throw DecimalError(std::string("decimal ") + operation + " out of range (beyond ±1.7e20)");
}

Int128 checkedAdd(Int128 a, Int128 b, const char* operation)
{
    Int128 sum = 0;
    if (__builtin_add_overflow(a, b, &sum)) {
        overflow(operation);
    }
    return sum;
}

Int128 checkedMul(Int128 a, Int128 b, const char* operation)
{
    Int128 product = 0;
    if (__builtin_mul_overflow(a, b, &product)) {
        overflow(operation);
    }
    return product;
}

/// Adds the rounding of `remainder / divisor` (|remainder| < |divisor|, same sign as the exact
/// quotient) to `quotient`, half-to-even.
Int128 roundHalfEven(Int128 quotient, Int128 remainder, Int128 divisor)
{
    if (remainder == 0) {
        return quotient;
    }
    const UInt128 twiceRemainder = static_cast<UInt128>(remainder < 0 ? -remainder : remainder) * 2;
    const UInt128 absDivisor = static_cast<UInt128>(divisor < 0 ? -divisor : divisor);
    const int direction = (remainder < 0) != (divisor < 0) ? -1 : 1;
    if (twiceRemainder > absDivisor || (twiceRemainder == absDivisor && (quotient % 2 != 0))) {
        return checkedAdd(quotient, direction, "rounding");
    }
    return quotient;
}

std::string quoted(std::string_view text)
{
    constexpr std::size_t kShown = 40;
    std::string out = "\"";
    out.append(text.substr(0, kShown));
    if (text.size() > kShown) {
        out += "…";
    }
    out += '"';
    return out;
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

} // namespace

Decimal Decimal::fromInteger(std::int64_t value)
{
    return Decimal(checkedMul(value, kScale, "conversion"));
}

Decimal Decimal::parse(std::string_view text)
{
    std::string why;
    if (auto value = parseImpl(text, &why)) {
        return *value;
    }
    throw DecimalError(quoted(text) + " is not a decimal number: " + why);
}

std::optional<Decimal> Decimal::tryParse(std::string_view text) noexcept
{
    return parseImpl(text, nullptr);
}

std::optional<Decimal> Decimal::parseImpl(std::string_view text, std::string* why) noexcept
{
    auto fail = [why](const char* reason) -> std::optional<Decimal> {
        if (why != nullptr) {
            try {
                *why = reason;
            } catch (...) { // out of memory for the message: the nullopt still says "invalid"
            }
        }
        return std::nullopt;
    };
    if (text.empty()) {
        return fail("the text is empty");
    }
    std::size_t pos = 0;
    const bool negative = text[0] == '-';
    if (negative) {
        ++pos;
    }
    if (pos == text.size() || !isDigit(text[pos])) {
        return fail("it must start with a digit (or '-' and a digit)");
    }

    Int128 mantissa = 0;     // the significant digits read so far (at most 38 of them)
    int mantissaDigits = 0;  // how many digits mantissa holds, leading zeros not counted
    int exponent10 = 0;      // value = mantissa · 10^exponent10
    bool nonZeroDropped = false;
    auto takeDigit = [&](char c, bool fractional) {
        const int digit = c - '0';
        if (mantissaDigits < kMaxDigits) {
            if (mantissaDigits > 0 || digit != 0) {
                mantissa = mantissa * 10 + digit;
                ++mantissaDigits;
            }
            if (fractional) {
                --exponent10;
            }
        } else {
            // Past 38 significant digits: only zeros can follow without leaving the range or
            // the 18 fractional digits.
            nonZeroDropped = nonZeroDropped || digit != 0;
            if (!fractional) {
                ++exponent10;
            }
        }
    };
    while (pos < text.size() && isDigit(text[pos])) {
        takeDigit(text[pos++], false);
    }
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        if (pos == text.size() || !isDigit(text[pos])) {
            return fail("a digit must follow the decimal point");
        }
        while (pos < text.size() && isDigit(text[pos])) {
            takeDigit(text[pos++], true);
        }
    }
    if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
        ++pos;
        bool negativeExponent = false;
        if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
            negativeExponent = text[pos] == '-';
            ++pos;
        }
        if (pos == text.size() || !isDigit(text[pos])) {
            return fail("the exponent has no digits");
        }
        int exponent = 0;
        while (pos < text.size() && isDigit(text[pos])) {
            exponent = std::min(exponent * 10 + (text[pos++] - '0'), 100'000);
        }
        exponent10 += negativeExponent ? -exponent : exponent;
    }
    if (pos != text.size()) {
        return fail(text[pos] == '.' ? "it has a second decimal point" : "it has characters after the number");
    }
    if (nonZeroDropped) {
        return fail("it has more significant digits than fit (range ±1e20, 18 decimal places)");
    }
    if (mantissa == 0) {
        return Decimal();
    }
    // Units are 10^-18: units = mantissa · 10^(exponent10 + 18).
    int shift = exponent10 + kFractionDigits;
    while (shift < 0 && mantissa % 10 == 0) {
        mantissa /= 10;
        --mantissaDigits;
        ++shift;
    }
    if (shift < 0) {
        return fail("it has more than 18 decimal places");
    }
    if (mantissaDigits + shift > kMaxDigits) {
        return fail("it is out of range (magnitude must be below 1e20)");
    }
    const Int128 units = mantissa * pow10(shift);
    return Decimal(negative ? -units : units);
}

std::string Decimal::toString() const
{
    std::string text;
    appendTo(text);
    return text;
}

void Decimal::appendTo(std::string& out) const
{
    const bool negative = m_units < 0;
    UInt128 magnitude = negative ? static_cast<UInt128>(-(m_units + 1)) + 1 : static_cast<UInt128>(m_units);
    const auto scale = static_cast<UInt128>(kScale);
    UInt128 whole = magnitude / scale;
    // Below 10^18: digits come from 64-bit division (128-bit division is a slow library call).
    auto fraction = static_cast<std::uint64_t>(magnitude % scale);

    std::array<char, 64> buffer{};
    std::size_t end = buffer.size();
    if (fraction != 0) {
        int digits = kFractionDigits;
        while (fraction % 10 == 0) {
            fraction /= 10;
            --digits;
        }
        for (int i = 0; i < digits; ++i) {
            buffer[--end] = static_cast<char>('0' + static_cast<int>(fraction % 10));
            fraction /= 10;
        }
        buffer[--end] = '.';
    }
    while (whole > std::numeric_limits<std::uint64_t>::max()) {
        buffer[--end] = static_cast<char>('0' + static_cast<int>(whole % 10));
        whole /= 10;
    }
    auto small = static_cast<std::uint64_t>(whole);
    do {
        buffer[--end] = static_cast<char>('0' + static_cast<int>(small % 10));
        small /= 10;
    } while (small != 0);
    if (negative) {
        buffer[--end] = '-';
    }
    out.append(buffer.data() + end, buffer.size() - end);
}

double Decimal::toDouble() const noexcept
{
    return static_cast<double>(static_cast<long double>(m_units) / 1e18L);
}

Decimal Decimal::abs() const
{
    return m_units < 0 ? -*this : *this;
}

Decimal Decimal::roundToStep(const Decimal& step, Rounding rounding) const
{
    if (step.m_units <= 0) {
        throw DecimalError("rounding step must be positive, got " + step.toString());
    }
    Int128 quotient = m_units / step.m_units;
    const Int128 remainder = m_units % step.m_units;
    switch (rounding) {
    case Rounding::Down:
        break;
    case Rounding::Up:
        if (remainder != 0) {
            quotient += m_units < 0 ? -1 : 1;
        }
        break;
    case Rounding::HalfEven:
        quotient = roundHalfEven(quotient, remainder, step.m_units);
        break;
    }
    return Decimal(checkedMul(quotient, step.m_units, "rounding"));
}

Decimal Decimal::operator-() const
{
    return Decimal(checkedMul(m_units, -1, "negation"));
}

Decimal& Decimal::operator+=(const Decimal& other)
{
    m_units = checkedAdd(m_units, other.m_units, "addition");
    return *this;
}

Decimal& Decimal::operator-=(const Decimal& other)
{
    return *this += -other;
}

Decimal operator*(const Decimal& a, const Decimal& b)
{
    // a·b / 10^18 without a 256-bit product: split each operand into whole and fractional units,
    // a = aw·S + af and b = bw·S + bf (S = 10^18, |af|, |bf| < S, signs as the operand's), so
    // a·b/S = aw·bw·S + aw·bf + af·bw + af·bf/S, and only the last term (|af·bf| < 10^36) rounds.
    using Int = Decimal::Units;
    const Int aw = a.m_units / kScale;
    const Int af = a.m_units % kScale;
    const Int bw = b.m_units / kScale;
    const Int bf = b.m_units % kScale;
    const Int fractionProduct = af * bf;
    Int units = checkedMul(checkedMul(aw, bw, "multiplication"), kScale, "multiplication");
    units = checkedAdd(units, checkedMul(aw, bf, "multiplication"), "multiplication");
    units = checkedAdd(units, checkedMul(af, bw, "multiplication"), "multiplication");
    units = checkedAdd(units, fractionProduct / kScale, "multiplication");
    return Decimal(roundHalfEven(units, fractionProduct % kScale, kScale));
}

Decimal operator/(const Decimal& a, const Decimal& b)
{
    if (b.m_units == 0) {
        throw DecimalError("division by zero (" + a.toString() + " / 0)");
    }
    using boost::multiprecision::int256_t;
    auto toWide = [](Decimal::Units units) {
        const bool negative = units < 0;
        const auto magnitude = negative ? static_cast<UInt128>(-(units + 1)) + 1 : static_cast<UInt128>(units);
        int256_t wide = static_cast<std::uint64_t>(magnitude >> 64);
        wide <<= 64;
        wide += static_cast<std::uint64_t>(magnitude);
        return negative ? int256_t(-wide) : wide;
    };
    const int256_t numerator = toWide(a.m_units) * toWide(kScale);
    const int256_t denominator = toWide(b.m_units);
    int256_t quotient = numerator / denominator;
    const int256_t remainder = numerator % denominator;
    // Half-to-even on the wide values, then narrow with a range check.
    const int256_t twiceRemainder = abs(remainder) * 2;
    const int256_t absDenominator = abs(denominator);
    if (remainder != 0 && (twiceRemainder > absDenominator || (twiceRemainder == absDenominator && (quotient & 1) != 0))) {
        quotient += (remainder < 0) != (denominator < 0) ? -1 : 1;
    }
    const bool negative = quotient < 0;
    const int256_t magnitude = abs(quotient);
    if (magnitude >= (int256_t(1) << 127)) {
        overflow("division");
    }
    const auto high = static_cast<std::uint64_t>(magnitude >> 64);
    const auto low = static_cast<std::uint64_t>(magnitude & int256_t(~std::uint64_t{0}));
    const Int128 units = static_cast<Int128>((static_cast<UInt128>(high) << 64) | low);
    return Decimal(negative ? -units : units);
}

std::ostream& operator<<(std::ostream& out, const Decimal& value)
{
    return out << value.toString();
}

} // namespace mm
