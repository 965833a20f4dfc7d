#pragma once

#include "deleverage/deleverage_status.h"

#include <string>
#include <string_view>

namespace mm {

/// The idempotent client order id of a deleverage: "mm" + run id + "e" (alert episode) or "m"
/// (manual action) + the number in base 36. Deterministic, so a second trigger of the same episode
/// names the same order; the run id (from the journal: unique per run of the engine) keeps runs apart.
///
/// At most 32 characters of [0-9A-Za-z], which every venue accepts: OKX clOrdId (alphanumeric,
/// 1–32), Binance newClientOrderId (≤ 36, [.A-Z:/a-z0-9_-]), Bybit orderLinkId (≤ 36). The run id
/// keeps its first 16 letters and digits; anything else in it is dropped.
std::string deleverageClientOrderId(std::string_view runId, const DeleverageAction& action);

} // namespace mm
