package io.pfnmap.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Seeded regressions for the gate (not measurements): {@code unmapped_area_topdown} and a
 * session edit (gated at 65,530 VMAs only, {@link Gate#SEEDS} says why) made three times slower by doing the work three times per call. {@link Gate}
 * compares each with the committed figure of the benchmark of the same method name ({@link
 * GapSearchBenchmark#unmappedAreaTopdown}, {@link SpaceEditBenchmark#mapAndUnmap}) and must fail
 * on it; RegressionGateTest checks that it does, so the gate is shown able to fail for a search
 * and for an edit, each measured its own way ({@link Gate#SEEDS}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GateSeed {
    /** How many times slower the seed is. */
    public static final int SLOWDOWN = 3;

    @Param({"64", "65530"})
    public int vmas;

    @Param({"index"})
    public String search;

    GapSearchBenchmark real;
    SpaceEditBenchmark edit;

    /** Only the state of the benchmark run: the other's spaces at 65,530 VMAs would add to the gate's time. */
    @Setup(Level.Trial)
    public void setup(BenchmarkParams params) {
        if (params.getBenchmark().endsWith(".mapAndUnmap")) {
            edit = new SpaceEditBenchmark();
            edit.vmas = vmas;
            edit.setup();
        } else {
            real = new GapSearchBenchmark();
            real.vmas = vmas;
            real.search = search;
            real.setup();
        }
    }

    /** {@code work} {@link #SLOWDOWN} times where the real benchmark does it once (the answers summed, so that none is dropped). */
    private static long slowed(LongSupplier work) {
        long r = 0;
        for (int i = 0; i < SLOWDOWN; i++) {
            r += work.getAsLong();
        }
        return r;
    }

    /** {@link #SLOWDOWN} searches. */
    @Benchmark
    public long unmappedAreaTopdown() {
        return slowed(real::unmappedAreaTopdown);
    }

    /** {@link #SLOWDOWN} edits' pairs. */
    @Benchmark
    public long mapAndUnmap() {
        return slowed(edit::mapAndUnmap);
    }
}
