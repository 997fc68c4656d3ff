package io.pfnmap.benchmarks;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The model against the kernel's C in one run: builds the kernel's searches ({@link KernelC}),
 * runs {@link YardstickBenchmark} (JMH: its annotations' forks and iterations, about 2 minutes;
 * {@code --quick}: 1 fork of 2 x 0.5 s warm-up and 3 x 0.5 s, about 40 s) and prints, per search
 * and space size, the two mean times and the model's time over the kernel's.
 * {@code java -cp benchmarks/target/benchmarks.jar io.pfnmap.benchmarks.Yardstick [--quick]}.
 */
public final class Yardstick {
    private Yardstick() {
    }

    public static void main(String[] args) throws RunnerException {
        boolean quick = args.length == 1 && args[0].equals("--quick");
        if (args.length > 1 || args.length == 1 && !quick) {
            System.err.println("usage: Yardstick [--quick]");
            System.exit(2);
        }
        Path lib;
        try {
            lib = KernelC.build();
        } catch (RuntimeException e) {
            System.err.println("yardstick: " + e.getMessage());
            System.exit(1);
            return;
        }
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include(YardstickBenchmark.class.getName())
                .jvmArgsAppend("-Dpfnmap.kernelc=" + lib)
                .addProfiler(CpuTimeProfiler.class);
        if (quick) {
            o.forks(1).warmupIterations(2).warmupTime(TimeValue.milliseconds(500))
                    .measurementIterations(3).measurementTime(TimeValue.milliseconds(500));
        }
        Collection<RunResult> results = new Runner(o.build()).run();
        System.out.print(table(results));
        // a trial that failed (its fork's error is printed above) has no row: say so, and fail
        int expected = 3 * 2 * 2;
        if (results.size() != expected) {
            System.err.println("yardstick: " + results.size() + " of " + expected + " trials ran; see the errors above");
            System.exit(1);
        }
    }

    /**
     * Markdown: search, VMAs, then for the model and the kernel's C the mean wall-clock ns (JMH's
     * score and error) and the CPU ns ({@link CpuTimeProfiler}, mean over iterations), and both
     * ratios. On a shared machine the CPU ratio is the steadier one: another process that takes
     * the core stretches wall-clock time, not CPU time.
     */
    static String table(Collection<RunResult> results) {
        Map<String, double[]> rows = new TreeMap<>();
        for (RunResult r : results) {
            String bench = r.getParams().getBenchmark();
            bench = bench.substring(bench.lastIndexOf('.') + 1);
            int vmas = Integer.parseInt(r.getParams().getParam("vmas"));
            String key = String.format(Locale.ROOT, "%s %08d", bench, vmas);
            double[] row = rows.computeIfAbsent(key, k -> new double[6]);
            int at = r.getParams().getParam("impl").equals("model") ? 0 : 3;
            row[at] = r.getPrimaryResult().getScore();
            row[at + 1] = r.getPrimaryResult().getScoreError();
            Result<?> cpu = r.getSecondaryResults().get(CpuTimeProfiler.CPU);
            row[at + 2] = cpu == null ? Double.NaN : cpu.getScore();
        }
        StringBuilder b = new StringBuilder("\n| search | VMAs | model, ns (CPU) | kernel C, ns (CPU) | model / kernel,"
                + " wall (CPU) |\n|---|---|---|---|---|\n");
        for (Map.Entry<String, double[]> e : rows.entrySet()) {
            String[] k = e.getKey().split(" ");
            double[] v = e.getValue();
            b.append(String.format(Locale.ROOT, "| %s | %,d | %.1f +-%.1f (%.1f) | %.1f +-%.1f (%.1f) | %.2f (%.2f) |%n",
                    k[0], Integer.parseInt(k[1]), v[0], v[1], v[2], v[3], v[4], v[5], v[0] / v[3], v[2] / v[5]));
        }
        return b.toString();
    }
}
