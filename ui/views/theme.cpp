#include "views/theme.h"

#include <QApplication>
#include <QPalette>
#include <QStyleFactory>

namespace mm::ui {

void applyDarkTheme(QApplication& application)
{
    application.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette palette;
    const QColor window(0x1e, 0x22, 0x27);
    const QColor base(0x16, 0x19, 0x1d);
    const QColor alternate(0x1c, 0x20, 0x25);
    const QColor text(0xdd, 0xe1, 0xe6);
    const QColor dim(0x80, 0x86, 0x8e);
    const QColor accent(0x3d, 0x8b, 0xd9);
    palette.setColor(QPalette::Window, window);
    palette.setColor(QPalette::WindowText, text);
    palette.setColor(QPalette::Base, base);
    palette.setColor(QPalette::AlternateBase, alternate);
    palette.setColor(QPalette::ToolTipBase, window);
    palette.setColor(QPalette::ToolTipText, text);
    palette.setColor(QPalette::PlaceholderText, dim);
    palette.setColor(QPalette::Text, text);
    palette.setColor(QPalette::Button, window);
    palette.setColor(QPalette::ButtonText, text);
    palette.setColor(QPalette::BrightText, QColor(0xff, 0x55, 0x55));
    palette.setColor(QPalette::Link, accent);
    palette.setColor(QPalette::Highlight, QColor(0x2a, 0x4f, 0x78));
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::Disabled, QPalette::Text, dim);
    palette.setColor(QPalette::Disabled, QPalette::ButtonText, dim);
    palette.setColor(QPalette::Disabled, QPalette::WindowText, dim);
    application.setPalette(palette);
}

} // namespace mm::ui
