#!/usr/bin/env bash
# The pairing flow, end to end: builds ssokit-server and ssokit-cli, starts the server on the
# embedded SQLite store, registers a demo app, then plays two devices with ssokit-cli (one
# state folder each): a phone signs in and shows a 6-digit link code, a TV redeems it. The
# server keeps running until Ctrl-C. Every step prints the HTTP call or command it runs.
#
#   scripts/demo.sh [--listen HOST:PORT]     (default 127.0.0.1:8080; data in ./ssokit-data)
#
# SSOKIT_DEMO_DATA overrides the data folder, SSOKIT_BUILD_DIR the build folder (build/).
#
# Afterwards `source ssokit-data/demo.env` gives BASE, ACCESS_TOKEN, PHONE_TOKEN, TV_TOKEN,
# PHONE_ID and TV_ID, which the curl examples of docs/api.md use.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
listen=127.0.0.1:8080
if [[ "${1:-}" == "--listen" && -n "${2:-}" ]]; then listen=$2; fi
data=${SSOKIT_DEMO_DATA:-$PWD/ssokit-data}
build_dir=${SSOKIT_BUILD_DIR:-$root/build}
server="$build_dir/reference-server/ssokit-server"
cli="$build_dir/samples/ssokit-cli"
sp=demo

bold() { printf '\n\033[1m%s\033[0m\n' "$*"; }
show() { printf '  %s\n' "$*"; }

bold "1. Build ssokit-server and ssokit-cli"
SSOKIT_BUILD_DIR=$build_dir "$root/scripts/build.sh" ssokit-server ssokit-cli | sed 's/^/  /'

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

bold "3. An app gets a software statement and registers (dynamic client registration)"
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

# ssokit-cli, one state folder per simulated device; fresh devices on every run.
statement_file="$data/statement.jwt"
printf '%s\n' "$statement" >"$statement_file"
chmod 600 "$statement_file"
rm -rf "$data/phone" "$data/tv"
cli_flags=(--server "$base" --service-provider "$sp" --software-statement "$statement_file")
# device NAME PLATFORM ARGS...: runs ssokit-cli for that device, prints the command line and
# its output (service tokens shortened on screen), and sets cli_out, cli_err and cli_rc.
device() {
  local name=$1 platform=$2
  shift 2
  show "\$ ssokit-cli ... --state $data/$name --platform $platform $*"
  cli_rc=0
  cli_out=$("$cli" "${cli_flags[@]}" --state "$data/$name" --platform "$platform" "$@" 2>"$data/.cli-err") || cli_rc=$?
  cli_err=$(cat "$data/.cli-err")
  rm -f "$data/.cli-err"
  if [[ -n "$cli_out" ]]; then
    sed -E 's/(eyJ[A-Za-z0-9_-]{13})[A-Za-z0-9_.-]{8,}/\1.../g; s/^/    /' <<<"$cli_out"
  fi
  if [[ -n "$cli_err" ]]; then sed 's/^/    /' <<<"$cli_err"; fi
  show "  -> exit $cli_rc"
}
expect_exit() {
  if [[ "$cli_rc" != "$1" ]]; then
    echo "demo: expected ssokit-cli to exit $1, got $cli_rc" >&2
    exit 1
  fi
}

bold "4. The phone (state folder $data/phone) signs in with the app's own account id"
device phone android sign-in --sso-id alice@example.com
expect_exit 0

bold "5. The phone asks for a link code and shows it (and a QR code)"
device phone android link --qr
expect_exit 0
code=$(head -n1 <<<"$cli_out")

bold "6. The user types $code on the TV (state folder $data/tv), which redeems it"
device tv tizen redeem "$code"
expect_exit 0

bold "7. The TV lists the devices of the profile (* marks itself)"
device tv tizen devices
expect_exit 0
device tv tizen devices --json
expect_exit 0
tv_id=$(jq -r '.devices[] | select(.current) | .id' <<<"$cli_out")
phone_id=$(jq -r '.devices[] | select(.current | not) | .id' <<<"$cli_out")

bold "8. The TV's service token (served from its state folder while fresh)"
device tv tizen token
expect_exit 0
tv_token=$cli_out
sub=$(cut -d. -f2 <<<"$tv_token" | tr '_-' '/+' | base64 -d 2>/dev/null | jq -r .sub || true)
show "the TV's service token names the profile by an opaque pseudonym: sub = $sub"

bold "9. The code is single use: redeeming it again fails with one error line"
device tv tizen redeem "$code"
if [[ "$cli_rc" == 0 ]]; then
  echo "demo: the second redemption should have failed" >&2
  exit 1
fi

phone_token=$("$cli" "${cli_flags[@]}" --state "$data/phone" --platform android token)

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
show "or play the devices by hand (see docs/cli.md):"
show "  $cli --server $base --service-provider $sp \\"
show "      --software-statement $statement_file --state $data/tv --platform tizen devices"
show "  (commands: sign-in, link [--qr] [--approval] [--wait S], redeem CODE [--wait S],"
show "   approve CODE, deny CODE, devices [--json], unlink ID..., token, profiles,"
show "   login-mvpd demo-mvpd --user demo --password demo, sign-out; a new --state folder is"
show "   a new device)"
show "server log (one JSON line per request): $data/server.log"
show "stop with Ctrl-C"
trap 'echo; echo "stopping the server (draining)..."; kill -TERM $server_pid 2>/dev/null; wait $server_pid; exit 0' INT TERM
wait $server_pid
