#pragma once

#include "alerts/alert_event.h"

#include <nlohmann/json.hpp>

#include <optional>

namespace marginctl {

/// A finite number rounded to `places` decimals; null for none, infinity or NaN.
nlohmann::ordered_json roundedJson(const std::optional<double>& value, int places);

/// One alert change as a JSON line's object (type "alert"): what `marginctl watch --json` prints for
/// each alert, and `marginctl replay --json` with the recording's time added.
nlohmann::ordered_json alertJson(const mm::AlertEvent& alert);

} // namespace marginctl
