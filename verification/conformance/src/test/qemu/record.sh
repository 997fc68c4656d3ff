#!/usr/bin/env bash
# record.sh FLAVOUR OUTDIR
#
# Boots one kernel under qemu with the mmap recorder as /init and leaves in OUTDIR:
#   topdown.txt, legacy.txt   the recordings (FACT lines, then the recorder's own lines)
#   stack1g.txt, stackinf.txt the same under RLIMIT_STACK 1 GiB and unlimited (no personality)
#   shmemfile.txt, shmemmemfd.txt  shmem_enabled=always, anonymous MAP_SHARED, a file on tmpfs
#                             huge=within_size or a memfd
#   hugetlb.txt, hugetlblegacy.txt  anonymous MAP_HUGETLB and a file on hugetlbfs, both layouts
#   serial.log                everything the serial console printed
#   config                    the kernel's config (boot/config-* of the package)
#   meta                      key=value: flavour, kernel, release, boot_seconds, cached, ...
#
# The kernel is Debian's package for FLAVOUR (fetch-kernel.sh), or, for another kernel:
#   PFNMAP_KERNEL_DEB=/path/linux-image-....deb     another Debian package file
#   PFNMAP_KERNEL_IMAGE=/path/Image (or bzImage)    a kernel a developer built; with
#     PFNMAP_KERNEL_CONFIG=/path/.config            its config (for CONFIG_LSM_MMAP_MIN_ADDR)
#     PFNMAP_KERNEL_MODULES=/path/lib/modules/<v>   its modules, if ext4 or virtio_blk are modules
# Knobs: PFNMAP_CALLS (per layout, default 1200), PFNMAP_SEED_TOPDOWN (1), PFNMAP_SEED_LEGACY (2),
# PFNMAP_BOOT_TIMEOUT (seconds, default 900), PFNMAP_QEMU_FRESH=1 (ignore a cached recording).
# A recording is cached in $PFNMAP_CACHE/recordings/ keyed by kernel, recorder sources, calls and
# seeds, and reused on the next run.
set -euo pipefail
source "$(dirname "$0")/common.sh"

flavour="${1:?usage: record.sh FLAVOUR OUTDIR}"
out="${2:?usage: record.sh FLAVOUR OUTDIR}"
calls="${PFNMAP_CALLS:-1200}"
seed_td="${PFNMAP_SEED_TOPDOWN:-1}"
seed_lg="${PFNMAP_SEED_LEGACY:-2}"
timeout_s="${PFNMAP_BOOT_TIMEOUT:-900}"
debarch="$(flavour_debarch "$flavour")"

if m="$(missing_tool "$flavour")"; then
  skip "$m is not installed"
fi

# --- the kernel -------------------------------------------------------------------------------
if [ -n "${PFNMAP_KERNEL_IMAGE:-}" ]; then
  image="$PFNMAP_KERNEL_IMAGE"
  [ -f "$image" ] || die "PFNMAP_KERNEL_IMAGE=$image is not a file"
  config="${PFNMAP_KERNEL_CONFIG:-}"
  moddir="${PFNMAP_KERNEL_MODULES:-}"
  kernel_id="image-$(sha256sum "$image" | cut -c1-16)"
else
  set +e
  root="$("$QEMU_DIR/fetch-kernel.sh" "$flavour")"
  rc=$?
  set -e
  if [ $rc -eq "$SKIP_CODE" ]; then
    echo "$root"
    exit "$SKIP_CODE"
  fi
  [ $rc -eq 0 ] || die "fetch-kernel.sh $flavour failed"
  image="$(ls -1 "$root"/boot/vmlinuz-* | head -1)"
  config="$(ls -1 "$root"/boot/config-* | head -1)"
  moddir="$(ls -1d "$root"/lib/modules/* | head -1)"
  kernel_id="$(basename "$root")"
fi

