# The Debian package (CPack's DEB generator): `cmake --workflow --preset package` writes
# build/package/packages/margin-monitor_<version>-1_<arch>.deb. Its Depends are the `run` lines of
# packaging/debian-packages.txt — the one list: the linked ones as dpkg-shlibdeps finds them, with
# minimum versions, and the plugins by name; tests/packaging checks that the names are exactly the list.
file(STRINGS ${PROJECT_SOURCE_DIR}/packaging/debian-packages.txt _mm_package_lines)
set(_mm_depends "")
# Linked libraries' packages come from dpkg-shlibdeps with their minimum versions; the `run` lines
# marked "# plugin:" (loaded by Qt, never linked, so invisible to it) are named here.
set(_mm_run_lines 0)
foreach(line IN LISTS _mm_package_lines)
    if(line MATCHES "^([a-z0-9][a-z0-9.+-]+)[ \t]+run([ \t]|$)")
        set(_mm_package ${CMAKE_MATCH_1})
        math(EXPR _mm_run_lines "${_mm_run_lines} + 1")
        if(line MATCHES "#[ \t]*plugin:")
            list(APPEND _mm_depends ${_mm_package})
        endif()
    endif()
endforeach()
if(_mm_run_lines EQUAL 0)
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
# dpkg-shlibdeps (dpkg-dev) adds each linked library's package with "(>= version)", so apt refuses
# the package on a system whose glibc or Qt is too old rather than it failing when started.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
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
