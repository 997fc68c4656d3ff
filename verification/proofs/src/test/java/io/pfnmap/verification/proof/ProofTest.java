package io.pfnmap.verification.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * KeY proves every JML contract of the three cores (arch-model, mm-model and vfio-model {@code
 * core} packages), one dynamic test per contract named {@code Class#method contract}: it fails when
 * the proof stays open, naming the open branches, unless the contract is listed with a reason in
 * {@code proofs/excused.txt} (then it passes and is counted and printed as excused). The seeded
 * wrong variants of {@code src/test/key-seeded} must stay open (their controls must close). The
 * report goes to {@code target/proofs/report.{md,json}} and the console.
 */
class ProofTest {

    @TestFactory
    List<DynamicNode> contracts() {
        ProofRun run = ProofRun.get();
        List<DynamicNode> cores = new ArrayList<>();
        List<DynamicNode> seeded = new ArrayList<>();
        for (ContractResult r : run.results) {
            if (r.module().equals("seeded")) {
                seeded.add(DynamicTest.dynamicTest(r.key() + " must be " + r.expected(), () -> {
                    if (!r.asExpected()) {
                        fail("seeded " + r.key() + ": KeY says " + r.status() + ", must be " + r.expected()
                                + (ContractResult.UNDECIDED.equals(r.status()) ? " (" + r.openBranches() + ")"
                                        : r.expected().equals(ContractResult.OPEN)
                                        ? " (a wrong variant was proved: the proofs cannot fail)"
                                        : " (the control did not close: " + r.openBranches() + ")"));
                    }
                }));
            } else {
                cores.add(DynamicTest.dynamicTest(r.key(), () -> {
                    if (ContractResult.EXCUSED.equals(r.status())) {
                        System.out.println("EXCUSED " + r.key() + ": " + r.reason() + " (open: " + r.openBranches() + ")");
                        return;
                    }
                    if (ContractResult.TRUSTED.equals(r.status())) {
                        System.out.println("TRUSTED " + r.key() + ": " + r.reason() + "; sound because " + r.note());
                        return;
                    }
                    if (!ContractResult.CLOSED.equals(r.status())) {
                        fail(r.module() + " " + r.key() + " stays open after " + r.nodes() + " nodes / " + r.millis()
                                + " ms; open branches: " + String.join("; ", r.openBranches()));
                    }
                    if (!r.note().isEmpty()) {
                        // A listed contract that closes: the list must not go stale.
                        fail(r.key() + ": " + r.note());
                    }
                }));
            }
        }
        return List.of(DynamicContainer.dynamicContainer("cores", cores),
                DynamicContainer.dynamicContainer("seeded wrong variants", seeded));
    }

    /** The run covers the cores and every seeded property, and the options are the real ones. */
    @Test
    void runCoversCoresAndSeededProperties() {
        ProofRun run = ProofRun.get();
        assertEquals("intRules:javaSemantics", KeyProver.CHOICES.get("intRules"));
        if (!run.filter.isBlank()) {
            System.out.println("SKIPPED coverage check: run filtered by " + run.filter);
            org.junit.jupiter.api.Assumptions.abort("run filtered by proofs.filter=" + run.filter);
        }
        for (String module : CoreSources.CORES.keySet()) {
            assertTrue(run.results.stream().anyMatch(r -> r.module().equals(module)), "no contract found in " + module);
        }
        for (String seed : List.of("OverflowSeed#wrongPlusOne", "DivisionSeed#wrong", "InGapSeed#wrong",
                "FirstFitSeed#wrong")) {
            assertTrue(run.results.stream().anyMatch(r -> r.key().startsWith(seed)), "no seeded variant " + seed);
        }
        // the seeds made from today's sources (proofs/mutants.txt): each in the run, as a seeded row
        for (Mutants.Mutant m : Mutants.load()) {
            assertTrue(run.results.stream().anyMatch(r -> r.key().equals(m.key()) && r.module().equals("seeded")),
                    "no seeded variant " + m.key() + " (mutants.txt)");
        }
        assertFalse(run.results.stream().anyMatch(r -> r.module().equals("?")), "a contract of an unknown module");
    }

    /** The share of its step limit a closing proof may use: the rest absorbs KeY's run-to-run spread. */
    static final double HEADROOM = 0.9;

    /**
     * Every proof that closes does so with at least 10% of its step limit left, so that the few
     * nodes by which KeY's proofs vary from run to run (docs/proofs.md, "Verdicts by steps") can
     * never turn it open: the verdict is the same on any machine and any run.
     */
    @Test
    void everyClosingProofHasHeadroomUnderItsStepLimit() {
        ProofRun run = ProofRun.get();
        Budgets budgets = Budgets.load();
        List<String> tight = new ArrayList<>();
        int checked = 0;
        for (ContractResult r : run.results) {
            if (ContractResult.CLOSED.equals(r.status())) {
                checked++;
                int limit = budgets.steps(r.key(), run.maxSteps);
                if (r.nodes() > HEADROOM * limit) {
                    tight.add(r.key() + ": " + r.nodes() + " nodes of a limit of " + limit);
                }
            }
        }
        System.out.println("headroom: " + checked + " closed proofs, " + tight.size() + " above " + (int) (HEADROOM * 100)
                + "% of their step limits");
        assertTrue(tight.isEmpty(), "closing too near the step limit (raise it in proofs/budgets.txt): " + tight);
    }

    @AfterAll
    static void report() {
        ProofRun run = ProofRun.get();
        Path dir = CoreSources.projectRoot().resolve("verification/proofs/target/proofs");
        Report.write(run, dir);
        System.out.println();
        System.out.print(Report.table(run.results, false));
        System.out.println(Report.summary(run));
        long excused = run.results.stream().filter(r -> ContractResult.EXCUSED.equals(r.status())).count();
        long trusted = run.results.stream().filter(r -> ContractResult.TRUSTED.equals(r.status())).count();
        System.out.println("EXCUSED contracts: " + excused + " (listed in verification/proofs/src/main/resources/proofs/excused.txt;"
                + " see " + dir.resolve("report.md") + ")");
        System.out.println("TRUSTED cases: " + trusted + " (verification/proofs/src/main/resources/proofs/trusted.txt, each argued in"
                + " docs/proofs.md, \"Trusted cases\")");
    }
}
