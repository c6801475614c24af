#!/usr/bin/env bash
# Benchmark of the client SDK, on this machine.
#
# Builds ssokit-bench-sdk (Google Benchmark) and ssokit-server (Release), starts the server on
# 127.0.0.1 with a temporary --data, and measures: the cached service-token lookup, GET list
# through SsoClient against raw libcurl with the same headers (overhead ratio), the TCP
# connections one client opens for 100 sequential and 100 concurrent calls (counted by a relay
# in the benchmark process), a client's peak heap, and for the breakdown the same GET through
# the transport alone, the SDK's own cost per call without I/O, and heap allocations per call.
# Prints one line per figure and writes
# the "## SDK: bench/sdk.sh" section of docs/performance.md (replacing it if present).
# A benchmark, not a test: it never runs in CI.
#
#   bench/sdk.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[[ $# -eq 0 ]] || { echo "usage: bench/sdk.sh" >&2; exit 2; }

say() { printf '==> %s\n' "$*"; }
"$root/scripts/deps.sh"

build="$root/build-bench-sdk"
say "building ssokit-bench-sdk and ssokit-server (Release) in $build"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSSOKIT_BUILD_BENCH=ON -DSSOKIT_BUILD_TESTS=OFF \
  -DSSOKIT_WERROR=ON >/dev/null
cmake --build "$build" --target ssokit-server ssokit-bench-sdk -j 2 >/dev/null
server_bin="$build/reference-server/ssokit-server"
bench_bin="$build/bench/sdk/ssokit-bench-sdk"

work=$(mktemp -d /tmp/ssokit-bench-sdk.XXXXXX)
server_pid=
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

sp=bench
"$server_bin" software-statement --data "$work/data" --service-provider "$sp" >"$work/statement"
"$server_bin" serve --data "$work/data" --listen 127.0.0.1:0 --ready-file "$work/ready" \
  --device-rate off --log-level warn >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 200); do [[ -s "$work/ready" ]] && break; sleep 0.05; done
[[ -s "$work/ready" ]] || { cat "$work/server.log" >&2; exit 1; }
base="http://$(cat "$work/ready")"
say "ssokit-server at $base (data in $work/data)"

say "running ssokit-bench-sdk"
SSOKIT_BENCH_SERVER=$base SSOKIT_BENCH_SP=$sp SSOKIT_BENCH_STATEMENT=$(cat "$work/statement") \
  "$bench_bin" --benchmark_enable_random_interleaving=true \
  --benchmark_out="$work/results.json" --benchmark_out_format=json

