#!/usr/bin/env bash
# Installs the kit from a build tree into a temporary prefix, then configures, builds and runs
# tests/install/consumer against that prefix alone: find_package(ssokit) must work for an app.
#
#   consumer_test.sh BUILD_DIR CONSUMER_SOURCE_DIR
set -euo pipefail
build=$1
consumer=$2
work=$(mktemp -d /tmp/ssokit-install-test.XXXXXX)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >/dev/null
for target in ssokit/ssokitConfig.cmake ssokit/ssokitTargets.cmake; do
  [[ -f $work/prefix/lib/cmake/$target || -f $work/prefix/lib/x86_64-linux-gnu/cmake/$target ]] ||
    { echo "not installed: cmake/$target" >&2; exit 1; }
done
[[ -f $work/prefix/include/ssokit/ssokit.hpp ]] || { echo "not installed: include/ssokit/ssokit.hpp" >&2; exit 1; }
if find "$work/prefix/include" -path '*/src/*' | grep -q .; then
  echo "internal sources were installed" >&2
  exit 1
fi

cmake -S "$consumer" -B "$work/consumer-build" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/consumer-build" >/dev/null
"$work/consumer-build/consumer" "$work/state"
