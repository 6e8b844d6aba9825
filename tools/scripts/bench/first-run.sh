#!/usr/bin/env bash
# first-run.sh: the README's first command (`npm ci && npx nx run-many -t image`) as a new user
# meets it: a fresh clone of a commit, an empty Go build cache and an empty crossdock tool
# cache (zig fetched from PyPI, zig's C library built per target), no daemon. Prints the
# wall and CPU time of each step and the load average before and after, so a figure from a
# shared machine can be read for what it is. The shared /var/cache/crossdock is not touched.
#
#   bash tools/scripts/bench/first-run.sh [--fresh-downloads] [commit] [work dir]
#
# Defaults: HEAD of this repository, a new folder under ${TMPDIR:-/tmp}. The npm and Go module
# download caches (~/.npm, GOMODCACHE) stay as they are: say so when quoting a figure. With
# --fresh-downloads they are empty too (new ones in the work dir), so npm packages, Go modules
# and zig all come from the network: what a new machine with Go and Node installed meets.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/common.sh
source "$here/../lib/common.sh"
root="$(cd "$here/../../.." && pwd)"
fresh_downloads=false
if [ "${1:-}" = --fresh-downloads ]; then
  fresh_downloads=true
  shift
fi
commit="$(git -C "$root" rev-parse "${1:-HEAD}")"
work="${2:-$(mktemp -d "${TMPDIR:-/tmp}/crossdock-first-run.XXXXXX")}"
mkdir -p "$work"
export PATH="$PATH:/usr/local/go/bin"

git clone -q --no-checkout "$root" "$work/repo"
git -C "$work/repo" checkout -q "$commit"
export GOCACHE="$work/gocache" CROSSDOCK_CACHE="$work/crossdock-cache"
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false PIP_NO_CACHE_DIR=1
if $fresh_downloads; then
  export npm_config_cache="$work/npm-cache" GOMODCACHE="$work/gomodcache"
  # Go's module cache is read-only on disk: make it removable with the work dir.
  export GOFLAGS="${GOFLAGS:+$GOFLAGS }-modcacherw"
fi
# A zig on PATH would be used instead of the pinned download: leave it out of this run.
if command -v zig >/dev/null; then die "zig is on PATH ($(command -v zig)): run without it"; fi

# step NAME COMMAND...: runs the command in the clone, printing wall and CPU seconds.
step() {
  local name="$1"
  shift
  log "$name: load $(cut -d' ' -f1-3 /proc/loadavg) before"
  local started=$SECONDS
  (cd "$work/repo" && /usr/bin/time -f "%e %U %S" -o "$work/$name.time" "$@")
  read -r wall user sys <"$work/$name.time"
  log "$name: ${wall}s wall, $(awk "BEGIN{print $user + $sys}")s CPU (user ${user}s, sys ${sys}s), load $(cut -d' ' -f1-3 /proc/loadavg) after"
  echo "$name $wall $user $sys $((SECONDS - started))" >>"$work/times.txt"
}

log "commit $commit in $work (GOCACHE and CROSSDOCK_CACHE empty$($fresh_downloads && echo ', npm cache and GOMODCACHE empty too'), NX_DAEMON=false)"
step npm-ci npm ci --no-audit --no-fund
step run-many npx nx run-many -t image --outputStyle=static
log "done: $work/times.txt"
