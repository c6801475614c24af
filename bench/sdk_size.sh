#!/usr/bin/env bash
# How big the SDK is where it runs: builds the SDK alone (MinSizeRel, no server, no tests) for
# x86-64 and arm64 (cmake/toolchains) and prints, stripped:
#   - libssokit.so (the C API, the SDK and the platform adaptors, SSOKIT_SHARED), with and
#     without the libcurl transport;
#   - the static libraries (libssokit_c.a + libssokit_platform.a + libssokit_sdk.a, debug
#     info stripped), and what they add to a C program that uses the C API (linked with
#     --gc-sections, minus the same program without ssokit);
#   - each shared library the SDK pulls in (libcurl, cJSON, OpenSSL and what libcurl needs).
# Target (issue 10): SDK + platform + C API <= 600 KB stripped on arm64, libcurl and OpenSSL
# not counted.
#
#   bench/sdk_size.sh [x86-64] [arm64]      (default: both)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
targets=("$@")
((${#targets[@]})) || targets=(x86-64 arm64)
target_kb=600

cross_flags=()
for target in "${targets[@]}"; do
  case $target in
    x86-64) ;;
    arm64) cross_flags+=(--cross arm64) ;;
    *) echo "usage: bench/sdk_size.sh [x86-64] [arm64]" >&2; exit 2 ;;
  esac
done
"$root/scripts/deps.sh" "${cross_flags[@]}" >/dev/null

kb() { echo $(( ($1 + 512) / 1024 )); }
size_of() { stat -c %s "$1"; }

# code_and_data SIZE_TOOL FILE: text + data bytes (what loading costs, without the padding to
# the target's page size that arm64 files carry: segments there are 64 KB aligned).
code_and_data() { "$1" -B "$2" | awk 'NR == 2 { print $1 + $2 }'; }

# stripped_size STRIP FILE: the size of FILE with its symbols (and debug info) stripped.
stripped_size() {
  local copy
  copy=$(mktemp)
  "$1" --strip-unneeded -o "$copy" "$2"
  size_of "$copy"
  rm -f "$copy"
}

