# The deleverage confirmation dialog (manual preview, automatic countdown) and the words it shows.
target_sources(ui PRIVATE
    dialogs/deleverage_text.h
    dialogs/deleverage_text.cpp
    dialogs/deleverage_dialog.h
    dialogs/deleverage_dialog.cpp
)
