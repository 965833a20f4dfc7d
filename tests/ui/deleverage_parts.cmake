# The deleverage confirmation dialog: real plans, texts, buttons, signals, countdown; saves PNGs.
mm_add_test(tst_deleverage_dialog LABEL gui SOURCES ui/tst_deleverage_dialog.cpp LIBRARIES ui)
