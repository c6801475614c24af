# armhf (32-bit ARMv7, hard float) Linux: older and low-cost TVs and set-top boxes.
#   cmake -S . -B build-armhf -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/arm-linux-gnueabihf.cmake -DSSOKIT_BUILD_SERVER=OFF
set(SSOKIT_TRIPLET arm-linux-gnueabihf)
set(SSOKIT_PROCESSOR armv7l)
set(SSOKIT_QEMU qemu-arm)
include(${CMAKE_CURRENT_LIST_DIR}/debian-multiarch.cmake)
