#!/usr/bin/env bash
# Runs .github/workflows/images.yml on this machine under nektos/act, on the host (no job
# containers), against the registry REGISTRY=host:port. Exits non-zero when any job fails.
#
#   REGISTRY=127.0.0.1:5000 tools/scripts/act-workflow.sh [--event push|pull_request] [-- ACT_ARGS...]
#
# - Every runs-on label of the workflow (literal labels, and the --runner/--default-runner
#   labels the plan step gives crossdock matrix) runs on the host: `-P <label>=-self-hosted`.
# - Every `uses:` of a public action maps with --local-repository to the repository's own
#   stand-in in .ci/act/<owner>/<repo> (the public actions cannot be fetched here; act prepares
#   every step's action, even one an `if:` skips). actions/checkout is act's own: it copies
#   this checkout into each job's workspace.
# - act's artifact and cache servers listen on 127.0.0.1, on free ports, with their files in a
#   temporary folder (ACT_WORK, removed afterwards unless the caller named it).
# - Secrets come from this environment, passed to act in a file and removed from the
#   environment act inherits (jobs on the host inherit it): CROSSDOCK_CACHE_TOKEN,
#   CROSSDOCK_CACHE_READ_TOKEN, REGISTRY_USERNAME, REGISTRY_PASSWORD, COSIGN_PASSWORD.
#   With neither cache token, the Nx remote cache is off.
# - The act binary: $ACT, else the one setup-test-env.sh installs in /var/cache/crossdock/bin,
#   else act on PATH. More act flags after `--` (for example --concurrent-jobs 1).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"

workflow=.github/workflows/images.yml
event=push
extra=()
while (($# > 0)); do
  case "$1" in
    --event) event="${2:-}"; shift 2 ;;
    --event=*) event="${1#--event=}"; shift ;;
    --) shift; extra=("$@"); break ;;
    *) die "unknown argument '$1'; usage: REGISTRY=host:port $0 [--event push|pull_request] [-- ACT_ARGS...]" ;;
  esac
done
[[ "$event" == push || "$event" == pull_request ]] || die "--event is '$event'; use push or pull_request"
[[ "${REGISTRY:-}" =~ ^[A-Za-z0-9.-]+(:[0-9]+)?$ ]] ||
  die "REGISTRY is '${REGISTRY:-}'; set it to the registry's host:port, e.g. REGISTRY=127.0.0.1:5000"

cd "$root"
[[ -f "$workflow" ]] || die "$root/$workflow is missing"
git rev-parse --verify -q HEAD >/dev/null || die "$root is not a git checkout with a commit; act runs a commit"

