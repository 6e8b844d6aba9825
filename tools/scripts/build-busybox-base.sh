#!/usr/bin/env bash
# build-busybox-base.sh: build the multi-platform busybox base image crossdock's
# tests use (no public registry is reachable), from Debian's busybox-static
# packages, with tools independent of crossdock's own code (dpkg-deb, tar, gzip,
# sha256sum, jq, skopeo), and push it to the test registry.
#
#   build-busybox-base.sh [IMAGE]      IMAGE defaults to $CROSSDOCK_REGISTRY/busybox:latest
#
# One deterministic gzip layer per platform (bin/busybox, applet symlinks,
# /etc/passwd and /etc/group with root and nobody, /tmp, /root), an OCI config,
# manifest and image index, written as an OCI layout, then
# `skopeo copy --all` to the registry. Prints the pushed index digest on stdout.
# Same packages in, same digest out.
#
# Environment (all optional):
#   CROSSDOCK_REGISTRY        test registry host:port (default 127.0.0.1:5000)
#   CROSSDOCK_CACHE           work and cache directory (default /var/cache/crossdock)
#   CROSSDOCK_BUSYBOX_ARCHES  Debian architectures (default "amd64 arm64 armhf")
#   CROSSDOCK_BASE_PACKAGES   more Debian packages unpacked into each platform's root
#                             filesystem (default none; build-glibc-base.sh gives libc6)
#   CROSSDOCK_BASE_NAME       name of the work folders under the cache (default busybox)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"

registry="${CROSSDOCK_REGISTRY:-127.0.0.1:5000}"
image="${1:-$registry/busybox:latest}"
cache="${CROSSDOCK_CACHE:-/var/cache/crossdock}"
read -r -a deb_arches <<<"${CROSSDOCK_BUSYBOX_ARCHES:-amd64 arm64 armhf}"
read -r -a extra_pkgs <<<"${CROSSDOCK_BASE_PACKAGES:-}"
name="${CROSSDOCK_BASE_NAME:-busybox}"
debs="$cache/busybox"
work="$cache/$name-build"
layout="$cache/$name-oci"
applets=(sh ash ls cat echo env id true false sleep uname printf test mkdir rm cp mv ln pwd wc head tail grep sed chmod touch hostname)
path_env="PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

need_root

# oci_platform DEBARCH: "architecture variant" of the OCI platform for a Debian
# architecture (variant "-" for none).
oci_platform() {
  case "$1" in
    amd64) echo "amd64 -" ;;
    arm64) echo "arm64 -" ;;
    armhf) echo "arm v7" ;;
    armel) echo "arm v5" ;;
    i386) echo "386 -" ;;
    ppc64el) echo "ppc64le -" ;;
    s390x) echo "s390x -" ;;
    mips64el) echo "mips64le -" ;;
    *) die "unsupported Debian architecture '$1' in CROSSDOCK_BUSYBOX_ARCHES; valid: amd64 arm64 armhf armel i386 ppc64el s390x mips64el" ;;
  esac
}

# qemu_for DEBARCH: the qemu-user binary that runs it on this host ("" if native).
qemu_for() {
  case "$1" in
    "$(dpkg --print-architecture)") echo "" ;;
    arm64) echo qemu-aarch64-static ;;
    armhf | armel) echo qemu-arm-static ;;
    ppc64el) echo qemu-ppc64le-static ;;
    s390x) echo qemu-s390x-static ;;
    mips64el) echo qemu-mips64el-static ;;
    i386) echo qemu-i386-static ;;
  esac
}

# sha FILE: the hex sha256 of FILE.
sha() { sha256sum "$1" | cut -d' ' -f1; }

# put_blob FILE: move FILE into the layout's blobs, print "sha256:<hex> <size>".
put_blob() {
  local hex size
  hex="$(sha "$1")"
  size="$(stat -c %s "$1")"
  mv "$1" "$layout/blobs/sha256/$hex"
  echo "sha256:$hex $size"
}

