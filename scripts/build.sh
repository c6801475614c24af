#!/usr/bin/env bash
# Installs missing dependencies, configures and builds ssokit into build/ (warnings are errors).
#   scripts/build.sh                  everything
#   scripts/build.sh ssokit-server    only the named targets
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${SSOKIT_BUILD_DIR:-$root/build}

"$root/scripts/deps.sh"
echo "build: configuring $build_dir"
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSSOKIT_WERROR=ON >/dev/null
targets=()
for target in "$@"; do targets+=(--target "$target"); done
echo "build: compiling ${*:-everything} with $(nproc) jobs"
cmake --build "$build_dir" -j "$(nproc)" "${targets[@]}"
