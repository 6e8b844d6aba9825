#!/usr/bin/env bash
# stop-engines.sh: stop the dockerd and registry that setup-engines.sh started
# (by the process ids it recorded); anything else is left alone. Idempotent.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"

need_root

# stop NAME PIDFILE: SIGTERM the recorded process, wait up to 30s for it to exit.
stop() {
  local name="$1" pidfile="$2" pid
  if [[ ! -s "$pidfile" ]]; then
    log "$name: no $pidfile, nothing to stop"
    return
  fi
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping $name (pid $pid)"
    kill -TERM "$pid"
    wait_until 30 "$name (pid $pid) to exit" bash -c "! kill -0 $pid" \
      || die "$name (pid $pid) is still running 30s after SIGTERM"
  else
    log "$name (pid $pid) is not running"
  fi
  rm -f "$pidfile"
}

stop docker-registry /run/crossdock-registry.pid
stop dockerd /run/crossdock-dockerd.pid
