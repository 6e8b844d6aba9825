#!/usr/bin/env bash
# setup-engines.sh: install and start the real components crossdock's tests use,
# on Debian 12 as root. Idempotent: what is installed, mounted or running is kept.
#
#   1. Debian packages: docker.io, docker-registry, qemu-user-static,
#      binfmt-support, skopeo, file, apache2-utils, curl
#   2. binfmt_misc mounted, Debian's qemu-user handlers enabled (flags PF:
#      fix-binary, so containers in dockerd run foreign binaries too)
#   3. dockerd on unix:///var/run/docker.sock (config /etc/crossdock/dockerd.json,
#      log /tmp/crossdock-dockerd.log); overlay2, falling back to vfs
#   4. the shared test registry on $CROSSDOCK_REGISTRY (default 127.0.0.1:5000),
#      Debian's docker-registry, delete enabled, log /tmp/crossdock-registry.log
#
# Environment (all optional):
#   CROSSDOCK_REGISTRY          host:port of the test registry (default 127.0.0.1:5000)
#   CROSSDOCK_REGISTRY_DIR      its storage (default /var/lib/crossdock-registry)
#   CROSSDOCK_DOCKER_STORAGE    storage drivers to try, in order (default "overlay2 vfs")
#
# Always use /usr/bin/docker (Debian's 20.10 CLI) with DOCKER_BUILDKIT=1 for
# builds: another docker earlier on PATH may lack BuildKit support.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"

registry="${CROSSDOCK_REGISTRY:-127.0.0.1:5000}"
registry_dir="${CROSSDOCK_REGISTRY_DIR:-/var/lib/crossdock-registry}"
storage_drivers="${CROSSDOCK_DOCKER_STORAGE:-overlay2 vfs}"
conf_dir=/etc/crossdock
docker_sock=/var/run/docker.sock
dockerd_log=/tmp/crossdock-dockerd.log
registry_log=/tmp/crossdock-registry.log
docker=/usr/bin/docker
# Platforms whose handlers the tests rely on: arm64, arm/v7, ppc64le, s390x, riscv64.
binfmt_required=(qemu-aarch64 qemu-arm qemu-ppc64le qemu-s390x qemu-riscv64)

need_root

install_packages() {
  apt_install docker.io docker-registry qemu-user-static binfmt-support skopeo file apache2-utils curl jq gcc
}

setup_binfmt() {
  local mnt=/proc/sys/fs/binfmt_misc f name
  if [[ ! -e "$mnt/register" ]]; then
    log "mount -t binfmt_misc binfmt_misc $mnt"
    mount -t binfmt_misc binfmt_misc "$mnt" || die "cannot mount binfmt_misc on $mnt (a container without CAP_SYS_ADMIN?); foreign-platform runs need it"
  fi
  # Enable only Debian's qemu handlers (qemu-user-static ships them with fix_binary yes).
  for f in /usr/share/binfmts/qemu-*; do
    name="$(basename "$f")"
    if [[ "$(head -n1 "$mnt/$name" 2>/dev/null)" != enabled ]]; then
      log "update-binfmts --enable $name"
      update-binfmts --enable "$name" >/dev/null 2>&1 || update-binfmts --import "$name" \
        || die "cannot enable binfmt handler $name"
    fi
  done
  for name in "${binfmt_required[@]}"; do
    [[ "$(head -n1 "$mnt/$name" 2>/dev/null)" == enabled ]] \
      || die "binfmt handler $mnt/$name is not enabled; check: update-binfmts --display $name"
    grep -q '^flags: .*F' "$mnt/$name" \
      || die "binfmt handler $name lacks the F (fix-binary) flag, so containers cannot use it: $(grep '^flags' "$mnt/$name")"
  done
}

docker_answers() { "$docker" version --format '{{.Server.Version}}' >/dev/null 2>&1; }

