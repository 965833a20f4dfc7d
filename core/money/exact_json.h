#pragma once

#include "money/decimal.h"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

namespace mm {

/// Thrown for text that is not JSON; the message names the line and column.
class JsonSyntaxError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Parses JSON without ever turning a fractional number into a double.
///
/// nlohmann::json would store `0.0065` as the binary double 0.00649999…; exchanges send tier rates
/// and prices as such JSON numbers (Binance's leverageBracket does), and the margin math must see the
/// decimal the exchange wrote. Here every non-integer number is kept as its source text, tagged as a
/// binary value with subtype kDecimalTextSubtype, so that it still cannot be mistaken for a string
/// field; read it with decimalFromJson(). Integers stay integers. `//` and `/* */` comments are
/// accepted (portfolio files are edited by hand).
/// Objects and arrays nested deeper than kMaxJsonDepth are refused (JsonSyntaxError).
nlohmann::json parseExactJson(std::string_view text);

inline constexpr std::size_t kMaxJsonDepth = 128;

inline constexpr std::uint64_t kDecimalTextSubtype = 0xDEC;

/// nlohmann's parse error in plain words: "parse error at line 3, column 5: syntax error while
/// parsing object key - unexpected end of input; expected string literal" (its "[json.exception…]"
/// tag removed). For SAX handlers of our own.
std::string jsonSyntaxMessage(const nlohmann::json::exception& error);

/// True for a JSON value decimalFromJson() accepts: an integer, a number kept by parseExactJson(),
/// or a string.
bool holdsDecimal(const nlohmann::json& value);

/// Reads a decimal from a JSON integer, a number kept by parseExactJson(), or a decimal string (the
/// exchanges send both). Throws DecimalError naming what was found instead. A double (from JSON
/// built in code or parsed by plain nlohmann) is refused: its decimal value is already lost.
Decimal decimalFromJson(const nlohmann::json& value);

/// What a JSON value is, in words for error messages ("a string", "null", "an object" …).
std::string describeJsonType(const nlohmann::json& value);

} // namespace mm
