#!/usr/bin/env bash
# build-glibc-base.sh: build the glibc base image of crossdock's cgo tests, the way the
# busybox base is built (build-busybox-base.sh: Debian packages, dpkg-deb, tar, skopeo),
# with Debian's libc6 unpacked beside busybox: the glibc loader (ld-linux-*.so.*) and the
# C library (libc.so.6, libm.so.6, ...) for each platform, so a dynamically linked cgo
# binary (libc: glibc) runs on it. Pushes it to the test registry and prints its digest.
#
#   build-glibc-base.sh [IMAGE]      IMAGE defaults to $CROSSDOCK_REGISTRY/glibc-busybox:bookworm
#
# Environment (all optional): CROSSDOCK_REGISTRY, CROSSDOCK_CACHE as build-busybox-base.sh;
#   CROSSDOCK_GLIBC_ARCHES   Debian architectures (default "amd64 arm64")
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
registry="${CROSSDOCK_REGISTRY:-127.0.0.1:5000}"
CROSSDOCK_BASE_PACKAGES=libc6 \
  CROSSDOCK_BASE_NAME=glibc-busybox \
  CROSSDOCK_BUSYBOX_ARCHES="${CROSSDOCK_GLIBC_ARCHES:-amd64 arm64}" \
  exec bash "$here/build-busybox-base.sh" "${1:-$registry/glibc-busybox:bookworm}"
