#!/usr/bin/env bash
# What a held request costs (SPEC §6.1, issue 11): 10,000 concurrent GET link/status?wait=60
# on one instance, the server's memory before and with them, and the wake-up latency from a
# redemption to the held answer, with every other waiter still held.
#
#   bench/waiters.sh [--waiters N] [--samples N] [--instances 1|2]
#
# --instances 1: SQLite, waiters and redemptions on the one server. --instances 2: a
# throwaway PostgreSQL cluster (scripts/postgres.sh) with two servers; the waiters hold on
# the first, the redemptions go to the second, so every wake-up crosses instances through
# LISTEN/NOTIFY. Prints one line of figures per run; a benchmark, never run in CI.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
waiters=10000
samples=200
instances=1
while (($#)); do
  case $1 in
    --waiters) waiters=$2; shift 2 ;;
    --samples) samples=$2; shift 2 ;;
    --instances) instances=$2; shift 2 ;;
    *) sed -n '6p' "$0" >&2; exit 2 ;;
  esac
done
[[ "$instances" == 1 || "$instances" == 2 ]] || { echo "bench/waiters.sh: --instances takes 1 or 2" >&2; exit 2; }
# shellcheck source=lib/server_bench.sh
source "$root/bench/lib/server_bench.sh"

work=$(mktemp -d /tmp/ssokit-waiters.XXXXXX)
pg_dir=$(mktemp -u /tmp/ssokit-waiters-pg.XXXXXX)
server_pids=()
cleanup() {
  local pid
  for pid in "${server_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  ((instances == 2)) && "$root/scripts/postgres.sh" stop "$pg_dir"
  rm -rf "$work"
}
trap cleanup EXIT

store_flags=()
if ((instances == 2)); then
  say "starting a throwaway PostgreSQL cluster"
  store_flags=(--store "$("$root/scripts/postgres.sh" start "$pg_dir")")
fi
sp=bench
"$server_bin" software-statement --data "$work/data-1" "${store_flags[@]}" --service-provider "$sp" >"$work/statement"
((instances == 2)) && ssokit_copy_data "$work/data-1" "$work/data-2"
flags=("${store_flags[@]}" --device-rate off --address-rate off --max-devices off --log-level warn
  --max-waiters $((waiters + samples)) --max-connections $((waiters + 1000)))
urls=()
for i in $(seq 1 "$instances"); do
  ssokit_start_instance "$server_bin" "$work/data-$i" "$work/server-$i.log" "${flags[@]}"
  server_pids+=("$instance_pid")
  urls+=("$instance_url")
done
hold_url=${urls[0]}
redeem_url=${urls[$((instances - 1))]}

register=$(curl -sS -X POST "$hold_url/o/client/register" -H 'Content-Type: application/json' \
  -d "{\"software_statement\":\"$(cat "$work/statement")\"}")
access_token=$(curl -sS -X POST "$hold_url/o/client/token" --data-urlencode grant_type=client_credentials \
  --data-urlencode "client_id=$(jq -r .client_id <<<"$register")" \
  --data-urlencode "client_secret=$(jq -r .client_secret <<<"$register")" | jq -r .access_token)

say "holding $waiters requests on $hold_url, redeeming $samples of their codes on $redeem_url"
result=$(python3 "$root/bench/lib/held_waiters.py" "$hold_url" "$redeem_url" "$sp" "$access_token" \
  "$waiters" "$samples" "${server_pids[0]}")
echo "$result"
printf '\nmachine: %s, %s cores; load average: %s\n' "$(uname -m)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'instances: %s (%s)\n' "$instances" "$([[ $instances == 1 ]] && echo SQLite || echo 'PostgreSQL, wake-ups across instances')"
jq -r '"held requests: \(.waiters); server RSS \(.rss_before_kb) KB idle, \(.rss_held_kb) KB holding them: \(.per_waiter_bytes) bytes per held request (its connection included)\nwake-up from sending the redemption to the held answer: p50 \(.latency_ms_p50) ms, p99 \(.latency_ms_p99) ms, max \(.latency_ms_max) ms over \(.samples) redemptions"' <<<"$result"
