# arm64 (AArch64) Linux: today's smart TVs, set-top boxes and streaming sticks.
#   cmake -S . -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-gnu.cmake -DSSOKIT_BUILD_SERVER=OFF
set(SSOKIT_TRIPLET aarch64-linux-gnu)
set(SSOKIT_PROCESSOR aarch64)
set(SSOKIT_QEMU qemu-aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/debian-multiarch.cmake)
