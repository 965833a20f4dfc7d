# The Debian package, built from this build tree and installed into an empty root (tests/packaging).
add_test(NAME tst_package
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/check_package.sh ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR} ${PROJECT_VERSION})
set_tests_properties(tst_package PROPERTIES LABELS integration TIMEOUT 600)
