package io.pfnmap.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks' regression gate in the build (issue 23): JMH measures every gated benchmark
 * (the indexed searches, a session edit, the oracle's lines) and the seeded three-times-slower
 * search and edit ({@link GateSeed}) against the committed figures of {@code baseline.txt}, and
 * prints what it compared. The real benchmarks must pass, the seeds must fail: the gate can fail,
 * for the searches and for the edits, each measured its own way. About 2 to 4 minutes on 2
 * loaded cores.
 */
class RegressionGateTest {

    @Test
    void theBenchmarksPassAndTheSeededRegressionsFail() throws Exception {
        Map<String, Double> baseline = Gate.baseline();
        assertEquals(14, baseline.size(), "five searches and an edit at 64 and 65,530 VMAs, the lines in two modes,"
                + " in baseline.txt");
        Gate.Verdict v = Gate.gate(baseline, Gate.SEEDS);
        v.lines.forEach(System.out::println);
        assertTrue(v.missing.isEmpty(), "not measured: " + v.missing);
        assertFalse(v.lines.stream().anyMatch(l -> l.startsWith("GateSeed.mapAndUnmap@64")), "the edit's seed is"
                + " measured at 65,530 VMAs only (Gate.SEEDS)");
        for (String seed : List.of("GateSeed.unmappedAreaTopdown@64", "GateSeed.unmappedAreaTopdown@65530",
                "GateSeed.mapAndUnmap@65530")) {
            assertTrue(v.regressed.contains(seed), "the seeded regression " + seed + " (" + GateSeed.SLOWDOWN
                    + " times slower) passed the gate: " + v.regressed);
        }
        v.regressed.removeIf(k -> k.startsWith("GateSeed."));
        assertTrue(v.regressed.isEmpty(), "more than " + Gate.LIMIT + " times slower than committed: " + v.regressed
                + " (if the change is meant, re-record baseline.txt: see Gate)");
    }

    @Test
    void aBadBaselineLineIsNamed() {
        IOException e = assertThrows(IOException.class, () -> Gate.parse("# c\nGapSearchBenchmark.doMmap@64 fast 1 2\n"));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertFalse(e.getMessage().contains("Exception"), e.getMessage());
    }

    /** Each seed is compared with what it slows, and a key over the limit is measured again at its own value only. */
    @Test
    void aSeedIsComparedWithWhatItSlows() {
        assertEquals("GapSearchBenchmark.unmappedAreaTopdown@64", Gate.baseKey("GateSeed.unmappedAreaTopdown@64"));
        assertEquals("SpaceEditBenchmark.mapAndUnmap@65530", Gate.baseKey("GateSeed.mapAndUnmap@65530"));
        assertEquals("OracleLinesBenchmark.serve@REPLAY", Gate.baseKey("OracleLinesBenchmark.serve@REPLAY"));
        Gate.Gated again = Gate.at("OracleLinesBenchmark.serve@REPLAY", Gate.GATED);
        assertEquals(List.of("REPLAY"), List.of(again.values()));
        assertEquals("mode", again.param());
        assertEquals(Gate.EDIT_RUNS, again.runs());
        assertEquals(Gate.SEARCH_RUNS, Gate.at("GapSearchBenchmark.doMmap@64", Gate.GATED).runs());
        assertThrows(IllegalArgumentException.class, () -> Gate.at("SpaceEditBenchmark.other@64", Gate.GATED));
        // the seed over the limit at both sizes is measured again in one JMH run
        List<Gate.Gated> over = Gate.merged(List.of(Gate.at("GateSeed.unmappedAreaTopdown@64", Gate.SEEDS),
                Gate.at("GateSeed.unmappedAreaTopdown@65530", Gate.SEEDS), Gate.at("GateSeed.mapAndUnmap@65530", Gate.SEEDS)));
        assertEquals(2, over.size());
        assertEquals(List.of("64", "65530"), List.of(over.get(0).values()));
        assertEquals(List.of("65530"), List.of(over.get(1).values()));
    }
}
