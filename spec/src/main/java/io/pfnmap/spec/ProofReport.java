package io.pfnmap.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.pfnmap.verification.oracle.Jsons;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The KeY proof run's report: a JSON array of {@code {module, class, method, contract, status,
 * nodes, millis, reason}}, written by the proof run in verification/proofs ({@code mvn verify})
 * and published in that module's jar as {@code proofs/report.json}, which spec depends on. When
 * the report is absent the document says so per property; it never invents a status.
 */
public final class ProofReport {
    /** Where the report is: a resource of the verification-proofs artifact. */
    public static final String RESOURCE = "proofs/report.json";
    /** How the documents name it. */
    public static final String PATH = "proofs/report.json of verification-proofs (verification/proofs/target/proofs)";
    /** What the document says where there is no report. */
    public static final String ABSENT = "proof report not present in this build";

    /**
     * One row of the report. {@code restsOn}: for a closed contract, the contracts below it that
     * did not close in the run (empty when it holds outright, callees included).
     */
    public record Row(String module, String className, String method, String contract, String status, long nodes,
            long millis, String reason, List<String> restsOn) {
        public Row(String module, String className, String method, String contract, String status, long nodes,
                long millis, String reason) {
            this(module, className, method, contract, status, nodes, millis, reason, List.of());
        }
    }

    private final Optional<Path> file;
    private final List<Row> rows;
    private final String problem;

    private ProofReport(Optional<Path> file, List<Row> rows, String problem) {
        this.file = file;
        this.rows = rows;
        this.problem = problem;
    }

    /** The report this build's proof run published (on the classpath), or an absent report. */
    public static ProofReport published() {
        java.net.URL u = ProofReport.class.getClassLoader().getResource(RESOURCE);
        if (u == null) {
            return new ProofReport(Optional.empty(), List.of(), ABSENT);
        }
        try (java.io.InputStream in = u.openStream()) {
            return parse(Path.of(RESOURCE), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + u, e);
        }
    }

    /** Reads the report in {@code file}, or an absent report when there is none. */
    public static ProofReport load(Path file) {
        if (!Files.isRegularFile(file)) {
            return new ProofReport(Optional.empty(), List.of(), ABSENT);
        }
        try {
            return parse(file, Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** A row as verification's Report writes it; what the document does not show is ignored. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    private record Entry(String module, @JsonProperty("class") String className, String method, String contract,
            String status, Long nodes, Long millis, String reason, List<String> restsOn) {
        Row row() {
            return new Row(str(module), str(className), str(method), str(contract), str(status), num(nodes),
                    num(millis), str(reason), restsOn == null ? List.of() : List.copyOf(restsOn));
        }

        private static String str(String s) {
            return s == null ? "" : s;
        }

        private static long num(Long n) {
            return n == null ? -1 : n;
        }
    }

    /** Parses report text; a malformed report is reported as such, not as proofs. */
    public static ProofReport parse(Path p, String text) {
        List<Row> rows = new ArrayList<>();
        try {
            JsonNode v = Jsons.MAPPER.readTree(text);
            if (v == null || !v.isArray()) {
                return new ProofReport(Optional.of(p), List.of(), "proof report unreadable (not a JSON array)");
            }
            for (JsonNode o : v) {
                if (o.isObject()) {
                    rows.add(Jsons.MAPPER.treeToValue(o, Entry.class).row());
                }
            }
        } catch (IOException | RuntimeException e) {
            return new ProofReport(Optional.of(p), List.of(), "proof report unreadable (" + e.getMessage() + ")");
        }
        return new ProofReport(Optional.of(p), List.copyOf(rows), null);
    }

    public boolean present() {
        return file.isPresent() && problem == null;
    }

    /** Why there is no status: absent or unreadable; null when present. */
    public String problem() {
        return problem;
    }

    public List<Row> rows() {
        return rows;
    }

    /** The rows for {@code simpleClass#method} (the report may name the class simply or fully). */
    public List<Row> rowsFor(String className, String method) {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        List<Row> out = new ArrayList<>();
        for (Row r : rows) {
            String rc = r.className();
            String rs = rc.substring(rc.lastIndexOf('.') + 1);
            if ((rc.equals(className) || rs.equals(simple)) && r.method().equals(method)) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * The status of a method's contracts in words: "closed (n nodes, t ms)" when every contract
     * closed, else each contract's status, or the reason there is none; a closed contract that
     * rests on a callee's contract that did not close says which.
     */
    public String statusOf(String className, String method) {
        if (!present()) {
            return problem;
        }
        List<Row> rs = rowsFor(className, method);
        if (rs.isEmpty()) {
            return "no contract of this method in the proof report";
        }
        StringBuilder b = new StringBuilder();
        for (Row r : rs) {
            b.append(b.length() == 0 ? "" : "; ").append(r.status());
            if (r.nodes() >= 0) {
                b.append(" (").append(r.nodes()).append(" nodes, ").append(r.millis()).append(" ms");
                if (!r.reason().isEmpty()) {
                    b.append(", ").append(r.reason());
                }
                if (!r.restsOn().isEmpty()) {
                    boolean trustedOnly = r.restsOn().stream().allMatch(k -> k.endsWith(" (trusted)"));
                    b.append(", resting on ").append(String.join(", ", r.restsOn()))
                            .append(trustedOnly ? ", a trusted case argued in docs/proofs.md" : ", not closed");
                }
                b.append(')');
            }
        }
        return b.toString();
    }
}
