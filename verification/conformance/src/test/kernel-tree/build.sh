#!/usr/bin/env bash
# build.sh TREE OUT [MUTATION...]
#
# Builds OUT/kdriver: verification/conformance/src/test/c/harness/driver.c linked against tree_search.c (the
# glue) with the functions of cut.spec cut out of the kernel tree TREE (extract.sh, into
# OUT/cut.c), and the tree's lib/maple_tree.c built by tools/testing/shared/maple-shim.c with the
# other userland objects of tools/testing/shared, over liburcu (-lurcu), as the kernel's
# tools/testing/vma Makefile does (shared.mk). With MUTATION names (mutations.txt), builds
# OUT/kdriver-NAME for each instead: the cut code with that one-line seeded bug.
# Prints each binary's path. Exit status 77 with "SKIP: <reason>" when gcc or liburcu is missing.
# PFNMAP_CFLAGS: extra compiler flags for every object and the link (the sanitizer build of
# `oracle check-tree` and KernelTreeHarnessTest: -fsanitize=address,undefined), kept apart per OUT.
set -euo pipefail
tree="${1:?usage: build.sh TREE OUT [MUTATION...]}"
out="${2:?usage: build.sh TREE OUT [MUTATION...]}"
shift 2
here="$(cd "$(dirname "$0")" && pwd)"
harness="$here/../c/harness"
skip() { echo "SKIP: $*"; exit 77; }
command -v gcc >/dev/null 2>&1 || skip "gcc missing (Debian package gcc)"
printf '#include <urcu.h>\nint main(void){return 0;}\n' > "${TMPDIR:-/tmp}/pfnmap-urcu-$$.c"
gcc -D_LGPL_SOURCE "${TMPDIR:-/tmp}/pfnmap-urcu-$$.c" -o "${TMPDIR:-/tmp}/pfnmap-urcu-$$" -lurcu >/dev/null 2>&1 \
  || { rm -f "${TMPDIR:-/tmp}/pfnmap-urcu-$$"*; skip "liburcu missing (Debian package liburcu-dev)"; }
rm -f "${TMPDIR:-/tmp}/pfnmap-urcu-$$"*

mkdir -p "$out/obj/generated"
shared="$tree/tools/testing/shared"
# shared.mk's flags, optimised (the model's seeded cases are many) and with the kernel's
# -fno-strict-overflow (loff_t arithmetic in __thp_get_unmapped_area wraps as in the kernel)
cflags=(-I"$shared" -I"$out/obj" -I"$tree/tools/include" -I"$tree/lib" -O2 -g -w -D_LGPL_SOURCE
        -fno-strict-overflow ${PFNMAP_CFLAGS:-})
ldlibs=(-lpthread -lurcu)

# Cut first: a function the tree lacks is an error before anything is compiled.
"$here/extract.sh" "$tree" "$here/cut.spec" > "$out/cut.c"

# The tree's userland objects: built once per tree and flags (a stamp names them).
stamp="$tree ${PFNMAP_CFLAGS:-}"
if [ "$(cat "$out/obj/.tree" 2>/dev/null)" != "$stamp" ]; then
  rm -f "$out"/obj/*.o
  cp "$shared/autoconf.h" "$out/obj/generated/autoconf.h"
  echo "#define XA_CHUNK_SHIFT 3" > "$out/obj/generated/map-shift.h"
  echo "#define CONFIG_$(getconf LONG_BIT)BIT 1" > "$out/obj/generated/bit-length.h"
  objs=()
  for src in "$shared/maple-shim.c" "$shared/linux.c" "$tree/tools/lib/find_bit.c" "$tree/tools/lib/bitmap.c" \
             "$tree/tools/lib/hweight.c" "$tree/tools/lib/slab.c" "$tree/tools/lib/vsprintf.c"; do
    o="$out/obj/$(basename "$src" .c).o"
    gcc -c "${cflags[@]}" "$src" -o "$o" &
    objs+=("$o")
  done
  wait
  for o in "${objs[@]}"; do [ -f "$o" ] || { echo "build.sh: building $o from $tree failed" >&2; exit 1; }; done
  echo "$stamp" > "$out/obj/.tree"
fi
objs=("$out"/obj/*.o)

link() { # link NAME CUTFILE
  local dir="$out/$1"
  mkdir -p "$dir"
  [ "$2" = "$dir/cut.c" ] || cp "$2" "$dir/cut.c"
  gcc "${cflags[@]}" -I"$dir" -I"$harness" -DPFNMAP_TREE_UPPER=${PFNMAP_TREE_UPPER:-1} \
    "$here/tree_search.c" "$harness/driver.c" "${objs[@]}" "${ldlibs[@]}" -o "$out/$1"bin
  mv "$out/$1"bin "$out/kdriver${1#base}"
  echo "$out/kdriver${1#base}"
}

if [ $# -eq 0 ]; then
  link base "$out/cut.c"
  exit 0
fi
for m in "$@"; do
  "$here/mutate.sh" "$m" "$out/cut.c" > "$out/cut-$m.c"
  link "base-$m" "$out/cut-$m.c"
done
