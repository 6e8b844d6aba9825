#!/usr/bin/env bash
# build-go-zig-image.sh: the Go+zig builder image of hermetic cgo builds (dockerfile:
# hermetic with cgo: true), from the same pieces as the host build: the Go toolchain image of
# build-go-image.sh plus the pinned zig crossdock installs (crossdock c-toolchain --install,
# <cache>/zig-<version>) at /usr/local/zig, on the PATH. Pushed to the test registry; skipped
# when the registry already has it with the same label. Prints IMAGE on stdout.
#
# Then it seeds BuildKit's module cache mount (/go/pkg/mod, the one hermetic builds use) with
# the modules of go.sum from this machine's module cache: BuildKit's build containers have no
# network here. (zig's cache is not seeded: copied from the host it is not reused, measured; a
# first hermetic cgo build per target builds zig's C library in the /root/.cache/zig mount.)
#
#   build-go-zig-image.sh [IMAGE]   IMAGE defaults to $CROSSDOCK_REGISTRY/golang-zig:<go version>-zig<zig version>
#
# Environment (all optional): CROSSDOCK_REGISTRY (default 127.0.0.1:5000).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"
root="$(cd "$here/../.." && pwd)"
registry="${CROSSDOCK_REGISTRY:-127.0.0.1:5000}"
docker=/usr/bin/docker
go_image="$(bash "$here/build-go-image.sh")"
zig="$(node "$root/tools/crossdock/bin/crossdock.js" c-toolchain --install)"
zig_dir="$(dirname "$zig")"
zig_version="$("$zig" version)"
image="${1:-$registry/golang-zig:${go_image##*:}-zig$zig_version}"
label="$go_image zig $zig_version recipe 1"

# seed_caches: copy the modules of the workspace's go.sum from the host's module cache into
# BuildKit's module cache mount (/go/pkg/mod). Cached by BuildKit.
seed_caches() {
  local seed modcache module version escaped
  seed="$(mktemp -d)"
  mkdir -p "$seed/out" "$seed/mod/cache/download"
  modcache="$(cd "$root" && go env GOMODCACHE)"
  while read -r module version _; do
    version="${version%/go.mod}"
    escaped="$(sed -E 's/([A-Z])/!\L\1/g' <<<"$module")"
    [[ -d "$modcache/$escaped@$version" ]] || continue
    mkdir -p "$seed/mod/$(dirname "$escaped")" "$seed/mod/cache/download/$escaped/@v"
    cp -a "$modcache/$escaped@$version" "$seed/mod/$escaped@$version"
    cp -a "$modcache/cache/download/$escaped/@v/$version".* "$seed/mod/cache/download/$escaped/@v/" 2>/dev/null || true
  done < <(sort -u "$root/go.sum")
  cat >"$seed/Dockerfile" <<EOF2
FROM --platform=\$BUILDPLATFORM $image AS seed
COPY mod /seed/mod
RUN --mount=type=cache,target=/go/pkg/mod cp -a /seed/mod/. /go/pkg/mod/ && echo seeded > /seeded
FROM scratch
COPY --from=seed /seeded /
EOF2
  log "seeding BuildKit's module cache mount from $modcache (go.sum modules)"
  DOCKER_BUILDKIT=1 "$docker" build --progress=plain --output "type=local,dest=$seed/out" "$seed" >&2 \
    || log "warning: seeding the module cache mount failed; hermetic builds will need the network for modules"
  rm -rf "$seed"
}

config="$(skopeo inspect --tls-verify=false --config "docker://$image" 2>/dev/null || true)"
if [[ -n "$config" && "$(jq -r '.config.Labels["org.crossdock.go-zig.image"] // ""' <<<"$config")" == "$label" ]]; then
  log "$image already holds $label"
  seed_caches
  echo "$image"
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat >"$work/Dockerfile" <<EOF2
FROM --platform=linux/amd64 $go_image
COPY zig /usr/local/zig
ENV PATH=/usr/local/zig:/usr/local/go/bin:/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LABEL org.crossdock.go-zig.image="$label"
EOF2
log "building $image from $go_image and $zig_dir"
tar -c -C "$work" Dockerfile -C "$(dirname "$zig_dir")" --transform "s,^$(basename "$zig_dir"),zig," "$(basename "$zig_dir")" \
  | DOCKER_BUILDKIT=1 "$docker" build --platform linux/amd64 --progress=plain --tag "$image" - >&2 \
  || die "docker build of $image failed"
"$docker" push "$image" >&2 || die "docker push $image failed"
seed_caches
echo "$image"
