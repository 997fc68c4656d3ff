package io.pfnmap.mm;

import static io.pfnmap.mm.FirstFitProperties.COMPLETE;
import static io.pfnmap.mm.FirstFitProperties.MINIMAL;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pfnmap.mm.FirstFitProperties.Check;
import io.pfnmap.mm.FirstFitProperties.Search;
import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.MmState;
import io.pfnmap.mm.core.UnmappedArea;
import io.pfnmap.mm.core.VmaTree;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every statement of {@link FirstFitProperties} must be able to fail: each runs here against a
 * deliberately wrong search over the same generator and must reject it within a bounded number of
 * samples. The same three wrong searches are seeded for KeY (verification's key-seeded
 * {@code FirstFitSeed}).
 */
class FirstFitSeededBugTest {
    private static final int BUDGET = 20_000;

    private static void rejects(String what, boolean topdown, Check check, Search bug) {
        long[] n = {0};
        boolean found = FirstFitProperties.cases().sampleStream().limit(BUDGET).anyMatch(c0 -> {
            n[0]++;
            return !check.holds(bug, c0.withTopdown(topdown));
        });
        System.out.printf("seeded bug %-56s %s after %d samples%n", what, found ? "rejected" : "NOT rejected", n[0]);
        assertTrue(found, "the property did not reject the seeded bug: " + what);
    }

    /** Always -ENOMEM: in bounds, clear and congruent vacuously, so only completeness can catch it. */
    /**
     * What a wrong search answers when its loop has tried more gaps than the space has (the
     * model's search ends within one try per VMA and one more): aligning the wrong way can retry
     * the same gap forever. Address 1 is no answer of a search, so every property rejects it.
     */
    static final long NEVER_ENDS = 1;

    static final Search ALWAYS_ENOMEM = c -> FirstFitProperties.ENOMEM;

    /** Skips the first fit: the model's answer, then the search again from past the gap it found. */
    static final Search SKIPS_FIRST_FIT = c -> {
        long r = FirstFitProperties.MODEL.run(c);
        if (r == FirstFitProperties.ENOMEM) {
            return r;
        }
        MmState m = c.mm();
        int k = FirstFitProperties.gapOf(m, r);
        if (!c.topdown()) {
            return k == m.vmStart.length ? FirstFitProperties.ENOMEM
                    : FirstFitProperties.MODEL.run(c.withLimits(Arith.umax(c.low(), m.vmEnd[k]), c.high()));
        }
        return k == 0 || Long.compareUnsigned(m.vmStart[k - 1], c.low()) <= 0 ? FirstFitProperties.ENOMEM
                : FirstFitProperties.MODEL.run(c.withLimits(c.low(), m.vmStart[k - 1]));
    };

    /**
     * Aligns inside the gap the wrong way: bottom-up lowers the gap's start to congruence (as
     * top-down does), top-down raises {@code gap_end - length} (as bottom-up does). The loops are
     * the model's, with its tree queries and guard-gap tests.
     */
    static final Search ALIGNS_WRONG_WAY = c -> {
        MmState mm = c.mm();
        long padded = UnmappedArea.paddedLength(c.length(), c.alignMask(), c.startGap());
        if (padded == 0) {
            return FirstFitProperties.ENOMEM;
        }
        long lo = Arith.maskLow(c.alignMask(), mm.pageSize);
        long low = Arith.umax(c.low(), mm.mmapMinAddr);
        if (!c.topdown()) {
            long max = Arith.lastAddress(c.high());
            for (int tries = 0; tries <= mm.vmStart.length + 1; tries++) {
                int k = VmaTree.areaLowest(mm, low, max, padded);
                if (k < 0) {
                    return FirstFitProperties.ENOMEM;
                }
                long gap = Arith.alignDownMask(Arith.umax(VmaTree.gapStart(mm, k), low) + c.startGap(), c.alignOffset(),
                        c.alignMask(), lo); // the seeded bug: alignUpMask
                long next = UnmappedArea.retryLow(mm, k, gap, padded);
                if (next == 0) {
                    return gap;
                }
                low = next;
            }
            return NEVER_ENDS;
        }
        long high = c.high();
        for (int tries = 0; tries <= mm.vmStart.length + 1; tries++) {
            int k = VmaTree.areaHighest(mm, low, Arith.lastAddress(high), padded);
            if (k < 0) {
                return FirstFitProperties.ENOMEM;
            }
            long gapEnd = UnmappedArea.gapEndBelow(mm, k, high);
            long gap = Arith.alignUpMask(gapEnd - c.length(), c.alignOffset(), c.alignMask(), lo); // the seeded bug
            long next = UnmappedArea.retryHigh(mm, k, gapEnd, gap, high);
            if (next == -1) {
                return gap;
            }
            high = next;
        }
        return NEVER_ENDS;
    };

    /**
     * Each statement against each wrong search it must reject: {what, topdown, statement, search}.
     * Minimality alone also catches always -ENOMEM (it says -ENOMEM only when no gap fits).
     */
    static Stream<Arguments> seeded() {
        return Stream.of(
                Arguments.of("bottom-up completeness: always -ENOMEM", false, COMPLETE, ALWAYS_ENOMEM),
                Arguments.of("top-down completeness: always -ENOMEM", true, COMPLETE, ALWAYS_ENOMEM),
                Arguments.of("bottom-up minimality: skips the first fit", false, MINIMAL, SKIPS_FIRST_FIT),
                Arguments.of("top-down minimality: skips the highest fit", true, MINIMAL, SKIPS_FIRST_FIT),
                Arguments.of("bottom-up minimality: aligns down inside the gap", false, MINIMAL, ALIGNS_WRONG_WAY),
                Arguments.of("top-down minimality: aligns up inside the gap", true, MINIMAL, ALIGNS_WRONG_WAY),
                Arguments.of("bottom-up minimality: always -ENOMEM", false, MINIMAL, ALWAYS_ENOMEM));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeded")
    void theStatementRejectsTheWrongSearch(String what, boolean topdown, Check check, Search bug) {
        rejects(what, topdown, check, bug);
    }
}