# Every runs-on label: literal ones, and those crossdock matrix writes into the matrix.
mapfile -t labels < <(
  {
    sed -n 's/^ *runs-on: *\([A-Za-z0-9._-]*\) *$/\1/p' "$workflow"
    grep -o -- '--runner [^ ]*=[A-Za-z0-9._-]*' "$workflow" | sed 's/.*=//'
    grep -o -- '--default-runner[ =][A-Za-z0-9._-]*' "$workflow" | sed 's/.*[ =]//'
    echo ubuntu-latest # crossdock matrix's default runner
  } | sort -u
)
# Every public action: its stand-in must exist.
mapfile -t uses < <(sed -n 's/^ *- *uses: *\([^ #]*\).*$/\1/p; s/^ *uses: *\([^ #]*\).*$/\1/p' "$workflow" | sort -u)
maps=()
for use in "${uses[@]}"; do
  case "$use" in
    ./*) continue ;;                 # the repository's own actions
    actions/checkout@*) continue ;;  # act copies the checkout itself
  esac
  [[ "$use" =~ ^([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)@[A-Za-z0-9_.-]+$ ]] ||
    die "$workflow uses '$use'; only owner/repo@ref actions can be mapped to a local stand-in"
  standin="$root/.ci/act/${BASH_REMATCH[1]}/${BASH_REMATCH[2]}"
  [[ -f "$standin/action.yml" ]] ||
    die "$workflow uses $use, which has no local stand-in; write $standin/action.yml"
  maps+=(--local-repository "$use=$standin")
done
platforms=()
for label in "${labels[@]}"; do platforms+=(-P "$label=-self-hosted"); done

act="${ACT:-/var/cache/crossdock/bin/act}"
[[ -x "$act" ]] || act="$(command -v act || true)"
[[ -n "$act" ]] || die "act is not installed; run tools/scripts/setup-test-env.sh (it builds act into /var/cache/crossdock/bin)"

keep_work=1
if [[ -z "${ACT_WORK:-}" ]]; then
  ACT_WORK="$(mktemp -d "${TMPDIR:-/tmp}/crossdock-act-XXXXXX")"
  keep_work=0
fi
# A previous run's artifacts and job workspaces would mix with this run's (act numbers every run 1).
rm -rf "$ACT_WORK/artifacts" "$ACT_WORK/actions"
mkdir -p "$ACT_WORK/artifacts" "$ACT_WORK/actions" "$ACT_WORK/cache"
cleanup() { ((keep_work)) || rm -rf "$ACT_WORK"; }
trap cleanup EXIT

# Secrets: into a file only this user reads, and out of the environment the jobs inherit.
secrets="$ACT_WORK/secrets"
(umask 077 && : >"$secrets")
for name in CROSSDOCK_CACHE_TOKEN CROSSDOCK_CACHE_READ_TOKEN REGISTRY_USERNAME REGISTRY_PASSWORD COSIGN_PASSWORD; do
  value="${!name:-}"
  if [[ -n "$value" ]]; then
    [[ "$value" != *[\'$'\n']* ]] || die "$name holds a quote or a newline, which act's secret file cannot carry"
    printf "%s='%s'\n" "$name" "$value" >>"$secrets"
  fi
  unset "$name"
done
unset NX_SELF_HOSTED_REMOTE_CACHE_SERVER NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN

event_args=()
if [[ "$event" == pull_request ]]; then
  # The minimal payload a pull_request run reads: its number (PR_NUMBER, 1 by default) and
  # its head and base branches.
  head_ref="$(git rev-parse --abbrev-ref HEAD)"
  printf '{"number":%s,"pull_request":{"number":%s,"head":{"ref":"%s","sha":"%s"},"base":{"ref":"main"}}}\n' \
    "${PR_NUMBER:-1}" "${PR_NUMBER:-1}" "$head_ref" "$(git rev-parse HEAD)" >"$ACT_WORK/event.json"
  event_args=(--eventpath "$ACT_WORK/event.json")
fi

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

log "act $("$act" --version | sed 's/^act version //') runs $workflow ($event) against $REGISTRY; labels: ${labels[*]}"
log_file="$ACT_WORK/act.log"
status=0
"$act" "$event" \
  --workflows "$workflow" \
  --directory "$root" \
  "${platforms[@]}" \
  "${maps[@]}" \
  "${event_args[@]}" \
  --var "REGISTRY=$REGISTRY" \
  --secret-file "$secrets" \
  --env-file /dev/null \
  --var-file /dev/null \
  --action-offline-mode \
  --action-cache-path "$ACT_WORK/actions" \
  --cache-server-addr 127.0.0.1 \
  --cache-server-port "$(free_port)" \
  --cache-server-path "$ACT_WORK/cache" \
  --artifact-server-addr 127.0.0.1 \
  --artifact-server-port "$(free_port)" \
  --artifact-server-path "$ACT_WORK/artifacts" \
  "${extra[@]}" 2>&1 | tee "$log_file" || status=$?
# act skips a job whose runs-on label has no -P mapping and still exits 0: that is a failure here.
if grep -q 'Skipping unsupported platform' "$log_file"; then
  grep 'Skipping unsupported platform' "$log_file" >&2
  die "a job was skipped for a runs-on label without a -P mapping; add the label to $workflow's runner list"
fi
if ((status != 0)); then die "act exited $status: a job failed (see the log above)"; fi
log "every job succeeded"
