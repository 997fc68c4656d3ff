package io.pfnmap.verification.diff;

import io.pfnmap.verification.oracle.Harness;
import io.pfnmap.verification.oracle.RequestGenerator;
import io.pfnmap.verification.oracle.Vectors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pfnmap.verification.oracle.InvalidRequestException;
import io.pfnmap.verification.oracle.Oracle;
import io.pfnmap.verification.oracle.Request;
import io.pfnmap.verification.oracle.RequestParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The differential harness (docs/oracle.md "Harness"): the C stand-in for the kernel's search
 * (src/test/c/harness/vma_search.c, written from the facts file) is built with gcc and fed, in
 * the flat line format, at least 100,000 seeded random requests plus every edge-case vector; it
 * must agree with the model on every one. Each seeded bug of the C ({@code -DSEEDED_BUG=n})
 * must be caught: at least one disagreement. The seed is {@code -Dharness.seed} (default fixed,
 * printed), the count {@code -Dharness.requests}.
 */
class DifferentialHarnessTest {
    static final Path SRC = Path.of("src/test/c/harness");
    static final int REQUESTS = Integer.getInteger("harness.requests", 100_000);
    static final long SEED = Long.getLong("harness.seed", 20260);
    /** The seeded bugs of vma_search.c and what each breaks. */
    static final String[] BUGS = {"", "dropped ret == addr check", "off_sub the wrong way round",
        "top-down ignores a stack's guard gap", "len + size wrap not checked"};

    @TempDir
    static Path tmp;
    static List<String> flat;
    static List<Long> expected;

    @BeforeAll
    static void requests() {
        flat = new ArrayList<>();
        expected = new ArrayList<>();
        RequestParser parser = new RequestParser();
        RequestGenerator g = new RequestGenerator(SEED);
        int invalid = 0;
        for (int i = 0; i < REQUESTS; i++) {
            String line = g.next();
            try {
                add(parser.parse(line));
            } catch (InvalidRequestException e) {
                invalid++;
            }
        }
        for (Vectors.Case c : Vectors.cases(SEED, 0)) {
            add(c.request());
        }
        System.out.println("harness: seed " + SEED + ", " + REQUESTS + " random lines (" + invalid
                + " invalid, not sent), " + flat.size() + " requests with the edge-case vectors");
        assertTrue(flat.size() >= 100_000 || REQUESTS < 100_000, "at least 100,000 requests per run");
    }

    private static void add(Request r) {
        if (Harness.flattens(r)) {
            flat.add(Harness.flat(r));
            expected.add(Oracle.evaluate(r).value());
        }
    }

    static Path gcc(String name, String... defines) throws IOException, InterruptedException {
        Path exe = tmp.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("gcc", "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror"));
        cmd.addAll(List.of(defines));
        cmd.addAll(List.of(SRC.resolve("vma_search.c").toString(), SRC.resolve("driver.c").toString(), "-o",
                exe.toString()));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            String reason = "gcc not found (" + e.getMessage() + "); .ci/run installs it";
            System.out.println("SKIPPED differential harness: " + reason);
            Assumptions.abort(reason);
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "gcc timed out");
        assertEquals(0, p.exitValue(), "gcc failed: " + out);
        return exe;
    }

    /** Runs the driver over the flat lines; its answers, one per line. */
    static List<String> run(Path exe) throws IOException, InterruptedException {
        Path in = tmp.resolve("requests.txt");
        if (!Files.exists(in)) {
            Files.write(in, flat, StandardCharsets.US_ASCII);
        }
        Path out = tmp.resolve(exe.getFileName() + ".out");
        Process p = new ProcessBuilder(exe.toString()).redirectInput(in.toFile()).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "driver timed out");
        assertEquals(0, p.exitValue(), "driver exit status");
        return Files.readAllLines(out, StandardCharsets.US_ASCII);
    }

    static int disagreements(List<String> answers, StringBuilder first) {
        assertEquals(flat.size(), answers.size(), "one answer per request");
        int bad = 0;
        for (int i = 0; i < answers.size(); i++) {
            String a = answers.get(i);
            boolean same = !a.startsWith("invalid") && Long.parseUnsignedLong(a, 16) == expected.get(i);
            if (!same) {
                if (bad < 3) {
                    first.append("\n  ").append(flat.get(i)).append("\n    C: ").append(a).append(", model: ")
                            .append(Long.toHexString(expected.get(i)));
                }
                bad++;
            }
        }
        return bad;
    }

    @Test
    void theCAgreesWithTheModelOnEveryRequest() throws Exception {
        List<String> answers = run(gcc("driver"));
        StringBuilder first = new StringBuilder();
        int bad = disagreements(answers, first);
        System.out.println("harness: " + flat.size() + " requests, " + (flat.size() - bad) + " agree");
        assertEquals(0, bad, "disagreements of the C with the model:" + first);
    }

    @Test
    void everySeededBugOfTheCIsCaught() throws Exception {
        for (int b = 1; b < BUGS.length; b++) {
            List<String> answers = run(gcc("driver-bug" + b, "-DSEEDED_BUG=" + b));
            int bad = disagreements(answers, new StringBuilder());
            System.out.println("harness: seeded bug " + b + " (" + BUGS[b] + "): " + bad + " disagreements");
            assertTrue(bad > 0, "seeded bug " + b + " (" + BUGS[b] + ") was not caught");
        }
    }

    @Test
    void theCPassesTheGeneratedVectorHeader() throws Exception {
        Path dir = tmp.resolve("vectors");
        List<Vectors.Case> cases = Vectors.write(SEED, 200, dir);
        Path exe = gcc("driver-vectors", "-DPFNMAP_VECTORS=\"" + dir.resolve(Vectors.HEADER_FILE) + "\"");
        Process p = new ProcessBuilder(exe.toString(), "--vectors").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals("ok " + cases.size() + " of " + cases.size() + "\n", out);
        assertEquals(0, p.exitValue());
        Path bug = gcc("driver-vectors-bug", "-DSEEDED_BUG=2", "-DPFNMAP_VECTORS=\""
                + dir.resolve(Vectors.HEADER_FILE) + "\"");
        Process q = new ProcessBuilder(bug.toString(), "--vectors").redirectErrorStream(true).start();
        String qout = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(q.waitFor(120, TimeUnit.SECONDS));
        assertEquals(1, q.exitValue(), "the vectors catch seeded bug 2: " + qout.lines().reduce((x, y) -> y).orElse(""));
        assertTrue(qout.contains("FAIL tcId"));
    }
}