download_debs() {
  local native a missing=()
  native="$(dpkg --print-architecture)"
  for a in "${deb_arches[@]}"; do
    oci_platform "$a" >/dev/null
    if [[ "$a" != "$native" ]] && ! dpkg --print-foreign-architectures | grep -qx "$a"; then
      log "dpkg --add-architecture $a"
      dpkg --add-architecture "$a"
      _apt_updated="" # the package lists must now include $a
      missing+=("$a")
    fi
  done
  mkdir -p "$debs"
  local p
  for a in "${deb_arches[@]}"; do
    for p in busybox-static "${extra_pkgs[@]}"; do
      if compgen -G "$debs/${p}_*_$a.deb" >/dev/null; then
        log "reusing $(basename "$(compgen -G "$debs/${p}_*_$a.deb" | tail -n1)")"
        continue
      fi
      if ((${#missing[@]} > 0)) || ! apt-cache show "$p:$a" >/dev/null 2>&1; then
        apt_update_once
        missing=()
      fi
      log "apt-get download $p:$a into $debs"
      (cd "$debs" && apt-get download -q "$p:$a" 2>&1 | { grep -v '^W: Download is performed unsandboxed' >&2 || true; }) \
        || die "apt-get download $p:$a failed"
      compgen -G "$debs/${p}_*_$a.deb" >/dev/null || die "no ${p}_*_$a.deb in $debs after download"
    done
  done
}

# build_rootfs DEBARCH: extract the package and lay out the image's root
# filesystem in $work/rootfs-DEBARCH.
build_rootfs() {
  local a="$1" deb root x applet
  deb="$(compgen -G "$debs/busybox-static_*_$a.deb" | tail -n1)"
  x="$work/extract-$a"
  root="$work/rootfs-$a"
  rm -rf "$x" "$root"
  dpkg-deb -x "$deb" "$x"
  [[ -x "$x/bin/busybox" ]] || die "$deb has no bin/busybox"
  mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root"
  install -m 0755 "$x/bin/busybox" "$root/bin/busybox"
  for applet in "${applets[@]}"; do
    ln -s busybox "$root/bin/$applet"
  done
  printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >"$root/etc/passwd"
  printf '%s\n' 'root:x:0:' 'nobody:x:65534:' >"$root/etc/group"
  chmod 0644 "$root/etc/passwd" "$root/etc/group"
  chmod 0755 "$root" "$root/bin" "$root/etc"
  chmod 1777 "$root/tmp"
  chmod 0700 "$root/root"
  local p pkg
  for p in "${extra_pkgs[@]}"; do
    pkg="$(compgen -G "$debs/${p}_*_$a.deb" | tail -n1)"
    log "unpacking $(basename "$pkg") into the linux/$a root filesystem"
    dpkg-deb -x "$pkg" "$root"
  done
  # dpkg-deb -x makes the root 0755 again; keep the modes above.
  chmod 0755 "$root"
}

# build_image DEBARCH: layer, config and manifest blobs for one platform; prints
# the manifest's index entry as compact JSON.
build_image() {
  local a="$1"
  local root="$work/rootfs-$a" arch variant version diff_id layer layer_size config config_size manifest manifest_size
  read -r arch variant <<<"$(oci_platform "$a")"
  version="$(dpkg-deb -f "$(compgen -G "$debs/busybox-static_*_$a.deb" | tail -n1)" Version)"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu \
    -C "$root" -cf "$work/layer-$a.tar" $(cd "$root" && LC_ALL=C ls -A)
  diff_id="sha256:$(sha "$work/layer-$a.tar")"
  gzip -n -9 -c "$work/layer-$a.tar" >"$work/layer-$a.tar.gz"
  read -r layer layer_size <<<"$(put_blob "$work/layer-$a.tar.gz")"

  local by="busybox-static $version ($a)" p
  for p in "${extra_pkgs[@]}"; do
    by="$by, $p $(dpkg-deb -f "$(compgen -G "$debs/${p}_*_$a.deb" | tail -n1)" Version)"
  done
  jq -cn --arg arch "$arch" --arg variant "$variant" --arg diff "$diff_id" --arg path "$path_env" \
    --arg by "$by by crossdock tools/scripts/build-busybox-base.sh" '
    {architecture: $arch} + (if $variant == "-" then {} else {variant: $variant} end) + {
      os: "linux", created: "1970-01-01T00:00:00Z",
      config: {Env: [$path], Cmd: ["sh"]},
      rootfs: {type: "layers", diff_ids: [$diff]},
      history: [{created: "1970-01-01T00:00:00Z", created_by: $by}]
    }' | tr -d '\n' >"$work/config-$a.json"
  read -r config config_size <<<"$(put_blob "$work/config-$a.json")"

  jq -cn --arg c "$config" --argjson cs "$config_size" --arg l "$layer" --argjson ls "$layer_size" '{
      schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $c, size: $cs},
      layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $l, size: $ls}]
    }' | tr -d '\n' >"$work/manifest-$a.json"
  read -r manifest manifest_size <<<"$(put_blob "$work/manifest-$a.json")"

  jq -cn --arg m "$manifest" --argjson ms "$manifest_size" --arg arch "$arch" --arg variant "$variant" '{
      mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $m, size: $ms,
      platform: ({architecture: $arch, os: "linux"} + (if $variant == "-" then {} else {variant: $variant} end))
    }'
}

