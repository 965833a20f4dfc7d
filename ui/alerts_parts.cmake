# The alert journal as a table (AlertsModel, CSV export) and Settings → Alerts (the rules dialog and
# alerts.json beside accounts.json).
target_sources(ui PRIVATE
    models/alerts_model.h
    models/alerts_model.cpp
    dialogs/alert_settings_store.h
    dialogs/alert_settings_store.cpp
    dialogs/alert_rules_dialog.h
    dialogs/alert_rules_dialog.cpp
)
