#pragma once

#include "money/decimal.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mm::venue_json {

/// Small, non-throwing readers for the fields of exchange frames. Each returns nullopt and sets
/// `problem` (once, for the first fault) to a message naming the field, for the Malformed detail.
/// Exchanges send prices as decimal strings and sometimes as numbers; both are read exactly
/// (parse frames with parseExactJson).

/// Parses a frame; nullopt (and `problem`) for text that is not JSON.
std::optional<nlohmann::json> parseFrame(std::string_view frame, std::string& problem);

const nlohmann::json* member(const nlohmann::json& object, std::string_view key);

std::optional<std::string> text(const nlohmann::json& object, std::string_view key, std::string& problem);

/// An instrument name, required: a non-empty string (a tick for "" could match no position).
std::optional<std::string> symbol(const nlohmann::json& object, std::string_view key, std::string& problem);

/// A positive price, required.
std::optional<Decimal> price(const nlohmann::json& object, std::string_view key, std::string& problem);

/// An optional decimal: absent, null or "" (how venues say "none") give nullopt without a problem.
std::optional<Decimal> optionalDecimal(const nlohmann::json& object, std::string_view key, std::string& problem);

/// A Unix time in ms sent as a number or a string ("E": 1562305380000 or "ts": "1597026383085");
/// 0 when absent.
std::int64_t timeMs(const nlohmann::json& object, std::string_view key, std::string& problem);

/// The frame shortened for a log line.
std::string excerpt(std::string_view frame);

} // namespace mm::venue_json
