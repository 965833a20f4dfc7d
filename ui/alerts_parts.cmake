# The alert journal as a table (AlertsModel, CSV export) and Settings → Alerts (the rules dialog and
# alerts.json beside accounts.json).
target_sources(ui PRIVATE
    models/alerts_model.h
    models/alerts_model.cpp
    models/alert_rules_model.h
    models/alert_rules_model.cpp
    models/deleverage_settings_model.h
    models/deleverage_settings_model.cpp
    models/check_delegate.h
    models/check_delegate.cpp
    models/choice_delegate.h
    models/choice_delegate.cpp
    models/number_delegate.h
    models/number_delegate.cpp
    models/problem_marks.h
    models/problem_marks.cpp
    dialogs/alert_settings_store.h
    dialogs/alert_settings_store.cpp
    dialogs/alert_rules_dialog.h
    dialogs/alert_rules_dialog.cpp
)
