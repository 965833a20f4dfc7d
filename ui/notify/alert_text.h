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
/// The same, what tells positions apart first (for a narrow column that cuts the end off):
/// "BTCUSDT Long · main · Binance", "Cross margin · main · Binance".
QString alertPositionShortText(const AlertSubject& subject);
/// "Distance 2.41% · Mark 61,000.00 · Liquidation 59,530.00": only the figures the event carries;
/// empty when it carries none.
QString alertFiguresText(const AlertEvent& event);
/// "14:03:27" in local time; "14 May 14:03:27" when not today.
QString alertTimeText(std::int64_t wallTimeMs);
/// The event's own message; a line in words from its lead measure when the engine gave none, or
/// gave one with a figure that is not a number ("inf", "nan").
QString alertMessageText(const AlertEvent& event);

/// A measure in a few words: "2.41% to liquidation", "margin ratio 86.20%", "liquidation 1.3 σ
/// away", "about 6 min to liquidation at the recent pace", "distance shrinking 5.1 points a minute",
/// "no marks for 42 s". A value without a finite figure says what it means: "no margin left",
/// "distance not shrinking", "prices not moving" — never "inf" or "nan".
QString alertMeasureText(AlertRuleKind rule, double value);
/// A reason in words: its own text, unless it is empty or carries "inf" / "nan".
QString alertReasonText(const AlertReason& reason);
/// A rule's threshold at a level: "critical below 5%", "critical above 85%", "critical under 3 min".
QString alertThresholdText(AlertRuleKind rule, AlertLevel level, double threshold);
/// A reason with the threshold it crossed: "2.41% to liquidation — critical below 3%".
QString alertReasonLine(const AlertReason& reason);
/// Whether text says "inf", "-inf" or "nan" as a word (a figure that is not a number).
bool hasNonFiniteFigure(const QString& text);

} // namespace mm::ui
