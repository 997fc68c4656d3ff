package io.pfnmap.verification.proof;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Pattern;

/**
 * One proof run: the three cores and the seeded wrong variants copied into one source root, KeY
 * loaded on it once per worker, every contract proved once, and the outcomes classified against
 * {@code proofs/excused.txt}. KeY's automatic mode is single-threaded and KeY 2.12.3 is not safe
 * with two environments in two threads of one JVM, so the run's second core gets a worker
 * process of its own ({@link ProofWorker}); the workers take contracts from one queue, largest
 * budgets first.
 *
 * <p>Settings (system properties): {@code proofs.maxSteps} (per contract, default 20,000), {@code
 * proofs.timeoutSeconds} (per contract wall clock, default 0: none), {@code proofs.workers}
 * (prover processes, this JVM included; default 2, one per core of these machines), {@code
 * proofs.filter} (a regex on {@code Class#method contract}; only for developers: a filtered run
 * is reported as such).
 */
public final class ProofRun {
    /** Package of the seeded wrong variants (src/test/key-seeded). */
    public static final String SEEDED_PACKAGE = "io.pfnmap.seeded";

    public final List<ContractResult> results;
    public final long wallMillis;
    /** Prover processes: this JVM and {@code workers - 1} {@link ProofWorker}s. */
    public final int workers;
    public final int maxSteps;
    public final long timeoutSeconds;
    public final String filter;

    private ProofRun(List<ContractResult> results, long wallMillis, int workers, int maxSteps, long timeoutSeconds,
            String filter) {
        this.results = results;
        this.wallMillis = wallMillis;
        this.workers = workers;
        this.maxSteps = maxSteps;
        this.timeoutSeconds = timeoutSeconds;
        this.filter = filter;
    }

    private static ProofRun cached;

    /** The run of this JVM (proved once, shared by the tests that read it). */
    public static synchronized ProofRun get() {
        if (cached == null) {
            cached = run(Integer.getInteger("proofs.maxSteps", 20000), Long.getLong("proofs.timeoutSeconds", 0),
                    Integer.getInteger("proofs.workers", 2), System.getProperty("proofs.filter", ""));
        }
        return cached;
    }

