#include "dialogs/config_file.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QObject>
#include <QSaveFile>

namespace mm::ui {

QString writeConfigFile(const QString& path, const std::string& text, bool keepBrokenFirst)
{
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        return QObject::tr("cannot create the folder");
    }
    if (keepBrokenFirst && QFile::exists(path)) {
        const QString stem = path + QStringLiteral(".broken-") + QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
        QString kept = stem;
        for (int n = 2; QFile::exists(kept); ++n) { // never over an earlier kept file
            kept = stem + QStringLiteral("-%1").arg(n);
        }
        if (!QFile::copy(path, kept)) {
            return QObject::tr("the unreadable file could not be kept aside as %1").arg(QDir::toNativeSeparators(kept));
        }
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        return file.errorString();
    }
    file.write(text.data(), static_cast<qint64>(text.size()));
    if (!file.commit()) {
        return file.errorString();
    }
    return {};
}

} // namespace mm::ui
