#!/usr/bin/env bash
# Installs the kit from a build tree into a temporary prefix, then configures, builds and runs
# two projects against that prefix alone, as app teams' builds would use it:
# - tests/install/consumer: find_package(ssokit) must work for an app, without GoogleTest
#   (hidden from CMake here: the package must not look for it unless asked);
# - tests/install/transport_consumer: a transport of its own, written against the installed
#   headers, run through the installed transport contract
#   (find_package(ssokit COMPONENTS transport_contract)); the contract's tests must have run.
#
#   consumer_test.sh BUILD_DIR CONSUMER_SOURCE_DIR TRANSPORT_CONSUMER_SOURCE_DIR
set -euo pipefail
build=$1
consumer=$2
transport_consumer=$3
work=$(mktemp -d /tmp/ssokit-install-test.XXXXXX)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >/dev/null
for target in ssokit/ssokitConfig.cmake ssokit/ssokitTargets.cmake ssokit/ssokitTransportContractTargets.cmake; do
  [[ -f $work/prefix/lib/cmake/$target || -f $work/prefix/lib/x86_64-linux-gnu/cmake/$target ]] ||
    { echo "not installed: cmake/$target" >&2; exit 1; }
done
for header in ssokit/ssokit.hpp ssokit/c/ssokit.h ssokit/transport_support.hpp ssokit/testing/transport_contract.hpp; do
  [[ -f $work/prefix/include/$header ]] || { echo "not installed: include/$header" >&2; exit 1; }
done
if find "$work/prefix/include" -path '*/src/*' | grep -q .; then
  echo "internal sources were installed" >&2
  exit 1
fi

cmake -S "$consumer" -B "$work/consumer-build" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_DISABLE_FIND_PACKAGE_GTest=ON >/dev/null
cmake --build "$work/consumer-build" >/dev/null
"$work/consumer-build/consumer" "$work/state"
# pkg-config, as a build without CMake uses the kit: a C program on the static libraries.
pc_dir=$(dirname "$(find "$work/prefix" -name ssokit.pc | head -n 1)")
[[ -f $pc_dir/ssokit.pc ]] || { echo "not installed: pkgconfig/ssokit.pc" >&2; exit 1; }
cat >"$work/pc_app.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <ssokit/c/ssokit.h>
int main(void) {
  printf("pkg-config consumer: libssokit %s\n", ssokit_version());
  return strcmp(ssokit_status_name(SSOKIT_LINK_CODE_INVALID), "link_code_invalid") == 0 ? 0 : 1;
}
C
# shellcheck disable=SC2046  # pkg-config's flags are words
cc -std=c99 -o "$work/pc_app" "$work/pc_app.c" $(PKG_CONFIG_PATH=$pc_dir pkg-config --cflags --libs ssokit)
"$work/pc_app"
if [[ -x $work/consumer-build/consumer_shared ]]; then
  LD_LIBRARY_PATH="$work/prefix/lib:$work/prefix/lib/x86_64-linux-gnu" "$work/consumer-build/consumer_shared"
fi

# Asking for the contract without GoogleTest must fail, and say why.
if cmake -S "$transport_consumer" -B "$work/no-gtest-build" -DCMAKE_PREFIX_PATH="$work/prefix" \
    -DCMAKE_DISABLE_FIND_PACKAGE_GTest=ON >"$work/no-gtest.log" 2>&1; then
  echo "find_package(ssokit COMPONENTS transport_contract) succeeded without GoogleTest" >&2
  exit 1
fi
grep -q GTest "$work/no-gtest.log" || { cat "$work/no-gtest.log" >&2; echo "the failure does not name GTest" >&2; exit 1; }

cmake -S "$transport_consumer" -B "$work/transport-build" -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/transport-build" >/dev/null
if ! "$work/transport-build/socket_transport_tests" >"$work/transport-tests.log" 2>&1; then
  cat "$work/transport-tests.log" >&2
  echo "the transport contract failed for the consumer's own transport" >&2
  exit 1
fi
# A contract that silently ran nothing (its tests left behind by the linker) must not pass.
contract_tests=$(sed -nE 's|^\[-+\] ([0-9]+) tests? from PlainSocket/TransportContract \(.*|\1|p' \
  "$work/transport-tests.log" | head -n 1)
if [[ -z $contract_tests || $contract_tests -eq 0 ]]; then
  cat "$work/transport-tests.log" >&2
  echo "the installed transport contract ran no test against the consumer's transport" >&2
  exit 1
fi
echo "transport consumer: the installed contract's $contract_tests tests passed against its own transport"