# One figure from the JSON results: benchmark, aggregate ("" for a single run) and field.
figure() {
  jq -r --arg name "$1" --arg aggregate "$2" --arg field "$3" '.benchmarks[]
    | select((.run_name | split("/")[0]) == $name and (.aggregate_name // "") == $aggregate) | .[$field]' \
    "$work/results.json"
}
errors=$(jq -r '[.benchmarks[] | select(.error_occurred == true) | .name] | join(", ")' "$work/results.json")
[[ -z $errors ]] || { echo "benchmark runs failed: $errors" >&2; exit 1; }

cached_ns=$(figure BM_CachedServiceToken "" real_time)
# The list figures: medians over the repetitions of the interleaved-blocks benchmark.
blocks=BM_ListDevices_SdkTransportRaw
one() { printf '%.1f' "$(figure $blocks median "$1")"; }
sdk_us=$(one sdk_us); raw_us=$(one raw_us); transport_us=$(one transport_us)
sdk_cpu_us=$(one sdk_cpu_us); raw_cpu_us=$(one raw_cpu_us); transport_cpu_us=$(one transport_cpu_us)
overhead=$(one sdk_overhead_pct); transport_overhead=$(one transport_overhead_pct)
sdk_requests=$(one sdk_requests_per_call)
# Every repetition's overhead, so the spread is in the report too.
overheads=$(jq -r --arg name "$blocks" '[.benchmarks[] | select((.run_name | split("/")[0]) == $name
  and .run_type == "iteration") | .sdk_overhead_pct | . * 10 | round / 10 | tostring] | join(", ")' "$work/results.json")
without_io_ns=$(printf '%.0f' "$(figure BM_ListDevices_SdkWithoutIo "" cpu_time)")
sdk_allocs=$(printf '%.0f' "$(figure BM_AllocationsPerListCall "" sdk_allocations)")
transport_allocs=$(printf '%.0f' "$(figure BM_AllocationsPerListCall "" transport_allocations)")
raw_allocs=$(printf '%.0f' "$(figure BM_AllocationsPerListCall "" raw_allocations)")
seq_conn=$(figure BM_Connections_100Sequential "" connections)
seq_sign_in=$(figure BM_Connections_100Sequential "" sign_in_connections)
conc_conn=$(figure BM_Connections_100Concurrent8 "" connections)
conc_sign_in=$(figure BM_Connections_100Concurrent8 "" sign_in_connections)
heap=$(figure BM_PeakHeap "" peak_bytes)
cached_ns=$(printf '%.0f' "$cached_ns")
seq_conn=$(printf '%.0f' "$seq_conn"); seq_sign_in=$(printf '%.0f' "$seq_sign_in")
conc_conn=$(printf '%.0f' "$conc_conn"); conc_sign_in=$(printf '%.0f' "$conc_sign_in")
heap=$(printf '%.0f' "$heap")

verdict() { if awk "BEGIN { exit !($1) }"; then echo yes; else echo no; fi; }
[[ $sdk_requests == 1.0 ]] || { echo "the SDK sent $sdk_requests requests per list call, not 1" >&2; exit 1; }
for value in "$cached_ns" "$sdk_us" "$raw_us" "$transport_us" "$without_io_ns" "$seq_conn" "$conc_conn" "$heap" \
  "$sdk_allocs" "$raw_allocs"; do
  [[ $value =~ ^[0-9.]+$ && $value != 0 && $value != 0.0 ]] || { echo "a figure is missing from $work/results.json" >&2; exit 1; }
done
cached_ok=$(verdict "$cached_ns < 1000")
overhead_ok=$(verdict "$overhead < 10")
seq_ok=$(verdict "$seq_conn == 1")
conc_ok=$(verdict "$conc_conn <= 8")

echo
printf 'cached service_token():            %s ns/call (target < 1000: %s)\n' "$cached_ns" "$cached_ok"
printf 'GET list via SsoClient (median):   %s us/call (client CPU %s us)\n' "$sdk_us" "$sdk_cpu_us"
printf 'GET list via raw libcurl (median): %s us/call (client CPU %s us)\n' "$raw_us" "$raw_cpu_us"
printf 'SDK overhead over raw libcurl:     %s %% (median; repetitions: %s; target < 10: %s)\n' "$overhead" \
  "$overheads" "$overhead_ok"
printf 'GET list via the transport alone:  %s us/call (client CPU %s us; %s %% over raw)\n' "$transport_us" \
  "$transport_cpu_us" "$transport_overhead"
printf 'SsoClient::list_devices() w/o I/O: %s ns/call\n' "$without_io_ns"
printf 'heap allocations per GET list:     %s SDK, %s transport alone, %s raw libcurl\n' "$sdk_allocs" \
  "$transport_allocs" "$raw_allocs"
printf 'TCP connections, 100 sequential:   %s (sign-in included; target 1: %s)\n' "$seq_conn" "$seq_ok"
printf 'TCP connections, 100 concurrent:   %s on 8 threads (sign-in included; target <= 8: %s)\n' "$conc_conn" "$conc_ok"
printf 'peak heap of a client:             %s bytes\n' "$heap"

cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
out="$root/docs/performance.md"
tmp=$(mktemp)
{
  echo "## SDK: bench/sdk.sh"
  echo
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores ($cpu), the benchmark and the server on the same machine."
  echo "Google Benchmark $(dpkg-query -W -f='${Version}' libbenchmark-dev 2>/dev/null || echo '?'), Release build;"
  echo "the server: SQLite store in a temporary --data, --device-rate off, --log-level warn, 127.0.0.1."
  echo
  echo "| figure | measured | target | holds |"
  echo "|---|---:|---:|---|"
  echo "| cached SsoClient::service_token() (FakeTransport, no network) | $cached_ns ns/call | < 1 µs | $cached_ok |"
  echo "| GET /api/$sp/list (3 devices) via SsoClient::list_devices(), median call | $sdk_us µs (client CPU $sdk_cpu_us µs) | | |"
  echo "| the same GET via raw libcurl, same headers, median call | $raw_us µs (client CPU $raw_cpu_us µs) | | |"
  echo "| SDK overhead over raw libcurl (wall time; median of 5 repetitions: $overheads) | $overhead % | < 10 % | $overhead_ok |"
  echo "| breakdown: the same GET through the curl transport alone, median call | $transport_us µs (client CPU $transport_cpu_us µs; $transport_overhead % over raw) | | |"
  echo "| breakdown: list_devices() on a transport replaying the answer (no I/O) | $without_io_ns ns/call | | |"
  echo "| breakdown: heap allocations per GET list (SDK / transport alone / raw libcurl) | $sdk_allocs / $transport_allocs / $raw_allocs | | |"
  echo "| TCP connections: sign-in + 100 sequential calls | $seq_conn ($seq_sign_in by sign-in) | 1 | $seq_ok |"
  echo "| TCP connections: sign-in + 100 calls on 8 threads | $conc_conn ($conc_sign_in by sign-in) | ≤ 8 (max_connections) | $conc_ok |"
  echo "| peak heap of a client (create, sign in, list, destroy) | $heap bytes | | |"
  echo
  echo "Load average at the run: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine adds noise to the wall times)."
  echo "The three ways of sending the list call (SDK, transport alone, raw libcurl) run in interleaved"
  echo "blocks of 32 calls, the order rotating, against the same server and profile, so they share"
  echo "its load and the machine's drift; each call is timed alone and the figures are median calls."
  echo "CPU is the benchmark thread's CPU time per call (user and kernel). Connections are counted by a"
  echo "TCP relay in the benchmark process between a fresh client and the server. Peak heap is the"
  echo "peak of live bytes (malloc interposed: C++, libcurl and cJSON allocations) after one warm-up"
  echo "client, so one-time libcurl initialisation is not in it."
} >"$tmp"
if grep -q '^## SDK: bench/sdk.sh' "$out"; then
  # Replace the SDK section, keep the rest of the file.
  awk -v section="$tmp" '
    /^## SDK: bench\/sdk.sh/ { while ((getline line < section) > 0) print line; skip = 1; next }
    skip && /^## / { skip = 0; print ""; }
    !skip { print }' "$out" >"$out.new" && mv "$out.new" "$out"
else
  { printf '\n'; cat "$tmp"; } >>"$out"
fi
rm -f "$tmp"
say "section written to docs/performance.md"
