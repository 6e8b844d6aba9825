# shellcheck shell=bash
# Shared helpers for crossdock's engine setup scripts (sourced, not run).
# Each helper prints what it does to stderr, prefixed with the script's name.

_crossdock_script="$(basename "$0")"

# log MESSAGE...: one progress line on stderr.
log() { printf '[%s] %s\n' "$_crossdock_script" "$*" >&2; }

# die MESSAGE...: an error line on stderr, then exit 1.
die() { printf '[%s] error: %s\n' "$_crossdock_script" "$*" >&2; exit 1; }

# need_root: stop unless running as root (apt-get, mount and dockerd need it).
need_root() {
  [[ "$(id -u)" == 0 ]] || die "run as root (apt-get, mount and dockerd need it); try: sudo $0"
}

# _apt_updated is set once apt-get update has run in this process.
_apt_updated=""

# apt_update_once: apt-get update, at most once per script run.
apt_update_once() {
  if [[ -z "$_apt_updated" ]]; then
    log "apt-get update"
    # A mirror mid-sync fails one index (often a foreign architecture's) while
    # the rest update; retry once, then go on: a package still missing makes
    # the install or download after this fail with its own message.
    if ! apt-get update -qq && ! { sleep 5 && apt-get update -qq; }; then
      log "warning: apt-get update reported errors (above); continuing with the package lists it did fetch"
    fi
    _apt_updated=1
  fi
}

# apt_install PACKAGE...: install the packages that are not installed yet.
apt_install() {
  local missing=() p
  for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
      missing+=("$p")
    fi
  done
  if ((${#missing[@]} == 0)); then
    log "packages already installed: $*"
    return
  fi
  apt_update_once
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    || die "apt-get install ${missing[*]} failed"
}

# wait_until SECONDS DESCRIPTION COMMAND...: retry COMMAND every second until it
# succeeds; returns 1 if it has not within SECONDS.
wait_until() {
  local seconds="$1" what="$2" i
  shift 2
  for ((i = 0; i < seconds; i++)); do
    if "$@" >/dev/null 2>&1; then
      return 0
    fi
    sleep 1
  done
  log "gave up waiting ${seconds}s for $what"
  return 1
}
