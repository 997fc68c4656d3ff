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

    static List<String> answers(byte[] in) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Oracle().serve(new ByteArrayInputStream(in), out);
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** The answer without its id ({@code {"id":N,} cut off). */
    static String body(String answer) {
        return answer.substring(answer.indexOf(',') + 1);
    }

    /**
     * The session modes measure the same work: --session's requests get exactly the answers of
     * the carried ones (its line i + 1 is the carried line i, naming the space instead), and every
     * --replay line gets a model answer, its munmaps 0.
     */
    @Test
    void sessionLinesAnswerAsCarriedOnesAndReplayLinesAreAllAnswered() throws Exception {
        List<String> carried = answers(Bench.requests(5000, 42, Bench.Mode.CARRIED));
        List<String> session = answers(Bench.requests(5001, 42, Bench.Mode.SESSION));
        assertEquals("{\"id\":0,\"space\":\"b\",\"vmas\":" + Bench.VMAS + "}", session.get(0));
        for (int i = 0; i < 5000; i++) {
            assertEquals(body(carried.get(i)), body(session.get(i + 1)), "line " + i);
        }
        byte[] in = Bench.requests(5000, 42, Bench.Mode.REPLAY);
        List<String> lines = new String(in, StandardCharsets.US_ASCII).lines().toList();
        List<String> replay = answers(in);
        int applied = 0;
        for (int i = 1; i < replay.size(); i++) {
            String a = replay.get(i);
            assertTrue(a.contains("\"result\":") || a.contains("\"error\":"), lines.get(i) + " -> " + a);
            if (lines.get(i).contains("\"munmap\"")) {
                assertEquals("{\"id\":" + i + ",\"result\":\"0x0\"}", a);
            }
            if (lines.get(i).contains("\"apply\":true") && a.contains("\"result\"")) {
                applied++;
            }
        }
        assertEquals(1250, applied, "every MAP_FIXED mmap of the replay lands (one line in four)");
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
