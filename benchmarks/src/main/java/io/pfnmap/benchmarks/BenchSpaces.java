package io.pfnmap.benchmarks;

import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.MmConfig;
import io.pfnmap.mm.Vma;
import io.pfnmap.mm.VmaFlag;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The address spaces the search benchmarks share ({@link GapSearchBenchmark}, {@link
 * YardstickBenchmark}, {@link SpaceEditBenchmark}), so that the model and the kernel's C, and the
 * gate's figures, are measured on the same ones. Each makes the search skip every VMA: {@code
 * n - 1} one-page VMAs with one-page holes between them lie where the search starts (just below
 * mmap_base top-down, just above the legacy base bottom-up) and the free area lies past them, so
 * a request of two pages or more fits none of the holes. The JMH settings they share (one fork,
 * 3 + 5 iterations of a second, ns per operation) are on this class, which JMH reads for its
 * subclasses.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xss8m", "-Xmx2g"})
public abstract class BenchSpaces {
    static final long PAGE = 4096;
    /** A plain request: two pages, which no one-page hole holds. */
    static final long LEN = 2 * PAGE;

    AddressSpace topdown;
    AddressSpace bottomUp;

    /** Both spaces at {@code n} VMAs. */
    void spaces(int n) {
        topdown = topdownSpace(n);
        bottomUp = bottomUpSpace(n);
    }

    /** x86_64, top-down: a stack at the top, the other VMAs packed below mmap_base. */
    public static AddressSpace topdownSpace(int n) {
        MmConfig c = MmConfig.x86_64();
        List<Vma> v = new ArrayList<>();
        long base = c.mmapBase() - c.mmapBase() % PAGE;
        for (int j = n - 2; j >= 0; j--) {
            v.add(Vma.of(base - (2L * j + 2) * PAGE, base - (2L * j + 1) * PAGE));
        }
        v.add(stack(c));
        return AddressSpace.of(c, v);
    }

    /** x86_64, legacy layout (bottom-up): the VMAs packed above the legacy base, a stack at the top. */
    public static AddressSpace bottomUpSpace(int n) {
        MmConfig c = MmConfig.x86_64().withTopdown(false);
        List<Vma> v = new ArrayList<>();
        long base = c.legacyBase() + (PAGE - c.legacyBase() % PAGE) % PAGE; // rounded up to a page
        for (int j = 0; j < n - 1; j++) {
            v.add(Vma.of(base + (2L * j + 1) * PAGE, base + (2L * j + 2) * PAGE));
        }
        v.add(stack(c));
        return AddressSpace.of(c, v);
    }

    private static Vma stack(MmConfig c) {
        long top = c.defaultMapWindow() - c.defaultMapWindow() % PAGE;
        return Vma.of(top - 33 * PAGE, top, VmaFlag.GROWSDOWN);
    }
}
