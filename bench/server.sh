#!/usr/bin/env bash
# Benchmark of ssokit-server against the nginx ceiling and the Node peer, on this machine.
#
# For POST serviceToken, POST link, GET list and GET serviceToken (each over many distinct
# devices), in one run:
#   1. wrk drives the real server as fast as it answers (closed loop, --connections);
#   2. nginx serves a static JSON file of the same size as that endpoint's answer: the ceiling;
#   3. the paced mode: wrk again, each connection waiting between requests so that the rate is
#      about half of (1), for the latency at a load the server is not saturated by;
#   4. for POST link, the Node peer (bench/node-peer: node-oidc-provider issuing RFC 8628
#      device codes, in memory) on POST /device/auth;
#   5. the operator's defaults: the server restarted with --device-rate and --log-level as an
#      operator gets them (on, info), the four endpoints again.
# Prints the tables and writes them to docs/performance.md, one section per store and
# instance count. A benchmark, not a test: it never runs in CI.
#
#   bench/server.sh [--duration SECONDS] [--connections N] [--devices N]
#                   [--store sqlite|postgresql] [--instances N]
#
# --store sqlite (default): the embedded SQLite file, synchronous=FULL. --store postgresql:
# a throwaway local PostgreSQL cluster (scripts/postgres.sh, default settings: fsync and
# synchronous_commit on). --instances N > 1 (PostgreSQL only) starts N servers on the store
# behind nginx as the load balancer (scripts/lib/instances.sh), and wrk drives the balancer.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
duration=10
connections=64
device_count=30000
store_kind=sqlite
instances=1
while (($#)); do
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --devices) device_count=$2; shift 2 ;;
    --store) store_kind=$2; shift 2 ;;
    --instances) instances=$2; shift 2 ;;
    *) sed -n '17,18p' "$0" >&2; exit 2 ;;
  esac
done
[[ "$store_kind" == sqlite || "$store_kind" == postgresql ]] ||
  { echo "bench/server.sh: --store takes sqlite or postgresql, not '$store_kind'" >&2; exit 2; }
[[ "$instances" =~ ^[1-9]$ ]] || { echo "bench/server.sh: --instances takes 1 to 9, not '$instances'" >&2; exit 2; }
if [[ "$store_kind" == sqlite && "$instances" != 1 ]]; then
  echo "bench/server.sh: several instances share a PostgreSQL store: add --store postgresql" >&2
  exit 2
fi
# shellcheck source=lib/server_bench.sh
source "$root/bench/lib/server_bench.sh"

