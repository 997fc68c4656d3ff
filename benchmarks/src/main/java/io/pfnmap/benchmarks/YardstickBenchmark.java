package io.pfnmap.benchmarks;

import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.Mmap;
import io.pfnmap.mm.core.MapFlags;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The model against the kernel's own C (issue 23's yardstick): the same searches with the same
 * arguments over the same spaces as {@link GapSearchBenchmark} ({@link BenchSpaces}, at 64 and
 * 65,530 VMAs), through the model's public API ({@code impl=model}, with the gap index) and through
 * Linux 6.12's {@code unmapped_area}/{@code unmapped_area_topdown}/{@code __thp_get_unmapped_area}
 * over the kernel's maple tree ({@code mas_empty_area[_rev]}), compiled in userspace
 * ({@link KernelC}, {@code impl=kernel}). Each invocation makes {@link #BATCH} searches on both
 * sides, so that a JNI call's cost (tens of nanoseconds) is spread as JMH's own loop is. Before
 * measuring, the trial checks that both give the same answer. {@link Yardstick} runs it and
 * prints the ratio per size.
 */
public class YardstickBenchmark extends BenchSpaces {
    /** Searches per invocation, on both sides. */
    public static final int BATCH = 100;

    @Param({"64", "65530"})
    public int vmas;

    /** "model": the Java model with its gap index; "kernel": the kernel's C. */
    @Param({"model", "kernel"})
    public String impl;

    static final long HUGE = 2L << 20;
    static final long ANON = MapFlags.MAP_PRIVATE | MapFlags.MAP_ANONYMOUS;

    boolean kernel;

    @Setup(Level.Trial)
    public void setup(BenchmarkParams params) {
        spaces(vmas);
        if (!impl.equals("model") && !impl.equals("kernel")) {
            throw new IllegalArgumentException("impl must be model or kernel: " + impl);
        }
        kernel = impl.equals("kernel");
        if (kernel) {
            String name = params.getBenchmark();
            enter(name.substring(name.lastIndexOf('.') + 1));
        }
    }

    /** Links the benchmark's space into the kernel's tree and checks that the kernel answers as the model. */
    void enter(String benchmark) {
        KernelC.load();
        boolean bottom = benchmark.equals("unmappedArea");
        KernelC.space(bottom ? bottomUp : topdown);
        kernel = false;
        long model = run(benchmark, 1);
        kernel = true;
        long c = run(benchmark, 1);
        if (c != model) {
            throw new IllegalStateException(benchmark + " at " + vmas + " VMAs: the kernel's C answers 0x"
                    + Long.toHexString(c) + ", the model 0x" + Long.toHexString(model)
                    + " (the yardstick would not measure the same search)");
        }
    }

    /** One benchmark by name, {@code reps} searches. */
    long run(String benchmark, int reps) {
        switch (benchmark) {
            case "unmappedArea": return unmappedArea(reps);
            case "unmappedAreaTopdown": return unmappedAreaTopdown(reps);
            case "thpAligned": return thpAligned(reps);
            default: throw new IllegalArgumentException("no benchmark " + benchmark);
        }
    }

    long unmappedArea(int reps) {
        return vmUnmappedArea(reps, bottomUp, false, bottomUp.config().legacyBase(), bottomUp.config().taskSize());
    }

    long unmappedAreaTopdown(int reps) {
        return vmUnmappedArea(reps, topdown, true, PAGE, topdown.config().mmapBase());
    }

    /** {@code reps} plain searches of {@link #LEN} in [low, high) of {@code space}, by the kernel's C or the model. */
    private long vmUnmappedArea(int reps, AddressSpace space, boolean topdownSearch, long low, long high) {
        if (kernel) {
            return KernelC.vmUnmappedArea(reps, topdownSearch, LEN, low, high, 0, 0, 0);
        }
        long r = 0;
        for (int i = 0; i < reps; i++) {
            r = Mmap.vmUnmappedArea(space, topdownSearch, LEN, low, high, 0, 0, 0).value();
        }
        return r;
    }

    long thpAligned(int reps) {
        if (kernel) {
            return KernelC.thpAligned(reps, 0, HUGE, 0, ANON, HUGE);
        }
        long r = 0;
        for (int i = 0; i < reps; i++) {
            r = Mmap.getUnmappedAreaAligned(topdown, 0, HUGE, 0, ANON, HUGE);
        }
        return r;
    }

    /** {@code unmapped_area} (bottom-up, from the legacy base): {@code vm_unmapped_area} without TOPDOWN. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long unmappedArea() {
        return unmappedArea(BATCH);
    }

    /** {@code unmapped_area_topdown} below mmap_base. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long unmappedAreaTopdown() {
        return unmappedAreaTopdown(BATCH);
    }

    /** {@code __thp_get_unmapped_area}: 2 MiB, PMD-aligned, top-down. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long thpAligned() {
        return thpAligned(BATCH);
    }
}
