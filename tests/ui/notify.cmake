# Alert delivery (ui/notify): the popup and its policy offscreen; the sounds played for real into a
# private PulseAudio null sink and recorded from its monitor.
mm_add_test(tst_notifier LABEL gui SOURCES ui/tst_notifier.cpp LIBRARIES ui)
# Real sound: a private PulseAudio server with a null sink (tests/support/with_null_sink.sh), the
# sounds recorded from its monitor with parecord (pulseaudio, pulseaudio-utils).
mm_add_test(tst_alert_sound LABEL integration SOURCES ui/tst_alert_sound.cpp LIBRARIES ui
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/support/with_null_sink.sh $<TARGET_FILE:tst_alert_sound>)
set_tests_properties(tst_alert_sound PROPERTIES TIMEOUT 120)
# The journey of an alert in the app on the demo: popup, real sound, journal, one deleverage order.
mm_add_test(tst_alert_journey LABEL integration SOURCES ui/tst_alert_journey.cpp LIBRARIES ui
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/support/with_null_sink.sh $<TARGET_FILE:tst_alert_journey>)
set_tests_properties(tst_alert_journey PROPERTIES TIMEOUT 240)
