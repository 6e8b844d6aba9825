#!/usr/bin/env bash
# Everything the tests need on a fresh Debian 12 machine, as root: Debian packages, qemu
# binfmt handlers, dockerd and the test registry (setup-engines.sh), then the test base
# images pushed to that registry. Idempotent: a second run keeps what is there.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bash "$here/setup-engines.sh"
bash "$here/build-busybox-base.sh"
