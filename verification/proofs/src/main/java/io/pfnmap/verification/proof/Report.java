package io.pfnmap.verification.proof;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The report of a proof run: a console table, {@code report.md} and {@code report.json}. */
public final class Report {
    private Report() {
    }

    /** The run's per-contract times in the form of proofs/costs.txt (which the schedule reads). */
    static String costs(List<ContractResult> results) {
        StringBuilder b = new StringBuilder("# Per-contract proof times (ms) of one run, for ProofRun's schedule only: "
                + "copy to verification/proofs/src/main/resources/proofs/costs.txt to refresh.\n");
        results.stream().sorted(java.util.Comparator.comparing(ContractResult::key))
                .forEach(r -> b.append(r.key()).append(" | ").append(r.millis()).append('\n'));
        return b.toString();
    }

    /** Counts by status (core contracts) and seeded outcomes. */
    public static String summary(ProofRun run) {
        int closed = 0, open = 0, excused = 0, seededOk = 0, seededBad = 0, resting = 0, onTrusted = 0, undecided = 0, trusted = 0;
        long nodes = 0;
        for (ContractResult r : run.results) {
            nodes += r.nodes();
            if (r.module().equals("seeded")) {
                if (r.asExpected()) {
                    seededOk++;
                } else {
                    seededBad++;
                }
                continue;
            }
            switch (r.status()) {
                case ContractResult.CLOSED -> {
                    closed++;
                    if (!r.closedOnTrustedOnly()) {
                        resting++;
                    } else if (!r.restsOn().isEmpty()) {
                        onTrusted++;
                    }
                }
                case ContractResult.EXCUSED -> excused++;
                case ContractResult.TRUSTED -> trusted++;
                case ContractResult.UNDECIDED -> undecided++;
                default -> open++;
            }
        }
        return String.format(Locale.ROOT,
                "KeY 2.12.3 (%s): %d contracts of the cores: %d closed (%d of them outright, callees included;"
                        + " %d on trusted cases only; %d on a callee's contract that is not closed), %d open, %d excused,"
                        + " %d trusted, %d undecided (safety net); seeded variants: %d as"
                        + " expected, %d not; %,d nodes; %.1f s wall on %d prover process(es), step limit %,d (each verdict decided by steps), wall-clock safety net %s%s",
                KeyProver.INT_RULES, closed + open + excused + trusted + undecided, closed, closed - resting - onTrusted, onTrusted, resting,
                open, excused, trusted, undecided, seededOk,
                seededBad, nodes,
                run.wallMillis / 1000.0, run.workers, run.maxSteps,
                run.safetyNetSeconds > 0 ? run.safetyNetSeconds + " s" : "none",
                run.filter.isBlank() ? "" : ", FILTERED by " + run.filter);
    }

    public static String table(List<ContractResult> rows, boolean markdown) {
        StringBuilder b = new StringBuilder();
        String fmt = markdown ? "| %s | %s | %s | %s | %s | %s | %s | %s |%n" : "%-10s %-21s %-28s %-18s %-8s %8s %8s  %s%n";
        b.append(String.format(Locale.ROOT, fmt, "module", "class", "method", "contract", "status", "nodes", "ms",
                "open branches / reason"));
        if (markdown) {
            b.append("|---|---|---|---|---|---:|---:|---|\n");
        }
        for (ContractResult r : rows) {
            String detail;
            if (ContractResult.EXCUSED.equals(r.status()) || ContractResult.TRUSTED.equals(r.status())) {
                detail = r.reason() + " [" + String.join("; ", r.openBranches()) + "]";
            } else if (!ContractResult.CLOSED.equals(r.status())) {
                detail = String.join("; ", r.openBranches());
            } else if (!r.restsOn().isEmpty()) {
                detail = "rests on " + String.join(", ", r.restsOn());
            } else {
                detail = "";
            }
            if (r.module().equals("seeded")) {
                detail = (r.asExpected() ? "as expected: " : "WRONG: ") + "must be " + r.expected()
                        + (detail.isEmpty() ? "" : " (" + detail + ")");
            }
            b.append(String.format(Locale.ROOT, fmt, r.module(), r.className(), r.method(), r.contract(), r.status(),
                    r.nodes(), r.millis(), markdown ? detail.replace("|", "\\|") : detail));
        }
        return b.toString();
    }

