#!/usr/bin/env bash
# build-go-image.sh: build a Go toolchain image from this machine's Go installation
# and push it to the test registry, for the hermetic Dockerfile's build stage (no
# public registry, so no golang image, is reachable from the test machines).
#
#   build-go-image.sh [IMAGE]   IMAGE defaults to $CROSSDOCK_REGISTRY/golang:<go version>
#                               (e.g. 127.0.0.1:5000/golang:1.26.8)
#
# The image is linux/amd64 only: the hermetic build stage runs FROM
# --platform=$BUILDPLATFORM and cross-compiles, so only the build machine's toolchain
# is needed. It is the busybox base ($CROSSDOCK_REGISTRY/busybox:latest, from
# build-busybox-base.sh; it gives /bin/sh) plus GOROOT (default /usr/local/go) at
# /usr/local/go, with PATH, GOPATH=/go, GOTOOLCHAIN=local and CGO_ENABLED=0.
# Built with `docker build` from a tar stream (nothing of GOROOT is copied to disk)
# and pushed with `docker push`. Skipped when the registry already has IMAGE and its
# org.crossdock.go.image label (Go version and recipe) matches. Prints IMAGE on stdout.
#
# Then it warms BuildKit's Go build cache (the cache mount at /root/.cache/go-build that
# hermetic Dockerfiles use) with the standard library for $CROSSDOCK_GO_WARM, so a first
# hermetic build compiles only the app's packages (on a 2-CPU machine the cold standard
# library takes about 2 minutes per architecture). BuildKit caches that step, so running
# this script again costs a second; after `docker builder prune` it warms again.
#
# Environment (all optional):
#   CROSSDOCK_REGISTRY   test registry host:port (default 127.0.0.1:5000)
#   CROSSDOCK_GOROOT     the Go installation to package (default: go env GOROOT, else /usr/local/go)
#   CROSSDOCK_GO_WARM    GOARCH values to warm the build cache for (default "amd64 arm64"; "" skips)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"

registry="${CROSSDOCK_REGISTRY:-127.0.0.1:5000}"
docker=/usr/bin/docker
go_bin="$(command -v go || echo /usr/local/go/bin/go)"
[[ -x "$go_bin" ]] || die "no Go toolchain found (go on PATH or /usr/local/go/bin/go)"
goroot="${CROSSDOCK_GOROOT:-$("$go_bin" env GOROOT)}"
[[ -x "$goroot/bin/go" ]] || die "$goroot/bin/go is missing; set CROSSDOCK_GOROOT to a Go installation"
goversion="$("$goroot/bin/go" env GOVERSION)"   # go1.26.8
goarch="$("$goroot/bin/go" env GOHOSTARCH)"
[[ "$goarch" == amd64 ]] || die "the Go installation at $goroot is for $goarch; this script builds a linux/amd64 image"
image="${1:-$registry/golang:${goversion#go}}"
base="$registry/busybox:latest"
# Bump when the image's recipe changes, so existing images are rebuilt.
recipe=2
label="$goversion recipe $recipe"

for tool in skopeo jq tar; do
  command -v "$tool" >/dev/null || die "$tool is missing (Debian: apt-get install $tool; setup-engines.sh and build-busybox-base.sh install it)"
done
"$docker" version --format '{{.Server.Version}}' >/dev/null 2>&1 \
  || die "dockerd does not answer; run tools/scripts/setup-engines.sh first"

# up_to_date: the registry has IMAGE with the same Go version label.
up_to_date() {
  local config
  config="$(skopeo inspect --tls-verify=false --config "docker://$image" 2>/dev/null)" || return 1
  [[ "$(jq -r '.config.Labels["org.crossdock.go.image"] // ""' <<<"$config")" == "$label" ]]
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# warm_build_cache: `go build -trimpath std` per GOARCH in the cache mount hermetic builds use.
warm_build_cache() {
  local arches="${CROSSDOCK_GO_WARM-amd64 arm64}"
  [[ -n "$arches" ]] || return 0
  mkdir -p "$work/warm" "$work/warm-out"
  cat >"$work/warm/Dockerfile" <<EOF
FROM --platform=\$BUILDPLATFORM $image AS warm
RUN --mount=type=cache,target=/root/.cache/go-build \\
    for arch in $arches; do GOOS=linux GOARCH=\$arch CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS= GOCACHE=/root/.cache/go-build go build -trimpath std || exit 1; done \\
    && echo "$arches" > /warmed
FROM scratch
COPY --from=warm /warmed /
EOF
  log "warming BuildKit's Go build cache for GOARCH $arches (minutes the first time, a second after)"
  DOCKER_BUILDKIT=1 "$docker" build --progress=plain --output "type=local,dest=$work/warm-out" "$work/warm" >&2 \
    || die "warming the Go build cache with $image failed"
}

if up_to_date; then
  log "$image already holds $label"
  warm_build_cache
  echo "$image"
  exit 0
fi
cat >"$work/Dockerfile" <<EOF
FROM --platform=linux/amd64 $base
COPY go /usr/local/go
ENV PATH=/usr/local/go/bin:/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \\
    GOPATH=/go \\
    GOTOOLCHAIN=local \\
    CGO_ENABLED=0
LABEL org.crossdock.go.image="$label"
WORKDIR /go
EOF

log "building $image from $goroot ($goversion) on $base"
# The context is a tar stream: the Dockerfile and all of GOROOT, renamed to go/.
tar -c -C "$work" Dockerfile \
  -C "$(dirname "$goroot")" --transform "s,^$(basename "$goroot"),go," "$(basename "$goroot")" \
  | DOCKER_BUILDKIT=1 "$docker" build --platform linux/amd64 --progress=plain --tag "$image" - >&2 \
  || die "docker build of $image failed"
log "pushing $image"
"$docker" push "$image" >&2 || die "docker push $image failed"
warm_build_cache
echo "$image"
