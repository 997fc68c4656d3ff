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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The benchmarks' regression gate: every indexed search of {@link GapSearchBenchmark}, a session
 * edit ({@link SpaceEditBenchmark#mapAndUnmap}) at 64 and 65,530 VMAs and the oracle's protocol
 * lines ({@link OracleLinesBenchmark#serve}, DISTINCT and REPLAY), measured by JMH in short forks
 * ({@link #GATED}), against the figures committed in {@code baseline.txt} (this package's
 * resource). It fails when a benchmark is more than {@value #LIMIT} times slower than its
 * committed figure.
 *
 * <p>What is compared, and why it holds on a noisy shared 2-core machine:
 * <ul>
 * <li>CPU time per operation ({@link CpuTimeProfiler}), not wall-clock time: another process that
 * takes the core stretches an iteration's wall-clock time, not the CPU time spent in it;
 * <li>in each fork its fastest iteration (interference only adds time), then the median of the
 * forks (the JIT's choices differ from fork to fork);
 * <li>divided by {@link Calibration}'s figure measured first in the same pass, so that a faster or slower
 * machine than the one of the committed figures moves both alike;
 * <li>a benchmark over the limit is measured again, up to {@link #RETRIES} times, and its fastest
 * attempt counts: a real regression stays over the limit, a disturbed run seldom does three times;
 * the committed figure is the median of {@link #RECORD_RUNS} runs ({@link #record}).
 * </ul>
 * {@link GateSeed} (a search and an edit made three times slower) must fail; RegressionGateTest
 * checks that it does. So a regression of 3 times fails on this machine even under load, noise
 * does not, and one between 2 and 3 times fails when the machine is quiet but may pass under load.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.pfnmap.benchmarks.Gate [--record FILE]}:
 * measures, prints what it compared and exits 1 on a regression; {@code --record} writes the
 * median figures of {@value #RECORD_RUNS} runs as a new baseline instead.
 */
public final class Gate {
    private Gate() {
    }

    public static final double LIMIT = 2.0;
    /** Re-measurements of the benchmarks over the limit before the gate fails. */
    public static final int RETRIES = 2;
    /** Runs whose median --record commits. */
    public static final int RECORD_RUNS = 3;
    static final String CALIBRATION = "Calibration.consumeCpu";
    static final String BASELINE = "baseline.txt";

    /** One benchmark's figures in a run: CPU and wall-clock ns per operation, CPU relative to the calibration. */
    public record Figure(double cpu, double wall, double relative) {
    }

    /**
     * How a group of benchmarks is measured: one JMH run of {@code forks} forks, {@code warmups}
     * and then {@code iterations} iterations of {@code ms} each, the forks started with
     * BenchDefaults' heap and stack and {@code jvm}.
     */
    public record Runs(String name, int forks, int warmups, int iterations, int ms, String... jvm) {
        String describe() {
            return String.format(Locale.ROOT, "%s: the median of %d forks of the fastest of %d x %d ms (after %d)%s",
                    name, forks, iterations, ms, warmups, jvm.length == 0 ? "" : ", " + String.join(" ", jvm));
        }
    }

    /** The searches: steady after a few hundred ms of warm-up. */
    static final Runs SEARCH_RUNS = new Runs("searches", 3, 3, 5, 100);
    /**
     * The edits and the oracle's lines: their code (the splice, the JSON reader) is compiled in
     * seconds, not in the searches' 300 ms, and they allocate. {@code -Xbatch}: a method is
     * compiled when it is due, so on a loaded machine the starved compiler threads do not leave
     * the warm-up interpreted. The serial collector with a 32 MiB young generation: under G1 the
     * edits ran 30 times slower for seconds at a time with neither a collection nor a compilation
     * in those iterations, which a small young generation, used again and again, ends.
     */
    static final Runs EDIT_RUNS = new Runs("edits and lines", 2, 8, 5, 200, "-XX:+UseSerialGC", "-Xmn32m", "-Xbatch");

    /**
     * A gated benchmark: {@code method} of {@code bench} (every method when null) at each of
     * {@code values} of its parameter {@code param}, measured as {@code runs} says.
     */
    public record Gated(Runs runs, Class<?> bench, String method, String param, String... values) {
        String regex() {
            return "^" + bench.getName().replace(".", "\\.") + "\\." + (method == null ? "" : method + "$");
        }

        /** Whether this measures {@code bench}'s benchmark {@code m}. */
        boolean measures(String m) {
            return method == null ? Arrays.stream(bench.getDeclaredMethods())
                    .anyMatch(d -> d.getName().equals(m) && d.isAnnotationPresent(Benchmark.class)) : method.equals(m);
        }
    }

    /** What the gate measures and baseline.txt holds. */
    public static final List<Gated> GATED = List.of(
            new Gated(SEARCH_RUNS, GapSearchBenchmark.class, null, "vmas", "64", "65530"),
            new Gated(EDIT_RUNS, SpaceEditBenchmark.class, "mapAndUnmap", "vmas", "64", "65530"),
            new Gated(EDIT_RUNS, OracleLinesBenchmark.class, "serve", "mode", "DISTINCT", "REPLAY"));

    /** The seeded regressions ({@link GateSeed}), each compared with the figure of what it slows ({@link #baseKey}). */
    public static final List<Gated> SEEDS = List.of(
            new Gated(SEARCH_RUNS, GateSeed.class, "unmappedAreaTopdown", "vmas", "64", "65530"),
            // at 65,530 VMAs only: at 64 an edit's forks come out at 0.75 or at 1.3 us (two JIT outcomes), so a
            // seed three times slower can fall within twice a figure recorded from slow forks
            new Gated(EDIT_RUNS, GateSeed.class, "mapAndUnmap", "vmas", "65530"));

    /**
     * The calibration, once a pass of the gate and in the searches' short forks: {@code
     * consumeCPU} needs neither a long warm-up nor the edits' collector, and one in each JMH run
     * (three more a pass with the edits' runs and the seeds') added a minute to the gate.
     */
    static final Gated CALIBRATED = new Gated(SEARCH_RUNS, Calibration.class, "consumeCpu", null);

    /** The JMH run of {@code benches}, all of them measured as {@code runs} says. */
    public static Options options(Runs runs, List<Gated> benches) {
        OptionsBuilder o = new OptionsBuilder();
        Map<String, Set<String>> params = new LinkedHashMap<>();
        for (Gated g : benches) {
            o.include(g.regex());
            if (g.param() != null) {
                params.computeIfAbsent(g.param(), k -> new LinkedHashSet<>()).addAll(Arrays.asList(g.values()));
            }
        }
        params.forEach((k, v) -> o.param(k, v.toArray(new String[0])));
        List<String> jvm = new ArrayList<>(List.of("-Xss8m", "-Xmx2g")); // BenchDefaults', which this replaces
        jvm.addAll(Arrays.asList(runs.jvm()));
        return o.param("search", "index")
                .forks(runs.forks())
                .jvmArgsAppend(jvm.toArray(new String[0]))
                .warmupIterations(runs.warmups())
                .warmupTime(TimeValue.milliseconds(runs.ms()))
                .measurementIterations(runs.iterations())
                .measurementTime(TimeValue.milliseconds(runs.ms()))
                .timeUnit(TimeUnit.NANOSECONDS)
                .addProfiler(CpuTimeProfiler.class)
                .build();
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

    /** {@code Class.method@value}: the values of the benchmark's parameters but {@code search} (always the index). */
    static String key(RunResult r) {
        String[] parts = r.getParams().getBenchmark().split("\\.");
        String name = parts[parts.length - 2] + "." + parts[parts.length - 1];
        List<String> values = new ArrayList<>();
        for (String p : r.getParams().getParamsKeys()) {
            if (!p.equals("search")) {
                values.add(r.getParams().getParam(p));
            }
        }
        return values.isEmpty() ? name : name + "@" + String.join(",", values);
    }

    static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    /**
     * The figures of {@code benches}: one JMH run for each way of measuring them ({@link Runs}),
     * each divided by the calibration measured first ({@link #CALIBRATED}). A JMH parameter's values hold for every
     * benchmark of a run that has it, so benchmarks that ask for other values of the same
     * parameter are measured in a run of their own (none is measured at a value it did not ask for).
     */
    static Map<String, Figure> run(List<Gated> benches) throws RunnerException {
        List<List<Gated>> batches = new ArrayList<>();
        for (Gated g : benches) {
            List<Gated> into = null;
            for (List<Gated> b : batches) {
                if (b.get(0).runs() == g.runs() && b.stream().noneMatch(e -> Objects.equals(e.param(), g.param())
                        && !Arrays.equals(e.values(), g.values()))) {
                    into = b;
                    break;
                }
            }
            if (into == null) {
                into = new ArrayList<>();
                batches.add(into);
            }
            into.add(g);
        }
        List<RunResult> calibration = new ArrayList<>(new Runner(options(SEARCH_RUNS, List.of(CALIBRATED))).run());
        Map<String, Figure> m = new TreeMap<>();
        for (List<Gated> b : batches) {
            List<RunResult> results = new ArrayList<>(new Runner(options(b.get(0).runs(), b)).run());
            results.addAll(calibration);
            Map<String, Figure> f = figures(results);
            f.remove(CALIBRATION);
            m.putAll(f);
        }
        return m;
    }

    /** The gated benchmark or seed of {@code key}, at that key's parameter value only. */
    static Gated at(String key, List<Gated> all) {
        String[] kv = key.split("@");
        String[] cm = kv[0].split("\\.");
        for (Gated g : all) {
            if (g.bench().getSimpleName().equals(cm[0]) && g.measures(cm[1])) {
                return new Gated(g.runs(), g.bench(), cm[1], g.param(), kv[1]);
            }
        }
        throw new IllegalArgumentException("not gated: " + key);
    }

    /** The same benchmarks, one entry for each with all its values: one JMH run measures them. */
    static List<Gated> merged(List<Gated> benches) {
        Map<List<Object>, Gated> m = new LinkedHashMap<>();
        for (Gated g : benches) {
            m.merge(Arrays.asList(g.runs(), g.bench(), g.method(), g.param()), g, (a, b) -> new Gated(a.runs(), a.bench(),
                    a.method(), a.param(), Stream.concat(Arrays.stream(a.values()), Arrays.stream(b.values()))
                            .toArray(String[]::new)));
        }
        return new ArrayList<>(m.values());
    }

    /**
     * A seed ({@code GateSeed.m@v}) is compared with the committed figure of the gated benchmark
     * it slows, the one whose method is named {@code m} as the seed's.
     */
    static String baseKey(String key) {
        String seed = GateSeed.class.getSimpleName() + ".";
        if (!key.startsWith(seed)) {
            return key;
        }
        String rest = key.substring(seed.length());
        String method = rest.split("@")[0];
        for (Gated g : GATED) {
            if (g.measures(method)) {
                return g.bench().getSimpleName() + "." + rest;
            }
        }
        throw new IllegalStateException("the seed " + key + " slows no gated benchmark");
    }

    /**
     * The gate: measures {@link #GATED} and {@code extra} (such as {@link #SEEDS}); re-measures
     * those over the limit up to {@link #RETRIES} times (a real regression stays over it, a
     * disturbed run seldom does twice), keeping each benchmark's fastest attempt; compares with
     * {@code baseline}.
     */
    public static Verdict gate(Map<String, Double> baseline, List<Gated> extra) throws RunnerException {
        List<Gated> all = new ArrayList<>(GATED);
        all.addAll(extra);
        Map<String, Figure> best = new TreeMap<>(run(all));
        List<String> notes = new ArrayList<>();
        for (int attempt = 1; attempt <= RETRIES; attempt++) {
            List<Gated> over = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            for (Map.Entry<String, Figure> e : best.entrySet()) {
                Double base = baseline.get(baseKey(e.getKey()));
                if (base != null && e.getValue().relative() / base > LIMIT) {
                    over.add(at(e.getKey(), all));
                    keys.add(e.getKey());
                }
            }
            if (over.isEmpty()) {
                break;
            }
            notes.add("gate: over the limit, measured again (attempt " + (attempt + 1) + "): " + String.join(", ", keys));
            for (Map.Entry<String, Figure> e : run(merged(over)).entrySet()) {
                Figure old = best.get(e.getKey());
                if (old != null && e.getValue().relative() < old.relative()) {
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
                + " limit %.1fx; the fastest of up to %d attempts, each", CALIBRATION, LIMIT, RETRIES + 1));
        for (Runs r : List.of(SEARCH_RUNS, EDIT_RUNS)) {
            v.lines.add("gate:   " + r.describe());
        }
        v.lines.add(String.format(Locale.ROOT, "%-46s %10s %10s %10s %10s %8s  %s", "benchmark@vmas", "cpu ns/op",
                "wall ns/op", "relative", "committed", "ratio", "verdict"));
        for (Map.Entry<String, Figure> e : run.entrySet()) {
            String key = e.getKey();
            Double base = baseline.get(baseKey(key));
            double rel = e.getValue().relative();
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
            v.lines.add(String.format(Locale.ROOT, "%-46s %10.1f %10.1f %10.3f %10s %8s  %s", key, e.getValue().cpu(),
                    e.getValue().wall(), rel, base == null ? "-" : String.format(Locale.ROOT, "%.3f", base),
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
            if (!baseKey(k).equals(k)) { // a seed
                continue;
            }
            List<Double> rel = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            List<Double> wall = new ArrayList<>();
            for (Map<String, Figure> r : runs) {
                rel.add(r.get(k).relative());
                cpu.add(r.get(k).cpu());
                wall.add(r.get(k).wall());
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
                runs.add(run(GATED));
            }
            Files.writeString(record, record(runs));
            System.out.println("gate: wrote " + record);
            return;
        }
        Verdict v = gate(baseline(), List.of());
        v.lines.forEach(System.out::println);
        if (!v.passed()) {
            System.out.println("gate: FAILED: " + String.join(", ", v.regressed) + (v.missing.isEmpty() ? ""
                    : " (not measured: " + String.join(", ", v.missing) + ")"));
            System.exit(1);
        }
        System.out.println("gate: passed");
    }
}
