# Reduce-only orders: the venues' wire formats (unit) and the gateway against the simulator (integration).
mm_add_test(tst_order_protocol LABEL unit SOURCES core/venues/tst_order_protocol.cpp LIBRARIES core_model)
mm_add_test(tst_simulator_orders LABEL integration SOURCES integration/tst_simulator_orders.cpp LIBRARIES core)
set_tests_properties(tst_simulator_orders PROPERTIES TIMEOUT 120)
