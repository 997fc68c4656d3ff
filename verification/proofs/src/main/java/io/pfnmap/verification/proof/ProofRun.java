package io.pfnmap.verification.proof;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.regex.Pattern;

/**
 * One proof run: the three cores and the seeded wrong variants copied into one source root, KeY
 * loaded on it once per prover process ({@link ProofWorker}: KeY 2.12.3 is not safe with two
 * environments in one JVM, and a fresh JVM's history is the same in every run), every contract
 * proved once by the process the fixed {@link #schedule} gives it, and the outcomes classified
 * against {@code proofs/excused.txt} and {@code proofs/trusted.txt}.
 *
 * <p>Settings (system properties): {@code proofs.maxSteps} (per contract, default 20,000; a
 * contract's own in {@code proofs/budgets.txt}): the step limits alone decide every verdict, so a
 * run gives the same statuses and node counts on an idle and on a loaded machine; {@code
 * proofs.safetyNetSeconds} (per contract wall clock, default 0: none; the build sets it far above
 * any proof's time, and a proof it stops is {@code undecided}, never open or excused), {@code proofs.workers}
 * (prover processes, this JVM included; default 2, one per core of these machines), {@code
 * proofs.filter} (a regex on {@code Class#method contract}; only for developers: a filtered run
 * is reported as such).
 */
public final class ProofRun {
    /** Package of the seeded wrong variants (src/test/key-seeded). */
    public static final String SEEDED_PACKAGE = "io.pfnmap.seeded";
    /** How a trusted case is marked in a {@code restsOn} list. */
    public static final String TRUSTED_MARK = " (trusted)";

    public final List<ContractResult> results;
    public final long wallMillis;
    /** Prover processes: this JVM and {@code workers - 1} {@link ProofWorker}s. */
    public final int workers;
    public final int maxSteps;
    public final long safetyNetSeconds;
    public final String filter;

    private ProofRun(List<ContractResult> results, long wallMillis, int workers, int maxSteps, long safetyNetSeconds,
            String filter) {
        this.results = results;
        this.wallMillis = wallMillis;
        this.workers = workers;
        this.maxSteps = maxSteps;
        this.safetyNetSeconds = safetyNetSeconds;
        this.filter = filter;
    }

    private static ProofRun cached;

    /** The run of this JVM (proved once, shared by the tests that read it). */
    public static synchronized ProofRun get() {
        if (cached == null) {
            cached = run(Integer.getInteger("proofs.maxSteps", 20000), Long.getLong("proofs.safetyNetSeconds", 0),
                    Integer.getInteger("proofs.workers", 2), System.getProperty("proofs.filter", ""));
        }
        return cached;
    }