key="$flavour-$kernel_id-$(recorder_hash)-c$calls-s$seed_td-$seed_lg"
cache="$PFNMAP_CACHE/recordings/$key"
# the recorder runs pfnmap_init makes, one file each
LAYOUTS="topdown legacy stack1g stackinf shmemfile shmemmemfd hugetlb hugetlblegacy"
rm -rf "$out"
mkdir -p "$out"
if [ -f "$cache/meta" ] && [ "${PFNMAP_QEMU_FRESH:-0}" != 1 ]; then
  cp "$cache"/* "$out"/
  echo "cached=1" >> "$out/meta"
  log "$flavour: reusing the recording cached in $cache"
  exit 0
fi

# --- the initramfs ----------------------------------------------------------------------------
work="$out/work"
rootfs="$work/rootfs"
mkdir -p "$rootfs/lib/modules"
cc="$(flavour_cc "$flavour")"
"$cc" -static -O2 -Wall -Wextra -Werror -o "$rootfs/init" "$C_DIR/pfnmap_init.c"
"$cc" -static -O2 -Wall -Wextra -Werror -o "$rootfs/mmap_recorder" "$C_DIR/mmap_recorder.c"

# ext4 and the virtio disk, with what they depend on; crc32c is a run-time crypto lookup (softdep),
# so its generic module is named here. Built-in ones (modules.builtin) are left out.
: > "$rootfs/modules.list"
declare -A done_mod=()
find_mod() {
  local n="$1" alt="${1//_/-}"
  find "$moddir" \( -name "$n.ko" -o -name "$n.ko.*" -o -name "$alt.ko" -o -name "$alt.ko.*" \) 2>/dev/null | head -1
}
builtin_mod() {
  [ -f "$moddir/modules.builtin" ] && grep -Eq "/(${1}|${1//_/-})\.ko\$" "$moddir/modules.builtin"
}
add_mod() {
  local n="$1" f tmp dep
  [ -n "$n" ] || return 0
  [ -z "${done_mod[$n]:-}" ] || return 0
  done_mod[$n]=1
  if [ -z "$moddir" ] || builtin_mod "$n"; then
    return 0
  fi
  f="$(find_mod "$n")"
  if [ -z "$f" ]; then
    log "$flavour: module $n neither built in nor found; hoping it is not needed"
    return 0
  fi
  tmp="$work/$n.ko"
  case "$f" in
    *.xz) xz -dc "$f" > "$tmp" ;;
    *.zst) zstd -qdc "$f" > "$tmp" ;;
    *.gz) gzip -dc "$f" > "$tmp" ;;
    *) cp "$f" "$tmp" ;;
  esac
  for dep in $(tr '\0' '\n' < "$tmp" | sed -n 's/^depends=//p' | tr ',' ' '); do
    add_mod "$dep"
  done
  mv "$tmp" "$rootfs/lib/modules/$n.ko"
  echo "/lib/modules/$n.ko" >> "$rootfs/modules.list"
}
for m in crc32c_generic virtio_blk ext4; do
  add_mod "$m"
done
log "$flavour: modules $(tr '\n' ' ' < "$rootfs/modules.list")"
(cd "$rootfs" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -1 > "$work/initrd.gz"

# --- the disk ---------------------------------------------------------------------------------
disk="$work/disk.img"
truncate -s 512M "$disk"
mkfs.ext4 -q -F "$disk"

# --- the boot ---------------------------------------------------------------------------------
append="norandmaps panic=-1 pfnmap.calls=$calls pfnmap.seed_topdown=$seed_td pfnmap.seed_legacy=$seed_lg"
case "$debarch" in
  arm64)
    # pauth-impdef: qemu's own pointer-authentication algorithm: the same CPU features as -cpu
    # max, far less TCG time. Used when this qemu has it (it then waits under -S until killed).
    cpu=max
    if timeout 3 qemu-system-aarch64 -M virt -cpu max,pauth-impdef=on -S -display none -monitor none \
        -serial none -nodefaults </dev/null >/dev/null 2>&1; [ $? -eq 124 ]; then
      cpu=max,pauth-impdef=on
    fi
    qemu=(qemu-system-aarch64 -M virt -cpu "$cpu" -smp 1 -m 1G)
    append="console=ttyAMA0 $append"
    ;;
  amd64)
    qemu=(qemu-system-x86_64 -M q35 -cpu "$(flavour_x86_cpu "$flavour")" -smp 1 -m 1G)
    append="console=ttyS0 $append"
    ;;
esac
qemu+=(-nographic -no-reboot -nic none
  -kernel "$image" -initrd "$work/initrd.gz" -append "$append"
  -drive "file=$disk,format=raw,if=none,id=d0" -device virtio-blk-pci,drive=d0)
log "$flavour: booting $(basename "$image") (timeout ${timeout_s}s)"
t0=$(date +%s.%N)
set +e
timeout -k 10 "$timeout_s" "${qemu[@]}" </dev/null > "$out/serial.log" 2>&1
qrc=$?
set -e
t1=$(date +%s.%N)
boot_s=$(awk "BEGIN{printf \"%.1f\", $t1 - $t0}")
if [ $qrc -eq 124 ] || [ $qrc -eq 137 ]; then
  tail -20 "$out/serial.log" >&2
  die "$flavour: qemu timed out after ${timeout_s}s (serial log: $out/serial.log)"
fi
grep -q '^PFNMAP DONE' "$out/serial.log" || {
  tail -30 "$out/serial.log" >&2
  die "$flavour: the recorder did not finish (qemu exit $qrc; serial log: $out/serial.log)"
}
for layout in $LAYOUTS; do
  debugfs -R "dump /$layout.txt $out/$layout.txt" "$disk" >/dev/null 2>&1
  grep -q '^END calls=' "$out/$layout.txt" || die "$flavour: $layout.txt has no END line"
done
[ -z "$config" ] || cp "$config" "$out/config"
release="$(sed -n 's/^FACT kernel release=\([^ ]*\).*/\1/p' "$out/topdown.txt" | head -1)"
{
  echo "flavour=$flavour"
  echo "kernel=$kernel_id"
  echo "release=$release"
  echo "image=$image"
  echo "qemu=${qemu[*]:0:9}"
  echo "append=$append"
  echo "boot_seconds=$boot_s"
  echo "calls_per_layout=$calls"
  echo "key=$key"
} > "$out/meta"
grep '^PFNMAP RUN' "$out/serial.log" | sed 's/^PFNMAP RUN /run=/' >> "$out/meta" || true
rm -rf "$work"
mkdir -p "$cache"
for layout in $LAYOUTS; do cp "$out/$layout.txt" "$cache"/; done
cp "$out"/serial.log "$out"/meta "$cache"/
[ ! -f "$out/config" ] || cp "$out/config" "$cache"/
echo "cached=0" >> "$out/meta"
log "$flavour: done in ${boot_s}s"
