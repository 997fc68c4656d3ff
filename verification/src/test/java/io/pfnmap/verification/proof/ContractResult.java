package io.pfnmap.verification.proof;

/**
 * One contract's outcome: the row of the report. {@code status} is {@code closed}, {@code open}
 * or {@code excused} (open, but listed in {@code proofs/excused.txt} with a reason).
 */
public record ContractResult(String module, String className, String method, String contract, String status,
        int nodes, long millis, String reason) {

    public static final String CLOSED = "closed";
    public static final String OPEN = "open";
    public static final String EXCUSED = "excused";

    /** {@code Class#method}, the key of {@code excused.txt}. */
    public String key() {
        return className + "#" + method;
    }
}
