#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mm {

/// One CSV field as RFC 4180 writes it: quoted (with quotes doubled) when it holds a comma, a quote,
/// a CR or a LF, as is otherwise.
std::string csvField(std::string_view text);

/// One CSV record: the fields, quoted where needed, separated by commas, ended by CRLF (RFC 4180).
void writeCsvRecord(std::ostream& out, const std::vector<std::string>& fields);

/// A number as the shortest text that reads back to the same double; "" for NaN or no value,
/// "inf" / "-inf" for the infinities.
std::string csvNumber(std::optional<double> value);

/// Unix time in ms as ISO 8601 in UTC with milliseconds: "2024-03-01T12:34:56.789Z".
std::string utcIsoTime(std::int64_t unixMs);

} // namespace mm
