package io.pfnmap.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks' regression gate in the build (issue 23): JMH measures every gated search (and
 * the seeded three-times-slower one, {@link GateSeed}) against the committed figures of
 * {@code baseline.txt}, and prints what it compared. The real searches must pass, the seed must
 * fail: the gate can fail. About a minute on 2 cores.
 */
class RegressionGateTest {

    @Test
    void theSearchesPassAndTheSeededRegressionFails() throws Exception {
        Map<String, Double> baseline = Gate.baseline();
        assertEquals(10, baseline.size(), "five searches at 64 and 65,530 VMAs in baseline.txt");
        Gate.Verdict v = Gate.gate(baseline, "^" + GateSeed.class.getName().replace(".", "\\.") + "\\.");
        v.lines.forEach(System.out::println);
        assertTrue(v.missing.isEmpty(), "not measured: " + v.missing);
        assertTrue(v.regressed.contains("GateSeed.unmappedAreaTopdown@64")
                && v.regressed.contains("GateSeed.unmappedAreaTopdown@65530"),
                "the seeded regression (" + GateSeed.SLOWDOWN + " times slower) passed the gate: " + v.regressed);
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
}
