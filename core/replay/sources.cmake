# core/replay: the alert engine on recorded marks (marginctl replay, the alert-quality benchmark).
# Its own target, above the engine, alerts and the journal: nothing in core links it.
add_library(core_replay STATIC
    ${CMAKE_CURRENT_LIST_DIR}/mark_recording.cpp
    ${CMAKE_CURRENT_LIST_DIR}/portfolio_list.cpp
    ${CMAKE_CURRENT_LIST_DIR}/liquidation_watch.cpp
    ${CMAKE_CURRENT_LIST_DIR}/replay_result.cpp
    ${CMAKE_CURRENT_LIST_DIR}/alert_replay.cpp
    ${CMAKE_CURRENT_LIST_DIR}/alert_quality.cpp
)
target_link_libraries(core_replay PUBLIC core PRIVATE mm_warnings)
