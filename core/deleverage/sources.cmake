# core/deleverage: the planner and the executor — pure C++, no Qt, no sockets, no SQLite.
target_sources(core_model PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/deleverage_plan.cpp
    ${CMAKE_CURRENT_LIST_DIR}/deleverage_planner.cpp
    ${CMAKE_CURRENT_LIST_DIR}/deleverage_audit.cpp
    ${CMAKE_CURRENT_LIST_DIR}/deleverage_status.cpp
    ${CMAKE_CURRENT_LIST_DIR}/account_deleverage_settings.cpp
    ${CMAKE_CURRENT_LIST_DIR}/client_order_id.cpp
    ${CMAKE_CURRENT_LIST_DIR}/monitor_market_view.cpp
    ${CMAKE_CURRENT_LIST_DIR}/deleverage_executor.cpp
)
