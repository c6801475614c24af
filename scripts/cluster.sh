#!/usr/bin/env bash
# A deployment to copy: PostgreSQL, several ssokit-server instances on it, and nginx in front
# as the load balancer (docs/server.md §5). Starts a throwaway PostgreSQL cluster, gives every
# instance a copy of the first one's --data folder (the link-code pepper), starts the
# instances with --store and --trusted-proxy, puts nginx on --listen, and walks the pairing
# through the balancer with curl, printing which instance answered each call. Then keeps
# everything running until Ctrl-C, and removes it all on exit.
#
#   scripts/cluster.sh [--instances N] [--listen HOST:PORT] [--walk-only] [--no-build]
#
#   --instances N   ssokit-server instances (default 2)
#   --listen        where nginx listens (default 127.0.0.1:8080; port 0 picks a free one)
#   --walk-only     stop after the walk (exit 0 when every step answered as expected)
#   --no-build      use the binaries already in the build folder (SSOKIT_BUILD_DIR, build/)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/instances.sh
source "$root/scripts/lib/instances.sh"

instances=2
listen=127.0.0.1:8080
walk_only=0
build=1
while (($#)); do
  case $1 in
    --instances) instances=$2; shift 2 ;;
    --listen) listen=$2; shift 2 ;;
    --walk-only) walk_only=1; shift ;;
    --no-build) build=0; shift ;;
    *) sed -n '9,14p' "$0" >&2; exit 2 ;;
  esac
done
[[ "$instances" =~ ^[1-9][0-9]?$ ]] || { echo "cluster.sh: --instances takes 1 to 99, not '$instances'" >&2; exit 2; }
[[ "$listen" =~ ^[0-9.]+:[0-9]+$ ]] || { echo "cluster.sh: --listen takes IP:PORT, not '$listen'" >&2; exit 2; }
[[ "${listen##*:}" != 0 ]] || listen="${listen%:*}:$(ssokit_free_port)"
build_dir=${SSOKIT_BUILD_DIR:-$root/build}
server="$build_dir/reference-server/ssokit-server"
sp=demo

bold() { printf '\n\033[1m%s\033[0m\n' "$*"; }
show() { printf '  %s\n' "$*"; }

work=$(mktemp -d /tmp/ssokit-cluster.XXXXXX)
pg_dir=$(mktemp -u /tmp/ssokit-cluster-pg.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "$root/scripts/postgres.sh" stop "$pg_dir" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

bold "1. Dependencies and the build"
"$root/scripts/deps.sh" --cluster | sed 's/^/  /'
if ((build)); then
  SSOKIT_BUILD_DIR=$build_dir "$root/scripts/build.sh" ssokit-server ssokit-cli | sed 's/^/  /'
fi
[[ -x "$server" ]] || { echo "cluster.sh: no $server (run without --no-build)" >&2; exit 1; }

bold "2. PostgreSQL: a throwaway cluster (scripts/postgres.sh)"
store=$("$root/scripts/postgres.sh" start "$pg_dir")
show "store: $store"

bold "3. The first instance's data folder, and the service provider '$sp' in the store"
"$server" software-statement --data "$work/data-1" --store "$store" --service-provider "$sp" >"$work/statement.jwt"
show "$work/data-1 holds the link-code pepper; the keys and everything else are in PostgreSQL"

bold "4. $instances instances on the store, each with a copy of that data folder"
lb_url="http://$listen"
urls=()
for i in $(seq 1 "$instances"); do
  ((i == 1)) || ssokit_copy_data "$work/data-1" "$work/data-$i"
  ssokit_start_instance "$server" "$work/data-$i" "$work/instance-$i.log" \
    --store "$store" --trusted-proxy 127.0.0.1/32 --public-url "$lb_url"
  pids+=("$instance_pid")
  urls+=("$instance_url")
  show "instance $i: $instance_url (log: $work/instance-$i.log)"
  show "  ssokit-server serve --data $work/data-$i --store $store --trusted-proxy 127.0.0.1/32 --public-url $lb_url"
done

bold "5. nginx on $listen, spreading requests over the instances"
ssokit_balancer_conf "$work/nginx" "$listen" "${urls[@]}"
nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
pids+=("$nginx_pid")
for _ in $(seq 1 50); do curl -fsS -o /dev/null "$lb_url/healthz" 2>/dev/null && break; sleep 0.1; done
curl -fsS -o /dev/null "$lb_url/healthz" || { echo "nginx does not answer on $listen:" >&2; cat "$work/nginx/error.log" >&2; exit 1; }
show "config: $work/nginx/nginx.conf"

# call METHOD PATH [curl args...]: through the balancer; prints the call, the instance that
# answered, the status and the body (tokens shortened); sets last_status and last_body.
declare -A answered_by=()
call() {
  local method=$1 path=$2
  shift 2
  local response headers="$work/headers"
  response=$(curl -sS -X "$method" "$lb_url$path" -D "$headers" -w '\n%{http_code}' "$@")
  last_status=${response##*$'\n'}
  last_body=${response%$'\n'*}
  local instance
  instance=$(awk 'tolower($1) == "x-ssokit-instance:" {print $2}' "$headers" | tr -d '\r')
  [[ -n "$instance" ]] && answered_by[$instance]=1
  local shorten='walk(if type == "object" then with_entries(if (.key | test("[Tt]oken|secret")) and
    (.value | type) == "string" and (.value | length) > 20 then .value = .value[0:16] + "..." else . end)
    else . end)'
  show "$method $path  [answered by $instance]"
  show "  -> $last_status $(jq -c "$shorten" <<<"$last_body" 2>/dev/null || echo "$last_body")"
}
expect() {
  [[ "$last_status" == "$1" ]] || { echo "cluster.sh: expected HTTP $1, got $last_status" >&2; exit 1; }
}
fingerprint() { printf 'fingerprint %s' "$(printf '%s' "$1" | base64 -w0)"; }

