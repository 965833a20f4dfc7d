#include "dialogs/accounts_store.h"

#include "dialogs/config_file.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QObject>
#include <QSaveFile>
#include <QStandardPaths>

namespace mm::ui {

AccountsStore::AccountsStore(QString path) : m_path(path.isEmpty() ? defaultPath() : std::move(path)) {}

QString AccountsStore::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + QStringLiteral("/accounts.json");
}

AccountsStore::Loaded AccountsStore::load()
{
    Loaded loaded;
    QFile file(m_path);
    if (!file.exists()) {
        m_accounts.clear();
        m_keepBeforeSaving = false;
        return loaded;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        loaded.reason = QObject::tr("cannot be read: %1").arg(file.errorString());
        loaded.problem = QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(m_path), loaded.reason);
        m_keepBeforeSaving = true;
        return loaded;
    }
    try {
        loaded.accounts = readAccountsConfig(file.readAll().toStdString());
        m_accounts = loaded.accounts;
        m_keepBeforeSaving = false;
    } catch (const ConfigError& error) {
        loaded.field = QString::fromStdString(error.field());
        loaded.reason = QString::fromStdString(error.reason());
        loaded.problem = QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(m_path), QString::fromUtf8(error.what()));
        m_accounts.clear();
        m_keepBeforeSaving = true;
    }
    return loaded;
}

bool AccountsStore::save(const std::vector<AccountSettings>& accounts, QString* problem)
{
    const auto failed = [&](const QString& why) {
        if (problem != nullptr) {
            *problem = QObject::tr("cannot save the accounts to %1: %2").arg(QDir::toNativeSeparators(m_path), why);
        }
        return false;
    };
    // What is written must read back: the same checks as on loading, before anything is touched.
    std::string text;
    try {
        text = writeAccountsConfig(accounts);
        (void)readAccountsConfig(text);
    } catch (const ConfigError& error) {
        return failed(QString::fromUtf8(error.what()));
    }
    if (const QString written = writeConfigFile(m_path, text, m_keepBeforeSaving); !written.isEmpty()) {
        return failed(written);
    }
    m_keepBeforeSaving = false;
    m_accounts = accounts;
    return true;
}

} // namespace mm::ui
