#!/usr/bin/env bash
# Builds and runs every test of ssokit: installs what is missing, builds with warnings as
# errors, runs the unit and integration suites, then builds and runs them again under
# AddressSanitizer + UndefinedBehaviorSanitizer, fuzzes the parsers of network input briefly
# (libFuzzer, clang), and runs the SDK's tests under ThreadSanitizer. The store contract and
# the server integration suite run on SQLite and again on a throwaway PostgreSQL cluster the
# script starts and removes (with two instances on one database, the fault tests and
# scripts/cluster.sh); the sanitizer pass runs the integration suite on SQLite only, the
# store contract on both. The SDK is also built alone without libcurl, and cross-built for
# arm64 and armhf (TV-class hardware) with its unit tests run there under qemu-user.
# Exit status 0 only if everything passed.
#
#   scripts/test.sh            everything
#   scripts/test.sh --quick    the normal build only (no sanitizer pass, no cross builds)
#   SSOKIT_CROSS_ARCHS="arm64" scripts/test.sh    cross-build for these only ("" for none)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)
quick=0
[[ "${1:-}" == "--quick" ]] && quick=1

started=$SECONDS
# Each step says when it starts, so a slow step shows in CI's log.
step() { printf '\n==> %s  [%d s]\n' "$*" "$((SECONDS - started))"; }

cross_archs=${SSOKIT_CROSS_ARCHS-arm64 armhf}
((quick)) && cross_archs=""

step "dependencies"
cross_flags=()
for arch in $cross_archs; do cross_flags+=(--cross "$arch"); done
"$root/scripts/deps.sh" --cluster "${cross_flags[@]}"  # nginx for scripts/cluster.sh's test

# A throwaway PostgreSQL cluster for the PostgreSQL runs of the store contract and of the
# integration suite, removed on exit whatever happens (scripts/postgres.sh).
step "postgresql: a throwaway cluster"
pg_dir=$(mktemp -u /tmp/ssokit-pg.XXXXXX)
trap '"$root/scripts/postgres.sh" stop "$pg_dir"' EXIT
SSOKIT_TEST_POSTGRES_URL=$("$root/scripts/postgres.sh" start "$pg_dir")
export SSOKIT_TEST_POSTGRES_URL
echo "$SSOKIT_TEST_POSTGRES_URL"

# run_suite NAME DIR "CTEST ARGS" "TARGETS" CMAKE_ARGS...
run_suite() {
  local name=$1 dir=$2 ctest_args=$3 targets=$4
  shift 4
  step "$name: configure and build ($dir)"
  cmake -S "$root" -B "$dir" -G Ninja -DSSOKIT_WERROR=ON "$@" >/dev/null
  local target_args=()
  for target in $targets; do target_args+=(--target "$target"); done
  cmake --build "$dir" -j "$jobs" "${target_args[@]}"
  step "$name: tests"
  # Integration tests start real server processes; run two at a time on two cores.
  # shellcheck disable=SC2086
  ctest --test-dir "$dir" --output-on-failure -j "$jobs" --timeout 300 $ctest_args
}

run_suite "release" "$root/build" "" "" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSSOKIT_SHARED=ON

if ((quick == 0)); then
  # The SDK alone, as a team that brings its own HTTP stack builds it: no server, no libcurl.
  run_suite "sdk alone, without libcurl" "$root/build-sdk-nocurl" "" "" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSSOKIT_BUILD_SERVER=OFF -DSSOKIT_WITH_CURL=OFF -DSSOKIT_BUILD_JAVA=OFF
  # The SDK and platform adaptors for TV-class hardware, their unit tests (the transport's
  # against loopback servers too) run on this machine under qemu-user (cmake/toolchains).
  declare -A triplet=([arm64]=aarch64-linux-gnu [armhf]=arm-linux-gnueabihf)
  declare -A qemu=([arm64]=qemu-aarch64 [armhf]=qemu-arm)
  for arch in $cross_archs; do
    run_suite "$arch: cross build, unit tests under ${qemu[$arch]}" "$root/build-$arch" "" "" \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSSOKIT_BUILD_SERVER=OFF -DSSOKIT_BUILD_JAVA=OFF \
      -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchains/${triplet[$arch]}.cmake"
  done

  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  run_suite "asan+ubsan" "$root/build-asan" "-LE pg-integration" "" -DCMAKE_BUILD_TYPE=Debug -DSSOKIT_SANITIZE=address,undefined
  # Every parser of bytes from the network, under libFuzzer with ASan+UBSan, for
  # SSOKIT_FUZZ_SECONDS each (tests/fuzz); crashes are kept as crash-* in build-fuzz/tests/fuzz.
  run_suite "fuzz" "$root/build-fuzz" "-L fuzz" "fuzz_sdk_answers fuzz_server_requests fuzz_jose_tokens fuzz_http_framing" \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSSOKIT_SANITIZE=address,undefined -DSSOKIT_BUILD_FUZZ=ON -DSSOKIT_BUILD_TESTS=OFF
  export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
  # The SDK promises thread safety: its unit tests and its tests against the server.
  run_suite "tsan (sdk)" "$root/build-tsan" "-L sdk" \
    "sdk_wire_tests sdk_transport_tests sdk_client_tests sdk_platform_tests integration_sdk_tests" \
    -DCMAKE_BUILD_TYPE=Debug -DSSOKIT_SANITIZE=thread
fi

step "all tests passed in $((SECONDS - started)) s"
