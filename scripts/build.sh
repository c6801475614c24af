#!/usr/bin/env bash
# Configures and builds ssokit. Usage: scripts/build.sh [BUILD_DIR] [extra cmake args...]
# Default BUILD_DIR is build/. Warnings are errors.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${1:-$root/build}
shift || true

"$root/scripts/deps.sh"
echo "build: configuring $build_dir"
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} \
      -DSSOKIT_WERROR=ON "$@" >/dev/null
echo "build: compiling ($(nproc) jobs)"
cmake --build "$build_dir" -j "$(nproc)"
