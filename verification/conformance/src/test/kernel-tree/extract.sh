#!/usr/bin/env bash
# extract.sh TREE SPEC > cut.c
#
# Cuts the definitions SPEC lists (cut.spec: "KIND NAME[=NEWNAME] FILE...") out of the kernel
# tree TREE, by name, each preceded by a `#line N "TREE/FILE"` marker, so compiler messages and
# a debugger point at the tree's own file:line. A definition none of its files has is an error
# that names it and the files searched (the function was removed, renamed or moved: add its new
# file to the spec).
set -euo pipefail
tree="${1:?usage: extract.sh TREE SPEC}"
spec="${2:?usage: extract.sh TREE SPEC}"
here="$(cd "$(dirname "$0")" && pwd)"
missing=0
echo "/* Cut from $tree by extract.sh ($spec): the kernel's own code, not this repository's. */"
while read -r kind name files; do
  case "$kind" in ''|'#'*) continue ;; esac
  rename=""
  case "$name" in *=*) rename="${name#*=}"; name="${name%%=*}" ;; esac
  ok=0
  echo "/* cut: $kind $name${rename:+ as $rename} */"
  for f in $files; do
    [ -f "$tree/$f" ] || continue
    if awk -v kind="$kind" -v name="$name" -v rename="$rename" -v path="$tree/$f" -f "$here/extract.awk" "$tree/$f"; then
      ok=1
      break
    fi
  done
  if [ "$ok" = 0 ]; then
    echo "extract.sh: $kind $name not found in $tree: searched $files (removed, renamed or moved? add its file to $spec)" >&2
    missing=1
  fi
  echo
done < "$spec"
exit $missing
