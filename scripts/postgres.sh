#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and demos: its own data folder, a free loopback
# port, no other user's database touched. initdb refuses to run as root, so as root the
# cluster belongs to the unprivileged `postgres` user that Debian's package creates.
#
#   scripts/postgres.sh start DIR   creates and starts a cluster in DIR (which must not exist),
#                                   prints its URL: postgresql://ssokit@127.0.0.1:PORT/ssokit
#   scripts/postgres.sh url DIR     prints the URL of the cluster in DIR
#   scripts/postgres.sh halt DIR [fast|immediate]
#                                   stops the cluster and keeps DIR (immediate: as a crash
#                                   would, without a shutdown checkpoint) [fast]
#   scripts/postgres.sh resume DIR  starts a halted cluster again on the same port
#   scripts/postgres.sh stop DIR    stops the cluster and removes DIR
#
# Callers stop it in an EXIT trap, so a failing test leaves nothing behind (scripts/test.sh).
set -euo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[[ -x "$bindir/initdb" ]] || { echo "postgres.sh: PostgreSQL's server is missing (scripts/deps.sh installs it)" >&2; exit 1; }

command=${1:-}
dir=${2:-}
[[ -n "$command" && -n "$dir" ]] || { sed -n '2,15p' "$0" >&2; exit 2; }

# Runs a PostgreSQL program as the cluster's owner.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Loopback only, the socket in the cluster's own folder, and enough connections for several
# server instances with their pools.
start_cluster() {
  local dir=$1 port=$2
  as_owner "$bindir/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait --timeout=60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=200" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
}

case "$command" in
  start)
    [[ ! -e "$dir" ]] || { echo "postgres.sh: $dir exists; give a new folder" >&2; exit 1; }
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [[ $(id -u) -eq 0 ]]; then
      chown postgres: "$dir"
      runuser -u postgres -- test -w "$dir" ||
        { rm -rf "$dir"; echo "postgres.sh: the postgres user cannot reach $dir (a parent folder is private); use a folder under /tmp" >&2; exit 1; }
    fi
    as_owner "$bindir/initdb" --pgdata="$dir/data" --username=ssokit --auth=trust --encoding=UTF8 \
      --no-locale >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    port=$(free_port)
    echo "$port" >"$dir/port"
    start_cluster "$dir" "$port"
    as_owner "$bindir/createdb" --host=127.0.0.1 --port="$port" --username=ssokit ssokit
    echo "postgresql://ssokit@127.0.0.1:$port/ssokit" >"$dir/url"
    cat "$dir/url"
    ;;
  url)
    cat "$dir/url"
    ;;
  halt)
    mode=${3:-fast}
    [[ "$mode" == fast || "$mode" == immediate ]] || { echo "postgres.sh: halt takes fast or immediate, not '$mode'" >&2; exit 2; }
    as_owner "$bindir/pg_ctl" --pgdata="$dir/data" --mode="$mode" --wait stop >/dev/null
    ;;
  resume)
    start_cluster "$dir" "$(cat "$dir/port")"
    ;;
  stop)
    if [[ -d "$dir/data" ]]; then
      as_owner "$bindir/pg_ctl" --pgdata="$dir/data" --mode=immediate --wait stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "postgres.sh: unknown command '$command' (start, url, halt, resume or stop)" >&2
    exit 2
    ;;
esac
