package io.pfnmap.verification.proof;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A second prover process of a {@link ProofRun}. KeY 2.12.3 cannot run two environments in two
 * threads of one JVM, so the run's second core gets a JVM of its own: it loads the same source
 * folder, prints {@code READY} with the contracts it found, then proves one contract per key read from standard input (with
 * the contract's budget and options) and answers one {@code RESULT} line each, until standard
 * input ends. The parent classifies the outcomes; only the raw outcome crosses the pipe.
 */
public final class ProofWorker {
    static final String READY = "PFNMAP-WORKER-READY";
    static final String RESULT = "PFNMAP-WORKER-RESULT\t";

    private ProofWorker() {
    }

    /** Arguments: source folder, step limit, safety net in seconds. */
    public static void main(String[] args) throws IOException {
        // KeY and its libraries may print on stdout: the protocol gets a stream of its own.
        PrintStream protocol = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        System.setOut(System.err);
        int code = 0;
        try {
            File dir = new File(args[0]);
            int maxSteps = Integer.parseInt(args[1]);
            long safetyNetSeconds = Long.parseLong(args[2]);
            Budgets budgets = Budgets.load();
            KeyProver kp = ProofRun.load(dir, maxSteps, safetyNetSeconds);
            Map<String, KeyProver.Target> targets = ProofRun.index(kp.targets());
            protocol.println(encodeTargets(targets.values()));
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String key;
            while ((key = in.readLine()) != null && !key.isEmpty()) {
                KeyProver.Target t = targets.get(key);
                KeyProver.Outcome o = t == null
                        ? new KeyProver.Outcome(false, 0, 0, List.of("prover error: the worker has no contract " + key), "?")
                        : ProofRun.prove(kp, t, budgets.steps(Mutants.budgetKey(key), maxSteps),
                                budgets.options(Mutants.budgetKey(key)));
                protocol.println(encode(key, o));
            }
            kp.close();
        } catch (RuntimeException | Error e) {
            e.printStackTrace();
            code = 2;
        }
        // KeY leaves non-daemon threads behind.
        System.exit(code);
    }

    /** The ready line: READY, then each contract as package, class, method, contract (unit-separated). */
    static String encodeTargets(java.util.Collection<KeyProver.Target> targets) {
        StringBuilder b = new StringBuilder(READY);
        for (KeyProver.Target t : targets) {
            b.append('\t').append(clean(t.packageName())).append('\u001f').append(clean(t.className())).append('\u001f')
                    .append(clean(t.method())).append('\u001f').append(clean(t.contractName()));
        }
        return b.toString();
    }

    /** The contracts of a ready line, by key, in the worker's order. */
    static Map<String, ProofRun.Target> decodeTargets(String line) {
        Map<String, ProofRun.Target> m = new java.util.LinkedHashMap<>();
        String[] f = line.split("\t", -1);
        if (!f[0].equals(READY)) {
            throw new IllegalStateException("malformed worker ready line: " + line);
        }
        for (int i = 1; i < f.length; i++) {
            String[] p = f[i].split("\u001f", -1);
            if (p.length != 4) {
                throw new IllegalStateException("malformed contract in the worker's ready line: " + f[i]);
            }
            ProofRun.Target t = new ProofRun.Target(p[0], p[1], p[2], p[3]);
            m.put(t.key(), t);
        }
        return m;
    }

    /** One result line: key, closed, nodes, millis, intRules, open branches and used contracts (unit-separated), clock-stopped. */
    static String encode(String key, KeyProver.Outcome o) {
        List<String> branches = new ArrayList<>();
        for (String b : o.openBranches()) {
            branches.add(clean(b));
        }
        return RESULT + clean(key) + "\t" + o.closed() + "\t" + o.nodes() + "\t" + o.millis() + "\t" + clean(o.intRules())
                + "\t" + String.join("\u001f", branches) + "\t" + String.join("\u001f", o.uses()) + "\t" + o.clockStopped();
    }

    private static String clean(String s) {
        return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ').replace('\u001f', ' ');
    }

    /** The key and outcome of a result line of {@link #encode}. */
    static Map.Entry<String, KeyProver.Outcome> decode(String line) {
        String[] f = line.substring(RESULT.length()).split("\t", -1);
        if (f.length != 8) {
            throw new IllegalStateException("malformed worker result: " + line);
        }
        List<String> branches = f[5].isEmpty() ? List.of() : Arrays.asList(f[5].split("\u001f", -1));
        List<String> uses = f[6].isEmpty() ? List.of() : Arrays.asList(f[6].split("\u001f", -1));
        return Map.entry(f[0], new KeyProver.Outcome(Boolean.parseBoolean(f[1]), Integer.parseInt(f[2]),
                Long.parseLong(f[3]), List.copyOf(branches), f[4], List.copyOf(uses), Boolean.parseBoolean(f[7])));
    }

    /**
     * JVM options that make a worker's proofs reproducible run to run, idle or loaded.
     *
     * <p>{@code -Xbatch}: the JIT compiles in the foreground, so a method switches from the
     * interpreter to compiled code after the same number of calls in every run, not when a
     * compiler thread happens to finish. Without it, that moment depends on timing, and with it
     * which objects are still reachable at a collection (compiled code allocates less, by escape
     * analysis, and keeps fewer dead locals alive); KeY 2.12.3 holds state that steers a proof
     * weakly (read from its classes: {@code ElementaryUpdate}'s instances, whose identity hash
     * codes order HashMaps of terms; {@code QueryExpand}'s query times, a term of the strategy's
     * cost), so a proof's node count followed the JIT (measured: {@code ShmemHuge#anonHugeSize} 423 or 424
     * nodes as the first proof of a fresh worker, and the main thread's next identity hash after
     * it different from run to run; with {@code -Xbatch} the same in every run).
     *
     * <p>{@code -XX:+UseSerialGC -XX:-UseDynamicNumberOfCompilerThreads}: HotSpot seeds each new
     * thread's identity-hash generator from one global sequence, so a thread started by the JVM
     * when it is busy (a compiler or GC thread added on demand) would shift the identity hash
     * codes of every later proof, and with them KeY's rule order (see {@link ProofRun#schedule}).
     * The serial collector has no GC threads; the compiler threads are all started at boot.
     */
    static final List<String> DETERMINISTIC_JVM = List.of("-XX:+UseSerialGC", "-XX:-UseDynamicNumberOfCompilerThreads",
            "-Xbatch");

    /**
     * The command that starts a worker: this JVM's java, its test class path (surefire's, when
     * run by surefire), its stack and heap, {@link #DETERMINISTIC_JVM}, every {@code proofs.*}
     * and logging property, and {@code home} as its {@code user.home}.
     */
    static List<String> command(Path dir, int maxSteps, long safetyNetSeconds, Path home) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-Xss") || a.startsWith("-Xmx") || a.startsWith("-Xms")) {
                cmd.add(a);
            }
        }
        cmd.addAll(DETERMINISTIC_JVM);
        // For experiments: more JVM options for the workers.
        for (String a : System.getProperty("proofs.workerJvm", "").split("[\\s,]+")) {
            if (!a.isBlank()) {
                cmd.add(a);
            }
        }
        for (String k : System.getProperties().stringPropertyNames()) {
            if (k.startsWith("proofs.") || k.startsWith("org.slf4j.")) {
                cmd.add("-D" + k + "=" + System.getProperty(k));
            }
        }
        // A home of its own: KeY reads and writes ~/.key/proof-settings.json, and two workers
        // writing one file at once left it unreadable for every later run (6 December 2026).
        cmd.add("-Duser.home=" + home);
        String cp = System.getProperty("surefire.test.class.path", "");
        cmd.add("-cp");
        cmd.add(cp.isBlank() ? System.getProperty("java.class.path") : cp);
        cmd.add(ProofWorker.class.getName());
        cmd.add(dir.toString());
        cmd.add(Integer.toString(maxSteps));
        cmd.add(Long.toString(safetyNetSeconds));
        return cmd;
    }
}
