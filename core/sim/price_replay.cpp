#include "sim/price_replay.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace mm::sim {

namespace {

std::string_view trim(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
        text.remove_suffix(1);
    }
    return text;
}

bool parseNumber(std::string_view text, double& value)
{
    if (text.empty() || text.front() == '+') {
        return false;
    }
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size() && std::isfinite(value);
}

bool validSymbol(std::string_view symbol)
{
    if (symbol.empty() || symbol.size() > 40) {
        return false;
    }
    for (const char c : symbol) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
        if (!ok) {
            return false;
        }
    }
    return true;
}

/// Quoted and shown in an error message: at most 40 characters, control characters as '?'.
std::string shown(std::string_view text)
{
    std::string result = "\"";
    for (const char c : text.substr(0, 40)) {
        result += static_cast<unsigned char>(c) < 0x20 ? '?' : c;
    }
    return result + (text.size() > 40 ? "…\"" : "\"");
}

} // namespace

PriceReplay PriceReplay::read(std::istream& input, const std::string& sourceName)
{
    PriceReplay replay;
    std::string line;
    std::size_t lineNumber = 0;
    double origin = 0;
    double previous = 0;
    const auto fail = [&](const std::string& what) {
        throw std::runtime_error(sourceName + ":" + std::to_string(lineNumber) + ": " + what);
    };
    while (std::getline(input, line)) {
        ++lineNumber;
        const std::string_view text = trim(line);
        if (text.empty() || text.front() == '#') {
            continue;
        }
        std::vector<std::string_view> fields;
        for (std::string_view rest = text;;) {
            const auto comma = rest.find(',');
            fields.push_back(trim(rest.substr(0, comma)));
            if (comma == std::string_view::npos) {
                break;
            }
            rest = rest.substr(comma + 1);
        }
        if (fields.size() != 3) {
            fail("expected 3 fields (time,symbol,mark), found " + std::to_string(fields.size()));
        }
        double time = 0;
        if (!parseNumber(fields[0], time)) {
            if (replay.m_marks.empty() && fields[0] == "time") {
                continue; // the header
            }
            fail("time " + shown(fields[0]) + " is not a number of seconds");
        }
        if (!validSymbol(fields[1])) {
            fail("symbol " + shown(fields[1]) + " is not a symbol (letters, digits, - _ .)");
        }
        double mark = 0;
        if (!parseNumber(fields[2], mark) || mark <= 0) {
            fail("mark " + shown(fields[2]) + " is not a positive number");
        }
        if (replay.m_marks.empty()) {
            origin = time;
        } else if (time < previous) {
            fail("time " + shown(fields[0]) + " goes back in time (rows must be in time order)");
        }
        if (!std::isfinite(time - origin)) {
            fail("time " + shown(fields[0]) + " is too far from the first row's");
        }
        previous = time;
        replay.m_marks.push_back({time - origin, std::string(fields[1]), mark});
    }
    if (input.bad()) {
        throw std::runtime_error(sourceName + ": read error after line " + std::to_string(lineNumber));
    }
    if (replay.m_marks.empty()) {
        throw std::runtime_error(sourceName + ": no marks to replay (rows are time,symbol,mark)");
    }
    replay.m_origin = origin;
    return replay;
}

PriceReplay PriceReplay::readFile(const std::string& path)
{
    std::ifstream file(path);
    if (!file) {
        throw std::runtime_error(path + ": cannot open the replay file");
    }
    return read(file, path);
}

} // namespace mm::sim
