target_sources(core_model PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/alert_event.cpp
    ${CMAKE_CURRENT_LIST_DIR}/alert_rules.cpp
    ${CMAKE_CURRENT_LIST_DIR}/price_motion.cpp
    ${CMAKE_CURRENT_LIST_DIR}/alert_engine.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sound_file.cpp
)
