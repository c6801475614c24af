#!/usr/bin/env bash
# Runs the LibsecretSecureStore tests against a real Secret Service: a throwaway D-Bus session
# bus with gnome-keyring-daemon on it, in a temporary home, so the developer's own keyring and
# session bus are never touched. Then, with the daemon stopped, the same binary checks the
# errors with a bus where nothing provides org.freedesktop.secrets, and with no bus at all.
# Every daemon is stopped and the folder removed on exit, whatever happened; each step is
# bounded in time.
#
#   with_secret_service.sh TEST_BINARY
set -euo pipefail
test_binary=$1
step_timeout=60  # seconds, per run of the test binary
here=$(cd "$(dirname "$0")" && pwd)
# Sanitizer builds: leaks inside libsecret's own item proxies are not ours (lsan.supp says
# which). GLib has no frame pointers, so matching them needs the slow unwinder.
export LSAN_OPTIONS="suppressions=$here/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0"

for tool in dbus-daemon dbus-send gnome-keyring-daemon; do
  command -v "$tool" >/dev/null ||
    { echo "FAIL: $tool is missing (Debian: dbus-daemon, dbus-bin, gnome-keyring; scripts/deps.sh)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/ssokit-secret-service.XXXXXX)
daemons=()
cleanup() {
  local pid
  for pid in "${daemons[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${daemons[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM INT HUP  # so that a ctest timeout or ^C also runs cleanup

# wait_for WHAT COMMAND...: up to 10 s for COMMAND to succeed.
wait_for() {
  local what=$1
  shift
  for _ in $(seq 100); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "FAIL: timed out waiting for $what" >&2
  cat "$work"/*.log >&2 2>/dev/null || true
  exit 1
}

bus_call() {
  dbus-send --session --print-reply --reply-timeout=2000 "$@"
}

# A home and runtime folder of our own: the keyring's files, its control socket and the bus.
mkdir -m 0700 "$work/home" "$work/run"
export HOME=$work/home XDG_RUNTIME_DIR=$work/run
export XDG_DATA_HOME=$work/home/.local/share XDG_CONFIG_HOME=$work/home/.config XDG_CACHE_HOME=$work/home/.cache
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL SSH_AUTH_SOCK

# A session bus with no service folders: nothing is started behind our back (the machine's own
# gnome-keyring, or an unlock prompter), so "no Secret Service" below really is none.
cat >"$work/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=$work/run/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
dbus-daemon --config-file="$work/bus.conf" --nofork --nopidfile >"$work/bus.log" 2>&1 &
daemons+=($!)
export DBUS_SESSION_BUS_ADDRESS=unix:path=$work/run/bus
wait_for "the session bus" bus_call --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.GetId

# --unlock reads the login keyring's password on stdin and creates that keyring unlocked, as a
# desktop login does (an empty password creates none, hence a throwaway one). It becomes the
# default collection, where LibsecretSecureStore keeps its items.
printf '%s' "throwaway-$RANDOM$RANDOM" >"$work/login-password"
gnome-keyring-daemon --foreground --unlock --components=secrets <"$work/login-password" >"$work/keyring.log" 2>&1 &
keyring=$!
daemons=("$keyring" "${daemons[@]}")  # stopped before the bus
wait_for "gnome-keyring's default collection" bash -c \
  "dbus-send --session --print-reply --reply-timeout=2000 --dest=org.freedesktop.secrets /org/freedesktop/secrets \
     org.freedesktop.Secret.Service.ReadAlias string:default | grep -q /org/freedesktop/secrets/collection/"

status=0
echo "== with gnome-keyring-daemon $(gnome-keyring-daemon --version 2>/dev/null | head -1 | sed 's/^gnome-keyring-daemon: //') on a throwaway session bus"
SSOKIT_TEST_SECRET_SERVICE=running timeout "$step_timeout" "$test_binary" --gtest_filter='LibsecretSecureStore*' || status=1

echo "== a session bus where nothing provides org.freedesktop.secrets"
kill -TERM "$keyring"
wait "$keyring" 2>/dev/null || true
wait_for "org.freedesktop.secrets to leave the bus" bash -c \
  "dbus-send --session --print-reply --reply-timeout=2000 --dest=org.freedesktop.DBus /org/freedesktop/DBus \
     org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets | grep -q 'boolean false'"
SSOKIT_TEST_SECRET_SERVICE=absent timeout "$step_timeout" "$test_binary" \
  --gtest_filter='LibsecretWithoutSecretService*' || status=1

echo "== no session bus at all"
SSOKIT_TEST_SECRET_SERVICE=absent DBUS_SESSION_BUS_ADDRESS="unix:path=$work/no-such-bus" \
  timeout "$step_timeout" "$test_binary" --gtest_filter='LibsecretWithoutSecretService*' || status=1

exit "$status"
