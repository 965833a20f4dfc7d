mm_add_test(tst_alert_engine LABEL unit SOURCES core/alerts/tst_alert_engine.cpp LIBRARIES core_model)
mm_add_test(tst_alert_settings LABEL unit SOURCES core/config/tst_alert_settings.cpp LIBRARIES core_model)
mm_add_test(tst_webhook LABEL integration SOURCES integration/tst_webhook.cpp LIBRARIES core)
mm_add_test(tst_order_size_rules LABEL unit SOURCES core/venues/tst_order_size_rules.cpp LIBRARIES core_model)
