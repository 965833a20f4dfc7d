#pragma once

class QApplication;

namespace mm::ui {

/// The dark trader's theme: Fusion with a dark palette, chosen for long sessions and for the risk
/// colours (see models/risk_level.h) to stand out.
void applyDarkTheme(QApplication& application);

} // namespace mm::ui
