#pragma once

#include <QIcon>
#include <QString>
#include <QUrl>

namespace mm::ui {

/// The application's id on the desktop: the .desktop file, the AppStream component and the icon are
/// all named after it (resources/desktop).
inline constexpr char kDesktopId[] = "io.github.marginmonitor.MarginMonitor";

/// The installed app's shared files, found relative to the running executable — never through a
/// path compiled in — so an install to any prefix (`cmake --install --prefix P`, or the .deb under
/// /usr) finds its own: `<P>/bin/margin-monitor` reads `<P>/share/margin-monitor/…` and
/// `<P>/share/icons/hicolor/scalable/apps/…`. The build tree is laid out the same way, so a built
/// but uninstalled app behaves as an installed one.
///
/// Every file here also has a copy embedded in the executable (qrc), used when the installed one
/// is missing: a binary copied on its own, or a packager's mistake, must never silence an alarm.
/// Which file was taken is logged under the category `mm.files` (debug).
class AppFiles {
public:
    /// `<executable's folder>/<relative data folder>/margin-monitor`, or "" when it does not exist.
    static QString sharedFolder();
    /// The alert sound `name` ("warning", "critical", "emergency"): the installed WAV when present,
    /// otherwise the embedded one.
    static QUrl alertSound(const QString& name);
    /// The copy of the alert sound `name` embedded in the executable.
    static QUrl embeddedAlertSound(const QString& name);
    /// The application icon: the installed hicolor SVG, otherwise the icon theme's, otherwise the
    /// embedded copy.
    static QIcon appIcon();
    /// The folders the trader's own files go to (XDG on Linux): configuration (accounts.json,
    /// alerts.json) and data (manual positions, the journal). Uninstalling never touches them.
    static QString configFolder();
    static QString dataFolder();
};

} // namespace mm::ui
