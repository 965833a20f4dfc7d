#include "dialogs/manual_positions_store.h"

#include "portfolio/portfolio_file.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

namespace mm::ui {

ManualPositionsStore::ManualPositionsStore(QString path) : m_path(path.isEmpty() ? defaultPath() : std::move(path)) {}

QString ManualPositionsStore::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/manual-positions.json");
}

ManualPositionsStore::Loaded ManualPositionsStore::load()
{
    Loaded loaded;
    QFile file(m_path);
    if (!file.exists()) {
        return loaded;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        loaded.problem = QStringLiteral("%1: cannot be read: %2").arg(QDir::toNativeSeparators(m_path), file.errorString());
        m_keepBeforeSaving = true;
        return loaded;
    }
    try {
        loaded.accounts = readPortfolioDrafts(file.readAll().toStdString());
        m_accounts = loaded.accounts;
        m_keepBeforeSaving = false;
    } catch (const PortfolioFileError& error) {
        loaded.problem = QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(m_path), QString::fromUtf8(error.what()));
        m_keepBeforeSaving = true;
    }
    return loaded;
}

bool ManualPositionsStore::save(const std::vector<PortfolioDraft>& accounts, QString* problem)
{
    const auto failed = [&](const QString& why) {
        if (problem != nullptr) {
            *problem = QStringLiteral("cannot save the manual positions to %1: %2").arg(QDir::toNativeSeparators(m_path), why);
        }
        return false;
    };
    if (!QDir().mkpath(QFileInfo(m_path).absolutePath())) {
        return failed(QStringLiteral("cannot create the folder"));
    }
    if (m_keepBeforeSaving && QFile::exists(m_path)) {
        const QString kept = m_path + QStringLiteral(".broken-") +
                             QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
        if (!QFile::copy(m_path, kept)) {
            return failed(QStringLiteral("the unreadable file could not be kept aside as %1").arg(kept));
        }
    }
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly)) {
        return failed(file.errorString());
    }
    const std::string text = writePortfolioListText(accounts);
    file.write(text.data(), static_cast<qint64>(text.size()));
    if (!file.commit()) {
        return failed(file.errorString());
    }
    m_keepBeforeSaving = false;
    m_accounts = accounts;
    return true;
}

std::vector<Portfolio> portfoliosFrom(const std::vector<PortfolioDraft>& drafts)
{
    std::vector<Portfolio> portfolios;
    portfolios.reserve(drafts.size());
    for (const PortfolioDraft& draft : drafts) {
        portfolios.push_back(readPortfolio(writePortfolioText(draft)));
    }
    return portfolios;
}

} // namespace mm::ui
