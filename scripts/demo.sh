#!/usr/bin/env bash
# The pairing flow, end to end: builds ssokit-server, starts it on the embedded SQLite store,
# registers a demo app, signs a phone in, pairs a TV with a 6-digit link code, and leaves
# the server running until Ctrl-C. Every step prints the HTTP call it makes.
#
#   scripts/demo.sh [--listen HOST:PORT]     (default 127.0.0.1:8080; data in ./ssokit-data)
#
# Afterwards `source ssokit-data/demo.env` gives BASE, ACCESS_TOKEN, PHONE_TOKEN, TV_TOKEN,
# PHONE_ID and TV_ID, which the curl examples of docs/api.md use.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
listen=127.0.0.1:8080
if [[ "${1:-}" == "--listen" && -n "${2:-}" ]]; then listen=$2; fi
data=${SSOKIT_DEMO_DATA:-$PWD/ssokit-data}
server="$root/build/reference-server/ssokit-server"
sp=demo

bold() { printf '\n\033[1m%s\033[0m\n' "$*"; }
show() { printf '  %s\n' "$*"; }

bold "1. Build ssokit-server"
"$root/scripts/build.sh" ssokit-server | sed 's/^/  /'

bold "2. Start the server on $listen (SQLite store and keys in $data)"
mkdir -p "$data"
ready="$data/.ready"
rm -f "$ready"
"$server" serve --listen "$listen" --data "$data" --ready-file "$ready" >"$data/server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true; wait $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  [[ -s "$ready" ]] && break
  if ! kill -0 $server_pid 2>/dev/null; then
    echo "the server did not start:" >&2
    cat "$data/server.log" >&2
    exit 1
  fi
  sleep 0.1
done
[[ -s "$ready" ]] || { echo "the server did not listen within 10 s" >&2; exit 1; }
base="http://$(cat "$ready")"
show "listening on $base (log: $data/server.log)"

# POSTs and GETs with curl; prints the call and the answer's status line and body.
call() {
  local method=$1 path=$2
  shift 2
  show "$method $path"
  local response
  response=$(curl -sS -X "$method" "$base$path" -w '\n%{http_code}' "$@")
  last_status=${response##*$'\n'}
  last_body=${response%$'\n'*}
  # Tokens and secrets are shortened on screen; demo.env has them whole.
  local shorten='walk(if type == "object" then with_entries(if (.key | test("[Tt]oken|secret")) and
    (.value | type) == "string" and (.value | length) > 20 then .value = .value[0:16] + "..." else . end)
    else . end)'
  show "  -> $last_status $(jq -c "$shorten" <<<"$last_body" 2>/dev/null || echo "$last_body")"
}
expect() {
  if [[ "$last_status" != "$1" ]]; then
    echo "demo: expected HTTP $1, got $last_status" >&2
    exit 1
  fi
}

bold "3. The app gets a software statement and registers (dynamic client registration)"
statement=$("$server" software-statement --data "$data" --service-provider "$sp")
show "software statement for '$sp': ${statement:0:24}..."
call POST /o/client/register -H 'Content-Type: application/json' \
  -d "{\"software_statement\":\"$statement\"}"
expect 201
client_id=$(jq -r .client_id <<<"$last_body")
client_secret=$(jq -r .client_secret <<<"$last_body")
call POST /o/client/token -H 'Content-Type: application/x-www-form-urlencoded' \
  --data-urlencode grant_type=client_credentials --data-urlencode "client_id=$client_id" \
  --data-urlencode "client_secret=$client_secret"
expect 201
access_token=$(jq -r .access_token <<<"$last_body")
auth=(-H "Authorization: Bearer $access_token")

phone_id=$(printf '%s' "$(printf 'demo-phone' | sha256sum | cut -c1-32)" | base64)
tv_id=$(printf '%s' "$(printf 'demo-tv' | sha256sum | cut -c1-32)" | base64)
phone_info=$(printf '{"primaryHardwareType":"MobilePhone","model":"Pixel 8","osName":"Android","osVersion":"14"}' | base64 -w0)
tv_info=$(printf '{"primaryHardwareType":"TV","model":"QE55","manufacturer":"Samsung","osName":"Tizen","osVersion":"7.0"}' | base64 -w0)

bold "4. The phone signs in with the app's own account id (X-SSO-ID)"
call POST /api/$sp/serviceToken "${auth[@]}" -H "AP-Device-Identifier: fingerprint $phone_id" \
  -H "X-Device-Info: $phone_info" -H 'X-SSO-ID: alice@example.com'
expect 201
phone_token=$(jq -r .serviceToken <<<"$last_body")

bold "5. The phone asks for a link code and shows it"
call POST /api/$sp/link "${auth[@]}" -H "AP-Device-Identifier: fingerprint $phone_id" \
  -H "AD-Service-Token: $phone_token"
expect 201
code=$(jq -r .code <<<"$last_body")
printf '\n        +-----------------------+\n        |   Link code: %s   |\n        +-----------------------+\n' "$code"

bold "6. The user types $code on the TV, which redeems it (X-SSO-LINK)"
call POST /api/$sp/serviceToken "${auth[@]}" -H "AP-Device-Identifier: fingerprint $tv_id" \
  -H "X-Device-Info: $tv_info" -H "X-SSO-LINK: $code"
expect 201
tv_token=$(jq -r .serviceToken <<<"$last_body")
sub=$(cut -d. -f2 <<<"$tv_token" | tr '_-' '/+' | base64 -d 2>/dev/null | jq -r .sub || true)
show "the TV's service token names the profile: sub = $sub"

bold "7. The code is single use: a second redemption fails"
call POST /api/$sp/serviceToken "${auth[@]}" -H "AP-Device-Identifier: fingerprint $tv_id" \
  -H "X-SSO-LINK: $code"
expect 400

bold "8. The TV lists the devices of the profile"
call GET /api/$sp/list "${auth[@]}" -H "AP-Device-Identifier: fingerprint $tv_id" -H "AD-Service-Token: $tv_token"
expect 200

bold "9. The TV refreshes its service token"
call GET /api/$sp/serviceToken "${auth[@]}" -H "AD-Service-Token: $tv_token"
expect 200
tv_token=$(jq -r .serviceToken <<<"$last_body")

cat >"$data/demo.env" <<ENV
export BASE=$base
export ACCESS_TOKEN=$access_token
export PHONE_ID=$phone_id
export TV_ID=$tv_id
export PHONE_TOKEN=$phone_token
export TV_TOKEN=$tv_token
ENV
chmod 600 "$data/demo.env"

bold "Pairing done. The server keeps running at $base"
show "try the calls of docs/api.md:  source $data/demo.env"
show "server log (one JSON line per request): $data/server.log"
show "stop with Ctrl-C"
trap 'echo; echo "stopping the server (draining)..."; kill -TERM $server_pid 2>/dev/null; wait $server_pid; exit 0' INT TERM
wait $server_pid
