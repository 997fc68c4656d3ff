package io.pfnmap.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A seeded regression for the gate (not a measurement): {@code unmapped_area_topdown} made three
 * times slower by searching three times per call. {@link Gate} compares it with
 * {@link GapSearchBenchmark#unmappedAreaTopdown}'s committed figure and must fail on it;
 * RegressionGateTest checks that it does, so the gate is shown able to fail.
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

    @Setup(Level.Trial)
    public void setup() {
        real = new GapSearchBenchmark();
        real.vmas = vmas;
        real.search = search;
        real.setup();
    }

    /** {@link #SLOWDOWN} searches (their sum, so that none is dropped) where the real benchmark makes one. */
    @Benchmark
    public long unmappedAreaTopdown() {
        long r = 0;
        for (int i = 0; i < SLOWDOWN; i++) {
            r += real.unmappedAreaTopdown();
        }
        return r;
    }
}
