#pragma once

#include "domain/account.h"
#include "portfolio/portfolio_draft.h"

#include <QString>

#include <vector>

namespace mm::ui {

/// The positions a trader entered by hand, kept in one file in the app's data folder
/// (`manual-positions.json`: {"accounts": [ … ]}, each account in the `eval` schema), so that they
/// need no API key at all and survive restarts.
///
/// Saving is atomic (QSaveFile): a crash mid-save leaves the previous file. A file that cannot be
/// read is never overwritten: load() says what is wrong with it, and the next save() first keeps it
/// beside the new one as `manual-positions.json.broken-YYYYMMDD-HHMMSS`.
class ManualPositionsStore {
public:
    /// `path` empty: defaultPath().
    explicit ManualPositionsStore(QString path = {});

    /// QStandardPaths' AppDataLocation (XDG_DATA_HOME on Linux) + "/manual-positions.json".
    [[nodiscard]] static QString defaultPath();
    [[nodiscard]] const QString& path() const { return m_path; }

    /// Reads the file: no file is no accounts and no problem; a broken file gives no accounts and a
    /// problem in words naming the file and the field ("…/manual-positions.json: accounts[0].
    /// positions[1].quantity: must be positive").
    struct Loaded {
        std::vector<PortfolioDraft> accounts;
        QString problem;
    };
    [[nodiscard]] Loaded load();

    /// Writes the accounts; on failure returns false with `problem` set and leaves the old file.
    bool save(const std::vector<PortfolioDraft>& accounts, QString* problem = nullptr);

    /// The accounts last loaded or saved.
    [[nodiscard]] const std::vector<PortfolioDraft>& accounts() const { return m_accounts; }

private:
    std::vector<PortfolioDraft> m_accounts;
    QString m_path;
    bool m_keepBeforeSaving = false; ///< the file on disk could not be read: keep it aside first
};

/// The drafts as portfolios the monitor can watch. Throws PortfolioFileError for a draft
/// readPortfolio() refuses (the store and the dialog only hold drafts it accepted).
std::vector<Portfolio> portfoliosFrom(const std::vector<PortfolioDraft>& drafts);

} // namespace mm::ui
