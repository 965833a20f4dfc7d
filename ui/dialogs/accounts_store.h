#pragma once

#include "config/accounts_config.h"

#include <QString>

#include <vector>

namespace mm::ui {

/// The exchange accounts the trader connected, kept in `accounts.json` in the app's config folder
/// ({"accounts": [ … ]}, read by readAccountsConfig, written by writeAccountsConfig). Never a
/// secret: the keys live in the OS keychain (dialogs/account_secrets.h names their entries).
///
/// Saving is atomic (QSaveFile): a crash mid-save leaves the previous file. A file that cannot be
/// read is never overwritten: load() says what is wrong with it (the field and the reason the reader
/// gave), and the next save() first keeps it beside the new one as
/// `accounts.json.broken-YYYYMMDD-HHMMSS` — as ManualPositionsStore does.
class AccountsStore {
public:
    /// `path` empty: defaultPath().
    explicit AccountsStore(QString path = {});

    /// QStandardPaths' AppConfigLocation (~/.config/<organisation>/<application> on Linux) +
    /// "/accounts.json".
    [[nodiscard]] static QString defaultPath();
    [[nodiscard]] const QString& path() const { return m_path; }

    /// What load() found. No file is no accounts and no problem. A broken file gives no accounts,
    /// `field` and `reason` as the reader said them ("accounts[1].venue", "\"kraken\" is not one of
    /// …"; `field` empty for the whole file) and `problem`: the file's path, the field and the reason
    /// in one line.
    struct Loaded {
        std::vector<AccountSettings> accounts;
        QString problem;
        QString field;
        QString reason;
    };
    [[nodiscard]] Loaded load();

    /// Writes the accounts; on failure returns false with `problem` set and leaves the old file.
    bool save(const std::vector<AccountSettings>& accounts, QString* problem = nullptr);

    /// The accounts last loaded or saved.
    [[nodiscard]] const std::vector<AccountSettings>& accounts() const { return m_accounts; }
    /// The file on disk could not be read and is kept aside on the next save().
    [[nodiscard]] bool holdsBrokenFile() const { return m_keepBeforeSaving; }

private:
    std::vector<AccountSettings> m_accounts;
    QString m_path;
    bool m_keepBeforeSaving = false; ///< the file on disk could not be read: keep it aside first
};

} // namespace mm::ui
