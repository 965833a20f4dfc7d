# The installed layout (any prefix), and the same layout mirrored in the build tree so an uninstalled
# build finds its shared files exactly as an installed one does (ui/app/app_files.h). Included before
# the libraries (ui/ compiles MM_RELATIVE_DATA_DIR in); packaging/install.cmake has the install rules.
#
#   <bin>/margin-monitor, <bin>/marginctl
#   <data>/margin-monitor/sounds/{warning,critical,emergency}.wav
#   <data>/icons/hicolor/scalable/apps/<id>.svg
#   <data>/applications/<id>.desktop
#   <data>/metainfo/<id>.metainfo.xml          (from the template; version and date from project())
#   <man>/man1/{marginctl,margin-monitor}.1.gz
#   <doc>/copyright, <doc>/changelog.Debian.gz, <doc>/examples/*.json   (<doc> = <data>/doc/margin-monitor)
#
# Nothing is installed outside the prefix and no file of the trader's (configuration, keys, journal)
# is ever part of the install: those live in the XDG folders of each user.
include(GNUInstallDirs)

set(MM_DESKTOP_ID io.github.marginmonitor.MarginMonitor)
set(MM_RESOURCES ${PROJECT_SOURCE_DIR}/resources)

# The data folder as seen from the executables' folder: compiled into the app (never an absolute path).
file(RELATIVE_PATH MM_RELATIVE_DATA_DIR ${CMAKE_INSTALL_FULL_BINDIR} ${CMAKE_INSTALL_FULL_DATADIR})
if(MM_RELATIVE_DATA_DIR STREQUAL "")
    set(MM_RELATIVE_DATA_DIR ".")
endif()

# The build tree's mirror: executables are in <build>/app, so the data root is <build>/app/<relative>.
get_filename_component(MM_BUILD_DATA_DIR ${PROJECT_BINARY_DIR}/app/${MM_RELATIVE_DATA_DIR} ABSOLUTE)

set(MM_SOUNDS warning critical emergency)
foreach(sound IN LISTS MM_SOUNDS)
    configure_file(${MM_RESOURCES}/sounds/${sound}.wav ${MM_BUILD_DATA_DIR}/margin-monitor/sounds/${sound}.wav COPYONLY)
endforeach()
configure_file(${MM_RESOURCES}/desktop/${MM_DESKTOP_ID}.svg
    ${MM_BUILD_DATA_DIR}/icons/hicolor/scalable/apps/${MM_DESKTOP_ID}.svg COPYONLY)

# AppStream metadata: the release entry carries the project's version and the date of the newest
# entry of packaging/changelog (its trailer line: " -- Name <mail>  Tue, 24 Nov 2026 12:00:00 +0000").
file(STRINGS ${PROJECT_SOURCE_DIR}/packaging/changelog _mm_trailers REGEX "^ -- .*  [A-Z][a-z][a-z], ")
list(GET _mm_trailers 0 _mm_trailer)
if(NOT _mm_trailer MATCHES ",  ?([0-9]+) ([A-Z][a-z][a-z]) ([0-9][0-9][0-9][0-9]) ")
    message(FATAL_ERROR "packaging/changelog: the newest entry's trailer has no date: ${_mm_trailer}")
endif()
set(_mm_months Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec)
list(FIND _mm_months ${CMAKE_MATCH_2} _mm_month)
math(EXPR _mm_month "${_mm_month} + 1")
string(LENGTH "${CMAKE_MATCH_1}" _mm_day_digits)
set(_mm_day ${CMAKE_MATCH_1})
if(_mm_day_digits EQUAL 1)
    set(_mm_day 0${_mm_day})
endif()
if(_mm_month LESS 10)
    set(_mm_month 0${_mm_month})
endif()
set(MM_RELEASE_DATE ${CMAKE_MATCH_3}-${_mm_month}-${_mm_day})
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/packaging/changelog)
configure_file(${MM_RESOURCES}/desktop/${MM_DESKTOP_ID}.metainfo.xml.in
    ${PROJECT_BINARY_DIR}/packaging/${MM_DESKTOP_ID}.metainfo.xml @ONLY)

# Man pages and the changelog, compressed as Debian wants them (gzip -9n: no name, no time stamp, so
# the package is reproducible).
find_program(MM_GZIP gzip REQUIRED)
set(MM_GZIPPED "")
foreach(page marginctl margin-monitor)
    # The page's header names the version (@PROJECT_VERSION@ in resources/man).
    configure_file(${MM_RESOURCES}/man/${page}.1 ${PROJECT_BINARY_DIR}/packaging/${page}.1 @ONLY)
    set(out ${PROJECT_BINARY_DIR}/packaging/${page}.1.gz)
    add_custom_command(OUTPUT ${out}
        COMMAND ${MM_GZIP} -9n -c ${PROJECT_BINARY_DIR}/packaging/${page}.1 > ${out}
        DEPENDS ${PROJECT_BINARY_DIR}/packaging/${page}.1 VERBATIM)
    list(APPEND MM_GZIPPED ${out})
endforeach()
set(out ${PROJECT_BINARY_DIR}/packaging/changelog.gz)
add_custom_command(OUTPUT ${out}
    COMMAND ${MM_GZIP} -9n -c ${PROJECT_SOURCE_DIR}/packaging/changelog > ${out}
    DEPENDS ${PROJECT_SOURCE_DIR}/packaging/changelog VERBATIM)
list(APPEND MM_GZIPPED ${out})
add_custom_target(compressed_docs ALL DEPENDS ${MM_GZIPPED})

