#include "app/autostart.h"

#include "app/app_files.h"
#include "dialogs/config_file.h"

#include <QFile>
#include <QHash>
#include <QObject>
#include <QStandardPaths>
#include <QTextStream>

namespace mm::ui {

QString Autostart::entryFile()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + QStringLiteral("/autostart/") +
           QLatin1String(kDesktopId) + QStringLiteral(".desktop");
}

bool Autostart::isEnabled(const QString& executable)
{
    QFile file(entryFile());
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        return false;
    }
    // Keys as the Desktop Entry spec reads them ("Key = value" allowed), in the main group.
    QHash<QString, QString> keys;
    QTextStream in(&file);
    bool mainGroup = false;
    while (!in.atEnd()) {
        const QString line = in.readLine().trimmed();
        if (line.startsWith(QLatin1Char('['))) {
            mainGroup = line == QStringLiteral("[Desktop Entry]");
            continue;
        }
        const qsizetype equals = line.indexOf(QLatin1Char('='));
        if (mainGroup && equals > 0 && !line.startsWith(QLatin1Char('#'))) {
            keys.insert(line.left(equals).trimmed(), line.mid(equals + 1).trimmed());
        }
    }
    if (keys.value(QStringLiteral("Hidden")) == QStringLiteral("true") ||
        keys.value(QStringLiteral("X-GNOME-Autostart-enabled")) == QStringLiteral("false")) {
        return false;
    }
    // An entry for another copy (an older install elsewhere, a moved prefix) does not start this one:
    // shown as off, so that ticking it writes an entry that does.
    QString tryExec = keys.value(QStringLiteral("TryExec"));
    tryExec.replace(QStringLiteral("\\\\"), QStringLiteral("\\"));
    return tryExec == executable;
}

QString Autostart::quotedExecArgument(const QString& argument)
{
    // Inside double quotes, the spec reserves ", `, $ and \, each escaped with a backslash. In a
    // desktop file's string value a backslash is itself written \\, so each escape doubles.
    QString quoted;
    for (const QChar c : argument) {
        if (c == QLatin1Char('\\')) {
            quoted += QStringLiteral("\\\\\\\\"); // \ quoted, then each \ written \\ in the file
        } else if (c == QLatin1Char('"') || c == QLatin1Char('`') || c == QLatin1Char('$')) {
            quoted += QStringLiteral("\\\\");
            quoted += c;
        } else {
            quoted += c;
        }
    }
    quoted.replace(QLatin1Char('%'), QStringLiteral("%%"));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString Autostart::entryText(const QString& executable)
{
    return QStringLiteral("[Desktop Entry]\n"
                          "Type=Application\n"
                          "Name=Margin Monitor\n"
                          "Comment=Watch leveraged positions and their distance to liquidation from login on\n"
                          "TryExec=%3\n"
                          "Exec=%1\n"
                          "Icon=%2\n"
                          "Terminal=false\n"
                          "X-GNOME-Autostart-enabled=true\n")
        .arg(quotedExecArgument(executable), QLatin1String(kDesktopId),
             // Uninstalled, the entry is skipped quietly: TryExec names a file that is gone.
             QString(executable).replace(QLatin1Char('\\'), QStringLiteral("\\\\")));
}

QString Autostart::setEnabled(bool enabled, const QString& executable)
{
    const QString path = entryFile();
    if (!enabled) {
        if (QFile::exists(path) && !QFile::remove(path)) {
            return QObject::tr("cannot remove %1").arg(path);
        }
        return {};
    }
    // Atomic, its folder created: the same writer as the app's own configuration files.
    const QString problem = writeConfigFile(path, entryText(executable).toStdString(), false);
    return problem.isEmpty() ? QString() : QObject::tr("cannot write %1: %2").arg(path, problem);
}

} // namespace mm::ui
