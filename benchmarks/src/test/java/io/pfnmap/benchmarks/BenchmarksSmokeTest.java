package io.pfnmap.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;

/**
 * The benchmarks measure what they say: each search gives the same answer with the index and with
 * the linear scan, a placement past every packed VMA (so the search skipped them all), and the
 * smoke run produces a score for every benchmark. Nothing here is timed.
 */
class BenchmarksSmokeTest {

    private static GapSearchBenchmark state(int vmas, String search) {
        GapSearchBenchmark b = new GapSearchBenchmark();
        b.vmas = vmas;
        b.search = search;
        b.setup();
        return b;
    }

    private static void sameAndPastThePackedVmas(String what, ToLongFunction<GapSearchBenchmark> bench, boolean topdown) {
        for (int n : new int[] {64, 1024}) {
            GapSearchBenchmark index = state(n, "index");
            GapSearchBenchmark linear = state(n, "linear");
            long r = bench.applyAsLong(index);
            assertEquals(bench.applyAsLong(linear), r, what + " at " + n + " VMAs: index and linear scan differ");
            assertTrue(r > 0 && r < (1L << 47), what + " at " + n + " VMAs: no placement, " + Long.toHexString(r));
            // the packed VMAs: all but the stack, the last VMA of the list
            long first = index.topdown.vmas().get(0).start();
            long last = index.bottomUp.vmas().get(n - 2).end();
            if (topdown) {
                assertTrue(r < first, what + ": " + Long.toHexString(r) + " is not below the packed VMAs");
            } else {
                assertTrue(r >= last, what + ": " + Long.toHexString(r) + " is not above the packed VMAs");
            }
        }
    }

    @Test
    void everySearchSkipsThePackedVmasAndAgreesWithTheScan() {
        sameAndPastThePackedVmas("unmapped_area", GapSearchBenchmark::unmappedArea, false);
        sameAndPastThePackedVmas("unmapped_area_topdown", GapSearchBenchmark::unmappedAreaTopdown, true);
        sameAndPastThePackedVmas("thp aligned", GapSearchBenchmark::thpAligned, true);
        sameAndPastThePackedVmas("vfio order-hint", GapSearchBenchmark::vfioOrderHint, true);
        sameAndPastThePackedVmas("do_mmap", GapSearchBenchmark::doMmap, true);
    }

    /**
     * The yardstick measures the same search on both sides: the kernel's C (built from the tree
     * fetched at test time, skipped with the reason when it cannot be had) answers every
     * yardstick query as the model, and a query on another space than the one linked does not.
     */
    @Test
    void theKernelsCAnswersTheYardsticksQueriesAsTheModel() {
        try {
            KernelC.load();
        } catch (KernelC.Unavailable e) {
            Assumptions.abort(e.getMessage());
        }
        for (int n : new int[] {64, 1024, 65530}) {
            YardstickBenchmark y = new YardstickBenchmark();
            y.vmas = n;
            y.impl = "kernel";
            y.spaces(n);
            for (String b : new String[] {"unmappedArea", "unmappedAreaTopdown", "thpAligned"}) {
                y.enter(b); // throws when the two differ
                assertEquals(y.run(b, 3), y.run(b, 1), b + ": a batch answers as one search");
            }
            // the check can fail: the bottom-up query on the top-down space places elsewhere
            KernelC.space(y.topdown);
            long c = y.run("unmappedArea", 1);
            y.kernel = false;
            assertNotEquals(y.run("unmappedArea", 1), c, "the kernel's answer does not depend on the space linked");
        }
    }

    @Test
    void theSmokeRunScoresEveryBenchmark() throws Exception {
        Collection<RunResult> results = Smoke.run();
        // five benchmarks, two sizes, with and without the index
        assertEquals(5 * 2 * 2, results.size());
        for (RunResult r : results) {
            assertFalse(Double.isNaN(r.getPrimaryResult().getScore()), r.getParams().toString());
            assertTrue(r.getPrimaryResult().getScore() > 0, r.getParams().toString());
        }
    }
}
