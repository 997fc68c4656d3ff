package io.pfnmap.benchmarks;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
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
                .jvmArgsAppend("-Dpfnmap.kernelc=" + lib);
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

    /** Markdown: search, VMAs, model ns, kernel C ns, model / kernel. */
    static String table(Collection<RunResult> results) {
        Map<String, double[]> rows = new TreeMap<>();
        for (RunResult r : results) {
            String bench = r.getParams().getBenchmark();
            bench = bench.substring(bench.lastIndexOf('.') + 1);
            int vmas = Integer.parseInt(r.getParams().getParam("vmas"));
            String key = String.format(Locale.ROOT, "%s %08d", bench, vmas);
            double[] row = rows.computeIfAbsent(key, k -> new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN});
            int at = r.getParams().getParam("impl").equals("model") ? 0 : 2;
            row[at] = r.getPrimaryResult().getScore();
            row[at + 1] = r.getPrimaryResult().getScoreError();
        }
        StringBuilder b = new StringBuilder("\n| search | VMAs | model, ns | kernel C, ns | model / kernel |\n|---|---|---|---|---|\n");
        for (Map.Entry<String, double[]> e : rows.entrySet()) {
            String[] k = e.getKey().split(" ");
            double[] v = e.getValue();
            b.append(String.format(Locale.ROOT, "| %s | %,d | %.1f (+-%.1f) | %.1f (+-%.1f) | %.2f |%n", k[0],
                    Integer.parseInt(k[1]), v[0], v[1], v[2], v[3], v[0] / v[2]));
        }
        return b.toString();
    }
}
