package io.pfnmap.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.infra.Blackhole;
import java.util.concurrent.TimeUnit;

/**
 * The machine's yardstick for the regression gate: JMH's {@link Blackhole#consumeCPU}, a fixed
 * amount of work that none of this project's code touches. {@link Gate} divides each
 * benchmark's time by this one's, so that the committed figures hold on a faster or slower
 * machine than the one they were measured on.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Calibration {
    /** About as long as one indexed search at 64 VMAs on the machine of the committed figures. */
    public static final long TOKENS = 256;

    @Benchmark
    public void consumeCpu() {
        Blackhole.consumeCPU(TOKENS);
    }
}
