package io.pfnmap.mm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.pfnmap.mm.core.GapIndex;
import io.pfnmap.mm.core.MmState;
import io.pfnmap.mm.core.UnmappedArea;
import io.pfnmap.mm.core.VmaTree;
import java.util.Random;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The gap index ({@link GapIndex}, the maple tree's {@code mas_empty_area[_rev]}) answers every
 * gap query exactly as the linear scan of {@link VmaTree#areaLowest} / {@link
 * VmaTree#areaHighest} does, the specification: same gap index or -1, both directions, over
 * spaces of up to 65,530 VMAs and windows and sizes at every u64 edge, and again after leaves are
 * updated as VMAs grow and shrink. {@link GapIndexSeededBugTest} runs the same statement against
 * wrong indexes and requires a rejection.
 */
class GapIndexProperties {

    /** A gap search over an index: the model, or a seeded wrong variant. */
    interface Impl {
        long[] build(long[] start, long[] end);

        void update(long[] tree, int k, long gap);

        int lowest(MmState mm, long[] tree, long min, long max, long size);

        int highest(MmState mm, long[] tree, long min, long max, long size);
    }

    static final Impl MODEL = new Impl() {
        @Override
        public long[] build(long[] start, long[] end) {
            return GapIndex.build(start, end);
        }

        @Override
        public void update(long[] tree, int k, long gap) {
            GapIndex.masUpdateGap(tree, k, gap);
        }

        // through VmaTree, so that the delegation to the index is what is checked
        @Override
        public int lowest(MmState mm, long[] tree, long min, long max, long size) {
            return VmaTree.areaLowest(mm.withGapIndex(tree), min, max, size);
        }

        @Override
        public int highest(MmState mm, long[] tree, long min, long max, long size) {
            return VmaTree.areaHighest(mm.withGapIndex(tree), min, max, size);
        }
    };

    /**
     * One generated space and its queries, all drawn from {@code seed} so that a 65,530-VMA case
     * is cheap to generate and shrinks by its parameters: {@code n} VMAs of 1 to 64 units, gaps
     * of 0 (touching VMAs: empty gaps), a few units, up to 2^20 units or a power of two up to 2^30
     * units; the first VMA at 0 or not; the last ending at 2^63 - 1 (where vmasValid's domain
     * ends) or not; then {@code updates} rounds of one VMA growing or shrinking.
     */
    record Case(int n, long seed, long unit, boolean atZero, boolean toTop, int queries, int updates) {
    }

    @Provide
    static Arbitrary<Case> cases() {
        Arbitrary<Integer> n = Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.integers().between(0, 8)),
                Tuple.of(6, Arbitraries.integers().between(9, 400)),
                Tuple.of(1, Arbitraries.of(1024, 16384, 65530)));
        return Combinators.combine(n, Arbitraries.longs(), Arbitraries.of(1L, 4096L), Arbitraries.of(true, false),
                Arbitraries.of(true, false), Arbitraries.integers().between(1, 6))
                .as((count, seed, unit, atZero, toTop, updates) -> new Case(count, seed, unit, atZero, toTop, 48, updates));
    }

    static long gapLength(Random r, long unit) {
        switch (r.nextInt(10)) {
            case 0: case 1: case 2:
                return 0;
            case 3: case 4: case 5:
                return (1 + r.nextInt(16)) * unit;
            case 6: case 7:
                return (1 + r.nextInt(1 << 20)) * unit;
            default:
                return (1L << r.nextInt(31)) * unit;
        }
    }

    /** The VMAs of a case as {start, end} arrays, sorted and disjoint, all below 2^63. */
    static long[][] vmas(Case c) {
        Random r = new Random(c.seed());
        long[] start = new long[c.n()];
        long[] end = new long[c.n()];
        long p = c.atZero() ? 0 : gapLength(r, c.unit());
        for (int i = 0; i < c.n(); i++) {
            start[i] = p;
            p += (1 + r.nextInt(64)) * c.unit();
            end[i] = p;
            p += gapLength(r, c.unit());
        }
        if (c.toTop() && !c.atZero() && c.n() > 0) {
            long shift = Long.MAX_VALUE - end[c.n() - 1];
            for (int i = 0; i < c.n(); i++) {
                start[i] += shift;
                end[i] += shift;
            }
        }
        return new long[][] {start, end};
    }

    /** A state over these VMAs; only the arrays matter to the gap searches. */
    static MmState state(long[] start, long[] end, long[] index) {
        return new MmState(MmState.ARCH_GENERIC, 4096, 1L << 21, 1L << 47, 1L << 47, 1L << 47, 1L << 46,
                1L << 45, 65536, 65536, 256L << 12, true, true, false, 0, 0, 0, start, end, new int[start.length], index);
    }

    /** An address worth asking about: a u64 edge, a gap's first or last address (+-1), or any. */
    static long point(Random r, MmState mm) {
        int n = mm.vmStart.length;
        int k = r.nextInt(n + 1);
        long d = r.nextInt(3) - 1;
        switch (r.nextInt(8)) {
            case 0:
                long[] edges = {0, 1, -1, -2, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE - 1, 4096, -4096};
                return edges[r.nextInt(edges.length)];
            case 1: case 2:
                return VmaTree.gapStart(mm, k) + d;
            case 3: case 4:
                return VmaTree.gapLast(mm, k) + d;
            case 5:
                return n == 0 ? d : (r.nextBoolean() ? mm.vmStart[r.nextInt(n)] : mm.vmEnd[r.nextInt(n)]) + d;
            case 6:
                return r.nextLong();
            default:
                return n == 0 ? r.nextInt(1 << 20) : (r.nextLong() >>> 1) % (mm.vmEnd[n - 1] + 1);
        }
    }

    /** A size worth asking for: an edge, a gap's exact length (+-1), the window's (which may wrap), or any. */
    static long size(Random r, MmState mm, long min, long max) {
        int n = mm.vmStart.length;
        int k = r.nextInt(n + 1);
        long d = r.nextInt(3) - 1;
        switch (r.nextInt(8)) {
            case 0:
                long[] edges = {0, 1, 2, -1, Long.MIN_VALUE, Long.MAX_VALUE, 4096};
                return edges[r.nextInt(edges.length)];
            case 1: case 2: case 3:
                // gap k's length; for the last gap 2^64 - start, which wraps to -start
                return (k == n ? -VmaTree.gapStart(mm, k) : mm.vmStart[k] - VmaTree.gapStart(mm, k)) + d;
            case 4:
                return max - min + 1 + d;
            case 5:
                return 1 + r.nextInt(64 * 4096);
            default:
                return r.nextLong();
        }
    }

    /**
     * The first query of {@code c} where {@code impl} and the linear scan disagree, before or
     * after the updates, or null. Updates move one VMA's start or end within its gaps and set the
     * one leaf that changes, as a VMA that grows or shrinks does in the kernel's tree. {@code
     * found} hears, per query, whether the scan found a gap (for the statistics).
     */
    static String firstMismatch(Impl impl, Case c, Consumer<Boolean> found) {
        long[][] v = vmas(c);
        long[] start = v[0];
        long[] end = v[1];
        long[] tree = impl.build(start, end);
        Random r = new Random(c.seed() ^ 0x5DEECE66DL);
        for (int round = 0; round <= c.updates(); round++) {
            if (round > 0 && c.n() > 0) {
                int i = r.nextInt(c.n());
                if (r.nextBoolean()) {
                    long lo = i == 0 ? 0 : end[i - 1];
                    start[i] = r.nextBoolean() ? lo : end[i] - 1 - (r.nextLong() >>> 1) % (end[i] - lo);
                    impl.update(tree, i, GapIndex.masLeafMaxGap(start, end, i));
                } else {
                    long hi = i + 1 < c.n() ? start[i + 1] : Long.MAX_VALUE;
                    end[i] = r.nextBoolean() ? hi : start[i] + 1 + (r.nextLong() >>> 1) % (hi - start[i]);
                    impl.update(tree, i + 1, GapIndex.masLeafMaxGap(start, end, i + 1));
                }
            }
            MmState linear = state(start, end, null);
            if (!GapIndex.fits(linear, tree)) {
                return "the index does not fit the space: the searches would not use it";
            }
            for (int q = 0; q < c.queries(); q++) {
                long min = point(r, linear);
                long max = point(r, linear);
                if (r.nextInt(5) > 0 && Long.compareUnsigned(min, max) > 0) {
                    long t = min;
                    min = max;
                    max = t;
                }
                long size = size(r, linear, min, max);
                int lo = VmaTree.areaLowest(linear, min, max, size);
                int hi = VmaTree.areaHighest(linear, min, max, size);
                found.accept(lo >= 0);
                int li = impl.lowest(linear, tree, min, max, size);
                int hiIdx = impl.highest(linear, tree, min, max, size);
                if (li != lo || hiIdx != hi) {
                    return String.format("round %d: min=%x max=%x size=%x: linear %d/%d, index %d/%d", round, min, max,
                            size, lo, hi, li, hiIdx);
                }
            }
        }
        return null;
    }

    @Property(tries = 300)
    void theIndexAnswersAsTheLinearScan(@ForAll("cases") Case c) {
        Statistics.label("VMAs").collect(c.n() <= 8 ? "0-8" : c.n() <= 400 ? "9-400" : String.valueOf(c.n()));
        assertNull(firstMismatch(MODEL, c, f -> Statistics.label("a gap found").collect(f)));
    }

    /** After updates the tree is the one built from scratch: update keeps every node's maximum. */
    @Property(tries = 200)
    void updatesGiveTheTreeBuiltAfresh(@ForAll("cases") Case c) {
        long[][] v = vmas(c);
        long[] tree = GapIndex.build(v[0], v[1]);
        Random r = new Random(c.seed());
        for (int u = 0; u < c.updates() && c.n() > 0; u++) {
            int i = r.nextInt(c.n());
            if (r.nextBoolean()) {
                long lo = i == 0 ? 0 : v[1][i - 1];
                v[0][i] = v[1][i] - 1 - (r.nextLong() >>> 1) % (v[1][i] - lo);
                GapIndex.masUpdateGap(tree, i, GapIndex.masLeafMaxGap(v[0], v[1], i));
            } else {
                long hi = i + 1 < c.n() ? v[0][i + 1] : Long.MAX_VALUE;
                v[1][i] = v[0][i] + 1 + (r.nextLong() >>> 1) % (hi - v[0][i]);
                GapIndex.masUpdateGap(tree, i + 1, GapIndex.masLeafMaxGap(v[0], v[1], i + 1));
            }
        }
        assertArrayEquals(GapIndex.build(v[0], v[1]), tree);
    }

    /** Through the public API: each search gives the same address with the space's index and without. */
    @Property(tries = 1500)
    void searchesAreTheSameWithAndWithoutTheIndex(@ForAll("infos") SearchProperties.Info i) {
        MmState indexed = i.space().state();
        assertEquals(true, GapIndex.fits(indexed, indexed.gapIndex), "AddressSpace builds the index");
        MmState linear = i.space().withoutGapIndex().state();
        assertNull(linear.gapIndex);
        assertEquals(UnmappedArea.vmUnmappedArea(linear, i.topdown(), i.length(), i.low(), i.high(), i.alignMask(),
                i.alignOffset(), 0), UnmappedArea.vmUnmappedArea(indexed, i.topdown(), i.length(), i.low(), i.high(),
                        i.alignMask(), i.alignOffset(), 0));
    }

    @Provide
    Arbitrary<SearchProperties.Info> infos() {
        return SearchProperties.infos();
    }
}