build_layout() {
  local a entries=() index index_size
  rm -rf "$layout" "$work"
  mkdir -p "$layout/blobs/sha256" "$work"
  for a in "${deb_arches[@]}"; do
    log "building the linux/$(oci_platform "$a" | sed 's/ -$//; s/ /\//') image from busybox-static:$a"
    build_rootfs "$a"
    entries+=("$(build_image "$a")")
  done
  printf '%s\n' "${entries[@]}" | jq -cs '{
      schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: .
    }' | tr -d '\n' >"$work/index.json"
  read -r index index_size <<<"$(put_blob "$work/index.json")"
  printf '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
  jq -cn --arg d "$index" --argjson s "$index_size" '{schemaVersion: 2, manifests: [{
      mediaType: "application/vnd.oci.image.index.v1+json", digest: $d, size: $s,
      annotations: {"org.opencontainers.image.ref.name": "latest"}}]}' | tr -d '\n' >"$layout/index.json"
  log "OCI layout $layout: index $index"
  echo "$index"
}

push() {
  local want="$1" got raw count
  log "skopeo copy --all oci:$layout:latest docker://$image"
  skopeo copy --quiet --all --dest-tls-verify=false --digestfile "$work/pushed.digest" \
    "oci:$layout:latest" "docker://$image" || die "skopeo copy to docker://$image failed; is the registry up? (tools/scripts/setup-engines.sh)"
  got="$(cat "$work/pushed.digest")"
  [[ "$got" == "$want" ]] || die "the registry stored index $got, but the layout's index is $want"
  raw="$(skopeo inspect --raw --tls-verify=false "docker://$image")"
  count="$(jq '.manifests | length' <<<"$raw")"
  ((count == ${#deb_arches[@]})) || die "docker://$image lists $count platforms, want ${#deb_arches[@]}: $raw"
  log "docker://$image lists: $(jq -r '[.manifests[].platform | [.os, .architecture, .variant // empty] | join("/")] | join(", ")' <<<"$raw")"
}

smoke() {
  local a q out
  for a in "${deb_arches[@]}"; do
    q="$(qemu_for "$a")"
    out="$(${q:+"$q"} "$work/rootfs-$a/bin/busybox" echo ok)" || die "busybox for $a does not run${q:+ under $q}"
    [[ "$out" == ok ]] || die "busybox for $a printed '$out', want 'ok'"
    log "busybox for $a runs${q:+ under $q}: $out"
  done
}

apt_install jq skopeo tar gzip
download_debs
digest="$(build_layout)"
smoke
push "$digest"
echo "$digest"