    public static void write(ProofRun run, Path dir) {
        try {
            Files.createDirectories(dir);
            StringBuilder md = new StringBuilder();
            md.append("# KeY proof report\n\n").append(summary(run)).append("\n\n");
            md.append("Options: `").append(KeyProver.INT_RULES).append("` (Java's wrap-around integer semantics), ")
                    .append("every taclet option set explicitly (KeyProver.CHOICES), no SMT solver.\n\n");
            md.append(table(run.results, true));
            md.append("\n## Excused contracts\n\n");
            boolean any = false;
            for (ContractResult r : run.results) {
                if (ContractResult.EXCUSED.equals(r.status())) {
                    any = true;
                    md.append("- **").append(r.key()).append("** (").append(r.module()).append("): ").append(r.reason())
                            .append("\n  - note: ").append(r.note()).append("\n  - open: ")
                            .append(String.join("; ", r.openBranches())).append('\n');
                }
            }
            if (!any) {
                md.append("none\n");
            }
            md.append("\n## Trusted cases\n\n")
                    .append("Not provable by design in KeY 2.12.3; each has its soundness argument in docs/proofs.md,")
                    .append(" \"Trusted cases\". A proof that rests only on these is counted apart from one resting on an")
                    .append(" excused contract.\n\n");
            any = false;
            for (ContractResult r : run.results) {
                if (ContractResult.TRUSTED.equals(r.status())) {
                    any = true;
                    md.append("- **").append(r.key()).append("** (").append(r.module()).append("): ").append(r.reason())
                            .append("\n  - sound because: ").append(r.note()).append('\n');
                }
            }
            if (!any) {
                md.append("none\n");
            }
            md.append("\n## Closed on a callee's contract that is not closed\n\n")
                    .append("A closed proof applies its callees' contracts; these closed, but some contract they depend on")
                    .append(" (directly or through closed callees) did not close in this run, so they hold only if it does.\n\n");
            any = false;
            for (ContractResult r : run.results) {
                if (ContractResult.CLOSED.equals(r.status()) && !r.closedOnTrustedOnly() && !r.module().equals("seeded")) {
                    any = true;
                    md.append("- **").append(r.key()).append("** (").append(r.module()).append("): rests on ")
                            .append(String.join(", ", r.restsOn())).append('\n');
                }
            }
            if (!any) {
                md.append("none\n");
            }
            Files.writeString(dir.resolve("report.md"), md.toString(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("report.json"), json(run.results), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("costs.txt"), costs(run.results), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A row of {@code report.json}, as spec's ProofReport reads it. */
    @JsonPropertyOrder({"module", "class", "method", "contract", "status", "expected", "nodes", "millis", "reason",
        "note", "openBranches", "uses", "restsOn"})
    record JsonRow(String module, @JsonProperty("class") String className, String method, String contract,
            String status, String expected, int nodes, long millis, String reason, String note,
            List<String> openBranches, List<String> uses, List<String> restsOn) {
        static JsonRow of(ContractResult r) {
            return new JsonRow(r.module(), r.className(), r.method(), r.contract(), r.status(), r.expected(),
                    r.nodes(), r.millis(), r.reason().isEmpty() ? null : r.reason(),
                    r.note().isEmpty() ? null : r.note(), r.openBranches(), r.uses(), r.restsOn());
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A JSON array, one contract a line. */
    static String json(List<ContractResult> rows) {
        StringBuilder b = new StringBuilder("[\n");
        for (int i = 0; i < rows.size(); i++) {
            try {
                b.append("  ").append(MAPPER.writeValueAsString(JsonRow.of(rows.get(i))));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
            b.append(i + 1 < rows.size() ? "," : "").append('\n');
        }
        return b.append("]\n").toString();
    }
}
