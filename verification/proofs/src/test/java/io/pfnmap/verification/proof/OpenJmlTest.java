package io.pfnmap.verification.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * OpenJML where it is installed ({@code OPENJML_HOME} or {@code openjml} on the PATH): runs
 * src/test/openjml/run.sh over the same core sources with the reactor's classpath, parses its
 * exit code and {@code verify:} lines and prints them in the KeY report's table (and to
 * target/proofs/openjml.md). KeY is the gate; OpenJML's verdicts are reported, and the test fails
 * only when OpenJML itself fails without a verdict (a crash, a parse error). Absent: one line
 * "OpenJML absent: ..." and a loud skip.
 */
class OpenJmlTest {

    @Test
    void parsesVerifyLines() {
        String sample = "/tmp/x/io/pfnmap/mm/core/Arith.java:10: verify: The prover cannot establish an assertion"
                + " (Postcondition: Arith.java:3:) in method remU\n    return x;\n    ^\n"
                + "/tmp/x/io/pfnmap/mm/core/Arith.java:3: verify: Associated declaration: Arith.java:10:\n"
                + "1 verification failure\n";
        Map<String, List<String>> f = OpenJmlRun.failures(sample);
        assertEquals(List.of("Arith#remU"), List.copyOf(f.keySet()));
        assertTrue(f.get("Arith#remU").get(0).startsWith("The prover cannot establish an assertion (Postcondition"));
    }

    @Test
    void openJmlEsc() throws IOException, InterruptedException {
        Path root = CoreSources.projectRoot();
        Path script = root.resolve("verification/proofs/src/test/openjml/run.sh");
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), root.toString(),
                System.getProperty("java.class.path"));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.MINUTES), "openjml did not finish");
        int rc = p.exitValue();
        if (rc == 3 && out.startsWith("OpenJML absent")) {
            String line = out.strip();
            System.out.println(line);
            System.out.println("SKIPPED openjml: " + line);
            Assumptions.abort(line);
        }
        List<ContractResult> rows = OpenJmlRun.rows(root, out);
        long open = rows.stream().filter(r -> !ContractResult.CLOSED.equals(r.status())).count();
        String table = Report.table(rows, false);
        System.out.print(table);
        System.out.println("OpenJML --esc: exit " + rc + ", " + rows.size() + " methods, " + (rows.size() - open)
                + " verified, " + open + " with verify: failures");
        Path dir = root.resolve("verification/proofs/target/proofs");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("openjml.md"), "# OpenJML --esc\n\nexit " + rc + "\n\n" + Report.table(rows, true)
                + "\n```\n" + out + "\n```\n", StandardCharsets.UTF_8);
        assertTrue(rc == 0 || open > 0, "OpenJML exited " + rc + " without a verify: verdict:\n" + out);
    }
}
