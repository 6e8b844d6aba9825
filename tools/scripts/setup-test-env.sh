#!/usr/bin/env bash
# Everything the tests need on a fresh Debian 12 machine, as root: Debian packages, qemu
# binfmt handlers, dockerd and the test registry (setup-engines.sh), then the test base
# images pushed to that registry. Idempotent: a second run keeps what is there.
# Run after `npm ci` (the zig step uses the crossdock CLI it bundles).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"
bash "$here/setup-engines.sh"
bash "$here/build-busybox-base.sh"
# buildx and a standalone buildkitd (built once into the tool cache), and the `remote` builder
# of the docker engine's buildx tests (a docker config directory of its own: nothing else changes).
bash "$here/setup-buildkit.sh"
# The glibc base of the cgo tests (busybox-static + Debian's libc6 per platform).
bash "$here/build-glibc-base.sh"
# The Go toolchain image of the hermetic-Dockerfile tests, and BuildKit's warmed Go build cache.
bash "$here/build-go-image.sh"
# An independent SPDX validator for the SBOM tests (PyPI's spdx-tools, pinned).
if ! command -v pyspdxtools >/dev/null 2>&1; then
  echo "setup-test-env: installing spdx-tools (pyspdxtools) from PyPI" >&2
  python3 -m pip install --quiet --disable-pip-version-check 'spdx-tools==0.8.5'
fi
# An independent CycloneDX validator for the SBOM tests (PyPI's cyclonedx-python-lib with its JSON-schema extra, pinned).
if ! python3 -c 'import cyclonedx.validation.json, importlib.metadata as m; assert m.version("cyclonedx-python-lib") == "11.12.0"' >/dev/null 2>&1; then
  echo "setup-test-env: installing cyclonedx-python-lib[json-validation] from PyPI" >&2
  python3 -m pip install --quiet --disable-pip-version-check 'cyclonedx-python-lib[json-validation]==11.12.0'
fi
# cosign, the independent verifier of the signing tests, built from the Go module proxy at a
# pinned version into a cache folder that outlives the checkout (a go install of cosign takes
# minutes: done once per machine, skipped when the right version is there).
cosign_version=v2.6.5
cosign_bin=/var/cache/crossdock/bin
if ! "$cosign_bin/cosign" version --json 2>/dev/null | grep -q "\"gitVersion\": *\"$cosign_version\""; then
  echo "setup-test-env: building cosign $cosign_version into $cosign_bin (go install, once per machine)" >&2
  mkdir -p "$cosign_bin"
  GOBIN="$cosign_bin" CGO_ENABLED=0 go install "github.com/sigstore/cosign/v2/cmd/cosign@$cosign_version"
fi
# nektos/act, the Actions runner that runs .github/workflows/images.yml on the host
# (tools/scripts/act-workflow.sh and its end-to-end test), pinned and built the same way.
act_version=v0.2.89
act_bin=/var/cache/crossdock/bin
if [[ "$("$act_bin/act" --version 2>/dev/null)" != "act version ${act_version#v}" ]]; then
  echo "setup-test-env: building act $act_version into $act_bin (go install, once per machine)" >&2
  mkdir -p "$act_bin"
  GOBIN="$act_bin" CGO_ENABLED=0 go install "github.com/nektos/act@$act_version"
fi
# verdaccio, the local npm registry the npm release test publishes @crossdock/nx to
# (tools/crossdock/test/e2e/npm-release.test.ts starts it on 127.0.0.1), installed from the npm
# registry once per machine. 6.8.0: the newest that runs on Node 20 (6.10 wants Node 22).
verdaccio_dir=/var/cache/crossdock/verdaccio-6.8.0
if [ ! -x "$verdaccio_dir/node_modules/.bin/verdaccio" ]; then
  echo "setup-test-env: installing verdaccio 6.8.0 into $verdaccio_dir (once per machine)" >&2
  mkdir -p "$verdaccio_dir"
  [ -f "$verdaccio_dir/package.json" ] || echo '{"private":true}' >"$verdaccio_dir/package.json"
  npm install --prefix "$verdaccio_dir" --no-audit --no-fund verdaccio@6.8.0 >/dev/null
fi
# The open-source Go services of the exact-inputs tests (tools/scripts/testing/oss-modules.ts),
# unchanged from the Go module proxy at pinned versions: fetched into the module cache once.
GOFLAGS= GOTOOLCHAIN=local go mod download miniflux.app/v2@v2.3.5 github.com/mccutchen/go-httpbin/v2@v2.26.0
# cgo: a host C compiler for `go test` of apps/notes (go-sqlite3), and the pinned zig that
# cross-compiles C (crossdock installs it into /var/cache/crossdock/zig-<version>).
apt_install gcc libc6-dev
log "zig: $(node "$root/tools/crossdock/bin/crossdock.js" c-toolchain --install)"
bash "$here/warm-cgo-caches.sh"
# The Go+zig builder image of the hermetic cgo test (and BuildKit's module cache mount seeded
# with the go.sum modules).
bash "$here/build-go-zig-image.sh" >/dev/null
