target_sources(core_model PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/../domain/order.cpp
)
