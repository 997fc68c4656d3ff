#!/usr/bin/env bash
# OpenJML's extended static checker over the same core sources KeY proves.
# usage: run.sh PROJECT_ROOT CLASSPATH
# Finds OpenJML as $OPENJML_HOME/openjml or `openjml` on the PATH. Exit codes: OpenJML's own
# (0: every method verified; non-zero: verification failures or errors, printed as
# "File.java:N: verify: ... in method m" lines that OpenJmlTest parses), or 3 when OpenJML is
# absent (one line "OpenJML absent: ..." on stdout).
set -uo pipefail
root=${1:?project root}
cp=${2:-}
oj=""
if [ -n "${OPENJML_HOME:-}" ] && [ -x "$OPENJML_HOME/openjml" ]; then
  oj="$OPENJML_HOME/openjml"
elif command -v openjml >/dev/null 2>&1; then
  oj=$(command -v openjml)
fi
if [ -z "$oj" ]; then
  echo "OpenJML absent: neither \$OPENJML_HOME/openjml nor openjml on the PATH (see docs/proofs.md to install it)"
  exit 3
fi
src=$(mktemp -d)
trap 'rm -rf "$src"' EXIT
for m in arch-model/io/pfnmap/arch/core mm-model/io/pfnmap/mm/core vfio-model/io/pfnmap/vfio/core; do
  mod=${m%%/*}; pkg=${m#*/}
  mkdir -p "$src/$pkg"
  cp "$root/$mod/src/main/java/$pkg"/*.java "$src/$pkg/"
done
echo "OpenJML: $oj"
"$oj" --version 2>&1 | head -1
# shellcheck disable=SC2046
"$oj" --esc --progress -cp "$cp" -sourcepath "$src" $(find "$src" -name '*.java' | sort)
