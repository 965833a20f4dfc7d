# core/deleverage: the planner, the executor, and the executor's safety properties. They need only
# the pure library (no sockets).
mm_add_test(tst_deleverage_planner LABEL unit SOURCES core/deleverage/tst_deleverage_planner.cpp LIBRARIES core_model)
mm_add_test(tst_deleverage_executor LABEL unit SOURCES core/deleverage/tst_deleverage_executor.cpp LIBRARIES core_model)
mm_add_test(tst_deleverage_properties LABEL unit SOURCES core/deleverage/tst_deleverage_properties.cpp LIBRARIES core_model)
