# The application as installed (ui/app): one running copy per user, starting at login.
find_package(Qt6 REQUIRED COMPONENTS Concurrent)
mm_add_test(tst_single_instance LABEL unit SOURCES ui/tst_single_instance.cpp LIBRARIES ui Qt6::Concurrent)
mm_add_test(tst_autostart LABEL unit SOURCES ui/tst_autostart.cpp LIBRARIES ui)
# Both write ~/.qttest/config/autostart (QStandardPaths' test mode): never at the same time under ctest -j.
set_tests_properties(tst_autostart tst_main_window PROPERTIES RESOURCE_LOCK autostart_entry)