# The shared libraries FILE needs, recursively, resolved in LIBDIR (multiarch), one per line.
needed_libraries() {
  local libdir=$1 file=$2
  local -A seen=()
  local queue=("$file") next lib path
  while ((${#queue[@]})); do
    next=${queue[0]}
    queue=("${queue[@]:1}")
    for lib in $(readelf -d "$next" 2>/dev/null | sed -nE 's/.*\(NEEDED\).*\[(.*)\]/\1/p'); do
      [[ -n ${seen[$lib]:-} ]] && continue
      seen[$lib]=1
      case $lib in libc.so.*|libm.so.*|ld-linux*|libpthread.so.*|libdl.so.*|librt.so.*|libstdc++.so.*|libgcc_s.so.*) continue ;; esac
      path=$(readlink -f "$libdir/$lib" 2>/dev/null || true)
      [[ -f $path ]] || path=$(readlink -f "/lib/${libdir#/usr/lib/}/$lib" 2>/dev/null || true)
      [[ -f $path ]] || continue
      echo "$lib $path"
      queue+=("$path")
    done
  done
}

printf '\n== ssokit SDK size: %s, %s, %s\n' "$(uname -m) host" "$(g++ --version | head -n 1)" "$(date -u +%Y-%m-%d)"

for target in "${targets[@]}"; do
  case $target in
    x86-64) toolchain=(); triplet=x86_64-linux-gnu; prefix="" ;;
    arm64) toolchain=(-DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchains/aarch64-linux-gnu.cmake"); triplet=aarch64-linux-gnu; prefix=aarch64-linux-gnu- ;;
  esac
  strip_tool=${prefix}strip
  cc=${prefix}gcc
  libdir=/usr/lib/$triplet
  size_tool=${prefix}size
  declare -A so_bytes=() so_code=()
  for curl in ON OFF; do
    dir="$root/build-size-$target-curl-$curl"
    printf '\n-- %s: building the SDK alone (MinSizeRel, SSOKIT_WITH_CURL=%s) in %s\n' "$target" "$curl" "$dir"
    cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=MinSizeRel -DSSOKIT_BUILD_SERVER=OFF \
      -DSSOKIT_BUILD_TESTS=OFF -DSSOKIT_BUILD_JAVA=OFF -DSSOKIT_WITH_LIBSECRET=OFF -DSSOKIT_SHARED=ON \
      -DSSOKIT_WITH_CURL=$curl "${toolchain[@]}" >/dev/null
    cmake --build "$dir" --target ssokit_shared ssokit_c ssokit_sdk ssokit_platform >/dev/null
    so_bytes[$curl]=$(stripped_size "$strip_tool" "$dir/sdk/c/libssokit.so")
    so_code[$curl]=$(code_and_data "$size_tool" "$dir/sdk/c/libssokit.so")
  done
  dir="$root/build-size-$target-curl-ON"

  # The static libraries, debug info stripped (symbols kept: a static library needs them).
  static_bytes=0
  for archive in "$dir/sdk/c/libssokit_c.a" "$dir/platform/libssokit_platform.a" "$dir/sdk/libssokit_sdk.a"; do
    copy=$(mktemp)
    "$strip_tool" --strip-debug -o "$copy" "$archive"
    static_bytes=$((static_bytes + $(size_of "$copy")))
    rm -f "$copy"
  done

  # What the static libraries add to a program: the docs' C example against an empty main.
  work=$(mktemp -d)
  sed -n '/^```c$/,/^```$/p' "$root/docs/c-api.md" | awk 'BEGIN{n=0} /^```c$/{n++; next} /^```$/{next} n==1' >"$work/app.c"
  printf 'int main(void) { return 0; }\n' >"$work/empty.c"
  "$cc" -Os -std=c99 -I "$root/sdk/c/include" -c "$work/app.c" -o "$work/app.o"
  "${prefix}g++" -Os -Wl,--gc-sections -o "$work/app" "$work/app.o" "$dir/sdk/c/libssokit_c.a" \
    "$dir/platform/libssokit_platform.a" "$dir/sdk/libssokit_sdk.a" -L"$libdir" -lcurl -lcjson -lcrypto -lpthread
  "${prefix}g++" -Os -o "$work/empty" "$work/empty.c"
  added=$(( $(stripped_size "$strip_tool" "$work/app") - $(stripped_size "$strip_tool" "$work/empty") ))
  added_code=$(( $(code_and_data "$size_tool" "$work/app") - $(code_and_data "$size_tool" "$work/empty") ))
  rm -rf "$work"

  printf '\n%s (stripped)\n' "$target"
  printf '  %-58s %8s %14s\n' "what" "file KB" "code+data KB"
  printf '  %-58s %8s %14s\n' "libssokit.so (C API + SDK + platform, libcurl transport)" "$(kb "${so_bytes[ON]}")" "$(kb "${so_code[ON]}")"
  printf '  %-58s %8s %14s\n' "libssokit.so without the libcurl transport" "$(kb "${so_bytes[OFF]}")" "$(kb "${so_code[OFF]}")"
  printf '  %-58s %8s %14s\n' "static: libssokit_c.a + _platform.a + _sdk.a (no debug info)" "$(kb "$static_bytes")" ""
  printf '  %-58s %8s %14s\n' "static, linked into a C program (--gc-sections), added size" "$(kb "$added")" "$(kb "$added_code")"
  printf '  dependencies, each as shipped in %s (stripped copy):\n' "$libdir"
  total=0
  while read -r lib path; do
    bytes=$(stripped_size "$strip_tool" "$path")
    total=$((total + bytes))
    printf '    %-56s %8s\n' "$lib" "$(kb "$bytes")"
  done < <(needed_libraries "$libdir" "$dir/sdk/c/libssokit.so" | sort)
  printf '    %-56s %8s\n' "all of them" "$(kb "$total")"
  if [[ $target == arm64 ]]; then
    verdict="meets"
    (( $(kb "${so_bytes[ON]}") > target_kb )) && verdict="misses"
    printf '  RESULT arm64 libssokit.so %s KB: %s the %s KB target (libcurl and OpenSSL not counted)\n' \
      "$(kb "${so_bytes[ON]}")" "$verdict" "$target_kb"
  fi
  unset so_bytes so_code
done
