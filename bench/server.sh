#!/usr/bin/env bash
# Benchmark of ssokit-server against the nginx ceiling, on this machine.
#
# For POST serviceToken, POST link, GET list and GET serviceToken (each over many distinct
# devices), wrk drives the real server, then nginx serving a static JSON file of the same
# size as that endpoint's answer. Prints one line per endpoint (req/s, p50, p99, ratio to
# nginx) and writes the table to docs/performance.md, one section per store and instance
# count. A benchmark, not a test: it never runs in CI.
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
connections=32
device_count=2000
store_kind=sqlite
instances=1
while (($#)); do
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --devices) device_count=$2; shift 2 ;;
    --store) store_kind=$2; shift 2 ;;
    --instances) instances=$2; shift 2 ;;
    *) sed -n '9,10p' "$0" >&2; exit 2 ;;
  esac
done
[[ "$store_kind" == sqlite || "$store_kind" == postgresql ]] ||
  { echo "bench/server.sh: --store takes sqlite or postgresql, not '$store_kind'" >&2; exit 2; }
[[ "$instances" =~ ^[1-9]$ ]] || { echo "bench/server.sh: --instances takes 1 to 9, not '$instances'" >&2; exit 2; }
if [[ "$store_kind" == sqlite && "$instances" != 1 ]]; then
  echo "bench/server.sh: several instances share a PostgreSQL store: add --store postgresql" >&2
  exit 2
fi
# shellcheck source=../scripts/lib/instances.sh
source "$root/scripts/lib/instances.sh"

say() { printf '==> %s\n' "$*"; }
"$root/scripts/deps.sh" --bench

build="$root/build-bench"
say "building ssokit-server (Release) in $build"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSSOKIT_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target ssokit-server -j "$(nproc)" >/dev/null
server_bin="$build/reference-server/ssokit-server"

work=$(mktemp -d /tmp/ssokit-bench.XXXXXX)
pg_dir=$(mktemp -u /tmp/ssokit-bench-pg.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
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
serve_flags=("${store_flags[@]}" --device-rate off --redeem-failures 1000000/600 --redeem-budget 1000000/600
  --max-live-codes 5 --address-rate off --max-devices off --log-level warn)
((instances > 1)) && serve_flags+=(--trusted-proxy 127.0.0.1/32)
instance_urls=()
for i in $(seq 1 "$instances"); do
  ((i == 1)) || ssokit_copy_data "$work/data-1" "$work/data-$i"
  ssokit_start_instance "$server_bin" "$work/data-$i" "$work/server-$i.log" "${serve_flags[@]}"
  pids+=("$instance_pid")
  instance_urls+=("$instance_url")
done
if ((instances == 1)); then
  base=${instance_urls[0]}
  say "ssokit-server at $base ($store_kind store)"
else
  balancer_port=$(ssokit_free_port)
  ssokit_balancer_conf "$work/balancer" "127.0.0.1:$balancer_port" "${instance_urls[@]}"
  nginx -c "$work/balancer/nginx.conf" -g 'daemon off;' &
  pids+=($!)
  base="http://127.0.0.1:$balancer_port"
  for _ in $(seq 1 50); do curl -fsS -o /dev/null "$base/healthz" 2>/dev/null && break; sleep 0.1; done
  say "$instances ssokit-server instances (${instance_urls[*]}) behind nginx at $base ($store_kind store)"
fi

register=$(curl -sS -X POST "$base/o/client/register" -H 'Content-Type: application/json' \
  -d "{\"software_statement\":\"$(cat "$work/statement")\"}")
client_id=$(jq -r .client_id <<<"$register")
client_secret=$(jq -r .client_secret <<<"$register")
access_token=$(curl -sS -X POST "$base/o/client/token" --data-urlencode grant_type=client_credentials \
  --data-urlencode "client_id=$client_id" --data-urlencode "client_secret=$client_secret" | jq -r .access_token)

say "signing in $device_count devices (100 profiles) for the link, list and refresh runs"
: >"$work/devices"
for i in $(seq 1 "$device_count"); do
  id=$(printf 'bench-device-%06d' "$i" | base64 -w0)
  printf '%s\n' "$id"
done | xargs -P 8 -I{} sh -c '
  token=$(curl -sS -X POST "$0/api/$1/serviceToken" -H "Authorization: Bearer $2" \
    -H "AP-Device-Identifier: fingerprint {}" -H "X-SSO-ID: bench-profile-$(( $(printf "%s" {} | cksum | cut -d" " -f1) % 100 ))" | jq -r .serviceToken)
  printf "%s %s\n" {} "$token"' "$base" "$sp" "$access_token" >>"$work/devices"
[[ $(wc -l <"$work/devices") -eq $device_count ]] || { echo "sign-in of the bench devices failed" >&2; exit 1; }

# nginx serving static files of the same sizes, on the same machine.
mkdir -p "$work/nginx/www" "$work/nginx/tmp"
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
  server { listen 127.0.0.1:0; root $work/nginx/www; }
}
NGINX
nginx_port=$(ssokit_free_port)
sed -i "s/listen 127.0.0.1:0;/listen 127.0.0.1:$nginx_port;/" "$work/nginx/nginx.conf"
nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)
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

