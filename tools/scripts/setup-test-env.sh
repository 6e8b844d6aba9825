#!/usr/bin/env bash
# Everything the tests need on a fresh Debian 12 machine, as root: Debian packages, qemu
# binfmt handlers, dockerd and the test registry (setup-engines.sh), then the test base
# images pushed to that registry. Idempotent: a second run keeps what is there.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bash "$here/setup-engines.sh"
bash "$here/build-busybox-base.sh"
# The Go toolchain image of the hermetic-Dockerfile tests, and BuildKit's warmed Go build cache.
bash "$here/build-go-image.sh"
# An independent SPDX validator for the SBOM tests (PyPI's spdx-tools, pinned).
if ! command -v pyspdxtools >/dev/null 2>&1; then
  echo "setup-test-env: installing spdx-tools (pyspdxtools) from PyPI" >&2
  python3 -m pip install --quiet --disable-pip-version-check 'spdx-tools==0.8.5'
fi
