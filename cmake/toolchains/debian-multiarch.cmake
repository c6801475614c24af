# Shared by the cross toolchain files beside it: Debian's cross compilers for one multiarch
# triplet (crossbuild-essential-<arch>), the target's -dev packages installed with
# `dpkg --add-architecture` (scripts/deps.sh --cross <arch>), and qemu-user to run what was
# built, so ctest runs the tests for the target on this machine. Set SSOKIT_TRIPLET,
# SSOKIT_PROCESSOR and SSOKIT_QEMU before including this file.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ${SSOKIT_PROCESSOR})
set(CMAKE_C_COMPILER ${SSOKIT_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${SSOKIT_TRIPLET}-g++)
# Multiarch: the target's libraries live in /usr/lib/<triplet> of this very root, beside the
# machine's own; this makes find_library, find_package and the config packages look there.
set(CMAKE_LIBRARY_ARCHITECTURE ${SSOKIT_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
# pkg-config reads the target's .pc files only (architecture-independent ones are shared).
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/${SSOKIT_TRIPLET}/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")
# The target's dynamic loader and libraries come from the same root, so qemu needs no -L.
set(CMAKE_CROSSCOMPILING_EMULATOR ${SSOKIT_QEMU})
