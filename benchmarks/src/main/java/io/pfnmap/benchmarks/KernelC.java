package io.pfnmap.benchmarks;

import io.pfnmap.arch.Search;
import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.MmConfig;
import io.pfnmap.mm.Vma;
import io.pfnmap.mm.VmaFlag;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The kernel's own searches (Linux 6.12's mm/mmap.c, mm/huge_memory.c and lib/maple_tree.c, cut
 * out of Debian's linux-source-6.12 at build time by the kernel-tree harness) through JNI:
 * {@code benchmarks/src/main/c/build-kernel-c.sh} builds {@code libpfnkernelc.so} under
 * {@code benchmarks/target/kernel-c} on first use (the tree fetched into ~/.cache/pfnmap-align,
 * about 15 s once, then about 5 s a build). {@code -Dpfnmap.kernelc=PATH} loads a library built
 * before (the yardstick's main passes it to JMH's forks).
 */
public final class KernelC {
    private KernelC() {
    }

    /** The library cannot be had on this machine (no kernel tree, gcc, liburcu or JDK headers): why. */
    public static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unavailable(String reason) {
            super("the kernel's C is unavailable: " + reason);
        }
    }

    private static boolean loaded;

    /** Loads the library, building it first unless {@code -Dpfnmap.kernelc} names one. */
    public static synchronized void load() {
        if (loaded) {
            return;
        }
        String lib = System.getProperty("pfnmap.kernelc");
        System.load(lib != null ? Path.of(lib).toAbsolutePath().toString() : build().toString());
        loaded = true;
    }

    /** The project root: {@code -Dpfnmap.root}, else the nearest directory up from here holding the build script. */
    static Path root() {
        String p = System.getProperty("pfnmap.root");
        if (p != null) {
            return Path.of(p).toAbsolutePath();
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(script(d))) {
                return d;
            }
        }
        throw new Unavailable("cannot find the project root (benchmarks/src/main/c/build-kernel-c.sh above "
                + Path.of("").toAbsolutePath() + "); run from the repository or pass -Dpfnmap.root=DIR");
    }

    private static Path script(Path root) {
        return root.resolve("benchmarks/src/main/c/build-kernel-c.sh");
    }

    /** Runs build-kernel-c.sh: the library's path. */
    public static Path build() {
        Path root = root();
        ProcessBuilder pb = new ProcessBuilder(script(root).toString(),
                root.resolve("benchmarks/target/kernel-c").toString());
        pb.environment().putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
        try {
            Path err = Files.createTempFile("pfnmap-kernel-c", ".err");
            pb.redirectError(err.toFile());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            boolean done = p.waitFor(900, TimeUnit.SECONDS);
            String stderr = Files.readString(err, StandardCharsets.UTF_8).strip();
            Files.deleteIfExists(err);
            if (!done) {
                p.destroyForcibly();
                throw new IllegalStateException("build-kernel-c.sh did not finish in 900 s");
            }
            if (p.exitValue() == 77) {
                throw new Unavailable(out.replaceFirst("^SKIP: ", ""));
            }
            if (p.exitValue() != 0) {
                List<String> l = stderr.lines().toList();
                throw new IllegalStateException("build-kernel-c.sh failed (exit " + p.exitValue() + "): "
                        + (l.isEmpty() ? out : l.get(l.size() - 1)));
            }
            return Path.of(out.lines().reduce((a, b) -> b).orElseThrow());
        } catch (IOException e) {
            throw new Unavailable("cannot run " + script(root) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the kernel's C", e);
        }
    }

    /** Links the space's VMAs into the kernel's maple tree, as the kernel-tree harness does (vma_link). */
    public static void space(AddressSpace as) {
        MmConfig c = as.config();
        long[] mm = {c.arch() == Search.Kind.X86_64 ? 0 : 1, c.pageSize(), c.pmdSize(), c.taskSize(), c.taskSizeMax(),
            c.defaultMapWindow(), c.mmapBase(), c.legacyBase(), c.mmapMinAddr(), c.dacMmapMinAddr(),
            c.stackGuardGap(), c.topdown() ? 1 : 0, c.thp() ? 1 : 0, c.capSysRawio() ? 1 : 0, c.shmemHugeSize()};
        List<Vma> v = as.vmas();
        long[] starts = new long[v.size()];
        long[] ends = new long[v.size()];
        int[] flags = new int[v.size()];
        for (int i = 0; i < v.size(); i++) {
            starts[i] = v.get(i).start();
            ends[i] = v.get(i).end();
            flags[i] = (v.get(i).flags().contains(VmaFlag.GROWSDOWN) ? 1 : 0)
                    + (v.get(i).flags().contains(VmaFlag.GROWSUP) ? 2 : 0)
                    + (v.get(i).flags().contains(VmaFlag.SHADOW_STACK) ? 4 : 0);
        }
        space(mm, starts, ends, flags);
    }

    private static native void space(long[] mm, long[] starts, long[] ends, int[] flags);

    /** {@code vm_unmapped_area} {@code reps} times over the space of {@link #space}; the last answer. */
    public static native long vmUnmappedArea(int reps, boolean topdown, long length, long low, long high, long mask,
            long offset, long gap);

    /** {@code __thp_get_unmapped_area} (a THP-capable file) {@code reps} times; the last answer. */
    public static native long thpAligned(int reps, long addr, long len, long off, long flags, long size);
}
