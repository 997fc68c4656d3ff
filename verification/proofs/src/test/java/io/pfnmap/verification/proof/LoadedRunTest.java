package io.pfnmap.verification.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A verdict is a property of the proof, not of the machine: the contracts of {@code
 * proofs/loaded-sample.txt} (among them those a loaded machine once turned open when a wall clock
 * decided verdicts), proved in a fresh prover process on the idle machine and again in another
 * fresh one while two busy processes keep both cores loaded, give the same statuses and node
 * counts within {@link #NODE_TOLERANCE}; and the same statuses as in the run of {@link ProofTest}.
 *
 * <p>Node counts are compared between the two fresh processes, which do the same work in the same
 * order: KeY's rule order depends on the JVM's identity hash codes, so a proof's node count
 * depends on what its process did before it (up to 4.5% measured), and the run's processes prove
 * other contracts before these; the run's own schedule is fixed for that reason ({@link
 * ProofRun#schedule}). The same work in the same order is reproducible since the workers compile
 * in the foreground ({@code -Xbatch}, {@link ProofWorker#DETERMINISTIC_JVM}): before, the JIT's
 * timing decided what a collection found reachable, and with it KeY's weakly held state
 * (Leaves#isDescending as the first proof of a fresh process: 5,142, 5,376, 5,380 and 5,384
 * nodes in idle runs). Counts are still compared within a tolerance, a margin for what a JVM
 * other than the one measured may do; verdicts are protected by headroom, not by identity.
 */
class LoadedRunTest {

    /** How many busy processes load the machine: one per core of these machines. */
    static final int LOAD_PROCESSES = 2;

    /**
     * How far two fresh processes' node counts for the same contract may differ, as a share of
     * the larger. Measured with {@code -Xbatch} (6 December 2026, 2 cores, under another
     * engineer's load as well): every sampled contract gave the same count idle and loaded.
     * Before it, the first proof of a fresh process took one of two paths (Leaves#isDescending:
     * 5,142 to 5,150 or 5,376 to 5,384 nodes, 4.5% apart). {@link ProofTest}'s headroom rule
     * keeps every closing proof 10% under its step limit, so such a spread cannot turn a verdict.
     */
    static final double NODE_TOLERANCE = 0.05;

    @Test
    void aLoadedMachineGivesTheSameStatusesAndNodeCounts() throws Exception {
        ProofRun run = ProofRun.get();
        Map<String, ContractResult> inRun = run.results.stream()
                .collect(Collectors.toMap(ContractResult::key, Function.identity()));
        List<String> sample = new ArrayList<>();
        for (String key : sample()) {
            if (inRun.containsKey(key)) {
                sample.add(key);
            } else if (run.filter.isBlank()) {
                throw new IllegalStateException("loaded-sample.txt names no contract of the run: " + key);
            }
        }
        if (sample.isEmpty()) {
            System.out.println("SKIPPED loaded-machine check: no sampled contract in the run filtered by " + run.filter);
            Assumptions.abort("no sampled contract in the run filtered by proofs.filter=" + run.filter);
        }
        long t0 = System.nanoTime();
        List<KeyProver.Outcome> idle = ProofRun.proveInFreshWorker(sample, run.maxSteps, run.safetyNetSeconds);
        long t1 = System.nanoTime();
        List<Process> load = new ArrayList<>();
        List<KeyProver.Outcome> loaded;
        try {
            for (int i = 0; i < LOAD_PROCESSES; i++) {
                load.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
            }
            loaded = ProofRun.proveInFreshWorker(sample, run.maxSteps, run.safetyNetSeconds);
        } finally {
            for (Process p : load) {
                p.destroyForcibly();
            }
        }
        long t2 = System.nanoTime();
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "loaded-machine check: the same contracts in two fresh prover processes, idle (%.1f s) and with %d busy"
                        + " processes (%.1f s)%n%-50s %-9s %-9s %8s %8s   %-9s %8s %8s%n",
                (t1 - t0) / 1e9, LOAD_PROCESSES, (t2 - t1) / 1e9, "contract", "in run", "idle", "nodes", "ms", "loaded",
                "nodes", "ms"));
        List<String> differ = new ArrayList<>();
        for (int i = 0; i < sample.size(); i++) {
            ContractResult r = inRun.get(sample.get(i));
            String runStatus = ContractResult.EXCUSED.equals(r.status()) || ContractResult.TRUSTED.equals(r.status())
                    ? ContractResult.OPEN : r.status();
            KeyProver.Outcome a = idle.get(i);
            KeyProver.Outcome b = loaded.get(i);
            table.append(String.format(Locale.ROOT, "%-50s %-9s %-9s %8d %8d   %-9s %8d %8d%n", r.key(), runStatus,
                    status(a), a.nodes(), a.millis(), status(b), b.nodes(), b.millis()));
            if (!status(a).equals(status(b)) || Math.abs(a.nodes() - b.nodes()) > NODE_TOLERANCE * Math.max(a.nodes(), b.nodes())) {
                differ.add(r.key() + ": idle " + status(a) + " at " + a.nodes() + " nodes, loaded " + status(b) + " at "
                        + b.nodes() + " nodes " + b.openBranches());
            }
            if (!status(a).equals(runStatus)) {
                differ.add(r.key() + ": " + runStatus + " in the run, " + status(a) + " in a fresh process at " + a.nodes()
                        + " nodes (a verdict this close to its step limit depends on the process's history)");
            }
        }
        System.out.print(table);
        assertEquals(sample.size(), loaded.size());
        assertTrue(differ.isEmpty(), "verdicts that depend on the machine:\n" + String.join("\n", differ));
    }

    static String status(KeyProver.Outcome o) {
        return o.clockStopped() ? ContractResult.UNDECIDED : o.closed() ? ContractResult.CLOSED : ContractResult.OPEN;
    }

    /** The keys of proofs/loaded-sample.txt. */
    static List<String> sample() {
        try (InputStream in = LoadedRunTest.class.getResourceAsStream("/proofs/loaded-sample.txt")) {
            if (in == null) {
                throw new IllegalStateException("proofs/loaded-sample.txt is missing from the test resources");
            }
            List<String> keys = new ArrayList<>();
            for (String line : new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList()) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    String[] f = t.split("\\|", -1);
                    if (f.length != 2 || f[1].isBlank()) {
                        throw new IllegalStateException("loaded-sample.txt: want 'Class#method contract | why', got: " + t);
                    }
                    keys.add(f[0].strip());
                }
            }
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
