#!/usr/bin/env bash
# fetch-tree.sh
#
# Prints the root of the kernel tree the kernel-tree harness cuts its functions from.
# PFNMAP_KERNEL_TREE=/path: that tree, as it is. Otherwise Debian's linux-source-$SERIES package
# (PFNMAP_KERNEL_TREE_SERIES, default 6.12): `apt-get download` into the cache ($PFNMAP_CACHE,
# default ~/.cache/pfnmap-align, outside the clone), then the directories the harness reads are
# unpacked once under $PFNMAP_CACHE/kernel-tree/<package file>/ and reused (a later run works
# offline). PFNMAP_KERNEL_TREE_REFRESH=1 asks apt for a newer package anyway.
# Exit status 77 with a line "SKIP: <reason>" when the tree cannot be had (no apt-get, no
# package, no dpkg-deb/tar/xz); any other non-zero status is an error.
set -euo pipefail

skip() { echo "SKIP: $*"; exit 77; }
log() { echo "fetch-tree: $*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }

if [ -n "${PFNMAP_KERNEL_TREE:-}" ]; then
  [ -f "$PFNMAP_KERNEL_TREE/lib/maple_tree.c" ] || { echo "PFNMAP_KERNEL_TREE=$PFNMAP_KERNEL_TREE has no lib/maple_tree.c: not a kernel tree" >&2; exit 2; }
  cd "$PFNMAP_KERNEL_TREE" && pwd
  exit 0
fi

series="${PFNMAP_KERNEL_TREE_SERIES:-6.12}"
pkg="linux-source-$series"
cache="${PFNMAP_CACHE:-$HOME/.cache/pfnmap-align}"
debs="$cache/debs"
mkdir -p "$debs" "$cache/kernel-tree"

cached() { (cd "$debs" && ls -1 "${pkg}"_*_all.deb 2>/dev/null | sort -V | tail -1) || true; }

deb="$(cached)"
if [ -z "$deb" ] || [ "${PFNMAP_KERNEL_TREE_REFRESH:-0}" = 1 ]; then
  have apt-get || { [ -n "$deb" ] || skip "apt-get missing and no $pkg package in $debs (set PFNMAP_KERNEL_TREE=/path/to/linux)"; }
  if have apt-get; then
    log "apt-get download $pkg"
    if ! (cd "$debs" && apt-get download -q "$pkg" >&2 2>/dev/null); then
      if [ "$(id -u)" = 0 ]; then
        log "apt-get update"
        apt-get update -qq >&2 || true
        (cd "$debs" && apt-get download -q "$pkg" >&2 2>/dev/null) || true
      fi
    fi
    deb="$(cached)"
  fi
fi
[ -n "$deb" ] || skip "apt-get could not download $pkg (not in this machine's apt sources?; set PFNMAP_KERNEL_TREE=/path/to/linux)"

root="$cache/kernel-tree/$(basename "$deb" .deb)"
if [ ! -e "$root/.unpacked" ]; then
  have dpkg-deb || skip "dpkg-deb missing (Debian package dpkg)"
  have xz || skip "xz missing (Debian package xz-utils)"
  log "unpacking $deb (the directories the harness reads) into $root"
  rm -rf "$root"
  mkdir -p "$root"
  # The package holds one tarball, usr/src/linux-source-<series>.tar.xz; take only what the
  # harness reads (mm, include, arch/x86, arm64's headers, lib, tools): about 13 s, 180 MB.
  dpkg-deb --fsys-tarfile "$cache/debs/$deb" | tar -xO "./usr/src/$pkg.tar.xz" \
    | tar -xJ -C "$root" "$pkg/mm" "$pkg/include" "$pkg/arch/x86" "$pkg/arch/arm64/include" "$pkg/lib" \
      "$pkg/tools" "$pkg/Makefile"
  touch "$root/.unpacked"
fi
echo "$root/$pkg"