bold "6. The pairing, through the balancer"
call POST /o/client/register -H 'Content-Type: application/json' \
  -d "{\"software_statement\":\"$(cat "$work/statement.jwt")\"}"
expect 201
client_id=$(jq -r .client_id <<<"$last_body")
client_secret=$(jq -r .client_secret <<<"$last_body")
call POST /o/client/token --data-urlencode grant_type=client_credentials \
  --data-urlencode "client_id=$client_id" --data-urlencode "client_secret=$client_secret"
expect 201
auth="Authorization: Bearer $(jq -r .access_token <<<"$last_body")"

show "the phone signs in with the app's account id"
call POST "/api/$sp/serviceToken" -H "$auth" -H "AP-Device-Identifier: $(fingerprint phone)" -H 'X-SSO-ID: alice@example.com'
expect 201
phone_token=$(jq -r .serviceToken <<<"$last_body")
phone=(-H "$auth" -H "AP-Device-Identifier: $(fingerprint phone)" -H "AD-Service-Token: $phone_token")
show "the phone asks for a link code"
call POST "/api/$sp/link" "${phone[@]}"
expect 201
code=$(jq -r .code <<<"$last_body")
show "the TV redeems $code (whichever instance gets it)"
call POST "/api/$sp/serviceToken" -H "$auth" -H "AP-Device-Identifier: $(fingerprint tv)" -H "X-SSO-LINK: $code"
expect 201
tv_token=$(jq -r .serviceToken <<<"$last_body")
tv=(-H "$auth" -H "AP-Device-Identifier: $(fingerprint tv)" -H "AD-Service-Token: $tv_token")
show "the TV lists the devices of the profile, twice"
call GET "/api/$sp/list" "${tv[@]}"
expect 200
call GET "/api/$sp/list" "${tv[@]}"
expect 200
show "the phone unlinks the TV; the TV's next call fails on every instance"
tv_id=$(printf tv | base64 -w0)
call POST "/api/$sp/unlink" "${phone[@]}" -H 'Content-Type: application/json' -d "{\"devices\":[\"$tv_id\"]}"
expect 200
for _ in $(seq 1 "$instances"); do
  call GET "/api/$sp/serviceToken" "${tv[@]}"
  expect 401
done

bold "Walk done: ${#answered_by[@]} of $instances instances answered (${!answered_by[*]})"
if ((${#answered_by[@]} < instances)); then
  echo "cluster.sh: the balancer did not spread the calls over every instance" >&2
  exit 1
fi
((walk_only)) && exit 0

cat >"$work/cluster.env" <<ENV
export BASE=$lb_url
export STORE=$store
ENV
show "the cluster keeps running behind $lb_url (source $work/cluster.env for BASE and STORE)"
show "try:  $build_dir/samples/ssokit-cli --server $lb_url --service-provider $sp --software-statement $work/statement.jwt --state /tmp/tv devices"
show "kill one instance (kill ${pids[0]}) and watch the other take every call"
show "stop with Ctrl-C: everything, PostgreSQL included, is removed"
trap 'echo; echo "stopping..."; exit 0' INT TERM
wait "$nginx_pid"
