#include "store/csv_format.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <ostream>

namespace mm {

std::string csvField(std::string_view text)
{
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
        return std::string(text);
    }
    std::string quoted;
    quoted.reserve(text.size() + 2);
    quoted += '"';
    for (const char c : text) {
        if (c == '"') {
            quoted += '"';
        }
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

void writeCsvRecord(std::ostream& out, const std::vector<std::string>& fields)
{
    bool first = true;
    for (const std::string& field : fields) {
        if (!first) {
            out << ',';
        }
        first = false;
        out << csvField(field);
    }
    out << "\r\n";
}

std::string csvNumber(std::optional<double> value)
{
    if (!value || std::isnan(*value)) {
        return {};
    }
    if (std::isinf(*value)) {
        return *value > 0 ? "inf" : "-inf";
    }
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, *value);
    return std::string(buffer, result.ptr);
}

std::string utcIsoTime(std::int64_t unixMs)
{
    // Floor division, so that times before 1970 still come out right.
    std::int64_t days = unixMs / 86'400'000;
    std::int64_t msOfDay = unixMs % 86'400'000;
    if (msOfDay < 0) {
        msOfDay += 86'400'000;
        --days;
    }
    // Howard Hinnant's civil_from_days (http://howardhinnant.github.io/date_algorithms.html): the
    // proleptic Gregorian calendar without going through time_t and gmtime (not thread-safe, and
    // 32-bit on some platforms).
    const std::int64_t z = days + 719'468;
    const std::int64_t era = (z >= 0 ? z : z - 146'096) / 146'097;
    const std::int64_t dayOfEra = z - era * 146'097;
    const std::int64_t yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36'524 - dayOfEra / 146'096) / 365;
    const std::int64_t dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const std::int64_t monthIndex = (5 * dayOfYear + 2) / 153;
    const std::int64_t day = dayOfYear - (153 * monthIndex + 2) / 5 + 1;
    const std::int64_t month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
    const std::int64_t year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);

    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ",
                  static_cast<long long>(year), static_cast<long long>(month), static_cast<long long>(day),
                  static_cast<long long>(msOfDay / 3'600'000), static_cast<long long>(msOfDay / 60'000 % 60),
                  static_cast<long long>(msOfDay / 1000 % 60), static_cast<long long>(msOfDay % 1000));
    return buffer;
}

} // namespace mm
