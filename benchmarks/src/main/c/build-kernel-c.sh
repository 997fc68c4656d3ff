#!/usr/bin/env bash
# build-kernel-c.sh OUT
#
# Builds OUT/libpfnkernelc.so, the kernel's own searches for YardstickBenchmark: kernel_c.c (JNI
# entry points) over the kernel-tree harness's glue and cut, reusing that harness's scripts from
# the source tree as its README documents them: fetch-tree.sh (Debian's linux-source-6.12 into
# ~/.cache/pfnmap-align, or PFNMAP_KERNEL_TREE) and build.sh TREE OUT (the cut OUT/cut.c with its
# #line markers, the tree's userland objects in OUT/obj), here with -fPIC so that they link into
# a shared library. No kernel code is kept in the repository. Prints the library's path.
# Exit status 77 with "SKIP: <reason>" when the tree, gcc, liburcu or jni.h cannot be had.
set -euo pipefail
out="${1:?usage: build-kernel-c.sh OUT}"
here="$(cd "$(dirname "$0")" && pwd)"
kt="$here/../../../../verification/conformance/src/test/kernel-tree"
[ -x "$kt/build.sh" ] || { echo "build-kernel-c.sh: no kernel-tree harness at $kt" >&2; exit 2; }
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac || command -v java)")")")}"
[ -f "$java_home/include/jni.h" ] || { echo "SKIP: no jni.h under $java_home/include (a JDK, not a JRE: Debian package openjdk-17-jdk-headless)"; exit 77; }

# a script's SKIP line is on its stdout: passed on with its status
tree="$("$kt/fetch-tree.sh")" || { s=$?; echo "$tree"; exit $s; }
mkdir -p "$out"
# build.sh's own objects and cut, position-independent (its stamp keeps them apart from a plain build)
built="$(PFNMAP_CFLAGS=-fPIC "$kt/build.sh" "$tree" "$out/tree")" || { s=$?; echo "$built"; exit $s; }
shared="$tree/tools/testing/shared"
# build.sh's flags (so the glue compiles as it does there), plus JNI's headers
gcc -shared -fPIC -O2 -g -w -D_LGPL_SOURCE -fno-strict-overflow -DPFNMAP_TREE_UPPER=1 \
  -I"$shared" -I"$out/tree/obj" -I"$tree/tools/include" -I"$tree/lib" -I"$out/tree" -I"$kt" -I"$kt/../c/harness" \
  -I"$java_home/include" -I"$java_home/include/linux" \
  "$here/kernel_c.c" "$out"/tree/obj/*.o -lpthread -lurcu -o "$out/libpfnkernelc.so.tmp"
mv "$out/libpfnkernelc.so.tmp" "$out/libpfnkernelc.so"
echo "$out/libpfnkernelc.so"
