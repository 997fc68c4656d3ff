package io.pfnmap.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time per operation, next to JMH's wall-clock time: the fork's process CPU time over each
 * iteration divided by its operations ({@value #CPU}). Why: on a shared machine another process
 * that takes the core stretches the wall-clock time of an iteration but not the CPU time the
 * benchmark spent, so the regression gate ({@link Gate}) compares this figure. The fork is one
 * benchmark thread; after warm-up the JIT's and GC's threads add little.
 */
public final class CpuTimeProfiler implements InternalProfiler {
    /** The secondary result's name. */
    public static final String CPU = "cpu.ns/op";

    private long start;

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    @Override
    public String getDescription() {
        return "process CPU time per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        start = cpu();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
            IterationResult result) {
        long ns = cpu() - start;
        long ops = Math.max(1, result.getMetadata().getMeasuredOps());
        return List.of(new ScalarResult(CPU, (double) ns / ops, "ns/op", AggregationPolicy.AVG));
    }
}
