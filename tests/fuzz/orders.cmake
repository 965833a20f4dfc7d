# The order answers of Binance, Bybit and OKX, placement and look-up (core/venues/order_protocol.h).
add_executable(fuzz_order_answers ${CMAKE_CURRENT_LIST_DIR}/fuzz_order_answers.cpp)
target_link_libraries(fuzz_order_answers PRIVATE core_model)
target_link_options(fuzz_order_answers PRIVATE -fsanitize=fuzzer)

# The alerts configuration (alerts.json).
add_executable(fuzz_alert_settings fuzz_alert_settings.cpp)
target_link_libraries(fuzz_alert_settings PRIVATE core_model)
target_link_options(fuzz_alert_settings PRIVATE -fsanitize=fuzzer)

# The alert sound file check (core/alerts/sound_file.h).
add_executable(fuzz_sound_file fuzz_sound_file.cpp)
target_link_libraries(fuzz_sound_file PRIVATE core_model)
target_link_options(fuzz_sound_file PRIVATE -fsanitize=fuzzer)
