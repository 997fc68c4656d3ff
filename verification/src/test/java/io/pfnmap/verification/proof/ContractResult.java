package io.pfnmap.verification.proof;

import java.util.List;

/**
 * One contract's outcome: the row of the report. {@code status} is {@code closed}, {@code open}
 * or {@code excused} (open, but listed in {@code proofs/excused.txt} with a reason). For a seeded
 * wrong variant {@code expected} is {@code open} (the prover must fail to close it) or {@code
 * closed} (a control that must close); for a core contract it is {@code closed}.
 */
public record ContractResult(String module, String className, String method, String contract, String status,
        int nodes, long millis, String reason, String note, List<String> openBranches, String expected) {

    public static final String CLOSED = "closed";
    public static final String OPEN = "open";
    public static final String EXCUSED = "excused";

    /** {@code Class#method contract}, the key of {@code excused.txt} and the test's name. */
    public String key() {
        return className + "#" + method + " " + contract;
    }

    /** Whether the outcome is the one the build wants. */
    public boolean asExpected() {
        if (EXCUSED.equals(status)) {
            return true;
        }
        return expected.equals(status);
    }
}