    /** The source root KeY loads: the cores and the seeded variants. */
    public static Path prepareSources(Path root) {
        try {
            Path dir = Files.createTempDirectory("pfnmap-key");
            CoreSources.copyCores(root, dir);
            Path seeded = root.resolve("verification/src/test/key-seeded").resolve(SEEDED_PACKAGE.replace('.', '/'));
            if (!Files.isDirectory(seeded)) {
                throw new IllegalStateException("seeded variants not found: " + seeded);
            }
            CoreSources.copyJava(seeded, dir.resolve(SEEDED_PACKAGE.replace('.', '/')));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ProofRun run(int maxSteps, long timeoutSeconds, int workers, String filter) {
        Path root = CoreSources.projectRoot();
        Path dir = prepareSources(root);
        Excused excused = Excused.load();
        Budgets budgets = Budgets.load();
        Pattern pattern = filter.isBlank() ? null : Pattern.compile(filter);
        long t0 = System.nanoTime();
        // The other workers' JVMs load KeY while this one does.
        List<Process> processes = new ArrayList<>();
        for (int w = 1; w < Math.max(1, workers); w++) {
            try {
                processes.add(new ProcessBuilder(ProofWorker.command(dir, maxSteps, timeoutSeconds))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start());
            } catch (IOException e) {
                throw new UncheckedIOException("could not start prover worker " + w, e);
            }
        }
        KeyProver first = load(dir.toFile(), maxSteps, timeoutSeconds);
        Map<String, KeyProver.Target> targets = index(first.targets());
        List<String> keys = new ArrayList<>();
        for (String k : targets.keySet()) {
            if (pattern == null || pattern.matcher(k).find()) {
                keys.add(k);
            }
        }
        // Largest budgets first, so that the long proofs do not end the run alone on one core.
        keys.sort(Comparator.comparing((String k) -> -budgets.steps(k, maxSteps)));
        ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>(keys);
        Map<String, ContractResult> out = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int w = 0; w < Math.max(1, workers); w++) {
            final Process process = w == 0 ? null : processes.get(w - 1);
            final String name = "worker " + w;
            Thread t = new Thread(() -> {
                try {
                    if (process == null) {
                        String key;
                        while ((key = queue.poll()) != null) {
                            record(out, key, classify(targets.get(key),
                                    prove(first, targets.get(key), budgets.steps(key, maxSteps), budgets.options(key)), excused), name);
                        }
                    } else {
                        remote(process, queue, targets, excused, out, name);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "key-prover-" + w);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        first.close();
        for (Process p : processes) {
            p.destroyForcibly();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a prover worker failed: " + failures.get(0), failures.get(0));
        }
        if (out.size() != keys.size()) {
            throw new IllegalStateException("proved " + out.size() + " of " + keys.size() + " contracts");
        }
        List<ContractResult> results = new ArrayList<>(out.values());
        results.sort(Comparator.comparing(ContractResult::module).thenComparing(ContractResult::key));
        results = withDependencies(results);
        long wall = (System.nanoTime() - t0) / 1_000_000;
        excused.checkAllUsed(results, pattern != null);
        budgets.checkAllUsed(out.keySet(), pattern != null);
        return new ProofRun(results, wall, Math.max(1, workers), maxSteps, timeoutSeconds, filter);
    }

    private static void record(Map<String, ContractResult> out, String key, ContractResult r, String worker) {
        out.put(key, r);
        System.out.printf("proof %-8s %7d nodes %7d ms  %s  (%s)%n", r.status(), r.nodes(), r.millis(), key, worker);
    }

    /**
     * Feeds a worker process from the queue until it is empty. A worker that dies takes no more
     * keys: the one it held is reported as a prover error (open), the rest go to the others.
     */
    private static void remote(Process p, ConcurrentLinkedQueue<String> queue, Map<String, KeyProver.Target> targets,
            Excused excused, Map<String, ContractResult> out, String name) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter to = new PrintWriter(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8), true);
        String line;
        while ((line = in.readLine()) != null && !line.equals(ProofWorker.READY)) {
            System.out.println("[" + name + "] " + line);
        }
        if (line == null) {
            System.out.println("[" + name + "] exited before it was ready; the other workers take its share");
            return;
        }
        String key;
        while ((key = queue.poll()) != null) {
            to.println(key);
            while ((line = in.readLine()) != null && !line.startsWith(ProofWorker.RESULT)) {
                System.out.println("[" + name + "] " + line);
            }
            if (line == null) {
                record(out, key, classify(targets.get(key), new KeyProver.Outcome(false, 0, 0,
                        List.of("prover error: " + name + " exited during the proof"), "?"), excused), name);
                return;
            }
            Map.Entry<String, KeyProver.Outcome> r = ProofWorker.decode(line);
            if (!r.getKey().equals(key)) {
                throw new IllegalStateException(name + " answered " + r.getKey() + " for " + key);
            }
            record(out, key, classify(targets.get(key), r.getValue(), excused), name);
        }
        to.close();
    }

    static KeyProver load(File dir, int maxSteps, long timeoutSeconds) {
        try {
            KeyProver kp = KeyProver.load(dir, maxSteps);
            kp.setTimeoutMillis(timeoutSeconds > 0 ? timeoutSeconds * 1000 : -1);
            return kp;
        } catch (Exception e) {
            throw new IllegalStateException("KeY could not load the cores: " + e.getMessage(), e);
        }
    }

    static Map<String, KeyProver.Target> index(List<KeyProver.Target> targets) {
        Map<String, KeyProver.Target> m = new LinkedHashMap<>();
        for (KeyProver.Target t : targets) {
            String key = t.className() + "#" + t.method() + " " + t.contractName();
            if (m.put(key, t) != null) {
                throw new IllegalStateException("two contracts named " + key + " (overloads are not supported)");
            }
        }
        return m;
    }

    static KeyProver.Outcome prove(KeyProver kp, KeyProver.Target t, int steps, Map<String, String> options) {
        try {
            return kp.prove(t.contract(), steps, options);
        } catch (Exception e) {
            return new KeyProver.Outcome(false, 0, 0, List.of("prover error: " + e), "?");
        }
    }

    static ContractResult classify(KeyProver.Target t, KeyProver.Outcome o, Excused excused) {
        String module = CoreSources.moduleOf(t.packageName());
        boolean seeded = t.packageName().equals(SEEDED_PACKAGE);
        String expected = seeded && !t.method().startsWith("control") ? ContractResult.OPEN : ContractResult.CLOSED;
        String key = t.className() + "#" + t.method() + " " + t.contractName();
        String status = o.closed() ? ContractResult.CLOSED : ContractResult.OPEN;
        String reason = "";
        String note = "";
        Excused.Entry e = excused.get(key);
        if (e != null && !seeded && !o.closed()) {
            status = ContractResult.EXCUSED;
            reason = e.reason();
            note = e.note();
        } else if (e != null) {
            note = "listed in excused.txt but " + (o.closed() ? "closed: remove the entry" : "seeded");
        }
        return new ContractResult(module, t.className(), t.method(), t.contractName(), status, o.nodes(), o.millis(),
                reason, note, o.openBranches(), expected, o.uses(), List.of());
    }

    /**
     * Every closed row with the contracts it rests on: the used contracts, followed through the
     * closed ones, that did not close in this run (a proof of a caller is only as good as its
     * callees' contracts). Rows that are not closed keep an empty list.
     */
    static List<ContractResult> withDependencies(List<ContractResult> rows) {
        Map<String, ContractResult> byKey = new LinkedHashMap<>();
        for (ContractResult r : rows) {
            byKey.put(r.key(), r);
        }
        List<ContractResult> out = new ArrayList<>();
        for (ContractResult r : rows) {
            if (!ContractResult.CLOSED.equals(r.status())) {
                out.add(r.withDependencies(r.uses(), List.of()));
                continue;
            }
            java.util.Set<String> rests = new java.util.TreeSet<>();
            java.util.Set<String> seen = new java.util.HashSet<>();
            java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(r.uses());
            while (!todo.isEmpty()) {
                String k = todo.pop();
                if (k.equals(r.key()) || !seen.add(k)) {
                    continue;
                }
                ContractResult c = byKey.get(k);
                if (c == null) {
                    rests.add(k + " (not in this run)");
                } else if (ContractResult.CLOSED.equals(c.status())) {
                    todo.addAll(c.uses());
                } else {
                    rests.add(k);
                }
            }
            out.add(r.withDependencies(r.uses(), List.copyOf(rests)));
        }
        return out;
    }
}
