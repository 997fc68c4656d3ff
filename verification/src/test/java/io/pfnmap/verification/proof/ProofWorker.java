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
 * folder, prints {@code READY}, then proves one contract per key read from standard input (with
 * the contract's budget and options) and answers one {@code RESULT} line each, until standard
 * input ends. The parent classifies the outcomes; only the raw outcome crosses the pipe.
 */
public final class ProofWorker {
    static final String READY = "PFNMAP-WORKER-READY";
    static final String RESULT = "PFNMAP-WORKER-RESULT\t";

    private ProofWorker() {
    }

    /** Arguments: source folder, step limit, timeout in seconds. */
    public static void main(String[] args) throws IOException {
        // KeY and its libraries may print on stdout: the protocol gets a stream of its own.
        PrintStream protocol = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        System.setOut(System.err);
        int code = 0;
        try {
            File dir = new File(args[0]);
            int maxSteps = Integer.parseInt(args[1]);
            long timeoutSeconds = Long.parseLong(args[2]);
            Budgets budgets = Budgets.load();
            KeyProver kp = ProofRun.load(dir, maxSteps, timeoutSeconds);
            Map<String, KeyProver.Target> targets = ProofRun.index(kp.targets());
            protocol.println(READY);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String key;
            while ((key = in.readLine()) != null && !key.isEmpty()) {
                KeyProver.Target t = targets.get(key);
                KeyProver.Outcome o = t == null
                        ? new KeyProver.Outcome(false, 0, 0, List.of("prover error: the worker has no contract " + key), "?")
                        : ProofRun.prove(kp, t, budgets.steps(key, maxSteps), budgets.options(key));
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

    /** One result line: key, closed, nodes, millis, intRules, open branches and used contracts (unit-separated). */
    static String encode(String key, KeyProver.Outcome o) {
        List<String> branches = new ArrayList<>();
        for (String b : o.openBranches()) {
            branches.add(clean(b));
        }
        return RESULT + clean(key) + "\t" + o.closed() + "\t" + o.nodes() + "\t" + o.millis() + "\t" + clean(o.intRules())
                + "\t" + String.join("\u001f", branches) + "\t" + String.join("\u001f", o.uses());
    }

    private static String clean(String s) {
        return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ').replace('\u001f', ' ');
    }

    /** The key and outcome of a result line of {@link #encode}. */
    static Map.Entry<String, KeyProver.Outcome> decode(String line) {
        String[] f = line.substring(RESULT.length()).split("\t", -1);
        if (f.length != 7) {
            throw new IllegalStateException("malformed worker result: " + line);
        }
        List<String> branches = f[5].isEmpty() ? List.of() : Arrays.asList(f[5].split("\u001f", -1));
        List<String> uses = f[6].isEmpty() ? List.of() : Arrays.asList(f[6].split("\u001f", -1));
        return Map.entry(f[0], new KeyProver.Outcome(Boolean.parseBoolean(f[1]), Integer.parseInt(f[2]),
                Long.parseLong(f[3]), List.copyOf(branches), f[4], List.copyOf(uses)));
    }

    /**
     * The command that starts a worker: this JVM's java, its test class path (surefire's, when
     * run by surefire), its stack, heap and GC options, and every {@code proofs.*}, {@code
     * user.home} and logging property.
     */
    static List<String> command(Path dir, int maxSteps, long timeoutSeconds) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-Xss") || a.startsWith("-Xmx") || a.startsWith("-Xms") || a.startsWith("-XX:")) {
                cmd.add(a);
            }
        }
        for (String k : System.getProperties().stringPropertyNames()) {
            if (k.startsWith("proofs.") || k.equals("user.home") || k.startsWith("org.slf4j.")) {
                cmd.add("-D" + k + "=" + System.getProperty(k));
            }
        }
        String cp = System.getProperty("surefire.test.class.path", "");
        cmd.add("-cp");
        cmd.add(cp.isBlank() ? System.getProperty("java.class.path") : cp);
        cmd.add(ProofWorker.class.getName());
        cmd.add(dir.toString());
        cmd.add(Integer.toString(maxSteps));
        cmd.add(Long.toString(timeoutSeconds));
        return cmd;
    }
}
