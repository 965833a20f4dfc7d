#pragma once

#include <QMainWindow>

namespace mm::ui {

/// The application's main window. For now it only frames the app and points to `marginctl`: the
/// positions table, charts and status bar arrive with the desktop issue.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
};

} // namespace mm::ui
