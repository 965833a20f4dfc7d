#pragma once

#include <QString>

#include <string>

namespace mm::ui {

/// Writes a configuration file's text atomically (QSaveFile: a crash mid-save leaves the previous
/// file), creating its folder. With `keepBrokenFirst`, a file that could not be read is first copied
/// aside as `<path>.broken-yyyyMMdd-HHmmss` (never over an earlier one): it is never lost. The
/// problem in words, or "" once written.
QString writeConfigFile(const QString& path, const std::string& text, bool keepBrokenFirst);

} // namespace mm::ui
