# core/replay: the harness behind marginctl replay and the alert-quality benchmark, and the command
# itself as a trader runs it (the real binary: CSV, journal, every bad input).
mm_add_test(tst_alert_replay LABEL unit SOURCES core/replay/tst_alert_replay.cpp LIBRARIES core_replay)
mm_add_test(tst_marginctl_replay LABEL integration SOURCES integration/tst_marginctl_replay.cpp LIBRARIES core)
add_dependencies(tst_marginctl_replay marginctl)
target_compile_definitions(tst_marginctl_replay PRIVATE MARGINCTL_PATH="$<TARGET_FILE:marginctl>"
    README_LADDER="${PROJECT_SOURCE_DIR}/resources/examples/replay/btc-ladder-2021-05-19.json"
    RECORDED_CRASH="${PROJECT_SOURCE_DIR}/../shared/data/crashes/2021-05-19-binance-1m.csv")
set_tests_properties(tst_marginctl_replay PROPERTIES TIMEOUT 180)
