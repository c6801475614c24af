# Sourced by the server benchmarks (bench/server.sh, bench/waiters.sh) with $root set: the
# instance helpers, say(), the bench's packages, and a Release ssokit-server in build-bench,
# whose path it leaves in $server_bin.
# shellcheck source=../../scripts/lib/instances.sh
source "$root/scripts/lib/instances.sh"

say() { printf '==> %s\n' "$*"; }
"$root/scripts/deps.sh" --bench

build="$root/build-bench"
say "building ssokit-server (Release) in $build"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSSOKIT_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target ssokit-server -j "$(nproc)" >/dev/null
server_bin="$build/reference-server/ssokit-server"