run_wrk() {  # prints "req/s p50 p99 errors requests"
  local script=$1 url=$2
  wrk -t 2 -c "$connections" -d "${duration}s" --latency -s "$script" "$url" | awk '/^RESULT/ {print $2, $3, $4, $5, $6}'
}

rows=()
printf '\n%-22s %10s %9s %9s %12s %8s\n' endpoint "req/s" "p50 ms" "p99 ms" "nginx req/s" ratio
for spec in "POST serviceToken|sign_in|POST|/api/$sp/serviceToken" "POST link|link|POST|/api/$sp/link" \
            "GET list|list|GET|/api/$sp/list" "GET serviceToken|refresh|GET|/api/$sp/serviceToken"; do
  IFS='|' read -r name mode method path <<<"$spec"
  size=$(answer_size "$mode" "$method" "$path")
  head -c "$size" /dev/zero | tr '\0' ' ' >"$work/nginx/www/$mode.json"
  read -r rps p50 p99 errors total < <(SSOKIT_MODE=$mode run_wrk "$root/bench/wrk/ssokit.lua" "$base")
  read -r nrps _ _ _ _ < <(run_wrk "$root/bench/wrk/static.lua" "http://127.0.0.1:$nginx_port/$mode.json")
  ratio=$(awk -v a="$rps" -v b="$nrps" 'BEGIN { printf "%.3f", a / b }')
  printf '%-22s %10.0f %9.2f %9.2f %12.0f %8s' "$name" "$rps" "$p50" "$p99" "$nrps" "$ratio"
  ((errors > 0)) && printf '   (%d of %d answers were errors)' "$errors" "$total"
  printf '\n'
  rows+=("| $name | $size | $(printf '%.0f' "$rps") | $p50 | $p99 | $(printf '%.0f' "$nrps") | $ratio |")
done

cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
out="$root/docs/performance.md"
tmp=$(mktemp)
heading="## Server: bench/server.sh --store $store_kind --instances $instances"
if [[ "$store_kind" == sqlite ]]; then
  store_text="SQLite with group commit (synchronous=FULL; NORMAL for batches of only lastSeen moves)"
else
  store_text="PostgreSQL $(psql --version | awk '{print $3}') on the same machine (a fresh cluster, default settings: fsync and synchronous_commit on), $instances instance(s), pool of 16 connections each"
  ((instances > 1)) && store_text+=", behind nginx as the load balancer (keep-alive upstreams)"
fi
{
  echo "$heading"
  echo
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores ($cpu), $(free -g | awk '/Mem:/ {print $2}') GiB, load average before the run: $load_before."
  echo "wrk and the server on the same machine: wrk -t2 -c$connections -d${duration}s, $device_count devices in 100 profiles."
  echo "The server: Release build, $store_text, --device-rate off, --log-level warn."
  echo "The ceiling: nginx $(nginx -v 2>&1 | sed 's/.*nginx\///') serving a static file of the same size as the endpoint's answer."
  echo
  echo "| endpoint | answer bytes | req/s | p50 ms | p99 ms | nginx req/s | ratio |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "Every call of the four endpoints writes: POST serviceToken and POST link wait for a durable"
  echo "commit (a new device, a link code); GET list and GET serviceToken move lastSeen, which waits"
  echo "for its commit but not for the disk (PostgreSQL: synchronous_commit off for that transaction)."
  echo "nginx reads a cached file. The ratio is the share of the static-file ceiling the server"
  echo "reaches on the same cores."
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
say "table written to docs/performance.md"
