#include "dialogs/alert_settings_store.h"

#include "dialogs/config_file.h"

#include "config/accounts_config.h" // ConfigError

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QObject>
#include <QSaveFile>
#include <QStandardPaths>

namespace mm::ui {

AlertSettingsStore::AlertSettingsStore(QString path) : m_path(path.isEmpty() ? defaultPath() : std::move(path)) {}

QString AlertSettingsStore::defaultPath()
{
    return pathIn(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation));
}

QString AlertSettingsStore::pathIn(const QString& folder)
{
    return folder + QStringLiteral("/alerts.json");
}

AlertSettingsStore::Loaded AlertSettingsStore::load()
{
    Loaded loaded;
    m_settings = AlertSettings{};
    m_loadProblem.clear();
    QFile file(m_path);
    if (!file.exists()) {
        m_keepBeforeSaving = false;
        return loaded;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        loaded.reason = QObject::tr("cannot be read: %1").arg(file.errorString());
        loaded.problem = QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(m_path), loaded.reason);
        m_loadProblem = loaded.problem;
        m_keepBeforeSaving = true;
        return loaded;
    }
    try {
        loaded.settings = readAlertSettings(file.readAll().toStdString());
        m_settings = loaded.settings;
        m_keepBeforeSaving = false;
    } catch (const ConfigError& error) {
        loaded.field = QString::fromStdString(error.field());
        loaded.reason = QString::fromStdString(error.reason());
        loaded.problem = QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(m_path), QString::fromUtf8(error.what()));
        m_loadProblem = loaded.problem;
        m_keepBeforeSaving = true;
    }
    return loaded;
}

bool AlertSettingsStore::save(const AlertSettings& settings, QString* problem)
{
    const auto failed = [&](const QString& why) {
        if (problem != nullptr) {
            *problem = QObject::tr("cannot save the alert settings to %1: %2").arg(QDir::toNativeSeparators(m_path), why);
        }
        return false;
    };
    // What is written must read back: the same checks as on loading, before anything is touched.
    std::string text;
    try {
        text = writeAlertSettings(settings);
        (void)readAlertSettings(text);
    } catch (const ConfigError& error) {
        return failed(QString::fromUtf8(error.what()));
    }
    if (const QString written = writeConfigFile(m_path, text, m_keepBeforeSaving); !written.isEmpty()) {
        return failed(written);
    }
    m_keepBeforeSaving = false;
    m_loadProblem.clear();
    m_settings = settings;
    return true;
}

} // namespace mm::ui
