# Sourced by the qemu conformance scripts: the flavour table, the cache and small helpers.
#
# Flavours are the oracle's arch ids of the configurations Debian ships kernels for:
#   arm64-4k     linux-image-<abi>-arm64-unsigned       (arm64)  qemu-system-aarch64 -M virt -cpu max
#   arm64-16k    linux-image-<abi>-arm64-16k-unsigned   (arm64)  qemu-system-aarch64 -M virt -cpu max
#   x86_64-la57  linux-image-<abi>-amd64-unsigned       (amd64)  qemu-system-x86_64 -M q35 -cpu max,+la57
#   x86_64-la57-nopdpe1gb  the same kernel on a CPU without 1 GiB pages  (-cpu max,+la57,-pdpe1gb):
#                checks arch-model's CPU-feature input (no 1 GiB hugetlb size) live
#   arm64-64k    no Debian package: only with PFNMAP_KERNEL_IMAGE (see record.sh)
#
# Exit code 77 means "cannot run here" (a tool or package is missing); the reason is printed on a
# line starting "SKIP:".

QEMU_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
C_DIR="$(cd "$QEMU_DIR/../c" && pwd)"
PFNMAP_CACHE="${PFNMAP_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/pfnmap-align}"
# The Debian kernel series whose newest ABI is used unless PFNMAP_KERNEL_ABI names one.
PFNMAP_KERNEL_SERIES="${PFNMAP_KERNEL_SERIES:-6.12}"
SKIP_CODE=77

skip() {
  echo "SKIP: $*"
  exit "$SKIP_CODE"
}

die() {
  echo "ERROR: $*" >&2
  exit 1
}

log() {
  echo "[$(date +%H:%M:%S)] $*" >&2
}

have() {
  command -v "$1" >/dev/null 2>&1
}

# flavour_* FLAVOUR: the table above
flavour_debarch() {
  case "$1" in
    arm64-4k|arm64-16k|arm64-64k) echo arm64 ;;
    x86_64-la57|x86_64-la57-nopdpe1gb) echo amd64 ;;
    *) die "unknown flavour $1" ;;
  esac
}

flavour_pkgsuffix() {
  case "$1" in
    arm64-4k) echo arm64-unsigned ;;
    arm64-16k) echo arm64-16k-unsigned ;;
    x86_64-la57|x86_64-la57-nopdpe1gb) echo amd64-unsigned ;;
    *) echo "" ;;
  esac
}

flavour_qemu() {
  case "$(flavour_debarch "$1")" in
    arm64) echo qemu-system-aarch64 ;;
    amd64) echo qemu-system-x86_64 ;;
  esac
}

flavour_cc() {
  case "$(flavour_debarch "$1")" in
    arm64) echo aarch64-linux-gnu-gcc ;;
    amd64) if [ "$(uname -m)" = x86_64 ]; then echo gcc; else echo x86_64-linux-gnu-gcc; fi ;;
  esac
}

# flavour_x86_cpu FLAVOUR: the -cpu of an amd64 flavour
flavour_x86_cpu() {
  case "$1" in
    x86_64-la57-nopdpe1gb) echo max,+la57,-pdpe1gb ;;
    *) echo max,+la57 ;;
  esac
}

# The tools one flavour needs; prints the first missing one with its Debian package.
missing_tool() {
  local flavour="$1" t
  for t in "$(flavour_qemu "$flavour"):qemu-system-$( [ "$(flavour_debarch "$flavour")" = arm64 ] && echo arm || echo x86)" \
      "$(flavour_cc "$flavour"):$( [ "$(flavour_debarch "$flavour")" = arm64 ] && echo gcc-aarch64-linux-gnu || echo gcc)" \
      mkfs.ext4:e2fsprogs debugfs:e2fsprogs cpio:cpio gzip:gzip xz:xz-utils sha256sum:coreutils timeout:coreutils; do
    if ! have "${t%%:*}"; then
      echo "${t%%:*} (Debian package ${t#*:})"
      return 0
    fi
  done
  return 1
}

# The files that decide what a recording contains: a cached recording is reused only while
# these (and the kernel, calls and seeds) are unchanged.
recorder_hash() {
  cat "$C_DIR/mmap_recorder.c" "$C_DIR/pfnmap_init.c" "$QEMU_DIR/record.sh" "$QEMU_DIR/common.sh" | sha256sum | cut -c1-16
}
