#!/usr/bin/env bash
# record-all.sh OUTDIR [FLAVOUR...]
#
# Records every flavour (default: arm64-4k arm64-16k x86_64-la57 x86_64-la57-nopdpe1gb) with record.sh into
# OUTDIR/<flavour>/, at most $PFNMAP_QEMU_JOBS (default 2) boots at a time. Packages are fetched
# first, one after another. Each flavour's outcome goes to OUTDIR/<flavour>/status: "ok",
# "skip <reason>" or "fail <reason>"; its log to OUTDIR/<flavour>.log. Exit 0 unless a script
# itself broke: the caller reads the status files.
set -euo pipefail
source "$(dirname "$0")/common.sh"

out="${1:?usage: record-all.sh OUTDIR [FLAVOUR...]}"
shift
flavours=("$@")
[ ${#flavours[@]} -gt 0 ] || flavours=(arm64-4k arm64-16k x86_64-la57 x86_64-la57-nopdpe1gb)
mkdir -p "$out"
out="$(cd "$out" && pwd)"

# fetch the packages one at a time (apt must not run twice at once)
if [ -z "${PFNMAP_KERNEL_IMAGE:-}" ]; then
  for f in "${flavours[@]}"; do
    set +e
    msg="$("$QEMU_DIR/fetch-kernel.sh" "$f" 2>"$out/$f.fetch.log")"
    rc=$?
    set -e
    if [ $rc -ne 0 ] && [ $rc -ne "$SKIP_CODE" ]; then
      log "$f: fetch-kernel.sh failed ($rc): $(tail -3 "$out/$f.fetch.log" | tr '\n' ' ')"
    fi
    [ -z "$msg" ] || log "$f: $msg"
  done
fi

one() {
  local f="$1" rc
  set +e
  bash "$QEMU_DIR/record.sh" "$f" "$out/$f" > "$out/$f.log" 2>&1
  rc=$?
  set -e
  mkdir -p "$out/$f"
  if [ $rc -eq 0 ]; then
    echo ok > "$out/$f/status"
  elif [ $rc -eq "$SKIP_CODE" ]; then
    echo "skip $(sed -n 's/^SKIP: //p' "$out/$f.log" | tail -1)" > "$out/$f/status"
  else
    echo "fail record.sh exit $rc: $(grep -E 'ERROR|die' "$out/$f.log" | tail -1)" > "$out/$f/status"
  fi
  log "$f: $(cat "$out/$f/status")"
}
export -f one log
export out QEMU_DIR SKIP_CODE

printf '%s\n' "${flavours[@]}" | xargs -P "${PFNMAP_QEMU_JOBS:-2}" -I{} bash -c 'one "$@"' _ {}
