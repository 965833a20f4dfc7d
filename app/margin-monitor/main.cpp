// margin-monitor — the desktop application.
#include "version.h"

#include "views/main_window.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Margin Monitor"));
    QApplication::setApplicationVersion(QStringLiteral(MM_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Watches leveraged positions against live mark prices."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.process(app);

    mm::ui::MainWindow window;
    window.show();
    return QApplication::exec();
}
