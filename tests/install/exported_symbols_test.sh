#!/usr/bin/env bash
# What libssokit.so (SSOKIT_SHARED) exports: the C API (ssokit_*) and the public C++ API
# (namespace ssokit), nothing of the internals (ssokit::internal, ssokit::wire, the C API's
# own ssokit::c_api) and no instance of a standard-library template.
#
#   exported_symbols_test.sh LIBSSOKIT_SO
set -euo pipefail
library=$1
exported=$(nm -DC --defined-only "$library" | sed -E 's/^[0-9a-f]+ //')
count=$(wc -l <<<"$exported")
echo "$library: $count exported symbols"

stray=$(grep -Ev '^[A-Za-z] (ssokit_[a-z0-9_]+$|ssokit::|typeinfo for ssokit::|typeinfo name for ssokit::|vtable for ssokit::)' <<<"$exported" || true)
if [[ -n $stray ]]; then
  echo "FAIL: exported, but neither the C API nor the C++ API:" >&2
  head -20 <<<"$stray" >&2
  exit 1
fi
internal=$(grep -E 'ssokit::(internal|wire|c_api)::' <<<"$exported" || true)
if [[ -n $internal ]]; then
  echo "FAIL: internals exported:" >&2
  head -20 <<<"$internal" >&2
  exit 1
fi
for wanted in 'T ssokit_client_create$' 'T ssokit_client_redeem_link_code_async$' 'T ssokit::SsoClient::create\(' \
              'T ssokit::platform::linux_services\(' 'T ssokit::to_string\('; do
  grep -Eq "$wanted" <<<"$exported" || { echo "FAIL: not exported: $wanted" >&2; exit 1; }
done
echo "PASS: only the C and C++ APIs are exported ($(grep -c ' ssokit_' <<<"$exported") C functions)"