# write_dockerd_config DRIVER: the whole dockerd configuration, in a file of
# crossdock's own so /etc/docker/daemon.json is never edited.
write_dockerd_config() {
  mkdir -p "$conf_dir"
  cat >"$conf_dir/dockerd.json" <<EOF
{
  "storage-driver": "$1",
  "insecure-registries": ["$registry"],
  "iptables": false,
  "ip-masq": false,
  "features": { "buildkit": true }
}
EOF
}

# running PID: the process is alive and not a zombie.
running() { [[ -r "/proc/$1/stat" ]] && [[ "$(cut -d' ' -f3 "/proc/$1/stat")" != Z ]]; }

# wait_for_dockerd PID: up to 60s for the daemon to answer; fails at once if it exits.
wait_for_dockerd() {
  local i
  for ((i = 0; i < 60; i++)); do
    docker_answers && return 0
    running "$1" || { log "dockerd (pid $1) exited"; return 1; }
    sleep 1
  done
  log "dockerd (pid $1) did not answer within 60s"
  return 1
}

start_dockerd() {
  if docker_answers; then
    log "dockerd already answers on $docker_sock ($("$docker" info --format '{{.Driver}}' 2>/dev/null) storage)"
    return
  fi
  local driver pid
  for driver in $storage_drivers; do
    write_dockerd_config "$driver"
    log "starting dockerd (storage $driver, log $dockerd_log)"
    echo "--- $(date -u +%FT%TZ) crossdock: dockerd --storage-driver $driver" >>"$dockerd_log"
    setsid dockerd --config-file "$conf_dir/dockerd.json" --host "unix://$docker_sock" \
      </dev/null >>"$dockerd_log" 2>&1 &
    pid=$!
    if wait_for_dockerd "$pid"; then
      echo "$pid" >/run/crossdock-dockerd.pid
      return
    fi
    log "dockerd did not start with storage $driver; last log lines:"
    tail -n 5 "$dockerd_log" >&2 || true
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  die "dockerd did not answer within 60s with any storage driver of: $storage_drivers; see $dockerd_log"
}

registry_answers() { curl -fs --max-time 2 "http://$registry/v2/" >/dev/null; }

start_registry() {
  if registry_answers; then
    log "registry already answers on http://$registry/v2/"
    return
  fi
  mkdir -p "$conf_dir" "$registry_dir"
  # No blob descriptor cache: with delete enabled an in-memory cache can
  # report blobs that were already deleted.
  cat >"$conf_dir/registry.yml" <<EOF
version: 0.1
log:
  level: info
  fields:
    service: crossdock-registry
storage:
  filesystem:
    rootdirectory: $registry_dir
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: $registry
  headers:
    X-Content-Type-Options: [nosniff]
EOF
  log "starting docker-registry on $registry (storage $registry_dir, log $registry_log)"
  setsid /usr/bin/docker-registry serve "$conf_dir/registry.yml" </dev/null >>"$registry_log" 2>&1 &
  echo "$!" >/run/crossdock-registry.pid
  wait_until 30 "the registry on http://$registry/v2/" registry_answers \
    || die "docker-registry did not answer on http://$registry/v2/ within 30s; see $registry_log"
}

summary() {
  local name
  echo "crossdock engines ready:"
  echo "  dockerd:   $("$docker" version --format '{{.Server.Version}}') ($("$docker" info --format '{{.Driver}}') storage) on unix://$docker_sock"
  echo "  docker:    $docker $("$docker" version --format '{{.Client.Version}}') (use DOCKER_BUILDKIT=1)"
  echo "  registry:  $(/usr/bin/docker-registry --version | awk '{print $NF}') on http://$registry/v2/ ($registry_dir)"
  echo "  qemu:      $(qemu-aarch64-static --version | head -n1)"
  echo "  skopeo:    $(skopeo --version)"
  for name in "${binfmt_required[@]}"; do
    echo "  binfmt:    $name $(head -n1 "/proc/sys/fs/binfmt_misc/$name"), $(grep '^flags' "/proc/sys/fs/binfmt_misc/$name")"
  done
}

install_packages
setup_binfmt
start_dockerd
start_registry
summary
