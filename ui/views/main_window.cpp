#include "views/main_window.h"

#include <QLabel>
#include <QStatusBar>

namespace mm::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setWindowTitle(tr("Margin Monitor"));
    setObjectName(QStringLiteral("mainWindow"));
    auto* placeholder = new QLabel(tr("The desktop view of positions comes with the next release.\n\n"
                                      "Until then: `marginctl watch --demo` follows the demo accounts live,\n"
                                      "`marginctl watch --portfolio FILE` your own, `marginctl eval FILE` evaluates once."),
                                   this);
    placeholder->setObjectName(QStringLiteral("placeholder"));
    placeholder->setAlignment(Qt::AlignCenter);
    setCentralWidget(placeholder);
    statusBar()->showMessage(tr("Not connected"));
    resize(1024, 640);
}

} // namespace mm::ui
