# The install rules for packaging/layout.cmake's layout; `cmake --install BUILD --prefix P` works for any P.

install(TARGETS margin-monitor marginctl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
foreach(sound IN LISTS MM_SOUNDS)
    install(FILES ${MM_RESOURCES}/sounds/${sound}.wav DESTINATION ${CMAKE_INSTALL_DATADIR}/margin-monitor/sounds)
endforeach()
install(FILES ${MM_RESOURCES}/desktop/${MM_DESKTOP_ID}.svg DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
install(FILES ${MM_RESOURCES}/desktop/${MM_DESKTOP_ID}.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${PROJECT_BINARY_DIR}/packaging/${MM_DESKTOP_ID}.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES ${PROJECT_BINARY_DIR}/packaging/marginctl.1.gz ${PROJECT_BINARY_DIR}/packaging/margin-monitor.1.gz
    DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
set(MM_DOC_DIR ${CMAKE_INSTALL_DATADIR}/doc/margin-monitor)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/copyright DESTINATION ${MM_DOC_DIR})
# A packaged (non-native) version's changelog is changelog.Debian.gz.
install(FILES ${PROJECT_BINARY_DIR}/packaging/changelog.gz DESTINATION ${MM_DOC_DIR} RENAME changelog.Debian.gz)
install(FILES ${MM_RESOURCES}/examples/demo-portfolio.json ${MM_RESOURCES}/examples/bybit-linear.json
    ${MM_RESOURCES}/examples/okx-swap.json ${MM_RESOURCES}/examples/hyperliquid.json
    DESTINATION ${MM_DOC_DIR}/examples)
