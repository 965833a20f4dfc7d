# The alert journal's table (AlertsModel) and Settings → Alerts (the rules dialog and its file).
mm_add_test(tst_alerts_model LABEL unit SOURCES ui/tst_alerts_model.cpp LIBRARIES ui)
mm_add_test(tst_alert_rules_dialog LABEL gui SOURCES ui/tst_alert_rules_dialog.cpp LIBRARIES ui)
