#pragma once
// How an editable table marks a field at fault, the same in every settings table: a warning sign as
// the cell's decoration and a red tint behind it (the reason is the cell's tooltip).

#include <QColor>
#include <QIcon>

namespace mm::ui {

/// A round warning sign in the theme's danger colour (drawn once; needs a QGuiApplication).
const QIcon& problemIcon();
/// The tint behind a cell at fault.
QColor problemBackground();

} // namespace mm::ui
