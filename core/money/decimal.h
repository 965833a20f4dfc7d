#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mm {

/// Thrown for text that is not a decimal number, or for a value or result out of Decimal's range.
class DecimalError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// An exact fixed-point number with 18 fractional digits, for prices, quantities and balances.
///
/// Why this and not a library type: Boost.Multiprecision's decimal type (`cpp_dec_float`) is a
/// *floating* decimal with a fixed count of significant digits — sums of balances lose their last
/// digits as soon as magnitudes differ — and it is an order of magnitude slower than integer
/// arithmetic. What we need is what exchanges send: decimal strings with at most a few (≤ 18)
/// fractional digits, added and multiplied exactly. So the value is a 128-bit integer count of
/// 10⁻¹⁸ units (range about ±1.7·10²⁰), and only division — rare, in leverage and rate
/// conversions — goes through Boost.Multiprecision's `int256_t`.
///
/// Exactness: parsing, addition, subtraction and negation are exact; multiplication is exact when
/// the two operands have at most 18 fractional digits between them (every price × quantity the
/// exchanges produce) and otherwise rounds half-to-even at 10⁻¹⁸; division rounds half-to-even at
/// 10⁻¹⁸. Every operation that would leave the range throws DecimalError; nothing wraps silently.
class Decimal {
public:
    static constexpr int kFractionDigits = 18;

    constexpr Decimal() = default;
    /// An exact integer value.
    static Decimal fromInteger(std::int64_t value);
    /// Parses the exchanges' decimal text: `-?digits(.digits)?([eE][+-]?digits)?`, e.g. "1456.84",
    /// "-0.00038167", "1e-7". Throws DecimalError naming the text and the reason for anything else:
    /// empty text, letters, "1.2.3", "NaN", more than 18 significant fractional digits, or a value
    /// beyond ±10²⁰.
    static Decimal parse(std::string_view text);
    /// Like parse, without the exception: nullopt for anything parse would reject.
    static std::optional<Decimal> tryParse(std::string_view text) noexcept;

    /// Canonical text: no exponent, no trailing fractional zeros, "0" for zero ("-0" never appears).
    [[nodiscard]] std::string toString() const;
    /// Appends the same text to `out` (no allocation of its own: for writers of large reports).
    void appendTo(std::string& out) const;
    /// The nearest double, within one unit in the last place (for ratios, estimates and charts).
    [[nodiscard]] double toDouble() const noexcept;

    [[nodiscard]] bool isZero() const noexcept { return m_units == 0; }
    [[nodiscard]] bool isNegative() const noexcept { return m_units < 0; }
    [[nodiscard]] bool isPositive() const noexcept { return m_units > 0; }
    [[nodiscard]] int sign() const noexcept { return m_units > 0 ? 1 : (m_units < 0 ? -1 : 0); }
    [[nodiscard]] Decimal abs() const;

    enum class Rounding { Down, Up, HalfEven };
    /// Rounds to a whole multiple of `step` (a tick or lot size); Down and Up are toward and away
    /// from zero. Used for display and for order quantities, never inside the margin math.
    [[nodiscard]] Decimal roundToStep(const Decimal& step, Rounding rounding) const;

    Decimal operator-() const;
    Decimal& operator+=(const Decimal& other);
    Decimal& operator-=(const Decimal& other);
    friend Decimal operator+(Decimal a, const Decimal& b) { return a += b; }
    friend Decimal operator-(Decimal a, const Decimal& b) { return a -= b; }
    friend Decimal operator*(const Decimal& a, const Decimal& b);
    /// Throws DecimalError on division by zero.
    friend Decimal operator/(const Decimal& a, const Decimal& b);

    // Written out rather than `<=>`: <compare> trips Qt 6.4's moc in every file that includes us.
    friend bool operator==(const Decimal& a, const Decimal& b) = default;
    friend bool operator<(const Decimal& a, const Decimal& b) { return a.m_units < b.m_units; }
    friend bool operator>(const Decimal& a, const Decimal& b) { return b < a; }
    friend bool operator<=(const Decimal& a, const Decimal& b) { return !(b < a); }
    friend bool operator>=(const Decimal& a, const Decimal& b) { return !(a < b); }

private:
    __extension__ using Units = __int128;
    constexpr explicit Decimal(Units units) : m_units(units) {}
    static std::optional<Decimal> parseImpl(std::string_view text, std::string* why) noexcept;

    Units m_units = 0;
};

std::ostream& operator<<(std::ostream& out, const Decimal& value);

} // namespace mm
