#include "views/main_window.h"

#include <QLabel>
#include <QStatusBar>

namespace mm::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setWindowTitle(tr("Margin Monitor"));
    setObjectName(QStringLiteral("mainWindow"));
    auto* placeholder = new QLabel(tr("No positions yet.\n\nUse `marginctl eval` to evaluate a portfolio file;\n"
                                      "live monitoring of exchanges arrives in the next releases."),
                                   this);
    placeholder->setObjectName(QStringLiteral("placeholder"));
    placeholder->setAlignment(Qt::AlignCenter);
    setCentralWidget(placeholder);
    statusBar()->showMessage(tr("Not connected"));
    resize(1024, 640);
}

} // namespace mm::ui
