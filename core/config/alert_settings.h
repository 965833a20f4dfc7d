#pragma once

#include "alerts/alert_rules.h"
#include "deleverage/account_deleverage_settings.h"

#include <string>
#include <string_view>

namespace mm {

/// How alerts reach the trader, and by which rules they are decided: the alerts configuration file
/// (alerts.json beside accounts.json). Never holds a secret.
struct AlertSettings {
    AlertPolicy policy = defaultAlertPolicy();
    bool sound = true;
    double volume = 1.0; ///< 0 … 1
    /// An optional webhook: every alert as an HTTP POST of JSON (a phone through any push service).
    /// https://… (http:// only to loopback); empty: none.
    std::string webhookUrl;
    /// Automatic deleveraging per account (off for any account not listed: DESIGN.md's safety rules).
    std::vector<AccountAutomation> deleverage;
};

/// Reads {"rules": [...], "cooldownSeconds": …, "escalateAfterSeconds": …, "sound": …, "volume": …,
/// "webhookUrl": …} (`//` comments allowed; every field optional, missing ones keep their default,
/// "rules" replaces the default rules as a whole). Each rule: {"kind": "distance" | "margin-ratio" |
/// "sigma" | "time" | "velocity" | "stale", "scope": "all" | "account" | "position", "account",
/// "symbol", "enabled", "warning", "critical", "emergency", "rearm"}. Unknown names, wrong types,
/// "deleverage": [{"account": label, "enabled", "dryRun", "targetDistancePct" | "targetMarginRatioPct",
/// "triggerLevel": "warning" | "critical" | "emergency", "countdownSeconds", "maxOrdersPerHour",
/// "maxOrdersPerDay", "maxFractionPerOrder", "planningHeadroom"}] — missing fields keep the safe
/// defaults (off, dry run). Unknown names, wrong types, thresholds out of order, unusable deleverage
/// settings and bad URLs are refused: the first problem is thrown as a ConfigError
/// naming the field ("rules[2].critical").
AlertSettings readAlertSettings(std::string_view jsonText);

/// The settings as the file's text (indented JSON, fields in a fixed order); reads back equal.
std::string writeAlertSettings(const AlertSettings& settings);

} // namespace mm
