package io.pfnmap.verification.proof;

import java.util.List;

/**
 * One contract's outcome: the row of the report. {@code status} is {@code closed}, {@code open},
 * {@code excused} (open, but listed in {@code proofs/excused.txt} with a reason), {@code trusted}
 * (open, not provable by design, listed in {@code proofs/trusted.txt} with its soundness
 * argument) or {@code
 * undecided} (stopped by the wall-clock safety net: no verdict). For a seeded
 * wrong variant {@code expected} is {@code open} (the prover must fail to close it) or {@code
 * closed} (a control that must close); for a core contract it is {@code closed}.
 */
public record ContractResult(String module, String className, String method, String contract, String status,
        int nodes, long millis, String reason, String note, List<String> openBranches, String expected,
        List<String> uses, List<String> restsOn) {

    /**
     * A row without call dependencies. {@code uses}: the contracts the proof applied at calls;
     * {@code restsOn}: for a closed proof, the contracts it depends on, through closed callees,
     * that did not close themselves in this run (excused, open, or not in a filtered run): a
     * closed proof with an empty {@code restsOn} holds outright, callees included.
     */
    public ContractResult(String module, String className, String method, String contract, String status,
            int nodes, long millis, String reason, String note, List<String> openBranches, String expected) {
        this(module, className, method, contract, status, nodes, millis, reason, note, openBranches, expected,
                List.of(), List.of());
    }

    /** This row with its dependencies. */
    public ContractResult withDependencies(List<String> uses, List<String> restsOn) {
        return new ContractResult(module, className, method, contract, status, nodes, millis, reason, note,
                openBranches, expected, List.copyOf(uses), List.copyOf(restsOn));
    }

    public static final String CLOSED = "closed";
    public static final String OPEN = "open";
    public static final String EXCUSED = "excused";
    /**
     * Stopped by the wall-clock safety net before the step limit: no verdict at all. Never
     * excused and never as expected, so the build fails and says the machine, not the proof,
     * ended it.
     */
    public static final String UNDECIDED = "undecided";
    /**
     * Open, not provable by design, and listed in {@code proofs/trusted.txt} with a written
     * soundness argument (docs/proofs.md, "Trusted cases").
     */
    public static final String TRUSTED = "trusted";

    /** Closed, and every contract it rests on is a trusted case (or none). */
    public boolean closedOnTrustedOnly() {
        return CLOSED.equals(status) && restsOn.stream().allMatch(k -> k.endsWith(ProofRun.TRUSTED_MARK));
    }

    /** {@code Class#method contract}, the key of {@code excused.txt} and the test's name. */
    public String key() {
        return className + "#" + method + " " + contract;
    }

    /** Whether the outcome is the one the build wants. */
    public boolean asExpected() {
        if (EXCUSED.equals(status) || TRUSTED.equals(status)) {
            return true;
        }
        return expected.equals(status);
    }
}
