#!/usr/bin/env bash
# setup-buildkit.sh: a standalone BuildKit and a buildx `remote` builder for the docker
# engine's buildx path, on Debian 12 as root. Idempotent: what is built or running is kept.
#
#   1. buildx v0.38.2 and BuildKit v0.34.2's buildkitd, built from the Go module proxy into
#      the tool cache once per machine (skipped when the right version is there); runc from
#      Debian (the worker's OCI runtime).
#   2. buildkitd with the runc worker, listening on a unix socket only, its state under
#      /var/lib/crossdock-buildkit, allowed to push to and pull from the plain-HTTP test
#      registry (config /etc/crossdock/buildkitd.toml); a running one that answers is reused.
#   3. A docker config directory of its own ($CROSSDOCK_BUILDX_CONFIG) with buildx as a CLI
#      plugin and a `remote` builder named crossdock-remote pointing at that socket. Neither
#      ~/.docker nor the machine's plugin directories change, so the docker CLIs keep their
#      other paths (Debian's 20.10 one-build-per-platform path and its tests stay as they were).
#      Use the builder with: DOCKER_CONFIG=$CROSSDOCK_BUILDX_CONFIG BUILDX_BUILDER=crossdock-remote
#
# Environment (all optional):
#   CROSSDOCK_CACHE           tool cache (default /var/cache/crossdock)
#   CROSSDOCK_REGISTRY        the plain-HTTP test registry (default 127.0.0.1:5000)
#   CROSSDOCK_BUILDX_CONFIG   the docker config directory (default /var/lib/crossdock-buildkit/docker-config)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"

buildx_version=v0.38.2
buildkit_version=v0.34.2
cache="${CROSSDOCK_CACHE:-/var/cache/crossdock}"
registry="${CROSSDOCK_REGISTRY:-127.0.0.1:5000}"
state=/var/lib/crossdock-buildkit
docker_config="${CROSSDOCK_BUILDX_CONFIG:-$state/docker-config}"
socket_dir=/run/crossdock-buildkit
socket="unix://$socket_dir/buildkitd.sock"
config=/etc/crossdock/buildkitd.toml
buildkitd_log=/tmp/crossdock-buildkitd.log
pidfile=/run/crossdock-buildkitd.pid
builder=crossdock-remote
buildx_bin="$cache/buildx-$buildx_version/buildx"
buildkitd_bin="$cache/buildkit-$buildkit_version/buildkitd"

need_root

# build_buildx: go install with the version stamped in (buildx prints it, crossdock logs it).
build_buildx() {
  if "$buildx_bin" version 2>/dev/null | grep -q " $buildx_version "; then
    log "buildx $buildx_version already in $buildx_bin"
    return
  fi
  log "building buildx $buildx_version into $(dirname "$buildx_bin") (go install, once per machine)"
  mkdir -p "$(dirname "$buildx_bin")"
  GOBIN="$(dirname "$buildx_bin")" GOFLAGS=-buildvcs=false go install \
    -ldflags "-X github.com/docker/buildx/version.Version=$buildx_version" \
    "github.com/docker/buildx/cmd/buildx@$buildx_version"
}

# build_buildkitd: BuildKit's go.mod has exclude directives, so `go install mod@version`
# refuses it: download the module and build in a writable copy of its directory.
build_buildkitd() {
  if "$buildkitd_bin" --version 2>/dev/null | grep -q " $buildkit_version "; then
    log "buildkitd $buildkit_version already in $buildkitd_bin"
    return
  fi
  log "building buildkitd $buildkit_version into $(dirname "$buildkitd_bin") (go build, once per machine)"
  local dir work
  dir="$(GOFLAGS= go mod download -json "github.com/moby/buildkit@$buildkit_version" | jq -r .Dir)"
  [[ -d "$dir" ]] || die "go mod download github.com/moby/buildkit@$buildkit_version gave no directory"
  work="$(mktemp -d)"
  cp -r "$dir/." "$work/"
  chmod -R u+w "$work"
  mkdir -p "$(dirname "$buildkitd_bin")"
  (cd "$work" && GOFLAGS=-buildvcs=false go build -trimpath \
    -ldflags "-X github.com/moby/buildkit/version.Version=$buildkit_version" \
    -o "$buildkitd_bin.tmp" ./cmd/buildkitd)
  mv "$buildkitd_bin.tmp" "$buildkitd_bin"
  rm -rf "$work"
}

buildx() { DOCKER_CONFIG="$docker_config" /usr/bin/docker buildx "$@"; }

# answers: the builder reaches buildkitd and lists its platforms.
answers() { buildx inspect --bootstrap "$builder" 2>/dev/null | grep -q '^Platforms:'; }

write_config() {
  mkdir -p "$(dirname "$config")"
  cat >"$config.tmp" <<EOF
# crossdock's test BuildKit (tools/scripts/setup-buildkit.sh)
[worker.oci]
  enabled = true
  binary = "$(command -v runc)"
  gc = true
[worker.containerd]
  enabled = false
[registry."$registry"]
  http = true
  insecure = true
EOF
  mv "$config.tmp" "$config"
}

install_plugin() {
  mkdir -p "$docker_config/cli-plugins"
  ln -sfn "$buildx_bin" "$docker_config/cli-plugins/docker-buildx"
}

start_buildkitd() {
  if [[ -s "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null && [[ -S "$socket_dir/buildkitd.sock" ]]; then
    log "buildkitd already running (pid $(cat "$pidfile")) on $socket"
    return
  fi
  mkdir -p "$socket_dir" "$state/root"
  log "starting buildkitd $buildkit_version on $socket (state $state/root, log $buildkitd_log)"
  echo "--- $(date -u +%FT%TZ) crossdock: buildkitd" >>"$buildkitd_log"
  setsid "$buildkitd_bin" --config "$config" --root "$state/root" --addr "$socket" \
    </dev/null >>"$buildkitd_log" 2>&1 &
  echo "$!" >"$pidfile"
  wait_until 60 "buildkitd on $socket" test -S "$socket_dir/buildkitd.sock" \
    || die "buildkitd did not listen on $socket within 60s; see $buildkitd_log"
}

create_builder() {
  if ! buildx inspect "$builder" >/dev/null 2>&1; then
    log "docker buildx create --name $builder --driver remote $socket"
    buildx create --name "$builder" --driver remote "$socket" >/dev/null
  fi
  wait_until 60 "builder $builder to answer" answers \
    || die "builder $builder does not answer; see $buildkitd_log and: DOCKER_CONFIG=$docker_config docker buildx inspect --bootstrap $builder"
}

apt_install runc jq
build_buildx
build_buildkitd
write_config
install_plugin
start_buildkitd
create_builder
echo "crossdock BuildKit ready:"
echo "  buildx:    $("$buildx_bin" version)"
echo "  buildkitd: $("$buildkitd_bin" --version) on $socket (log $buildkitd_log)"
echo "  builder:   DOCKER_CONFIG=$docker_config BUILDX_BUILDER=$builder ($(buildx inspect "$builder" | grep '^Platforms:'))"
