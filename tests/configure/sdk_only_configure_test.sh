#!/usr/bin/env bash
# Configures the kit SDK-only (SSOKIT_BUILD_SERVER=OFF) on this machine with every other
# dependency hidden from CMake: pkg-config sees only the SDK's modules (libcjson, and libcurl
# unless SSOKIT_WITH_CURL=OFF), and find_package is refused Boost and Qt 6. The configure must
# succeed, and the project's own files must require exactly the SDK's dependencies, read off
# CMake's trace; the optional lookups (a JDK for the Java binding, libsecret for the keyring
# store: each part built only when found) must be those and no others. Then the same with
# SSOKIT_WITH_CURL=OFF, where libcurl is hidden too.
#
#   sdk_only_configure_test.sh SOURCE_DIR
set -euo pipefail
source_dir=$1
work=$(mktemp -d /tmp/ssokit-sdk-only.XXXXXX)
trap 'rm -rf "$work"' EXIT

system_pc_dirs=$(pkg-config --variable pc_path pkg-config)

# configure NAME "PC MODULES" "REQUIRED find_package" "REQUIRED pkg_check_modules" CMAKE_ARGS...
configure() {
  local name=$1 visible=$2 expected_packages=$3 expected_modules=$4
  shift 4
  local pc="$work/$name/pkgconfig"
  mkdir -p "$pc"
  for module in $visible; do
    local found=""
    IFS=: read -ra dirs <<<"$system_pc_dirs"
    for dir in "${dirs[@]}"; do
      if [[ -f $dir/$module.pc ]]; then found=$dir/$module.pc; break; fi
    done
    [[ -n $found ]] || { echo "FAIL: $module.pc is not on this machine" >&2; exit 1; }
    ln -s "$found" "$pc/$module.pc"
  done
  echo "== $name: pkg-config sees only: $visible; Boost and Qt 6 refused"
  if ! PKG_CONFIG_LIBDIR=$pc PKG_CONFIG_PATH="" \
      cmake -S "$source_dir" -B "$work/$name/build" -G Ninja -DSSOKIT_BUILD_SERVER=OFF "$@" \
      -DCMAKE_DISABLE_FIND_PACKAGE_Boost=ON -DCMAKE_DISABLE_FIND_PACKAGE_Qt6=ON \
      --trace-expand --trace-redirect="$work/$name/trace.txt" >"$work/$name/configure.log" 2>&1; then
    cat "$work/$name/configure.log" >&2
    echo "FAIL: $name: the SDK-only configure failed with the server's dependencies hidden" >&2
    exit 1
  fi
  # The calls made from the project's own CMake files (not from CMake's modules), required
  # (REQUIRED) and optional apart.
  local calls packages modules optional
  calls=$(grep -E "^$source_dir/[^(]*\([0-9]+\): +(find_package|pkg_check_modules)\(" "$work/$name/trace.txt")
  packages=$(grep -E "find_package\(.* REQUIRED" <<<"$calls" |
    sed -E 's/.*find_package\(([A-Za-z0-9_]+).*/\1/' | sort -u | tr '\n' ' ' | sed 's/ $//')
  modules=$(grep -E "pkg_check_modules\(.* REQUIRED" <<<"$calls" |
    sed -E 's/.*IMPORTED_TARGET ([^ )]+).*/\1/' | sort -u | tr '\n' ' ' | sed 's/ $//')
  optional=$(grep -Ev " REQUIRED" <<<"$calls" |
    sed -E 's/.*find_package\(([A-Za-z0-9_]+).*/\1/; s/.*IMPORTED_TARGET ([^ )]+).*/\1/' |
    sort -u | tr '\n' ' ' | sed 's/ $//' || true)
  echo "   required: find_package $packages; pkg_check_modules $modules"
  echo "   optional: $optional"
  if [[ $packages != "$expected_packages" || $modules != "$expected_modules" ]]; then
    echo "FAIL: $name requires more (or other) than the SDK's own dependencies:" >&2
    echo "  find_package wanted '$expected_packages', pkg_check_modules wanted '$expected_modules'" >&2
    exit 1
  fi
  if [[ $optional != "$expected_optional" ]]; then
    echo "FAIL: $name looks for '$optional' where the optional parts are '$expected_optional'" >&2
    exit 1
  fi
}

# Looked for, never required: a JDK (Java, JNI) for bindings/java and libsecret-1 for
# LibsecretSecureStore. Hidden here (libsecret) or not, the configure succeeds either way.
expected_optional="JNI Java libsecret-1>=0.19"
configure with-curl "libcjson libcurl" "GTest OpenSSL PkgConfig Threads" "libcjson libcurl"
configure without-curl "libcjson" "GTest OpenSSL PkgConfig Threads" "libcjson" -DSSOKIT_WITH_CURL=OFF
echo "PASS: the SDK configures with nothing but OpenSSL, cJSON, libcurl (and GoogleTest for its tests)"
