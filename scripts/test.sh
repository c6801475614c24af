#!/usr/bin/env bash
# Builds and runs every test of ssokit: installs what is missing, builds with warnings as
# errors, runs the unit and integration suites, then builds and runs them again under
# AddressSanitizer + UndefinedBehaviorSanitizer. Exit status 0 only if everything passed.
#
#   scripts/test.sh            everything
#   scripts/test.sh --quick    the normal build only (no sanitizer pass)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)
quick=0
[[ "${1:-}" == "--quick" ]] && quick=1

step() { printf '\n==> %s\n' "$*"; }
started=$SECONDS

step "dependencies"
"$root/scripts/deps.sh"

run_suite() {
  local name=$1 dir=$2
  shift 2
  step "$name: configure and build ($dir)"
  cmake -S "$root" -B "$dir" -G Ninja -DSSOKIT_WERROR=ON "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
  step "$name: tests"
  # Integration tests start real server processes; run two at a time on two cores.
  ctest --test-dir "$dir" --output-on-failure -j "$jobs" --timeout 300
}

run_suite "release" "$root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo

if ((quick == 0)); then
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  run_suite "asan+ubsan" "$root/build-asan" -DCMAKE_BUILD_TYPE=Debug -DSSOKIT_SANITIZE=address,undefined
fi

step "all tests passed in $((SECONDS - started)) s"
