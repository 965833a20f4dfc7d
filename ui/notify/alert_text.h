#pragma once
// The words and colours an alert is shown with, shared by the popup and the tray message so that
// both say the same thing the same way.

#include "alerts/alert_event.h"

#include <QColor>
#include <QString>

namespace mm::ui {

/// "Warning", "Critical", "Emergency".
QString alertLevelTitle(AlertLevel level);
/// The level's colour on the dark theme: warning orange, critical red, emergency magenta — the
/// positions table's Warning, Danger and Due colours, so the popup and the table agree.
QColor alertLevelColour(AlertLevel level);

/// "main · Binance · BTCUSDT · Long", or "main · Binance · account" for a cross-margin alert.
QString alertPositionText(const AlertSubject& subject);
/// "Distance 2.41% · Mark 61,000.00 · Liquidation 59,530.00": only the figures the event carries;
/// empty when it carries none.
QString alertFiguresText(const AlertEvent& event);
/// "14:03:27" in local time; "14 May 14:03:27" when not today.
QString alertTimeText(std::int64_t wallTimeMs);
/// The event's own message; a generic line from the rule when the engine gave none.
QString alertMessageText(const AlertEvent& event);

} // namespace mm::ui
