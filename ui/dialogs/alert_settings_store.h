#pragma once

#include "config/alert_settings.h"

#include <QString>

namespace mm::ui {

/// The alert rules and how alerts reach the trader, kept in `alerts.json` beside accounts.json in the
/// app's config folder (read by readAlertSettings, written by writeAlertSettings). Never a secret.
///
/// As AccountsStore: saving is atomic (QSaveFile), so a crash mid-save leaves the previous file. No
/// file means the defaults (defaultAlertPolicy, sound on). A file that cannot be read is never
/// overwritten: load() gives the defaults and says what is wrong with it (the field and the reason the
/// reader gave), and the next save() first keeps it beside the new one as
/// `alerts.json.broken-YYYYMMDD-HHMMSS`.
class AlertSettingsStore {
public:
    /// `path` empty: defaultPath().
    explicit AlertSettingsStore(QString path = {});

    /// QStandardPaths' AppConfigLocation (~/.config/<organisation>/<application> on Linux) +
    /// "/alerts.json".
    [[nodiscard]] static QString defaultPath();
    /// `folder` + "/alerts.json" (for tests, and a portable install's own folder).
    [[nodiscard]] static QString pathIn(const QString& folder);
    [[nodiscard]] const QString& path() const { return m_path; }

    /// What load() found. No file: the defaults and no problem. A broken file: the defaults, `field`
    /// and `reason` as the reader said them ("rules[2].critical", "a louder level's threshold …";
    /// `field` empty for the whole file) and `problem`: the file's path, the field and the reason in
    /// one line.
    struct Loaded {
        AlertSettings settings;
        QString problem;
        QString field;
        QString reason;
    };
    [[nodiscard]] Loaded load();

    /// Writes the settings once they read back (the same checks as on loading); on failure returns
    /// false with `problem` set and leaves the old file.
    bool save(const AlertSettings& settings, QString* problem = nullptr);

    /// The settings last loaded or saved (the defaults before either).
    [[nodiscard]] const AlertSettings& settings() const { return m_settings; }
    /// The last load()'s problem ("" when none), until a save succeeds.
    [[nodiscard]] const QString& loadProblem() const { return m_loadProblem; }
    /// The file on disk could not be read and is kept aside on the next save().
    [[nodiscard]] bool holdsBrokenFile() const { return m_keepBeforeSaving; }

private:
    AlertSettings m_settings;
    QString m_path;
    QString m_loadProblem;
    bool m_keepBeforeSaving = false; ///< the file on disk could not be read: keep it aside first
};

} // namespace mm::ui
