#!/usr/bin/env bash
# Installs the Debian packages ssokit builds, tests and benchmarks with, when missing.
#   scripts/deps.sh [--cluster] [--bench] [--cross arm64|armhf]...
# Idempotent; needs root (or sudo) only when something is missing.
set -euo pipefail

build_packages=(
  build-essential cmake ninja-build pkg-config
  libssl-dev libcurl4-openssl-dev libcjson-dev libboost-dev
  libcjose-dev libjansson-dev libsqlite3-dev libpq-dev libqrencode-dev
  postgresql
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  qt6-base-dev
  default-jdk-headless junit5
  libsecret-1-dev gnome-keyring dbus-daemon dbus-bin
  clang libclang-rt-14-dev
  curl sqlite3 jq
)
# --cluster: nginx, the load balancer of scripts/cluster.sh; --bench: that, wrk, and Node.js
# with npm for the Node peer (bench/node-peer) and python3 for signing in the bench devices.
cluster_packages=(nginx-light)
bench_packages=(wrk python3 "${cluster_packages[@]}")

# --cross ARCH: Debian's cross toolchain for a TV-class target, the SDK's own -dev packages
# for that architecture (multiarch, after `dpkg --add-architecture`), and qemu-user to run its
# tests (cmake/toolchains/, docs/sdk.md "Cross builds").
cross_packages() {
  local arch=$1
  echo "crossbuild-essential-$arch qemu-user"
  for pkg in libstdc++6 libssl-dev libcurl4-openssl-dev libcjson-dev libgtest-dev libgmock-dev; do
    echo "$pkg:$arch"
  done
}

wanted=("${build_packages[@]}")
bench=0
foreign_archs=()
while (($#)); do
  case "$1" in
    --bench) wanted+=("${bench_packages[@]}"); bench=1 ;;
    --cluster) wanted+=("${cluster_packages[@]}") ;;
    --cross)
      [[ ${2:-} == arm64 || ${2:-} == armhf ]] || { echo "deps: --cross takes arm64 or armhf" >&2; exit 2; }
      foreign_archs+=("$2")
      read -ra cross <<<"$(cross_packages "$2" | tr '\n' ' ')"
      wanted+=("${cross[@]}")
      shift ;;
    *) echo "usage: scripts/deps.sh [--cluster] [--bench] [--cross arm64|armhf]..." >&2; exit 2 ;;
  esac
  shift
done

missing=()
for pkg in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
# Node.js by command, not by package: a machine may have it from elsewhere (NodeSource's
# nodejs carries its own npm and conflicts with Debian's npm package).
if ((bench)) && ! { command -v node && command -v npm; } >/dev/null; then
  missing+=(nodejs npm)
fi

if ((${#missing[@]} == 0)); then
  echo "deps: all ${#wanted[@]} packages present"
  exit 0
fi

echo "deps: installing ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
for arch in "${foreign_archs[@]}"; do
  if ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
    echo "deps: dpkg --add-architecture $arch"
    "${sudo_cmd[@]}" dpkg --add-architecture "$arch"
  fi
done
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "deps: done"
