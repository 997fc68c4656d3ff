package io.pfnmap.benchmarks;

import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The benchmarks' smoke mode: every benchmark at the smallest and the largest space, with and
 * without the index, one 200 ms iteration each, no warm-up, in this JVM: it shows that they run
 * (about 15 s), not how fast. {@code java -cp benchmarks/target/benchmarks.jar
 * io.pfnmap.benchmarks.Smoke}; BenchmarksSmokeTest runs it in the build.
 */
public final class Smoke {
    private Smoke() {
    }

    public static Options options() {
        return new OptionsBuilder()
                .include(GapSearchBenchmark.class.getName())
                .param("vmas", "64", "65530")
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(200))
                .timeUnit(TimeUnit.NANOSECONDS)
                .forks(0)
                .build();
    }

    public static Collection<RunResult> run() throws RunnerException {
        return new Runner(options()).run();
    }

    public static void main(String[] args) throws RunnerException {
        run();
    }
}
