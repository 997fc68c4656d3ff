#!/usr/bin/env bash
# mutate.sh NAME CUT.c > MUTANT.c
# Applies the seeded bug NAME of mutations.txt to the cut code: the sed expression inside the
# named function's cut text only (between its "/* cut: ... */" marker and the next); exactly one
# line must change, else it is an error naming the mutation.
set -euo pipefail
name="${1:?usage: mutate.sh NAME CUT.c}"
cut="${2:?usage: mutate.sh NAME CUT.c}"
here="$(cd "$(dirname "$0")" && pwd)"
line="$(grep -v '^#' "$here/mutations.txt" | awk -F'|' -v n="$name" '$1 == n' | head -1)"
[ -n "$line" ] || { echo "mutate.sh: no mutation $name in $here/mutations.txt" >&2; exit 2; }
func="$(echo "$line" | cut -d'|' -f2)"
expr="$(echo "$line" | cut -d'|' -f3)"
range="$(awk -v f="$func" '
  /^\/\* cut: / { if (start && !end) end = NR - 1
                  if ($4 == f || ($5 == "as" && $6 == f)) start = NR }
  END { if (start && !end) end = NR; if (start) print start "," end }' "$cut")"
[ -n "$range" ] || { echo "mutate.sh: $name: function $func is not in $cut" >&2; exit 2; }
sed -e "${range}{$expr}" "$cut" > "$cut.$name.tmp"
changed="$(diff "$cut" "$cut.$name.tmp" | grep -c '^>' || true)"
if [ "$changed" != 1 ]; then
  rm -f "$cut.$name.tmp"
  echo "mutate.sh: $name ($expr) changes $changed lines of $func in $cut, not 1: the tree's code differs; update mutations.txt" >&2
  exit 2
fi
cat "$cut.$name.tmp"
rm -f "$cut.$name.tmp"
