# The application as installed (ui/app): where its shared files are, relative to the executable,
# Help → About, one running copy per user, and starting at login. MM_RELATIVE_DATA_DIR comes from packaging/install.cmake (included before ui/).
target_sources(ui PRIVATE
    app/app_files.h
    app/app_files.cpp
    app/about_dialog.h
    app/about_dialog.cpp
    app/single_instance.h
    app/single_instance.cpp
    app/autostart.h
    app/autostart.cpp
)
set_source_files_properties(app/app_files.cpp PROPERTIES COMPILE_DEFINITIONS "MM_RELATIVE_DATA_DIR=\"${MM_RELATIVE_DATA_DIR}\"")
target_include_directories(ui PUBLIC ${PROJECT_BINARY_DIR}/generated) # version.h
# The icon's embedded copy (:/icons/app.svg), for a binary run away from its installed files.
set_source_files_properties(${PROJECT_SOURCE_DIR}/resources/desktop/io.github.marginmonitor.MarginMonitor.svg
    PROPERTIES QT_RESOURCE_ALIAS app.svg)
qt_add_resources(ui app_icon
    PREFIX /icons
    BASE ${PROJECT_SOURCE_DIR}/resources/desktop
    FILES ${PROJECT_SOURCE_DIR}/resources/desktop/io.github.marginmonitor.MarginMonitor.svg
)
find_package(Qt6 REQUIRED COMPONENTS Network)
target_link_libraries(ui PUBLIC Qt6::Network) # QLocalServer: a second copy asks the first to show itself
