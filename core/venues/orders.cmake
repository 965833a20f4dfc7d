# Orders: the shared types and the venues' order wire formats (pure: core_model), the gateway that
# sends them and the simulator's order endpoints (core).
target_sources(core_model PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/../domain/order.cpp
    ${CMAKE_CURRENT_LIST_DIR}/order_protocol.cpp
)
target_sources(core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/../net/venue_order_gateway.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../sim/order_api.cpp
)
