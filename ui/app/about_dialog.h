#pragma once

#include <QDialog>

class QLabel;

namespace mm::ui {

/// Help → About Margin Monitor: the version (from the CMake project, the one place it is set), the
/// Qt it runs on, and where the trader's own files are — configuration, data and journal — with a
/// word that keys are in the keychain and that uninstalling leaves these files alone.
class AboutDialog : public QDialog {
    Q_OBJECT
public:
    explicit AboutDialog(QWidget* parent = nullptr);

    /// The dialog's text as shown (for tests and for copying).
    [[nodiscard]] QString text() const;

private:
    QLabel* m_text = nullptr;
};

} // namespace mm::ui
