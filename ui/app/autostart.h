#pragma once

#include <QString>

namespace mm::ui {

/// Settings → Start at login: an XDG autostart entry (`~/.config/autostart/<desktop id>.desktop`)
/// that starts this executable when the trader logs in — a monitor only alerts while it runs.
/// The entry names the executable by its absolute path, so an install to any prefix starts itself.
class Autostart {
public:
    /// `~/.config/autostart/io.github.marginmonitor.MarginMonitor.desktop` (XDG_CONFIG_HOME).
    static QString entryFile();
    /// Whether an entry starts `executable` at login: it exists, is not switched off (Hidden=true,
    /// X-GNOME-Autostart-enabled=false) and names this executable (an entry left by a copy
    /// elsewhere does not count).
    static bool isEnabled(const QString& executable);
    /// Writes the entry for `executable` (atomically), or removes it; the problem, or "".
    static QString setEnabled(bool enabled, const QString& executable);
    /// The entry's text for `executable`.
    static QString entryText(const QString& executable);
    /// One Exec argument quoted as the Desktop Entry spec wants it.
    static QString quotedExecArgument(const QString& argument);
};

} // namespace mm::ui
