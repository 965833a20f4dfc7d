# The Debian package (CPack's DEB generator): `cmake --workflow --preset package` writes
# build/release/margin-monitor_<version>-1_<arch>.deb. Its Depends are the `run` lines of
# packaging/debian-packages.txt — the one list; tests/packaging checks that every shared library the
# installed executables load belongs to one of them.
file(STRINGS ${PROJECT_SOURCE_DIR}/packaging/debian-packages.txt _mm_package_lines)
set(_mm_depends "")
foreach(line IN LISTS _mm_package_lines)
    string(REGEX REPLACE "#.*" "" line "${line}")
    if(line MATCHES "^([a-z0-9][a-z0-9.+-]+)[ \t]+run[ \t]*$")
        list(APPEND _mm_depends ${CMAKE_MATCH_1})
    endif()
endforeach()
if(NOT _mm_depends)
    message(FATAL_ERROR "packaging/debian-packages.txt lists no `run` package: the .deb would depend on nothing")
endif()
list(JOIN _mm_depends ", " _mm_depends)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME margin-monitor)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "Margin Monitor developers")
set(CPACK_PACKAGE_CONTACT "Margin Monitor developers <maintainers@margin-monitor.invalid>" CACHE STRING
    "The .deb's Maintainer field (set the real address when publishing)")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "watches leveraged crypto-derivatives positions against live mark prices")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${_mm_depends}")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gnome-keyring | kwalletmanager")
# The extended description (CPack puts the summary above it as the synopsis); lines of at most 79.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Margin Monitor follows positions on Binance USD-M futures, Bybit linear, OKX
swaps and Hyperliquid at once, computes the distance to liquidation on every
mark-price tick with each exchange's own margin rules, and alerts early enough
to act: a popup, a sound per level and a webhook. Where the trader opted in, it
reduces a position with a reduce-only order before the exchange liquidates it.
.
API keys are kept in the system keychain. With nothing configured it runs a
demo on simulated exchanges. The package holds the desktop application
margin-monitor and the command-line tool marginctl (a liquidation calculator,
the monitor in a terminal and the exchange simulator).")
include(CPack)
