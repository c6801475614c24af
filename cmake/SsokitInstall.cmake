# Install rules for the client kit: the SDK, its testing fakes and the platform adaptors as
# static libraries with their public headers, and a CMake package so that an app's build can
# say find_package(ssokit) and link ssokit::sdk, ssokit::platform and ssokit::testing (and
# ssokit::qt, the Qt Network transport, when it was built).
# tests/install builds a small consumer project against an installed prefix to prove it.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set_target_properties(ssokit_sdk PROPERTIES EXPORT_NAME sdk)
set_target_properties(ssokit_sdk_testing PROPERTIES EXPORT_NAME testing)
set_target_properties(ssokit_platform PROPERTIES EXPORT_NAME platform)

install(TARGETS ssokit_sdk ssokit_sdk_testing ssokit_platform
  EXPORT ssokitTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY
    ${PROJECT_SOURCE_DIR}/sdk/include/
    ${PROJECT_SOURCE_DIR}/sdk/testing/include/
    ${PROJECT_SOURCE_DIR}/platform/include/
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(ssokit_config_dir ${CMAKE_INSTALL_LIBDIR}/cmake/ssokit)
install(EXPORT ssokitTargets NAMESPACE ssokit:: DESTINATION ${ssokit_config_dir})

# ssokit::qt (sdk/qt), when it was built: an export set of its own, which the package loads
# only when the app's build finds Qt 6 too, so an app without Qt can still use the rest.
if(TARGET ssokit_qt)
  set_target_properties(ssokit_qt PROPERTIES EXPORT_NAME qt)
  install(TARGETS ssokit_qt
    EXPORT ssokitQtTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/sdk/qt/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  install(EXPORT ssokitQtTargets NAMESPACE ssokit:: DESTINATION ${ssokit_config_dir})
endif()
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/ssokitConfig.cmake.in
  ${PROJECT_BINARY_DIR}/ssokitConfig.cmake
  INSTALL_DESTINATION ${ssokit_config_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/ssokitConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/ssokitConfig.cmake ${PROJECT_BINARY_DIR}/ssokitConfigVersion.cmake
  DESTINATION ${ssokit_config_dir})