    /** The source root KeY loads: the cores and the seeded variants. */
    public static Path prepareSources(Path root) {
        try {
            Path dir = Files.createTempDirectory("pfnmap-key");
            CoreSources.copyCores(root, dir);
            Path seeded = root.resolve("verification/proofs/src/test/key-seeded").resolve(SEEDED_PACKAGE.replace('.', '/'));
            if (!Files.isDirectory(seeded)) {
                throw new IllegalStateException("seeded variants not found: " + seeded);
            }
            CoreSources.copyJava(seeded, dir.resolve(SEEDED_PACKAGE.replace('.', '/')));
            Mutants.applyAll(dir, Mutants.load());
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ProofRun run(int maxSteps, long safetyNetSeconds, int workers, String filter) {
        Path root = CoreSources.projectRoot();
        Path dir = prepareSources(root);
        Excused excused = Excused.load();
        Excused trusted = Excused.loadTrusted();
        Budgets budgets = Budgets.load();
        Map<String, Long> costs = costs();
        Pattern pattern = filter.isBlank() ? null : Pattern.compile(filter);
        long t0 = System.nanoTime();
        int n = Math.max(1, workers);
        List<Worker> ws = new ArrayList<>();
        Map<String, ContractResult> out = new ConcurrentHashMap<>();
        List<String> keys = new ArrayList<>();
        try {
            for (int w = 0; w < n; w++) {
                ws.add(Worker.start(dir, maxSteps, safetyNetSeconds, "worker " + w));
            }
            Map<String, Target> targets = null;
            for (Worker w : ws) {
                Map<String, Target> listed = w.awaitReady();
                if (targets != null && !targets.keySet().equals(listed.keySet())) {
                    throw new IllegalStateException(w.name + " lists other contracts than worker 0");
                }
                targets = listed;
            }
            for (String k : targets.keySet()) {
                if ((pattern == null || pattern.matcher(k).find()) && Mutants.proved(k, targets.get(k).method())) {
                    keys.add(k);
                }
            }
            List<List<String>> plan = schedule(keys, k -> costs.getOrDefault(k, cost(k, budgets, excused, trusted, maxSteps)), n);
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
            for (int w = 0; w < n; w++) {
                Worker worker = ws.get(w);
                List<String> mine = plan.get(w);
                Map<String, Target> all = targets;
                Thread t = new Thread(() -> {
                    try {
                        for (String key : mine) {
                            record(out, key, classify(all.get(key), worker.prove(key), excused, trusted), worker.name);
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
                t.join();
            }
            if (!failures.isEmpty()) {
                throw new IllegalStateException("a prover worker failed: " + failures.get(0), failures.get(0));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (IOException e) {
            throw new UncheckedIOException("a prover worker's pipe failed", e);
        } finally {
            for (Worker w : ws) {
                w.close();
            }
        }
        if (out.size() != keys.size()) {
            throw new IllegalStateException("proved " + out.size() + " of " + keys.size() + " contracts");
        }
        List<ContractResult> results = new ArrayList<>(out.values());
        results.sort(Comparator.comparing(ContractResult::module).thenComparing(ContractResult::key));
        results = withDependencies(results);
        long wall = (System.nanoTime() - t0) / 1_000_000;
        excused.checkAllUsed(results, pattern != null);
        trusted.checkAllUsed(results, pattern != null);
        budgets.checkAllUsed(out.keySet(), pattern != null);
        return new ProofRun(results, wall, n, maxSteps, safetyNetSeconds, filter);
    }

    /**
     * A contract as the report names it: where it is declared and {@code Class#method contract}.
     * The workers send these; only they load KeY.
     */
    public record Target(String packageName, String className, String method, String contractName) {
        public String key() {
            return className + "#" + method + " " + contractName;
        }
    }

    /**
     * The run's schedule, fixed before any proof starts: the keys, heaviest estimated cost first
     * (ties by name), each given to the process with the least estimated work so far (ties: the
     * lowest number). A fixed schedule is what makes a run reproducible: KeY's rule order
     * depends on the JVM's identity hash codes (a HashMap's iteration order), so a proof's node
     * count depends on what its process did before it; with the same schedule every process does
     * the same work in the same order, on an idle machine as on a loaded one. A queue taken
     * first-come would hand contracts out by speed.
     */
    static List<List<String>> schedule(List<String> keys, java.util.function.ToLongFunction<String> cost, int workers) {
        List<String> order = new ArrayList<>(keys);
        order.sort(Comparator.comparingLong((String k) -> -cost.applyAsLong(k)).thenComparing(Comparator.naturalOrder()));
        List<List<String>> plan = new ArrayList<>();
        long[] load = new long[workers];
        for (int w = 0; w < workers; w++) {
            plan.add(new ArrayList<>());
        }
        for (String k : order) {
            int best = 0;
            for (int w = 1; w < workers; w++) {
                if (load[w] < load[best]) {
                    best = w;
                }
            }
            plan.get(best).add(k);
            load[best] += cost.applyAsLong(k);
        }
        return plan;
    }

    /**
     * The measured cost of each contract, for the schedule only: {@code proofs/costs.txt} (test
     * resources, {@code Class#method contract | milliseconds}), the per-contract times of an earlier
     * run on two idle cores (each run writes them as {@code target/proofs/costs.txt}; copy it over to
     * refresh). Committed numbers, so the schedule stays fixed by the sources alone; a contract not
     * listed gets {@link #cost}'s estimate.
     */
    static Map<String, Long> costs() {
        try (InputStream in = ProofRun.class.getResourceAsStream("/proofs/costs.txt")) {
            return in == null ? Map.of()
                    : parseCosts(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The costs of these lines; a malformed line fails, naming its number. */
    static Map<String, Long> parseCosts(List<String> lines) {
        Map<String, Long> m = new java.util.HashMap<>();
        for (ListFile.Row r : ListFile.rows(lines)) {
            String[] f = r.fields();
            try {
                if (f.length != 2) {
                    throw new NumberFormatException();
                }
                m.put(f[0].strip(), Long.parseLong(f[1].strip()));
            } catch (NumberFormatException e) {
                throw new IllegalStateException("costs.txt line " + r.number() + ": needs 'Class#method contract | milliseconds'");
            }
        }
        return m;
    }

    /**
     * A contract's estimated work when costs.txt has no measurement of it (a new contract), in about
     * the unit of the measured ones (KeY does one to two steps a millisecond here): an excused or
     * trusted contract runs to its step limit; one expected to close stops at about half of it.
     */
    static long cost(String key, Budgets budgets, Excused excused, Excused trusted, int maxSteps) {
        long steps = budgets.steps(Mutants.budgetKey(key), maxSteps);
        return excused.get(key) != null || trusted.get(key) != null ? steps : steps / 2;
    }

    private static void record(Map<String, ContractResult> out, String key, ContractResult r, String worker) {
        out.put(key, r);
        System.out.printf("proof %-9s %7d nodes %7d ms  %s  (%s)%n", r.status(), r.nodes(), r.millis(), key, worker);
    }

    /** A {@link ProofWorker} process and its pipe. */
    static final class Worker implements AutoCloseable {
        final String name;
        private final Process process;
        private final BufferedReader in;
        private final PrintWriter to;
        private boolean dead;

        private final Path home;

        private Worker(String name, Process process, Path home) {
            this.name = name;
            this.process = process;
            this.home = home;
            this.in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.to = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
        }

        static Worker start(Path dir, int maxSteps, long safetyNetSeconds, String name) {
            try {
                Path home = Files.createTempDirectory("pfnmap-keyhome");
                return new Worker(name, new ProcessBuilder(ProofWorker.command(dir, maxSteps, safetyNetSeconds, home))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start(), home);
            } catch (IOException e) {
                throw new UncheckedIOException("could not start prover " + name, e);
            }
        }

        /** Waits until KeY has loaded the sources; the contracts the worker found, by key. */
        Map<String, Target> awaitReady() throws IOException {
            String line;
            while ((line = in.readLine()) != null && !line.startsWith(ProofWorker.READY)) {
                System.out.println("[" + name + "] " + line);
            }
            if (line == null) {
                throw new IllegalStateException(name + " exited before KeY had loaded the sources");
            }
            return ProofWorker.decodeTargets(line);
        }

        /** One proof; a worker that died answers every later key with a prover error (open). */
        KeyProver.Outcome prove(String key) throws IOException {
            if (dead) {
                return new KeyProver.Outcome(false, 0, 0, List.of("prover error: " + name + " had exited"), "?");
            }
            to.println(key);
            String line;
            while ((line = in.readLine()) != null && !line.startsWith(ProofWorker.RESULT)) {
                System.out.println("[" + name + "] " + line);
            }
            if (line == null) {
                dead = true;
                return new KeyProver.Outcome(false, 0, 0, List.of("prover error: " + name + " exited during the proof"), "?");
            }
            Map.Entry<String, KeyProver.Outcome> r = ProofWorker.decode(line);
            if (!r.getKey().equals(key)) {
                throw new IllegalStateException(name + " answered " + r.getKey() + " for " + key);
            }
            return r.getValue();
        }

        @Override
        public void close() {
            to.close();
            process.destroyForcibly();
            try {
                process.waitFor();
                try (java.util.stream.Stream<Path> files = Files.walk(home)) {
                    for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(f);
                    }
                }
            } catch (IOException e) {
                System.out.println("[" + name + "] could not remove its home " + home + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Proves {@code keys} in one fresh {@link ProofWorker} process, in this order, with each
     * contract's budget and options, and returns the raw outcomes: a process that does the same
     * work must give the same outcomes, on any machine and under any load.
     */
    public static List<KeyProver.Outcome> proveInFreshWorker(List<String> keys, int maxSteps, long safetyNetSeconds) {
        Path dir = prepareSources(CoreSources.projectRoot());
        try (Worker w = Worker.start(dir, maxSteps, safetyNetSeconds, "fresh worker")) {
            w.awaitReady();
            List<KeyProver.Outcome> out = new ArrayList<>();
            for (String key : keys) {
                out.add(w.prove(key));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("could not run a fresh prover worker", e);
        }
    }

    static KeyProver load(File dir, int maxSteps, long safetyNetSeconds) {
        try {
            KeyProver kp = KeyProver.load(dir, maxSteps);
            kp.setSafetyNetMillis(safetyNetSeconds > 0 ? safetyNetSeconds * 1000 : -1);
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

    static ContractResult classify(Target t, KeyProver.Outcome o, Excused excused, Excused trusted) {
        boolean mutant = Mutants.isMutant(t.method());
        String module = mutant ? "seeded" : CoreSources.moduleOf(t.packageName());
        boolean seeded = mutant || t.packageName().equals(SEEDED_PACKAGE);
        String expected = seeded && !t.method().startsWith("control") ? ContractResult.OPEN : ContractResult.CLOSED;
        String key = t.className() + "#" + t.method() + " " + t.contractName();
        String status = o.clockStopped() ? ContractResult.UNDECIDED
                : o.closed() ? ContractResult.CLOSED : ContractResult.OPEN;
        String reason = "";
        String note = "";
        Excused.Entry e = excused.get(key);
        Excused.Entry tr = trusted.get(key);
        if (e != null && tr != null) {
            note = "listed in both excused.txt and trusted.txt: a contract is one or the other";
        } else if (tr != null && !seeded && ContractResult.OPEN.equals(status)) {
            status = ContractResult.TRUSTED;
            reason = tr.reason();
            note = tr.note();
        } else if (e != null && !seeded && ContractResult.OPEN.equals(status)) {
            status = ContractResult.EXCUSED;
            reason = e.reason();
            note = e.note();
        } else if (e != null || tr != null) {
            note = "listed in " + (e != null ? "excused.txt" : "trusted.txt") + " but "
                    + (o.closed() ? "closed: remove the entry" : "seeded");
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
                } else if (ContractResult.TRUSTED.equals(c.status())) {
                    rests.add(k + TRUSTED_MARK);
                } else {
                    rests.add(k);
                }
            }
            out.add(r.withDependencies(r.uses(), List.copyOf(rests)));
        }
        return out;
    }
}
