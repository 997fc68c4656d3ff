#!/usr/bin/env bash
# fetch-kernel.sh FLAVOUR
#
# Makes sure the Debian kernel package of FLAVOUR (see common.sh) is downloaded and unpacked in
# the cache ($PFNMAP_CACHE, default ~/.cache/pfnmap-align, outside the clone) and prints the
# unpacked root (it holds boot/vmlinuz-*, boot/config-* and lib/modules/<release>/).
#
# The package is linux-image-<abi>-<suffix>, <abi> the newest of the $PFNMAP_KERNEL_SERIES series
# (default 6.12) that apt knows, or $PFNMAP_KERNEL_ABI (e.g. 6.12.117+deb12). A package already
# in the cache is used without asking apt (so a later run works offline); set
# PFNMAP_KERNEL_REFRESH=1 to look for a newer ABI anyway. arm64 packages need
# `dpkg --add-architecture arm64` and `apt-get update`: done here when run as root.
# PFNMAP_KERNEL_DEB=/path/to.deb uses that package file instead.
set -euo pipefail
source "$(dirname "$0")/common.sh"

flavour="${1:?usage: fetch-kernel.sh FLAVOUR}"
debarch="$(flavour_debarch "$flavour")"
suffix="$(flavour_pkgsuffix "$flavour")"
debs="$PFNMAP_CACHE/debs"
mkdir -p "$debs" "$PFNMAP_CACHE/kernels"

unpack() {
  local deb="$1" root
  root="$PFNMAP_CACHE/kernels/$(basename "$deb" .deb)"
  if [ ! -e "$root/.unpacked" ]; then
    have dpkg-deb || skip "dpkg-deb missing (Debian package dpkg)"
    rm -rf "$root"
    mkdir -p "$root"
    dpkg-deb -x "$deb" "$root"
    touch "$root/.unpacked"
  fi
  echo "$root"
}

if [ -n "${PFNMAP_KERNEL_DEB:-}" ]; then
  [ -f "$PFNMAP_KERNEL_DEB" ] || die "PFNMAP_KERNEL_DEB=$PFNMAP_KERNEL_DEB is not a file"
  unpack "$PFNMAP_KERNEL_DEB"
  exit 0
fi
[ -n "$suffix" ] || skip "no Debian kernel package for $flavour: give PFNMAP_KERNEL_IMAGE (record.sh)"

# newest cached package of this flavour (and ABI, if one was asked for)
cached() {
  local pat="linux-image-${PFNMAP_KERNEL_ABI:-$PFNMAP_KERNEL_SERIES.*}-${suffix}_*_${debarch}.deb"
  # shellcheck disable=SC2012
  (cd "$debs" && ls -1 $pat 2>/dev/null | sort -V | tail -1) || true
}

deb="$(cached)"
if [ -z "$deb" ] || [ "${PFNMAP_KERNEL_REFRESH:-0}" = 1 ]; then
  have apt-get && have apt-cache || { [ -n "$deb" ] || skip "apt-get missing and no cached $flavour kernel in $debs"; }
  if have apt-get; then
    if [ "$debarch" != "$(dpkg --print-architecture)" ] \
        && ! dpkg --print-foreign-architectures | grep -qx "$debarch"; then
      [ "$(id -u)" = 0 ] || skip "dpkg does not know architecture $debarch (run: dpkg --add-architecture $debarch; apt-get update)"
      log "dpkg --add-architecture $debarch; apt-get update"
      dpkg --add-architecture "$debarch"
      apt-get update -qq >&2 || true
    fi
    if [ -n "${PFNMAP_KERNEL_ABI:-}" ]; then
      pkg="linux-image-${PFNMAP_KERNEL_ABI}-${suffix}"
    else
      series_re="${PFNMAP_KERNEL_SERIES//./\\.}"
      pkg="$(apt-cache search --names-only "^linux-image-${series_re}\.[0-9]+\+[a-z0-9]+-${suffix}\$" 2>/dev/null \
        | awk '{print $1}' | sort -V | tail -1)"
      if [ -z "$pkg" ] && [ "$(id -u)" = 0 ] && [ -z "$deb" ]; then
        apt-get update -qq >&2 || true
        pkg="$(apt-cache search --names-only "^linux-image-${series_re}\.[0-9]+\+[a-z0-9]+-${suffix}\$" 2>/dev/null \
          | awk '{print $1}' | sort -V | tail -1)"
      fi
    fi
    if [ -n "$pkg" ]; then
      want="$(cd "$debs" && ls -1 "${pkg}"_*_"${debarch}".deb 2>/dev/null | sort -V | tail -1 || true)"
      if [ -z "$want" ]; then
        log "apt-get download $pkg:$debarch"
        (cd "$debs" && apt-get download -q "$pkg:$debarch" >&2 2>/dev/null) || true
        want="$(cd "$debs" && ls -1 "${pkg}"_*_"${debarch}".deb 2>/dev/null | sort -V | tail -1 || true)"
      fi
      [ -n "$want" ] && deb="$want"
    fi
  fi
fi
[ -n "$deb" ] || skip "no $flavour kernel package (linux-image-${PFNMAP_KERNEL_ABI:-$PFNMAP_KERNEL_SERIES.*}-$suffix:$debarch) from apt and none cached in $debs"
unpack "$debs/$deb"
