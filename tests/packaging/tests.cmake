# The Debian package, built from this build tree and installed into an empty root (tests/packaging).
# Not under the sanitizers: their runtime (libasan) is linked in and is no dependency of the package.
if(NOT MM_SANITIZERS)
    add_test(NAME tst_package
        COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/check_package.sh ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR} ${PROJECT_VERSION})
    set_tests_properties(tst_package PROPERTIES LABELS integration TIMEOUT 600)
endif()
