package io.pfnmap.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The benchmarks' regression gate: every indexed search of {@link GapSearchBenchmark} at 64 and
 * 65,530 VMAs, measured by JMH in {@value #FORKS} short forks of {@value #ITERATIONS} iterations,
 * against the figures committed in {@code baseline.txt} (this package's resource). It fails when
 * a benchmark is more than {@value #LIMIT} times slower than its committed figure.
 *
 * <p>What is compared, and why it holds on a noisy shared 2-core machine:
 * <ul>
 * <li>CPU time per operation ({@link CpuTimeProfiler}), not wall-clock time: another process that
 * takes the core stretches an iteration's wall-clock time, not the CPU time spent in it;
 * <li>in each fork its fastest iteration (interference only adds time), then the median of the
 * forks (the JIT's choices differ from fork to fork; one odd fork does not move a median of three);
 * <li>divided by {@link Calibration}'s figure in the same run, so that a faster or slower machine
 * than the one of the committed figures moves both alike;
 * <li>a benchmark over the limit is measured again, up to {@link #RETRIES} times, and its fastest
 * attempt counts: a real regression stays over the limit, a disturbed run seldom does three times;
 * the committed figure is the median of {@link #RECORD_RUNS} runs ({@link #record}).
 * </ul>
 * On the machine of the figures (2 vCPUs, load average 10 to 17 from other builds and proofs),
 * one run's figures moved up to 2 times from the next; the fastest of three, about 1.5 times.
 * {@link GateSeed} (a search made three times slower) must fail; RegressionGateTest checks that it
 * does. So a regression of 3 times fails on this machine even under load, noise does not, and one
 * between 2 and 3 times fails when the machine is quiet but may pass under load.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.pfnmap.benchmarks.Gate [--record FILE]}:
 * measures, prints what it compared and exits 1 on a regression; {@code --record} writes the
 * median figures of {@value #RECORD_RUNS} runs as a new baseline instead (about 5 minutes).
 */
public final class Gate {
    private Gate() {
    }

    public static final double LIMIT = 2.0;
    public static final int FORKS = 3;
    public static final int ITERATIONS = 5;
    /** Re-measurements of the benchmarks over the limit before the gate fails. */
    public static final int RETRIES = 2;
    /** Runs whose median --record commits. */
    public static final int RECORD_RUNS = 3;
    static final String CALIBRATION = "Calibration.consumeCpu";
    static final String BASELINE = "baseline.txt";

    /** One benchmark's figures in a run: CPU and wall-clock ns per operation, CPU relative to the calibration. */
    public static final class Figure {
        public final double cpu;
        public final double wall;
        public final double relative;

        Figure(double cpu, double wall, double relative) {
            this.cpu = cpu;
            this.wall = wall;
            this.relative = relative;
        }
    }

    private static String regex(Class<?> c, String method) {
        return "^" + c.getName().replace(".", "\\.") + "\\." + method + "$";
    }

    /** The JMH run of {@code includes} (regexps) and the calibration, at {@code vmas}, with the index. */
    public static Options options(List<String> includes, String... vmas) {
        OptionsBuilder o = new OptionsBuilder();
        o.include(regex(Calibration.class, "consumeCpu"));
        for (String e : includes) {
            o.include(e);
        }
        return o.param("vmas", vmas)
                .param("search", "index")
                .forks(FORKS)
                .warmupIterations(3)
                .warmupTime(TimeValue.milliseconds(100))
                .measurementIterations(ITERATIONS)
                .measurementTime(TimeValue.milliseconds(100))
                .timeUnit(TimeUnit.NANOSECONDS)
                .addProfiler(CpuTimeProfiler.class)
                .build();
    }

    /** The gated benchmarks, and {@code extra} (regexps, such as the seed's). */
    static List<String> gated(String... extra) {
        List<String> l = new ArrayList<>();
        l.add("^" + GapSearchBenchmark.class.getName().replace(".", "\\.") + "\\.");
        l.addAll(Arrays.asList(extra));
        return l;
    }

    /**
     * Each benchmark's figures in a run, key {@code Class.method@vmas} (the calibration without
     * {@code @}): each fork's fastest iteration (interference only adds time), the forks' median.
     */
    public static Map<String, Figure> figures(Collection<RunResult> results) {
        Map<String, double[]> raw = new TreeMap<>();
        for (RunResult r : results) {
            List<Double> cpu = new ArrayList<>();
            List<Double> wall = new ArrayList<>();
            for (BenchmarkResult fork : r.getBenchmarkResults()) {
                double c = Double.MAX_VALUE;
                double w = Double.MAX_VALUE;
                for (IterationResult it : fork.getIterationResults()) {
                    w = Math.min(w, it.getPrimaryResult().getScore());
                    c = Math.min(c, it.getSecondaryResults().get(CpuTimeProfiler.CPU).getScore());
                }
                cpu.add(c);
                wall.add(w);
            }
            raw.put(key(r), new double[] {median(cpu), median(wall)});
        }
        double[] cal = raw.get(CALIBRATION);
        if (cal == null) {
            throw new IllegalStateException("the run has no " + CALIBRATION);
        }
        Map<String, Figure> m = new TreeMap<>();
        for (Map.Entry<String, double[]> e : raw.entrySet()) {
            m.put(e.getKey(), new Figure(e.getValue()[0], e.getValue()[1], e.getValue()[0] / cal[0]));
        }
        return m;
    }

    static String key(RunResult r) {
        String b = r.getParams().getBenchmark();
        String[] parts = b.split("\\.");
        String name = parts[parts.length - 2] + "." + parts[parts.length - 1];
        String vmas = r.getParams().getParam("vmas");
        return vmas == null ? name : name + "@" + vmas;
    }

    static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    static Map<String, Figure> run(List<String> includes, String... vmas) throws RunnerException {
        return figures(new Runner(options(includes, vmas)).run());
    }

    /** A seed is compared with the committed figure of the search it slows. */
    static String baseKey(String key) {
        return key.startsWith("GateSeed.") ? "GapSearchBenchmark." + key.substring("GateSeed.".length()) : key;
    }

    /**
     * The gate: measures the gated benchmarks and {@code extra}; re-measures those over the limit
     * up to {@link #RETRIES} times (a real regression stays over it, a disturbed run seldom does
     * twice), keeping each benchmark's fastest attempt; compares with {@code baseline}.
     */
    public static Verdict gate(Map<String, Double> baseline, String... extra) throws RunnerException {
        Map<String, Figure> best = new TreeMap<>(run(gated(extra), "64", "65530"));
        best.remove(CALIBRATION);
        List<String> notes = new ArrayList<>();
        for (int attempt = 1; attempt <= RETRIES; attempt++) {
            List<String> over = new ArrayList<>();
            for (Map.Entry<String, Figure> e : best.entrySet()) {
                Double base = baseline.get(baseKey(e.getKey()));
                if (base != null && e.getValue().relative / base > LIMIT) {
                    over.add(e.getKey());
                }
            }
            if (over.isEmpty()) {
                break;
            }
            notes.add("gate: over the limit, measured again (attempt " + (attempt + 1) + "): " + String.join(", ", over));
            List<String> includes = new ArrayList<>();
            List<String> vmas = new ArrayList<>();
            for (String k : over) {
                String[] kv = k.split("@");
                String[] cm = kv[0].split("\\.");
                includes.add(regex(cm[0].equals("GateSeed") ? GateSeed.class : GapSearchBenchmark.class, cm[1]));
                if (!vmas.contains(kv[1])) {
                    vmas.add(kv[1]);
                }
            }
            for (Map.Entry<String, Figure> e : run(includes, vmas.toArray(new String[0])).entrySet()) {
                Figure old = best.get(e.getKey());
                if (old != null && e.getValue().relative < old.relative) {
                    best.put(e.getKey(), e.getValue());
                }
            }
        }
        Verdict v = compare(best, baseline);
        v.lines.addAll(0, notes);
        return v;
    }

    /** The committed figures: key to CPU time relative to the calibration. */
    public static Map<String, Double> baseline() throws IOException {
        try (InputStream in = Gate.class.getResourceAsStream(BASELINE)) {
            if (in == null) {
                throw new IOException("no " + BASELINE + " next to " + Gate.class.getName());
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** baseline.txt: {@code KEY RELATIVE CPU_NS WALL_NS} a line ({@code #} comments); only RELATIVE is compared. */
    static Map<String, Double> parse(String text) throws IOException {
        Map<String, Double> m = new LinkedHashMap<>();
        int n = 0;
        for (String line : text.split("\n")) {
            n++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] f = l.split("\\s+");
            try {
                double rel = Double.parseDouble(f[1]);
                if (f.length != 4 || !(rel > 0)) {
                    throw new NumberFormatException();
                }
                m.put(f[0], rel);
            } catch (RuntimeException e) {
                throw new IOException(BASELINE + " line " + n + ": expected KEY RELATIVE CPU_NS WALL_NS with RELATIVE > 0, got: " + l);
            }
        }
        return m;
    }

    /** The outcome: the lines to print and the keys that regressed. */
    public static final class Verdict {
        public final List<String> lines = new ArrayList<>();
        public final List<String> regressed = new ArrayList<>();
        public final List<String> missing = new ArrayList<>();

        public boolean passed() {
            return regressed.isEmpty() && missing.isEmpty();
        }
    }

    /**
     * Compares a run with the baseline. A benchmark of class {@code GateSeed} is compared with the
     * baseline of the same method of GapSearchBenchmark (it is that search, slowed). Every key of
     * the baseline must have been measured.
     */
    public static Verdict compare(Map<String, Figure> run, Map<String, Double> baseline) {
        Verdict v = new Verdict();
        v.lines.add(String.format(Locale.ROOT, "gate: CPU time per operation over %s's, against the committed figure;"
                + " limit %.1fx; each the median of %d forks of the fastest of %d iterations, the fastest of up to %d"
                + " attempts", CALIBRATION, LIMIT, FORKS, ITERATIONS, RETRIES + 1));
        v.lines.add(String.format(Locale.ROOT, "%-46s %10s %10s %10s %10s %8s  %s", "benchmark@vmas", "cpu ns/op",
                "wall ns/op", "relative", "committed", "ratio", "verdict"));
        for (Map.Entry<String, Figure> e : run.entrySet()) {
            String key = e.getKey();
            if (key.equals(CALIBRATION)) {
                continue;
            }
            Double base = baseline.get(baseKey(key));
            double rel = e.getValue().relative;
            String verdict;
            double ratio = Double.NaN;
            if (base == null) {
                verdict = "no committed figure (not gated)";
            } else {
                ratio = rel / base;
                verdict = ratio > LIMIT ? "REGRESSION (more than " + LIMIT + "x slower)" : "ok";
                if (ratio > LIMIT) {
                    v.regressed.add(key);
                } else if (ratio < 1 / LIMIT) {
                    verdict = "ok (more than " + LIMIT + "x faster: record a new baseline)";
                }
            }
            v.lines.add(String.format(Locale.ROOT, "%-46s %10.1f %10.1f %10.3f %10s %8s  %s", key, e.getValue().cpu,
                    e.getValue().wall, rel, base == null ? "-" : String.format(Locale.ROOT, "%.3f", base),
                    Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2fx", ratio), verdict));
        }
        for (String k : baseline.keySet()) {
            if (!run.containsKey(k)) {
                v.missing.add(k);
                v.lines.add("gate: " + k + " has a committed figure but was not measured");
            }
        }
        return v;
    }

    /**
     * The baseline file's text: each benchmark's median figure over {@code runs}. Not the
     * fastest: other processes slow the model's searches more than the calibration (the fastest
     * of three recordings left a quiet run at 0.9 to 1.3 times it and a loaded one at 1.3 to 1.75,
     * too near the limit), and the median puts the limit as far above a loaded run as the seed
     * (3 times slower, the fastest of its attempts) is above it.
     */
    public static String record(List<Map<String, Figure>> runs) {
        StringBuilder b = new StringBuilder();
        b.append("# The regression gate's committed figures (Gate, RegressionGateTest): KEY RELATIVE CPU_NS WALL_NS,\n")
                .append("# each the median of " + runs.size() + " runs. RELATIVE (CPU time over " + CALIBRATION + "'s) is compared;\n")
                .append("# the ns are for reading. Re-record: java -cp benchmarks/target/benchmarks.jar"
                        + " io.pfnmap.benchmarks.Gate --record FILE\n");
        for (String k : runs.get(0).keySet()) {
            if (k.equals(CALIBRATION) || k.startsWith("GateSeed.")) {
                continue;
            }
            List<Double> rel = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            List<Double> wall = new ArrayList<>();
            for (Map<String, Figure> r : runs) {
                rel.add(r.get(k).relative);
                cpu.add(r.get(k).cpu);
                wall.add(r.get(k).wall);
            }
            b.append(String.format(Locale.ROOT, "%s %.4f %.1f %.1f%n", k, median(rel), median(cpu), median(wall)));
        }
        return b.toString();
    }

    public static void main(String[] args) throws RunnerException, IOException {
        Path record = null;
        if (args.length == 2 && args[0].equals("--record")) {
            record = Path.of(args[1]);
        } else if (args.length != 0) {
            System.err.println("usage: Gate [--record FILE]");
            System.exit(2);
        }
        if (record != null) {
            List<Map<String, Figure>> runs = new ArrayList<>();
            for (int i = 0; i < RECORD_RUNS; i++) {
                runs.add(run(gated(), "64", "65530"));
            }
            Files.writeString(record, record(runs));
            System.out.println("gate: wrote " + record);
            return;
        }
        Verdict v = gate(baseline());
        v.lines.forEach(System.out::println);
        if (!v.passed()) {
            System.out.println("gate: FAILED: " + String.join(", ", v.regressed) + (v.missing.isEmpty() ? ""
                    : " (not measured: " + String.join(", ", v.missing) + ")"));
            System.exit(1);
        }
        System.out.println("gate: passed");
    }
}
