# Every dependency is a Debian package; scripts/deps.sh installs them (see docs/architecture.md).
# Each part looks only for what it uses, so an SDK-only configure (SSOKIT_BUILD_SERVER=OFF)
# finds nothing but OpenSSL (the platform adaptors' SHA-256), cJSON and libcurl, and not even
# libcurl with SSOKIT_WITH_CURL=OFF; tests/sdk_only proves it with the others hidden.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL REQUIRED)
pkg_check_modules(CJSON REQUIRED IMPORTED_TARGET libcjson)
if(SSOKIT_WITH_CURL OR SSOKIT_BUILD_SERVER)
  # The SDK's default transport; the server's tests are HTTP clients on libcurl too.
  pkg_check_modules(CURL REQUIRED IMPORTED_TARGET libcurl)
endif()
if(SSOKIT_BUILD_SERVER)
  pkg_check_modules(CJOSE REQUIRED IMPORTED_TARGET cjose)
  pkg_check_modules(JANSSON REQUIRED IMPORTED_TARGET jansson)
  pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
  pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
  find_package(Boost 1.74 REQUIRED)
endif()
if(SSOKIT_BUILD_TESTS OR SSOKIT_BUILD_TRANSPORT_CONTRACT)
  # The tests, and the transport contract (ssokit::transport_contract), are GoogleTest code.
  find_package(GTest REQUIRED)
endif()
