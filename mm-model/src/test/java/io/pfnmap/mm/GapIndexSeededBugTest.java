package io.pfnmap.mm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.GapIndex;
import io.pfnmap.mm.core.MmState;
import org.junit.jupiter.api.Test;

/**
 * {@link GapIndexProperties#theIndexAnswersAsTheLinearScan} must be able to fail: the same
 * statement, over the same generated cases, is run against deliberately wrong indexes and must
 * reject each within a bounded number of cases. Each is a mistake a C implementation of the
 * index could make.
 */
class GapIndexSeededBugTest {
    private static final int BUDGET = 2_000;

    private static void rejects(String what, GapIndexProperties.Impl bug) {
        long[] n = {0};
        String[] found = {null};
        boolean rejected = GapIndexProperties.cases().sampleStream().limit(BUDGET).anyMatch(c -> {
            n[0]++;
            found[0] = GapIndexProperties.firstMismatch(bug, c, f -> { });
            return found[0] != null;
        });
        System.out.printf("seeded bug %-48s %s after %d cases%s%n", what, rejected ? "rejected" : "NOT rejected", n[0],
                rejected ? " (" + found[0] + ")" : "");
        assertTrue(rejected, "the property did not reject the seeded bug: " + what);
    }

    /** The model's build, update and searches, with one part replaced. */
    private abstract static class Variant implements GapIndexProperties.Impl {
        @Override
        public long[] build(long[] start, long[] end) {
            return GapIndexProperties.MODEL.build(start, end);
        }

        @Override
        public void update(long[] tree, int k, long gap) {
            GapIndexProperties.MODEL.update(tree, k, gap);
        }

        @Override
        public int lowest(MmState mm, long[] tree, long min, long max, long size) {
            return GapIndexProperties.MODEL.lowest(mm, tree, min, max, size);
        }

        @Override
        public int highest(MmState mm, long[] tree, long min, long max, long size) {
            return GapIndexProperties.MODEL.highest(mm, tree, min, max, size);
        }
    }

    /** Each gap's length compared off by one: a gap of exactly {@code size} bytes is skipped. */
    @Test
    void rejectsLengthOffByOne() {
        rejects("gap index: length > size instead of >=", new Variant() {
            @Override
            public long[] build(long[] start, long[] end) {
                long[] tree = GapIndex.build(start, end);
                for (int k = 0; k < start.length; k++) {
                    update(tree, k, GapIndex.masLeafMaxGap(start, end, k));
                }
                return tree;
            }

            @Override
            public void update(long[] tree, int k, long gap) {
                // the last gap's -1 ("always test") stays; every real length loses one
                GapIndex.masUpdateGap(tree, k, gap == -1 ? gap : gap - 1);
            }
        });
    }

    /**
     * The tree's answer trusted without testing the gap clipped to the window: a gap that is
     * long enough but lies partly below {@code min} or above {@code max} is taken.
     */
    @Test
    void rejectsUnclippedGap() {
        rejects("gap index: window clipping ignored", new Variant() {
            @Override
            public int lowest(MmState mm, long[] tree, long min, long max, long size) {
                if (Arith.ugt(min, max) || size == 0 || Arith.ult(max - min, size - 1)) {
                    return -1;
                }
                int k = GapIndex.masAnodeDescend(tree, 1, 0, tree.length / 2, GapIndex.firstAbove(mm.vmStart, min), size);
                return k >= 0 && k <= GapIndex.firstAbove(mm.vmEnd, max) ? k : -1;
            }

            @Override
            public int highest(MmState mm, long[] tree, long min, long max, long size) {
                if (Arith.ugt(min, max) || size == 0 || Arith.ult(max - min, size - 1)) {
                    return -1;
                }
                int k = GapIndex.masRevAwalk(tree, 1, 0, tree.length / 2, GapIndex.firstAbove(mm.vmEnd, max), size);
                return k >= GapIndex.firstAbove(mm.vmStart, min) ? k : -1;
            }
        });
    }

    /** An update that sets the leaf but not the nodes above it: a gap that grew stays hidden. */
    @Test
    void rejectsUpdateWithoutPropagation() {
        rejects("gap index: update not propagated to the root", new Variant() {
            @Override
            public void update(long[] tree, int k, long gap) {
                tree[tree.length / 2 + k] = gap;
            }
        });
    }
}