peer_dir="$root/bench/node-peer"
say "installing the Node peer's packages (npm ci)"
(cd "$peer_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

work=$(mktemp -d /tmp/ssokit-bench.XXXXXX)
pg_dir=$(mktemp -u /tmp/ssokit-bench-pg.XXXXXX)
pids=()        # nginx (ceiling) and the Node peer
server_pids=() # the ssokit instances and their balancer, restarted for the operator's table
cleanup() {
  for pid in "${server_pids[@]}" "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [[ "$store_kind" == postgresql ]] && "$root/scripts/postgres.sh" stop "$pg_dir"
  rm -rf "$work"
}
trap cleanup EXIT

store_flags=()
if [[ "$store_kind" == postgresql ]]; then
  say "starting a throwaway PostgreSQL cluster"
  store_flags=(--store "$("$root/scripts/postgres.sh" start "$pg_dir")")
fi
sp=bench
"$server_bin" software-statement --data "$work/data-1" "${store_flags[@]}" --service-provider "$sp" >"$work/statement"
for i in $(seq 2 "$instances"); do ssokit_copy_data "$work/data-1" "$work/data-$i"; done

# The bench settings: no limit stands between wrk and the work the server does per call.
bench_flags=(--device-rate off --redeem-failures 1000000/600 --redeem-budget 1000000/600
  --max-live-codes 5 --address-rate off --max-devices off --log-level warn)
# What an operator gets: the per-device throttle on and a log line per request.
operator_flags=(--redeem-failures 1000000/600 --redeem-budget 1000000/600
  --max-live-codes 5 --address-rate off --max-devices off)
balancer_port=$(ssokit_free_port)

# start_servers FLAGS...: the instances (and their balancer) with these serve flags; sets base.
start_servers() {
  local flags=("${store_flags[@]}" "$@") urls=() i
  ((instances > 1)) && flags+=(--trusted-proxy 127.0.0.1/32)
  server_pids=()
  for i in $(seq 1 "$instances"); do
    ssokit_start_instance "$server_bin" "$work/data-$i" "$work/server-$i.log" "${flags[@]}"
    server_pids+=("$instance_pid")
    urls+=("$instance_url")
  done
  if ((instances == 1)); then
    base=${urls[0]}
    return
  fi
  ssokit_balancer_conf "$work/balancer" "127.0.0.1:$balancer_port" "${urls[@]}"
  nginx -c "$work/balancer/nginx.conf" -g 'daemon off;' &
  server_pids+=($!)
  base="http://127.0.0.1:$balancer_port"
  for _ in $(seq 1 50); do curl -fsS -o /dev/null "$base/healthz" 2>/dev/null && break; sleep 0.1; done
}

# store_copy save|restore: a copy of the whole store (the servers stopped): the data folders
# (SQLite), or the database as a template database (PostgreSQL).
store_copy() {
  local i
  if [[ "$store_kind" == sqlite ]]; then
    for i in $(seq 1 "$instances"); do
      if [[ $1 == save ]]; then
        rm -rf "$work/copy-$i" && cp -a "$work/data-$i" "$work/copy-$i"
      else
        rm -rf "$work/data-$i" && cp -a "$work/copy-$i" "$work/data-$i"
      fi
    done
    return
  fi
  local url=${store_flags[1]} admin db
  db=${url##*/}
  admin=${url%/*}/postgres
  if [[ $1 == save ]]; then
    psql -qX "$admin" -c "CREATE DATABASE bench_copy TEMPLATE \"$db\"" >/dev/null
  else
    psql -qX "$admin" -c "DROP DATABASE \"$db\"" -c "CREATE DATABASE \"$db\" TEMPLATE bench_copy" >/dev/null
  fi
}

stop_servers() {
  local pid
  for pid in "${server_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${server_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  server_pids=()
}

start_servers "${bench_flags[@]}"
say "ssokit-server: $instances instance(s) on the $store_kind store at $base"

register=$(curl -sS -X POST "$base/o/client/register" -H 'Content-Type: application/json' \
  -d "{\"software_statement\":\"$(cat "$work/statement")\"}")
client_id=$(jq -r .client_id <<<"$register")
client_secret=$(jq -r .client_secret <<<"$register")
access_token=$(curl -sS -X POST "$base/o/client/token" --data-urlencode grant_type=client_credentials \
  --data-urlencode "client_id=$client_id" --data-urlencode "client_secret=$client_secret" | jq -r .access_token)

# 20 devices per profile: GET list answers 20 devices.
profiles=$((device_count / 20))
((profiles > 0)) || profiles=1
say "signing in $device_count devices ($profiles profiles) for the link, list and refresh runs"
python3 "$root/bench/lib/sign_in_devices.py" "$base" "$sp" "$access_token" "$device_count" "$profiles" "$work/devices"

# Both tables start from the store as it is now, right after the sign-ins: every POST link
# leaves its code in the store (SPEC §6.1 keeps spent and retired codes readable for 10
# minutes), and making codes slows as that table grows, so the operator's table must not
# inherit the codes of the bench table's runs.
say "keeping a copy of the store as it is after the sign-ins"
stop_servers
store_copy save
start_servers "${bench_flags[@]}"

# nginx serving static files of the same sizes, on the same machine.
mkdir -p "$work/nginx/www" "$work/nginx/tmp"
nginx_port=$(ssokit_free_port)
cat >"$work/nginx/nginx.conf" <<NGINX
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp; proxy_temp_path $work/nginx/tmp;
  fastcgi_temp_path $work/nginx/tmp; uwsgi_temp_path $work/nginx/tmp; scgi_temp_path $work/nginx/tmp;
  default_type application/json;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$nginx_port; root $work/nginx/www; }
}
NGINX
nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)

# The Node peer, one process (the bench shares two cores; see bench/node-peer/README.md).
peer_port=$(ssokit_free_port)
PORT=$peer_port node "$peer_dir/server.js" >"$work/peer.out" 2>"$work/peer.err" &
pids+=($!)
for _ in $(seq 1 100); do grep -q '^listening on' "$work/peer.out" 2>/dev/null && break; sleep 0.1; done
grep -q '^listening on' "$work/peer.out" || { echo "the Node peer did not start:" >&2; cat "$work/peer.err" >&2; exit 1; }
sleep 0.5

first_device=$(head -1 "$work/devices")
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
export SSOKIT_TOKEN=$access_token SSOKIT_SP=$sp SSOKIT_DEVICES="$work/devices"

# The size of one answer of each endpoint, for the static file nginx serves. The sign-in
# probe uses a device of its own: signing a bench device in again would move it to another
# profile and turn its token's later calls into device_unlinked.
answer_size() {
  local mode=$1 method=$2 path=$3
  if [[ $mode == sign_in ]]; then
    curl -sS -X POST "$base$path" -H "Authorization: Bearer $access_token" \
      -H "AP-Device-Identifier: fingerprint $(printf size-probe | base64)" -H "X-SSO-ID: size-probe" | wc -c
  else
    curl -sS -X "$method" "$base$path" -H "Authorization: Bearer $access_token" \
      -H "AP-Device-Identifier: fingerprint ${first_device%% *}" -H "AD-Service-Token: ${first_device#* }" | wc -c
  fi
}

run_wrk() {  # run_wrk SCRIPT URL: prints "req/s p50 p99 errors requests max"
  local script=$1 url=$2
  wrk -t 2 -c "$connections" -d "${duration}s" --latency -s "$script" "$url" | awk '/^RESULT/ {print $2, $3, $4, $5, $6, $7}'
}

endpoints=("POST serviceToken|sign_in|POST|/api/$sp/serviceToken" "POST link|link|POST|/api/$sp/link"
  "GET list|list|GET|/api/$sp/list" "GET serviceToken|refresh|GET|/api/$sp/serviceToken")
errors_note() { (($1 > 0)) && printf ' (%d of %d answers were errors)' "$1" "$2"; true; }

rows=()
declare -A bench_rps
printf '\n%-18s %6s %8s %7s %7s %9s %6s | %8s %7s %7s\n' endpoint bytes "req/s" "p50 ms" "p99 ms" "nginx/s" ratio \
  "paced/s" "p99 ms" "max ms"
for spec in "${endpoints[@]}"; do
  IFS='|' read -r name mode method path <<<"$spec"
  size=$(answer_size "$mode" "$method" "$path")
  head -c "$size" /dev/zero | tr '\0' ' ' >"$work/nginx/www/$mode.json"
  read -r rps p50 p99 errors total _ < <(SSOKIT_MODE=$mode run_wrk "$root/bench/wrk/ssokit.lua" "$base")
  read -r nrps _ _ _ _ _ < <(run_wrk "$root/bench/wrk/static.lua" "http://127.0.0.1:$nginx_port/$mode.json")
  # Paced: each connection waits connections/(rps/2) seconds between requests.
  delay_ms=$(awk -v c="$connections" -v r="$rps" 'BEGIN { d = c * 1000 / (r / 2); printf "%d", (d < 1 ? 1 : d + 0.5) }')
  read -r prps _ pp99 perrors ptotal pmax < <(SSOKIT_MODE=$mode SSOKIT_DELAY_MS=$delay_ms \
    run_wrk "$root/bench/wrk/ssokit.lua" "$base")
  ratio=$(awk -v a="$rps" -v b="$nrps" 'BEGIN { printf "%.3f", a / b }')
  bench_rps[$mode]=$rps
  printf '%-18s %6d %8.0f %7.2f %7.2f %9.0f %6s | %8.0f %7.2f %7.2f' "$name" "$size" "$rps" "$p50" "$p99" "$nrps" \
    "$ratio" "$prps" "$pp99" "$pmax"
  errors_note "$errors" "$total"
  errors_note "$perrors" "$ptotal"
  printf '\n'
  rows+=("| $name | $size | $(printf '%.0f' "$rps") | $p50 | $p99 | $(printf '%.0f' "$nrps") | $ratio | $(printf '%.0f' "$prps") | $pp99 | $pmax |")
  if [[ $mode == link ]]; then
    read -r peer_rps peer_p50 peer_p99 peer_errors peer_total _ < <(run_wrk "$root/bench/wrk/device_auth.lua" \
      "http://127.0.0.1:$peer_port")
    peer_ratio=$(awk -v a="$rps" -v b="$peer_rps" 'BEGIN { printf "%.2f", a / b }')
    printf '%-18s %6s %8.0f %7.2f %7.2f   POST link / peer: %s' "node POST /device/auth" "" "$peer_rps" "$peer_p50" \
      "$peer_p99" "$peer_ratio"
    errors_note "$peer_errors" "$peer_total"
    printf '\n'
  fi
done

say "restarting with the operator's defaults (--device-rate on, --log-level info), on the copy of the store"
stop_servers
store_copy restore
start_servers "${operator_flags[@]}"
operator_rows=()
printf '\n%-18s %8s %7s %7s %9s %6s\n' "operator defaults" "req/s" "p50 ms" "p99 ms" "bench/s" ratio
for spec in "${endpoints[@]}"; do
  IFS='|' read -r name mode _ _ <<<"$spec"
  read -r rps p50 p99 errors total _ < <(SSOKIT_MODE=$mode run_wrk "$root/bench/wrk/ssokit.lua" "$base")
  ratio=$(awk -v a="$rps" -v b="${bench_rps[$mode]}" 'BEGIN { printf "%.3f", a / b }')
  printf '%-18s %8.0f %7.2f %7.2f %9.0f %6s' "$name" "$rps" "$p50" "$p99" "${bench_rps[$mode]}" "$ratio"
  errors_note "$errors" "$total"
  printf '\n'
  operator_rows+=("| $name | $(printf '%.0f' "$rps") | $p50 | $p99 | $errors | $(printf '%.0f' "${bench_rps[$mode]}") | $ratio |")
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
out="$root/docs/performance.md"
tmp=$(mktemp)
heading="## Server: bench/server.sh --store $store_kind --instances $instances"
if [[ "$store_kind" == sqlite ]]; then
  store_text="SQLite $(sqlite3 --version | awk '{print $1}') with group commit (synchronous=FULL)"
else
  store_text="PostgreSQL $(psql --version | awk '{print $3}') on the same machine (a fresh cluster, default settings: fsync and synchronous_commit on), $instances instance(s), pool of 16 connections each"
  ((instances > 1)) && store_text+=", behind nginx as the load balancer (keep-alive upstreams)"
fi
peer_version=$(node -e "console.log(require('$peer_dir/node_modules/oidc-provider/package.json').version)")
{
  echo "$heading"
  echo
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores ($cpu), $(free -g | awk '/Mem:/ {print $2}') GiB; load average before: $load_before, after: $load_after."
  echo "Command: \`bench/server.sh --store $store_kind --instances $instances --connections $connections --duration $duration --devices $device_count\`."
  echo "wrk $(wrk -v 2>&1 | awk 'NR==1 {print $2}') and the server on the same machine: wrk -t2 -c$connections -d${duration}s, $device_count devices in $profiles profiles (GET list answers 20)."
  echo "The server: Release build, $store_text, bench settings \`${bench_flags[*]}\`."
  echo "The ceiling: nginx $(nginx -v 2>&1 | sed 's/.*nginx\///') serving a static file of the same size as the endpoint's answer."
  echo "Paced: the same wrk, each connection waiting between requests for about half the endpoint's req/s; p99 and the slowest answer of that run."
  echo
  echo "| endpoint | answer bytes | req/s | p50 ms | p99 ms | nginx req/s | ratio | paced req/s | paced p99 ms | paced max ms |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "The Node peer in the same run: node-oidc-provider $peer_version on Node $(node --version), one process, device flow, in-memory adapter, POST /device/auth: $(printf '%.0f' "$peer_rps") req/s (p50 $peer_p50 ms, p99 $peer_p99 ms). POST link / peer: **$peer_ratio**."
  echo
  echo "With the operator's defaults (the server restarted with \`${operator_flags[*]}\`: the per-device throttle on at 10/1, a log line per request at info):"
  echo
  echo "| endpoint | req/s | p50 ms | p99 ms | answers ≥ 400 | bench settings req/s | ratio |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${operator_rows[@]}"
} >"$tmp"
if [[ -f "$out" ]] && grep -qxF "$heading" "$out"; then
  # Replace this configuration's section, keep the rest of the file.
  awk -v section="$tmp" -v heading="$heading" '
    $0 == heading { while ((getline line < section) > 0) print line; skip = 1; next }
    skip && /^## / { skip = 0; print "" }
    !skip { print }' "$out" >"$out.new" && mv "$out.new" "$out"
elif [[ -f "$out" ]]; then
  # A new configuration: after the other server sections, before the SDK's.
  awk -v section="$tmp" '
    /^## SDK/ && !done { while ((getline line < section) > 0) print line; print ""; done = 1 }
    { print }
    END { if (!done) { print ""; while ((getline line < section) > 0) print line } }' "$out" >"$out.new" &&
    mv "$out.new" "$out"
else
  { echo "# Performance"; echo; echo "Figures measured by the benchmarks under bench/; never by tests."; echo; cat "$tmp"; } >"$out"
fi
rm -f "$tmp"
say "tables written to docs/performance.md"
