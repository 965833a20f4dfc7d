# core/store: the SQLite journal (alerts, the deleverage audit trail, mark/risk history).
find_package(SQLite3 REQUIRED)
target_sources(core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/csv_format.cpp
    ${CMAKE_CURRENT_LIST_DIR}/journal.cpp
    ${CMAKE_CURRENT_LIST_DIR}/journal_schema.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sqlite_statement.cpp
)
target_link_libraries(core PUBLIC SQLite::SQLite3)
