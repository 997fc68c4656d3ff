package io.pfnmap.verification.proof;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * loaded on it once per worker thread (KeY's automatic mode is single-threaded; each thread owns
 * its own environment), every contract proved once, and the outcomes classified against {@code
 * proofs/excused.txt}.
 *
 * <p>Settings (system properties): {@code proofs.maxSteps} (per contract, default 20,000), {@code
 * proofs.timeoutSeconds} (per contract wall clock, default 0: none), {@code proofs.threads} (default
 * 1; KeY 2.12.3 is not safe with two environments in two threads), {@code proofs.filter} (a regex on {@code Class#method contract}; only for developers: a
 * filtered run is reported as such).
 */
public final class ProofRun {
    /** Package of the seeded wrong variants (src/test/key-seeded). */
    public static final String SEEDED_PACKAGE = "io.pfnmap.seeded";

    public final List<ContractResult> results;
    public final long wallMillis;
    public final int threads;
    public final int maxSteps;
    public final long timeoutSeconds;
    public final String filter;

    private ProofRun(List<ContractResult> results, long wallMillis, int threads, int maxSteps, long timeoutSeconds,
            String filter) {
        this.results = results;
        this.wallMillis = wallMillis;
        this.threads = threads;
        this.maxSteps = maxSteps;
        this.timeoutSeconds = timeoutSeconds;
        this.filter = filter;
    }

    private static ProofRun cached;

    /** The run of this JVM (proved once, shared by the tests that read it). */
    public static synchronized ProofRun get() {
        if (cached == null) {
            cached = run(Integer.getInteger("proofs.maxSteps", 20000), Long.getLong("proofs.timeoutSeconds", 0),
                    Integer.getInteger("proofs.threads", 1), System.getProperty("proofs.filter", ""));
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

    public static ProofRun run(int maxSteps, long timeoutSeconds, int threads, String filter) {
        Path root = CoreSources.projectRoot();
        Path dir = prepareSources(root);
        Excused excused = Excused.load();
        Budgets budgets = Budgets.load();
        Pattern pattern = filter.isBlank() ? null : Pattern.compile(filter);
        long t0 = System.nanoTime();
        // First environment: list the targets (and prove with it in thread 0).
        List<KeyProver> provers = Collections.synchronizedList(new ArrayList<>());
        KeyProver first = load(dir.toFile(), maxSteps, timeoutSeconds);
        provers.add(first);
        List<String> keys = new ArrayList<>();
        Map<String, KeyProver.Target> firstTargets = index(first.targets());
        for (String k : firstTargets.keySet()) {
            if (pattern == null || pattern.matcher(k).find()) {
                keys.add(k);
            }
        }
        ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>(keys);
        Map<String, ContractResult> out = new ConcurrentHashMap<>();
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int w = 0; w < Math.max(1, threads); w++) {
            final int id = w;
            Thread t = new Thread(() -> {
                try {
                    KeyProver kp = id == 0 ? first : load(dir.toFile(), maxSteps, timeoutSeconds);
                    if (id != 0) {
                        provers.add(kp);
                    }
                    Map<String, KeyProver.Target> targets = id == 0 ? firstTargets : index(kp.targets());
                    String key;
                    while ((key = queue.poll()) != null) {
                        KeyProver.Target target = targets.get(key);
                        ContractResult r = classify(target, prove(kp, target, budgets.steps(key, maxSteps), budgets.options(key)), excused);
                        out.put(key, r);
                        System.out.printf("proof %-8s %7d nodes %7d ms  %s%n", r.status(), r.nodes(), r.millis(), key);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "key-prover-" + w);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        for (Thread t : workers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        for (KeyProver kp : provers) {
            kp.close();
        }
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("a prover thread failed: " + failures.get(0), failures.get(0));
            throw e;
        }
        List<ContractResult> results = new ArrayList<>(out.values());
        results.sort(Comparator.comparing(ContractResult::module).thenComparing(ContractResult::key));
        long wall = (System.nanoTime() - t0) / 1_000_000;
        excused.checkAllUsed(results, pattern != null);
        budgets.checkAllUsed(out.keySet(), pattern != null);
        return new ProofRun(results, wall, threads, maxSteps, timeoutSeconds, filter);
    }

    private static KeyProver load(File dir, int maxSteps, long timeoutSeconds) {
        try {
            KeyProver kp = KeyProver.load(dir, maxSteps);
            kp.setTimeoutMillis(timeoutSeconds > 0 ? timeoutSeconds * 1000 : -1);
            return kp;
        } catch (Exception e) {
            throw new IllegalStateException("KeY could not load the cores: " + e.getMessage(), e);
        }
    }

    private static Map<String, KeyProver.Target> index(List<KeyProver.Target> targets) {
        Map<String, KeyProver.Target> m = new LinkedHashMap<>();
        for (KeyProver.Target t : targets) {
            String key = t.className() + "#" + t.method() + " " + t.contractName();
            if (m.put(key, t) != null) {
                throw new IllegalStateException("two contracts named " + key + " (overloads are not supported)");
            }
        }
        return m;
    }

    private static KeyProver.Outcome prove(KeyProver kp, KeyProver.Target t, int steps, Map<String, String> options) {
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
                reason, note, o.openBranches(), expected);
    }
}
