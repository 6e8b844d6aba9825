#!/usr/bin/env bash
# warm-cgo-caches.sh: compile the cgo sample (apps/notes) for its platforms once, through
# crossdock itself (`nx run notes:compile`), so zig's global cache holds its libc for each
# target (/var/cache/crossdock/zig-cache; minutes per target the first time) and the Go
# build cache holds the SQLite amalgamation per platform. The tests' workspace copies share
# both caches, so each of their cgo builds is a link. A second run takes seconds.
#
# Environment (optional): CROSSDOCK_WARM_CGO=0 skips it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"
root="$(cd "$here/../.." && pwd)"
if [[ "${CROSSDOCK_WARM_CGO:-1}" == 0 ]]; then
  log "CROSSDOCK_WARM_CGO=0: not warming the cgo caches"
  exit 0
fi
export PATH="$PATH:/usr/local/go/bin"
start=$SECONDS
log "warming zig's and Go's caches: nx run notes:compile (the first time: minutes per platform)"
# The glibc variant of the tests (linux/arm64) too.
(cd "$root" && NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false npx nx run notes:compile --outputStyle=static >&2) \
  || die "nx run notes:compile failed"
log "cgo caches warm after $((SECONDS - start))s"
