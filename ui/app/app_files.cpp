#include "app/app_files.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QStandardPaths>

// MM_RELATIVE_DATA_DIR: the data root (share) relative to the executables' folder (bin), from
// GNUInstallDirs (packaging/install.cmake); the build tree mirrors it.
#ifndef MM_RELATIVE_DATA_DIR
#error "MM_RELATIVE_DATA_DIR must be defined by the build (packaging/install.cmake)"
#endif

namespace mm::ui {

namespace {

Q_LOGGING_CATEGORY(lcFiles, "mm.files", QtInfoMsg)

QString dataRoot()
{
    return QDir::cleanPath(QCoreApplication::applicationDirPath() + QLatin1Char('/') +
                           QStringLiteral(MM_RELATIVE_DATA_DIR));
}

} // namespace

QString AppFiles::sharedFolder()
{
    const QString folder = dataRoot() + QStringLiteral("/margin-monitor");
    return QFileInfo(folder).isDir() ? folder : QString();
}

QUrl AppFiles::alertSound(const QString& name)
{
    const QString shared = sharedFolder();
    const QString installed = shared + QStringLiteral("/sounds/") + name + QStringLiteral(".wav");
    if (!shared.isEmpty() && QFileInfo(installed).isReadable()) {
        qCDebug(lcFiles) << "alert sound" << name << "from" << installed;
        return QUrl::fromLocalFile(installed);
    }
    qCDebug(lcFiles) << "alert sound" << name << "embedded: no" << installed;
    return embeddedAlertSound(name);
}

QUrl AppFiles::embeddedAlertSound(const QString& name)
{
    return QUrl(QStringLiteral("qrc:/sounds/") + name + QStringLiteral(".wav"));
}

QIcon AppFiles::appIcon()
{
    const QString installed = dataRoot() + QStringLiteral("/icons/hicolor/scalable/apps/") + QLatin1String(kDesktopId) +
                              QStringLiteral(".svg");
    if (QFileInfo(installed).isReadable()) {
        qCDebug(lcFiles) << "icon from" << installed;
        return QIcon(installed);
    }
    const QIcon themed = QIcon::fromTheme(QLatin1String(kDesktopId));
    if (!themed.isNull()) {
        qCDebug(lcFiles) << "icon from the icon theme";
        return themed;
    }
    qCDebug(lcFiles) << "icon embedded: no" << installed;
    return QIcon(QStringLiteral(":/icons/app.svg"));
}

QString AppFiles::configFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation);
}

QString AppFiles::dataFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

} // namespace mm::ui
